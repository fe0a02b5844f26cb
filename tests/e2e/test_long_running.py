"""Issue 12: long-running operations. `202 + Location` (detected) and a status field with a
status path (`x-apigen-long-running`, or configuration) get `<method>_and_wait()`: it polls with
backoff honouring Retry-After, stops at a deadline or on cancel, returns the final typed result
or raises a typed error with the failed status's body. Sync and async, against recording
transports that count what they receive."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "long-running.yaml"
BASE = "https://jobs.example.com/v1"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lro")
    build_into(SPEC, root / "jobs", name="jobs")
    return root


@pytest.fixture
def jobs(out: Path) -> Iterator[ModuleType]:
    with on_path(out / "jobs", "jobs") as module:
        yield module


class Api:
    """Jobs: 202 + Location, then `pending` 202s, then 200 with the job. Exports: a status
    field moving running -> `final` (completed or failed)."""

    def __init__(
        self, pending: int = 2, final: str = "completed", location: str = "/v1/jobs/j1/status"
    ) -> None:
        self.pending = pending
        self.final = final
        self.location = location
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path
        if request.method == "POST" and path == "/v1/jobs":
            return httpx.Response(202, headers={"Location": self.location, "Retry-After": "0"})
        if path in ("/v1/jobs/j1/status", "/operations/j1"):
            if self.pending:
                self.pending -= 1
                return httpx.Response(202, json={"state": "running"}, headers={"Retry-After": "0"})
            return httpx.Response(200, json={"id": "j1", "state": "done"})
        if request.method == "POST" and path == "/v1/exports":
            return httpx.Response(200, json={"id": "e 1", "status": "running"})
        if request.url.raw_path == b"/v1/exports/e%201":
            if self.pending:
                self.pending -= 1
                return httpx.Response(200, json={"id": "e 1", "status": "running"})
            return httpx.Response(200, json={"id": "e 1", "status": self.final, "url": "u"})
        return httpx.Response(404, json={"error": path})


def sync_client(jobs: ModuleType, api: Api) -> Any:
    return jobs.Client(base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(api)))


def async_client(jobs: ModuleType, api: Api) -> Any:
    http = httpx.AsyncClient(transport=httpx.MockTransport(api))
    return jobs.AsyncClient(base_url=BASE, http_client=http)


def test_location_protocol_returns_the_final_typed_result(jobs: ModuleType) -> None:
    api = Api(pending=2)
    job = sync_client(jobs, api).jobs.create_and_wait(name="x", poll_interval=0.001)
    assert type(job).__name__ == "Job" and job.state == "done"
    assert [r.url.path for r in api.seen] == ["/v1/jobs"] + ["/v1/jobs/j1/status"] * 3
    assert all(r.method == "GET" for r in api.seen[1:])


def test_location_protocol_async(jobs: ModuleType) -> None:
    api = Api(pending=1)

    async def run() -> Any:
        return await async_client(jobs, api).jobs.create_and_wait(name="x", poll_interval=0.001)

    job = asyncio.run(run())
    assert job.id == "j1" and len(api.seen) == 3


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_call_s_headers_and_query_go_with_every_poll(jobs: ModuleType, mode: str) -> None:
    """A helper's review: `create_and_wait(extra_headers={"X-Tenant": ...}, extra_query=...)`
    sent them with the POST only: the polls (and the final GET) went without the tenant the
    API needed. openai-python's `create_and_poll` passes them on. A monitor URL's repeated
    query keys are kept too (`?tag=a&tag=b` was polled as `?tag=b`)."""
    api = Api(pending=1, location="/v1/jobs/j1/status?tag=a&tag=b")
    options: dict[str, Any] = {
        "extra_headers": {"X-Tenant": "acme", "Prefer": "respond-async"},
        "extra_query": {"api-version": "7"},
        "poll_interval": 0.001,
    }
    if mode == "sync":
        sync_client(jobs, api).jobs.create_and_wait(name="x", **options)
    else:

        async def run() -> Any:
            return await async_client(jobs, api).jobs.create_and_wait(name="x", **options)

        asyncio.run(run())
    assert len(api.seen) == 3
    for request in api.seen:
        assert request.headers["X-Tenant"] == "acme"
        assert request.url.params["api-version"] == "7"
    assert api.seen[0].headers["Prefer"] == "respond-async"
    for poll in api.seen[1:]:
        assert "Prefer" not in poll.headers  # RFC 7240: the first request's own preference
        assert poll.url.params.get_list("tag") == ["a", "b"]
        assert poll.headers["Cache-Control"] == "no-cache"


def test_polls_ask_past_the_clients_cache(jobs: ModuleType) -> None:
    """A helper's review: with `cache=Cache(ttl=30)`, every poll after the first was a cache
    hit answering the same "running": `*_and_wait()` timed out (or never ended). A poll asks
    for the current status (`Cache-Control: no-cache`)."""
    api = Api(pending=2)
    http = httpx.Client(transport=httpx.MockTransport(api))
    client = jobs.Client(base_url=BASE, http_client=http, cache=jobs.Cache(ttl=30))
    export = client.exports.create_and_wait(poll_interval=0.001, poll_timeout=5)
    assert export.status == "completed" and len(api.seen) == 4
    assert all(r.headers["Cache-Control"] == "no-cache" for r in api.seen[1:])


def test_status_field_with_a_status_path(jobs: ModuleType) -> None:
    api = Api(pending=2)
    export = sync_client(jobs, api).exports.create_and_wait(poll_interval=0.001)
    assert export.status == "completed" and export.url == "u"
    assert [r.url.raw_path for r in api.seen[1:]] == [b"/v1/exports/e%201"] * 3


def test_failed_status_raises_with_the_body(jobs: ModuleType) -> None:
    api = Api(pending=1, final="failed")
    with pytest.raises(jobs.OperationFailedError) as caught:
        sync_client(jobs, api).exports.create_and_wait(poll_interval=0.001)
    assert caught.value.status == "failed"
    assert caught.value.body == {"id": "e 1", "status": "failed", "url": "u"}
    assert isinstance(caught.value, jobs.APIError)

    async def run() -> None:
        with pytest.raises(jobs.OperationFailedError):
            await async_client(jobs, Api(pending=0, final="failed")).exports.create_and_wait()

    asyncio.run(run())


def test_deadline_stops_the_wait(jobs: ModuleType) -> None:
    api = Api(pending=10**6)
    with pytest.raises(jobs.LongRunningTimeoutError):
        # (0.2 s: on a loaded 2-core CI machine 50 ms could pass before the first poll)
        sync_client(jobs, api).jobs.create_and_wait(poll_timeout=0.2, poll_interval=0.01)
    assert 2 <= len(api.seen) < 100  # it polled, and stopped


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_failing_monitor_cannot_stretch_the_wait_past_its_timeout(
    jobs: ModuleType, mode: str
) -> None:
    """A helper's review: a monitor answering 503 with `Retry-After: 2` made `poll_timeout=1`
    wait 4.2 s (the poll's own retries had no deadline), then raise the 503. Each poll is
    bounded by what is left of the wait; past it, `LongRunningTimeoutError`."""
    import time

    polls: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(202, headers={"Location": "/v1/jobs/j1/status"})
        polls.append(time.monotonic())
        return httpx.Response(503, json={}, headers={"Retry-After": "2"})

    started = time.monotonic()
    expected = (jobs.InternalServerError, jobs.LongRunningTimeoutError)
    if mode == "sync":
        client = jobs.Client(
            base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(answer))
        )
        with pytest.raises(expected):
            client.jobs.create_and_wait(poll_timeout=0.5, poll_interval=0.01)
    else:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        aclient = jobs.AsyncClient(base_url=BASE, http_client=http)
        with pytest.raises(expected):
            asyncio.run(aclient.jobs.create_and_wait(poll_timeout=0.5, poll_interval=0.01))
    assert time.monotonic() - started < 1.9 and len(polls) == 1


def test_a_poll_failing_when_the_wait_is_over_is_its_timeout() -> None:
    """Past the wait's end, a poll's error is the wait's `LongRunningTimeoutError` (chained)."""
    from apigen_runtime._errors import APIConnectionError, LongRunningTimeoutError
    from apigen_runtime._lro import _Wait  # pyright: ignore[reportPrivateUsage]

    first = httpx.Response(202, request=httpx.Request("POST", BASE + "/jobs"))
    error = APIConnectionError(request=first.request)
    assert _Wait(None, 1, 1).poll_failed(error, first) is error
    assert _Wait(60, 1, 1).poll_failed(error, first) is error
    over = _Wait(0, 1, 1).poll_failed(error, first)
    assert isinstance(over, LongRunningTimeoutError) and "within 0 s" in str(over)
    assert _Wait(0, 1, 1).left() == 1.0 and _Wait(None, 1, 1).left() is None


def test_the_result_s_own_fetch_is_not_cut_by_the_wait() -> None:
    """A review of the poll deadline: Azure's final GET (`original-uri`, `location`) after the
    monitor said `Succeeded` near the end of the wait got 1 s, and a slow one was reported as
    "did not finish" (a caller retrying the create repeats its side effect). Only polls are
    bounded by the wait."""
    from apigen_runtime._lro import LongRunning, wait_sync

    base = "https://arm.test"
    first = httpx.Response(
        201,
        headers={"azure-asyncoperation": f"{base}/ops/1"},
        request=httpx.Request("PUT", f"{base}/things/1"),
    )
    lefts: list[tuple[str, float | None]] = []

    def get(target: str, left: float | None) -> httpx.Response:
        lefts.append((target, left))
        if target.startswith("/ops"):
            return httpx.Response(200, json={"status": "Succeeded"}, request=first.request)
        return httpx.Response(200, json={"id": "1"}, request=first.request)

    final = wait_sync(
        first,
        LongRunning(final="original-uri"),
        get,
        base,
        timeout=30.0,
        interval=0.0,
        max_interval=0.0,
        cancel=None,
        sleep=lambda _: None,
    )
    assert final.json() == {"id": "1"}
    (poll, poll_left), (fetch, fetch_left) = lefts
    assert poll == "/ops/1" and poll_left is not None and 0 < poll_left <= 30
    assert fetch == "/things/1" and fetch_left is None


def test_cancel_event_stops_the_wait(jobs: ModuleType) -> None:
    api = Api(pending=10**6)
    cancel = threading.Event()
    threading.Timer(0.05, cancel.set).start()
    with pytest.raises(jobs.LongRunningCancelledError):
        sync_client(jobs, api).jobs.create_and_wait(poll_interval=0.01, cancel=cancel)


def test_async_task_cancel_stops_the_wait(jobs: ModuleType) -> None:
    api = Api(pending=10**6)

    async def run() -> None:
        task = asyncio.create_task(async_client(jobs, api).jobs.create_and_wait(poll_interval=0.01))
        for _ in range(500):  # until it is polling (bounded: 5 s), however slow the machine
            if len(api.seen) >= 2:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        polled = len(api.seen)
        await asyncio.sleep(0.05)
        assert len(api.seen) == polled  # nothing polls after the cancel

    asyncio.run(run())
    assert len(api.seen) >= 2


def test_retry_after_is_honoured(jobs: ModuleType) -> None:
    api = Api(pending=1)
    client = sync_client(jobs, api)
    waits: list[float] = []
    client._sleep = waits.append
    original = api.__call__

    def slow(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if response.status_code == 202:
            response.headers["Retry-After"] = "7"
        return response

    client = jobs.Client(
        base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(slow))
    )
    client._sleep = waits.append
    client.jobs.create_and_wait(poll_interval=0.001)
    assert waits == [7.0, 7.0]


def test_monitor_on_another_origin_is_refused(jobs: ModuleType) -> None:
    api = Api(location="https://evil.example.net/steal")
    with pytest.raises(jobs.APIError, match="another origin"):
        sync_client(jobs, api).jobs.create_and_wait(poll_interval=0.001)
    assert [r.url.host for r in api.seen] == ["jobs.example.com"]


@pytest.mark.parametrize("location", ["/operations/j1", "https://jobs.example.com/operations/j1"])
def test_a_monitor_outside_the_base_path_is_polled_where_it_is(
    jobs: ModuleType, location: str
) -> None:
    """A helper's runtime review: `Location: /operations/j1` beside a `/v1` base URL was polled
    as `/v1/operations/j1`, another endpoint. The same origin, so requested as named (with
    the client's credentials), sync and async."""
    api = Api(pending=1, location=location)
    job = sync_client(jobs, api).jobs.create_and_wait(name="x", poll_interval=0.001)
    assert job.id == "j1"
    assert [r.url.path for r in api.seen] == ["/v1/jobs", "/operations/j1", "/operations/j1"]
    api = Api(pending=0, location=location)

    async def run() -> Any:
        return await async_client(jobs, api).jobs.create_and_wait(name="x", poll_interval=0.001)

    assert asyncio.run(run()).id == "j1"
    assert [str(r.url) for r in api.seen][1:] == ["https://jobs.example.com/operations/j1"]


def test_ordinary_operations_get_no_wait_method(jobs: ModuleType) -> None:
    client = jobs.Client(base_url=BASE)
    assert not hasattr(client.exports, "retrieve_and_wait")
    assert hasattr(client.jobs, "create_and_wait") and hasattr(client.exports, "create_and_wait")


def test_configured_long_running_operation(tmp_path: Path) -> None:
    """`long_running` in configuration: a GET whose body's status field is polled in place."""
    from apigen.ir.options import ApiOptions
    from apigen.pipeline import build

    options = ApiOptions(
        long_running={
            "getExport": {"status_field": "status", "done": ["completed"], "failed": ["failed"]}
        }
    )
    build(SPEC, tmp_path / "cfgjobs", options=options)
    with on_path(tmp_path / "cfgjobs", "cfgjobs") as pkg:
        api = Api(pending=2)
        export = sync_client(pkg, api).exports.retrieve_and_wait("e 1", poll_interval=0.001)
        assert export.status == "completed"
        assert [r.method for r in api.seen] == ["GET"] * 3


def test_configured_key_naming_no_operation_is_an_error(tmp_path: Path) -> None:
    from apigen.diagnostics import SpecError
    from apigen.ir.options import ApiOptions
    from apigen.pipeline import build

    options = ApiOptions(
        source="apigen.toml",
        where="clients.x",
        long_running={"nope": {"status_field": "s", "done": ["d"]}},
    )
    with pytest.raises(SpecError) as caught:
        build(SPEC, tmp_path / "bad", options=options)
    assert any(
        "long_running.nope" in d.pointer and "names no operation" in d.message
        for d in caught.value.diagnostics
    )


def test_a_resource_split_into_parts_still_has_its_and_wait_methods(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A resource of more than `ir.parts.MAX_METHODS` methods lives in part modules looked up
    by name on first use: the lookup table listed each method but not its `_and_wait` form, so
    the README's `client.jobs.create_job_and_wait(...)` (Azure's web service) raised
    AttributeError."""
    import yaml

    from apigen.ir.parts import MAX_METHODS
    from tests.builds import build_document

    document = yaml.safe_load(SPEC.read_text())
    for n in range(MAX_METHODS + 5):  # more `jobs` methods than one module takes
        document["paths"][f"/jobs/extra{n}"] = {
            "get": {"operationId": f"getJobExtra{n}", "responses": {"204": {"description": "ok"}}}
        }
    out = build_document(tmp_path_factory, "bigjobs", document)
    assert any(out.glob("bigjobs/resources/_jobs_*.py"))  # split into parts
    api = Api(pending=1)
    with on_path(out, "bigjobs") as module:
        client = sync_client(module, api)
        job = client.jobs.create_and_wait(name="n")
        assert job.id == "j1"
        assert callable(client.jobs.create_and_wait) and callable(client.jobs.get_extra0)


ANALYZE = {
    "openapi": "3.0.3",
    "info": {"title": "vision", "version": "1"},
    "servers": [{"url": BASE}],
    "paths": {
        "/analyze": {
            "post": {
                "operationId": "analyze",
                "responses": {
                    "202": {
                        "description": "accepted; poll Operation-Location",
                        "headers": {"Operation-Location": {"schema": {"type": "string"}}},
                    },
                    "200": {
                        "description": "the result",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "status": {"type": "string"},
                                        "text": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                },
            }
        }
    },
}


def test_an_operation_location_monitor_is_polled_until_its_status_ends(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A helper's review: a 202 declaring `Operation-Location` (Microsoft's guidelines, without
    AutoRest's extension) was polled as HTTP's 202-until-done protocol, so its monitor's first
    `200 {"status": "running"}` came back as the result. Its `status` decides now."""
    from tests.builds import build_document

    out = build_document(tmp_path_factory, "vision", ANALYZE)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            headers = {"Operation-Location": f"{BASE}/operations/op1", "Retry-After": "0"}
            return httpx.Response(202, headers=headers)
        polls = sum(1 for s in seen if s.startswith("GET"))
        status = "succeeded" if polls >= 3 else "running"
        return httpx.Response(200, json={"status": status, "text": "hi" if polls >= 3 else None})

    with on_path(out, "vision") as vision:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = vision.Client(base_url=BASE, http_client=http)
        result = client.analyze.create_and_wait(poll_interval=0.001)
    assert result.status == "succeeded" and result.text == "hi"
    assert seen == ["POST /v1/analyze"] + ["GET /v1/operations/op1"] * 3


@pytest.mark.parametrize("location", ["/v2/operations/7", "https://jobs.test/v2/operations/7"])
def test_an_operation_with_its_own_server_is_polled_there(tmp_path: Path, location: str) -> None:
    """A helper's review: an operation with `servers: [https://jobs.test/v2]` answering
    `202 Location: /v2/operations/7` was polled at the client's root server
    (`https://api.test/v1/operations/7`, with its credentials): a 404, or another endpoint.
    The monitor is read against the operation's base URL, sync and async; a path starting
    with `//` is refused as an `APIError` (it was a bare `ValueError` about `client.get()`)."""
    from apigen.pipeline import build

    spec = tmp_path / "spec.yaml"
    spec.write_text(
        SPEC.read_text()
        .replace(
            'servers: [{url: "https://jobs.example.com/v1"}]',
            "servers: [{url: 'https://api.test/v1'}]",
        )
        .replace(
            "      operationId: createJob\n",
            "      operationId: createJob\n      servers: [{url: 'https://jobs.test/v2'}]\n",
        )
    )
    build(spec, tmp_path / "ownserver", options=None)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.method == "POST":
            return httpx.Response(202, headers={"Location": location, "Retry-After": "0"})
        if request.url.host == "jobs.test" and request.url.path == "/v2/operations/7":
            return httpx.Response(200, json={"id": "j7", "state": "done"})
        return httpx.Response(404, json={})

    with on_path(tmp_path / "ownserver", "ownserver") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        assert client.jobs.create_and_wait(name="x", poll_interval=0.001).id == "j7"

        async def run() -> Any:
            http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
            job = pkg.AsyncClient(http_client=http).jobs.create_and_wait(name="x", poll_interval=0)
            return await job

        assert asyncio.run(run()).id == "j7"
        assert seen == ["https://jobs.test/v2/jobs", "https://jobs.test/v2/operations/7"] * 2
        location = "https://jobs.test/v2//evil.test/x"
        with pytest.raises(pkg.APIError, match="starting with '//'"):
            client.jobs.create_and_wait(name="x", poll_interval=0.001)


def test_api_md_shows_the_polling_keywords(out: Path, jobs: ModuleType) -> None:
    """A helper's README run: api.md's `create_and_wait(...)` left out the keywords the method
    adds (`poll_timeout`, `poll_interval`), so a reader did not know how to bound the wait."""
    import inspect

    reference = (out / "jobs" / "api.md").read_text()
    line = next(x for x in reference.splitlines() if "jobs.create_and_wait(" in x)
    assert "poll_timeout: float | None = 600.0, poll_interval: float = 1.0" in line
    method = inspect.signature(jobs.Client(base_url=BASE).jobs.create_and_wait)
    assert method.parameters["poll_timeout"].default == 600.0
    assert method.parameters["poll_interval"].default == 1.0
