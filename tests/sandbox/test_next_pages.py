"""A list page whose body names the next page's URL (`nextLink`, `meta.next_page_url`,
HAL's `_links.next.href`) points it at the sandbox itself, for `LAST_PAGE` pages, then ends
the list as the schema allows: a drawn `https://example.com/85032` (refused by the client as
another origin) or `nextLink_60167` (404) made every README pagination example fail against
the sandbox (Azure, Twilio, Codat)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigen.sandbox import Sandbox
from apigen.sandbox._next_pages import LAST_PAGE, PAGE_MARKER
from tests.builds import build_document, on_path


def _list(
    op_id: str, body: dict[str, Any], pageable: dict[str, Any] | None = None
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": op_id,
        "parameters": [{"name": "size", "in": "query", "schema": {"type": "integer"}}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": body}}}
        },
    }
    if pageable is not None:
        op["x-ms-pageable"] = pageable
    return {"get": op}


_ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "pages", "version": "1"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "paths": {
        "/things": _list(  # Azure: required, not nullable, declared by x-ms-pageable
            "listThings",
            {
                "type": "object",
                "required": ["value", "nextLink"],
                "properties": {
                    "value": {"type": "array", "items": _ITEM, "minItems": 1},
                    "nextLink": {"type": "string", "format": "uri"},
                },
            },
            {"nextLinkName": "nextLink"},
        ),
        "/calls": _list(  # Twilio: in an envelope, nullable
            "listCalls",
            {
                "type": "object",
                "required": ["calls", "meta"],
                "properties": {
                    "calls": {"type": "array", "items": _ITEM, "minItems": 1},
                    "meta": {
                        "type": "object",
                        "required": ["next_page_url"],
                        "properties": {
                            "next_page_url": {"type": "string", "nullable": True},
                            "key": {"type": "string"},
                        },
                    },
                },
            },
        ),
        "/orders": _list(  # optional: left out on the last page (and never drawn away before)
            "listOrders",
            {
                "type": "object",
                "required": ["results"],
                "properties": {
                    "results": {"type": "array", "items": _ITEM, "minItems": 1},
                    "next": {"type": "string"},
                },
            },
        ),
        "/pets": _list(  # HAL
            "listPets",
            {
                "type": "object",
                "required": ["_embedded", "_links"],
                "properties": {
                    "_embedded": {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _ITEM}},
                    },
                    "_links": {
                        "type": "object",
                        "required": ["next"],
                        "properties": {
                            "next": {
                                "type": "object",
                                "required": ["href"],
                                "properties": {"href": {"type": "string"}},
                            }
                        },
                    },
                },
            },
        ),
    },
}


def _pages(sandbox: Sandbox, path: str) -> list[dict[str, Any]]:
    """Follow the links by hand, as the runtime does (relative to the request URL)."""
    url = f"{path}?size=2"
    seen = []
    for _ in range(LAST_PAGE + 2):
        reply = sandbox.handle("GET", url, {"Host": "127.0.0.1:9"})
        assert reply.status == 200, reply.body
        body = json.loads(reply.body)
        seen.append(body)
        link = (
            body.get("nextLink")
            or body.get("next")
            or body.get("meta", {}).get("next_page_url")
            or body.get("_links", {}).get("next", {}).get("href")
        )
        if not link:
            break
        assert link.startswith(f"http://127.0.0.1:9{path}?size=2&{PAGE_MARKER}=")
        url = link.removeprefix("http://127.0.0.1:9")
    return seen


def test_next_links_lead_through_the_sandbox_and_end_as_the_schema_allows() -> None:
    sandbox = Sandbox(SPEC, seed=3)
    things = _pages(sandbox, "/v1/things")
    assert len(things) == LAST_PAGE and things[-1]["nextLink"] == ""  # required, not nullable
    calls = _pages(sandbox, "/v1/calls")
    assert len(calls) == LAST_PAGE and calls[-1]["meta"]["next_page_url"] is None
    orders = _pages(sandbox, "/v1/orders")
    assert len(orders) == LAST_PAGE and "next" not in orders[-1]
    pets = _pages(sandbox, "/v1/pets")
    assert len(pets) == LAST_PAGE and pets[-1]["_links"]["next"]["href"] == ""
    # the marker is taken off before validation: no "unknown query parameter"
    assert all(r.status == 200 for r in sandbox.requests)
    assert all(PAGE_MARKER not in dict(r.query) for r in sandbox.requests)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "pages", SPEC)


def test_a_generated_client_iterates_every_page_against_the_sandbox(out: Path) -> None:
    with Sandbox(SPEC, seed=5) as sandbox, on_path(out, "pages") as pages:
        with pages.Client(base_url=sandbox.url) as client:
            for method in (client.things.list, client.calls.list, client.orders.list):
                items = list(method())
                assert items and all(isinstance(i.id, str) for i in items)
        paths = [r.path for r in sandbox.requests]
        assert len(paths) == 3 * LAST_PAGE
        assert all(r.status == 200 for r in sandbox.requests)


def _one_list(schema: dict[str, Any], components: dict[str, Any] | None = None) -> dict[str, Any]:
    """A document whose `GET /items` answers `schema` (3.1)."""
    ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "items", "version": "1"},
        "paths": {"/items": {"get": {"responses": {"200": ok}}}},
    }
    if components:
        doc["components"] = {"schemas": components}
    return doc


def test_a_link_declared_by_a_later_all_of_member_is_rewritten() -> None:
    """A helper's review of train-travel: one `allOf` member declares `links` bare (`{type:
    object}`), a later one its `next`: the sandbox looked at the first declaration only, left
    the drawn `links.next` (`https://example.com/48145`) in place, and the client's pages
    stopped with "next page URL is not under the base URL". Every declaration counts."""
    next_link = {"next": {"type": "string", "format": "uri"}}
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Wrapper"},
            {"properties": {"data": {"type": "array"}}},
            {"properties": {"links": {"properties": next_link}}},
        ]
    }
    wrapper = {
        "type": "object",
        "properties": {"data": {"type": "array"}, "links": {"type": "object"}},
    }
    doc = _one_list(schema, {"Wrapper": wrapper})
    for seed in range(6):
        reply = Sandbox(doc, seed=seed).handle("GET", "/items", {}, b"")
        nxt = (json.loads(reply.body).get("links") or {}).get("next")
        assert nxt is None or PAGE_MARKER in nxt, (seed, nxt)


@pytest.mark.parametrize("level", ["operation", "path", "words"])
def test_a_zero_based_page_list_is_walked_to_its_end(
    tmp_path_factory: pytest.TempPathFactory, level: str
) -> None:
    """A helper's pagination walk: a `page` counting from 0 (`minimum: 0`) was asked for 0, 2,
    3 by the client, and the sandbox took page 1 for the first (it counted from 1, as the
    client did). Both count from 0 now: the walk asks 0, 1, ... and ends. `words`: STAPI's
    `pageNumber`, "Zero-based page number", paged by number and from 0 on both sides."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "zero", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "parameters": [
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 0, "default": 0},
                        },
                        {"name": "size", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "data": {
                                                "type": "array",
                                                "items": {"type": "string"},
                                            }
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
    get = spec["paths"]["/items"]["get"]
    if level == "path":  # declared on the path item (a helper's review: it was not read)
        spec["paths"]["/items"]["parameters"] = get.pop("parameters")
    page = "page"
    if level == "words":
        page = "pageNumber"
        get["parameters"][0] = {
            "name": page,
            "in": "query",
            "description": "Zero-based page number",
            "schema": {"type": "integer"},
        }
    name = f"zero_{level}"
    out = build_document(tmp_path_factory, name, spec)
    with Sandbox(spec, seed=1) as sandbox, on_path(out, name) as zero:
        client = zero.Client(base_url=sandbox.url, max_retries=0)
        items = list(client.items.list())
        pages = [dict(r.query).get(page) for r in sandbox.requests]
    assert items and len(pages) >= 2 and pages[0] in (None, "0")
    assert pages[1:] == [str(n) for n in range(1, len(pages))]


def test_a_next_link_in_an_envelope_the_draw_left_out_is_still_written() -> None:
    """A helper's pagination walk: where `links` (or `meta`, `_links`) is optional and the
    draw left it out, the sandbox wrote no next link, so lists ended after 1 or 2 pages of the
    3 docs/sandbox.md promises. The envelope is made (when the schema takes it so)."""
    doc = _one_list(
        {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"type": "array", "items": {"type": "string"}},
                "links": {"type": "object", "properties": {"next": {"type": "string"}}},
            },
        }
    )
    for seed in range(12):
        sandbox = Sandbox(doc, seed=seed)
        target, pages = "/items", 0
        while target and pages < 10:
            reply = sandbox.handle("GET", target, {}, b"")
            pages += 1
            link = (json.loads(reply.body).get("links") or {}).get("next")
            target = link.split("://", 1)[-1].partition("/")[2] if link else None
            target = "/" + target if target and not target.startswith("/") else target
        assert pages == LAST_PAGE, (seed, pages)


def test_a_next_cursor_the_request_takes_back_is_no_url(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A review of a fix: the client reads a `next` field that `?next=` takes back as a cursor
    (stream-io's `/search`), but the sandbox wrote its own next-page URL there: sent back as
    `?next=<url>`, it answered the first page again with a longer URL, for ever. It is a cursor
    to the sandbox too: a request carrying it gets the last page."""
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "feed", "version": "1"},
        "paths": {
            "/search": {
                "get": {
                    "operationId": "search",
                    "parameters": [{"name": "next", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["results", "next"],
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": _ITEM,
                                                "minItems": 1,
                                            },
                                            "next": {"type": "string"},
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
    out = build_document(tmp_path_factory, "feed", doc)
    with Sandbox(doc, seed=3) as sandbox, on_path(out, "feed") as feed:
        with feed.Client(base_url=sandbox.url) as client:
            assert list(client.search.list())
        assert len(sandbox.requests) == 2
        assert [k for k, _ in sandbox.requests[1].query] == ["next"]
