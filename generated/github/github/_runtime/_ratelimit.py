"""Client-side rate limiting: a token bucket, a concurrency cap and pacing from server headers.

One ``RateLimit`` is one budget: the client's threads and tasks share it, and so do several
clients given the same instance. A ``backend`` (``RedisRateLimit``) moves the bucket out of the
process so that many processes share one budget; the concurrency cap and header pacing stay local.
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import inspect
import math
import threading
import time
import weakref
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Protocol, TypeAlias, cast

import httpx

from ._drivers import Await, Outcome, Send, Sleep
from ._record import FrozenStruct
from ._telemetry import record_rate_limit_wait

__all__ = ["Quota", "RateLimit", "RateLimitBackend", "read_quota", "retry_after", "server_wait"]

NO_DEADLINE = 1e9  # "wait as long as needed", finite so that backends can pass it on


class RateLimitBackend(Protocol):
    """Keeps a token bucket somewhere shared (see ``RedisRateLimit``)."""

    def reserve(self, interval: float, burst: int, max_wait: float) -> float | Awaitable[float]:
        """Take the next slot of a bucket that refills one token every ``interval`` seconds and
        holds ``burst``; return the seconds to wait for it. A result above ``max_wait`` means
        nothing was taken. Async clients may use a backend that returns an awaitable."""
        ...


class _Slot:
    """A send time booked in the local bucket by a call still waiting for it: the bucket's next
    free time before and after it, and whether the call gave it back."""

    __slots__ = ("after", "before", "cancelled")

    def __init__(self, before: float, after: float) -> None:
        self.before, self.after, self.cancelled = before, after, False


# what a reservation booked: its local slot, the server pacing's next send time after it and that
# pacing's interval (None: not booked)
_Booking: TypeAlias = tuple[_Slot | None, float | None, float | None]


def _real(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positive(name: str, value: object) -> None:
    """``ValueError`` unless ``value`` is a finite real number above 0."""
    if not (_real(value) and 0 < cast("float", value) < math.inf):
        raise ValueError(f"{name} must be a finite number above 0, got {value!r}")


class RateLimit:
    """At most ``rate`` requests per ``per`` seconds (bursts of up to ``burst``), at most
    ``max_concurrency`` in flight, and, when ``adaptive``, slower still once the server's
    rate-limit headers report that few requests remain: the remainder is spread until the reset.

    ``rate=None`` keeps only the concurrency cap and the adaptive pacing.
    """

    def __init__(
        self,
        rate: float | None = None,
        per: float = 1.0,
        *,
        burst: int | None = None,
        max_concurrency: int | None = None,
        adaptive: bool = True,
        low_fraction: float = 0.1,
        max_pause: float = 60.0,
        backend: RateLimitBackend | None = None,
    ) -> None:
        # checked here, not at the first call: `per=nan` switched limiting off, `burst=0` made
        # every call wait for ever, `rate="5"` failed inside (helper 224)
        if rate is not None:
            _positive("rate", rate)
        _positive("per", per)
        if burst is not None and (type(burst) is not int or burst < 1):
            raise ValueError(f"burst must be a whole number of requests >= 1, got {burst!r}")
        if max_concurrency is not None and (
            type(max_concurrency) is not int or max_concurrency < 1
        ):
            raise ValueError(
                f"max_concurrency must be a whole number >= 1, got {max_concurrency!r}"
            )
        if not (_real(low_fraction) and 0 <= low_fraction < 1):
            raise ValueError(f"low_fraction must be in [0, 1), got {low_fraction!r}")
        if backend is not None and any(  # a runtime copy's class, or one made from it
            c.__name__ == "RedisRateLimit" and c.__module__.endswith("_ratelimit_redis")
            for c in type(backend).__mro__
        ):
            from ._ratelimit_redis import RedisRateLimit

            if not isinstance(backend, RedisRateLimit):  # another package's runtime copy:
                # its failures were that copy's errors, none of this package's (helper 229)
                raise TypeError(
                    "backend is a RedisRateLimit of another runtime copy: take"
                    " `RedisRateLimit` from the package this client belongs to"
                )
        if not (_real(max_pause) and max_pause >= 0):  # (inf: pause as long as told)
            raise ValueError(f"max_pause must be a number of seconds >= 0, got {max_pause!r}")
        self.rate, self.per = rate, per
        self.burst = burst or max(1, math.floor(rate or 1))
        self.max_concurrency = max_concurrency
        self.adaptive = adaptive
        self.low_fraction = low_fraction
        self.max_pause = max_pause
        self.backend = backend
        self._interval = per / rate if rate else 0.0
        self._lock = threading.Lock()
        self._tat = 0.0  # GCRA "theoretical arrival time" of the local bucket
        self._server_next = 0.0  # header pacing: earliest next send ...
        self._server_interval = 0.0  # ... then one send per interval ...
        self._server_until = 0.0  # ... until the server's window resets
        self._in_flight = 0
        self._slots: list[_Slot] = []  # local send times booked by calls still waiting
        self._line: deque[object] = deque()  # callers waiting for a slot, first come first

    def __repr__(self) -> str:
        return (
            f"RateLimit(rate={self.rate}, per={self.per}, burst={self.burst}, "
            f"max_concurrency={self.max_concurrency}, adaptive={self.adaptive})"
        )

    def reserve(self, now: float, max_wait: float = NO_DEADLINE) -> float:
        """Book a send time; returns seconds from ``now`` until it. More than ``max_wait``: nothing
        is booked. (GCRA: same result as a token bucket holding ``burst`` tokens.)"""
        return self._reserve(now, max_wait)[0]

    def _reserve(
        self, now: float, max_wait: float, track: bool = False
    ) -> tuple[float, _Booking | None]:
        """``reserve``, and what it booked (None: nothing); ``track``: the local slot is kept
        in ``_slots`` until it is used or given back (``_unbook``)."""
        with self._lock:
            server = now
            if now < self._server_until:
                server = max(self._server_next, now)
            # the bucket counts from when the call can go: after a 429's pause the calls queued
            # behind it went at once, the bucket's times having passed during the pause
            local = max(self._tat, server) if self.rate and self.backend is None else server
            wait = max(0.0, local - (self.burst - 1) * self._interval - now, server - now)
            if wait > max_wait:
                return wait, None
            slot = None
            if self.rate and self.backend is None:
                slot = _Slot(self._tat, local + self._interval)
                self._tat = slot.after
                if track:
                    self._slots.append(slot)
            paced = server_next = None
            if now < self._server_until:
                paced = self._server_interval
                server_next = self._server_next = server + paced
            return wait, (slot, server_next, paced)

    def _unbook(self, booking: _Booking | None) -> None:
        """Give back a send time a call booked and never used (cancelled while waiting for it):
        each such call kept its time, and ten calls cut off by their timeouts held the next one
        10 s at one call a second. The bucket moves back past every given-back slot at its end
        (calls cut off in the order they came give all theirs back); a slot a later call still
        waits for, or has used, stays (moving it back would send two at once), and so does a
        pause a 429 set since (the server's word)."""
        if booking is None:
            return
        slot, server_next, paced = booking
        with self._lock:
            if slot is not None:
                slot.cancelled = True
                slots = self._slots
                while slots and slots[-1].cancelled and self._tat == slots[-1].after:
                    self._tat = slots.pop().before
            if server_next is not None and paced is not None and self._server_next == server_next:
                self._server_next -= paced

    def _used(self, booking: _Booking | None) -> None:
        """The call went at its slot: no slot before it can be given back any more."""
        slot = booking[0] if booking is not None else None
        if slot is None:
            return
        with self._lock:
            if slot in self._slots:
                del self._slots[: self._slots.index(slot) + 1]

    def observe(self, response: httpx.Response, now: float | None = None) -> None:
        """Follow the server's word: after a 429 (or an exhausted budget) everyone waits out
        ``Retry-After`` or the reset (one over ``max_pause`` sets no pause: calls go on and each
        429 is the retry policy's, which gives up at once on a reset that far away); once the
        remaining budget is low, the rest is spread evenly until the reset, at most
        ``max_pause`` apart."""
        if not self.adaptive:
            return
        quota = read_quota(response.headers)
        now = time.monotonic() if now is None else now
        if response.status_code == 429 or (quota and quota.remaining == 0):
            pause = retry_after(response.headers)
            pause = quota.reset if pause is None and quota else pause
            if pause is not None and 0 < pause <= self.max_pause:
                with self._lock:
                    self._server_until = max(self._server_until, now + pause)
                    self._server_next = self._server_until
                    self._server_interval = 0.0
            return
        if quota is None or quota.remaining is None or not quota.reset or quota.reset <= 0:
            return
        if quota.remaining > (max(1.0, quota.limit * self.low_fraction) if quota.limit else 10):
            return
        with self._lock:
            self._server_until = now + quota.reset
            # no more than `max_pause` between sends (as for a 429's pause): one remaining
            # of 5,000 with an hour to the reset held the next call 3,599 s, past every timeout
            self._server_interval = min(quota.reset / quota.remaining, self.max_pause)

    def acquire(self, deadline: float | None) -> Generator[Send | Sleep | Await, Outcome, bool]:
        """Flow step: take a concurrency slot, then wait for a send time (so that sends never
        bunch up behind the cap). ``False``, holding nothing, when that would pass ``deadline``;
        otherwise the caller holds the slot until ``release()``."""
        pause = 0.001
        ticket: object | None = None  # a place in line, taken when a slot is not free at once
        try:
            while not self._enter(ticket):
                if ticket is None:
                    ticket = object()
                    with self._lock:
                        self._line.append(ticket)
                    continue  # (another may have left since: try again in line)
                if deadline is not None and time.monotonic() + pause > deadline:
                    return False
                yield Sleep(pause)
                pause = min(pause * 2, 0.05)
        finally:
            if ticket is not None:  # served, or gone: out of the line either way
                with self._lock, contextlib.suppress(ValueError):
                    self._line.remove(ticket)
        booked: _Booking | None = None
        try:
            now = time.monotonic()
            max_wait = NO_DEADLINE if deadline is None else deadline - now
            wait, booked = self._reserve(now, max_wait, track=True)
            if self.rate and self.backend is not None and wait <= max_wait:
                shared: Any = self.backend.reserve(self._interval, self.burst, max_wait)
                if inspect.isawaitable(shared):
                    action = Await(shared)
                    yield action
                    shared = action.result
                wait = max(wait, float(shared))
            if wait > max_wait:
                self._unbook(booked)  # (the shared backend's wait was too long)
                self.release()
                return False
            if wait > 0:
                record_rate_limit_wait(wait)
                yield Sleep(wait)
        except BaseException:  # including the flow being closed while it waits
            self._unbook(booked)
            self.release()
            raise
        self._used(booked)
        return True

    def _enter(self, ticket: object | None = None) -> bool:
        """Take a slot when one is free and no caller waiting before this one would take it:
        slots go in the order callers came (they went to whoever polled first: one waited 5 s
        while 183 later callers were served)."""
        with self._lock:
            if self.max_concurrency is not None and self._in_flight >= self.max_concurrency:
                return False
            if self._line and self._line[0] is not ticket:
                return False
            self._in_flight += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def release_when_closed(self, response: httpx.Response) -> None:
        """Keep a streamed response's slot until the response is closed: an open stream is a
        request in flight (LLM APIs count it so); its slot was freed once the headers came, and
        six streams ran under ``max_concurrency=2``."""
        if response.is_closed:  # (read whole already: nothing is in flight)
            self.release()
            return
        once = _Once(self.release)
        response.stream = _SlotHeld(response.stream, once)
        # a stream dropped unclosed frees its slot when collected (it held it for good); the
        # finalizer holds the release alone (the body's stream refers back to the response)
        weakref.finalize(response, once)


class _Once:
    """``release`` called once, however often and from whichever thread this is called (a
    close and the collector's finalizer may meet)."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            release, self._release = self._release, None
        if release is not None:
            release()


class _SlotHeld(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that frees its ``max_concurrency`` slot, once, when closed."""

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream, free: _Once) -> None:
        self._stream = stream
        self.free = free

    def __iter__(self) -> Iterator[bytes]:
        assert isinstance(self._stream, httpx.SyncByteStream)
        yield from self._stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._stream, httpx.AsyncByteStream)
        async for chunk in self._stream:
            yield chunk

    def close(self) -> None:
        try:
            if isinstance(self._stream, httpx.SyncByteStream):
                self._stream.close()
        finally:
            self.free()

    async def aclose(self) -> None:
        try:
            if isinstance(self._stream, httpx.AsyncByteStream):
                await self._stream.aclose()
        finally:
            self.free()


class Quota(FrozenStruct):
    """What the server says about its budget; ``reset`` is seconds from now."""

    __slots__ = ("limit", "remaining", "reset")
    __match_args__ = ("limit", "remaining", "reset")
    limit: float | None
    remaining: float | None
    reset: float | None

    def __init__(self, limit: float | None, remaining: float | None, reset: float | None) -> None:
        object.__setattr__(self, "limit", limit)
        object.__setattr__(self, "remaining", remaining)
        object.__setattr__(self, "reset", reset)


def read_quota(headers: httpx.Headers) -> Quota | None:
    """``X-RateLimit-*`` (reset as epoch seconds, or seconds when small), ``RateLimit-*``
    (reset as seconds) and the IETF draft ``RateLimit``/``RateLimit-Policy`` fields, both the
    older ``limit=10, remaining=5, reset=3`` and the newer ``"default";r=5;t=3`` spelling."""
    limit = _num(headers.get("x-ratelimit-limit") or headers.get("ratelimit-limit"))
    remaining = _num(headers.get("x-ratelimit-remaining") or headers.get("ratelimit-remaining"))
    reset = _num(headers.get("x-ratelimit-reset") or headers.get("ratelimit-reset"))
    if reset is not None and reset > 1e9:  # an epoch timestamp (GitHub), not a delta
        reset -= time.time()
    if combined := headers.get("ratelimit"):
        fields = _fields(combined, "r")
        remaining = _num(fields.get("r") or fields.get("remaining"))
        reset = _num(fields.get("t") or fields.get("reset"))
        limit = _num(fields.get("limit")) or limit
    if limit is None and (policy := headers.get("ratelimit-policy")):
        fields = _fields(policy, "q")
        limit = _num(fields.get("q") or fields.get(""))
    if remaining is None and reset is None:
        return None
    return Quota(limit, remaining, reset)


def retry_after(headers: httpx.Headers) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or HTTP date), or ``retry-after-ms``."""
    if (ms := _num(headers.get("retry-after-ms"))) is not None:
        return ms / 1000
    value = headers.get("retry-after")
    if not value:
        return None
    if (seconds := _num(value)) is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # asctime's form, `-0000`: an HTTP date is GMT (RFC 9110)
        when = when.replace(tzinfo=datetime.UTC)
    return when.timestamp() - time.time()


def server_wait(response: httpx.Response) -> float | None:
    """How long the server asked us to wait: ``Retry-After`` on any response; the rate-limit
    reset on a 429, or on a 403 that reports an exhausted budget (GitHub's primary limit)."""
    wait = retry_after(response.headers)
    if wait is not None or response.status_code not in (403, 429):
        return wait
    quota = read_quota(response.headers)
    if quota is None or quota.reset is None:
        return None
    if response.status_code == 403 and quota.remaining != 0:
        return None
    return quota.reset


def _fields(value: str, pick: str) -> dict[str, str]:
    """Parameters of a structured header: of the member with the smallest ``pick`` value when
    several policies are listed, or all ``key=value`` members merged (the older draft)."""
    members: list[dict[str, str]] = []
    for member in value.split(","):
        params: dict[str, str] = {}
        for part in member.split(";"):
            key, _, val = part.strip().partition("=")
            if not val and key.isdigit():
                key, val = "", key  # "100;w=60": a bare quota
            params.setdefault(key.lower(), val.strip('"'))
        members.append(params)
    ranked = [m for m in members if _num(m.get(pick)) is not None]
    if ranked:
        return min(ranked, key=lambda m: _num(m.get(pick)) or 0.0)
    merged: dict[str, str] = {}
    for m in members:
        merged.update(m)
    return merged


def _num(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
