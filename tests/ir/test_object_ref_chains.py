"""A chain of `$ref`s to a parameter, request body or response is followed to its end.

A helper's hostile specs (192): 32 links were followed, and a parameter 40 links away was
dropped without a word (`retrieve()` had no `q`), as were a body and a response; `--strict`
passed. A cycle of such `$ref`s is nothing, as before."""

from __future__ import annotations

from typing import Any

from apigen.diagnostics import Report
from apigen.ir.nodes import Ref
from tests.builds import api_of

LINKS = 40


def _chain(kind: str, end: dict[str, Any], links: int = LINKS) -> dict[str, Any]:
    chain: dict[str, Any] = {
        f"{kind}{i}": {"$ref": f"#/components/{kind}/{kind}{i + 1}"} for i in range(links)
    }
    chain[f"{kind}{links}"] = end
    return chain


def _spec(links: int = LINKS) -> dict[str, Any]:
    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    media = {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/items": {
                "post": {
                    "operationId": "createItem",
                    "parameters": [{"$ref": "#/components/parameters/parameters0"}],
                    "requestBody": {"$ref": "#/components/requestBodies/requestBodies0"},
                    "responses": {"200": {"$ref": "#/components/responses/responses0"}},
                }
            }
        },
        "components": {
            "schemas": {"Item": item},
            "parameters": _chain(
                "parameters", {"name": "q", "in": "query", "schema": {"type": "string"}}, links
            ),
            "requestBodies": _chain("requestBodies", {"required": True, "content": media}, links),
            "responses": _chain("responses", {"description": "ok", "content": media}, links),
        },
    }


def test_long_chains_reach_the_parameter_the_body_and_the_response() -> None:
    report = Report()
    api = api_of(_spec(), report)
    (op,) = api.operations
    assert "q" in [p.wire_name for p in op.params]
    assert "id" in [p.wire_name for p in op.params if p.location == "field"]  # the body's
    assert [r.type for r in op.responses if r.status == "200"] == [Ref(api.components["Item"])]
