"""Streamed responses are read to the end and checked record by record.

Before, the run closed a stream the method returned without iterating it, and the sandbox
answered an event stream with one JSON text (no `data:` line: a client reads no event): no
record was ever parsed or checked. Now the sandbox frames events and JSON lines, the run drains
every stream (sync and async), checks each record against the record schema itself (schemathesis
skips these media types, and fails `stream+json` at its second line), and counts what the
client yielded.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.contract import ContractConfig, RunReport, run_contract
from apigen.contract.runner import _StreamCut
from apigen.contract.sandbox import start_sandbox
from apigen_runtime import _sse
from tests.builds import build_into
from tests.servers import serving

TICK = {
    "type": "object",
    "required": ["seq"],
    "properties": {"seq": {"type": "integer", "minimum": 0}, "note": {"type": "string"}},
}
REF = {"$ref": "#/components/schemas/Tick"}


def _get(operation_id: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "responses": {"200": {"description": "ok", "content": content}},
        }
    }


DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "http://localhost"}],
    "paths": {
        "/events": _get("events", {"text/event-stream": {"schema": REF}}),
        "/words": _get("words", {"text/event-stream": {"schema": {"type": "string"}}}),
        "/lines": _get("lines", {"application/x-ndjson": {"schema": REF}}),
        "/seq": _get("seq", {"application/json-seq": {"itemSchema": REF}}),
        "/flow": _get("flow", {"application/stream+json": {"schema": REF}}),
    },
    "components": {"schemas": {"Tick": TICK}},
}


def _build(tmp_path: Path, name: str, runtime: Any = "vendored") -> tuple[Path, Path]:
    spec = tmp_path / "streams.json"
    spec.write_text(json.dumps(DOC))
    out = tmp_path / name
    build_into(spec, out, name=name, runtime=runtime)
    return spec, out


def _answered(spec: Path, out: Path, bodies: dict[str, tuple[bytes, str]]) -> RunReport:
    """The contract run against our sandbox answering each `GET path` with a canned body."""
    sandbox = start_sandbox(DOC)
    try:
        for path, (body, media) in bodies.items():
            sandbox.set_response("GET", path, 200, body, {"Content-Type": media})
        return run_contract(
            ContractConfig(out, spec=spec, max_examples=2, seed=0, base_url=sandbox.url)
        )
    finally:
        sandbox.stop()


def test_every_stream_is_read_and_its_records_conform(tmp_path: Path) -> None:
    spec, out = _build(tmp_path, "streams_ok")
    report = run_contract(ContractConfig(out, spec=spec, max_examples=3, seed=0))
    assert len(report.operations) == 5
    assert all(op.calls >= 2 for op in report.operations)  # sync and async
    assert not report.failures()


def test_a_record_breaking_the_schema_is_found_and_not_blamed_on_the_client(
    tmp_path: Path,
) -> None:
    spec, out = _build(tmp_path, "streams_bad")
    report = _answered(
        spec,
        out,
        {
            "/lines": (b'{"seq": 1}\n{"seq": "two"}\n', "application/x-ndjson"),
            "/events": (b'data: {"seq": 1}\n\ndata: {"seq": -1}\n\n', "text/event-stream"),
        },
    )
    found = [f for f in report.failures() if f.check == "response_schema_conformance"]
    assert {f.operation_id for f in found} == {"lines", "events"}
    assert all(f.message.startswith("record 2: ") for f in found)
    assert not report.new_failures("client")


def test_a_record_the_client_drops_is_the_client_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A runtime that loses the last record when it has no newline (JSON Lines allows that)."""
    spec, out = _build(tmp_path, "streams_drop", runtime="shared")
    monkeypatch.setattr(_sse._RecordSplitter, "flush", lambda self: [])
    report = _answered(spec, out, {"/lines": (b'{"seq": 1}\n{"seq": 2}', "application/x-ndjson")})
    dropped = [f for f in report.new_failures("client") if f.operation_id == "lines"]
    assert dropped and {f.check for f in dropped} == {"stream_records"}
    assert "yielded 1 records of the 2" in dropped[0].message


class _Endless(BaseHTTPRequestHandler):
    """A live feed: records every few milliseconds, each written in two pieces, until the
    client goes away (bounded: at most 2,000 records, about 10 s)."""

    def do_GET(self) -> None:
        lines = self.path.startswith("/lines")
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson" if lines else "text/event-stream")
        self.end_headers()
        end = b"}\n" if lines else b"}\r\n\r\n"
        try:
            for n in range(2000):
                self.wfile.write(b'{"seq": %d' % n if lines else b'data: {"seq": %d' % n)
                self.wfile.flush()
                time.sleep(0.002)
                self.wfile.write(end)
                self.wfile.flush()
                time.sleep(0.003)
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_stream_that_never_ends_is_cut_after_a_whole_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`apigen contract` against a live API whose feed stays open: the run reads it for a
    while, cuts it after its last whole record, and goes on."""
    doc = {**DOC, "paths": {k: v for k, v in DOC["paths"].items() if k in ("/events", "/lines")}}
    spec = tmp_path / "endless_feed.json"
    spec.write_text(json.dumps(doc))
    out = tmp_path / "endless_feed"
    build_into(spec, out, name="endless_feed")
    monkeypatch.setattr(_StreamCut, "MAX_SECONDS", 0.3)
    bodies: list[tuple[bool, bytes]] = []
    read = _StreamCut.response

    def spy(self: _StreamCut, streamed: httpx.Response) -> httpx.Response:
        response = read(self, streamed)
        bodies.append((self.cut, response.content))
        return response

    monkeypatch.setattr(_StreamCut, "response", spy)
    with serving(_Endless) as url:
        report = run_contract(ContractConfig(out, spec=spec, max_examples=1, seed=0, base_url=url))
    assert all(op.calls >= 2 for op in report.operations) and len(report.operations) == 2
    assert bodies and all(cut for cut, _ in bodies)  # every call's feed was cut...
    assert all(body.endswith((b"}\n", b"}\r\n\r\n")) for _, body in bodies)  # ...whole
    assert not report.failures()  # and the records read so far conform, all yielded
