"""Keywords beside a `$ref`: OpenAPI 3.0 (and Swagger 2.0) ignore them, 3.1 applies them.

The IR types `{"$ref": T, "required": [...]}` as `T` in every version and schemathesis validates
3.0 documents the same way, so the sandbox must neither demand nor draw by such siblings in a
3.0 document (DigitalOcean's load balancer `droplet_ids`: 50 valid requests refused).
"""

from __future__ import annotations

from typing import Any

import pytest

from apigen.sandbox import ExampleGenerator, Sandbox
from apigen.schema_rules import ref_siblings_apply

THING = {"type": "object", "properties": {"ids": {"type": "array", "items": {"type": "integer"}}}}


def _doc(version: str) -> dict[str, Any]:
    body = {"$ref": "#/components/schemas/Thing", "required": ["ids"]}
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": body}},
                    },
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
        "components": {
            "schemas": {"Thing": THING, "Word": {"type": "string", "example": "target"}}
        },
    }


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3"])
def test_30_request_body_ignores_required_beside_ref(version: str) -> None:
    sandbox = Sandbox(_doc(version))
    assert sandbox.handle("POST", "/things", JSON, b"{}").status == 204
    assert sandbox.handle("POST", "/things", JSON, b'{"ids": [1]}').status == 204
    # the target itself still applies
    assert sandbox.handle("POST", "/things", JSON, b'{"ids": ["x"]}').status == 400


def test_31_request_body_applies_required_beside_ref() -> None:
    sandbox = Sandbox(_doc("3.1.0"))
    refused = sandbox.handle("POST", "/things", JSON, b"{}")
    assert refused.status == 400
    assert "'ids' is a required property" in refused.body.decode()
    assert sandbox.handle("POST", "/things", JSON, b'{"ids": [1]}').status == 204


@pytest.mark.parametrize(("version", "expected"), [("3.0.3", "target"), ("3.1.0", "sibling")])
def test_drawn_values_follow_the_version(version: str, expected: str) -> None:
    generator = ExampleGenerator(_doc(version))
    schema = {"$ref": "#/components/schemas/Word", "enum": ["sibling"]}
    assert generator.generate(schema) == expected
    in_all_of = {"allOf": [{"$ref": "#/components/schemas/Word", "enum": ["sibling"]}]}
    assert generator.generate(in_all_of) == expected


def test_which_versions_apply_siblings() -> None:
    assert not ref_siblings_apply({"swagger": "2.0"})
    assert not ref_siblings_apply({"openapi": "3.0.3"})
    assert ref_siblings_apply({"openapi": "3.1.0"})
    assert ref_siblings_apply({"openapi": "3.2.0"})
