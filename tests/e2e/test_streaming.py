"""Event streams, text, binary and raw responses through a generated client, sync and async."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "events.yaml"
SSE = (
    b'event: tick\ndata: {"seq": 1, "note": null}\n\n'
    b": keep-alive comment\n\n"
    b'data: {"seq": 2, "note": "two"}\nid: 2\n\n'
)
LINES = b'{"seq": 1, "note": null}\n{"seq": 2, "note": "two"}\n'
SEQ = b'\x1e{"seq": 1,\n "note": null}\n\x1e{"seq": 2, "note": "two"}\n'
CSV = b"a,b\n1,2\n"
ZIP = bytes(range(256)) * 64


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        body, ctype = {
            "/api/events": (SSE, "text/event-stream"),
            "/api/raw": (SSE, "text/event-stream"),
            "/api/lines": (LINES, "application/x-ndjson"),
            "/api/export": (SEQ, "application/json-seq"),
            "/api/report": (CSV, "text/csv"),
            "/api/archive": (ZIP, "application/zip"),
        }[path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", "req-42")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("events") / "events"
    build_into(SPEC, out)
    with on_path(out, "events") as pkg:
        yield pkg


def test_typed_event_stream_sync(events: ModuleType, server: str) -> None:
    from events.models import Tick

    with events.Client(base_url=server) as client:
        ticks = list(client.events.stream_events(topic="t"))
    assert all(isinstance(t, Tick) for t in ticks)
    assert [(t.seq, t.note) for t in ticks] == [(1, None), (2, "two")]


async def test_typed_event_stream_async(events: ModuleType, server: str) -> None:
    async with events.AsyncClient(base_url=server) as client:
        stream = await client.events.stream_events(topic="t")
        seqs = [t.seq async for t in stream]
    assert seqs == [1, 2]


def test_json_lines_and_json_seq_sync(events: ModuleType, server: str) -> None:
    from events.models import Tick

    with events.Client(base_url=server) as client:
        for records in (client.events.tick_lines(), client.events.export_ticks()):
            ticks = list(records)
            assert all(isinstance(t, Tick) for t in ticks)
            assert [(t.seq, t.note) for t in ticks] == [(1, None), (2, "two")]
        with events.with_streaming_response(client.events.tick_lines)() as response:
            assert [t.seq for t in response.parse()] == [1, 2]


async def test_json_lines_and_json_seq_async(events: ModuleType, server: str) -> None:
    async with events.AsyncClient(base_url=server) as client:
        for method in (client.events.tick_lines, client.events.export_ticks):
            assert [t.seq async for t in await method()] == [1, 2]


def test_untyped_events_text_and_binary(events: ModuleType, server: str) -> None:
    with events.Client(base_url=server) as client:
        raw = list(client.events.raw_events())
        assert raw[0].event == "tick"
        assert raw[1].id == "2"
        assert client.reports.get() == CSV.decode()
        assert client.reports.get_archive() == ZIP


def test_raw_response_access(events: ModuleType, server: str) -> None:
    with events.Client(base_url=server) as client:
        response = events.with_raw_response(client.reports.get)()
        assert response.status_code == 200
        assert response.headers["x-request-id"] == "req-42"
        assert response.parse() == CSV.decode()


def test_streaming_download_to_file(events: ModuleType, server: str, tmp_path: Path) -> None:
    target = tmp_path / "archive.zip"
    with (
        events.Client(base_url=server) as client,
        events.with_streaming_response(client.reports.get_archive)() as response,
    ):
        response.write_to(target)
    assert target.read_bytes() == ZIP
