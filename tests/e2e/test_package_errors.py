"""Issue 8: errors raised after the call returned (while a stream or a page walk goes on) are
the generated package's own classes too; `max_response_bytes` and `max_stream_reconnects` are
client keywords. Sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPECS = FIXTURES
ERROR_EVENT = b'data: {"seq": 1}\n\nevent: error\ndata: {"message": "overloaded"}\n\n'


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pkgerrors")
    build_into(SPECS / "events.yaml", root / "evpkg", name="evpkg")
    build_into(SPECS / "first-contact.yaml", root / "loopkg", name="loopkg")
    return root


@pytest.fixture
def evpkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out / "evpkg", "evpkg") as module:
        yield module


@pytest.fixture
def loopkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out / "loopkg", "loopkg") as module:
        yield module


def _events(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/report"):
        return httpx.Response(200, text="a,b\n" * 100, headers={"Content-Type": "text/csv"})
    return httpx.Response(200, content=ERROR_EVENT, headers={"Content-Type": "text/event-stream"})


def test_stream_error_is_the_package_class_sync(evpkg: ModuleType) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_events))
    with evpkg.Client(http_client=http) as client:
        stream = client.events.stream_events(topic="t")
        assert next(stream).seq == 1
        with pytest.raises(evpkg.APIStreamError) as caught:
            next(stream)
    assert isinstance(caught.value, evpkg._runtime.APIStreamError)  # the runtime's, subclassed
    assert isinstance(caught.value, evpkg.APIError)


def test_stream_error_is_the_package_class_async(evpkg: ModuleType) -> None:
    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_events))
        async with evpkg.AsyncClient(http_client=http) as client:
            stream = await client.events.stream_events(topic="t")
            with pytest.raises(evpkg.APIStreamError):
                async for _ in stream:
                    pass

    asyncio.run(run())


def test_max_response_bytes_is_a_client_keyword(evpkg: ModuleType) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_events))
    with evpkg.Client(http_client=http, max_response_bytes=64) as client:
        with pytest.raises(evpkg.ResponseTooLargeError):
            client.reports.get()
        assert client.with_options(max_response_bytes=None).reports.get().startswith("a,b")


def test_max_stream_reconnects_is_a_client_keyword(evpkg: ModuleType) -> None:
    assert evpkg.Client(max_stream_reconnects=3).max_stream_reconnects == 3
    assert evpkg.AsyncClient(max_stream_reconnects=2).max_stream_reconnects == 2
    assert evpkg.Client().max_stream_reconnects == 0
    with pytest.raises(ValueError, match="max_stream_reconnects"):
        evpkg.Client(max_stream_reconnects=-1)


def _same_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"data": [{"id": "cus_1"}], "has_more": True})


def test_pagination_loop_is_the_package_class(loopkg: ModuleType) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_same_page))
    with loopkg.Client(http_client=http, api_key="k") as client:
        page = client.customers.list()
        with pytest.raises(loopkg.PaginationLoopError):
            list(page)

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_same_page))
        async with loopkg.AsyncClient(http_client=http, api_key="k") as client:
            page = await client.customers.list()
            with pytest.raises(loopkg.PaginationLoopError):
                async for _ in page:
                    pass

    asyncio.run(run())
