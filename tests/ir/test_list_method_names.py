"""Method names of an untagged spec come from the verb: a collection's GET is `list`.

A collection used to be recognised only by an array body or Stripe's `data` + `has_more`. A
GET returning `{things: [...], next_cursor}` (or `{items: [...]}`) was `retrieve`, collided with
the item's `retrieve`, and both fell back to their operation ids (`things.list_things`,
`things.get_thing`); in the shared specs, apacta (77 methods), here.com tracking and star-trek
lost their verbs so (a hand-written 3.1 spec showed it, 2026-12-03).
"""

from __future__ import annotations

from typing import Any

import pytest

from apigen.diagnostics import Report
from apigen.ir import build_api


def _names(
    list_body: dict[str, Any], query: tuple[str, ...] = (), list_id: str = "listThings"
) -> dict[str, str]:
    thing = {"type": "object", "properties": {"id": {"type": "string"}}}

    def response(schema: dict[str, Any]) -> dict[str, Any]:
        return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}

    item = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": list_id,
                    "parameters": [
                        {"name": q, "in": "query", "schema": {"type": "integer"}} for q in query
                    ],
                    "responses": response(list_body),
                },
                "post": {"operationId": "createThing", "responses": response(thing)},
            },
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [item],
                    "responses": response(thing),
                }
            },
        },
    }
    api = build_api(
        document,
        package="t",
        spec_file="t.yaml",
        spec_sha256="",
        report=Report(),
        reserved_client=set(),
        reserved_resource=set(),
    )
    return {op.operation_id: ".".join([*op.resource, op.name]) for op in api.operations}


THINGS = {"type": "array", "items": {"type": "object"}}


@pytest.mark.parametrize(
    "list_body",
    [
        THINGS,
        {"type": "object", "properties": {"data": THINGS, "has_more": {"type": "boolean"}}},
        {"type": "object", "properties": {"things": THINGS, "next_cursor": {"type": "string"}}},
        {"type": "object", "properties": {"items": THINGS, "nextPageToken": {"type": "string"}}},
        {"type": "object", "properties": {"data": THINGS, "pagination": {"type": "object"}}},
    ],
)
def test_a_collection_get_is_list_and_the_item_get_retrieve(list_body: dict[str, Any]) -> None:
    assert _names(list_body) == {
        "listThings": "things.list",
        "createThing": "things.create",
        "getThing": "things.retrieve",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"type": "object", "properties": {"tags": THINGS, "name": {"type": "string"}}},
        # Stripe's Invoice: arrays and a `total`, and `GET /v1/invoices/upcoming` is one invoice
        {"type": "object", "properties": {"items": THINGS, "total": {"type": "integer"}}},
        {"type": "object", "properties": {"lines": THINGS, "next_payment": {"type": "string"}}},
    ],
)
def test_an_object_that_is_no_page_of_items_is_not_a_collection(body: dict[str, Any]) -> None:
    # nothing says "a page of items", nor does the operation id: one object; its GET collides
    # with the item's, and both keep their operation ids
    names = _names(body, list_id="fetchThings")
    assert names["fetchThings"] == "things.fetch_things"
    assert names["getThing"] == "things.get_thing"


@pytest.mark.parametrize("list_id", ["listThings", "list_things", "List", "listAllThings"])
def test_an_operation_id_that_says_list_makes_the_collection_get_list(list_id: str) -> None:
    """`GET /things` (`listThings`) answering `{items: [...], total}` was `things.list_things`
    beside `things.get_thing`; the provider's own word is the verb (a hand-written 3.1 spec,
    2026-12-04; AWS IoT's 40 collection calls in the corpus were named so)."""
    body = {"type": "object", "properties": {"items": THINGS, "total": {"type": "integer"}}}
    names = _names(body, list_id=list_id)
    assert names[list_id] == "things.list"
    assert names["getThing"] == "things.retrieve"
    # a word that only starts with "list" is no verb
    assert _names(body, list_id="listingsOfThings")["listingsOfThings"] != "things.list"


@pytest.mark.parametrize("query", [("offset", "limit"), ("page", "per_page"), ("cursor",)])
def test_a_page_taken_with_a_paging_parameter_is_a_collection(query: tuple[str, ...]) -> None:
    """`GET /things?offset=&limit=` answering `{results: [...], total}` paginates (the runtime
    detects offset paging) but was named `retrieve`, colliding with the item's (hand-written
    spec); `total` alone still says nothing (the Invoice case above)."""
    body = {"type": "object", "properties": {"results": THINGS, "total": {"type": "integer"}}}
    assert _names(body, query)["listThings"] == "things.list"
    assert _names(body, ("limit", "sort"), "getThings")["getThings"] == "things.get_things"
