"""A schema that requires a value of itself (TreeNode's required `parent: TreeNode`) has no
finite value: the sandbox's drawn body says so (X-Sandbox-Spec-Problem) and the contract files
the body's failures as the spec's, the client's strict parse included
(features/3.0/circular-request-bodies.yaml: 6 sandbox failures -> 0)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import NO_VALID_BODY
from apigen.sandbox._examples import ExampleGenerator
from tests.builds import contract_of

TREE = {"$ref": "#/components/schemas/TreeNode"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "endless", "version": "1"},
    "paths": {
        "/direct": {
            "post": {
                "operationId": "direct",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": TREE}}}
                },
            }
        }
    },
    "components": {
        "schemas": {
            "TreeNode": {
                "type": "object",
                "required": ["id", "parent"],
                "properties": {
                    "id": {"type": "string"},
                    "parent": TREE,
                    "children": {"type": "array", "items": TREE},
                },
            },
            "Optional": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "next": {"$ref": "#/components/schemas/Optional"},
                },
            },
        }
    },
}


def test_a_schema_requiring_itself_without_end_is_noted() -> None:
    notes: list[str] = []
    ExampleGenerator(SPEC).generate(TREE, notes=notes)
    assert notes == [
        "#/components/schemas/TreeNode requires a value of itself inside it, without end: "
        "no finite value exists"
    ]
    optional: list[str] = []  # recursion through an optional property ends: nothing to note
    ExampleGenerator(SPEC).generate({"$ref": "#/components/schemas/Optional"}, notes=optional)
    assert optional == []


@pytest.mark.slow
def test_its_drawn_body_is_the_spec_s_failure(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "endless")
    failures = [f for op in report.operations for f in op.failures]
    bad = [f for f in failures if f.klass != "spec"]
    assert not bad, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in bad)
    assert failures and all(f.message.startswith(NO_VALID_BODY) for f in failures)
