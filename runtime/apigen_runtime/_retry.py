"""When to retry and how long to wait: exponential backoff with full jitter, ``Retry-After``."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

import httpx

__all__ = ["RetryPolicy"]

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Failures where the request provably never reached the server: safe for any method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """Retry parameters; ``max_retries`` counts retries, not attempts."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def should_retry(
        self, request: httpx.Request, outcome: httpx.Response | httpx.TransportError
    ) -> bool:
        if isinstance(outcome, httpx.Response):
            if outcome.status_code not in RETRY_STATUSES:
                return False
        elif isinstance(outcome, httpx.UnsupportedProtocol):
            return False  # a bad base URL will not fix itself
        elif isinstance(outcome, _NOT_SENT):
            return True
        # A POST/PATCH may have taken effect; resend only if the server can deduplicate it.
        return request.method in IDEMPOTENT_METHODS or "idempotency-key" in request.headers

    def delay(self, retries_done: int, response: httpx.Response | None) -> float:
        """Seconds to wait before retry number ``retries_done + 1``."""
        if response is not None:
            wait = retry_after(response.headers)
            if wait is not None:
                return min(max(wait, 0.0), self.max_retry_after)
        return random.uniform(0.0, min(self.max_delay, self.base_delay * 2**retries_done))


def retry_after(headers: httpx.Headers) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or HTTP date), or ``retry-after-ms``."""
    if ms := headers.get("retry-after-ms"):
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()
