"""OpenTelemetry: our client span is current while the request is sent, so spans created by
the transport (an httpx instrumentation) are its children: one trace, not two."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import _telemetry

sdk = pytest.importorskip("opentelemetry.sdk.trace", reason="opentelemetry-sdk not installed")
from opentelemetry import context as otel_context  # noqa: E402
from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)

OP: rt.Operation[Any] = rt.Operation(
    method="get", path="/things", responses={"200": rt.Response(Any, "json")}
)


@pytest.fixture
def tracing(monkeypatch: pytest.MonkeyPatch) -> tuple[InMemorySpanExporter, Any]:
    exporter = InMemorySpanExporter()
    provider = sdk.TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(_telemetry, "_otel", trace)
    monkeypatch.setattr(_telemetry, "_tracer", provider.get_tracer("apigen"))
    return exporter, provider.get_tracer("httpx-instrumentation")


def _check(exporter: InMemorySpanExporter, calls: int) -> None:
    spans = {s.name: s for s in exporter.get_finished_spans()}
    ours = [s for s in exporter.get_finished_spans() if s.name == "GET /things"]
    inner = [s for s in exporter.get_finished_spans() if s.name == "transport"]
    assert len(ours) == calls == len(inner), spans
    for parent, child in zip(ours, inner, strict=True):
        assert child.parent is not None
        assert child.parent.span_id == parent.context.span_id
        assert child.context.trace_id == parent.context.trace_id


def test_sync_transport_span_is_a_child_of_ours(tracing: tuple[InMemorySpanExporter, Any]) -> None:
    exporter, other = tracing
    outer = trace.get_current_span()
    attempts = iter([503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        with other.start_as_current_span("transport"):
            return httpx.Response(next(attempts), json={"ok": True})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = rt.SyncAPIClient(base_url="https://api.test", http_client=http)
    client._sleep = lambda s: None
    assert client.request(OP, {}) == {"ok": True}
    _check(exporter, 2)  # one child per attempt, each under that attempt's span
    assert trace.get_current_span() is outer  # detached again afterwards
    assert otel_context.get_current() == otel_context.get_current()


async def test_async_transport_span_is_a_child_of_ours(
    tracing: tuple[InMemorySpanExporter, Any],
) -> None:
    exporter, other = tracing
    outer = trace.get_current_span()

    async def handler(request: httpx.Request) -> httpx.Response:
        with other.start_as_current_span("transport"):
            return httpx.Response(200, json={"ok": True})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = rt.AsyncAPIClient(base_url="https://api.test", http_client=http)
    assert await client.request(OP, {}) == {"ok": True}
    _check(exporter, 1)
    assert trace.get_current_span() is outer


def test_app_span_is_the_parent_of_ours(tracing: tuple[InMemorySpanExporter, Any]) -> None:
    exporter, other = tracing

    def handler(request: httpx.Request) -> httpx.Response:
        with other.start_as_current_span("transport"):
            return httpx.Response(200, json={})

    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with other.start_as_current_span("app") as app:
        client.request(OP, {})
        assert trace.get_current_span() is app
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert spans["GET /things"].parent is not None
    assert spans["GET /things"].parent.span_id == app.get_span_context().span_id
    assert spans["transport"].parent is not None
    assert spans["transport"].parent.span_id == spans["GET /things"].context.span_id


def test_no_span_stays_current_after_a_request_fails_while_reading(
    tracing: tuple[InMemorySpanExporter, Any],
) -> None:
    exporter, _other = tracing
    outer = trace.get_current_span()

    def corrupt(request: httpx.Request) -> httpx.Response:
        body = httpx.ByteStream(b"\x1f\x8b\x08\x00garbage" * 5)
        return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=body)

    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(corrupt)),
    )
    with pytest.raises(rt.ResponseDecodingError):
        client.request(OP, {})
    assert trace.get_current_span() is outer  # our span is not left current
    ours = [s for s in exporter.get_finished_spans() if s.name == "GET /things"]
    assert len(ours) == 1 and ours[0].status.status_code == trace.StatusCode.ERROR


async def test_async_no_span_stays_current_after_a_failure(
    tracing: tuple[InMemorySpanExporter, Any],
) -> None:
    outer = trace.get_current_span()

    async def corrupt(request: httpx.Request) -> httpx.Response:
        body = httpx.ByteStream(b"\x1f\x8b\x08\x00garbage" * 5)
        return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=body)

    client = rt.AsyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(corrupt)),
    )
    with pytest.raises(rt.ResponseDecodingError):
        await client.request(OP, {})
    assert trace.get_current_span() is outer
