"""A response header whose schema is no Schema Object (oag rust-server's `Success-Info:
{schema: {type: String}}`): schemathesis' header check raised while compiling it, which hid
the other checks and was filed against the sandbox. It is the spec's (`InvalidSchema`, as for
a body schema), and the other checks of the response still run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builds import contract_of

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "invalid header schema", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "getThings",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "integer"}}},
                        "headers": {
                            "Success-Info": {"required": True, "schema": {"type": "String"}}
                        },
                    }
                },
            }
        }
    },
}


@pytest.mark.slow
def test_a_header_schema_that_is_no_schema_object_is_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "badheader")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert failures and all("InvalidSchema: a response header's" in f.message for f in failures)
