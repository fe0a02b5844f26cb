"""A spec's example string past 4,096 characters is no example (a helper's fuzzing: one 1 MB
`example` made a 10.5 MB README, every call of it spelling the value out; a 26 MB spec made a
157 MB README). The value's own schema still types it; the README shows a made-up one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigen.ir.examples import example_value
from tests.builds import build_into

HUGE = "x" * 1_000_000


@pytest.mark.parametrize("key", ["example", "default", "const"])
def test_a_huge_example_string_is_none(key: str) -> None:
    value = example_value({"type": "string", key: HUGE}, lambda node: node)
    assert value != HUGE
    assert example_value({"type": "string", key: "fits"}, lambda node: node) == "fits"


def test_the_readme_stays_small(tmp_path: Path) -> None:
    param = {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "parameters": [{**param, "example": HUGE}],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document))
    build_into(spec, tmp_path / "out", name="huge")
    assert (tmp_path / "out" / "README.md").stat().st_size < 100_000
