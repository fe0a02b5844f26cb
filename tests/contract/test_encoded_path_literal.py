"""A path key may spell its literal text encoded (`/files%20v2/{id}`): the client sends it as
written, and the contract's request check compared the decoded segment sent with the encoded
template, blaming the client (a hostile-spec sweep: 12 false client failures on one spec)."""

from __future__ import annotations

from typing import Any

import httpx

from apigen.contract.spec import SpecView
from apigen.contract.wire import check_request

BASE = "http://127.0.0.1:9"
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/files%20v2/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
}


def test_an_encoded_literal_segment_sent_as_written_passes() -> None:
    view = SpecView(DOC)
    template = "/files%20v2/{id}"
    sent = httpx.Request("GET", f"{BASE}/files%20v2/a")
    assert (
        check_request(view, "GET", template, BASE, sent, {("path", "id"): "a"}, None, False) == []
    )
    wrong = httpx.Request("GET", f"{BASE}/files%20v3/a")
    problems = check_request(view, "GET", template, BASE, wrong, {("path", "id"): "a"}, None, False)
    assert any("files%20v3" in p for p in problems), problems
