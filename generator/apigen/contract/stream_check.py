"""A streamed response (server-sent events, JSON lines) checked record by record.

schemathesis checks a body as one JSON document: it skips `text/event-stream` and
`application/x-ndjson`, and fails `application/stream+json` at its second line. So the run
splits such a body into records itself (spec/streams.py, independent of the client's runtime),
checks each against the record schema (a nonconforming record is the server's), and counts the
records the client yielded: one it dropped, or could not parse though it conforms, is the
client's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ..spec.streams import (
    events_are_text,
    is_event_stream,
    is_json_lines,
    json_records,
    record_schema,
    sse_data,
)
from .spec import SpecView

__all__ = ["StreamBody", "stream_body"]

DONE = "[DONE]"  # the end marker many event streams send (the client stops there)


@dataclass(frozen=True)
class StreamBody:
    """The records of a streamed body: their text, the record schema, whether each record is
    JSON (JSON lines; events whose schema is not a string), and how many the client yields."""

    media: str
    records: list[str]
    schema: Mapping[str, Any] | None
    is_json: bool

    @property
    def expected(self) -> int:
        """Records the client yields: an event stream of JSON stops at `[DONE]`."""
        if self.is_json and not is_json_lines(self.media) and DONE in self.records:
            return self.records.index(DONE)
        return len(self.records)

    def problems(self, view: SpecView) -> list[str]:
        """Each record that is not JSON (where JSON is due) or breaks the record schema."""
        found: list[str] = []
        for n, text in enumerate(self.records[: self.expected], 1):
            value: Any = text
            if self.is_json:
                try:
                    value = json.loads(text)
                except ValueError as exc:
                    found.append(f"record {n} is not JSON ({exc}): {text[:120]!r}")
                    continue
            if self.schema is not None:
                found += [f"record {n}: {e}" for e in view.errors(self.schema, value)]
        return found


def stream_body(
    view: SpecView, path: str, method: str, response: httpx.Response
) -> StreamBody | None:
    """`response`'s records when the operation documents its media type as a stream of
    records (and the response is a 2xx); None otherwise."""
    if not 200 <= response.status_code < 300:
        return None
    found = view.response_media(
        path, method, response.status_code, response.headers.get("content-type", "")
    )
    if found is None:
        return None
    media, media_object = found
    if is_json_lines(media):
        schema = record_schema(media_object)
        schema = schema if isinstance(schema, Mapping) else None
        return StreamBody(media, json_records(response.content), schema, True)
    if is_event_stream(media):
        schema = media_object.get("schema")
        schema = schema if isinstance(schema, Mapping) else None
        resolved = view.deref(schema) if schema is not None else None
        text = events_are_text(schema, resolved)
        data = sse_data(response.content)
        # an event of empty data is a keep-alive the runtime skips when events are JSON
        return StreamBody(media, data if text else [d for d in data if d], schema, not text)
    return None
