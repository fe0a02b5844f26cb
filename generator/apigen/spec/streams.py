"""Response media types whose body is a stream of records, read alike by the IR, the sandbox
and the contract check.

- `text/event-stream`: server-sent events; the schema describes each event's `data`.
- JSON Lines under its many names (`application/x-ndjson`, `application/jsonl`,
  `application/stream+json`...) and `application/json-seq` (RFC 7464, records opened by RS):
  one JSON value per record; `itemSchema` (OpenAPI 3.2's keyword, met in 3.1 documents), else
  `schema`, describes each record. A real server sends them as it goes (Ollama's generate,
  Docker's events, a bulk export), so reading the whole body as one JSON value fails on the
  second record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = [
    "JSON_LINES",
    "RS",
    "events_are_text",
    "frame_events",
    "frame_json_lines",
    "is_event_stream",
    "is_json_lines",
    "json_records",
    "record_schema",
    "sse_data",
]

JSON_LINES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonl",
        "application/jsonlines",
        "application/x-jsonlines",
        "application/json-lines",
        "application/json-seq",
        "application/stream+json",
        "application/x-json-stream",
    }
)
RS = "\x1e"  # the record separator opening each `application/json-seq` record


def _base(media: str) -> str:
    return media.split(";")[0].strip().lower()


def is_event_stream(media: str) -> bool:
    return _base(media) == "text/event-stream"


def is_json_lines(media: str) -> bool:
    return _base(media) in JSON_LINES


def events_are_text(schema: Any, resolved: Any) -> bool:
    """Whether an event stream's `data` is text rather than JSON: no `schema`, or one that
    (`resolved`, its `$ref` followed) is a string. The IR types such events raw, the sandbox
    sends the text as it is, the contract check reads it so."""
    return schema is None or (isinstance(resolved, Mapping) and resolved.get("type") == "string")


def record_schema(media_object: Any) -> Any:
    """The schema of one record of a JSON Lines media type object (`itemSchema` first)."""
    if not isinstance(media_object, Mapping):
        return None
    item = media_object.get("itemSchema")
    return item if item is not None else media_object.get("schema")


def json_records(body: bytes) -> list[str]:
    """The records of a JSON Lines body, as text: one per line, or one per RS when the body
    opens with one (`json-seq`); blank ones skipped."""
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    separator = RS if text.lstrip(" \t\r\n").startswith(RS) else "\n"
    return [r for r in (part.strip(" \t\r\n") for part in text.split(separator)) if r]


def sse_data(body: bytes) -> list[str]:
    """The `data` of each event of a `text/event-stream` body (the SSE parsing rules: lines end
    at CR, LF or CRLF; `data:` lines joined by LF; a blank line dispatches; comments and other
    fields skipped; an event without data is none; the stream's end dispatches nothing, so
    an event without its blank line, or a last line without its end, is none either).
    `[DONE]` markers are kept. (The body's final line end was read as a blank line: `data: a\n`
    gave `a`, which the runtime rightly drops, and the contract filed the client: helper 212.)"""
    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    found: list[str] = []
    data: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:-1]:
        if not line:
            if data:
                found.append("\n".join(data))
            data = []
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value.removeprefix(" "))
    return found


def frame_json_lines(values: list[Any], media: str) -> bytes:
    """`values` as a JSON Lines body in `media` (RS-opened records for `json-seq`)."""
    opener = RS if _base(media) == "application/json-seq" else ""
    return "".join(f"{opener}{json.dumps(v, ensure_ascii=False)}\n" for v in values).encode()


def frame_events(data: list[str]) -> bytes:
    """Each text as one server-sent event (a line break inside becomes another `data:` line)."""
    events = []
    for item in data:
        lines = item.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        events.append("".join(f"data: {line}\n" for line in lines) + "\n")
    return "".join(events).encode()
