"""A valid spec nesting 500 inline `allOf`s (a helper's fuzzing) failed the build as "apigen
could not read this document (RecursionError ...)": looking down the `allOf` members for a
description recursed once a level (`ir/text.py::schema_doc`). It looks 32 levels down."""

from __future__ import annotations

from typing import Any

from apigen.ir.text import schema_doc
from tests.builds import api_of


def _nested(depth: int, innermost: dict[str, Any]) -> dict[str, Any]:
    schema = innermost
    for _ in range(depth):
        schema = {"allOf": [schema]}
    return schema


def test_a_deeply_nested_all_of_builds() -> None:
    deep = _nested(500, {"type": "string"})
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "g",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Deep"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Deep": deep}},
    }
    (op,) = api_of(document).operations
    assert op.responses[0].kind == "json"


def test_a_description_a_few_levels_down_is_still_found() -> None:
    assert schema_doc(_nested(5, {"description": "Deep down."})) == "Deep down."
    assert schema_doc(_nested(500, {"description": "Too deep."})) == ""
