"""A client dropped without `close()` closes the pool it opened once the last client using it
is collected (helper 175: its sockets were left to the collector, `ResourceWarning: unclosed
socket` under `-X dev`; openai-python closes its pool the same way). A copy sharing the pool
keeps it open after the original is gone."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

import apigen_runtime as rt
from tests.servers import serving


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"{}" if self.path != "/events" else b"data: 1\n\n" * 200_000
        self.send_response(200)
        self.send_header(
            "Content-Type", "application/json" if body == b"{}" else "text/event-stream"
        )
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serving(_Handler) as base:
        yield base


def _unclosed_sockets(caught: list[warnings.WarningMessage], url: str) -> list[str]:
    """The warnings of sockets to this test's server (`gc.collect()` also finalizes what
    other tests left)."""
    port = url.rsplit(":", 1)[1]
    return [
        str(w.message)
        for w in caught
        if issubclass(w.category, ResourceWarning)
        and f"raddr=('127.0.0.1', {port})" in str(w.message)
    ]


def test_a_dropped_client_closes_its_own_pool(url: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = rt.SyncAPIClient(base_url=url)
        assert client.get("/x", cast_to=dict) == {}
        pool = client._client()  # pyright: ignore[reportPrivateUsage]
        del client
        gc.collect()
        assert not pool.is_closed  # (held here)
        del pool
        gc.collect()
    assert _unclosed_sockets(caught, url) == []


def test_a_client_collected_in_a_cycle_closes_its_connections_first(url: str) -> None:
    """Helper 183: a client in a reference cycle with its pool and sockets (a streamed page
    holding the client) was finalized after its sockets in 19 of 20 rounds: they warned."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(20):
            client = rt.SyncAPIClient(base_url=url)
            assert client.get("/x", cast_to=dict) == {}
            pool = client._client()  # pyright: ignore[reportPrivateUsage]
            cycle: list[object] = [client, pool]
            cycle.append(cycle)
            del client, pool, cycle
            gc.collect()
    assert _unclosed_sockets(caught, url) == []


def test_a_copy_keeps_the_shared_pool_open_after_the_original_is_collected(url: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = rt.SyncAPIClient(base_url=url)
        copy = client.with_options(max_retries=0)
        del client
        gc.collect()
        assert copy.get("/x", cast_to=dict) == {}
        del copy
        gc.collect()
    assert _unclosed_sockets(caught, url) == []


def test_a_caller_s_http_client_is_left_open(url: str) -> None:
    import httpx

    http = httpx.Client()
    client = rt.SyncAPIClient(base_url=url, http_client=http)
    assert client.get("/x", cast_to=dict) == {}
    del client
    gc.collect()
    assert not http.is_closed
    http.close()


def test_a_stream_keeps_the_pool_of_a_client_collected_before_it_is_read(url: str) -> None:
    """The review of the pool's closing: a stream (or streamed response) returned from a
    function whose client was then collected lost its connection ("Connection lost while
    reading"): the response holds the pool until its body is read."""

    events = rt.Operation[rt.Stream[int]](
        method="get", path="/events", responses={"200": rt.Response(int, "sse")}
    )

    def opened() -> rt.Stream[int]:
        return rt.SyncAPIClient(base_url=url).request(events, {})

    stream = opened()
    gc.collect()
    assert sum(1 for _ in stream) == 200_000


def test_a_pool_whose_construction_failed_is_collected_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The review: a pool whose `__init__` raised (a proxy it could not mount) printed
    "Exception ignored in `_OwnPool.__del__`" once collected."""
    import sys

    from apigen_runtime._client import _OwnPool  # pyright: ignore[reportPrivateUsage]

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(ValueError, match="proxy"):
        _OwnPool(proxy="foo://bad")
    gc.collect()
    assert unraisable == []
