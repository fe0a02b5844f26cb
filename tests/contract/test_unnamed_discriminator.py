"""A `discriminator` without `mapping` whose variants fix the property to other values than
their schema names (OpenAI's `ItemResource`: `discriminator: {propertyName: type}` over
`CodeInterpreterToolCall` whose `type` is `code_interpreter_call`): by OpenAPI the implicit
values are the schema names, so no body is valid for both, and schemathesis' "Unknown
discriminator value" on the sandbox's (JSON-Schema-valid) body is the spec's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import UNNAMED_DISCRIMINATOR
from apigen.contract.spec import SpecView
from tests.builds import contract_of


def _variant(kind: list[str] | None) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": "string"}
    if kind is not None:
        prop["enum"] = kind
    return {
        "type": "object",
        "required": ["type", "id"],
        "properties": {"type": prop, "id": {"type": "string"}},
    }


def _spec(mapping: dict[str, str] | None, kinds: tuple[list[str] | None, ...]) -> dict[str, Any]:
    discriminator: dict[str, Any] = {"propertyName": "type"}
    if mapping is not None:
        discriminator["mapping"] = mapping
    item = {
        "oneOf": [
            {"$ref": "#/components/schemas/ToolCall"},
            {"$ref": "#/components/schemas/Message"},
        ],
        "discriminator": discriminator,
    }
    page = {
        "type": "object",
        "required": ["data"],
        "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "items", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": page}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Item": item,
                # allOf: the variant's value may be fixed in a member
                "ToolCall": {"allOf": [_variant(kinds[0])]},
                "Message": _variant(kinds[1]),
            }
        },
    }


UNNAMED = _spec(None, (["tool_call"], ["message"]))


@pytest.mark.slow
def test_unknown_discriminator_value_is_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, UNNAMED, "unnamed")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert any(f.message.startswith(UNNAMED_DISCRIMINATOR) for f in failures)


def test_proven_only_when_no_variant_admits_a_schema_name() -> None:
    body = {"data": [{"type": "tool_call", "id": "a"}]}
    item = "#/components/schemas/Item"
    page = UNNAMED["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
    assert (
        SpecView(UNNAMED).unnamed_discriminator(page["schema"], body, "type", "tool_call") == item
    )
    # another property or value than the one reported: not this discriminator
    assert SpecView(UNNAMED).unnamed_discriminator(page["schema"], body, "type", "x") is None
    assert (
        SpecView(UNNAMED).unnamed_discriminator(page["schema"], body, "kind", "tool_call") is None
    )
    not_proven = [
        _spec({"tool_call": "#/components/schemas/ToolCall"}, (["tool_call"], ["message"])),
        _spec(None, (None, ["message"])),  # ToolCall's type is any string: "ToolCall" fits
        _spec(None, (["tool_call"], ["message", "ToolCall"])),  # a name is admitted
    ]
    for spec in not_proven:
        schema = spec["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
        assert (
            SpecView(spec).unnamed_discriminator(schema["schema"], body, "type", "tool_call")
            is None
        )
