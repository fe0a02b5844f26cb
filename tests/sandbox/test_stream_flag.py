"""The sandbox answers a `stream` flag as the real API does: `stream: true` picks the event
stream (or JSON lines) whatever `Accept` says, `false` the document. Answering by `Accept` alone,
it could not tell a client that sends `stream: true` but expects a document (a broken switch)
from a correct one."""

from __future__ import annotations

import json

import yaml

from apigen.sandbox import Sandbox
from apigen.spec.streams import json_records, sse_data
from tests.conftest import FIXTURES

DOC = yaml.safe_load((FIXTURES / "completions.yaml").read_text())
JSON = {"Content-Type": "application/json"}
BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def _post(path: str, body: dict[str, object], accept: str) -> tuple[str, bytes]:
    reply = Sandbox(DOC, seed=2).handle(
        "POST", path, {**JSON, "Accept": accept}, json.dumps(body).encode()
    )
    assert reply.status == 200, reply.body
    return reply.headers["Content-Type"], reply.body


def test_the_body_flag_wins_over_accept() -> None:
    media, body = _post("/v1/chat/completions", {**BODY, "stream": True}, "application/json")
    assert media == "text/event-stream" and sse_data(body)
    media, body = _post("/v1/chat/completions", {**BODY, "stream": False}, "text/event-stream")
    assert media == "application/json" and "choices" in json.loads(body)


def test_a_query_flag_and_json_lines() -> None:
    media, body = _post("/v1/generate?stream=true", {"prompt": "x"}, "application/json")
    assert media == "application/x-ndjson" and json_records(body)
    media, _ = _post("/v1/generate?stream=false", {"prompt": "x"}, "application/x-ndjson")
    assert media == "application/json"


def test_without_a_flag_accept_decides() -> None:
    media, _ = _post("/v1/chat/completions", BODY, "text/event-stream")
    assert media == "text/event-stream"
    media, _ = _post("/v1/chat/completions", BODY, "application/json")
    assert media == "application/json"
