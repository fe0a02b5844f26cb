"""An operation whose responses name no status (opc's `documents_with_errors/bad-status-code`:
only `"abcdef"`): no status answering it can be documented, so the sandbox's 204 is no sandbox
fault. Such an operation counts as one documenting no response (the spec's `NO_RESPONSES`),
like a 3.1 operation without `responses`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import NO_RESPONSES
from tests.builds import contract_of

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "bad status", "version": "1"},
    "paths": {
        "/": {
            "get": {
                "operationId": "root",
                "responses": {
                    "abcdef": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"const": "fixed"}}},
                    }
                },
            }
        }
    },
}


@pytest.mark.slow
def test_responses_under_no_status_key_are_none(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "badstatus")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert failures and all(f.message.startswith(NO_RESPONSES) for f in failures)
