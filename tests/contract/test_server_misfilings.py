"""A helper's Prism sweep (seeds 285-287): three kinds of 4xx answers filed as the server's
were the spec's. A fake server answers as Prism did:
- a `text/plain` body whose schema is an object (netatmo): the client sent the drawn object's
  JSON, Prism refused it as text; the spec defines no text of an object (`foreign_body`, filed
  before sending);
- a declared `Content-Length` header with `maximum: 20` (here.com's tracking shadows) beside a
  body whose `minLength` makes it longer: the method takes no argument for the length, so the
  spec's own bounds contradict each other (`drawn_invalid`);
- `/v1/{jobName}` beside `/v1/{name}` (storagetransfer), which OpenAPI forbids: Prism routed
  both to one (`path_twins`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from apigen.contract import ContractConfig, RunReport, run_contract
from tests.builds import build_into

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}


def _path(name: str) -> dict[str, Any]:
    return {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}


BAD = {"description": "bad", "content": {"application/json": {"schema": {"type": "object"}}}}
_ID_SCHEMA = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string", "maxLength": 4}},
}
_EXAMPLE_OK = {
    "description": "ok",
    "content": {
        "application/json": {
            "schema": _ID_SCHEMA,
            "examples": {"one": {"value": {"id": "5771b3d4-lds2"}}},
        }
    },
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "misfilings", "version": "1"},
    "paths": {
        "/schedule": {
            "post": {
                "operationId": "createSchedule",
                "requestBody": {
                    "required": True,
                    "content": {
                        "text/plain": {
                            "schema": {
                                "type": "object",
                                "properties": {"name": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {**OK, "422": BAD},
            }
        },
        "/upload": {
            "put": {
                "operationId": "upload",
                "requestBody": {"content": {"application/octet-stream": {"schema": {}}}},
                "responses": OK,
            }
        },
        "/notes": {
            "post": {
                "operationId": "note",
                "requestBody": {"content": {"text/plain": {"schema": {}}}},
                "responses": OK,
            }
        },
        "/shadow": {
            "put": {
                "operationId": "putShadow",
                "parameters": [
                    {
                        "in": "header",
                        "name": "content-length",
                        "required": True,
                        "schema": {"type": "number", "minimum": 0, "maximum": 20},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["payload"],
                                "properties": {"payload": {"type": "string", "minLength": 30}},
                            }
                        }
                    },
                },
                "responses": {**OK, "400": BAD},
            }
        },
        "/v1/{jobName}": {
            "get": {
                "operationId": "getJob",
                "parameters": [
                    {
                        "in": "path",
                        "name": "jobName",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {**OK, "400": BAD},
            }
        },
        "/v1/{name}": {
            "get": {
                "operationId": "getOperation",
                "parameters": [
                    {"in": "path", "name": "name", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {**OK, "400": BAD},
            }
        },
        # twins Prism refused with a status neither declares (helper 173: filed twice, as
        # `path_twins` and then as the server's undocumented status)
        "/v2/{a}": {"get": {"operationId": "getA", "parameters": [_path("a")], "responses": OK}},
        "/v2/{b}": {"get": {"operationId": "getB", "parameters": [_path("b")], "responses": OK}},
        # the spec's own example breaks its schema (here.com's error `id`): Prism serves it
        "/token": {"get": {"operationId": "getToken", "responses": {"200": _EXAMPLE_OK}}},
        "/token2": {"get": {"operationId": "getToken2", "responses": {"200": _EXAMPLE_OK}}},
        # a key holding a fragment and no twin (iot's): Prism routes it nowhere (404)
        "/principal/{name}#x-principal": {
            "get": {
                "operationId": "getPrincipal",
                "parameters": [_path("name")],
                "responses": {**OK, "default": BAD},
            }
        },
        # weatherbit's: a `?` key beside a required query the spec lets be empty
        "/alerts?lat={lat}": {
            "get": {
                "operationId": "getAlerts",
                "parameters": [
                    _path("lat"),
                    {"in": "query", "name": "key", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {**OK, "default": BAD},
            }
        },
    },
}


class Api(BaseHTTPRequestHandler):
    """Refuses what Prism refused: a text body that is JSON, a shadow past 20 bytes, and every
    `/v1/` request (routed to the other twin, whose query did not match)."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        status = 200
        if self.path.startswith("/v1/") or (self.path == "/shadow" and length > 20):
            status = 400
        elif self.path.startswith("/v2/"):
            status = 405
        elif self.path.startswith(("/principal/", "/alerts")):
            status = 404
        elif self.path == "/schedule" and body.startswith(b"{"):
            status = 422
        answer: Any = {} if status == 200 else {"error": "refused"}
        if self.path == "/token":
            answer = {"id": "5771b3d4-lds2"}  # the spec's example, as Prism sends it
        elif self.path == "/token2":
            answer = {"id": "not-the-example"}  # the server's own mistake
        data = json.dumps(answer).encode()
        self.send_response(status)
        problem = status == 404  # Prism's unrouted answer (helper 181: its media type was Prism's)
        self.send_header(
            "Content-Type", "application/problem+json" if problem else "application/json"
        )
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def report(url: str, tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    root = tmp_path_factory.mktemp("misfilings")
    spec = root / "misfilings.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, root / "out", name="misfilings")
    config = ContractConfig(
        root / "out", spec=spec, base_url=url, mock=True, max_examples=3, variants=("sync",)
    )
    return run_contract(config)


def _kinds(report: RunReport, operation_id: str) -> set[tuple[str, str]]:
    op = next(o for o in report.operations if o.operation_id == operation_id)
    return {(f.klass, f.check) for f in op.failures}


def test_an_object_drawn_for_a_text_body_is_the_spec_s(report: RunReport) -> None:
    assert _kinds(report, "createSchedule") == {("spec", "foreign_body")}


def test_a_body_whose_schema_admits_text_or_octets_is_still_sent(report: RunReport) -> None:
    """The regression sweep: `application/octet-stream` with `schema: {}` (vercel's uploads)
    lost every call to `foreign_body`; the client sends what it is given there."""
    for operation_id in ("upload", "note"):
        op = next(o for o in report.operations if o.operation_id == operation_id)
        assert op.calls > 0 and not op.failures, (operation_id, op.failures)


def test_a_body_past_its_declared_content_length_is_the_spec_s(report: RunReport) -> None:
    assert _kinds(report, "putShadow") == {("spec", "drawn_invalid")}


def test_twin_templated_paths_are_the_spec_s(report: RunReport) -> None:
    assert _kinds(report, "getJob") == _kinds(report, "getOperation") == {("spec", "path_twins")}
    # an undocumented status for it follows from the same fault (it was the server's)
    follows = ("spec", "status_code_conformance")
    assert _kinds(report, "getA") == _kinds(report, "getB") == {("spec", "path_twins"), follows}


def test_a_path_key_holding_a_fragment_is_the_spec_s(report: RunReport) -> None:
    # the answer routed to no operation: its media type is no operation's either
    follows = ("spec", "content_type_conformance")
    assert _kinds(report, "getPrincipal") == {("spec", "path_key"), follows}


def test_an_unrouted_answer_is_no_operation_s_beside_another_spec_fault(
    report: RunReport,
) -> None:
    """helper 196 (weatherbit, 134 filings): with an empty `key=` the request check found a
    spec problem, so the `?` key's unrouted 404 was not recognised and its body was filed as
    the server's; the same 404 alone was the spec's."""
    kinds = _kinds(report, "getAlerts")
    assert ("spec", "path_key") in kinds or ("spec", "empty_query_value") in kinds
    assert {k for k in kinds if k[0] != "spec"} == set(), kinds


def test_the_runner_still_files_a_plain_refusal_as_the_server_s(url: str, tmp_path: Path) -> None:
    document = json.loads(json.dumps(SPEC))
    del document["paths"]["/v1/{name}"]  # no twin: the refusal is the server's
    spec = tmp_path / "single.json"
    spec.write_text(json.dumps(document))
    build_into(spec, tmp_path / "out", name="single")
    config = ContractConfig(
        tmp_path / "out", spec=spec, base_url=url, mock=True, max_examples=3, variants=("sync",)
    )
    assert _kinds(run_contract(config), "getJob") == {("sandbox", "sandbox_rejected")}


def test_our_own_sandbox_refusing_twin_keys_is_still_its_fault(url: str, tmp_path: Path) -> None:
    """The review: the twin and `?`/`#` key rules read `self.sandbox is None` as "not ours",
    but a sandbox of ours reached through `sandbox_url` (the pytest plugin's) routes them
    right: its refusal of a valid request is its own failure."""
    spec = tmp_path / "ours.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "out", name="ours")
    config = ContractConfig(
        tmp_path / "out", spec=spec, sandbox_url=url, max_examples=3, variants=("sync",)
    )
    report = run_contract(config)
    assert ("sandbox", "sandbox_rejected") in _kinds(report, "getA")
    assert ("sandbox", "sandbox_rejected") in _kinds(report, "getPrincipal")
    assert not {k for k in _kinds(report, "getA") if k[1] in ("path_twins", "path_key")}


def test_a_body_that_is_the_spec_s_own_invalid_example_is_the_spec_s(report: RunReport) -> None:
    """helper 186: Prism answers with the response's example; where that example breaks the
    spec's own schema (here.com, amadeus) the runner filed it as the server's."""
    assert _kinds(report, "getToken") == {("spec", "response_schema_conformance")}
    op = next(o for o in report.operations if o.operation_id == "getToken")
    assert all("the spec's own example" in f.message for f in op.failures)
    # a body the server got wrong by itself is still the server's
    assert _kinds(report, "getToken2") == {("sandbox", "response_schema_conformance")}


def test_a_body_is_the_example_only_as_json_values_compare() -> None:
    """The review: Python's `True == 1` made a server's `{"count": true}` read as the spec's
    example `{"count": 1}`, filing the server's mistake as the spec's."""
    from apigen.contract.runner import _same_json

    assert _same_json({"a": [1, {"b": "x"}]}, {"a": [1, {"b": "x"}]})
    assert not _same_json({"count": True, "ok": 0}, {"count": 1, "ok": False})
    assert not _same_json([True], [1]) and not _same_json({"a": 1}, {"a": 1, "b": 2})
