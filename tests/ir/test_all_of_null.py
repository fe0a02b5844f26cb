"""An `allOf` admits null when every member does (Plaid's `credit_funds_source: {deprecated: true,
x-hidden-from-docs: true, allOf: [$ref: TransferCreditFundsSource]}`, a nullable enum): the
request argument takes `None`. The `x-` key made the `allOf` look like more than its `$ref`, and the
merge that typed it then read no member's null (decisions.md 48)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.ir import Api
from apigen.ir.nodes import Nullable, Ref
from tests.builds import ir_of

SRC = "#/components/schemas/Src"


def _spec(props: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/t": {
                "post": {
                    "operationId": "create",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"type": "object", "properties": props}}
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Src": {"type": "string", "nullable": True, "enum": ["sweep", "other", None]},
                "Plain": {"type": "string", "enum": ["sweep"]},
                "User": {
                    "type": "object",
                    "nullable": True,
                    "properties": {"id": {"type": "string"}},
                },
            }
        },
    }


def _types(api: Api) -> dict[str, Any]:
    (op,) = api.operations
    return {p.py_name: p.type for p in op.params}


def _param_types(tmp_path: Path, props: dict[str, Any]) -> dict[str, Any]:
    return _types(ir_of(tmp_path, _spec(props), "allofnull"))


@pytest.mark.parametrize(
    ("schema", "admits_null"),
    [
        # Plaid's shape: extensions and annotations beside the one `$ref`
        ({"x-hidden-from-docs": True, "deprecated": True, "allOf": [{"$ref": SRC}]}, True),
        ({"allOf": [{"$ref": SRC}, {"x-a": 1, "description": "d"}]}, True),
        # a member constraining only other types leaves null in
        ({"allOf": [{"$ref": SRC}, {"maxLength": 8}]}, True),
        (
            {
                "allOf": [
                    {"$ref": "#/components/schemas/User"},
                    {"properties": {"extra": {"type": "string"}}},
                ]
            },
            True,
        ),
        # a member or the schema itself that names a type, or a member that refuses null
        ({"allOf": [{"$ref": SRC}, {"type": "string"}]}, False),
        ({"type": "string", "allOf": [{"$ref": SRC}]}, False),
        ({"allOf": [{"$ref": SRC}, {"$ref": "#/components/schemas/Plain"}]}, False),
        # no member says null: a member without constraints is no reason to add it
        ({"allOf": [{"maxLength": 8}, {"description": "d"}]}, False),
    ],
)
def test_an_all_of_admits_null_when_every_member_does(
    tmp_path: Path, schema: dict[str, Any], admits_null: bool
) -> None:
    types = _param_types(tmp_path, {"value": schema})
    assert isinstance(types["value"], Nullable) is admits_null, types["value"]


def test_a_reference_to_a_model_whose_all_of_admits_null_is_optional(tmp_path: Path) -> None:
    # a model class cannot be None: every reference to it says `| None`, as for `nullable: true`
    ext = {
        "allOf": [
            {"$ref": "#/components/schemas/User"},
            {"properties": {"extra": {"type": "string"}}},
        ]
    }
    spec = _spec({"value": {"$ref": "#/components/schemas/Ext"}})
    spec["components"]["schemas"]["Ext"] = ext
    types = _types(ir_of(tmp_path, spec, "allofnull"))
    assert types["value"] == Nullable(Ref("#/components/schemas/Ext"))


def test_an_all_of_cycle_builds_and_adds_no_null(tmp_path: Path) -> None:
    # `A: allOf: [$ref: B]`, `B: allOf: [$ref: A]`: the null probe and the example search stop
    schemas = {
        "CycA": {"allOf": [{"$ref": "#/components/schemas/CycB"}], "properties": {"a": {}}},
        "CycB": {"allOf": [{"$ref": "#/components/schemas/CycA"}], "properties": {"b": {}}},
        "Expr": {"anyOf": [{"$ref": "#/components/schemas/Expr"}, {"type": "string"}]},
    }
    spec = _spec(
        {
            "cyc": {"$ref": "#/components/schemas/CycA"},
            "expr": {"$ref": "#/components/schemas/Expr"},
        }
    )
    spec["components"]["schemas"].update(schemas)
    types = _types(ir_of(tmp_path, spec, "allofcycle"))
    assert types["cyc"] == Ref("#/components/schemas/CycA")


@pytest.mark.parametrize("says_null", [True, False])
def test_a_chain_of_hundreds_of_all_ofs_is_probed_to_its_end(
    tmp_path: Path, says_null: bool
) -> None:
    """`Link0: allOf: [$ref: Link1, {maxLength: 8}]`... 400 deep: the null probe recursed once
    a link and crashed the build ("internal error", RecursionError). The answer is still read
    off the last link, which says null or not."""
    links = {
        f"Link{i}": {"allOf": [{"$ref": f"#/components/schemas/Link{i + 1}"}, {"maxLength": 8}]}
        for i in range(400)
    }
    links["Link400"] = {"type": "string", "nullable": says_null}
    spec = _spec({"value": {"$ref": "#/components/schemas/Link0"}})
    spec["components"]["schemas"].update(links)
    types = _types(ir_of(tmp_path, spec, "allofchain"))
    assert isinstance(types["value"], Nullable) is says_null, types["value"]


@pytest.mark.parametrize(
    ("schema", "admits_null"),
    [
        # a helper's type review (OpenAI's `top_logprobs`): the `type` beside the union applies
        # too, so its null member admits nothing; the sandbox refused the None the client took
        ({"type": "integer", "anyOf": [{"type": "integer"}, {"type": "null"}]}, False),
        ({"type": "integer", "oneOf": [{"type": "integer"}, {"type": "null"}]}, False),
        # ... also where an `allOf` merge makes that shape
        (
            {
                "allOf": [
                    {"type": "object", "properties": {"n": {"type": "integer"}}},
                    {"properties": {"n": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}},
                ]
            },
            False,
        ),
        # a review (OpenAI's `top_logprobs` through a flattened body): an `allOf` of a union
        # with null and a `nullable` integer admits null (every member does)
        (
            {
                "allOf": [
                    {
                        "type": "object",
                        "properties": {"n": {"anyOf": [{"type": "integer"}, {"type": "null"}]}},
                    },
                    {"properties": {"n": {"type": "integer", "nullable": True}}},
                ]
            },
            True,
        ),
        # a type that lists null, or `nullable`, keeps it
        ({"type": ["integer", "null"], "anyOf": [{"type": "integer"}, {"type": "null"}]}, True),
        ({"type": "integer", "nullable": True, "anyOf": [{"type": "integer"}]}, True),
        ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, True),
    ],
)
def test_a_type_beside_a_union_with_null_applies_to_it(
    tmp_path: Path, schema: dict[str, Any], admits_null: bool
) -> None:
    if "allOf" in schema:
        spec = _spec({"value": {"$ref": "#/components/schemas/Merged"}}, "3.1.0")
        spec["components"]["schemas"]["Merged"] = schema
        api = ir_of(tmp_path, spec, "typednull")
        model = api.definitions["#/components/schemas/Merged"]
        (field,) = [f for f in model.fields if f.wire_name == "n"]  # type: ignore[union-attr]
        assert isinstance(field.type, Nullable) is admits_null, field.type
        return
    types = _types(ir_of(tmp_path, _spec({"value": schema}, "3.1.0"), "typednull"))
    assert isinstance(types["value"], Nullable) is admits_null, types["value"]
