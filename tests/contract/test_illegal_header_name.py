"""A header parameter whose name is no HTTP token (opc's baseline 3.1 `header param`): httpx
refuses it before connecting, which the runner reported as the sandbox giving no response. It
is the spec's: no client can send the header and no server could read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract.runner import ILLEGAL_HEADER_NAME
from tests.builds import contract_of

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "headers", "version": "1"},
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "header param", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


@pytest.mark.slow
def test_a_header_name_with_a_space_is_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "illegalheader")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert any(f.message.startswith(ILLEGAL_HEADER_NAME) for f in failures)
