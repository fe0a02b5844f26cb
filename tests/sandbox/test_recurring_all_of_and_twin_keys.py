"""Two sandbox faults Box's spec (corpus/box.com.json) showed in the contract sweep.

- A recurring value (`Folder.item_collection.entries[]` is a `Folder--Mini`, whose `allOf` holds
  `Folder--Base`, already being drawn) lost the `allOf` member that was on the draw's stack, and
  with it the required `id` and `type`: `{}` was drawn, valid for no `oneOf` variant.
- Keys that send one path (`/files/{id}` and `/files/{id}#add_shared_link`) routed every request
  to the first: the `fields` query the fragment keys require was refused as unknown.
"""

from __future__ import annotations

import json
from typing import Any

from openapi_schema_validator import OAS30Validator

from apigen.sandbox import SPEC_PROBLEM_HEADER, ExampleGenerator, Sandbox
from apigen.sandbox._responses import TWIN_KEYS

JSON = {"Content-Type": "application/json"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _base(kind: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "type"],
        "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": [kind]}},
    }


SCHEMAS: dict[str, Any] = {
    "FolderBase": _base("folder"),
    "FileBase": _base("file"),
    "FolderMini": {"allOf": [_ref("FolderBase"), {"properties": {"name": {"type": "string"}}}]},
    "FileMini": {"allOf": [_ref("FileBase"), {"properties": {"name": {"type": "string"}}}]},
    "Folder": {
        "allOf": [
            _ref("FolderMini"),
            {
                "required": ["entries"],
                "properties": {
                    "entries": {
                        "type": "array",
                        "items": {"oneOf": [_ref("FileMini"), _ref("FolderMini")]},
                    }
                },
            },
        ]
    },
}


def _doc() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": SCHEMAS},
    }


def test_an_all_of_member_already_on_the_stack_still_constrains_a_recurring_value() -> None:
    doc = _doc()
    generator = ExampleGenerator(doc, seed=0)
    validator = OAS30Validator({**_ref("Folder"), "components": doc["components"]})
    for index in range(40):
        value = generator.generate(_ref("Folder"), key=f"k{index}", vary=True)
        for entry in value["entries"]:
            assert {"id", "type"} <= set(entry), value
        validator.validate(value)


def _keyed_doc() -> dict[str, Any]:
    file_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    fields = {"name": "fields", "in": "query", "required": True, "schema": {"type": "string"}}

    def op(op_id: str, *params: dict[str, Any]) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "parameters": [file_id, *params],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "400": {"description": "bad"},
            },
        }

    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/files/{id}": {"put": op("update_file")},
            "/files/{id}#add_shared_link": {"put": op("add_shared_link", fields)},
        },
    }


def test_a_request_the_routed_key_refuses_goes_to_a_key_sending_the_same_path() -> None:
    sandbox = Sandbox(_keyed_doc(), seed=0)
    reply = sandbox.handle("PUT", "/files/12?fields=shared_link", JSON, b"")
    assert reply.status == 200, reply.body
    assert sandbox.requests[-1].operation_id == "add_shared_link"
    reply = sandbox.handle("PUT", "/files/12", JSON, b"")
    assert reply.status == 200, reply.body
    assert sandbox.requests[-1].operation_id == "update_file"
    # refused by every key: the first key's answer, as before
    reply = sandbox.handle("PUT", "/files/12?colour=red", JSON, b"")
    assert reply.status == 400
    assert "unknown query parameter 'colour'" in json.loads(reply.body)["message"]


FILE = {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["file"]}}}


def _shared_items(second: dict[str, Any]) -> dict[str, Any]:
    def op(op_id: str, schema: dict[str, Any]) -> dict[str, Any]:
        ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
        return {"operationId": op_id, "responses": {"200": ok, "400": {"description": "bad"}}}

    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/shared_items": {"get": op("get_file", FILE)},
            "/shared_items#folders": {"get": op("get_folder", second)},
        },
    }


def test_keys_taking_the_same_request_with_other_responses_are_named_as_the_spec_s() -> None:
    folder = {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["folder"]}}}
    sandbox = Sandbox(_shared_items(folder), seed=0)
    reply = sandbox.handle("GET", "/shared_items")
    assert reply.status == 200
    note = reply.headers[SPEC_PROBLEM_HEADER]
    assert note.startswith(TWIN_KEYS) and "`/shared_items#folders`" in note, note
    assert sandbox.requests[-1].operation_id == "get_file"
    same = _shared_items(FILE)  # the same responses: nothing to tell
    assert SPEC_PROBLEM_HEADER not in Sandbox(same, seed=0).handle("GET", "/shared_items").headers


def test_an_error_where_only_text_is_declared_is_text() -> None:
    html = {"content": {"text/html": {"schema": {"type": "string", "format": "html"}}}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/authorize": {
                "get": {
                    "parameters": [
                        {
                            "name": "client_id",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "page", **html},
                        "default": {"description": "page", **html},
                    },
                }
            }
        },
    }
    reply = Sandbox(doc, seed=0).handle("GET", "/authorize")
    assert reply.status == 400
    assert reply.headers["Content-Type"] == "text/html"
    assert b"missing required query parameter 'client_id'" in reply.body
