"""Header parameters that frame the HTTP message are no method's arguments.

Vercel's `PUT /v8/artifacts/{hash}` declares a required `Content-Length` header, a number: the
client sent the caller's `0.0` or `-2.4e16` beside a body of another length, and the sandbox's
HTTP server dropped the connection (a real one waits for bytes that never come, or reads the
rest of the body as the next request). The transport writes it from the request; the build says
so. `Accept`, `Content-Type` and `Authorization` are left out silently, as OpenAPI 3 says.
"""

from __future__ import annotations

from typing import Any

from apigen.contract.spec import SpecView
from apigen.diagnostics import Report
from apigen.ir import build_api
from apigen.sandbox import Sandbox

PARAMS = [
    {"name": "Content-Length", "in": "header", "required": True, "schema": {"type": "number"}},
    {"name": "transfer-encoding", "in": "header", "schema": {"type": "string"}},
    {"name": "Host", "in": "header", "schema": {"type": "string"}},
    {"name": "Accept", "in": "header", "schema": {"type": "string"}},
    {"name": "X-Digest", "in": "header", "schema": {"type": "string"}},
]
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/artifacts/{hash}": {
            "put": {
                "operationId": "upload",
                "parameters": [
                    *PARAMS,
                    {"name": "hash", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": {
                    "content": {"application/octet-stream": {"schema": {"format": "binary"}}}
                },
                "responses": {"204": {"description": "stored"}, "400": {"description": "bad"}},
            }
        }
    },
}


def test_framing_headers_are_left_out_with_a_warning() -> None:
    report = Report()
    api = build_api(
        DOC,
        package="t",
        spec_file="t.yaml",
        spec_sha256="",
        report=report,
        reserved_client=set(),
        reserved_resource=set(),
    )
    (op,) = api.operations
    headers = {p.wire_name for p in op.params if p.location == "header"}
    assert headers == {"X-Digest"}
    warned = sorted(d.pointer for d in report.warnings)
    assert warned == [
        "#/paths/~1artifacts~1{hash}/put/parameters/0",
        "#/paths/~1artifacts~1{hash}/put/parameters/1",
        "#/paths/~1artifacts~1{hash}/put/parameters/2",
    ]
    assert all("frames the HTTP message" in d.message for d in report.warnings)


def test_the_sandbox_and_the_contract_check_do_not_ask_for_them() -> None:
    names = {p.name for p in SpecView(DOC).parameters("/artifacts/{hash}", "put")}
    assert names == {"X-Digest", "hash"}
    sandbox = Sandbox(DOC, seed=0)
    reply = sandbox.handle(
        "PUT", "/artifacts/abc", {"Content-Type": "application/octet-stream"}, b"12345"
    )
    assert reply.status == 204  # no "missing required header Content-Length" from its reader
