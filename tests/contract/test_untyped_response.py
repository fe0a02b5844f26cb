"""A conforming response value an untyped container schema admits is the spec's, not the
client's.

apacta's `GET /expenses/highest_amount` items are `{maxItems: 1, properties: {...}}` without a
`type`: JSON Schema admits `[]` there (Prism served `{"data": [[]]}`), the generated model
rightly wants the object the schema means (decisions §39), and the contract run reported a
client failure (Prism over corpus, 2026-12-05). Requests had this rule (`untyped_schema`),
responses did not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apigen.contract import ContractConfig, run_contract
from apigen.contract.runner import UNTYPED_RESPONSE
from apigen.contract.sandbox import start_sandbox
from tests.builds import build_into

ITEM = {"maxItems": 1, "properties": {"amount": {"type": "number"}}}
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "http://localhost"}],
    "paths": {
        "/highest": {
            "get": {
                "operationId": "getHighest",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {"type": "array", "items": ITEM},
                                        "count": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def _run(tmp_path: Path, body: Any, name: str = "highest") -> Any:
    spec = tmp_path / f"{name}.json"
    spec.write_text(json.dumps(DOC))
    out = tmp_path / name
    build_into(spec, out, name=name)  # (a package of its own: the run imports it)
    sandbox = start_sandbox(DOC)
    try:
        sandbox.set_response("GET", "/highest", 200, body)
        return run_contract(
            ContractConfig(out, spec=spec, max_examples=1, seed=0, base_url=sandbox.url)
        )
    finally:
        sandbox.stop()


def test_a_value_only_an_untyped_schema_admits_is_the_spec_s(tmp_path: Path) -> None:
    report = _run(tmp_path, {"data": [[]]})
    assert [f for f in report.failures() if UNTYPED_RESPONSE in f.message]
    assert not report.new_failures("client")


def test_null_for_an_all_of_of_untyped_members_is_the_spec_s(tmp_path: Path) -> None:
    """Zoom's `GET /metrics/issues/zoomrooms` (a helper's Prism sweep): `allOf: [{properties},
    {properties}]` with no `type` anywhere admits `null`, which Prism served; the client reads
    the schema as the object it means and the run filed 8 client failures. The untyped rule
    looked into `anyOf`/`oneOf` members, not `allOf`."""
    members = [
        {"properties": {"total_records": {"type": "integer"}}},
        {"properties": {"zoom_rooms": {"type": "array", "items": {"type": "string"}}}},
    ]
    content = DOC["paths"]["/highest"]["get"]["responses"]["200"]["content"]
    saved = content["application/json"]["schema"]
    content["application/json"]["schema"] = {"allOf": members}
    try:
        report = _run(tmp_path, None, "zoomrooms")
    finally:
        content["application/json"]["schema"] = saved
    assert [f for f in report.failures() if UNTYPED_RESPONSE in f.message]
    assert not report.new_failures("client")
