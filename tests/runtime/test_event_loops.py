"""An async client across event loops, and under trio.

A helper's SDK review: one ``AsyncClient`` used by two ``asyncio.run`` calls (pytest-asyncio's
loop per test, a notebook, a script calling ``asyncio.run`` per request) raised a bare
``RuntimeError('Event loop is closed')`` on the second: its pooled keep-alive connection
belonged to the first, closed loop. The pool the client opened is renewed for a new loop
(copies share it, so theirs too). And httpx runs under trio, but the runtime slept and locked
with asyncio's primitives: a retry under trio raised "no running event loop"."""

from __future__ import annotations

import asyncio
import json
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar

import httpx
import trio

import apigen_runtime as rt
from apigen_runtime._drivers import FlowLock
from tests.servers import serving

from .conftest import Pet, Recorder, op

PET_OP = op(responses={"200": rt.Response(Pet, "json")})


class KeepAlive(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # connections stay open in the client's pool
    peers: ClassVar[list[int]] = []

    def do_GET(self) -> None:
        self.peers.append(self.client_address[1])
        body = json.dumps({"id": 1, "name": "Rex"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_one_async_client_serves_several_asyncio_runs() -> None:
    KeepAlive.peers.clear()
    with serving(KeepAlive) as url:
        client = rt.AsyncAPIClient(base_url=url)
        copy = client.with_options(max_retries=0)

        async def call(c: rt.AsyncAPIClient) -> Any:
            return await c.request(PET_OP, {})

        for _ in range(3):
            assert asyncio.run(call(client)).name == "Rex"
            assert asyncio.run(call(copy)).name == "Rex"  # (the copy shares the pool)

        async def twice() -> None:  # within one loop, the pooled connection is kept
            await call(client)
            await call(copy)

        asyncio.run(twice())
    assert len(KeepAlive.peers) == 8
    assert KeepAlive.peers[-1] == KeepAlive.peers[-2]


def test_a_loop_left_open_and_idle_gives_way_to_the_next() -> None:
    """An async review: after `loop.run_until_complete(...)` on a loop left open, the next
    `asyncio.run(...)` raised a bare "bound to a different event loop" (an open loop was read
    as another thread's, still running), and `aclose()` later "Event loop is closed"."""
    KeepAlive.peers.clear()
    with serving(KeepAlive) as url:
        client = rt.AsyncAPIClient(base_url=url)
        loop = asyncio.new_event_loop()
        try:
            assert loop.run_until_complete(client.request(PET_OP, {})).name == "Rex"
            for _ in range(2):
                assert asyncio.run(client.request(PET_OP, {})).name == "Rex"
        finally:
            loop.close()
        asyncio.run(client.aclose())
    assert client.is_closed


def test_a_loop_of_another_thread_still_running_is_a_clear_error() -> None:
    """A helper's async review: one AsyncClient used at once from the loops of two threads
    failed with httpcore's own errors ("bound to a different event loop", `list.remove(x)`)
    or hung until the pool timeout. The second loop is told, before anything is sent."""
    import threading

    KeepAlive.peers.clear()
    with serving(KeepAlive) as url:
        client = rt.AsyncAPIClient(base_url=url)
        holding = threading.Event()
        release = threading.Event()

        async def first() -> None:
            await client.request(PET_OP, {})
            holding.set()
            while not release.is_set():  # this loop keeps running (bounded below)
                await asyncio.sleep(0.01)

        thread = threading.Thread(target=lambda: asyncio.run(first()), daemon=True)
        thread.start()
        try:
            assert holding.wait(10)
            sent = len(KeepAlive.peers)
            error: list[BaseException] = []

            async def second() -> None:
                try:
                    await client.request(PET_OP, {})
                except RuntimeError as exc:
                    error.append(exc)

            asyncio.run(second())
            assert error and "one AsyncClient per event loop" in str(error[0])
            assert len(KeepAlive.peers) == sent
        finally:
            release.set()
            thread.join(10)
        assert asyncio.run(client.request(PET_OP, {})).name == "Rex"  # that loop has ended


def test_a_caller_supplied_pool_is_never_replaced() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(Recorder()))
    client = rt.AsyncAPIClient(base_url="https://api.test", http_client=http)
    asyncio.run(client.request(op(), {}))
    asyncio.run(client.request(op(), {}))
    assert client._client() is http


def test_retries_token_renewal_and_pages_run_under_trio() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.Response(200, json={"id": 1, "name": "Rex"}),
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    client = rt.AsyncAPIClient(base_url="https://api.test", http_client=http)

    async def main() -> Any:
        return await client.request(PET_OP, {})

    pet = trio.run(main)
    assert pet.name == "Rex" and len(recorder.requests) == 2  # slept (anyio), then retried
    lock = FlowLock()

    async def locked() -> bool:
        async with lock.for_running_loop():
            return True

    assert trio.run(locked)


def test_iter_all_under_trio_fetches_one_page_at_a_time() -> None:
    """``iter_all``'s look-ahead runs asyncio tasks: under trio it walks the pages in turn."""
    pets = [{"id": i, "name": f"pet {i}"} for i in range(5)]

    def pages(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json={"data": pets[(page - 1) * 2 : page * 2]})

    list_op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("page", "page", "query"),),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.PageNumberPagination(items="data", page_param="page"),
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(pages))
    client = rt.AsyncAPIClient(base_url="https://api.test", http_client=http)

    async def main() -> list[Any]:
        page = await client.paginate(list_op, {})
        return [p async for p in page.iter_all(concurrency=4)]

    assert [p["id"] for p in trio.run(main)] == [0, 1, 2, 3, 4]


def test_omit_drops_the_user_agent_from_the_clients_own_pool() -> None:
    """`extra_headers={"User-Agent": rt.omit}` sent httpx's own `python-httpx/...` (the pool's
    default): omitted, none is sent."""
    from http.server import BaseHTTPRequestHandler

    seen: list[str | None] = []

    class Agent(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("User-Agent"))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Agent) as url:
        with rt.SyncAPIClient(base_url=url) as client:
            client.request(op(), {})
            client.request(op(), {}, rt.request_options(extra_headers={"User-Agent": rt.omit}))

        async def both() -> None:
            async with rt.AsyncAPIClient(base_url=url) as client:
                await client.request(op(), {}, {"extra_headers": {"User-Agent": rt.omit}})

        asyncio.run(both())
    assert seen[0] is not None and seen[0].startswith("apigen/")
    assert seen[1:] == [None, None]


def test_closing_in_a_later_loop_does_not_raise() -> None:
    """pytest-asyncio's teardown: `await client.aclose()` in a loop after the one the pool was
    used on raised `RuntimeError('Event loop is closed')`."""
    KeepAlive.peers.clear()
    with serving(KeepAlive) as url:
        client = rt.AsyncAPIClient(base_url=url)
        assert asyncio.run(client.request(PET_OP, {})).name == "Rex"
        asyncio.run(client.aclose())
    assert client.is_closed()
