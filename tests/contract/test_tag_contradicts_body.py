"""A body whose discriminator names one member and whose fields are another's is the server's
fault, not the client's (a helper's Prism sweep: Prism `-d` drew PagerDuty's `action_type:
process_automation` and built the rest from the script member). schemathesis ignores a mapped
discriminator and let it pass; the client, parsing by the tag, refused it, and the runner filed
that refusal as the client's failure. The OpenAPI validator, which reads the tag, judges again."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from apigen.contract import ContractConfig, run_contract
from tests.builds import build_into
from tests.servers import serving

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "tags", "version": "1"},
    "paths": {
        "/action": {
            "get": {
                "operationId": "getAction",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Holder"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Holder": {
                "type": "object",
                "required": ["action"],
                "properties": {
                    "action": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Script"},
                            {"$ref": "#/components/schemas/Job"},
                        ],
                        "discriminator": {
                            "propertyName": "action_type",
                            "mapping": {
                                "script": "#/components/schemas/Script",
                                "job": "#/components/schemas/Job",
                            },
                        },
                    }
                },
            },
            "Script": {
                "type": "object",
                "required": ["action_type", "script"],
                "properties": {"action_type": {"type": "string"}, "script": {"type": "string"}},
            },
            "Job": {
                "type": "object",
                "required": ["action_type", "job_id"],
                "properties": {"action_type": {"type": "string"}, "job_id": {"type": "string"}},
            },
        }
    },
}


class Contradicting(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"action": {"action_type": "job", "script": "echo"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_tag_naming_another_member_than_the_body_is_the_server_s(tmp_path: Path) -> None:
    spec = tmp_path / "tags.json"
    spec.write_text(json.dumps(SPEC))
    out = tmp_path / "tags"
    build_into(spec, out, name="tags")
    with serving(Contradicting) as url:
        report = run_contract(
            ContractConfig(out, spec=spec, base_url=url, mock=True, max_examples=2, seed=0)
        )
    failures = [f for op in report.operations for f in op.failures]
    assert failures and not [f for f in failures if f.klass == "client"], failures
    judged = [f for f in failures if f.check == "response_schema_conformance"]
    assert judged and all(f.klass == "sandbox" for f in judged)
    assert "job_id" in judged[0].message
