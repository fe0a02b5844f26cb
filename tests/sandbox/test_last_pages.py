"""A list the client pages itself (a page number, an offset, a cursor the answer hands out)
ends in the sandbox: a request for a later page gets the last one. Served from the spec's
example, page 2 was page 1 again and the runtime stopped with `PaginationLoopError`
(DigitalOcean's `ssh_keys.list`, OpenAI's `list_voice_consents` README examples); drawn, a
cursor list never ended."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigen.sandbox import Sandbox
from tests.builds import build_document, on_path

_ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}},
    "example": {"id": "key_1"},
}


def _query(*names: str, kind: str = "integer") -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "schema": {"type": kind}} for n in names]


def _list(op_id: str, params: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": body}}}
    return {"get": {"operationId": op_id, "parameters": params, "responses": {"200": ok}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "lists", "version": "1"},
    "servers": [{"url": "https://api.example.com/v2"}],
    "paths": {
        "/keys": _list(  # DigitalOcean: page numbers, the example served on every page
            "listKeys",
            _query("page", "per_page"),
            {
                "type": "object",
                "properties": {"ssh_keys": {"type": "array", "items": _ITEM}},
                "example": {"ssh_keys": [{"id": "key_1"}, {"id": "key_2"}]},
            },
        ),
        "/consents": _list(  # OpenAI: a body cursor that must be there, not null
            "listConsents",
            [*_query("limit"), *_query("after", kind="string")],
            {
                "type": "object",
                "required": ["data", "has_more", "next_cursor"],
                "properties": {
                    "data": {"type": "array", "items": _ITEM},
                    "has_more": {"type": "boolean"},
                    "next_cursor": {"type": "string"},
                },
                "example": {"data": [{"id": "c_1"}], "has_more": True, "next_cursor": "c_1"},
            },
        ),
        "/channels": _list(  # Slack: the cursor in an envelope, optional
            "listChannels",
            _query("cursor", "token", kind="string"),
            {
                "type": "object",
                "properties": {
                    "channels": {"type": "array", "items": _ITEM},
                    "response_metadata": {
                        "type": "object",
                        "properties": {"next_cursor": {"type": "string"}},
                    },
                },
                "example": {
                    "channels": [{"id": "C1"}],
                    "response_metadata": {"next_cursor": "dGVhbTpDMDYx"},
                },
            },
        ),
        "/charges": _list(  # Stripe: the last item's id, beside `has_more`
            "listCharges",
            _query("starting_after", kind="string"),
            {
                "type": "object",
                "properties": {
                    "data": {"type": "array", "items": _ITEM},
                    "has_more": {"type": "boolean"},
                },
                "example": {"data": [{"id": "ch_1"}], "has_more": True},
            },
        ),
        "/events": _list(  # offsets; a top-level array
            "listEvents",
            _query("offset", "limit"),
            {"type": "array", "items": _ITEM, "example": [{"id": "ev_1"}]},
        ),
        "/regions": _list(  # at least one item on every page: left as drawn
            "listRegions",
            _query("page"),
            {"type": "array", "items": _ITEM, "minItems": 1},
        ),
        "/search": _list(  # Box: two pages alike but for their items, told apart by them only
            "search",
            _query("offset", "limit"),
            {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["entries", "offset"],
                        "properties": {
                            "offset": {"type": "integer"},
                            "entries": {"type": "array", "items": variant},
                        },
                    }
                    for variant in (
                        {"type": "object", "required": ["file"], "properties": {"file": {}}},
                        {"type": "object", "required": ["link"], "properties": {"link": {}}},
                    )
                ]
            },
        ),
    },
}


def _get(sandbox: Sandbox, url: str) -> Any:
    reply = sandbox.handle("GET", url, {"Host": "127.0.0.1:9"})
    assert reply.status == 200, reply.body
    return json.loads(reply.body)


@pytest.mark.parametrize("dynamic", [False, True])
def test_a_later_page_is_the_last_one(dynamic: bool) -> None:
    sandbox = Sandbox(SPEC, seed=1, dynamic=dynamic)
    assert _get(sandbox, "/v2/keys")["ssh_keys"]
    assert _get(sandbox, "/v2/keys?page=1")["ssh_keys"]  # the first page, asked for by number
    assert _get(sandbox, "/v2/keys?page=2&per_page=2") == {"ssh_keys": []}
    assert _get(sandbox, "/v2/consents?after=c_1") == {
        "data": [],
        "has_more": False,
        "next_cursor": "",  # required and not nullable: the end the runtime reads
    }
    assert _get(sandbox, "/v2/channels?cursor=dGVhbTpDMDYx") == {
        "channels": [],
        "response_metadata": {},  # optional: left out
    }
    assert _get(sandbox, "/v2/charges?starting_after=ch_1") == {"data": [], "has_more": False}
    assert _get(sandbox, "/v2/events?offset=1") == []
    assert _get(sandbox, "/v2/events?offset=0")
    assert _get(sandbox, "/v2/regions?page=7")  # `minItems: 1`


def test_a_last_page_that_would_fit_two_one_of_variants_is_left_as_drawn() -> None:
    """A helper's corpus sweep (Box's `GET /search`): every request with an `offset` got
    `entries: []`, which fits both variants of the answer's `oneOf`: an invalid answer, without
    the spec-problem header. The last-page check reads `oneOf` as exactly one now."""
    sandbox = Sandbox(SPEC, seed=1, dynamic=True)
    for offset in (1, 20, 1000):
        assert _get(sandbox, f"/v2/search?offset={offset}")["entries"]


def test_parameters_that_are_no_cursor_leave_the_page_alone() -> None:
    sandbox = Sandbox(SPEC, seed=1, dynamic=False)
    # `token` takes no cursor this answer declares (Slack's is its credential)
    assert _get(sandbox, "/v2/channels?token=xoxb-1")["channels"]
    # `after` is a cursor beside a more-pages flag or a body cursor only
    assert _get(sandbox, "/v2/keys?per_page=5")["ssh_keys"]
    assert _get(sandbox, "/v2/charges?starting_after=")["data"]  # an empty value asks nothing


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "lists", SPEC)


@pytest.mark.parametrize("dynamic", [False, True])
def test_a_generated_client_walks_each_list_to_its_end(out: Path, dynamic: bool) -> None:
    with Sandbox(SPEC, seed=2, dynamic=dynamic) as sandbox, on_path(out, "lists") as lists:
        with lists.Client(base_url=sandbox.url) as client:
            methods = [
                client.keys.list,
                client.consents.list,
                client.channels.list,
                client.charges.list,
                client.events.list,
            ]
            for method in methods:
                items = list(method())  # PaginationLoopError before, served from the example
                assert items and all(isinstance(item.id, str) for item in items)
        # a page of items, then the last (a drawn page may say it is the last itself)
        assert len(sandbox.requests) == 2 * len(methods) or dynamic
        assert len(sandbox.requests) <= 2 * len(methods)
        assert all(r.status == 200 for r in sandbox.requests)


LINKED: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "linked", "version": "1"},
    "paths": {
        "/repos": {
            "get": {
                "operationId": "listRepos",
                "parameters": _query("page", "per_page"),
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"Link": {"schema": {"type": "string"}}},
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": _ITEM},
                                "example": [{"id": "r1"}, {"id": "r2"}],
                            }
                        },
                    }
                },
            }
        }
    },
}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "linked", LINKED)


@pytest.mark.parametrize("dynamic", [False, True])
def test_a_link_list_s_later_pages_are_empty(linked: Path, dynamic: bool) -> None:
    """GitHub's style: the `Link` header still leads through the sandbox's pages, whose bodies
    after the first are empty; served from the example, page 2 was page 1 again."""
    with Sandbox(LINKED, seed=3, dynamic=dynamic) as sandbox, on_path(linked, "linked") as pkg:
        with pkg.Client(base_url=sandbox.url) as client:
            items = list(client.repos.list())
        assert items and all(isinstance(item.id, str) for item in items)
        assert [r.query for r in sandbox.requests] == [[], [("page", "2")], [("page", "3")]]


def test_a_last_page_the_schema_refuses_is_not_sent() -> None:
    """Mist answers an `anyOf` of page shapes, each with at least one result: emptied, the page
    broke the schema (4 sandbox failures in a corpus contract run, seed 45)."""
    page = {
        "type": "object",
        "required": ["results"],
        "properties": {"results": {"type": "array", "items": _ITEM, "minItems": 1}},
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "sle", "version": "1"},
        "paths": {
            "/sle": _list("listSle", _query("page"), {"anyOf": [page, {**page, "title": "b"}]})
        },
    }
    sandbox = Sandbox(spec, seed=1)
    assert _get(sandbox, "/sle?page=5")["results"]  # left as drawn, valid
