"""Pagination detection (`ir/pagination.py`) on one small spec per style, plus the override."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from apigen.diagnostics import Report
from apigen.ir import Api, build_api
from apigen.ir.nodes import ANY, PaginationDef, Prim, Ref
from tests.builds import build_into, check_generated
from tests.conftest import FIXTURES

SPECS = FIXTURES


def _api(name: str) -> tuple[Api, Report]:
    document = yaml.safe_load((SPECS / f"pagination-{name}.yaml").read_text())
    report = Report()
    api = build_api(
        document,
        package="pages",
        spec_file=f"pagination-{name}.yaml",
        spec_sha256="",
        report=report,
        reserved_client=set(),
        reserved_resource=set(),
    )
    return api, report


def _pages(name: str) -> dict[str, PaginationDef | None]:
    api, _ = _api(name)
    return {op.operation_id: op.pagination for op in api.operations}


def _item_name(api: Api, p: PaginationDef) -> str:
    assert isinstance(p.item, Ref)
    return api.definitions[p.item.key].name


def test_cursor_stripe_style() -> None:
    api, _ = _api("cursor")
    pages = {op.operation_id: op.pagination for op in api.operations}
    p = pages["GetCustomers"]
    assert p is not None and p.style == "cursor"
    assert (p.items, p.has_more, p.cursor_param, p.cursor_field, p.reverse_param) == (
        "data",
        "has_more",
        "starting_after",
        "id",
        "ending_before",
    )
    assert _item_name(api, p) == "Customer"
    after = pages["GetEvents"]
    assert after is not None and after.style == "cursor"
    assert (after.cursor_param, after.reverse_param) == ("after", None)
    assert pages["PostCustomers"] is None  # not a GET
    assert pages["GetBalance"] is None  # has_more but nothing to send the cursor in


def test_body_cursors() -> None:
    pages = _pages("body-cursor")
    slack = pages["listConversations"]
    assert slack is not None and slack.style == "body_cursor"
    assert (slack.items, slack.cursor, slack.cursor_param) == (
        "channels",
        "response_metadata.next_cursor",
        "cursor",
    )
    google = pages["listFiles"]
    assert google is not None
    assert (google.style, google.items, google.cursor, google.cursor_param) == (
        "body_cursor",
        "files",
        "nextPageToken",
        "pageToken",
    )
    search = pages["search"]
    assert search is not None
    assert (search.style, search.cursor, search.cursor_param, search.has_more) == (
        "body_cursor",
        "next_page",
        "page",
        "has_more",
    )


def test_next_url_in_body() -> None:
    pages = _pages("next-url")
    drf = pages["listBooks"]
    assert drf is not None and (drf.style, drf.items, drf.next) == ("next_url", "results", "next")
    jsonapi = pages["listAuthors"]
    assert jsonapi is not None
    assert (jsonapi.style, jsonapi.items, jsonapi.next) == ("next_url", "data", "links.next")


def test_offset_limit() -> None:
    pages = _pages("offset")
    records = pages["listRecords"]
    assert records is not None
    assert (records.style, records.items, records.offset_param, records.limit_param) == (
        "offset",
        "records",
        "offset",
        "limit",
    )
    assert records.total == "total"
    logs = pages["listLogs"]
    assert logs is not None and (logs.style, logs.items, logs.offset_param, logs.limit_param) == (
        "offset",
        None,
        "skip",
        "take",
    )
    assert logs.item == Prim("str")


def test_page_number() -> None:
    pages = _pages("page")
    orders = pages["listOrders"]
    assert orders is not None
    assert (orders.style, orders.items, orders.page_param, orders.size_param) == (
        "page",
        "items",
        "page",
        "page_size",
    )
    assert orders.has_more == "has_next_page"
    tags = pages["listTags"]
    assert tags is not None and (tags.style, tags.items, tags.size_param) == ("page", None, None)
    assert pages["getReport"] is None  # two arrays: no single item list


def test_link_header_github_style() -> None:
    api, _ = _api("link")
    pages = {op.operation_id: op.pagination for op in api.operations}
    issues = pages["issues/list-for-repo"]
    assert issues is not None
    assert (issues.style, issues.items, issues.page_param, issues.size_param) == (
        "link",
        None,
        "page",
        "per_page",
    )
    assert _item_name(api, issues) == "Issue"
    users = pages["users/list"]  # undeclared Link, but per_page + an array
    assert users is not None and (users.style, users.page_param) == ("link", None)
    runs = pages["actions/list-workflow-runs-for-repo"]
    assert runs is not None and (runs.style, runs.items) == ("link", "workflow_runs")
    assert pages["repos/get"] is None


def test_x_apigen_pagination_overrides() -> None:
    api, report = _api("config")
    pages = {op.operation_id: op.pagination for op in api.operations}
    assert pages["listWidgets"] is None  # false: detection off
    gadgets = pages["listGadgets"]
    assert gadgets is not None
    assert (gadgets.style, gadgets.items, gadgets.cursor, gadgets.cursor_param) == (
        "body_cursor",
        "entries",
        "state.resume",
        "resume",
    )
    assert _item_name(api, gadgets) == "Gadget"
    gizmos = pages["listGizmos"]  # detected, one name overridden
    assert gizmos is not None and (gizmos.style, gizmos.page_param, gizmos.first_page) == (
        "page",
        "page",
        0,
    )
    assert gizmos.size_param == "limit"
    post = pages["searchGizmos"]
    assert post is not None and (post.style, post.items, post.page_param) == (
        "page",
        "data",
        "page",
    )
    assert pages["listDoodads"] is not None  # a bad style falls back to detection
    assert pages["listDoodads"].style == "page"  # type: ignore[union-attr]
    odd = pages["listThingamajigs"]
    assert odd is not None and odd.item == ANY and odd.items == "nope"
    messages = [w.message for w in report.warnings]
    assert any("'sideways'" in m for m in messages)
    assert any("unknown keys wat" in m for m in messages)
    assert any("no item array at 'nope'" in m for m in messages)


def test_root_false_turns_detection_off() -> None:
    document = yaml.safe_load((SPECS / "pagination-link.yaml").read_text())
    document["x-apigen-pagination"] = False
    api = build_api(
        document,
        package="pages",
        spec_file="x.yaml",
        spec_sha256="",
        report=Report(),
        reserved_client=set(),
        reserved_resource=set(),
    )
    assert all(op.pagination is None for op in api.operations)


STYLES = ["cursor", "body-cursor", "next-url", "offset", "page", "link", "config"]


@pytest.fixture(scope="module")
def style_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pagination")
    for name in STYLES:
        package = "pages_" + name.replace("-", "_")
        build_into(SPECS / f"pagination-{name}.yaml", root / package, name=package)
    return root


@pytest.mark.parametrize("name", STYLES)
def test_paginated_specs_build_and_import(name: str, style_builds: Path) -> None:
    data = check_generated(style_builds / ("pages_" + name.replace("-", "_")))
    assert any("pagination" in op for op in data["operations"])


def test_paginated_clients_pass_ruff_and_mypy_strict(style_builds: Path) -> None:
    """Every style renders into clients that type-check and lint."""
    outs = sorted(p for p in style_builds.iterdir() if p.is_dir())
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *map(str, outs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    args = [arg for out in outs for arg in ("-p", out.name)]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"MYPYPATH": ":".join(map(str, outs)), "PATH": "/usr/bin:/bin"},
        cwd=style_builds,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout[-5000:]


def _list_spec(params: list[dict[str, Any]], item: dict[str, Any], extra: dict[str, Any]) -> Any:
    body = {
        "type": "object",
        "properties": {"data": {"type": "array", "items": item}, **extra},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": params,
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": body}},
                        }
                    },
                }
            }
        },
    }


def test_items_without_an_id_are_not_asked_for_by_it() -> None:
    """A helper's pagination walk (DigitalOcean's `GET /v1/batches`: items keyed `batch_id`,
    the body's `last_id`, `has_more`): the cursor style asked for the next page by the last
    item's `id`, found none, and ended the list after page one. The body's `last_id` is the
    cursor; items with an `id` keep the item cursor."""
    from tests.builds import api_of

    params = [{"name": "after", "in": "query", "schema": {"type": "string"}}]
    extra = {"has_more": {"type": "boolean"}, "last_id": {"type": "string", "nullable": True}}
    batch = {"type": "object", "properties": {"batch_id": {"type": "string"}}}
    (op,) = api_of(_list_spec(params, batch, extra)).operations
    p = op.pagination
    assert p is not None and (p.style, p.cursor, p.cursor_param) == (
        "body_cursor",
        "last_id",
        "after",
    )
    keyed = {"type": "object", "properties": {"id": {"type": "string"}}}
    (op,) = api_of(_list_spec(params, keyed, extra)).operations
    assert op.pagination is not None and op.pagination.style == "cursor"
    # without a `last_id` the item cursor stays (the method keeps its pager; the runtime
    # raises at a page saying more that it cannot ask for: a helper's review of the change)
    (op,) = api_of(_list_spec(params, batch, {"has_more": {"type": "boolean"}})).operations
    assert op.pagination is not None and op.pagination.style == "cursor"


def test_a_next_field_the_request_takes_back_is_a_cursor_not_a_url() -> None:
    """A helper's pagination walk (stream-io's `GET /search`): a string `next` beside a
    `next` query parameter was read as a next page's URL, and page 2 went to
    `GET /v1/<cursor>` (404 mid-iteration). It is the body cursor `?next=` takes back; without
    such a parameter `next` is still a URL."""
    from tests.builds import api_of

    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    taker = [{"name": "next", "in": "query", "schema": {"type": "string"}}]
    (op,) = api_of(_list_spec(taker, item, {"next": {"type": "string"}})).operations
    p = op.pagination
    assert p is not None and (p.style, p.cursor, p.cursor_param) == ("body_cursor", "next", "next")
    (op,) = api_of(_list_spec([], item, {"next": {"type": "string"}})).operations
    assert op.pagination is not None and op.pagination.style == "next_url"


def test_a_next_field_described_as_a_value_to_pass_back_is_no_url() -> None:
    """A helper's pagination review: stream-io's `next` ("Value to pass to the next search
    query") goes back inside a JSON `payload` parameter; read as a URL, page 2 went to
    `GET /v1/<cursor>` with the credentials. A `next` described as a link still is one."""
    from tests.builds import api_of

    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    for doc, style in (
        ("Value to pass to the next search query in order to paginate", None),
        ("The token of the next page", None),
        ("URL of the next page", "next_url"),
        ("", "next_url"),
    ):
        field = {"next": {"type": "string", "description": doc}}
        (op,) = api_of(_list_spec([], item, field)).operations
        assert (op.pagination.style if op.pagination else None) == style, doc


def test_kubernetes_lists_page_by_metadata_continue() -> None:
    """A helper's recall count: Kubernetes' 95 list operations (`items` beside `metadata:
    ListMeta`, whose `continue` goes back as `?continue=`) were not paged."""
    from tests.builds import api_of

    meta = {"type": "object", "properties": {"continue": {"type": "string"}}}
    item = {"type": "object", "properties": {"kind": {"type": "string"}}}
    body = {
        "type": "object",
        "properties": {
            "apiVersion": {"type": "string"},
            "items": {"type": "array", "items": item},
            "kind": {"type": "string"},
            "metadata": meta,
        },
    }
    spec = _list_spec(
        [
            {"name": "continue", "in": "query", "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "resourceVersion", "in": "query", "schema": {"type": "string"}},
        ],
        item,
        {},
    )
    spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"] = {
        "schema": body
    }
    (op,) = api_of(spec).operations
    p = op.pagination
    assert p is not None
    assert (p.style, p.items, p.cursor, p.cursor_param) == (
        "body_cursor",
        "items",
        "metadata.continue",
        "continue",
    )
    # a review: the API server refuses `continue` beside a `resourceVersion` (400); client-go's
    # pager drops it after the first page
    assert p.reset == ("resourceVersion",)


@pytest.mark.parametrize(
    ("param", "paged"),
    [
        # Asana's "offset token": page 2 sent `offset=2`, refused with a 400 (43 operations)
        ({"description": "Offset token. An offset to the next page returned by the API."}, False),
        ({"example": "eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9"}, False),
        ({"schema": {"type": "string", "default": "abc"}}, False),
        ({}, True),  # a numeric offset declared as a string (taxamo's) still counts items
        ({"example": "20"}, True),
        ({"description": "Number of records to skip", "schema": {"type": "integer"}}, True),
    ],
)
def test_an_offset_that_is_a_token_is_not_counted(param: dict[str, Any], paged: bool) -> None:
    from tests.builds import api_of

    offset = {"name": "offset", "in": "query", "schema": {"type": "string"}, **param}
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    item = {"type": "object", "properties": {"gid": {"type": "string"}}}
    (op,) = api_of(_list_spec([offset, limit], item, {})).operations
    assert (op.pagination is not None and op.pagination.style == "offset") is paged


@pytest.mark.parametrize(
    ("schema", "first"),
    [
        ({"type": "integer", "minimum": 0, "default": 0}, 0),
        ({"type": "integer", "default": 0}, 0),
        ({"type": "integer", "minimum": 0}, 0),
        ({"type": "integer", "minimum": 1}, None),
        ({"type": "integer"}, None),
        ({"type": "integer", "minimum": 1, "default": 1}, None),
        # a helper's review: Codat's `page: {minimum: 0, default: 1}` counts from 1 (the
        # default says where paging starts); read as 0 it looped on page 1
        ({"type": "integer", "minimum": 0, "default": 1}, None),
    ],
)
def test_a_page_parameter_counting_from_zero_starts_there(
    schema: dict[str, Any], first: int | None
) -> None:
    """A helper's pagination walk: `page: {minimum: 0, default: 0}` (Spring Data) was asked
    for 0, then 2: the runtime counted from 1 and skipped the second page without a word."""
    from tests.builds import api_of

    params = [{"name": "page", "in": "query", "schema": schema}]
    (op,) = api_of(_list_spec(params, {"type": "object"}, {})).operations
    assert op.pagination is not None and op.pagination.first_page == first
    # declared on the path item (a helper's review: only the operation's were read)
    spec = _list_spec([], {"type": "object"}, {})
    spec["paths"]["/things"]["parameters"] = params
    (op,) = api_of(spec).operations
    assert op.pagination is not None and op.pagination.first_page == first


@pytest.mark.parametrize(
    ("body_field", "param", "cursor_param"),
    [
        ("next_marker", "marker", "marker"),  # Box
        ("nextMarker", "marker", "marker"),  # AWS IoT
        ("NextToken", "NextToken", "NextToken"),  # AWS' PascalCase REST APIs
        ("NextMarker", "Marker", "Marker"),
    ],
)
def test_marker_and_pascal_case_token_cursors(
    body_field: str, param: str, cursor_param: str
) -> None:
    """A helper's recall count: 53 list operations of Box and AWS (`next_marker` back as
    `?marker=`, `NextToken` as `?NextToken=`) built with no pager."""
    from tests.builds import api_of

    params = [{"name": param, "in": "query", "schema": {"type": "string"}}]
    extra = {body_field: {"type": "string", "nullable": True}}
    (op,) = api_of(_list_spec(params, {"type": "object"}, extra)).operations
    p = op.pagination
    assert p is not None and (p.style, p.cursor, p.cursor_param) == (
        "body_cursor",
        body_field,
        cursor_param,
    )
    # an integer `next_marker` (Box declares some so) is no cursor to send back
    (op,) = api_of(
        _list_spec(params, {"type": "object"}, {body_field: {"type": "integer"}})
    ).operations
    assert op.pagination is None


@pytest.mark.parametrize(
    ("page", "description", "first"),
    [
        ("pageNumber", "Zero-based page number", 0),  # STAPI
        ("pageNumber", "Page to display. Starts from 1.", None),  # Avaza
        ("page_number", "The page number of the current page.", None),  # Zoom
        ("page", "0-based index of the page", 0),
        ("page", "Pages start at 0", 0),
        ("pageNumber", "a token", None),
    ],
)
def test_page_number_parameters_and_a_start_said_in_words(
    page: str, description: str, first: int | None
) -> None:
    """`pageNumber`/`page_number` beside `pageSize` page by number as `page` does (24
    operations had no pager), from 0 when the description says so and no default disagrees."""
    from tests.builds import api_of

    schema: dict[str, Any] = {"type": "string" if description == "a token" else "integer"}
    params = [
        {"name": page, "in": "query", "description": description, "schema": schema},
        {"name": "pageSize", "in": "query", "schema": {"type": "integer"}},
    ]
    (op,) = api_of(_list_spec(params, {"type": "object"}, {})).operations
    p = op.pagination
    if description == "a token":
        assert p is None
        return
    assert p is not None and (p.style, p.page_param, p.first_page) == ("page", page, first)
    assert p.size_param == "pageSize"
    for said in ({"default": 1}, {"minimum": 1}):  # the schema's word wins over the prose
        schema.update(said)
        (op,) = api_of(_list_spec(params, {"type": "object"}, {})).operations
        assert op.pagination is not None and op.pagination.first_page is None
        schema.pop(next(iter(said)))


def test_an_array_beside_metadata_objects_is_a_page_when_the_request_pages() -> None:
    """A helper's recall list: agco-ats' 61 lists (`{Entities: [...], Metadata: {Limit, Offset,
    TotalCount}}`), EBI's, DigitalOcean's invoices and GitHub's budgets (`{budgets: [...],
    has_next_page}` beside objects) had no pager: the one array had to stand beside scalars
    only. Beside objects of scalars it is a page when the request takes a page number or an
    offset; an object holding arrays, or no paging parameter, still says nothing."""
    from tests.builds import api_of

    meta = {
        "type": "object",
        "properties": {"Limit": {"type": "integer"}, "Offset": {"type": "integer"}},
    }
    offset = [
        {"name": "offset", "in": "query", "schema": {"type": "integer"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    ]
    spec = _list_spec(offset, {"type": "object"}, {"Metadata": meta})
    body = spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]
    body["schema"]["properties"]["Entities"] = body["schema"]["properties"].pop("data")
    (op,) = api_of(spec).operations
    assert op.pagination is not None and (op.pagination.style, op.pagination.items) == (
        "offset",
        "Entities",
    )
    (op,) = api_of(_list_spec([], {"type": "object"}, {"Metadata": meta})).operations
    assert op.pagination is None  # nothing to page with
    nested = {"type": "object", "properties": {"clauses": {"type": "array", "items": {}}}}
    spec = _list_spec(offset, {"type": "object"}, {"sort": nested})
    body = spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]
    body["schema"]["properties"]["animals"] = body["schema"]["properties"].pop("data")
    (op,) = api_of(spec).operations
    assert op.pagination is None  # a second list inside: which one pages is unclear


def _query(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]


@pytest.mark.parametrize(
    ("params", "extra", "expected"),
    [
        # Google Wallet: `pagination.nextPageToken` taken back as `?token=` (14 operations)
        (
            _query("token", "maxResults"),
            {
                "pagination": {
                    "type": "object",
                    "properties": {"nextPageToken": {"type": "string"}},
                }
            },
            ("pagination.nextPageToken", "token"),
        ),
        # HERE Tracking: the body's `pageToken` taken back under the same name (21)
        (
            _query("pageToken", "limit"),
            {"pageToken": {"type": "string"}},
            ("pageToken", "pageToken"),
        ),
        # OpenAI's group lists: `next`, "the cursor for the next page", back as `after`
        (
            _query("after", "limit"),
            {
                "has_more": {"type": "boolean"},
                "next": {"type": "string", "description": "Cursor to fetch the next page."},
            },
            ("next", "after"),
        ),
        # DigitalOcean's batches: `last_id` a UUID, items keyed `batch_id`
        (
            _query("after"),
            {"has_more": {"type": "boolean"}, "last_id": {"type": "string", "format": "uuid"}},
            ("last_id", "after"),
        ),
        # PagerDuty's actions: the item array beside a `privileges` object (not metadata)
        (
            _query("cursor", "limit"),
            {
                "next_cursor": {"type": "string"},
                "privileges": {
                    "type": "object",
                    "properties": {"roles": {"type": "array", "items": {"type": "string"}}},
                },
            },
            ("next_cursor", "cursor"),
        ),
    ],
)
def test_body_cursors_a_pagination_audit_found_unpaged(
    params: list[dict[str, Any]], extra: dict[str, Any], expected: tuple[str, str]
) -> None:
    """A helper's audit of 13,009 operations: 35 lists of Google Wallet and HERE had no pager,
    OpenAI's and DigitalOcean's were paged by an item `id` their items lack (page 2 raised),
    and PagerDuty's array beside an object was no page."""
    from tests.builds import api_of

    item = {"type": "object", "properties": {"batch_id": {"type": "string"}}}
    (op,) = api_of(_list_spec(params, item, extra)).operations
    p = op.pagination
    assert p is not None and (p.style, p.cursor, p.cursor_param) == ("body_cursor", *expected)
    assert p.items == "data"
