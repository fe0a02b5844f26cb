"""A required form field whose schema admits null or [] (Twilio's `UseCaseCategories`): the
client sends nothing for it (a form has no spelling), the sandbox refuses the body as missing
the field; the contract run classes that as the spec's (FORM_EMPTY_REQUIRED)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigen.contract import ContractConfig, run_contract
from apigen.contract.wire import FORM_EMPTY_REQUIRED
from tests.builds import build_into

ARRAY = {"type": "array", "nullable": True, "items": {"type": "string", "enum": ["A", "B"]}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "verify", "version": "1"},
    "paths": {
        "/verifications": {
            "post": {
                "operationId": "createVerification",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["Name", "Categories"],
                                "properties": {"Name": {"type": "string"}, "Categories": ARRAY},
                            }
                        }
                    },
                },
                "responses": {"201": {"description": "made"}},
            }
        }
    },
}


@pytest.mark.slow
def test_an_unspellable_required_form_field_is_the_spec_s(tmp_path: Path) -> None:
    path = tmp_path / "verify.json"
    path.write_text(json.dumps(SPEC))
    out = tmp_path / "verify"
    build_into(path, out, name="verify")
    report = run_contract(ContractConfig(out, spec=path, max_examples=10, seed=0))
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert any(f.message.startswith(FORM_EMPTY_REQUIRED) for f in failures)
