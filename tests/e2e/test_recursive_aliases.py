"""A schema that names itself through a list or a map is a recursive type alias.

A JSON-value schema (`oneOf: [string, number, ..., array of itself, map of itself]`: Vercel's
`EdgeConfigItemValue`, openapi-python-client's baseline) was cut where it named itself: the
nested values were `Any`, so neither a type checker nor validation saw them. Such an alias is now
a `TypeAliasType` whose value is a string pydantic evaluates on first use (mypy, pyright and
pydantic all read it). A cycle nothing wraps (`Self: oneOf: [Self, string]`) describes no value
of its own and is still cut, with a warning. Found by reading the corpus' build warnings,
2026-12-05 (decisions §72)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter, ValidationError

from apigen.diagnostics import Report
from apigen.ir.nodes import ANY, AliasDef, DictOf, ListOf, Nullable, Prim, Ref, UnionOf
from tests.builds import api_of, assert_strict_mypy, build_into, on_path

_VALUE = "#/components/schemas/JsonValue"
_TREE = "#/components/schemas/Tree"

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Rec", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/items": {
            "post": {
                "operationId": "putItem",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": _TREE}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "JsonValue": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "integer"},
                    {"type": "boolean"},
                    {"type": "null"},
                    {"type": "array", "items": {"$ref": _VALUE}},
                    {"type": "object", "additionalProperties": {"$ref": _VALUE}},
                ]
            },
            "Item": {
                "type": "object",
                "properties": {"key": {"type": "string"}, "value": {"$ref": _VALUE}},
            },
            # two aliases naming each other through a map
            "Tree": {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/Branch"},
            },
            "Branch": {"oneOf": [{"$ref": _TREE}, {"type": "integer"}]},
            "Self": {"oneOf": [{"$ref": "#/components/schemas/Self"}, {"type": "string"}]},
        }
    },
}


def _alias(api: Any, name: str) -> AliasDef:
    alias = api.definitions[api.components[name]]
    assert isinstance(alias, AliasDef)
    return alias


def test_a_cycle_through_a_list_or_map_is_kept_and_marked_recursive() -> None:
    report = Report()
    api = api_of(SPEC, report)
    value = _alias(api, "JsonValue")
    assert value.recursive
    self_ref = Nullable(Ref(_VALUE))  # (JsonValue admits null: every reference says so)
    assert value.target == Nullable(
        UnionOf((Prim("str"), Prim("int"), Prim("bool"), ListOf(self_ref), DictOf(self_ref)))
    )
    assert _alias(api, "Tree").recursive and _alias(api, "Branch").recursive
    self_ = _alias(api, "Self")  # nothing wraps the cycle: cut as before
    assert not self_.recursive and self_.target == UnionOf((ANY, Prim("str")))
    warned = [d.pointer for d in report.items if d.kind == "recursion"]
    assert warned == ["#/components/schemas/Self"]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rec")
    spec = root / "rec.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, root / "out", name="rec")
    return root / "out"


def test_nested_values_are_validated_to_any_depth(out: Path) -> None:
    answer = {"a": {"b": {"c": 1}}, "d": 2}
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json=answer)

    with on_path(out, "rec") as rec:
        client = rec.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        tree = client.items.create(key="k", value={"x": [1, "y", None, {"z": [True]}]})
        assert tree == answer
        assert json.loads(sent[0]) == {"key": "k", "value": {"x": [1, "y", None, {"z": [True]}]}}
        from rec.models.json_value import JsonValue  # type: ignore[import-not-found]

        adapter: TypeAdapter[Any] = TypeAdapter(JsonValue)
        assert adapter.validate_python([1, [2, {"a": [None]}]]) == [1, [2, {"a": [None]}]]
        with pytest.raises(ValidationError):  # checked three levels down, not `Any` there
            adapter.validate_python([1, [2, {"a": [1.5]}]])


def test_recursive_aliases_pass_mypy_strict(out: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "use_rec.py"
    snippet.write_text(
        "from rec.models.json_value import JsonValue\n"
        "from rec.models.tree import Tree\n\n"
        "value: JsonValue = {'a': [1, 'b', None, {'c': True}]}\n"
        "tree: Tree = {'a': {'b': 1}}\n"
        # mypy checks the nested item: without the error, the ignore is unused (strict)
        "bad: JsonValue = {'a': [object()]}  # type: ignore[list-item]\n"
    )
    assert_strict_mypy(out, snippet)
