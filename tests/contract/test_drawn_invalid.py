"""A value schemathesis draws outside its own schema (hypothesis reads the literal `{` of
`^(?:{[0-9a-f]{4}...})$` otherwise than JSON Schema's regex) is refused by the sandbox, as
by any server: the contract files that case as the spec's (`drawn_invalid`), not as a sandbox
refusing a valid request (features/3.0/schema-validation.yaml: 16 sandbox -> 0)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import DRAWN_INVALID
from tests.builds import contract_of

PATTERN = "^(?:{[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}}|[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7})$"

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "drawn invalid", "version": "1"},
    "paths": {
        "/strings": {
            "get": {
                "operationId": "strings",
                "parameters": [
                    {
                        "name": "guid",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "pattern": PATTERN},
                    }
                ],
                "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
            }
        }
    },
}


@pytest.mark.slow
def test_a_value_drawn_outside_its_pattern_is_the_spec_s_case(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "drawninvalid")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    drawn = [f for f in failures if f.check == "drawn_invalid"]
    assert drawn and all(f.message.startswith(f"{DRAWN_INVALID}: query guid=") for f in drawn)
