"""A helper's sweep: four PagerDuty operations drew no case and were filed as the spec's
`generation` failure. Their body holds `TeamReference`, an `allOf` of a readOnly `id` and
`required: [id]`: schemathesis leaves readOnly properties out of a request and keeps them
required, so it finds the schema unsatisfiable. OpenAPI 3.0 reads that `required` as the
response's only: the spec is valid, the run skips the operation and says why."""

from __future__ import annotations

import json
from pathlib import Path

from apigen.contract import ContractConfig, run_contract
from tests.builds import build_into

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "ro", "version": "1"},
    "paths": {
        "/teams": {
            "post": {
                "operationId": "addTeam",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "team": {"$ref": "#/components/schemas/TeamReference"}
                                },
                                "required": ["team"],
                            }
                        }
                    },
                },
                "responses": {"201": {"description": "ok"}},
            }
        },
        "/services": {  # PagerDuty's: the readOnly `id` an `allOf` deeper (helper 172)
            "post": {
                "operationId": "addService",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ServiceReference"}
                        }
                    },
                },
                "responses": {"201": {"description": "ok"}},
            }
        },
        "/impossible": {
            "post": {
                "operationId": "impossible",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"type": "integer", "minimum": 5, "maximum": 1}
                        }
                    },
                },
                "responses": {"201": {"description": "ok"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Base": {
                "type": "object",
                "properties": {"id": {"type": "string", "readOnly": True}},
            },
            "TeamReference": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "required": ["id"]},
                ]
            },
            "ServiceReference": {
                "allOf": [
                    {"$ref": "#/components/schemas/TeamReference"},
                    {"type": "object", "properties": {"summary": {"type": "string"}}},
                ]
            },
        }
    },
}


def test_a_required_read_only_property_skips_the_operation_and_says_why(tmp_path: Path) -> None:
    spec = tmp_path / "ro.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "ro", name="ro")
    report = run_contract(ContractConfig(tmp_path / "ro", spec=spec, max_examples=2))
    by_id = {op.operation_id: op for op in report.operations}
    team = by_id["addTeam"]
    assert team.failures == [] and "readOnly property TeamReference/id" in team.skipped
    service = by_id["addService"]
    assert service.failures == [] and "readOnly property ServiceReference/id" in service.skipped
    # a schema no value fits is still the spec's
    assert [(f.klass, f.check) for f in by_id["impossible"].failures] == [("spec", "generation")]
