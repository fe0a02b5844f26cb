"""Which of a request body's media types the client sends: JSON first, then a form, then
multipart, except where the JSON (or form) schema holds a file and multipart is offered too:
a JSON string cannot carry a file's octets (a helper's contract sweep: OpenAI's `CreateSkill`
lists multipart first, its one field is `files: binary`, and every call failed: non-UTF-8
bytes refused before sending, UTF-8 ones sent as a JSON string)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builds import api_of

_FILE = {"type": "string", "format": "binary"}


def _media(content: dict[str, Any]) -> str:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/skills": {
                "post": {
                    "operationId": "createSkill",
                    "requestBody": {"required": True, "content": content},
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {"Upload": {"type": "object", "properties": {"f": _FILE}}}},
    }
    (op,) = api_of(document).operations
    assert op.body is not None
    return op.body.media_type


def _object(**props: Any) -> dict[str, Any]:
    return {"schema": {"type": "object", "properties": props}}


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"file": _FILE}},
        {
            "type": "object",
            "properties": {"files": {"anyOf": [_FILE, {"type": "array", "items": _FILE}]}},
        },
        {"$ref": "#/components/schemas/Upload"},
        {"allOf": [{"$ref": "#/components/schemas/Upload"}]},
        {
            "type": "object",
            "properties": {"p": {"type": "string", "contentMediaType": "image/png"}},
        },
    ],
)
def test_a_body_holding_a_file_goes_as_multipart_where_offered(schema: dict[str, Any]) -> None:
    content = {
        "application/json": {"schema": schema},
        "multipart/form-data; boundary=x": {"schema": schema},
    }
    assert _media(content) == "multipart/form-data; boundary=x"
    form = {
        "application/x-www-form-urlencoded": {"schema": schema},
        "multipart/form-data": {"schema": schema},
    }
    assert _media(form) == "multipart/form-data"


def test_json_stays_first_without_a_file_or_without_multipart() -> None:
    text = _object(name={"type": "string"}, data={"type": "string", "format": "byte"})
    assert _media({"multipart/form-data": text, "application/json": text}) == "application/json"
    only_json = {"application/json": _object(file=_FILE)}
    assert _media(only_json) == "application/json"
