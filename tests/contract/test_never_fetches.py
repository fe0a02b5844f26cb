"""The sandbox and the contract checks never fetch a URL a schema names. A helper's sweep: a
3.1 `$dynamicRef: "http://host/c.json#x"` (which `check` and `build` accept and never fetch)
was fetched by jsonschema's deprecated fallback at every request the sandbox validated and at
each response the contract checks read (`python-jsonschema (deprecated $ref resolution)`)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

from apigen.contract import ContractConfig, run_contract
from apigen.contract.spec import SpecView
from apigen.sandbox import Sandbox
from tests.builds import build_into
from tests.servers import serving


class _Fetched(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(self.path)
        body = json.dumps({"$defs": {"x": {"$dynamicAnchor": "x", "type": "string"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _document(url: str, method: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"c": {"$dynamicRef": f"{url}/c.json#x"}}}
    media = {"content": {"application/json": {"schema": schema}}}
    operation: dict[str, Any] = {"operationId": "op", "responses": {"200": {"description": "ok"}}}
    if method == "post":
        operation["requestBody"] = {"required": True, **media}
    else:
        operation["responses"]["200"].update(media)
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/p": {method: operation}},
    }


def test_the_sandbox_and_the_checks_never_fetch_a_schema_s_url(tmp_path: Path) -> None:
    _Fetched.paths.clear()
    with serving(_Fetched) as url:
        sandbox = Sandbox(_document(url, "post"), seed=0)
        sandbox.handle("POST", "/p", {"Content-Type": "application/json"}, b'{"c": 1}')
        view = SpecView(_document(url, "get"))
        schema = view.document["paths"]["/p"]["get"]["responses"]["200"]["content"]
        view.errors(schema["application/json"]["schema"], {"c": 1})
        spec = tmp_path / "t.json"
        spec.write_text(json.dumps(_document(url, "get")))
        build_into(spec, tmp_path / "out", name="t")
        run_contract(ContractConfig(tmp_path / "out", spec=spec, max_examples=3, seed=0))
    assert _Fetched.paths == []
