"""A union of inline objects inside an object merged from an `allOf` (a page schema extended
with its `data`) is told apart by its members' constant tags, as the same union outside an
`allOf` is. Helper 218 (Prism over HERE's tracking API): the merged object's members have no
place in the document at their pointers, so their tags were not found, no discriminator was
attached, and with open enums every event read as the first member (156 events)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builds import build_into, on_path

ITEMS = {
    "oneOf": [
        {
            "type": "object",
            "required": ["eventSource"],
            "properties": {"eventSource": {"type": "string", "enum": ["attach", "tamper"]}},
        },
        {
            "type": "object",
            "required": ["eventSource"],
            "properties": {"eventSource": {"type": "string", "enum": ["utilization"]}},
        },
    ]
}
DATA = {"type": "object", "properties": {"data": {"type": "array", "items": ITEMS}}}
PAGE = {"type": "object", "properties": {"pageToken": {"type": "string"}}}


def _spec(inline: bool) -> dict[str, Any]:
    merged = {"allOf": [PAGE, DATA]} if inline else {"$ref": "#/components/schemas/EventPage"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "events", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/events": {
                "get": {
                    "operationId": "listEvents",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": merged}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Page": PAGE,
                "EventPage": {"allOf": [{"$ref": "#/components/schemas/Page"}, DATA]},
            }
        },
    }


@pytest.mark.parametrize("inline", [True, False])
def test_each_item_is_the_member_its_tag_names(tmp_path: Path, inline: bool) -> None:
    spec = tmp_path / "events.json"
    spec.write_text(json.dumps(_spec(inline)))
    build_into(spec, tmp_path / "out", name="events")
    body = {"data": [{"eventSource": "utilization"}, {"eventSource": "tamper"}]}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    with on_path(tmp_path / "out", "events") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        page = pkg.Client(http_client=http, strict_response_validation=True).events.list()
        kinds = [type(item).__name__ for item in page.data]
    assert kinds[0] != kinds[1] and kinds[0].endswith("B") and kinds[1].endswith("A"), kinds
