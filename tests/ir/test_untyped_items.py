"""An untyped schema with `items` is an array only when `items` is one schema.

Slack's spec writes `{items: [A, B]}` (no `type`) for "A or B" on 28 schemas (`objs_conversation`,
`objs_user`...); read as an array, 15 operations refused every conversation or user body the
spec's examples hold, which JSON Schema accepts (`items` constrains arrays only). Found by a
Prism sweep of corpus2, 2026-12-05."""

from __future__ import annotations

from typing import Any

from apigen.ir.nodes import ANY, AliasDef, ListOf, Prim
from tests.builds import api_of


def _alias(schema: dict[str, Any]) -> Any:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Thing": schema}},
    }
    api = api_of(document)
    definition = api.definitions[api.components["Thing"]]
    assert isinstance(definition, AliasDef)
    return definition.target


def test_a_list_of_items_without_a_type_is_any() -> None:
    variants = [{"type": "object", "properties": {"id": {"type": "string"}}}, {"type": "string"}]
    assert _alias({"items": variants}) == ANY


def test_one_items_schema_without_a_type_is_still_an_array() -> None:
    assert _alias({"items": {"type": "string"}}) == ListOf(Prim("str"))
    assert _alias({"type": "array", "items": [{"type": "string"}]}) == ListOf(ANY)
