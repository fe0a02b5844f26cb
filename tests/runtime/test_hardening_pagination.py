"""Pagination that revisits a page (cursor or URL seen before) stops with an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

import apigen_runtime as rt

BASE = "https://api.test/v1"
Handler = Callable[[httpx.Request], httpx.Response]


def item(n: int) -> dict[str, Any]:
    return {"id": f"p{n}"}


def cursor_cycle(request: httpx.Request) -> httpx.Response:
    # Stripe style: p1,p2 -> after p2: p3,p4 -> after p4: p1,p2 again (a cycle of two pages)
    after = request.url.params.get("starting_after")
    data = [item(3), item(4)] if after == "p2" else [item(1), item(2)]
    return httpx.Response(200, json={"data": data, "has_more": True})


def body_cursor_cycle(request: httpx.Request) -> httpx.Response:
    cursor = request.url.params.get("cursor")
    nxt = {None: "a", "a": "b", "b": "a"}[cursor]
    return httpx.Response(200, json={"data": [item(1)], "next_cursor": nxt})


def next_url_cycle(request: httpx.Request) -> httpx.Response:
    page = request.url.params.get("page", "1")
    nxt = f"{BASE}/pets?page={'2' if page != '2' else '1'}"
    return httpx.Response(200, json={"results": [item(int(page))], "next": nxt})


def next_url_self(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"results": [item(1)], "next": str(request.url)})


def link_cycle(request: httpx.Request) -> httpx.Response:
    page = request.url.params.get("page", "1")
    nxt = (
        f"{BASE}/pets?page={'3' if page == '2' else '2'}" if page != "3" else f"{BASE}/pets?page=2"
    )
    link = f'<{nxt}>; rel="next"'
    return httpx.Response(200, json=[item(int(page))], headers={"Link": link})


def _op(pagination: rt.Pagination, *params: rt.Param) -> rt.Operation[Any]:
    return rt.Operation(
        method="get",
        path="/pets",
        operation_id="listPets",
        params=params,
        responses={"200": rt.Response(Any, "json")},
        pagination=pagination,
    )


CASES: list[tuple[str, rt.Operation[Any], Handler]] = [
    (
        "cursor",
        _op(rt.CursorPagination(), rt.Param("starting_after", "starting_after", "query")),
        cursor_cycle,
    ),
    (
        "body-cursor",
        _op(rt.BodyCursorPagination(), rt.Param("cursor", "cursor", "query")),
        body_cursor_cycle,
    ),
    ("next-url", _op(rt.NextUrlPagination(items="results")), next_url_cycle),
    ("next-url-self", _op(rt.NextUrlPagination(items="results")), next_url_self),
    ("link", _op(rt.LinkHeaderPagination(items=None)), link_cycle),
    ("link-page-param", _op(rt.LinkHeaderPagination(items=None, page_param="page")), link_cycle),
]


class Counting:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.count = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        assert self.count < 50, "pagination did not stop"
        return self.handler(request)


@pytest.mark.parametrize(("name", "op", "handler"), CASES, ids=[c[0] for c in CASES])
def test_sync_revisited_page_raises(name: str, op: rt.Operation[Any], handler: Handler) -> None:
    server = Counting(handler)
    client = rt.SyncAPIClient(
        base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(server))
    )
    with pytest.raises(rt.PaginationLoopError, match="listPets"):
        list(client.paginate(op, {}))
    assert server.count <= 4
    if name != "link-page-param":  # (that one fans out by page number: no page repeats)
        with pytest.raises(rt.PaginationLoopError):  # iter_all falls back to one at a time
            list(client.paginate(op, {}).iter_all(concurrency=3))
    assert issubclass(rt.PaginationLoopError, rt.APIError)


@pytest.mark.parametrize(("name", "op", "handler"), CASES, ids=[c[0] for c in CASES])
async def test_async_revisited_page_raises(
    name: str, op: rt.Operation[Any], handler: Handler
) -> None:
    server = Counting(handler)
    client = rt.AsyncAPIClient(
        base_url=BASE, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))
    )
    with pytest.raises(rt.PaginationLoopError, match="listPets"):
        [x async for x in client.paginate(op, {})]
    assert server.count <= 4
    page = await client.paginate(op, {})
    with pytest.raises(rt.PaginationLoopError):
        async for _page in page.iter_pages():
            pass


def test_next_page_to_the_same_page_raises() -> None:
    op = _op(rt.NextUrlPagination(items="results"))
    client = rt.SyncAPIClient(
        base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(next_url_self))
    )
    page = client.paginate(op, {})
    assert page.has_next_page()
    with pytest.raises(rt.PaginationLoopError):
        page.next_page()


def ignores_offset(request: httpx.Request) -> httpx.Response:
    # a server that does not read `offset` (or `page`): the same full page, whatever is asked
    return httpx.Response(200, json={"data": [item(1), item(2)], "has_more": True})


IGNORING: list[tuple[str, rt.Operation[Any]]] = [
    (
        "offset",
        _op(
            rt.OffsetPagination(),
            rt.Param("offset", "offset", "query"),
            rt.Param("limit", "limit", "query"),
        ),
    ),
    ("page", _op(rt.PageNumberPagination(), rt.Param("page", "page", "query"))),
]


@pytest.mark.parametrize(("name", "op"), IGNORING, ids=[c[0] for c in IGNORING])
async def test_a_server_that_ignores_the_page_asked_for_stops_the_walk(
    name: str, op: rt.Operation[Any]
) -> None:
    """Each request differs (offset 0, 2, 4...), so no page key repeats, and the pages are full:
    the walk used to ask forever. The second identical body ends it, one at a time and fanned
    out, sync and async (2026-12-04)."""
    server = Counting(ignores_offset)
    client = rt.SyncAPIClient(
        base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(server))
    )
    with pytest.raises(rt.PaginationLoopError, match="sent the previous page again"):
        list(client.paginate(op, {}))
    assert server.count == 2
    with pytest.raises(rt.PaginationLoopError):
        list(client.paginate(op, {}).iter_all(concurrency=3))
    aclient = rt.AsyncAPIClient(
        base_url=BASE, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))
    )
    with pytest.raises(rt.PaginationLoopError):
        [x async for x in aclient.paginate(op, {})]
    page = await aclient.paginate(op, {})
    with pytest.raises(rt.PaginationLoopError):
        [x async for x in page.iter_all(concurrency=3)]
