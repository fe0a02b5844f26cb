"""OpenTelemetry client spans (when ``opentelemetry-api`` is installed) and rate-spike warnings."""

from __future__ import annotations

import importlib
import threading
import time
from collections import deque
from typing import Any

import httpx

from ._logging import logger
from ._version import __version__

__all__ = ["RateWarning", "end_span", "start_span"]

_otel: Any = None  # the ``opentelemetry.trace`` module, ``False`` when missing; found lazily
_tracer: Any = None


def tracer() -> Any:
    """The runtime's tracer, or ``None`` without ``opentelemetry-api`` (``apigen-runtime[otel]``).
    Without a configured SDK the API hands out non-recording spans, which cost next to nothing."""
    global _otel, _tracer
    if _otel is None:
        try:
            _otel = importlib.import_module("opentelemetry.trace")
            _tracer = _otel.get_tracer("apigen_runtime", __version__)
        except ImportError:
            _otel = False
    return _tracer


def start_span(name: str, request: httpx.Request, attempt: int) -> Any:
    """A CLIENT span for one attempt, named ``METHOD /path/{template}``; when it records, the
    trace context is injected into the request headers (``traceparent``)."""
    active = tracer()
    if active is None:
        return None
    span = active.start_span(f"{request.method} {name}", kind=_otel.SpanKind.CLIENT)
    if not span.is_recording():  # no SDK, or not sampled: skip the work
        return span
    url = request.url
    span.set_attributes(
        {
            "http.request.method": request.method,
            "url.full": str(url.copy_with(query=None)),  # queries may carry keys
            "server.address": url.host,
            "server.port": url.port or (443 if url.scheme == "https" else 80),
            "url.template": name,
            **({"http.request.resend_count": attempt - 1} if attempt > 1 else {}),
        }
    )
    propagate = importlib.import_module("opentelemetry.propagate")
    propagate.inject(request.headers, context=_otel.set_span_in_context(span))
    return span


def end_span(span: Any, outcome: httpx.Response | Exception) -> None:
    if span is None:
        return
    if not span.is_recording():
        pass
    elif isinstance(outcome, httpx.Response):
        span.set_attribute("http.response.status_code", outcome.status_code)
        if outcome.status_code >= 400:
            span.set_attribute("error.type", str(outcome.status_code))
            span.set_status(_otel.Status(_otel.StatusCode.ERROR))
    else:
        span.set_attribute("error.type", type(outcome).__qualname__)
        span.set_status(_otel.Status(_otel.StatusCode.ERROR, type(outcome).__name__))
    span.end()


class RateWarning:
    """Log a WARNING when more than ``requests`` requests (attempts) go out within ``window``
    seconds: a runaway loop shows up in the log before the bill or the ban does. At most one
    warning per window."""

    def __init__(self, requests: int = 100, window: float = 10.0) -> None:
        if requests < 1 or window <= 0:
            raise ValueError("requests must be at least 1 and window positive")
        self.requests = requests
        self.window = window
        self._times: deque[float] = deque(maxlen=requests + 1)
        self._quiet_until = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateWarning(requests={self.requests}, window={self.window})"

    def record(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._times.append(now)
            spike = len(self._times) > self.requests and self._times[0] > now - self.window
            if not spike or now < self._quiet_until:
                return
            self._quiet_until = now + self.window
            seconds = now - self._times[0]
        logger.warning(
            "request rate spike: %d requests in %.2f s (warning threshold: %d per %g s)",
            self.requests + 1,
            seconds,
            self.requests,
            self.window,
        )
