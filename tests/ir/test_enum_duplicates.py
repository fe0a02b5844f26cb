"""An enum that lists a value twice is still that enum (helper 177, schema-enums.yaml of the
features specs: `enum: ['', '', available, available]` became plain `str`, so a call with
`"pending"` type-checked), while a value no literal can hold keeps the type's base."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.ir.nodes import LiteralOf, Prim, TypeExpr
from tests.builds import api_of


def _query_type(schema: dict[str, Any]) -> TypeExpr:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "list",
                    "parameters": [
                        {"name": "v", "in": "query", "required": True, "schema": schema}
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    api = api_of(document)
    (op,) = api.operations
    (param,) = [p for p in op.params if p.wire_name == "v"]
    return param.type


def test_a_repeated_value_is_listed_once() -> None:
    strings = _query_type({"type": "string", "enum": ["", "", "available", "available"]})
    assert strings == LiteralOf(("", "available"), Prim("str"))
    numbers = _query_type({"type": "integer", "enum": [1, 2, 2, 1]})
    assert numbers == LiteralOf((1, 2), Prim("int"))


@pytest.mark.parametrize(
    ("schema", "base"),
    [
        # 1 == True: a literal of both would be read as one, so neither is kept
        ({"enum": [0, 1, True]}, None),
        ({"type": "number", "enum": [1, 1.5]}, Prim("float")),
        ({"type": "integer", "enum": [1, 2**70]}, Prim("int")),
    ],
)
def test_a_value_no_literal_holds_keeps_the_base_type(
    schema: dict[str, Any], base: Prim | None
) -> None:
    kind = _query_type(schema)
    assert not isinstance(kind, LiteralOf), kind
    if base is not None:
        assert kind == base


def test_an_enum_too_long_for_a_literal_is_its_base_type_with_a_warning() -> None:
    """Helper 174: a 10,000-value enum became a 10,000-member `Literal`, and mypy took over
    300 s on the client; the longest enum of a real spec (EC2's instance types) has 665."""
    from apigen.ir.schemas import MAX_LITERAL

    long = _query_type({"type": "string", "enum": [f"v{i}" for i in range(MAX_LITERAL + 1)]})
    assert long == Prim("str")
    ints = _query_type({"type": "integer", "enum": list(range(MAX_LITERAL + 1))})
    assert ints == Prim("int")
    at_cap = _query_type({"type": "string", "enum": [f"v{i}" for i in range(MAX_LITERAL)]})
    assert isinstance(at_cap, LiteralOf)


def test_a_required_one_value_enum_listed_twice_is_still_a_constant() -> None:
    """The review: `enum: [a, a]` became a required `Literal["a"]` without a default, where
    `enum: [a]` is the argument's constant."""
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "list",
                    "parameters": [
                        {"name": n, "in": "query", "required": True, "schema": {"enum": e}}
                        for n, e in (("once", ["a"]), ("twice", ["a", "a"]), ("two", ["a", "b"]))
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    api = api_of(document)
    (op,) = api.operations
    consts = {p.wire_name: (p.has_const, p.const) for p in op.params}
    assert consts == {"once": (True, "a"), "twice": (True, "a"), "two": (False, None)}
