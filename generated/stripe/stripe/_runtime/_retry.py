"""When to retry and how long to wait: exponential backoff with bounded jitter, server hints."""

from __future__ import annotations

import random
import time
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

import httpx

from ._build import add_header
from ._circuit import CircuitBreaker, is_failure
from ._drivers import Flow, Send, Sleep
from ._errors import APITimeoutError, CircuitOpenError, connection_error
from ._hooks import Hooks
from ._logging import log_outcome, log_request
from ._ratelimit import RateLimit, read_quota, retry_after
from ._record import Struct
from ._request import IDEMPOTENCY_EXTENSION, IDEMPOTENCY_FIELD_EXTENSION, BuildRequest, Prepared
from ._telemetry import RateWarning, count_retry, end_span, record_request, start_span

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # every client makes one: no class compiled at import (see _record)
    from ._record import record as dataclass

__all__ = [
    "Resilience",
    "RetryPolicy",
    "RetryStrategy",
    "may_resend",
    "provider_retry",
    "retry_after",
]

RETRIES_TAKEN = "apigen_retries_taken"  # request extension: retries before this attempt

Attempt: TypeAlias = httpx.Response | httpx.TransportError
# Statuses retried below 500 (every status >= 500 is retried too).
RETRY_STATUSES = frozenset({408, 409, 429})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "QUERY"})
# Failures where the request provably never reached the server: safe for any method
# (connection refused, DNS failure and TLS handshake errors are ``ConnectError``s).
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures no retry can fix: a bad URL scheme, a request h11 refuses to write.
_HOPELESS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


class RetryStrategy(Protocol):
    """Decides after each failed attempt (a non-2xx response or a transport error).

    ``attempt`` is the number of attempts made so far (1 after the first). Return the seconds to
    wait before the next attempt, or ``None`` to stop and raise. The client still enforces
    ``max_retries`` and the deadline around whatever the strategy says. ``may_resend(request,
    outcome)`` tells whether resending cannot duplicate a side effect.
    """

    def decide(self, attempt: int, request: httpx.Request, outcome: Attempt) -> float | None: ...


def may_resend(request: httpx.Request, outcome: Attempt) -> bool:
    """Whether sending ``request`` again cannot repeat a side effect: it never left (connection
    refused, connect timeout, DNS failure), its method is idempotent (GET, HEAD, OPTIONS, PUT,
    DELETE, TRACE), or it carries an idempotency key the API honours (the header the spec
    declares for the operation, the client's ``idempotency_header``, or a per-call
    ``idempotency_key``; or the body property the spec declares for one)."""
    if isinstance(outcome, NOT_SENT) or request.method in IDEMPOTENT_METHODS:
        return True
    if isinstance(request.extensions.get(IDEMPOTENCY_FIELD_EXTENSION), str):
        return True  # a key in the body property the API declares for one
    header = request.extensions.get(IDEMPOTENCY_EXTENSION)
    return isinstance(header, str) and bool(request.headers.get(header))


SHOULD_RETRY_HEADER = "x-should-retry"


def should_retry_header(
    response: httpx.Response, name: str | None = SHOULD_RETRY_HEADER
) -> bool | None:
    """The server's ``x-should-retry: true|false`` (``None``: absent, anything else, or no
    header ``name`` to read)."""
    if not name:
        return None
    value = response.headers.get(name, "").strip().lower()
    return True if value == "true" else False if value == "false" else None


def provider_retry(retry: RetryStrategy | None, header: str | None) -> RetryStrategy:
    """A generated client's strategy when its provider names its own should-retry header
    (``apigen.toml``'s ``should_retry_header``: ``Stripe-Should-Retry``): the default policy
    with it, and so is a caller's ``RetryPolicy(...)`` that left the header at its default
    (tuning the backoff, ``retry=RetryPolicy(max_delay=10)``, stopped honouring it: helper
    211). A policy naming a header of its own, or another strategy, is the caller's."""
    if retry is None:
        return RetryPolicy(should_retry_header=header)
    if type(retry) is RetryPolicy and retry.should_retry_header == SHOULD_RETRY_HEADER:
        return RetryPolicy(
            base_delay=retry.base_delay,
            max_delay=retry.max_delay,
            max_wait=retry.max_wait,
            jitter=retry.jitter,
            should_retry_header=header,
        )
    return retry


def _number_in(value: object, low: float, high: float, upper_open: bool = False) -> bool:
    """Whether ``value`` is a number in ``[low, high]`` (``[low, high)``); NaN is not."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return low <= value < high if upper_open else low <= value <= high


def check_deadline(value: Any) -> Any:
    """``deadline=``: ``None``, or seconds from 0 (out of time before sending) to infinity (no
    deadline); else a ``ValueError`` now, not a bare one from the first call."""
    if value is None or _number_in(value, 0, float("inf")):
        return value
    raise ValueError(f"deadline must be seconds (0 or more; None: none), got {value!r}")


def check_timeout(value: Any) -> httpx.Timeout:
    """A ``timeout=`` option as the ``httpx.Timeout`` it means, every part checked now:
    ``-1``, NaN or ``"abc"`` failed deep in httpcore at the first call with a bare
    ``ValueError``/``TypeError``, infinity as an ``OverflowError`` (``None`` is no limit)."""
    if value == float("inf"):
        value = None  # no limit, as `deadline=inf` is none
    if isinstance(value, httpx.Timeout):
        timeout = value
    elif value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        timeout = httpx.Timeout(value)
    elif isinstance(value, tuple) and len(cast("tuple[object, ...]", value)) == 4:
        timeout = httpx.Timeout(cast("Any", value))  # httpx's (connect, read, write, pool)
    else:
        raise TypeError(
            f"timeout must be seconds (a float), an httpx.Timeout or None, got {value!r}"
        )
    for part in ("connect", "read", "write", "pool"):
        seconds = getattr(timeout, part)
        if seconds is not None and not _number_in(seconds, 0, 1e9, upper_open=True):
            name = "timeout" if not isinstance(value, httpx.Timeout) else f"timeout's {part}"
            raise ValueError(
                f"{name} must be seconds in [0, 1e9) (None: no limit), got {seconds!r}"
            )
    return timeout


@dataclass(frozen=True)
class RetryPolicy:
    """The default strategy.

    Retries connection errors, timeouts, 408, 409, 429 and every status >= 500, plus a 403 that
    reports an exhausted rate limit; ``x-should-retry: true|false`` from the server overrides
    the status rule. A request that may have reached the server is resent only when
    ``may_resend`` says that cannot duplicate a side effect.

    Waits: ``Retry-After`` (seconds or HTTP date) or ``retry-after-ms`` when it is in
    ``(0, max_wait]``; else, on a 429 (or the rate-limited 403), the rate-limit reset when it is
    in ``(0, max_wait]`` (a reset further away gives up at once: the quota will not be back
    sooner); else exponential backoff ``min(max_delay, base_delay * 2**retry)`` reduced by up to
    ``jitter`` (25 %: never below 75 % of that)."""

    base_delay: float = 0.5
    max_delay: float = 8.0
    max_wait: float = 60.0
    jitter: float = 0.25
    # The provider's header that overrides the status rule (``None``: ignore any such header).
    should_retry_header: str | None = SHOULD_RETRY_HEADER

    def __post_init__(self) -> None:
        # checked when built, as `max_retries` is: `jitter=2` or `base_delay=-1` failed only
        # after a request was sent (a negative sleep), a huge delay overflowed or hung
        for name, value in (
            ("base_delay", self.base_delay),
            ("max_delay", self.max_delay),
            ("max_wait", self.max_wait),
        ):
            if not _number_in(value, 0, 1e9, upper_open=True):
                raise ValueError(f"RetryPolicy({name}={value!r}): seconds in [0, 1e9)")
        if not _number_in(self.jitter, 0, 1):
            raise ValueError(f"RetryPolicy(jitter={self.jitter!r}): a fraction in [0, 1]")

    def decide(self, attempt: int, request: httpx.Request, outcome: Attempt) -> float | None:
        if not self.should_retry(request, outcome):
            return None
        return self.delay(attempt - 1, outcome if isinstance(outcome, httpx.Response) else None)

    def should_retry(self, request: httpx.Request, outcome: Attempt) -> bool:
        if isinstance(outcome, httpx.Response):
            told = should_retry_header(outcome, self.should_retry_header)
            if told is False or (told is None and not _retryable_status(outcome)):
                return False
        elif isinstance(outcome, _HOPELESS):
            return False
        return may_resend(request, outcome)

    def delay(self, retries_done: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before retry number ``retries_done + 1`` (``None``: do not retry)."""
        if response is not None:
            wait = retry_after(response.headers)
            if wait is not None and 0 < wait <= self.max_wait:
                return wait
            reset = _quota_reset(response)
            if reset is not None and reset > 0:
                return reset if reset <= self.max_wait else None
        nominal: float = min(self.max_delay, self.base_delay * 2.0**retries_done)
        return nominal * (1 - self.jitter * random.random())


def _retryable_status(response: httpx.Response) -> bool:
    status = response.status_code
    if status >= 500 or status in RETRY_STATUSES:
        return True
    # GitHub: a 403 with ``Retry-After`` (secondary limit) or an exhausted primary budget.
    limited = retry_after(response.headers) is not None or _quota_reset(response) is not None
    return status == 403 and limited


def _quota_reset(response: httpx.Response) -> float | None:
    """Seconds until the rate-limit budget resets, on a 429 or on a 403 that reports an
    exhausted budget (GitHub's primary limit)."""
    if response.status_code not in (403, 429):
        return None
    quota = read_quota(response.headers)
    if quota is None or quota.reset is None:
        return None
    if response.status_code == 403 and quota.remaining != 0:
        return None
    return quota.reset


class Resilience(Struct):
    """A client's retry strategy, deadline, rate limit, circuit breaker, hooks and rate-spike
    warning, and ``exchange``: the attempt loop both clients drive (it is a flow, no I/O)."""

    __match_args__ = (
        "strategy",
        "deadline",
        "rate_limit",
        "breaker",
        "hooks",
        "rate_warning",
        "secret_headers",
        "secret_query",
    )

    def __init__(
        self,
        strategy: RetryStrategy | None = None,
        deadline: float | None = None,
        rate_limit: RateLimit | None = None,
        breaker: CircuitBreaker | None = None,
        hooks: Hooks | None = None,
        rate_warning: RateWarning | None = None,
        secret_headers: Collection[str] = (),
        secret_query: Collection[str] = (),
    ) -> None:
        self.strategy: RetryStrategy = RetryPolicy() if strategy is None else strategy
        self.deadline = deadline
        self.rate_limit = rate_limit
        self.breaker = breaker
        self.hooks = Hooks() if hooks is None else hooks
        self.rate_warning = rate_warning
        self.secret_headers = secret_headers
        self.secret_query = secret_query

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
        # "host:port" of the absolute URL, for the circuit breaker (never its userinfo: a base
        # URL's password was in `CircuitOpenError`'s message and `.host`)
        host = _origin_host(prepared.url) if self.breaker else ""
        count = prepared.retry_count_header
        if count and count in prepared.headers:  # the caller's own value wins
            count = None
        last: tuple[httpx.Request, httpx.Response | httpx.TransportError] | None = None
        while True:
            attempt += 1
            try:
                probe = self.breaker.allow(host) if self.breaker else False
            except CircuitOpenError:
                if last is None:
                    raise
                # a retry the breaker refuses (this call's own failures opened it): the
                # server's answer, not `CircuitOpenError` with the 503 lost
                before, answer = last
                if isinstance(answer, httpx.Response):
                    return answer
                raise connection_error(before, answer) from None
            try:
                if self.rate_limit and not (yield from self.rate_limit.acquire(deadline)):
                    raise late(prepared.build(build_request, timeout), attempt)
                held = False  # the slot stays taken while a 2xx stream is open
                try:
                    left = None if deadline is None else deadline - time.monotonic()
                    request = prepared.build(build_request, clip_timeout(timeout, left))
                    request.extensions[RETRIES_TAKEN] = attempt - 1  # retries_taken
                    if count:
                        add_header(request.headers, count, str(attempt - 1))
                    if left is not None and left <= 0:
                        raise late(request, attempt)
                    if self.rate_warning:
                        self.rate_warning.record()
                    span = start_span(name, request, attempt)
                    log_request(request, self.secret_headers, self.secret_query)
                    started = time.monotonic()
                    outcome = yield Send(request, deadline, stream)  # 2xx body left unread
                    if (
                        stream
                        and self.rate_limit
                        and isinstance(outcome, httpx.Response)
                        and 200 <= outcome.status_code < 300
                    ):
                        self.rate_limit.release_when_closed(outcome)
                        held = True
                finally:
                    if self.rate_limit and not held:
                        self.rate_limit.release()
            except BaseException:
                # never sent (no rate slot or time left, cancelled while waiting), cancelled in
                # flight, or its body failed to decode or was too large (raised by the driver):
                # a probe's outcome is none, and it is freed (the host stayed "half-open" and
                # refused every call for another cooldown)
                if probe and self.breaker:
                    self.breaker.record(host, None)
                raise
            assert outcome is not None
            elapsed = time.monotonic() - started
            log_outcome(request, outcome, elapsed, attempt)
            record_request(name, request, outcome, elapsed)
            end_span(span, outcome)
            if self.breaker:
                self.breaker.record(host, is_failure(outcome))
            if self.rate_limit and isinstance(outcome, httpx.Response):
                self.rate_limit.observe(outcome)
            if isinstance(outcome, httpx.Response) and 200 <= outcome.status_code < 300:
                return outcome
            wait = (
                self.strategy.decide(attempt, request, outcome) if attempt <= max_retries else None
            )
            if wait is not None and not _number_in(wait, 0, 1e9, upper_open=True):
                # a custom strategy's -1, NaN or 1e12 failed in `time.sleep` (or hung async)
                raise ValueError(
                    f"{type(self.strategy).__name__}.decide() returned {wait!r}: seconds in "
                    "[0, 1e9) to wait, or None to stop"
                )
            if wait is not None and deadline is not None:
                now = time.monotonic()
                if now >= deadline:
                    error = late(request, attempt + 1)
                    error.__cause__ = None if isinstance(outcome, httpx.Response) else outcome
                    raise error
                if now + wait >= deadline:
                    wait = None  # hopeless: the server's own error says more than a timeout
            if wait is None:
                if isinstance(outcome, httpx.Response):
                    return outcome
                raise connection_error(request, outcome)
            reason = (
                str(outcome.status_code)
                if isinstance(outcome, httpx.Response)
                else type(outcome).__qualname__
            )
            count_retry(name, request.method, reason)
            last = (request, outcome)
            yield Sleep(wait)


def clip_timeout(timeout: httpx.Timeout, left: float | None) -> httpx.Timeout:
    """``timeout`` with no part longer than the ``left`` seconds before the deadline."""
    if left is None or left >= 1e9:  # (`deadline=inf`: no deadline, no socket takes it)
        return timeout
    left = max(left, 0.001)
    parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    connect, read, write, pool = (left if p is None else min(p, left) for p in parts)
    return httpx.Timeout(connect=connect, read=read, write=write, pool=pool)


def late(request: httpx.Request, attempt: int) -> APITimeoutError:
    done = f"after {attempt - 1} attempt{'s' * (attempt != 2)}" if attempt > 1 else "before sending"
    return APITimeoutError(
        request, f"Deadline exceeded {done}: {request.method} {request.url.path}"
    )


_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def _origin_host(url: str) -> str:
    """`host[:port]` of an absolute URL as the circuit breaker keys it: without userinfo, in
    lower case, without the scheme's default port (`HTTPS://API.TEST:443` and
    `https://api.test` are one origin, one breaker)."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rpartition("@")[2].lower()
    return host.removesuffix(_DEFAULT_PORTS.get(scheme.lower(), "\0"))
