"""Two readings OpenAI's spec (corpus2/providers/openai/openapi.yaml, OpenAPI 3.1) needed.

- `nullable: true` in a 3.1 document (converted from 3.0: `tracing: {nullable: true, oneOf:
  [...]}`, `logit_bias: {type: object, nullable: true}`): no 3.1 keyword, but the IR and
  schemathesis read it in every version, so the generated client sends `None` there. The
  request validators refused it; responses are still drawn without null there (valid by
  either reading).
- A form-exploded query object spelled through `anyOf` (`metadata: anyOf: [object, null]`):
  its keys are the query's own, and an unknown key was refused.
"""

from __future__ import annotations

import json
from typing import Any

from apigen.sandbox import Sandbox

JSON = {"Content-Type": "application/json"}
TRACING = {
    "nullable": True,
    "oneOf": [
        {"type": "string", "enum": ["auto"]},
        {"type": "object", "properties": {"group_id": {"type": "string"}}},
    ],
}
BODY = {
    "type": "object",
    "properties": {
        "tracing": TRACING,
        "bias": {"type": "object", "nullable": True},
        "mode": {"type": "string", "enum": ["a", "b"], "nullable": True},
        "strict": {"type": "string"},
    },
}
METADATA = {
    "anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "null"}]
}


def _doc() -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": BODY}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/calls": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": BODY}}},
                    "responses": {"200": ok, "400": {"description": "bad"}},
                },
                "get": {
                    "parameters": [{"name": "metadata", "in": "query", "schema": METADATA}],
                    "responses": {"200": ok, "400": {"description": "bad"}},
                },
            }
        },
    }


def _post(sandbox: Sandbox, body: dict[str, Any]) -> int:
    return sandbox.handle("POST", "/calls", JSON, json.dumps(body).encode()).status


def test_nullable_in_a_3_1_document_admits_null_in_requests() -> None:
    sandbox = Sandbox(_doc(), seed=0)
    assert _post(sandbox, {"tracing": None, "bias": None, "mode": None}) == 200
    assert _post(sandbox, {"tracing": "auto", "mode": "a"}) == 200
    assert _post(sandbox, {"strict": None}) == 400  # no `nullable`: null stays refused
    assert _post(sandbox, {"mode": "c"}) == 400


def test_drawn_responses_leave_out_the_null_a_strict_3_1_reading_refuses() -> None:
    sandbox = Sandbox(_doc(), seed=0)
    for _ in range(30):
        reply = sandbox.handle("POST", "/calls", JSON, b"{}")
        body = json.loads(reply.body)
        assert all(body.get(k, 0) is not None for k in ("tracing", "bias", "mode")), body


def test_a_form_exploded_object_through_any_of_takes_any_query_key() -> None:
    sandbox = Sandbox(_doc(), seed=0)
    assert sandbox.handle("GET", "/calls?=&team=red&x%01=1").status == 200


def _ref_doc(version: str) -> dict[str, Any]:
    body = {
        "type": "object",
        "properties": {
            "response_format": {"$ref": "#/components/schemas/Format", "nullable": True}
        },
    }
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/calls": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
                }
            }
        },
        "components": {"schemas": {"Format": TRACING["oneOf"][0]}},
    }


def test_nullable_beside_a_ref_admits_null_in_every_version() -> None:
    """OpenAI's `response_format: {$ref: ..., nullable: true}`: what sits beside a `$ref`
    applies in 3.1, where the IR types it `| None` (decisions.md 45); in 3.0 `nullable` alone
    is read there too, as the IR and schemathesis read it (§89)."""
    for version in ("3.1.0", "3.0.3"):
        sandbox = Sandbox(_ref_doc(version), seed=0)
        assert _post(sandbox, {"response_format": None}) == 200
        assert _post(sandbox, {"response_format": "auto"}) == 200
        assert _post(sandbox, {"response_format": "manual"}) == 400


def test_an_example_holding_null_beside_a_ref_is_served() -> None:
    """A helper's review: the spec's example `{"owner": null}` for `owner: {$ref: User,
    nullable: true}` was taken for invalid (the fits check followed the `$ref` and dropped the
    `nullable` beside it) and replaced by a drawn body."""
    for version in ("3.0.3", "3.1.0"):
        doc: dict[str, Any] = {
            "openapi": version,
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/pets": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {
                                        "schema": {"$ref": "#/components/schemas/Pet"},
                                        "example": {"name": "Rex", "owner": None},
                                    }
                                },
                            }
                        }
                    }
                }
            },
            "components": {
                "schemas": {
                    "Pet": {
                        "type": "object",
                        "required": ["name", "owner"],
                        "properties": {
                            "name": {"type": "string"},
                            "owner": {"$ref": "#/components/schemas/User", "nullable": True},
                        },
                    },
                    "User": {"type": "object", "properties": {"login": {"type": "string"}}},
                }
            },
        }
        reply = Sandbox(doc, seed=0, dynamic=False).handle("GET", "/pets")
        assert json.loads(reply.body) == {"name": "Rex", "owner": None}, version
