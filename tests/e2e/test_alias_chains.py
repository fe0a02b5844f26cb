"""A chain of `$ref`-only schemas (`A0 -> A1 -> ... -> A300`) names the end of the chain.

Each alias module imported the next at import time, so a chain of a few hundred links nested
that many imports and the first call of the client raised `RecursionError` (helper 174,
decisions §99 "noticed"; §100). Every alias now names the chain's end: one import deep, the
same type, the same names for users."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.ir.nodes import AliasDef, Nullable, Ref
from tests.builds import api_of, build_into, on_path

_LINKS = 400


def _chain_spec(end: dict[str, Any], links: int = _LINKS) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        f"A{i}": {"$ref": f"#/components/schemas/A{i + 1}"} for i in range(links)
    }
    schemas[f"A{links}"] = end
    ok = {"application/json": {"schema": {"$ref": "#/components/schemas/A0"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Chain", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {"200": {"description": "ok", "content": ok}},
                },
                "post": {
                    "operationId": "putA",
                    "requestBody": {"required": True, "content": ok},
                    "responses": {"200": {"description": "ok", "content": ok}},
                },
            }
        },
        "components": {"schemas": schemas},
    }


def test_every_link_names_the_chains_end() -> None:
    api = api_of(_chain_spec({"type": "string"}))
    end = api.components[f"A{_LINKS}"]
    for i in range(_LINKS):
        alias = api.definitions[api.components[f"A{i}"]]
        assert isinstance(alias, AliasDef)
        assert alias.target == Ref(end), i


def test_a_cycle_of_aliases_is_not_shortened_into_a_loop() -> None:
    spec = _chain_spec({"$ref": "#/components/schemas/A0"}, links=3)  # A0 -> A1 -> A2 -> A3 -> A0
    api = api_of(spec)
    for i in range(4):  # a cycle nothing wraps: cut as before (`Any`), never a self-reference
        alias = api.definitions[api.components[f"A{i}"]]
        assert isinstance(alias, AliasDef)
        assert alias.target != Ref(alias.key)


@pytest.mark.parametrize(
    ("end", "answer"),
    [
        ({"type": "string"}, "x"),
        ({"type": "object", "properties": {"x": {"type": "integer"}}}, {"x": 1}),
    ],
    ids=["string", "model"],
)
def test_a_long_chain_imports_and_calls(tmp_path: Path, end: dict[str, Any], answer: Any) -> None:
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(_chain_spec(end)))
    build_into(spec, tmp_path / "out", name="chain")
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json=answer)

    with on_path(tmp_path / "out", "chain") as chain:
        client = chain.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        got = client.a.retrieve()
        assert (got if isinstance(got, str) else got.model_dump()) == answer
        # (an object at the chain's end is flattened into arguments, as a direct `$ref` is)
        client.a.create(**answer) if isinstance(answer, dict) else client.a.create(body=answer)
        assert json.loads(sent[-1]) == answer


def test_nullable_links_keep_their_none_and_shorten_too() -> None:
    """helper 192: a chain with an `allOf: [$ref], nullable: true` link every few links was
    not shortened (only plain `Ref` targets were) and still hit the recursion limit. Each
    link names the end, `| None` where it or a link after it admits null."""
    links, wrapped = 20, {3, 10}
    spec = _chain_spec({"type": "object", "properties": {"x": {"type": "integer"}}}, links)
    for i in wrapped:
        spec["components"]["schemas"][f"A{i}"] = {
            "allOf": [{"$ref": f"#/components/schemas/A{i + 1}"}],
            "nullable": True,
        }
    api = api_of(spec)
    end = Ref(api.components[f"A{links}"])
    for i in range(links):
        alias = api.definitions[api.components[f"A{i}"]]
        assert isinstance(alias, AliasDef)
        assert alias.target == (Nullable(end) if i <= max(wrapped) else end), i
