"""Multipart parts typed JSON, as the runtime writes them and the contract checks and the
sandbox read them. A review of this stop's fix (a scalar in a JSON part is its JSON): a 3.1
string with `contentMediaType: application/json` is the document itself and was encoded again
(`"{\\"a\\": 1}"`, 62 of 62 calls failed), and an array with `encoding.contentType:
application/json`, one JSON part per item, was read back as one part holding the array;
the sandbox refused a one-item array of numbers (one part, `1`) as no array. The last review:
a `contentMediaType` on an array's items (sent as text) was read as JSON by the sandbox, and a
text part with an explicit JSON `encoding` was expected as JSON of the string."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from apigen.contract import ContractConfig, run_contract
from tests.builds import build_into, on_path

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "parts", "version": "1"},
    "paths": {
        "/m": {
            "post": {
                "operationId": "send",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "meta": {
                                        "type": "string",
                                        "contentMediaType": "application/json",
                                    },
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                    "nums": {"type": "array", "items": {"type": "integer"}},
                                    "docs": {
                                        "type": "array",
                                        "items": {
                                            "type": "string",
                                            "contentMediaType": "application/json",
                                        },
                                    },
                                    "doc": {
                                        "type": "string",
                                        "contentMediaType": "application/json",
                                    },
                                    "label": {"type": "string"},
                                },
                            },
                            "encoding": {
                                "tags": {"contentType": "application/json"},
                                "nums": {"contentType": "application/json"},
                                "doc": {"contentType": "application/json"},
                                "label": {"contentType": "application/json"},
                            },
                        }
                    },
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def test_json_parts_are_sent_and_read_back_alike(tmp_path: Path) -> None:
    spec = tmp_path / "parts.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, tmp_path / "out", name="parts")
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    with on_path(tmp_path / "out", "parts") as pkg:
        client = pkg.Client(
            base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(record))
        )
        client.m.create(
            meta='{"a": 1}', tags=["x"], label="hi", nums=[1], docs=['{"b": 2}'], doc="[3]"
        )
    body = sent[0].read()
    assert b'\r\n\r\n{"a": 1}\r\n' in body  # the document as written
    assert b'\r\n\r\n"x"\r\n' in body and b'\r\n\r\n"hi"\r\n' in body
    assert b'name="nums"\r\nContent-Type: application/json\r\n\r\n1\r\n' in body
    assert b'\r\n\r\n{"b": 2}\r\n' in body and b"\r\n\r\n[3]\r\n" in body
    report = run_contract(ContractConfig(tmp_path / "out", spec=spec, max_examples=20, seed=0))
    (result,) = report.operations
    assert result.calls > 0
    assert not [f for f in result.failures if f.klass != "spec"], result.failures


def test_the_sandbox_reads_one_json_number_part_as_a_one_item_array() -> None:
    """A regression sweep: `nums=[1]` is one part `1`; the sandbox answered 400 "not of type
    'array'" (a one-item array of strings or objects was read right)."""
    from apigen.sandbox import Sandbox

    sandbox = Sandbox(SPEC, seed=0)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="nums"\r\n'
        b"Content-Type: application/json\r\n\r\n1\r\n--b--\r\n"
    )
    answer = sandbox.handle("POST", "/m", {"Content-Type": "multipart/form-data; boundary=b"}, body)
    assert answer.status == 200, answer
