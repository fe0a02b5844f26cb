"""What the spec marks `deprecated` says so in its docstring: a parameter (its own flag, or its
schema's), a body property, a model field and a model.

A hand probe: `{name: old_filter, deprecated: true, description: Use filter.}` rendered
`old_filter: Use filter.`, and a deprecated response property had no docstring at all, so an
editor's hover gave no hint the provider means to remove them (openai-python's docstrings say
"Deprecated"). A text that already says so is left as it is."""

from __future__ import annotations

from typing import Any

from apigen.ir.nodes import ModelDef
from tests.builds import api_of


def _spec() -> dict[str, Any]:
    thing = {
        "type": "object",
        "deprecated": True,
        "description": "A thing.",
        "properties": {
            "a": {"type": "string", "deprecated": True},
            "b": {"type": "string", "deprecated": True, "description": "Deprecated: use c."},
            "c": {"type": "string", "description": "The c."},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "makeThing",
                    "parameters": [
                        {
                            "name": "old_filter",
                            "in": "query",
                            "deprecated": True,
                            "description": "Use filter.",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "legacy",
                            "in": "query",
                            "schema": {"type": "string", "deprecated": True},
                        },
                        {"name": "filter", "in": "query", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "name": {"type": "string", "deprecated": True},
                                        "size": {"type": "integer"},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Thing": thing}},
    }


def test_deprecated_parameters_and_body_properties_say_so() -> None:
    (op,) = api_of(_spec()).operations
    docs = {p.py_name: p.doc for p in op.params}
    assert docs["old_filter"] == "Deprecated. Use filter."
    assert docs["legacy"] == "Deprecated."
    assert docs["filter"] == ""
    assert docs["name"] == "Deprecated."
    assert docs["size"] == ""


def test_deprecated_models_and_fields_say_so_once() -> None:
    api = api_of(_spec())
    thing = api.definitions["#/components/schemas/Thing"]
    assert isinstance(thing, ModelDef)
    assert thing.doc == "Deprecated. A thing."
    fields = {f.py_name: f.doc for f in thing.fields}
    assert fields == {"a": "Deprecated.", "b": "Deprecated: use c.", "c": "The c."}
