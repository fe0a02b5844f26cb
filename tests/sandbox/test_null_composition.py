"""Null and readOnly/writeOnly beside composition keywords: the sandbox reads them as the IR does
(`apigen.schema_rules`, decisions §31). Requests a generated client sends (`Location | None`,
read-only properties left out) are accepted; drawn responses are sometimes null there and leave
write-only properties out, wherever the flag sits."""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigen.sandbox import ExampleGenerator, Sandbox

JSON = {"Content-Type": "application/json"}
LOC = {"$ref": "#/components/schemas/Location"}
CUR = {"$ref": "#/components/schemas/Currency"}
SCHEMAS: dict[str, Any] = {
    "Location": {
        "type": "object",
        "properties": {"lat": {"type": "number"}, "lng": {"type": "number"}},
    },
    "Currency": {"type": "string"},
}


def _doc(version: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    body = {"type": "object", "properties": props, "required": required}
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": body}},
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": body}},
                        },
                        "400": {"description": "bad"},
                    },
                }
            }
        },
        "components": {"schemas": SCHEMAS},
    }


def _status(sandbox: Sandbox, body: dict[str, Any]) -> int:
    return sandbox.handle("POST", "/things", JSON, json.dumps(body).encode()).status


def test_3_0_nullable_beside_all_of_and_one_of_and_read_only_in_all_of() -> None:
    props = {
        "end": {"allOf": [LOC], "nullable": True},
        "kind": {"nullable": True, "oneOf": [{"type": "string"}, {"type": "integer"}]},
        "id": {"allOf": [CUR, {"readOnly": True}]},
        "name": {"type": "string"},
    }
    sandbox = Sandbox(_doc("3.0.3", props, ["end", "kind", "id", "name"]), seed=1)
    assert _status(sandbox, {"end": None, "kind": None, "name": "a"}) == 200
    assert _status(sandbox, {"end": {"lat": 1.5}, "kind": 3, "name": "a"}) == 200
    assert _status(sandbox, {"end": 5, "kind": None, "name": "a"}) == 400
    assert _status(sandbox, {"end": None, "kind": None}) == 400  # `name` still required
    # a read-only property is refused when sent, wherever `readOnly` sits
    assert _status(sandbox, {"end": None, "kind": None, "name": "a", "id": "x"}) == 400


def test_3_1_null_type_beside_one_of_and_a_null_all_of_member() -> None:
    props = {
        "assigned": {"oneOf": [{"type": "number"}, {"type": "boolean"}], "type": "null"},
        "currency": {"allOf": [CUR, {"type": "null"}]},
        "id": {"allOf": [CUR, {"readOnly": True}]},
    }
    sandbox = Sandbox(_doc("3.1.0", props, ["assigned", "currency", "id"]), seed=1)
    assert _status(sandbox, {"assigned": None, "currency": None}) == 200
    assert _status(sandbox, {"assigned": 1.5, "currency": "GBP"}) == 200
    assert _status(sandbox, {"assigned": True, "currency": "GBP"}) == 200
    assert _status(sandbox, {"assigned": "x", "currency": None}) == 400
    assert _status(sandbox, {"assigned": None, "currency": 3}) == 400


@pytest.mark.parametrize(
    ("version", "schema", "kinds"),
    [
        ("3.0.3", {"allOf": [LOC], "nullable": True}, {"NoneType", "dict"}),
        ("3.0.3", {"nullable": True, "oneOf": [{"type": "string"}]}, {"NoneType", "str"}),
        ("3.1.0", {"oneOf": [{"type": "number"}], "type": "null"}, {"NoneType", "float"}),
        ("3.1.0", {"allOf": [CUR, {"type": "null"}]}, {"NoneType", "str"}),
    ],
)
def test_drawn_values_are_null_or_a_member(version: str, schema: Any, kinds: set[str]) -> None:
    document = {"openapi": version, "components": {"schemas": SCHEMAS}}
    generator = ExampleGenerator(document, seed=0)
    holder = {"type": "object", "properties": {"p": schema}, "required": ["p"]}
    seen = {
        type(generator.generate(holder, key=str(i), vary=True)["p"]).__name__ for i in range(60)
    }
    assert seen == kinds


def test_write_only_in_an_all_of_member_is_left_out_of_a_response() -> None:
    schema = {
        "type": "object",
        "required": ["number", "cvc"],
        "properties": {"number": {"type": "string"}, "cvc": {"allOf": [CUR, {"writeOnly": True}]}},
    }
    document = {"openapi": "3.1.0", "components": {"schemas": SCHEMAS}}
    generator = ExampleGenerator(document, seed=0)
    assert set(generator.generate(schema)) == {"number"}
    for i in range(10):
        assert "cvc" not in generator.generate(schema, key=str(i), vary=True)


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_required_property_declared_read_only_by_an_all_of_member_may_be_left_out(
    version: str,
) -> None:
    """PagerDuty's custom fields (a helper's corpus2 contract sweep): `allOf: [{properties: {id:
    {readOnly: true}, ...}}]` with `required: [id, name]` beside it. The generated model makes
    `id` optional (the IR merges the member's flag into the field) and leaves it out of the
    request; the sandbox and the contract run's request check refused that as `'id' is a
    required property`. Behind a `$ref` member too; `name` (not read-only) stays required."""
    declared = {
        "type": "object",
        "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
    }
    schemas = {**SCHEMAS, "Declared": declared}
    for field in (
        {"allOf": [declared], "required": ["id", "name"]},
        {"allOf": [{"$ref": "#/components/schemas/Declared"}], "required": ["id", "name"]},
    ):
        document = _doc(version, {"field": field}, ["field"])
        document["components"]["schemas"] = schemas
        sandbox = Sandbox(document, seed=1)
        assert _status(sandbox, {"field": {"name": "a"}}) == 200
        assert _status(sandbox, {"field": {}}) == 400  # `name` is still required
        if version == "3.0.3":  # (3.0's write validator refuses a read-only property sent)
            assert _status(sandbox, {"field": {"name": "a", "id": "x"}}) == 400
