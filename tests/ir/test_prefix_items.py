"""OpenAPI 3.1 / JSON Schema 2020-12 `prefixItems` (opc's `3.1_specific`): `items` holds only
the items after the prefix, and no prefix item is required, so a list's item is any of them.
It was typed by `items` alone (`list[float]`), refusing `["prefix", "x", 1.5]`."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.diagnostics import Report
from apigen.ir.nodes import ANY, ListOf, Prim, UnionOf
from apigen.ir.schemas import SchemaConverter

DOC: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}


def _convert(schema: dict[str, Any]) -> Any:
    return SchemaConverter(DOC, Report(), "spec.json").convert(schema, "#/s", ["S"], "m")


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (
            {
                "type": "array",
                "prefixItems": [{"type": "string", "const": "prefix"}, {"type": "string"}],
                "items": {"type": "number"},
            },
            ListOf(UnionOf((Prim("str"), Prim("float")))),
        ),
        (  # no `items`: any item after the prefix
            {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}]},
            ListOf(ANY),
        ),
        (  # `items: false`: the prefix only
            {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
            ListOf(Prim("str")),
        ),
        ({"type": "array", "items": {"type": "integer"}}, ListOf(Prim("int"))),
        (  # the array member of `type: [array, object]` reads it alike
            {"type": ["array", "object"], "prefixItems": [{"type": "integer"}], "items": False},
            UnionOf((ListOf(Prim("int")),)),
        ),
    ],
)
def test_prefix_items_widen_the_item_type(schema: dict[str, Any], expected: Any) -> None:
    got = _convert(schema)
    if isinstance(expected, UnionOf):  # the multi-type case: its array member
        assert isinstance(got, UnionOf) and expected.items[0] in got.items
    else:
        assert got == expected
