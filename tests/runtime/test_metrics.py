"""Issue 12: OpenTelemetry metrics beside the spans: `http.client.request.duration` (method, route
template, status, error type), retries counted, rate-limit waits recorded; nothing imported
without the `[otel]` extra. Each scenario runs in a fresh interpreter (the meter provider is
process-global)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCENARIO = textwrap.dedent(
    """
    import asyncio, json, sys
    import httpx
    from opentelemetry import metrics
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    reader = InMemoryMetricReader()
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    import apigen_runtime as rt

    answers = [503, 200, 404]
    def handler(request):
        return httpx.Response(answers.pop(0), json={})

    op = rt.Operation(method="get", path="/things/{id}", operation_id="t",
                      params=(rt.Param("id", "id", "path"),),
                      responses={"200": rt.Response(dict, "json")})
    def make(http):
        c = (rt.AsyncAPIClient if MODE == "async" else rt.SyncAPIClient)(
            base_url="https://api.test", http_client=http,
            rate_limit=rt.RateLimit(rate=1, per=0.05))
        c._sleep = (lambda s: asyncio.sleep(0)) if MODE == "async" else (lambda s: None)
        return c
    MODE = sys.argv[1]
    if MODE == "async":
        async def run():
            c = make(httpx.AsyncClient(transport=httpx.MockTransport(handler)))
            await c.request(op, {"id": "1"})
            try:
                await c.request(op, {"id": "2"}, {"max_retries": 0})
            except rt.NotFoundError:
                pass
        asyncio.run(run())
    else:
        c = make(httpx.Client(transport=httpx.MockTransport(handler)))
        c.request(op, {"id": "1"})
        try:
            c.request(op, {"id": "2"}, {"max_retries": 0})
        except rt.NotFoundError:
            pass
    out = {}
    for rm in reader.get_metrics_data().resource_metrics:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                out[m.name] = [
                    {"attributes": dict(p.attributes), "value": getattr(p, "value", None),
                     "count": getattr(p, "count", None)}
                    for p in m.data.data_points
                ]
    print(json.dumps(out))
    """
)


def run(mode: str) -> dict[str, list[dict[str, object]]]:
    result = subprocess.run(
        [sys.executable, "-c", SCENARIO, mode], capture_output=True, text=True, check=True
    )
    data: dict[str, list[dict[str, object]]] = json.loads(result.stdout)
    return data


def check(data: dict[str, list[dict[str, object]]]) -> None:
    points = data["http.client.request.duration"]
    by_status = {p["attributes"].get("http.response.status_code"): p for p in points}  # type: ignore[union-attr]
    assert set(by_status) == {503, 200, 404}
    for point in points:
        attributes = point["attributes"]
        assert isinstance(attributes, dict)
        assert attributes["http.request.method"] == "GET"
        assert attributes["url.template"] == "/things/{id}"  # the route, never the id
        assert attributes["server.address"] == "api.test"
        assert point["count"] == 1
    assert by_status[503]["attributes"]["error.type"] == "503"  # type: ignore[index]
    assert "error.type" not in by_status[200]["attributes"]  # type: ignore[operator]
    retries = data["apigen.client.retries"]
    assert [p["value"] for p in retries] == [1]
    assert retries[0]["attributes"] == {
        "http.request.method": "GET",
        "url.template": "/things/{id}",
        "error.type": "503",
    }
    waits = data["apigen.client.rate_limit.wait.duration"]
    assert waits and waits[0]["count"] >= 1  # the later sends waited for the 20/s budget


def test_sync_client_metrics() -> None:
    check(run("sync"))


def test_async_client_metrics() -> None:
    check(run("async"))


def test_nothing_is_imported_without_the_extra() -> None:
    code = (
        "import sys; sys.modules['opentelemetry'] = None\n"  # as if the extra were missing
        "import httpx, apigen_runtime as rt\n"
        "op = rt.Operation(method='get', path='/x', responses={'200': rt.Response(dict, 'json')})\n"
        "c = rt.SyncAPIClient(base_url='https://a.test', http_client=httpx.Client("
        "transport=httpx.MockTransport(lambda r: httpx.Response(200, json={}))))\n"
        "print(c.request(op, {}), [m for m, v in sys.modules.items() if m.startswith('opentelemetry') and v])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "{} []"


def test_opentelemetry_is_imported_only_once_the_application_set_it_up() -> None:
    """Installed but never imported by the application, OpenTelemetry has nothing set up to
    record: a call imports none of it (10-20 ms of a first call). Set up after that first call,
    the next call makes its span and records its duration."""
    code = textwrap.dedent(
        """
        import sys, httpx, apigen_runtime as rt
        op = rt.Operation(method='get', path='/x', responses={'200': rt.Response(dict, 'json')})
        c = rt.SyncAPIClient(base_url='https://a.test', http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, json={}))))
        c.request(op, {})
        print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        exporter, reader, provider = InMemorySpanExporter(), InMemoryMetricReader(), TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
        c.request(op, {})
        names = [m.name for rm in reader.get_metrics_data().resource_metrics
                 for sm in rm.scope_metrics for m in sm.metrics]
        print([s.name for s in exporter.get_finished_spans()], names)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    before, after = result.stdout.strip().splitlines()
    assert before == "[]"
    assert after == "['GET /x'] ['http.client.request.duration']"
