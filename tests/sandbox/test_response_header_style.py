"""Declared response headers are written in OpenAPI's `simple` style.

An array or object header went out as JSON text (`{"a": 71}`), which schemathesis, like any
reader of the style, reads as one string: every response of a hand-written spec with an
object header broke its own schema (66 sandbox failures)."""

from __future__ import annotations

from typing import Any

from apigen.sandbox import Sandbox
from apigen.sandbox._responses import simple_text


def test_arrays_and_objects_are_comma_joined() -> None:
    assert simple_text(["a", 1, True, None], explode=False) == "a,1,true"
    assert simple_text({"a": 1, "b": "x", "c": None}, explode=False) == "a,1,b,x"
    assert simple_text({"a": 1, "b": "x"}, explode=True) == "a=1,b=x"
    assert simple_text(7, explode=False) == "7" and simple_text("s", explode=False) == "s"


def test_a_drawn_response_carries_them_so() -> None:
    def header(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {"schema": schema, **extra}

    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "X-Meta": header(
                                    {
                                        "type": "object",
                                        "required": ["a"],
                                        "properties": {"a": {"type": "integer"}},
                                    },
                                    explode=True,
                                ),
                                "X-Flags": header(
                                    {"type": "array", "minItems": 2, "items": {"type": "integer"}}
                                ),
                            },
                        }
                    }
                }
            }
        },
    }
    reply = Sandbox(doc, seed=0).handle("GET", "/x", {}, b"")
    meta = reply.headers["X-Meta"]
    assert meta.startswith("a=") and int(meta.split(",")[0][2:]) is not None
    flags = reply.headers["X-Flags"].split(",")
    assert len(flags) >= 2 and all(int(f) is not None for f in flags)
