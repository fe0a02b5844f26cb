"""A circuit breaker per host: stop calling a host that keeps failing, probe it after a pause."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

import httpx

from ._errors import CircuitOpenError
from ._public import publish
from ._record import Struct

__all__ = ["CircuitBreaker", "CircuitOpenError", "is_failure"]


def is_failure(outcome: httpx.Response | httpx.TransportError) -> bool | None:
    """What counts against a host: a transport error or a 5xx (a 4xx means the host is up).
    None when the request never left this process: no connection of the pool came free (every
    one held by open streams, say), which says nothing of the host."""
    if isinstance(outcome, httpx.Response):
        return outcome.status_code >= 500
    return None if isinstance(outcome, httpx.PoolTimeout) else True


class _Host(Struct):
    __slots__ = ("failures", "opened_at", "probe_at")
    __match_args__ = ("failures", "opened_at", "probe_at")

    def __init__(self) -> None:
        self.failures = 0
        self.opened_at: float | None = None
        self.probe_at: float | None = None  # when the half-open probe went out


class CircuitBreaker:
    """Opens for a host after ``failure_threshold`` consecutive failures. While open, calls raise
    ``CircuitOpenError`` without sending. After ``cooldown`` seconds one call goes through as a
    probe (half-open): success closes the circuit, failure opens it for another cooldown.
    Thread-safe; one instance can serve several clients."""

    def __init__(
        self,
        failure_threshold: int = 5,
        cooldown: float = 30.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"CircuitBreaker(failure_threshold={self.failure_threshold}, cooldown={self.cooldown})"
        )

    def state(self, host: str) -> Literal["closed", "open", "half-open"]:
        with self._lock:
            entry = self._hosts.get(host)
            if entry is None or entry.opened_at is None:
                return "closed"
            return "open" if self._clock() < entry.opened_at + self.cooldown else "half-open"

    def allow(self, host: str) -> bool:
        """Raise ``CircuitOpenError`` unless a request to ``host`` may go out now; whether it
        goes as the half-open probe (then its outcome must be recorded, or ``None`` if it has
        none: else the host stays blocked for another cooldown)."""
        with self._lock:
            entry = self._hosts.get(host)
            if entry is None or entry.opened_at is None:
                return False
            now = self._clock()
            wait = entry.opened_at + self.cooldown - now
            # One probe at a time; a probe that never reported back is replaced after a cooldown.
            probing = entry.probe_at is not None and now < entry.probe_at + self.cooldown
            if wait <= 0 and not probing:
                entry.probe_at = now
                return True
            failures = entry.failures
        raise CircuitOpenError(host, failures, max(wait, 0.0))

    def record(self, host: str, failed: bool | None) -> None:
        """Count an outcome for ``host``: a failure, a success, or (None) neither: a request
        that never reached it, which only frees a probe it was."""
        with self._lock:
            entry = self._hosts.setdefault(host, _Host())
            if failed is None:
                entry.probe_at = None
                return
            if not failed:
                entry.failures, entry.opened_at, entry.probe_at = 0, None, None
                return
            entry.failures += 1
            if entry.probe_at is not None or entry.failures >= self.failure_threshold:
                entry.opened_at, entry.probe_at = self._clock(), None


publish(__all__, globals(), __name__.rpartition(".")[0])  # after every class above
