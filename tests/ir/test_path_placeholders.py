"""Path parameters follow the path template, whatever the spec declares.

A placeholder no parameter declares (`/items/{id}` without `id`; dcg's
`content_in_parameters`) gave a method without the argument, which sent `/items/%7Bid%7D`; a
declared path parameter the template lacks was a required argument that went nowhere. The IR
and the contract check (which draws and checks what the method takes) read both alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from apigen.contract.spec import SpecView
from apigen.diagnostics import Report
from apigen.ir import build_api
from tests.builds import build_into, on_path

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/items/{id}": {
            "get": {"operationId": "getItem", "responses": {"204": {"description": "ok"}}}
        },
        "/items/{itemId}/parts/{partId}": {
            "get": {
                "operationId": "getPart",
                "parameters": [
                    {
                        "name": "itemId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "partId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "extra", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/search?q={term}": {
            "get": {
                "operationId": "search",
                "parameters": [
                    {"name": "term", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "ok"}},
            }
        },
    },
}


def test_placeholders_make_the_path_arguments() -> None:
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
    params = {
        op.operation_id: [(p.wire_name, p.location, p.required) for p in op.params]
        for op in api.operations
    }
    assert params["getItem"] == [("id", "path", True)]
    assert params["getPart"] == [("itemId", "path", True), ("partId", "path", True)]
    assert params["search"] == [("q", "query", True)]  # a query-bound one is kept (decisions 27)
    messages = sorted(d.message for d in report.warnings)
    assert messages == [
        "path parameter 'extra' has no placeholder in '/items/{itemId}/parts/{partId}'",
        "the placeholder {id} of '/items/{id}' is declared by no path parameter",
    ]


def test_the_contract_view_takes_the_same_parameters() -> None:
    view = SpecView(DOC)
    assert [(p.name, p.required) for p in view.parameters("/items/{id}", "get")] == [("id", True)]
    part = [p.name for p in view.parameters("/items/{itemId}/parts/{partId}", "get")]
    assert part == ["itemId", "partId"]


def test_the_method_fills_the_placeholder(tmp_path: Path) -> None:
    spec = tmp_path / "t.json"
    spec.write_text(json.dumps(DOC))
    build_into(spec, tmp_path / "holes", name="holes")
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.raw_path.decode())
        return httpx.Response(204)

    with on_path(tmp_path / "holes", "holes") as holes:
        transport = httpx.Client(transport=httpx.MockTransport(answer))
        client = holes.Client(api_key="k", http_client=transport)
        client.items.retrieve("a b")
        client.items.parts.retrieve(1, "p")
    assert sent == ["/items/a%20b", "/items/1/parts/p"]
