"""An event stream offered beside octets, with no `stream` flag to choose between them, is read
as octets: they hold the stream's text too. OpenAI's `POST /audio/speech` answers audio unless
`stream_format: sse`; typed a stream, its default answer failed with "Expected an event stream
... got audio/mpeg" (helper 221); openai-python returns binary. Beside JSON, or alone, an event
stream is still the typed stream."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.builds import build_yaml, on_path

SPEC = """
openapi: 3.0.3
info: {title: Speech, version: "1"}
servers: [{url: "https://s.example.com"}]
paths:
  /speech:
    post:
      operationId: createSpeech
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {stream_format: {type: string, enum: [sse, audio]}}}
      responses:
        "200":
          description: ok
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
            text/event-stream: {schema: {type: string}}
  /events:
    get:
      operationId: listEvents
      responses:
        "200":
          description: ok
          content:
            text/event-stream: {schema: {type: string}}
            text/plain: {schema: {type: string}}
  /lines:
    get:
      operationId: listLines
      responses:
        "200":
          description: ok
          content:
            application/x-ndjson: {schema: {type: object}}
            application/octet-stream: {schema: {type: string, format: binary}}
"""

SSE = b"data: one\n\ndata: two\n\n"


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_yaml(tmp_path_factory, "speech", SPEC)


ACCEPTED: list[str | None] = []


def _answer(request: httpx.Request) -> httpx.Response:
    ACCEPTED.append(request.headers.get("accept"))
    if request.url.path == "/lines":
        return httpx.Response(
            200, content=b'{"a": 1}\n{"a": 2}\n', headers={"content-type": "application/x-ndjson"}
        )
    if request.url.path == "/events" or b'"sse"' in request.content:
        return httpx.Response(200, content=SSE, headers={"content-type": "text/event-stream"})
    return httpx.Response(200, content=b"ID3\x00audio", headers={"content-type": "audio/mpeg"})


def test_the_default_answer_is_octets_and_a_stream_its_text(speech: Path) -> None:
    with on_path(speech, "speech") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(_answer)))
        ACCEPTED.clear()
        assert client.speech.create() == b"ID3\x00audio"
        assert client.speech.create(stream_format="sse") == SSE
        # asked for as the octets (a server choosing by `Accept` sends them, not a stream)
        assert ACCEPTED == ["application/octet-stream"] * 2
        # beside text, or JSON lines beside octets: the stream, as before (a review)
        events = client.events.list()
        assert [event.data for event in events] == ["one", "two"]
        assert [line for line in client.lines.list()] == [{"a": 1}, {"a": 2}]


async def test_async_alike(speech: Path) -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        return _answer(request)

    with on_path(speech, "speech") as pkg:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        client = pkg.AsyncClient(http_client=http)
        assert await client.speech.create() == b"ID3\x00audio"
