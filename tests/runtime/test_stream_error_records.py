"""A stream's failure sent as a plain record, `data: {"error": {...}}` without `event: error`
(OpenAI's mid-stream errors) or a JSON line `{"error": "..."}` (Ollama): the record was parsed
into the declared chunk type, every field None, and the caller's `chunk.choices[0]` failed far
away (openai-python raises `APIError` there). Now it raises `APIStreamError`, unless the
declared record type has an `error` property of its own (then it is data)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, Field

import apigen_runtime as rt

from .test_json_lines import lines
from .test_streams_bodies import Server, async_client, sse, sync_client


class Chunk(BaseModel):
    id: str | None = None
    choices: list[str] | None = None


class Status(BaseModel):
    id: str | None = None
    failure: str | None = Field(default=None, alias="error")


class Other(BaseModel):
    id: int


def _op(type_: Any, kind: str = "sse") -> rt.Operation[Any]:
    return rt.Operation(method="post", path="/chat", responses={"200": rt.Response(type_, kind)})


FAILING = (
    b'data: {"id": "a", "choices": ["x"]}\n\n'
    b'data: {"error": {"message": "The server had an error", "type": "server_error"}}\n\n'
    b'data: {"id": "b"}\n\n'
)


def test_an_error_record_in_an_event_stream_raises_sync() -> None:
    client, _ = sync_client(Server(sse([FAILING])))
    stream = client.stream(_op(Chunk), {})
    assert next(stream) == Chunk(id="a", choices=["x"])
    with pytest.raises(rt.APIStreamError, match="The server had an error") as info:
        next(stream)
    assert info.value.body["error"]["type"] == "server_error"
    assert stream.response.is_closed


async def test_an_error_record_in_an_event_stream_raises_async() -> None:
    client, _ = async_client(Server(sse([FAILING])))
    stream = await client.stream(_op(Chunk | Other), {})
    seen: list[Any] = []
    with pytest.raises(rt.APIStreamError, match="The server had an error"):
        async for chunk in stream:
            seen.append(chunk)
    assert seen == [Chunk(id="a", choices=["x"])]


def test_a_declared_error_property_and_a_null_error_are_data() -> None:
    body = b'data: {"id": "a", "error": "disk full"}\n\ndata: {"error": null}\n\n'
    client, _ = sync_client(Server(sse([body])))
    assert list(client.stream(_op(Status | Other), {})) == [
        Status(id="a", error="disk full"),
        Status(error=None),
    ]
    client, _ = sync_client(Server(sse([b'data: {"id": "a", "error": null}\n\n'])))
    assert list(client.stream(_op(Chunk), {})) == [Chunk(id="a")]


def test_an_error_line_in_json_lines_raises() -> None:
    body = [b'{"id": "a"}\n{"error": "model not found"}\n{"id": "b"}\n']
    client, _ = sync_client(Server(lines(body)))
    stream = client.stream(_op(Chunk, "jsonl"), {})
    assert next(stream) == Chunk(id="a")
    with pytest.raises(rt.APIStreamError, match="model not found"):
        next(stream)


def test_a_text_stream_keeps_error_words_as_data() -> None:
    body = b'data: {"error": "as text"}\n\n'
    client, _ = sync_client(Server(sse([body])))
    assert list(client.stream(_op(str), {})) == ['{"error": "as text"}']
