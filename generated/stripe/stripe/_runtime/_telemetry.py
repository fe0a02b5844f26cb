"""OpenTelemetry client spans (when ``opentelemetry-api`` is installed) and rate-spike warnings."""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections import deque
from contextvars import ContextVar
from typing import Any

import httpx

from ._logging import logger, redact_userinfo
from ._version import __version__

__all__ = [
    "RateWarning",
    "abandon_span",
    "annotate_current_span",
    "count_retry",
    "end_span",
    "record_rate_limit_wait",
    "record_request",
    "start_span",
]

_otel: Any = None  # the ``opentelemetry.trace`` module, ``False`` when missing; found lazily
_tracer: Any = None


def _set_up(module: str, provider_variable: str) -> bool:
    """Whether OpenTelemetry may have something to record: the application imported ``module``
    (setting up an SDK, a provider or auto-instrumentation imports it first) or names a provider
    in the environment. Otherwise nothing is imported: a first call paid 10-20 ms importing the
    API (installed beside many libraries) for spans and metrics that would go nowhere. Checked
    on every call until it holds, so OpenTelemetry set up after the first call counts."""
    return module in sys.modules or bool(os.environ.get(provider_variable))


def tracer() -> Any:
    """The runtime's tracer, or ``None`` without ``opentelemetry-api`` (``apigen-runtime[otel]``)
    or while the application has not set OpenTelemetry up (``_set_up``). Without a configured
    SDK the API hands out non-recording spans, which cost next to nothing."""
    global _otel, _tracer
    if _otel is None:
        if not _set_up("opentelemetry.trace", "OTEL_PYTHON_TRACER_PROVIDER"):
            return None
        try:
            _otel = importlib.import_module("opentelemetry.trace")
            _tracer = _otel.get_tracer(__name__.rpartition(".")[0], __version__)
        except ImportError:
            _otel = False
    return _tracer


# --- metrics: the semantic conventions' client duration histogram, retries, rate-limit waits ---

_meter: Any = None  # instruments by name, ``False`` without ``opentelemetry-api``; found lazily


def _instruments() -> dict[str, Any] | None:
    """The runtime's instruments (``apigen-runtime[otel]``); with no SDK configured the API's
    no-op meter makes each record nearly free. Nothing is imported without the extra, or before
    the application sets OpenTelemetry up (``_set_up``)."""
    global _meter
    if _meter is None:
        if not _set_up("opentelemetry.metrics", "OTEL_PYTHON_METER_PROVIDER"):
            return None
        try:
            metrics = importlib.import_module("opentelemetry.metrics")
        except ImportError:
            _meter = False
        else:
            meter = metrics.get_meter(__name__.rpartition(".")[0], __version__)
            _meter = {
                "duration": meter.create_histogram(
                    "http.client.request.duration",
                    unit="s",
                    description="Duration of HTTP client requests.",
                ),
                "retries": meter.create_counter(
                    "apigen.client.retries",
                    unit="{retry}",
                    description="Requests sent again after a retryable failure.",
                ),
                "waits": meter.create_histogram(
                    "apigen.client.rate_limit.wait.duration",
                    unit="s",
                    description="Time a request waited for the client's rate limit.",
                ),
            }
    if not _meter or _unset(_meter["duration"]):
        return None
    instruments: dict[str, Any] = _meter
    return instruments


def _unset(instrument: Any) -> bool:
    """The API's proxy instrument while no meter provider is set up: records would go nowhere,
    so none are made (checked on every call: a provider set up later counts)."""
    return getattr(instrument, "_real_instrument", instrument) is None


def record_request(
    route: str, request: httpx.Request, outcome: httpx.Response | Exception, seconds: float
) -> None:
    """One attempt into ``http.client.request.duration`` (method, route template, server,
    status code, error type: the HTTP client semantic conventions)."""
    instruments = _instruments()
    if instruments is None:
        return
    url = request.url
    attributes: dict[str, str | int] = {
        "http.request.method": request.method,
        "url.template": route,
        "server.address": url.host,
        "server.port": url.port or (443 if url.scheme == "https" else 80),
    }
    if isinstance(outcome, httpx.Response):
        attributes["http.response.status_code"] = outcome.status_code
        if outcome.status_code >= 400:
            attributes["error.type"] = str(outcome.status_code)
    else:
        attributes["error.type"] = type(outcome).__qualname__
    instruments["duration"].record(seconds, attributes)


def count_retry(route: str, method: str, reason: str) -> None:
    """A retry about to happen (``reason``: the status code or the error type)."""
    instruments = _instruments()
    if instruments is not None:
        instruments["retries"].add(
            1, {"http.request.method": method, "url.template": route, "error.type": reason}
        )


def record_rate_limit_wait(seconds: float) -> None:
    instruments = _instruments()
    if instruments is not None:
        instruments["waits"].record(seconds)


def annotate_current_span(key: str, value: str) -> None:
    """Set an attribute on the caller's current span (a cache hit sends no request of its own)."""
    if tracer() is None:
        return
    span = _otel.get_current_span()
    if span.is_recording():
        span.set_attribute(key, value)


def start_span(name: str, request: httpx.Request, attempt: int) -> Any:
    """A CLIENT span for one attempt, named ``METHOD /path/{template}``; when it records, the
    trace context is injected into the request headers (``traceparent``)."""
    active = tracer()
    if active is None or _unconfigured(active):
        return None
    span = active.start_span(f"{request.method} {name}", kind=_otel.SpanKind.CLIENT)
    if not span.is_recording():  # no SDK, or not sampled: skip the work
        return span
    url = request.url
    span.set_attributes(
        {
            "http.request.method": request.method,
            # queries may carry keys; a `user:password@` is a credential
            "url.full": str(redact_userinfo(url).copy_with(query=None)),
            "server.address": url.host,
            "server.port": url.port or (443 if url.scheme == "https" else 80),
            "url.template": name,
            **({"http.request.resend_count": attempt - 1} if attempt > 1 else {}),
        }
    )
    context = _otel.set_span_in_context(span)
    propagate = importlib.import_module("opentelemetry.propagate")
    propagate.inject(request.headers, context=context)
    # Current while the request is sent (the driver sends right after this, in the same thread
    # or task): an httpx instrumentation's own span becomes a child of ours, one trace.
    abandon_span()  # one left current by a flow that was cut short in this context
    current = _Current(span, _context().attach(context))
    _PENDING.set(current)
    return current


def _unconfigured(active: Any) -> bool:
    """The API's proxy tracer while no SDK is set up: ``start_span`` would hand out a span
    that records nothing and is never made current, so none is made at all. (``_tracer`` is
    what the proxy delegates to; checked again on every call, so an SDK set up later counts.)"""
    if not isinstance(active, _otel.ProxyTracer):
        return False
    return isinstance(getattr(active, "_tracer", None), _otel.NoOpTracer)


class _Current:
    """Our span while it is the current one; ``end_span`` detaches it again."""

    __slots__ = ("span", "token")

    def __init__(self, span: Any, token: object) -> None:
        self.span = span
        self.token = token

    def is_recording(self) -> bool:
        return bool(self.span.is_recording())


_PENDING: ContextVar[_Current | None] = ContextVar("apigen_runtime_span", default=None)


def abandon_span() -> None:
    """End and detach a span still current because its flow was closed mid-request (an error
    raised while sending, a cancelled task): later spans must not become its children."""
    current = _PENDING.get()
    if current is not None:
        end_span(current, RuntimeError("request abandoned"))


def _context() -> Any:
    return importlib.import_module("opentelemetry.context")


def end_span(span: Any, outcome: httpx.Response | Exception) -> None:
    if span is None:
        return
    if isinstance(span, _Current):
        if _PENDING.get() is span:
            _PENDING.set(None)
        _context().detach(span.token)
        span = span.span
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
