"""A parameter whose schema has `properties` but no `type` (dcg's `plmn-id`, a JSON query
parameter of `Pet` without `type: object`): JSON Schema admits any value there, and the method
(rightly) takes the model; a drawn string is the spec's case (`untyped_schema`), as it is in a
body since decisions §39."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builds import contract_of

SPEC: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "untyped parameter", "version": "1"},
    "paths": {
        "/auth": {
            "get": {
                "operationId": "getAuth",
                "parameters": [
                    {
                        "name": "plmn-id",
                        "in": "query",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}


@pytest.mark.slow
def test_a_non_object_for_an_untyped_parameter_schema_is_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "untypedparam")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert {f.check for f in failures} <= {"untyped_schema"}
