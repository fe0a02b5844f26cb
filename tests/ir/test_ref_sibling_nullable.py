"""`nullable: true` beside a `$ref` (OpenAI's spec, OpenAPI 3.1: `response_format: {$ref:
AssistantsApiResponseFormatOption, nullable: true}`): keywords beside a `$ref` apply in 3.1, and
`nullable` is read in every version, so the argument and the field take `None` (decisions.md 45,
and 89 for 3.0, where the other siblings are still ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.ir import Api
from apigen.ir.nodes import ModelDef, Nullable, TypeExpr
from tests.builds import ir_of

FORMAT = {
    "oneOf": [
        {"type": "string", "enum": ["auto"]},
        {"type": "object", "properties": {"type": {"type": "string"}}},
    ]
}


def _build(tmp_path: Path, version: str) -> Api:
    prop: dict[str, Any] = {"$ref": "#/components/schemas/Format", "nullable": True}
    run = {
        "type": "object",
        "properties": {"format": prop, "plain": {"$ref": "#/components/schemas/Format"}},
    }
    spec = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/runs": {
                "post": {
                    "operationId": "createRun",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Run"}}
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Run"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Format": FORMAT, "Run": run}},
    }
    return ir_of(tmp_path, spec, "runs")


def _types(api: Api) -> dict[str, TypeExpr]:
    (op,) = api.operations
    return {p.wire_name: p.type for p in op.params if p.location == "field"}


def _field_types(api: Api) -> dict[str, TypeExpr]:
    run = api.definitions[api.components["Run"]]
    assert isinstance(run, ModelDef)
    return {f.wire_name: f.type for f in run.fields}


@pytest.mark.parametrize("version", ["3.1.0", "3.1.1"])
def test_nullable_beside_a_ref_admits_none_in_3_1(tmp_path: Path, version: str) -> None:
    api = _build(tmp_path, version)
    for types in (_types(api), _field_types(api)):
        assert isinstance(types["format"], Nullable)
        assert not isinstance(types["plain"], Nullable)


def test_a_3_0_document_reads_nullable_beside_a_ref_too(tmp_path: Path) -> None:
    """A helper's probe: decisions §45 kept 3.0 ignoring `nullable` beside a `$ref` "as
    schemathesis does", but schemathesis (4.32) reads it as "or null" in 3.0 too: the contract
    drew `owner=None` and reported the client's type refusing it (exit 1), and servers that
    write it send null, which the strict parse refused. Read in every version (§89)."""
    api = _build(tmp_path, "3.0.3")
    for types in (_types(api), _field_types(api)):
        assert isinstance(types["format"], Nullable)
        assert not isinstance(types["plain"], Nullable)
