"""JSON lines responses (`application/x-ndjson`, `application/jsonl`, `application/json-seq`...):
each record parsed into the declared type as it arrives, sync and async, on MockTransport."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import apigen_runtime as rt
from apigen_runtime import _sse

from .test_streams_bodies import Chunks, Server, async_client, bytewise, sync_client


class Event(BaseModel):
    id: int
    type: str


LINES: rt.Operation[Any] = rt.Operation(
    method="get", path="/events", responses={"200": rt.Response(Event, "jsonl")}
)
UNTYPED: rt.Operation[Any] = rt.Operation(
    method="get", path="/events", responses={"200": rt.Response(Any, "jsonl")}
)
STRINGS: rt.Operation[Any] = rt.Operation(
    method="get", path="/events", responses={"200": rt.Response(str, "jsonl")}
)


def lines(chunks: list[bytes], media: str = "application/x-ndjson", drop: bool = False) -> Any:
    headers = {"content-type": media}
    return lambda request: httpx.Response(200, headers=headers, stream=Chunks(chunks, drop))


# CRLF, blank lines, a BOM, and a last record without its newline
BODY = '\ufeff{"id": 1, "type": "a"}\r\n\n{"id": 2, "type": "b\\nc"}\n  \n{"id": 3, "type": "é"}'
# RFC 7464: each record opened by RS, one of them spread over several lines
SEQ = '\x1e{"id": 1,\n "type": "a"}\n\x1e{"id": 2, "type": "b"}\n'


def test_each_line_is_a_record_cut_anywhere_sync() -> None:
    server = Server(lines(bytewise(BODY)))
    client, _ = sync_client(server)
    stream = client.stream(LINES, {})
    assert isinstance(stream, rt.Stream)
    assert list(stream) == [Event(id=1, type="a"), Event(id=2, type="b\nc"), Event(id=3, type="é")]
    assert stream.response.is_closed
    accept = server.requests[0].headers["accept"]
    assert "application/x-ndjson" in accept and "text/event-stream" not in accept


async def test_each_line_is_a_record_cut_anywhere_async() -> None:
    client, _ = async_client(Server(lines(bytewise(BODY), "application/jsonl")))
    stream = await client.stream(LINES, {})
    assert isinstance(stream, rt.AsyncStream)
    assert [e.id async for e in stream] == [1, 2, 3]


def test_json_seq_records_may_span_lines_sync() -> None:
    client, _ = sync_client(Server(lines([SEQ.encode()], "application/json-seq")))
    assert list(client.stream(LINES, {})) == [Event(id=1, type="a"), Event(id=2, type="b")]


async def test_json_seq_records_may_span_lines_async() -> None:
    client, _ = async_client(Server(lines(bytewise(SEQ), "application/json-seq")))
    assert [e.type async for e in await client.stream(LINES, {})] == ["a", "b"]


def test_records_are_json_whatever_the_declared_type_sync() -> None:
    """A `str` record is a JSON string (not the line's text), `[DONE]`-like lines are not
    markers, and an untyped stream yields the decoded values."""
    body = b'"x"\n"[DONE]"\n'
    client, _ = sync_client(Server(lines([body])))
    assert list(client.stream(STRINGS, {})) == ["x", "[DONE]"]
    client, _ = sync_client(Server(lines([b'{"a": [1]}\n2\nnull\n'])))
    assert list(client.stream(UNTYPED, {})) == [{"a": [1]}, 2, None]


def test_raw_records_are_events_with_their_text() -> None:
    records = _sse._RecordSplitter()
    assert records.feed(b'{"a": 1}\r\n{"b"') == ['{"a": 1}']
    assert records.feed(b": 2}\n\n") == ['{"b": 2}']
    assert records.flush() == []
    client, _ = sync_client(Server(lines([b'{"id": 1, "type": "a"}\n'])))
    events = list(client.stream(LINES, {}).events())
    assert events == [rt.ServerSentEvent(data='{"id": 1, "type": "a"}')]


def test_a_record_breaking_the_type_is_returned_unvalidated_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, _ = sync_client(Server(lines([b'{"id": "one", "type": "a"}\n'])))
    assert [dict(r) for r in client.stream(LINES, {})] == [{"id": "one", "type": "a"}]
    assert "returning it unvalidated" in caplog.text


def test_a_dropped_stream_raises_and_is_not_resumed_sync() -> None:
    """JSON lines carry no event id: `max_stream_reconnects` leaves them alone."""
    server = Server(lines([b'{"id": 1, "type": "a"}\n{"id": 2'], drop=True))
    client, sleeps = sync_client(server)
    client.max_stream_reconnects = 3
    received = []
    with pytest.raises(rt.APIConnectionError):
        for event in client.stream(LINES, {}):
            received.append(event.id)
    assert received == [1] and len(server.requests) == 1 and sleeps == []


async def test_a_dropped_stream_raises_and_is_not_resumed_async() -> None:
    server = Server(lines([b'{"id": 1, "type": "a"}\n'], drop=True))
    client, _ = async_client(server)
    client.max_stream_reconnects = 3
    with pytest.raises(rt.APIConnectionError):
        async for _ in await client.stream(LINES, {}):
            pass
    assert len(server.requests) == 1


def test_an_error_status_is_raised_before_any_record_sync() -> None:
    error = httpx.Response(404, json={"message": "no such stream"})
    client, _ = sync_client(Server(error))
    with pytest.raises(rt.NotFoundError):
        client.stream(LINES, {})


def test_a_caller_accept_header_wins_sync() -> None:
    server = Server(lines([b"1\n"]))
    client, _ = sync_client(server)
    list(client.stream(UNTYPED, {}, {"extra_headers": {"Accept": "application/jsonl"}}))
    assert server.requests[0].headers["accept"] == "application/jsonl"


def test_a_json_operation_is_no_stream() -> None:
    op: rt.Operation[Any] = rt.Operation(
        method="get", path="/x", responses={"200": rt.Response(Any, "json")}
    )
    client, _ = sync_client(Server(httpx.Response(200, json={})))
    with pytest.raises(TypeError, match="does not respond with a stream"):
        client.stream(op, {})


EVENTS: rt.Operation[Any] = rt.Operation(
    method="get", path="/events", responses={"200": rt.Response(Event, "sse")}
)


def test_a_json_document_where_events_were_asked_for_raises_sync() -> None:
    """A server that chose not to stream (it reads a flag, not `Accept`) answers one document:
    read as events it was a stream of nothing; now it says so, with the body."""
    document = httpx.Response(200, json={"id": 1, "type": "whole"})
    client, _ = sync_client(Server(document))
    stream = client.stream(EVENTS, {})
    with pytest.raises(rt.APIResponseValidationError, match="Expected an event stream") as info:
        list(stream)
    assert info.value.body == {"id": 1, "type": "whole"}
    assert stream.response.is_closed


async def test_a_json_document_where_events_were_asked_for_raises_async() -> None:
    client, _ = async_client(Server(httpx.Response(200, json=[1])))
    with pytest.raises(rt.APIResponseValidationError, match="application/json"):
        async for _ in await client.stream(EVENTS, {}):
            pass


def test_bytes_of_another_kind_raise_unread_and_text_is_read_as_events() -> None:
    """OpenAI's `createSpeech` answers audio unless `stream_format: sse`: not read as events
    (nor into memory); a `text/plain` body is read as events, as lenient servers send them."""
    audio = httpx.Response(200, headers={"content-type": "audio/mpeg"}, stream=Chunks([b"ID3"]))
    client, _ = sync_client(Server(lambda request: audio))
    stream = client.stream(EVENTS, {})
    with pytest.raises(rt.APIResponseValidationError, match="audio/mpeg") as info:
        next(stream)
    assert info.value.body is None and stream.response.is_closed
    plain = httpx.Response(
        200, headers={"content-type": "text/plain"}, content=b'data: {"id": 1, "type": "a"}\n\n'
    )
    client, _ = sync_client(Server(plain))
    assert [e.id for e in client.stream(EVENTS, {})] == [1]


def test_a_json_seq_record_is_given_when_its_line_feed_ends_it() -> None:
    """Helper 212: a json-seq record came out only when the next record's RS arrived, so a
    live stream held each record back a whole record (1.5 s against NDJSON's 0.2 s). RFC
    7464 ends each record with a LF: a record whose LF closes a whole JSON text is given at
    once; a LF inside a record spanning lines closes none."""
    from apigen_runtime._sse import _RecordSplitter

    splitter = _RecordSplitter()
    assert splitter.feed(b'\x1e{"id": 1}\n') == ['{"id": 1}']
    assert splitter.feed(b'\x1e{"id": 2,\n') == []  # a record spanning lines: not yet
    assert splitter.feed(b' "t": "x"}\n') == ['{"id": 2,\n "t": "x"}']
    assert splitter.feed(b'\x1e[1,\n2]\n\x1e{"id"') == ["[1,\n2]"]
    assert splitter.feed(b": 3}\n") == ['{"id": 3}']
    assert splitter.flush() == []


class Failure(BaseModel):
    message: str = "none"


def test_a_stream_under_a_success_the_spec_does_not_list_is_read_as_its_stream() -> None:
    """Helper 212: a 201 stream where the spec says 200 was read with `default`'s error model
    (every record a `Failure`), as JSON answers were before `_undeclared`."""
    op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/events",
        responses={"200": rt.Response(Event, "jsonl"), "default": rt.Response(Failure, "json")},
    )
    body = b'{"id": 1, "type": "a"}\n'
    headers = {"content-type": "application/x-ndjson"}
    client, _ = sync_client(Server(lambda r: httpx.Response(201, headers=headers, content=body)))
    assert list(client.stream(op, {})) == [Event(id=1, type="a")]


def test_json_seq_early_records_follow_strings_and_escapes_across_chunks() -> None:
    """The bracket scan behind early json-seq records: brackets, quotes and backslashes inside
    strings, cut at every byte, still give each record at its own LF."""
    from apigen_runtime._sse import _RecordSplitter

    record = '{"a": "}]\\\\\\"{[", "b": [1, {"c": "\\\\"}]}'
    assert json.loads(record)["a"] == '}]\\"{['
    data = ("\x1e" + record + "\n").encode()
    splitter = _RecordSplitter()
    out: list[str] = []
    for i in range(len(data)):
        out += splitter.feed(data[i : i + 1])
        assert out == ([] if i < len(data) - 1 else [record])


def test_a_pretty_printed_json_seq_record_is_parsed_early_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A review of the first version: it parsed the open record at every chunk ending in a LF,
    so a pretty-printed record sent a line per chunk was quadratic (88 s for 0.43 MB)."""
    from apigen_runtime import _sse as sse_module

    calls: list[int] = []
    real = sse_module._parses

    def counting(text: str) -> bool:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(sse_module, "_parses", counting)
    value = {"items": [{"id": i, "tags": ["a", "b"]} for i in range(2000)]}
    lines = json.dumps(value, indent=2).encode().split(b"\n")
    splitter = sse_module._RecordSplitter()
    out = splitter.feed(b"\x1e")
    for line in lines:
        out += splitter.feed(line + b"\n")
    assert [json.loads(t) for t in out] == [value] and len(calls) == 1
