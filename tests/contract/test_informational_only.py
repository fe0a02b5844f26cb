"""An operation that documents only informational (1xx) responses (features/3.0's
http-status-codes: `/status/100` ... `/status/103`). A 1xx is interim (RFC 9110 section 15.2),
never the answer: the sandbox sent it as the final response, so clients waited for the real one
until they timed out (`101` switched protocols and dropped the connection), and the contract
blamed the sandbox. The sandbox now never answers with a 1xx, and the undocumented status that
answers such an operation is the spec's, as for an operation that documents no response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.sandbox import Sandbox
from apigen.sandbox._responses import status_key
from tests.builds import contract_of

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "informational", "version": "1"},
    "paths": {
        f"/status/{code}": {
            "get": {
                "operationId": f"getStatus{code}",
                "responses": {str(code): {"description": "interim"}},
            }
        }
        for code in (100, 101, 103)
    }
    | {
        "/mixed": {
            "get": {
                "operationId": "getMixed",
                "responses": {"1XX": {"description": "interim"}, "404": {"description": "no"}},
            }
        }
    },
}


def test_the_sandbox_never_answers_with_an_interim_status() -> None:
    assert status_key({"100": {}}) is None
    assert status_key({"1XX": {}, "101": {}}) is None
    assert status_key({"1XX": {}, "404": {}}) == ("404", 404)
    assert status_key({"103": {}, "default": {}}) == ("default", 200)
    with Sandbox(SPEC, seed=0) as sandbox:
        for code in (100, 101, 103):
            response = httpx.get(f"{sandbox.url}/status/{code}", timeout=5)
            assert response.status_code >= 200
        assert httpx.get(f"{sandbox.url}/mixed", timeout=5).status_code == 404


@pytest.mark.slow
def test_an_operation_documenting_only_interim_statuses_is_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "informational")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert {f.check for f in failures if f.klass == "spec"} <= {
        "status_code_conformance",
        "no_success_response",
    }
