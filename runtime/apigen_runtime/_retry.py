"""When to retry and how long to wait: exponential backoff with full jitter, server hints."""

from __future__ import annotations

import random
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

import httpx

from ._circuit import CircuitBreaker, is_failure
from ._drivers import Flow, Send, Sleep
from ._errors import APITimeoutError, connection_error
from ._hooks import Hooks
from ._logging import log_outcome, log_request
from ._ratelimit import RateLimit, retry_after, server_wait
from ._request import BuildRequest, Prepared
from ._telemetry import RateWarning, end_span, start_span

__all__ = ["Resilience", "RetryPolicy", "RetryStrategy", "retry_after"]

Attempt: TypeAlias = httpx.Response | httpx.TransportError
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Failures where the request provably never reached the server: safe for any method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RetryStrategy(Protocol):
    """Decides after each failed attempt (a non-2xx response or a transport error).

    ``attempt`` is the number of attempts made so far (1 after the first). Return the seconds to
    wait before the next attempt, or ``None`` to stop and raise. The client still enforces
    ``max_retries`` and the deadline around whatever the strategy says.
    """

    def decide(self, attempt: int, request: httpx.Request, outcome: Attempt) -> float | None: ...


@dataclass(frozen=True)
class RetryPolicy:
    """The default strategy. Retries connection errors, timeouts and 408/409/429/5xx (502-504,
    500), plus a 403 that reports an exhausted rate limit; a POST/PATCH only when it carries an
    ``Idempotency-Key`` or provably never reached the server. Waits ``Retry-After`` or the
    rate-limit reset when the server gives one (giving up at once when that is over
    ``max_wait``), else exponential backoff with full jitter: uniform in
    ``[0, min(max_delay, base_delay * 2**retry))``."""

    base_delay: float = 0.5
    max_delay: float = 8.0
    max_wait: float = 60.0

    def decide(self, attempt: int, request: httpx.Request, outcome: Attempt) -> float | None:
        if not self.should_retry(request, outcome):
            return None
        return self.delay(attempt - 1, outcome if isinstance(outcome, httpx.Response) else None)

    def should_retry(self, request: httpx.Request, outcome: Attempt) -> bool:
        if isinstance(outcome, httpx.Response):
            limited = outcome.status_code == 403 and server_wait(outcome) is not None
            if outcome.status_code not in RETRY_STATUSES and not limited:
                return False
        elif isinstance(outcome, httpx.UnsupportedProtocol):
            return False  # a bad base URL will not fix itself
        elif isinstance(outcome, _NOT_SENT):
            return True
        # A POST/PATCH may have taken effect; resend only if the server can deduplicate it.
        return request.method in IDEMPOTENT_METHODS or "idempotency-key" in request.headers

    def delay(self, retries_done: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before retry number ``retries_done + 1`` (``None``: do not retry)."""
        if response is not None:
            wait = server_wait(response)
            if wait is not None:
                return max(wait, 0.0) if wait <= self.max_wait else None
        return random.uniform(0.0, min(self.max_delay, self.base_delay * 2**retries_done))


@dataclass
class Resilience:
    """A client's retry strategy, deadline, rate limit, circuit breaker, hooks and rate-spike
    warning, and ``exchange``: the attempt loop both clients drive (it is a flow, no I/O)."""

    strategy: RetryStrategy = field(default_factory=RetryPolicy)
    deadline: float | None = None
    rate_limit: RateLimit | None = None
    breaker: CircuitBreaker | None = None
    hooks: Hooks = field(default_factory=Hooks)
    rate_warning: RateWarning | None = None
    secret_headers: Collection[str] = ()
    secret_query: Collection[str] = ()

    def exchange(
        self,
        name: str,
        prepared: Prepared,
        build_request: BuildRequest,
        timeout: httpx.Timeout,
        max_retries: int,
        deadline: float | None,
        stream: bool = False,
    ) -> Flow[httpx.Response]:
        """Rate limit -> send -> classify -> retry, until a response to return (any status) or
        an error to raise. ``deadline`` is a ``time.monotonic()`` bounding every attempt and
        wait: an attempt cut short by it raises ``APITimeoutError``; a retry that could not
        start before it is not made (the last error is raised)."""
        attempt = 0
        host = prepared.url.split("/", 3)[2]  # "host:port" of the absolute URL
        while True:
            attempt += 1
            if self.breaker:
                self.breaker.allow(host)
            if self.rate_limit and not (yield from self.rate_limit.acquire(deadline)):
                raise _late(prepared.build(build_request, timeout), attempt)
            try:
                left = None if deadline is None else deadline - time.monotonic()
                request = prepared.build(build_request, _clip(timeout, left))
                if left is not None and left <= 0:
                    raise _late(request, attempt)
                if self.rate_warning:
                    self.rate_warning.record()
                span = start_span(name, request, attempt)
                log_request(request, self.secret_headers, self.secret_query)
                started = time.monotonic()
                outcome = yield Send(request, deadline, stream)  # stream: 2xx body left unread
            finally:
                if self.rate_limit:
                    self.rate_limit.release()
            assert outcome is not None
            log_outcome(request, outcome, time.monotonic() - started, attempt)
            end_span(span, outcome)
            if self.breaker:
                self.breaker.record(host, is_failure(outcome))
            if self.rate_limit and isinstance(outcome, httpx.Response):
                self.rate_limit.observe(outcome)
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                return outcome
            wait = (
                self.strategy.decide(attempt, request, outcome) if attempt <= max_retries else None
            )
            if wait is not None and deadline is not None:
                now = time.monotonic()
                if now >= deadline:
                    error = _late(request, attempt + 1)
                    error.__cause__ = None if isinstance(outcome, httpx.Response) else outcome
                    raise error
                if now + wait >= deadline:
                    wait = None  # hopeless: the server's own error says more than a timeout
            if wait is None:
                if isinstance(outcome, httpx.Response):
                    return outcome
                raise connection_error(request, outcome)
            yield Sleep(wait)


def _clip(timeout: httpx.Timeout, left: float | None) -> httpx.Timeout:
    """``timeout`` with no part longer than the ``left`` seconds before the deadline."""
    if left is None:
        return timeout
    left = max(left, 0.001)
    parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    connect, read, write, pool = (left if p is None else min(p, left) for p in parts)
    return httpx.Timeout(connect=connect, read=read, write=write, pool=pool)


def _late(request: httpx.Request, attempt: int) -> APITimeoutError:
    done = f"after {attempt - 1} attempt{'s' * (attempt != 2)}" if attempt > 1 else "before sending"
    return APITimeoutError(
        request, f"Deadline exceeded {done}: {request.method} {request.url.path}"
    )
