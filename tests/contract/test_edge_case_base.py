"""The edge cases (refused and tricky path values, omitted optionals) are built on a drawn case
the method can send."""

from __future__ import annotations

from pathlib import Path

from tests.builds import contract_of


def test_edge_cases_are_sent_when_every_drawn_body_was_refused_before_sending(
    tmp_path: Path,
) -> None:
    """A helper's sweep: a body schema with `properties` but no `type: object` drew null or
    scalars, filed (rightly) as the spec's before sending; the edge cases built on the first
    draw were too, path refusals included: 15 cases, 0 calls (GitHub's
    `update-org-custom-pattern`). They are built on an object body the schema admits."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {
                "patch": {
                    "operationId": "updateThing",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"properties": {"name": {"type": "string"}}}
                            }
                        },
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    report = contract_of(tmp_path, spec, "untypedbase")
    (result,) = report.operations
    assert result.calls > 0
    assert not [f for f in result.failures if f.klass != "spec"], result.failures
