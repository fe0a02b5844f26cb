"""`format: time` is RFC 3339's `full-time`, the way schemathesis draws it.

openapi-schema-validator borrows draft 3's `time` (`%H:%M:%S` only), so every value schemathesis
drew for a `time` property (`21:45:20.60-22:16`, `00:00:00Z`) failed the contract's check of the
request body, and the client, which sent the caller's string as given, was blamed (found by a
hand-written spec's `at: {type: string, format: time}`).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from apigen.contract.cases import CaseSource
from apigen.contract.spec import VALUE_FORMATS, SpecView
from apigen.contract.wire import check_request
from apigen.sandbox import Sandbox

BASE = "http://127.0.0.1:9"

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/alarms": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["at"],
                                "properties": {"at": {"type": "string", "format": "time"}},
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "set"}, "400": {"description": "bad"}},
            }
        }
    },
}


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("00:00:00Z", True),
        ("14:28:19.100131-22:59", True),
        ("23:59:60+01:00", True),  # a leap second
        ("10:00:00", True),  # `time.isoformat()`: no offset, as a client sends a naive time
        ("24:00:00", False),
        ("12:60:00Z", False),
        ("12:00:00+24:00", False),
        ("12:00", False),
        ("noon", False),
    ],
)
def test_a_time_is_read_as_rfc_3339(value: str, valid: bool) -> None:
    assert VALUE_FORMATS.conforms(value, "time") is valid


def test_drawn_times_pass_the_request_check_and_the_sandbox() -> None:
    view = SpecView(DOC)
    sandbox = Sandbox(DOC, seed=0)
    cases = CaseSource(DOC).draw("post", "/alarms", 30, 3)
    times = [case.body["at"] for case in cases if isinstance(case.body, dict)]
    assert any(t.endswith("Z") or t[-6] in "+-" for t in times), times  # offsets were drawn
    for value in times:
        content = json.dumps({"at": value}).encode()
        request = httpx.Request(
            "POST", f"{BASE}/alarms", content=content, headers={"Content-Type": "application/json"}
        )
        assert check_request(view, "POST", "/alarms", BASE, request, {}, {"at": value}, True) == []
        reply = sandbox.handle(
            "POST", "/alarms", headers={"Content-Type": "application/json"}, body=content
        )
        assert reply.status == 204, (value, reply.body)
    refused = sandbox.handle(
        "POST", "/alarms", headers={"Content-Type": "application/json"}, body=b'{"at": "25:00:00"}'
    )
    assert refused.status == 400


@pytest.mark.parametrize(
    ("fmt", "value", "valid"),
    [
        ("json-pointer", "", True),
        ("json-pointer", "/a~1b/0", True),
        ("json-pointer", "#/a~1b", False),  # RFC 6901 §6's URI fragment, not the §5 string
        ("json-pointer", "/a~2", False),
        ("relative-json-pointer", "1/a", True),
        ("relative-json-pointer", "2#", True),
        ("relative-json-pointer", "01", False),
    ],
)
def test_json_pointers_are_checked_as_prism_checks_them(fmt: str, value: str, valid: bool) -> None:
    """A helper's Prism sweep: a spec example `#/a~1b` for `format: json-pointer`, refused by
    Prism (rightly), was filed as the mock's fault: jsonschema checks the format only with its
    optional `jsonpointer` package, so the contract saw nothing wrong with the value drawn."""
    assert VALUE_FORMATS.conforms(value, fmt) is valid
