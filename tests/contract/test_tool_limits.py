"""What schemathesis cannot draw for a valid spec is a skipped operation, not the spec's fault.

A helper's contract sweep: every exception schemathesis raised while drawing was filed as
`[spec] generation`, among them "No supported serializers for media types: multipart/related"
(a valid body it cannot build): the report blamed valid specs, and nothing said the operation
went unchecked. Those are skipped with the reason; an unsatisfiable schema stays the spec's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builds import contract_of

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "related", "version": "1"},
    "paths": {
        "/documents": {
            "post": {
                "operationId": "uploadDocument",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/related": {
                            "schema": {
                                "type": "object",
                                "properties": {"meta": {"type": "object"}},
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "stored"}},
            }
        },
        "/documents/{id}": {
            "get": {
                "operationId": "getDocument",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "there"}},
            }
        },
    },
}


@pytest.mark.slow
def test_a_body_schemathesis_cannot_serialise_skips_the_operation(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "related")
    ops = {op.operation_id: op for op in report.operations}
    upload = ops["uploadDocument"]
    assert not upload.failures, upload.failures
    assert "SerializationNotPossible" in upload.skipped and "multipart/related" in upload.skipped
    assert ops["getDocument"].calls > 0 and not ops["getDocument"].skipped
