"""Edge cases are built on a drawn case whose query values are not empty.

A helper's sweep (193): schemathesis often draws `q=""` first for a required string query
parameter, and the edge cases (the path values `/ ? # % é/ü`, boundaries, optionals left out)
copied it: every one was refused for the empty `q=` (filed as the spec's `empty_query_value`,
5,014 filings in one sweep), so their answers were never a success to parse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigen.contract import ContractConfig, run_contract
from tests.builds import build_into

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": {"description": "bad"},
                },
            }
        }
    },
}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_edge_cases_do_not_inherit_an_empty_query_value(tmp_path: Path, seed: int) -> None:
    spec = tmp_path / "edge.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "out", name="edge")
    report = run_contract(ContractConfig(tmp_path / "out", spec=spec, max_examples=3, seed=seed))
    (op,) = report.operations
    assert op.cases > 5  # the edge cases ran
    inherited = [f for f in op.failures if f.case.startswith("edge")]
    assert inherited == [], [(f.case, f.check) for f in inherited]
