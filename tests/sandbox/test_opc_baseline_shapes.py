"""Three shapes of openapi-python-client's baseline specs (corpus2/opc/baseline_openapi_3.0.json
and _3.1.yaml) the sandbox answered wrongly.

- `const` in an OpenAPI 3.0 document: no 3.0 keyword, so 3.0 validators (openapi-schema-validator,
  schemathesis) ignore it, and `oneOf: [{type: {const: alpha}, ...}, {type: {const: beta}, ...}]`
  variants requiring only `type` overlap: the drawn `{"type": "alpha"}` matched both.
- `allOf` with a closed member: `Extended` is `allOf: [Aliased (an AModel, additionalProperties:
  false), {properties: {fromExtended}}]`; `fromExtended` was drawn though AModel refuses it.
- The text `null` for a query item whose schema is `enum: [null]`: no other spelling exists.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator, OAS31Validator

from apigen.sandbox import ExampleGenerator, Sandbox

ONE_OF_CONST = {
    "oneOf": [
        {
            "type": "object",
            "properties": {"type": {"const": "alpha"}, "color": {"type": "string"}},
            "required": ["type"],
        },
        {
            "type": "object",
            "properties": {"type": {"const": "beta"}, "texture": {"type": "string"}},
            "required": ["type"],
        },
    ]
}


@pytest.mark.parametrize(
    ("version", "validator"), [("3.0.3", OAS30Validator), ("3.1.0", OAS31Validator)]
)
def test_one_of_told_apart_by_const_is_drawn_valid_with_and_without_const(
    version: str, validator: Any
) -> None:
    doc = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}}
    generator = ExampleGenerator(doc, seed=0)
    check = validator(ONE_OF_CONST)
    for index in range(30):
        value = generator.generate(ONE_OF_CONST, key=f"k{index}", vary=index % 2 == 0)
        check.validate(value)
        assert value["type"] in ("alpha", "beta")


def test_a_closed_all_of_member_keeps_other_members_properties_out() -> None:
    schemas = {
        "Model": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
        },
        "Aliased": {"allOf": [{"$ref": "#/components/schemas/Model"}]},
        "Extended": {
            "allOf": [
                {"$ref": "#/components/schemas/Aliased"},
                {"type": "object", "properties": {"fromExtended": {"type": "string"}}},
            ]
        },
        "Typed": {
            "allOf": [
                {
                    "type": "object",
                    "properties": {"id": {"type": "string"}},
                    "additionalProperties": {"type": "integer"},
                },
                {"type": "object", "properties": {"n": {"type": "number"}}},
            ]
        },
    }
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    generator = ExampleGenerator(doc, seed=0)
    for name in ("Extended", "Typed"):
        ref = {"$ref": f"#/components/schemas/{name}"}
        check = OAS30Validator({**ref, "components": doc["components"]})
        for index in range(20):
            value = generator.generate(ref, key=f"k{index}", vary=index % 2 == 0)
            assert "fromExtended" not in value
            check.validate(value)


def test_the_text_null_is_null_where_only_null_fits() -> None:
    items = {"enum": [None]}
    mixed = {"enum": ["FIRST", None]}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/tests": {
                "get": {
                    "parameters": [
                        {
                            "name": "only",
                            "in": "query",
                            "schema": {"type": "array", "items": items},
                        },
                        {
                            "name": "mixed",
                            "in": "query",
                            "schema": {"type": "array", "items": mixed},
                        },
                        {
                            "name": "text",
                            "in": "query",
                            "schema": {"type": "string", "nullable": True, "enum": ["null", "x"]},
                        },
                    ],
                    "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
                }
            }
        },
    }
    sandbox = Sandbox(doc, seed=0)
    assert sandbox.handle("GET", "/tests?only=null&only=null&mixed=FIRST&mixed=null").status == 200
    assert sandbox.handle("GET", "/tests?text=null").status == 200  # the string fits: kept
    reply = sandbox.handle("GET", "/tests?only=nul")
    assert reply.status == 400, json.loads(reply.body or b"{}")
