"""A header parameter whose listed value holds CR, LF or NUL is warned (a helper's hostile
specs: `enum: ["x\\r\\nY: z"]` on a required header passed `check` with no warning, and every
call then raised `ValueError` in the runtime, which refuses it: no injection, but no word)."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.diagnostics import Report
from tests.builds import api_of


def _spec(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "parameters": [{"name": "X-Mode", "in": "header", "schema": schema}],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "enum": ["fine", "x\r\nY: z"]},
        {"type": "string", "default": "a\nb"},
        {"type": "string", "const": "nul\x00"},
        {"type": "string", "enum": ["vt\x0b"]},  # (helper 226: as the runtime refuses them)
        {"type": "string", "enum": ["del\x7f"]},
    ],
)
def test_a_header_value_no_header_can_carry_is_warned(schema: dict[str, Any]) -> None:
    report = Report()
    api_of(_spec(schema), report)
    found = [d for d in report.warnings if "no header can carry" in d.message]
    assert len(found) == 1 and found[0].pointer.endswith("/parameters/0/schema"), found


def test_plain_header_values_are_not_warned() -> None:
    report = Report()
    api_of(_spec({"type": "string", "enum": ["a", "b c", "tab\tinside"], "default": "a"}), report)
    assert not [d for d in report.warnings if "no header can carry" in d.message]
