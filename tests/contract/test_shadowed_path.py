"""A drawn path value that spells another operation's path is the spec's ambiguity.

A helper's regression sweep: rubrik's `/exclusion_pattern/{id}` drew `id='bulk'`, and the
request went to its concrete `/exclusion_pattern/bulk` (concrete paths win, in our sandbox as
in servers): the answer was another operation's, filed as the sandbox's fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract.runner import SHADOWED_PATH
from tests.builds import contract_of

_BODY = {"type": "object", "properties": {"pattern": {"type": "string"}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "shadow", "version": "1"},
    "paths": {
        "/patterns/bulk": {
            "post": {
                "operationId": "bulkUpdatePatterns",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "array", "items": _BODY}}},
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/patterns/{id}": {
            "post": {
                "operationId": "updatePattern",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["bulk", "p1"]},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _BODY}},
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


@pytest.mark.slow
def test_a_value_spelling_a_concrete_path_is_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "shadowed")
    failures = [f for op in report.operations for f in op.failures]
    assert not [f for f in failures if f.klass != "spec"], failures
    shadowed = [f for f in failures if f.check == "path_shadowed"]
    assert shadowed and shadowed[0].message.startswith(SHADOWED_PATH)
    assert "'/patterns/bulk'" in shadowed[0].message
