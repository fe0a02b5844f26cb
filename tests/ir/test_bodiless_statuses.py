"""A 204, 205 or 304 carries no content (RFC 9110), whatever the spec documents for it.

A helper's corpus2 sweep: `rust-server`'s `/rfc7807` declares a JSON body for its 204; the
method was typed `-> ObjectWithArrayOfObjects` while the runtime returns None for a 204, so a
type checker vouched for an attribute access that fails. Typed as no content, with a warning."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.diagnostics import Report
from apigen.ir.nodes import NONE
from tests.builds import api_of


def _spec(status: str) -> dict[str, Any]:
    body = {
        "schema": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/thing": {
                "get": {
                    "operationId": "getThing",
                    "responses": {
                        status: {"description": "x", "content": {"application/json": body}}
                    },
                }
            }
        },
    }


@pytest.mark.parametrize("status", ["204", "205", "304"])
def test_a_bodiless_status_is_typed_as_no_content(status: str) -> None:
    report = Report()
    api = api_of(_spec(status), report)
    (op,) = api.operations
    (response,) = op.responses
    assert response.kind == "empty" and response.type == NONE
    (warning,) = [w for w in report.warnings if w.kind == "responses"]
    assert warning.pointer == f"#/paths/~1thing/get/responses/{status}/content"
    assert "no content (RFC 9110)" in warning.message


def test_a_200_keeps_its_body() -> None:
    api = api_of(_spec("200"))
    (op,) = api.operations
    assert op.responses[0].kind == "json" and op.responses[0].type != NONE
