"""The slicer keeps exactly the named operations and every component they reach."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import shared_specs

from .conftest import GITHUB_SLICE
from .slicing import METHODS, slice_document


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolves(document: dict[str, Any], ref: str) -> bool:
    target: Any = document
    for part in ref.removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return False
        target = target[part]
    return True


def test_github_slice_is_closed_and_exact(github_slice: Path) -> None:
    sliced = json.loads(github_slice.read_text())
    kept = [
        op["operationId"]
        for item in sliced["paths"].values()
        for method, op in item.items()
        if method in METHODS
    ]
    assert sorted(kept) == sorted(GITHUB_SLICE)
    dangling = [r for r in _refs(sliced) if not _resolves(sliced, r)]
    assert not dangling
    assert "x-webhooks" not in sliced and "webhooks" not in sliced
    whole = json.loads((shared_specs() / "github.json").read_text())
    assert len(sliced["components"]["schemas"]) < len(whole["components"]["schemas"]) / 10


def test_a_missing_operation_is_an_error() -> None:
    document = {"openapi": "3.0.3", "info": {}, "paths": {"/a": {"get": {"operationId": "a"}}}}
    with pytest.raises(KeyError, match="nope"):
        slice_document(document, ["a", "nope"])


def test_path_level_parameters_and_transitive_components_are_kept() -> None:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {},
        "paths": {
            "/a/{id}": {
                "parameters": [{"$ref": "#/components/parameters/id"}],
                "get": {
                    "operationId": "a",
                    "responses": {"200": {"$ref": "#/components/responses/A"}},
                },
                "post": {"operationId": "b", "responses": {}},
            },
            "/c": {"get": {"operationId": "c", "responses": {}}},
        },
        "components": {
            "parameters": {"id": {"name": "id", "in": "path", "schema": {"type": "string"}}},
            "responses": {
                "A": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
                }
            },
            "schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"items": {"$ref": "#/components/schemas/A"}},  # a cycle
                "Unused": {"type": "string"},
            },
        },
    }
    sliced = slice_document(document, ["a"])
    assert list(sliced["paths"]) == ["/a/{id}"]
    assert set(sliced["paths"]["/a/{id}"]) == {"parameters", "get"}
    assert set(sliced["components"]["schemas"]) == {"A", "B"}
    assert set(sliced["components"]) == {"parameters", "responses", "schemas"}
