"""A response of JSON lines (`application/x-ndjson`, `jsonl`, `stream+json`, `json-seq`) is a
stream of records, not one JSON document nor bytes.

Before, `application/x-ndjson` made the method return `bytes` (the caller split and parsed the
lines), and `application/stream+json` (Vercel's deployment events) was parsed as one JSON value,
which fails at a real server's second record. Now the method returns `Stream[Record]`, the
sandbox answers one to three records framed as the media type says, and the event stream it
serves is framed as events (it sent one JSON text before, which a client reads as no event).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigen.ir.nodes import OperationDef
from apigen.sandbox import Sandbox
from apigen.spec.streams import json_records, sse_data
from tests.builds import api_of

TICK = {
    "type": "object",
    "required": ["seq"],
    "properties": {"seq": {"type": "integer"}, "note": {"type": "string"}},
}


def _doc(content: dict[str, Any], version: str = "3.1.0") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/ticks": {
                "get": {
                    "operationId": "ticks",
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            }
        },
        "components": {"schemas": {"Tick": TICK, "Word": {"type": "string", "enum": ["a"]}}},
    }


def _operation(content: dict[str, Any]) -> OperationDef:
    (op,) = api_of(_doc(content)).operations
    return op


REF = {"$ref": "#/components/schemas/Tick"}


@pytest.mark.parametrize(
    "media",
    [
        "application/x-ndjson",
        "application/jsonl",
        "application/json-seq",
        "application/stream+json",
        "Application/X-NDJSON; charset=utf-8",
    ],
)
def test_json_lines_are_a_stream_of_the_record_type(media: str) -> None:
    (response,) = _operation({media: {"schema": REF}}).responses
    assert response.kind == "jsonl"
    assert getattr(response.type, "key", None) == REF["$ref"]


def test_item_schema_describes_the_record() -> None:
    (response,) = _operation({"application/jsonl": {"itemSchema": REF}}).responses
    assert response.kind == "jsonl" and getattr(response.type, "key", None) == REF["$ref"]


def test_plain_json_beside_json_lines_is_the_default_representation() -> None:
    """Vercel's events and Kubernetes' watch lists offer `application/json` too: JSON wins."""
    content = {"application/stream+json": {"schema": REF}, "application/json": {"schema": REF}}
    (response,) = _operation(content).responses
    assert response.kind == "json"


def test_an_event_stream_of_a_string_schema_behind_a_ref_is_raw_events() -> None:
    (response,) = _operation(
        {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Word"}}}
    ).responses
    assert response.kind == "sse" and getattr(response.type, "name", None) == "ServerSentEvent"


@pytest.mark.parametrize("media", ["application/x-ndjson", "application/json-seq"])
def test_the_sandbox_frames_json_lines(media: str) -> None:
    sandbox = Sandbox(_doc({media: {"schema": REF}}), seed=3)
    for n in range(6):
        reply = sandbox.handle("GET", "/ticks", {"Accept": "*/*", "X-N": str(n)}, b"")
        assert reply.status == 200
        assert reply.headers["Content-Type"] == media
        assert reply.body.startswith(b"\x1e") == (media == "application/json-seq")
        records = [json.loads(r) for r in json_records(reply.body)]
        assert 1 <= len(records) <= 3
        assert all(isinstance(r, dict) and isinstance(r["seq"], int) for r in records)


def test_the_sandbox_frames_an_event_stream() -> None:
    sandbox = Sandbox(_doc({"text/event-stream": {"schema": REF}}), seed=1)
    reply = sandbox.handle("GET", "/ticks", {"Accept": "text/event-stream"}, b"")
    data = sse_data(reply.body)
    assert data and all(isinstance(json.loads(d)["seq"], int) for d in data)
    text = Sandbox(_doc({"text/event-stream": {"schema": {"type": "string"}}}), seed=1)
    reply = text.handle("GET", "/ticks", {"Accept": "text/event-stream"}, b"")
    assert reply.body.startswith(b"data: ") and sse_data(reply.body)


def test_sse_data_dispatches_only_at_blank_lines() -> None:
    """The contract's reading of an event stream, as WHATWG's and the runtime's: the body's
    final line end is no blank line (helper 212: `data: a\\n` gave `a`, which the runtime drops
    as never dispatched, and the contract filed the client)."""
    assert sse_data(b"data: a\n") == []
    assert sse_data(b"data: a\n\ndata: b") == ["a"]
    assert sse_data(b"data: a\r\n\r\ndata: b\n\n") == ["a", "b"]
    assert sse_data(b"data: a\ndata: b\n\n: note\n\n") == ["a\nb"]
    assert sse_data(b"data:\n\n") == [""]  # dispatched, empty (a keep-alive to JSON readers)
