"""Every failure a call raises is an APIError (or a clear ValueError before sending), and the
response body read into memory is bounded (decoded size), while streamed downloads are not."""

from __future__ import annotations

import asyncio
import gzip
import io
import random
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import _limits

BASE = "https://api.test"
JSON_OP: rt.Operation[Any] = rt.Operation(
    method="get", path="/things", responses={"200": rt.Response(Any, "json")}
)
BINARY_OP: rt.Operation[Any] = rt.Operation(
    method="get", path="/file", responses={"200": rt.Response(bytes, "binary")}
)
SSE_OP: rt.Operation[Any] = rt.Operation(
    method="get", path="/events", responses={"200": rt.Response(str, "sse")}
)


class Server:
    """A MockTransport handler (sync and async) counting requests."""

    def __init__(self, respond: Any) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response: httpx.Response = self.respond(request)
        return response

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self(request)


def sync_client(server: Server, **kwargs: Any) -> rt.SyncAPIClient:
    http = httpx.Client(transport=httpx.MockTransport(server))
    client = rt.SyncAPIClient(base_url=BASE, http_client=http, **kwargs)
    client._sleep = lambda s: None
    return client


def async_client(server: Server, **kwargs: Any) -> rt.AsyncAPIClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle_async))
    client = rt.AsyncAPIClient(base_url=BASE, http_client=http, **kwargs)

    async def no_sleep(seconds: float) -> None:
        return None

    client._sleep = no_sleep
    return client


# --- decompression bombs and the response size limit -----------------------------------------


class Bomb(httpx.SyncByteStream, httpx.AsyncByteStream):
    """2 GiB of zeros, gzip-compressed lazily 1 MiB at a time (about 2 MB on the wire)."""

    MIB = 1024 * 1024

    def __init__(self, total_mib: int = 2048) -> None:
        self.total_mib = total_mib
        self.produced = 0  # MiB compressed so far

    def __iter__(self) -> Iterator[bytes]:
        packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        zeros = bytes(self.MIB)
        for _ in range(self.total_mib):
            self.produced += 1
            chunk = packer.compress(zeros)
            if chunk:
                yield chunk
        yield packer.flush()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def bomb_server(bomb: Bomb) -> Server:
    return Server(
        lambda r: httpx.Response(
            200,
            headers={"content-type": "application/json", "content-encoding": "gzip"},
            stream=bomb,
        )
    )


def test_sync_gzip_bomb_stops_at_the_default_limit() -> None:
    bomb = Bomb()
    client = sync_client(bomb_server(bomb))
    assert client.max_response_bytes == 64 * 1024 * 1024
    with pytest.raises(rt.ResponseTooLargeError, match="max_response_bytes") as info:
        client.request(JSON_OP, {})
    assert isinstance(info.value, rt.APIError)
    assert bomb.produced < 100  # stopped after about 64 MiB of the 2048 MiB


async def test_async_gzip_bomb_stops_at_the_default_limit() -> None:
    bomb = Bomb()
    client = async_client(bomb_server(bomb))
    with pytest.raises(rt.ResponseTooLargeError):
        await client.request(JSON_OP, {})
    assert bomb.produced < 100


BIG = b'{"data": "' + b"x" * 5000 + b'"}'


def big_json(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, stream=httpx.ByteStream(BIG), headers={"content-type": "application/json"}
    )


def big_gzip(request: httpx.Request) -> httpx.Response:
    headers = {"content-type": "application/json", "content-encoding": "gzip"}
    return httpx.Response(200, stream=httpx.ByteStream(gzip.compress(BIG)), headers=headers)


@pytest.mark.parametrize("respond", [big_json, big_gzip])
def test_sync_max_response_bytes_is_configurable(respond: Any) -> None:
    with pytest.raises(rt.ResponseTooLargeError):
        sync_client(Server(respond), max_response_bytes=1000).request(JSON_OP, {})
    assert sync_client(Server(respond), max_response_bytes=None).request(JSON_OP, {}) == {
        "data": "x" * 5000
    }
    assert sync_client(Server(respond), max_response_bytes=len(BIG)).request(JSON_OP, {})


@pytest.mark.parametrize("respond", [big_json, big_gzip])
async def test_async_max_response_bytes_is_configurable(respond: Any) -> None:
    with pytest.raises(rt.ResponseTooLargeError):
        await async_client(Server(respond), max_response_bytes=1000).request(JSON_OP, {})
    client = async_client(Server(respond), max_response_bytes=len(BIG))
    assert await client.request(JSON_OP, {}) == {"data": "x" * 5000}


@pytest.mark.parametrize(
    ("headers", "within"),
    [
        ({"content-length": "100"}, True),  # identity, declared within: no counting stream
        ({"content-length": "101"}, False),
        ({"content-length": "100", "content-encoding": "identity"}, True),
        ({"content-length": "100", "content-encoding": "gzip"}, False),  # decoded size unknown
        ({"content-length": "100", "transfer-encoding": "chunked"}, False),  # framed by chunks
        ({}, False),
        ({"content-length": "1x"}, False),
        ([("content-length", "10"), ("content-length", "10")], False),
    ],
)
def test_only_a_plain_body_with_a_small_enough_length_skips_counting(
    headers: Any, within: bool
) -> None:
    assert _limits._within(httpx.Headers(headers), 100) is within


def test_chunked_body_is_counted_whatever_its_content_length_says() -> None:
    def lying(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", "transfer-encoding": "chunked"}
        return httpx.Response(
            200, stream=httpx.ByteStream(BIG), headers={**headers, "content-length": "10"}
        )

    with pytest.raises(rt.ResponseTooLargeError):
        sync_client(Server(lying), max_response_bytes=1000).request(JSON_OP, {})


def test_sync_streamed_download_is_not_limited() -> None:
    client = sync_client(Server(big_gzip), max_response_bytes=1000)

    def method() -> bytes:
        result: bytes = client.request(BINARY_OP, {})
        return result

    with rt.with_streaming_response(method)() as response:
        assert b"".join(response.iter_bytes()) == BIG
    with pytest.raises(rt.ResponseTooLargeError):  # the same body read into memory is
        client.request(BINARY_OP, {})


async def test_async_streamed_download_is_not_limited() -> None:
    client = async_client(Server(big_gzip), max_response_bytes=1000)

    async def method() -> Any:
        return await client.request(BINARY_OP, {})

    async with rt.with_streaming_response(method)() as response:
        assert b"".join([c async for c in response.aiter_bytes()]) == BIG


def test_error_bodies_are_limited_too() -> None:
    def huge_error(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=BIG, headers={"content-type": "application/json"})

    # (``content=`` responses are read at once by httpx: checked by length after the fact)

    with pytest.raises(rt.ResponseTooLargeError):
        sync_client(Server(huge_error), max_response_bytes=1000).request(JSON_OP, {})


class Endless(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An error body far past the limit (64 KiB chunks), counting what was read."""

    def __init__(self) -> None:
        self.chunks = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.chunks < 300:  # 19 MiB: far past the limit under test
            self.chunks += 1
            yield b"x" * 65536

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def test_an_error_answered_to_a_stream_call_is_limited() -> None:
    """A helper's review: the error body of an event-stream call or a streamed download was
    read whole, whatever `max_response_bytes` said (a body that never ends hung the call); only
    the 2xx body is the caller's to read unbounded."""
    bodies: list[Endless] = []

    def endless_error(request: httpx.Request) -> httpx.Response:
        bodies.append(Endless())
        return httpx.Response(500, stream=bodies[-1], headers={"content-type": "text/plain"})

    client = sync_client(Server(endless_error), max_response_bytes=100_000, max_retries=0)
    with pytest.raises(rt.ResponseTooLargeError):
        client.stream(SSE_OP, {})

    def method() -> bytes:
        result: bytes = client.request(BINARY_OP, {})
        return result

    with pytest.raises(rt.ResponseTooLargeError), rt.with_streaming_response(method)():
        pass

    async def run() -> None:
        aclient = async_client(Server(endless_error), max_response_bytes=100_000, max_retries=0)
        with pytest.raises(rt.ResponseTooLargeError):
            await aclient.stream(SSE_OP, {})

    asyncio.run(run())
    assert len(bodies) == 3 and all(b.chunks < 10 for b in bodies)


# --- corrupt encodings, redirects, deep JSON --------------------------------------------------


def corrupt_gzip(request: httpx.Request) -> httpx.Response:
    body = gzip.compress(b'{"a": 1}')[:12] + b"not gzip at all" * 10
    headers = {"content-type": "application/json", "content-encoding": "gzip"}
    return httpx.Response(200, stream=httpx.ByteStream(body), headers=headers)


def test_sync_corrupt_gzip_is_an_api_error() -> None:
    server = Server(corrupt_gzip)
    with pytest.raises(rt.ResponseDecodingError, match="gzip"):
        sync_client(server).request(JSON_OP, {})
    assert len(server.requests) == 1  # not retried as a "connection error"
    with pytest.raises(rt.APIError):  # without a limit: httpx's own DecodingError, wrapped
        sync_client(Server(corrupt_gzip), max_response_bytes=None).request(JSON_OP, {})


async def test_async_corrupt_gzip_is_an_api_error() -> None:
    with pytest.raises(rt.ResponseDecodingError):
        await async_client(Server(corrupt_gzip)).request(JSON_OP, {})
    with pytest.raises(rt.APIError):
        await async_client(Server(corrupt_gzip), max_response_bytes=None).request(JSON_OP, {})


@pytest.mark.parametrize("cut", [5000, 8, 1])
def test_a_gzip_body_cut_short_is_an_api_error(cut: int) -> None:
    """A helper's review: a gzip stream that stops early while the HTTP framing is complete
    (a proxy's truncation, a server that died mid-compression) was returned as what it decoded
    to: a download 5 KB short, no error (httpx does not check). Only the 8-byte trailer
    missing, too. With and without a size limit."""
    data = random.Random(1).randbytes(50_000)  # (incompressible: the cut is mid-stream)
    body = gzip.compress(data)[:-cut]

    def cut_short(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", "content-encoding": "gzip"}
        return httpx.Response(200, stream=httpx.ByteStream(body), headers=headers)

    for limit in (10_000_000, None):
        with pytest.raises(rt.ResponseDecodingError, match="truncated"):
            sync_client(Server(cut_short), max_response_bytes=limit).request(JSON_OP, {})

    async def run() -> None:
        with pytest.raises(rt.ResponseDecodingError, match="truncated"):
            await async_client(Server(cut_short)).request(JSON_OP, {})

    asyncio.run(run())


def test_a_streamed_gzip_download_cut_short_is_an_api_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A helper's review: the same cut gzip body read through `with_streaming_response`
    (`iter_bytes`, `write_to`: the README's path for large downloads) came back short without
    an error: the end-of-stream check ran for bodies read into memory only. Sync and async."""
    data = random.Random(2).randbytes(50_000)
    body = gzip.compress(data)[:-300]

    def cut_short(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/octet-stream", "content-encoding": "gzip"}
        return httpx.Response(200, stream=httpx.ByteStream(body), headers=headers)

    client = sync_client(Server(cut_short))

    def method() -> bytes:
        result: bytes = client.request(BINARY_OP, {})
        return result

    with (
        rt.with_streaming_response(method)() as response,
        pytest.raises(rt.ResponseDecodingError, match="truncated"),
    ):
        b"".join(response.iter_bytes())

    aclient = async_client(Server(cut_short))

    async def amethod() -> Any:
        return await aclient.request(BINARY_OP, {})

    async def run() -> None:
        async with rt.with_streaming_response(amethod)() as response:
            with pytest.raises(rt.ResponseDecodingError, match="truncated"):
                b"".join([c async for c in response.aiter_bytes()])

    asyncio.run(run())

    # the check reads httpx's own decoders: the body is not decompressed a second time (a
    # review of the first version: every streamed gzip download took twice the CPU)
    def second_decoding(self: object, data: bytes) -> Any:
        raise AssertionError("decoded twice")

    monkeypatch.setattr(_limits._Zlib, "decode", second_decoding)
    whole = gzip.compress(data)
    client = sync_client(
        Server(
            lambda r: httpx.Response(
                200, stream=httpx.ByteStream(whole), headers={"content-encoding": "gzip"}
            )
        )
    )
    with rt.with_streaming_response(method)() as response:
        assert b"".join(response.iter_bytes()) == data  # a whole one still reads


def test_corrupt_deflate_is_an_api_error() -> None:
    def corrupt(request: httpx.Request) -> httpx.Response:
        headers = {"content-encoding": "deflate", "content-type": "application/json"}
        return httpx.Response(200, stream=httpx.ByteStream(b"\x00garbage" * 20), headers=headers)

    with pytest.raises(rt.ResponseDecodingError):
        sync_client(Server(corrupt)).request(JSON_OP, {})


def deflate_ok(request: httpx.Request) -> httpx.Response:
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = raw.compress(b'{"ok": 1}') + raw.flush()  # raw deflate, as some servers send
    return httpx.Response(200, content=body, headers={"content-encoding": "deflate"})


def test_valid_deflate_variants_still_parse() -> None:
    def wrapped(request: httpx.Request) -> httpx.Response:
        body = zlib.compress(b'{"ok": 1}')
        return httpx.Response(200, content=body, headers={"content-encoding": "deflate"})

    assert sync_client(Server(deflate_ok)).request(JSON_OP, {}) == {"ok": 1}
    assert sync_client(Server(wrapped)).request(JSON_OP, {}) == {"ok": 1}


def redirect_forever(request: httpx.Request) -> httpx.Response:
    n = int(request.url.params.get("n", "0"))
    return httpx.Response(302, headers={"location": f"{BASE}/things?n={n + 1}"})


def test_sync_too_many_redirects_is_an_api_error() -> None:
    server = Server(redirect_forever)
    with pytest.raises(rt.APIStatusError) as info:
        sync_client(server).request(JSON_OP, {})
    assert info.value.status_code == 302
    assert len(server.requests) == 21  # the first request and 20 redirects, then stop


async def test_async_too_many_redirects_is_an_api_error() -> None:
    server = Server(redirect_forever)
    with pytest.raises(rt.APIStatusError):
        await async_client(server).request(JSON_OP, {})
    assert len(server.requests) == 21


DEEP = b"[" * 100_000 + b"]" * 100_000


class Nested(rt.Model):
    a: list[Any]


@pytest.mark.parametrize(
    "op",
    [
        JSON_OP,
        rt.Operation(method="get", path="/things", responses={"200": rt.Response(Nested, "json")}),
        rt.Operation(method="get", path="/things", responses={}),
    ],
)
def test_sync_deeply_nested_json_is_an_api_error(op: rt.Operation[Any]) -> None:
    def deep(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=DEEP, headers={"content-type": "application/json"})

    with pytest.raises(rt.APIResponseValidationError, match="nested too deeply"):
        sync_client(Server(deep)).request(op, {})


async def test_async_deeply_nested_json_is_an_api_error() -> None:
    def deep(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=DEEP, headers={"content-type": "application/json"})

    with pytest.raises(rt.APIResponseValidationError):
        await async_client(Server(deep)).request(JSON_OP, {})


def test_deeply_nested_error_body_is_still_a_status_error() -> None:
    def deep(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=DEEP, headers={"content-type": "application/json"})

    with pytest.raises(rt.BadRequestError) as info:
        sync_client(Server(deep)).request(JSON_OP, {})
    assert isinstance(info.value.body, str)


# --- a dropped stream -------------------------------------------------------------------------


class Dropping(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, first: bytes) -> None:
        self.first = first

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


def dropped_sse(request: httpx.Request) -> httpx.Response:
    headers = {"content-type": "text/event-stream"}
    return httpx.Response(200, headers=headers, stream=Dropping(b"data: one\n\n"))


def dropped_download(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=Dropping(b"partial"))


def test_sync_dropped_event_stream_is_a_connection_error() -> None:
    stream = sync_client(Server(dropped_sse)).stream(SSE_OP, {})
    received = []
    with pytest.raises(rt.APIConnectionError, match="Connection lost"):
        for data in stream:
            received.append(data)
    assert received == ["one"]


async def test_async_dropped_event_stream_is_a_connection_error() -> None:
    stream = await async_client(Server(dropped_sse)).stream(SSE_OP, {})
    received = []
    with pytest.raises(rt.APIConnectionError):
        async for data in stream:
            received.append(data)
    assert received == ["one"]


def test_sync_dropped_download_is_a_connection_error() -> None:
    client = sync_client(Server(dropped_download))

    def method() -> bytes:
        result: bytes = client.request(BINARY_OP, {})
        return result

    with rt.with_streaming_response(method)() as response, pytest.raises(rt.APIConnectionError):
        response.write_to(io.BytesIO())
    with rt.with_streaming_response(method)() as response, pytest.raises(rt.APIConnectionError):
        response.parse()


async def test_async_dropped_download_is_a_connection_error() -> None:
    client = async_client(Server(dropped_download))

    async def method() -> Any:
        return await client.request(BINARY_OP, {})

    async with rt.with_streaming_response(method)() as response:
        with pytest.raises(rt.APIConnectionError):
            [c async for c in response.aiter_bytes()]
    async with rt.with_streaming_response(method)() as response:
        with pytest.raises(rt.APIConnectionError):
            await response.parse()


def test_dropped_body_read_into_memory_is_a_connection_error() -> None:
    server = Server(dropped_download)
    with pytest.raises(rt.APIConnectionError):
        sync_client(server, max_retries=1).request(BINARY_OP, {})
    assert len(server.requests) == 2  # a GET: retried once, then reported


# --- header values ----------------------------------------------------------------------------

BAD_VALUES = ["a\r\nX-Injected: 1", "a\nb", "a\rb", "nul\x00", "café", "emoji 🙂"]
# control characters h11 refused only while sending (helper 224: a "connection error"), or let
# through (DEL)
BAD_VALUES += ["vt\x0bx", "ff\x0cx", "esc\x1bx", "del\x7fx", "bell\x07"]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_sync_bad_header_value_is_a_value_error_before_sending(value: str) -> None:
    server = Server(lambda r: httpx.Response(200, json={}))
    with pytest.raises(ValueError, match="X-Custom") as info:
        sync_client(server).request(JSON_OP, {}, {"extra_headers": {"X-Custom": value}})
    assert type(info.value) is ValueError and value not in str(info.value)
    assert server.requests == []


@pytest.mark.parametrize("value", BAD_VALUES)
async def test_async_bad_header_value_is_a_value_error_before_sending(value: str) -> None:
    server = Server(lambda r: httpx.Response(200, json={}))
    with pytest.raises(ValueError, match="X-Custom"):
        await async_client(server).request(JSON_OP, {}, {"extra_headers": {"X-Custom": value}})
    assert server.requests == []


def test_credential_with_a_newline_is_a_value_error_naming_only_the_header() -> None:
    server = Server(lambda r: httpx.Response(200, json={}))
    client = sync_client(
        server,
        credentials={"api_key": "sk_live_secret\n"},
        security_schemes={"key": rt.ApiKey("api_key", "X-Api-Key", "header")},
        default_security=(("key",),),
    )
    with pytest.raises(ValueError, match="X-Api-Key") as info:
        client.request(JSON_OP, {})
    assert "sk_live_secret" not in str(info.value)
    assert server.requests == []


def test_bad_header_parameter_and_default_header() -> None:
    op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/things",
        params=(rt.Param("trace", "X-Trace", "header"),),
        responses={"200": rt.Response(Any, "json")},
    )
    server = Server(lambda r: httpx.Response(200, json={}))
    with pytest.raises(ValueError, match="X-Trace"):
        sync_client(server).request(op, {"trace": "a\r\nb"})
    with pytest.raises(ValueError, match="X-Default"):
        sync_client(server, default_headers={"X-Default": "ü"}).request(op, {})
    assert server.requests == []


def test_a_tab_in_a_header_value_is_sent() -> None:
    server = Server(lambda r: httpx.Response(200, json={}))
    sync_client(server).request(JSON_OP, {}, {"extra_headers": {"X-Custom": "a\tb"}})
    assert server.requests[0].headers["X-Custom"] == "a\tb"


@pytest.mark.parametrize("name", ["X-Retry\r\nX-Injected", "X-Retry: 1", "X Retry", "Ünï"])
def test_a_header_name_the_client_is_told_to_send_is_checked_when_given(name: str) -> None:
    """Helper 224: `retry_count_header="X\r\nY"` failed at the send, retried as a connection
    error; now a ValueError naming the option, on the client or per call."""
    server = Server(lambda r: httpx.Response(200, json={}))
    with pytest.raises(ValueError, match="retry_count_header"):
        sync_client(server, retry_count_header=name)
    with pytest.raises(ValueError, match="idempotency_header"):
        sync_client(server, idempotency_header=name)
    with pytest.raises(ValueError, match="retry_count_header"):
        sync_client(server).request(JSON_OP, {}, {"retry_count_header": name})
    assert server.requests == []
    sync_client(server).request(JSON_OP, {}, {"retry_count_header": "X-Tries"})
    assert server.requests[0].headers["X-Tries"] == "0"


def test_a_header_name_set_on_the_client_later_is_checked_too() -> None:
    """Helper 226: `client.retry_count_header = "X Retry"` (a settable attribute) skipped the
    check and failed as a connection error after the retries."""
    server = Server(lambda r: httpx.Response(200, json={}))
    client = sync_client(server)
    client.retry_count_header = "X Retry"
    with pytest.raises(ValueError, match="retry_count_header='X Retry'"):
        client.request(JSON_OP, {})
    client.retry_count_header = None
    client.idempotency_header = "Idem Key"
    post: rt.Operation[Any] = rt.Operation(method="post", path="/things", responses={})
    with pytest.raises(ValueError, match="idempotency_header='Idem Key'"):
        client.request(post, {}, {"idempotency_key": "k1"})
    assert server.requests == []


def _accepted(server: Server) -> str:
    return server.requests[-1].headers.get("accept-encoding", "")


BROTLI_DEFAULT = "gzip, deflate, br, zstd"  # httpx's own list with `brotli` and `zstandard`


def test_only_encodings_the_limit_can_count_are_advertised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Helper 224: with `brotli` installed httpx asks for `br`, whose decoder has no output
    bound: an 818-byte body inflated to 512 MiB past `max_response_bytes`. Where a request
    would carry httpx's default list, ours carries gzip and deflate; the caller's client is
    left as it was (helper 226: its own later requests lost `br`), and a list they chose is
    kept."""
    monkeypatch.setattr(_limits, "_HTTPX_ENCODINGS", BROTLI_DEFAULT)
    server = Server(lambda r: httpx.Response(200, json={}))
    http = httpx.Client(
        transport=httpx.MockTransport(server), headers={"Accept-Encoding": BROTLI_DEFAULT}
    )
    rt.SyncAPIClient(base_url=BASE, http_client=http).request(JSON_OP, {})
    assert _accepted(server) == "gzip, deflate"
    http.get(f"{BASE}/mine")  # the caller's own request, on their client: as they built it
    assert _accepted(server) == BROTLI_DEFAULT and http.headers["accept-encoding"] == BROTLI_DEFAULT
    for chosen in ("br", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "identity", "gzip"):
        http = httpx.Client(
            transport=httpx.MockTransport(server), headers={"Accept-Encoding": chosen}
        )
        rt.SyncAPIClient(base_url=BASE, http_client=http).request(JSON_OP, {})
        assert _accepted(server) == chosen


def test_the_client_s_own_pools_advertise_only_bounded_encodings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(httpx._client, "ACCEPT_ENCODING", BROTLI_DEFAULT)
    monkeypatch.setattr(_limits, "_HTTPX_ENCODINGS", BROTLI_DEFAULT)
    assert httpx.Client().headers["accept-encoding"] == BROTLI_DEFAULT  # (the premise)
    client = rt.SyncAPIClient(base_url=BASE)
    assert client._client().headers["accept-encoding"] == "gzip, deflate"
    assert rt.DefaultHttpxClient().headers["accept-encoding"] == "gzip, deflate"
    assert rt.DefaultAsyncHttpxClient().headers["accept-encoding"] == "gzip, deflate"


async def test_only_encodings_the_limit_can_count_are_advertised_async(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_limits, "_HTTPX_ENCODINGS", BROTLI_DEFAULT)
    server = Server(lambda r: httpx.Response(200, json={}))
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(server.handle_async),
        headers={"Accept-Encoding": BROTLI_DEFAULT},
    )
    await rt.AsyncAPIClient(base_url=BASE, http_client=http).request(JSON_OP, {})
    assert _accepted(server) == "gzip, deflate"
    assert http.headers["accept-encoding"] == BROTLI_DEFAULT


@pytest.mark.parametrize("coding", ["x-gzip", "X-GZIP", "identity, x-gzip"])
def test_x_gzip_is_read_as_gzip(coding: str) -> None:
    """RFC 9110 8.4.1.3: a recipient SHOULD read `x-gzip` as `gzip`; httpx left the body
    compressed and the JSON read failed on gzip's bytes."""
    body = gzip.compress(b'{"a": 1}')
    server = Server(
        lambda r: httpx.Response(
            200,
            stream=httpx.ByteStream(body),  # (as a transport's: read after the hooks)
            headers={"content-type": "application/json", "content-encoding": coding},
        )
    )
    assert sync_client(server).request(JSON_OP, {}) == {"a": 1}


def test_the_hook_is_added_once_and_ignores_the_callers_own_requests() -> None:
    server = Server(big_json)
    http = httpx.Client(transport=httpx.MockTransport(server))
    client = rt.SyncAPIClient(base_url=BASE, http_client=http, max_response_bytes=1000)
    for _ in range(3):
        with pytest.raises(rt.ResponseTooLargeError):
            client.request(JSON_OP, {})
    assert len(http.event_hooks["response"]) == 1
    assert http.get(f"{BASE}/things").content == BIG  # the caller's own use: not limited


def _br_then_gzip(request: httpx.Request) -> httpx.Response:
    # `gzip, br`: the runtime leaves br to httpx (an optional extra), so httpx decodes both
    headers = {"content-type": "application/json", "content-encoding": "gzip, br"}
    return httpx.Response(200, stream=httpx.ByteStream(b'{"a": 1}'), headers=headers)


def _decoding_transport(request: httpx.Request) -> httpx.Response:
    raise httpx.DecodingError("the transport decodes (aiohttp does)", request=request)


@pytest.mark.parametrize("handler", [_br_then_gzip, _decoding_transport])
def test_a_body_httpx_cannot_decode_is_an_api_error_sync(handler: Any) -> None:
    server = Server(handler)
    with pytest.raises(rt.ResponseDecodingError, match="could not be decoded") as info:
        sync_client(server).request(JSON_OP, {})
    assert info.value.request is not None and info.value.request.url.path == "/things"
    assert len(server.requests) == 1  # not retried


@pytest.mark.parametrize("handler", [_br_then_gzip, _decoding_transport])
async def test_a_body_httpx_cannot_decode_is_an_api_error_async(handler: Any) -> None:
    server = Server(handler)
    with pytest.raises(rt.ResponseDecodingError, match="could not be decoded"):
        await async_client(server).request(JSON_OP, {})
    assert len(server.requests) == 1


def test_errors_survive_pickling() -> None:
    """A helper's review: `APIStatusError` and the connection errors could not be unpickled
    (keyword-only constructor arguments), so a `NotFoundError` raised in a process pool
    reached the parent as `BrokenProcessPool` (openai-python #2629 has the same bug)."""
    import pickle

    request = httpx.Request("GET", f"{BASE}/things/1")
    response = httpx.Response(
        404, json={"code": 404}, request=request, headers={"request-id": "r1"}
    )
    response.read()
    status = rt.NotFoundError("Not found", response=response, body={"code": 404})
    for error in (
        status,
        rt.APITimeoutError(request),
        rt.APIConnectionError(request=request),
        rt.APIResponseValidationError("bad", response=response, body=None),
        rt.PaginationLoopError("loop"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
        assert copy.__dict__.keys() == error.__dict__.keys()
    copy = pickle.loads(pickle.dumps(status))
    assert (copy.status_code, copy.body, copy.request_id) == (404, {"code": 404}, "r1")
    assert copy.response.json() == {"code": 404}


def test_a_client_closed_between_attempts_is_a_connection_error() -> None:
    """A helper's review: `close()` from another thread while a call waited to retry made the
    next attempt raise httpx's bare `RuntimeError` ("the client has been closed"), and the
    503 that caused the retry was lost: everything a call raises is an `APIError`."""
    holder: dict[str, Any] = {}

    def closes_then_503(request: httpx.Request) -> httpx.Response:
        holder["http"].close()
        return httpx.Response(503, json={})

    http = httpx.Client(transport=httpx.MockTransport(closes_then_503))
    holder["http"] = http
    client = rt.SyncAPIClient(base_url=BASE, http_client=http)
    client._sleep = lambda s: None
    with pytest.raises(rt.APIConnectionError, match="closed while GET /things") as caught:
        client.request(JSON_OP, {})
    assert "answered 503" in str(caught.value)

    async def run() -> None:
        async def closes(request: httpx.Request) -> httpx.Response:
            await holder["ahttp"].aclose()
            return httpx.Response(503, json={})

        ahttp = httpx.AsyncClient(transport=httpx.MockTransport(closes))
        holder["ahttp"] = ahttp
        aclient = rt.AsyncAPIClient(base_url=BASE, http_client=ahttp)

        async def no_sleep(seconds: float) -> None:
            return None

        aclient._sleep = no_sleep
        with pytest.raises(rt.APIConnectionError, match="answered 503"):
            await aclient.request(JSON_OP, {})

    asyncio.run(run())


@pytest.mark.parametrize("limit", [10_000_000, None])
def test_a_gzip_body_of_two_members_is_an_api_error_not_a_short_body(limit: int | None) -> None:
    """Helper 209: RFC 1952 lets a gzip body hold several members back to back (Kubernetes
    watch compression writes them); httpx decodes the first only, so a 10,240-byte download
    came back as 4,000 bytes without a word, read whole, streamed, sync and async. Zero
    padding after the stream is no second member."""
    data = random.Random(3).randbytes(10_240)
    two = gzip.compress(data[:4000]) + gzip.compress(data[4000:])
    padded = gzip.compress(data) + b"\x00" * 16

    def serve(body: bytes) -> Server:
        headers = {"content-type": "application/octet-stream", "content-encoding": "gzip"}
        return Server(lambda r: httpx.Response(200, stream=httpx.ByteStream(body), headers=headers))

    with pytest.raises(rt.ResponseDecodingError, match="second gzip member"):
        sync_client(serve(two), max_response_bytes=limit).request(BINARY_OP, {})
    assert sync_client(serve(padded), max_response_bytes=limit).request(BINARY_OP, {}) == data

    client = sync_client(serve(two), max_response_bytes=limit)

    def method() -> bytes:
        result: bytes = client.request(BINARY_OP, {})
        return result

    with (
        rt.with_streaming_response(method)() as response,
        pytest.raises(rt.ResponseDecodingError, match="second gzip member"),
    ):
        b"".join(response.iter_bytes())

    async def run() -> None:
        with pytest.raises(rt.ResponseDecodingError, match="second gzip member"):
            await async_client(serve(two), max_response_bytes=limit).request(BINARY_OP, {})
        aclient = async_client(serve(two), max_response_bytes=limit)

        async def amethod() -> Any:
            return await aclient.request(BINARY_OP, {})

        async with rt.with_streaming_response(amethod)() as streamed:
            with pytest.raises(rt.ResponseDecodingError, match="second gzip member"):
                b"".join([c async for c in streamed.aiter_bytes()])

    asyncio.run(run())
