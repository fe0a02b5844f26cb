"""An optional request body flattened into keyword arguments: the body may be left out whole,
so none of its fields is a required argument, even those its schema requires once it is sent
(features/3.0/form-data.yaml: `client_id` and `client_secret` of an optional form body)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apigen.ir import Api
from tests.builds import ir_of


def _body(required: bool | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["client_id"],
                    "properties": {"client_id": {"type": "string"}, "scope": {"type": "string"}},
                }
            }
        }
    }
    if required is not None:
        body["required"] = required
    return body


def _build(tmp_path: Path, required: bool | None) -> Api:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/token": {
                "post": {
                    "operationId": "createToken",
                    "requestBody": _body(required),
                    "responses": {"204": {"description": "made"}},
                }
            }
        },
    }
    return ir_of(tmp_path, spec, "token")


def _required_fields(api: Api) -> dict[str, bool]:
    (op,) = api.operations
    return {p.wire_name: p.required for p in op.params if p.location == "field"}


def test_fields_of_an_optional_body_are_not_required(tmp_path: Path) -> None:
    assert _required_fields(_build(tmp_path, None)) == {"client_id": False, "scope": False}
    assert _required_fields(_build(tmp_path, False)) == {"client_id": False, "scope": False}


def test_fields_of_a_required_body_keep_the_schema_s_required(tmp_path: Path) -> None:
    assert _required_fields(_build(tmp_path, True)) == {"client_id": True, "scope": False}
