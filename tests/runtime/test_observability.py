"""Structured, redacted logging; OpenTelemetry spans; the request-rate spike warning."""

from __future__ import annotations

import io
import json
import logging
import sys
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import _telemetry

from .conftest import Recorder, op

OK = httpx.Response(200, json={"ok": True}, headers={"X-Request-Id": "req_42"})
SECRETS = {
    "bearer": "tok-SECRET-bearer",
    "key": "key-SECRET-header",
    "cookie": "SECRET-cookie",
    "query": "SECRET-query",
    "password": "SECRET-password",
    "client_secret": "SECRET-client-secret",
    "refresh_token": "SECRET-refresh",
    "custom": "SECRET-custom-token-header",
}


def leaky_client(recorder: Recorder, **kwargs: Any) -> rt.SyncAPIClient:
    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        credentials={"token": SECRETS["bearer"], "key": SECRETS["key"]},
        security_schemes={
            "bearer": rt.HTTPBearer("token"),
            "key": rt.ApiKey("key", "X-Service-Key", "header"),
        },
        default_security=(("bearer", "key"),),
        **kwargs,
    )
    client._sleep = lambda seconds: None
    return client


def send_secrets(client: rt.SyncAPIClient) -> None:
    options: rt.RequestOptions = {
        "extra_headers": {
            "Cookie": f"session={SECRETS['cookie']}",
            "X-Custom-Token": SECRETS["custom"],
        },
        "extra_query": {"access_token": SECRETS["query"], "page": 2},
        "extra_body": {
            "user": "ann",
            "password": SECRETS["password"],
            "auth": {"client_secret": SECRETS["client_secret"]},
        },
    }
    client.request(op(method="post"), {}, options)
    form = op(method="post", body=rt.Body("application/x-www-form-urlencoded"))
    client.request(form, {}, {"extra_body": {"refresh_token": SECRETS["refresh_token"], "n": 1}})


def test_debug_log_has_fields_and_no_secrets(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="apigen_runtime")
    recorder = Recorder(httpx.Response(503), OK, OK)
    # The POST is retried only because the API honours an idempotency key (issue 8).
    send_secrets(leaky_client(recorder, idempotency_header="Idempotency-Key"))
    assert SECRETS["password"] in recorder.requests[0].content.decode()  # it was sent ...
    for value in SECRETS.values():
        assert value not in caplog.text  # ... but never logged
    assert "[redacted]" in caplog.text and "user" in caplog.text and "page=2" in caplog.text
    outcomes = [r for r in caplog.records if hasattr(r, "status")]
    assert [(r.method, r.path, r.status, r.attempt) for r in outcomes] == [  # type: ignore[attr-defined]
        ("POST", "/things", 503, 1),
        ("POST", "/things", 200, 2),
        ("POST", "/things", 200, 1),
    ]
    assert outcomes[1].request_id == "req_42"  # type: ignore[attr-defined]
    assert all(r.duration_ms >= 0 for r in outcomes)  # type: ignore[attr-defined]


def test_json_log_lines() -> None:
    stream = io.StringIO()
    handler = rt.enable_logging(json=True, stream=stream)
    try:
        send_secrets(leaky_client(Recorder(OK, OK)))
    finally:
        rt._logging.logger.removeHandler(handler)
        rt._logging.logger.setLevel(logging.NOTSET)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    # requests (headers, bodies) at DEBUG, one INFO line per attempt's outcome
    assert {line["level"] for line in lines} == {"DEBUG", "INFO"}
    responses = [line for line in lines if "status" in line]
    assert responses[0] | {"time": None, "duration_ms": None} == {
        "time": None,
        "level": "INFO",
        "logger": "apigen_runtime",
        "message": responses[0]["message"],
        "method": "POST",
        "path": "/things",
        "status": 200,
        "duration_ms": None,
        "attempt": 1,
        "request_id": "req_42",
    }
    for value in SECRETS.values():
        assert value not in stream.getvalue()


def test_redact_body_shapes() -> None:
    body = json.dumps([{"token": "t", "items": [{"password": "p", "ok": 1}]}]).encode()
    assert json.loads(rt._logging.redact_body(body, "application/json")) == [
        {"token": "[redacted]", "items": [{"password": "[redacted]", "ok": 1}]}
    ]
    form = b"card[cvc]=123&card[exp_month]=1&client_secret=x"
    shown = rt._logging.redact_body(form, "application/x-www-form-urlencoded")
    # Card expiry is on the deny-list too (issue 8: docs/runtime-contract.md, Logging).
    assert "123" not in shown and "exp_month%5D=%5Bredacted%5D" in shown and "=x" not in shown
    assert rt._logging.redact_body(b"\x00" * 10, "image/png") == "<10 bytes image/png>"


def _spans(monkeypatch: pytest.MonkeyPatch) -> Any:
    """An in-memory exporter of the runtime's spans (the SDK's tracer, patched in)."""
    sdk = pytest.importorskip("opentelemetry.sdk.trace", reason="opentelemetry-sdk not installed")
    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = sdk.TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(_telemetry, "_otel", trace)
    monkeypatch.setattr(_telemetry, "_tracer", provider.get_tracer("test"))
    return exporter


def test_a_span_never_holds_the_base_urls_password(monkeypatch: pytest.MonkeyPatch) -> None:
    exporter = _spans(monkeypatch)
    client = rt.SyncAPIClient(
        base_url="https://svc:pw-in-url@api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(Recorder(OK))),
    )
    client.request(op(), {})
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes or {})["url.full"] == "https://REDACTED:REDACTED@api.test/things"


def test_otel_spans_with_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    exporter = _spans(monkeypatch)
    from opentelemetry import trace

    recorder = Recorder(httpx.Response(503), OK)
    client = leaky_client(recorder)
    get = op(rt.Param("id", "id", "path"), path="/things/{id}")
    client.request(get, {"id": 7}, {"extra_query": {"api_key": "SECRET"}})
    spans = exporter.get_finished_spans()
    assert [s.name for s in spans] == ["GET /things/{id}"] * 2
    assert all(s.kind == trace.SpanKind.CLIENT for s in spans)
    first, second = (dict(s.attributes or {}) for s in spans)
    assert first["http.response.status_code"] == 503 and first["error.type"] == "503"
    assert spans[0].status.status_code == trace.StatusCode.ERROR
    assert second["http.response.status_code"] == 200 and second["http.request.resend_count"] == 1
    assert first["url.full"] == "https://api.test/things/7" and first["server.port"] == 443
    for span, request in zip(spans, recorder.requests, strict=True):
        trace_id = format(span.context.trace_id, "032x")
        assert request.headers["traceparent"].split("-")[1] == trace_id


def test_a_long_running_poll_is_one_span_name_whatever_its_monitor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A helper's review: every poll was a span named `GET /ops/<uuid>` with that path as its
    `url.template`, and a new duration series: unbounded cardinality (OpenTelemetry asks for
    a low-cardinality template). A poll's route is `{monitor}`."""
    from apigen_runtime._client import poll_operation

    exporter = _spans(monkeypatch)
    client = leaky_client(Recorder(OK, OK))
    for job in ("9f1c", "77aa"):
        poll, values, options = poll_operation(f"/ops/{job}", (), "https://api.test")
        client.request(poll, values, options)
    names = [s.name for s in exporter.get_finished_spans()]
    templates = [dict(s.attributes or {})["url.template"] for s in exporter.get_finished_spans()]
    assert names == ["GET {monitor}"] * 2 and templates == ["{monitor}"] * 2


def test_no_otel_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_telemetry, "_otel", None)
    monkeypatch.setattr(_telemetry, "_tracer", None)
    monkeypatch.setitem(sys.modules, "opentelemetry.trace", None)  # import now fails
    recorder = Recorder(OK)
    assert leaky_client(recorder).request(op(), {}) == {"ok": True}
    assert _telemetry.tracer() is None and _telemetry._otel is False
    assert "traceparent" not in recorder.last.headers


def test_rate_spike_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="apigen_runtime")
    watch = rt.RateWarning(requests=5, window=1.0)
    for i in range(5):
        watch.record(now=i * 0.1)
    assert caplog.records == []
    watch.record(now=0.5)  # the 6th within a second
    watch.record(now=0.6)  # still in the quiet period: no second warning
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "6 requests in 0.50 s" in caplog.text
    for i in range(7):
        watch.record(now=5 + i * 0.01)
    assert len(caplog.records) == 2


def test_rate_spike_warning_through_the_client(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="apigen_runtime")
    client = leaky_client(Recorder(), rate_warning=rt.RateWarning(requests=3, window=60))
    for _ in range(5):
        client.request(op(), {})
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["request rate spike"]
