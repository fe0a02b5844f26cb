"""`multipleOf` read as the decimals JSON writes, in validation and in draws.

A helper's contract sweep: `client.charges.create(amount=19.99)` against `multipleOf: 0.01` got
a 400 "not a multiple of 0.01" from the sandbox (jsonschema divides the floats: 19.99 / 0.01 is
1998.9999999999998), and the contract's request check filed the same as a spec problem; the
draws gave 0.30000000000000004 for `{multipleOf: 0.1, minimum: 0.25}` and -11 for a multiple of
3 below -10."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator, OAS31Validator

from apigen.sandbox import Sandbox
from apigen.sandbox._dialect import (
    OAS30NullableValidator,
    OAS31BoundsValidator,
    decimal_multiple,
    tolerant,
)
from apigen.sandbox._scalars import number


@pytest.mark.parametrize(
    ("value", "divisor", "expected"),
    [
        *[(19.99, 0.01, True), (4.98, 0.01, True), (0.3, 0.1, True), (0.07, 0.01, True)],
        *[(19.995, 0.01, False), (0.30000000000000004, 0.1, False), (7, 2, False)],
        (1e300, 0.5, True),
    ],
)
def test_multiples_are_decimal(value: float, divisor: float, expected: bool) -> None:
    assert decimal_multiple(value, divisor) is expected
    for cls in (
        OAS31BoundsValidator,
        OAS30NullableValidator,
        tolerant(OAS30Validator),
        tolerant(OAS31Validator),
    ):
        assert cls({"type": "number", "multipleOf": divisor}).is_valid(value) is expected


def test_the_sandbox_takes_a_price_in_cents() -> None:
    money: dict[str, Any] = {"type": "number", "multipleOf": 0.01}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/charges": {
                "post": {
                    "parameters": [{"name": "tip", "in": "query", "schema": money}],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": {"amount": money}}
                            }
                        }
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    with Sandbox(document) as sandbox, httpx.Client(base_url=sandbox.url or "") as client:
        assert client.post("/charges?tip=0.07", json={"amount": 19.99}).status_code == 204
        refused = client.post("/charges", json={"amount": 19.995})
        assert refused.status_code in (400, 422) and "multiple" in refused.text


@pytest.mark.parametrize(
    "schema",
    [
        {"multipleOf": 0.1, "minimum": 0.25},
        {"multipleOf": 0.01, "minimum": 19.9, "maximum": 20},
        {"multipleOf": 3, "maximum": -10},
        {"multipleOf": 0.5, "exclusiveMaximum": 0},
    ],
)
def test_draws_are_decimal_multiples_inside_the_bounds(schema: dict[str, Any]) -> None:
    validator = OAS31BoundsValidator({"type": "number", **schema})
    for variant in range(6):
        drawn = number(schema, random.Random(variant), variant)
        assert validator.is_valid(drawn), (schema, drawn)


def test_a_quotient_past_28_digits_is_still_exact() -> None:
    """decimal's default precision (28 digits) rounded 1e30 / 0.3 to an integer."""
    assert not decimal_multiple(1e30, 0.3)
    assert decimal_multiple(3e30, 0.3)
