"""Raw responses, streamed downloads and server-sent events, through methods shaped like the
generated ones, against a real HTTP server on 127.0.0.1 (and a mock transport where simpler)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime._sse import SSEDecoder

from .conftest import Error, Pet, Recorder, make_client

CHUNK = bytes(range(256)) * 256  # 64 KiB
CHUNKS = 64  # a 4 MiB download

GET_PET: rt.Operation[Pet] = rt.Operation(
    method="get",
    path="/pets/{id}",
    operation_id="getPet",
    params=(rt.Param("id", "id", "path"),),
    responses={"200": rt.Response(Pet, "json"), "default": rt.Response(Error, "json")},
)
DOWNLOAD: rt.Operation[bytes] = rt.Operation(
    method="get",
    path="/files/{name}",
    operation_id="download",
    params=(rt.Param("name", "name", "path"),),
    responses={"200": rt.Response(bytes, "binary"), "default": rt.Response(Error, "json")},
)


def events_op(type_: Any) -> rt.Operation[Any]:
    return rt.Operation(
        method="get",
        path="/events",
        operation_id="events",
        responses={"200": rt.Response(type_, "sse"), "default": rt.Response(Error, "json")},
    )


PET_EVENTS: rt.Operation[Pet] = events_op(Pet)


# Resources exactly as the generator emits them.
class Pets(rt.SyncResource):
    def get(self, *, id: int, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN) -> Pet:
        return self._client.request(GET_PET, {"id": id}, rt.request_options(timeout=timeout))

    def events(self, *, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN) -> rt.Stream[Pet]:
        return self._client.stream(PET_EVENTS, {}, rt.request_options(timeout=timeout))

    def download(
        self, *, name: str, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN
    ) -> bytes:
        return self._client.request(DOWNLOAD, {"name": name}, rt.request_options(timeout=timeout))


class AsyncPets(rt.AsyncResource):
    async def get(self, *, id: int, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN) -> Pet:
        return await self._client.request(GET_PET, {"id": id}, rt.request_options(timeout=timeout))

    async def events(
        self, *, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN
    ) -> rt.AsyncStream[Pet]:
        return await self._client.stream(PET_EVENTS, {}, rt.request_options(timeout=timeout))

    async def download(
        self, *, name: str, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN
    ) -> bytes:
        return await self._client.request(
            DOWNLOAD, {"name": name}, rt.request_options(timeout=timeout)
        )


SSE_BODY = (
    "\ufeff: keep-alive comment\n\n"
    'event: created\nid: 1\ndata: {"id": 1, "name": "a"}\n\n'
    'data: {"id": 2,\ndata:  "name": "b"}\n\n'
    'retry: 1500\r\ndata: {"id": 3, "name": "c"}\r\n\r\n'
    "data: [DONE]\n\n"
)


class Handler(BaseHTTPRequestHandler):
    flaky: ClassVar[int] = 0

    def do_GET(self) -> None:
        if self.path.startswith("/api/pets/"):
            self._json(
                200, {"id": int(self.path.rsplit("/", 1)[1]), "name": "Rex"}, {"X-Total": "1"}
            )
        elif self.path == "/api/files/big.bin":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(CHUNK) * CHUNKS))
            self.end_headers()
            for _ in range(CHUNKS):
                self.wfile.write(CHUNK)
        elif self.path == "/api/files/flaky.bin":
            type(self).flaky += 1
            if self.flaky % 2:
                self._json(503, {"code": 503, "message": "busy"}, {"Retry-After": "0"})
            else:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"finally")
        elif self.path == "/api/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for part in SSE_BODY.split("\n\n"):  # event by event, flushed
                self.wfile.write((part + "\n\n").encode())
                self.wfile.flush()
        else:
            self._json(404, {"code": 404, "message": "no such thing"})

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


@pytest.fixture
def pets(base_url: str) -> Iterator[Pets]:
    with rt.SyncAPIClient(base_url=base_url, timeout=5.0) as client:
        client._sleep = lambda seconds: None
        yield Pets(client)


@pytest.fixture
async def apets(base_url: str) -> Any:
    async with rt.AsyncAPIClient(base_url=base_url, timeout=5.0) as client:
        yield AsyncPets(client)


# --- raw responses ------------------------------------------------------------------------------


def test_raw_response_sync(pets: Pets) -> None:
    raw = rt.with_raw_response(pets.get)(id=7)
    assert isinstance(raw, rt.RawResponse)
    assert raw.status_code == 200 and raw.headers["x-total"] == "1"
    assert raw.http_response.json() == {"id": 7, "name": "Rex"}
    assert raw.parse() == Pet(id=7, name="Rex")
    assert raw.parse() is raw.parse()
    assert pets.get(id=8) == Pet(id=8, name="Rex")  # the mode does not stick


async def test_raw_response_async(apets: AsyncPets) -> None:
    raw = await rt.with_raw_response(apets.get)(id=7)
    assert raw.status_code == 200 and raw.parse() == Pet(id=7, name="Rex")
    assert await apets.get(id=8) == Pet(id=8, name="Rex")


def test_the_async_wrappers_refuse_a_sync_method_before_any_call(pets: Pets) -> None:
    """The review: handed a sync method, `with_raw_response_async` sent its request and only
    then failed; the refusal comes when wrapping now."""
    for wrap in (rt.with_raw_response_async, rt.with_streaming_response_async):
        with pytest.raises(TypeError, match="takes an async method"):
            wrap(pets.get)  # type: ignore[arg-type]


def test_raw_response_errors_still_raise(pets: Pets) -> None:
    with pytest.raises(rt.NotFoundError) as info:
        rt.with_raw_response(pets.download)(name="missing")
    assert info.value.body == Error(code=404, message="no such thing")


def test_raw_response_needs_a_request() -> None:
    def not_a_request() -> int:
        return 1

    with pytest.raises(TypeError, match="single response"):
        rt.with_raw_response(not_a_request)()


def test_raw_response_with_mock_transport(recorder: Recorder) -> None:
    recorder.queue = [httpx.Response(201, json={"id": 1, "name": "n"}, headers={"ETag": "v1"})]
    op = rt.Operation[Pet](method="post", path="/pets", responses={"201": rt.Response(Pet, "json")})
    client = make_client(recorder)
    raw = rt.with_raw_response(client.request)(op, {})
    assert (raw.status_code, raw.headers["etag"], raw.parse()) == (201, "v1", Pet(id=1, name="n"))


def test_a_raw_response_offers_what_openai_s_does(recorder: Recorder) -> None:
    """A helper's review against openai-python: `request_id`, `text`, `content`, `json()`,
    `http_request`, `url`, `method`, `elapsed` were reachable only through `.http_response`."""
    recorder.queue = [
        httpx.Response(201, json={"id": 1, "name": "n"}, headers={"x-request-id": "req_9"})
    ]
    op = rt.Operation[Pet](method="post", path="/pets", responses={"201": rt.Response(Pet, "json")})
    raw = rt.with_raw_response(make_client(recorder).request)(op, {})
    assert (raw.request_id, raw.method, raw.url.path) == ("req_9", "POST", "/v1/pets")
    assert raw.json() == {"id": 1, "name": "n"} and raw.content == raw.text.encode()
    assert raw.http_request is raw.http_response.request
    assert raw.http_version == "HTTP/1.1"


# --- streamed downloads -------------------------------------------------------------------------


def test_stream_download_to_file(pets: Pets, tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    with rt.with_streaming_response(pets.download)(name="big.bin") as response:
        assert response.status_code == 200
        with pytest.raises(httpx.ResponseNotRead):
            _ = response.http_response.content  # nothing was loaded
        assert response.write_to(target, chunk_size=65536) == len(CHUNK) * CHUNKS
    assert response.http_response.is_closed and response.is_closed
    assert response.elapsed.total_seconds() > 0
    expected = hashlib.sha256(CHUNK * CHUNKS).hexdigest()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == expected


def test_stream_iter_bytes_and_parse(pets: Pets) -> None:
    with rt.with_streaming_response(pets.download)(name="big.bin") as response:
        first = next(response.iter_bytes(1024))
        assert first == CHUNK[:1024]
    with rt.with_streaming_response(pets.get)(id=3) as streamed:
        assert streamed.parse() == Pet(id=3, name="Rex")


def test_stream_error_and_retry(pets: Pets) -> None:
    download = rt.with_streaming_response(pets.download)
    with pytest.raises(rt.NotFoundError) as info, download(name="missing"):
        pass  # error bodies are read for the exception
    assert info.value.body == Error(code=404, message="no such thing")
    with rt.with_streaming_response(pets.download)(name="flaky.bin") as response:  # 503, retried
        assert b"".join(response.iter_bytes()) == b"finally"


async def test_stream_download_async(apets: AsyncPets, tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    async with rt.with_streaming_response(apets.download)(name="big.bin") as response:
        assert await response.write_to(target) == len(CHUNK) * CHUNKS
    assert response.http_response.is_closed
    assert target.stat().st_size == len(CHUNK) * CHUNKS
    async with rt.with_streaming_response(apets.get)(id=4) as streamed:
        assert await streamed.parse() == Pet(id=4, name="Rex")


def test_a_streamed_response_offers_what_openai_s_does(recorder: Recorder) -> None:
    """A helper's review against openai-python: a `with_streaming_response` result had bytes
    only; its lines, text, JSON, request id and the exchange were reachable only through
    `.http_response`."""
    body = b'{"id": 1, "name": "n"}\nsecond line\n'
    recorder.queue = [
        httpx.Response(200, content=body, headers={"x-request-id": "req_7"}),
        httpx.Response(200, json={"id": 2, "name": "m"}),
        httpx.Response(200, json={"id": 3, "name": "o"}),
    ]
    op = rt.Operation[Pet](method="get", path="/pets", responses={"200": rt.Response(Pet, "json")})
    client = make_client(recorder)
    with rt.with_streaming_response(client.request)(op, {}) as streamed:
        assert (streamed.request_id, streamed.method, streamed.url.path) == (
            "req_7",
            "GET",
            "/v1/pets",
        )
        assert streamed.http_request is streamed.http_response.request
        assert streamed.retries_taken == 0
        assert list(streamed.iter_lines()) == ['{"id": 1, "name": "n"}', "second line"]
    assert streamed.is_closed
    with rt.with_streaming_response(client.request)(op, {}) as streamed:
        assert streamed.json() == {"id": 2, "name": "m"}
        assert (
            streamed.text() == '{"id":2,"name":"m"}' and streamed.read() == streamed.text().encode()
        )
        assert streamed.parse() == Pet(id=2, name="m")  # the body read once serves all
    with rt.with_streaming_response(client.request)(op, {}) as streamed:
        assert "".join(streamed.iter_text(4)) == '{"id":3,"name":"o"}'


async def test_an_async_streamed_response_reads_lines_text_and_json() -> None:
    answers = iter([b"a\nb\r\nc", b'{"id": 5, "name": "p"}'])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=next(answers), headers={"request-id": "req_a"})

    op = rt.Operation[Pet](method="get", path="/pets", responses={"200": rt.Response(Pet, "json")})
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = rt.AsyncAPIClient(base_url="https://api.test/v1", http_client=http)
    async with rt.with_streaming_response(client.request)(op, {}) as streamed:
        assert streamed.request_id == "req_a"
        assert [line async for line in streamed.aiter_lines()] == ["a", "b", "c"]
    async with rt.with_streaming_response(client.request)(op, {}) as streamed:
        assert "".join([t async for t in streamed.aiter_text()]) == '{"id": 5, "name": "p"}'
        assert await streamed.json() == {"id": 5, "name": "p"} == json.loads(await streamed.text())
        assert await streamed.read() == b'{"id": 5, "name": "p"}'
    await client.close()


def test_a_streamed_body_that_breaks_raises_the_api_error(recorder: Recorder) -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"partial"
            raise httpx.ReadError("connection reset")

    recorder.queue = [httpx.Response(200, stream=Broken()), httpx.Response(200, stream=Broken())]
    op = rt.Operation[Pet](method="get", path="/pets", responses={"200": rt.Response(Pet, "json")})
    client = make_client(recorder)
    lost = pytest.raises(rt.APIConnectionError, match="Connection lost while reading")
    with rt.with_streaming_response(client.request)(op, {}) as streamed, lost:
        streamed.read()
    lost = pytest.raises(rt.APIConnectionError, match="Connection lost while reading")
    with rt.with_streaming_response(client.request)(op, {}) as streamed, lost:
        list(streamed.iter_lines())


# --- server-sent events -------------------------------------------------------------------------


def test_sse_sync(pets: Pets) -> None:
    with pets.events() as stream:
        assert isinstance(stream, rt.Stream)
        assert list(stream) == [Pet(id=1, name="a"), Pet(id=2, name="b"), Pet(id=3, name="c")]
    assert stream.response.is_closed


async def test_sse_async(apets: AsyncPets) -> None:
    stream = await apets.events()
    assert isinstance(stream, rt.AsyncStream)
    assert [pet.id async for pet in stream] == [1, 2, 3]
    assert stream.response.is_closed


def test_sse_raw_events_and_str(pets: Pets) -> None:
    client = pets._client
    events = list(client.stream(events_op(rt.ServerSentEvent), {}))
    assert [(e.event, e.id, e.retry) for e in events] == [
        ("created", "1", None),
        ("message", "1", None),  # the last event id carries over
        ("message", "1", 1500),
        ("message", "1", None),
    ]
    assert events[1].json() == {"id": 2, "name": "b"}
    assert list(client.stream(events_op(str), {}))[-1] == "[DONE]"  # str: data as is


def test_sse_error_raises_before_iterating(base_url: str) -> None:
    op = rt.Operation[Pet](
        method="get",
        path="/nope",
        responses={"200": rt.Response(Pet, "sse"), "default": rt.Response(Error, "json")},
    )
    with rt.SyncAPIClient(base_url=base_url) as client, pytest.raises(rt.NotFoundError):
        client.stream(op, {})
    with pytest.raises(TypeError, match="does not respond with a stream"):
        rt.SyncAPIClient(base_url=base_url).stream(GET_PET, {"id": 1})


def test_sse_early_close(pets: Pets) -> None:
    with pets.events() as stream:
        assert next(iter(stream)) == Pet(id=1, name="a")
    assert stream.response.is_closed


def test_sse_with_raw_and_streaming_response(pets: Pets) -> None:
    raw = rt.with_raw_response(pets.events)()
    assert raw.headers["content-type"] == "text/event-stream"
    assert [p.id for p in raw.parse()] == [1, 2, 3]
    with rt.with_streaming_response(pets.events)() as response:
        assert [p.id for p in response.parse()] == [1, 2, 3]


def test_sse_decoder_edge_cases() -> None:
    decoder = SSEDecoder()
    lines = ["data", "data:x", "", "id: 7", "event: e", "", "data: tail-without-blank-line"]
    events = list(decoder.decode(lines))
    assert [(e.data, e.event, e.id) for e in events] == [("\nx", "message", None)]
    assert SSEDecoder().feed("retry: soon") is None
    decoder = SSEDecoder()
    assert list(decoder.decode(["id: 1", "data: a", "", "id", "data: b", ""]))[1].id == ""


def test_sse_with_mock_transport(recorder: Recorder) -> None:
    body = b'data: {"id": 5, "name": "m"}\n\n'
    recorder.queue = [
        httpx.Response(200, content=body, headers={"Content-Type": "text/event-stream"})
    ]
    assert list(make_client(recorder).stream(PET_EVENTS, {})) == [Pet(id=5, name="m")]
    assert recorder.last.headers["accept"] == "text/event-stream"


class _Tracked(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that records whether it was closed (released to the pool)."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Any:
        yield b"data"

    async def __aiter__(self) -> Any:
        yield b"data"

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def test_a_hook_that_raises_on_a_stream_releases_it() -> None:
    """A helper's review: an `after_response` hook reading `response.text` raises httpx's
    `ResponseNotRead` on a streamed download or event stream; the open response was never
    closed, and with `max_connections=1` the next call waited out the pool timeout."""
    bodies: list[_Tracked] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(_Tracked())
        return httpx.Response(200, stream=bodies[-1])

    def reads(response: httpx.Response) -> None:
        response.text  # noqa: B018  (what a logging hook does)

    client = make_client(answer, hooks=rt.Hooks(after_response=[reads]))
    download = rt.with_streaming_response(Pets(client).download)
    with pytest.raises(httpx.ResponseNotRead), download(name="big.bin"):
        pass
    assert [b.closed for b in bodies] == [True]

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        aclient = rt.AsyncAPIClient(
            base_url="https://api.test/v1", http_client=http, hooks=rt.Hooks(after_response=[reads])
        )
        with pytest.raises(httpx.ResponseNotRead):
            async with rt.with_streaming_response(AsyncPets(aclient).download)(name="b"):
                pass

    asyncio.run(run())
    assert [b.closed for b in bodies] == [True, True]
