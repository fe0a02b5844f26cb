"""Pagination descriptors and pages against a MockTransport that serves pages by query."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime._paging import _link_next

from .conftest import Pet

BASE = "https://api.test/v1"
PETS = [{"id": f"p{i}", "name": f"pet {i}"} for i in range(1, 8)]  # 7 pets


class PetList(rt.Model):
    data: list[Pet]
    has_more: bool


class StringPet(rt.Model):
    id: str
    name: str


class StringPetList(rt.Model):
    data: list[StringPet]
    has_more: bool


Handler = Callable[[httpx.Request], httpx.Response]


class Server:
    """Records requests; `handler` answers from the query. Counts requests in flight."""

    def __init__(self, handler: Handler, delay: float = 0.0) -> None:
        self.handler = handler
        self.delay = delay
        self.requests: list[httpx.Request] = []
        self.in_flight = 0
        self.peak = 0
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            return self.handler(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return self.handler(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    def queries(self) -> list[dict[str, str]]:
        return [dict(r.url.params) for r in self.requests]


def sync_client(server: Server) -> rt.SyncAPIClient:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return rt.SyncAPIClient(base_url=BASE, http_client=http)


def async_client(server: Server) -> rt.AsyncAPIClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle_async))
    return rt.AsyncAPIClient(base_url=BASE, http_client=http)


def ids(items: Any) -> list[str]:
    return [p.id if isinstance(p, Pet | StringPet) else p["id"] for p in items]


# --- Stripe-style cursor -----------------------------------------------------------------------


def stripe_pages(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    limit = int(params.get("limit", "3"))
    if "ending_before" in params:
        end = next(i for i, p in enumerate(PETS) if p["id"] == params["ending_before"])
        chunk = PETS[max(0, end - limit) : end]
        return httpx.Response(200, json={"data": chunk, "has_more": end - limit > 0})
    start = 0
    if "starting_after" in params:
        start = 1 + next(i for i, p in enumerate(PETS) if p["id"] == params["starting_after"])
    chunk = PETS[start : start + limit]
    return httpx.Response(200, json={"data": chunk, "has_more": start + limit < len(PETS)})


LIST_CURSOR: rt.Operation[StringPetList] = rt.Operation(
    method="get",
    path="/pets",
    operation_id="listPets",
    params=(
        rt.Param("limit", "limit", "query"),
        rt.Param("starting_after", "starting_after", "query"),
        rt.Param("ending_before", "ending_before", "query"),
    ),
    responses={"200": rt.Response(StringPetList, "json")},
    pagination=rt.CursorPagination(
        items="data",
        has_more="has_more",
        cursor_param="starting_after",
        cursor_field="id",
        reverse_param="ending_before",
    ),
)


def test_cursor_iterates_every_item_lazily() -> None:
    server = Server(stripe_pages)
    client = sync_client(server)
    page: rt.SyncPage[StringPet] = client.paginate(LIST_CURSOR, {"limit": 3})
    assert len(server.requests) == 1 and "3 items" in repr(page)
    assert ids(page.items) == ["p1", "p2", "p3"] and page.data is page.items
    assert isinstance(page.raw, StringPetList) and page.response is not None
    assert page.has_next_page()
    assert ids(page) == [p["id"] for p in PETS]
    assert server.queries() == [
        {"limit": "3"},
        {"limit": "3", "starting_after": "p3"},
        {"limit": "3", "starting_after": "p6"},
    ]


def test_cursor_pages_and_next_page() -> None:
    client = sync_client(Server(stripe_pages))
    first = client.paginate(LIST_CURSOR, {"limit": 4})
    second = first.next_page()
    assert ids(second.items) == ["p5", "p6", "p7"]
    # openai-python's and anthropic's name for it (helper 184)
    assert ids(first.get_next_page().items) == ids(second.items)
    assert not second.has_next_page()
    with pytest.raises(LookupError):
        second.next_page()
    assert [len(p.items) for p in first.iter_pages()] == [4, 3]
    assert [len(p.items) for p in first.iter_pages(max_pages=1)] == [4]


def test_cursor_backwards_uses_first_item() -> None:
    """Paged backwards, iterating yields each page reversed (a helper's review: `p4, p5, p2,
    p3, p1` jumped; stripe-python's `auto_paging_iter` gives `p5, p4, p3, p2, p1`, each item
    further from the cursor); a page's `items` keep the API's order."""
    server = Server(stripe_pages)
    client = sync_client(server)
    page = client.paginate(LIST_CURSOR, {"limit": 2, "ending_before": "p6"})
    assert ids(page.items) == ["p4", "p5"]
    assert ids(page) == ["p5", "p4", "p3", "p2", "p1"]
    assert server.queries()[1] == {"limit": "2", "ending_before": "p4"}


def test_cursor_stops_when_cursor_does_not_move() -> None:
    def stuck(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": PETS[:2], "has_more": True})

    server = Server(stuck)
    # issue 8: a revisited page stops with an error (not silently, not forever)
    with pytest.raises(rt.PaginationLoopError):
        ids(sync_client(server).paginate(LIST_CURSOR, {}))
    assert len(server.requests) == 2


def test_a_manual_next_page_loop_is_guarded_as_iteration_is() -> None:
    """A helper's pagination walk: `while page.has_next_page(): page = page.next_page()`
    (openai-python's README pattern) ran for ever, sync and async, when the server ignored
    `?page=` (the same body again) or its cursors cycled A -> B -> A: each `next_page()`
    started a walk of its own. The walk is carried from page to page; calling `next_page()`
    again on an earlier page branches off there (no false alarm)."""
    cursor_op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("cursor", "cursor", "query"),),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.BodyCursorPagination(items="data", cursor="next", cursor_param="cursor"),
    )

    def cycle(request: httpx.Request) -> httpx.Response:
        at = request.url.params.get("cursor", "")
        nxt = {"": "A", "A": "B", "B": "A"}[at]
        return httpx.Response(200, json={"data": [{"id": at or "0"}], "next": nxt})

    def ignores_page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": PETS[:2]})

    for handler, op, values in (
        (cycle, cursor_op, {}),
        (ignores_page, LIST_PAGES, {"page_size": 2}),
    ):
        server = Server(handler)
        page = sync_client(server).paginate(op, values)
        with pytest.raises(rt.PaginationLoopError):
            for _ in range(10):
                assert page.has_next_page()
                page = page.next_page()
        assert len(server.requests) <= 4

        async def manual(handler: Handler = handler, op: Any = op, values: Any = values) -> None:
            page = await async_client(Server(handler)).paginate(op, values)
            for _ in range(10):
                page = await page.next_page()

        with pytest.raises(rt.PaginationLoopError):
            asyncio.run(manual())

    first = sync_client(Server(token_pages)).paginate(
        rt.Operation(
            method="get",
            path="/pets",
            params=(rt.Param("page_token", "page_token", "query"),),
            responses={"200": rt.Response(dict[str, Any], "json")},
            pagination=rt.BodyCursorPagination(
                items="items", cursor="meta.next_page_token", cursor_param="page_token"
            ),
        ),
        {},
    )
    second = first.next_page()
    assert ids(second.next_page().items) == ids(second.next_page().items) == ["p7"]
    assert ids(first.next_page().items) == ids(second.items)  # a branch, not a loop


def test_more_pages_with_nothing_to_ask_for_them_by_is_an_error() -> None:
    """A helper's pagination walk: items without the cursor field (DigitalOcean's batches have
    `batch_id`) under `has_more: true` ended the list after page one, silently dropping the
    rest. The IR no longer picks that style for such items; the runtime, should a page still
    lack the field, says so."""

    def no_ids(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [{"name": "a"}, {"name": "b"}], "has_more": True})

    server = Server(no_ids)
    with pytest.raises(rt.APIError, match=r"more items follow .* no 'id' to ask for them by"):
        list(sync_client(server).paginate(LIST_CURSOR, {}))
    assert len(server.requests) == 1


async def test_async_cursor_await_and_async_for() -> None:
    server = Server(stripe_pages)
    client = async_client(server)
    paginator: rt.AsyncPaginator[StringPet] = client.paginate(LIST_CURSOR, {"limit": 3})
    assert server.requests == []  # nothing is sent before it is awaited or iterated
    seen = [p.id async for p in paginator]
    assert seen == [p["id"] for p in PETS]
    page = await client.paginate(LIST_CURSOR, {"limit": 5})
    assert isinstance(page, rt.AsyncPage) and ids(page.items) == ["p1", "p2", "p3", "p4", "p5"]
    nxt = await page.next_page()
    assert ids(nxt.items) == ["p6", "p7"] and not nxt.has_next_page()
    assert ids((await page.get_next_page()).items) == ["p6", "p7"]
    with pytest.raises(LookupError):
        await nxt.get_next_page()
    assert [len(p.items) async for p in page.iter_pages()] == [5, 2]
    assert [p.id async for p in page] == [p["id"] for p in PETS]
    await client.aclose()


def test_undeclared_cursor_param_goes_to_extra_query() -> None:
    op: rt.Operation[StringPetList] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("limit", "limit", "query"),),
        responses={"200": rt.Response(StringPetList, "json")},
        pagination=rt.CursorPagination(),
    )
    server = Server(stripe_pages)
    assert len(ids(sync_client(server).paginate(op, {"limit": 5}))) == 7
    assert server.queries()[1] == {"limit": "5", "starting_after": "p5"}


# --- body cursor, next URL ---------------------------------------------------------------------


def token_pages(request: httpx.Request) -> httpx.Response:
    start = int(request.url.params.get("page_token", "0") or "0")
    nxt = str(start + 3) if start + 3 < len(PETS) else None
    return httpx.Response(
        200, json={"items": PETS[start : start + 3], "meta": {"next_page_token": nxt}}
    )


def test_body_cursor() -> None:
    op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("page_token", "page_token", "query"),),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.BodyCursorPagination(
            items="items", cursor="meta.next_page_token", cursor_param="page_token"
        ),
    )
    server = Server(token_pages)
    assert ids(sync_client(server).paginate(op, {})) == [p["id"] for p in PETS]
    assert [q.get("page_token") for q in server.queries()] == [None, "3", "6"]


def next_url_pages(request: httpx.Request) -> httpx.Response:
    start = int(request.url.params.get("start", "0"))
    more = start + 3 < len(PETS)
    # relative on the first page, absolute after: both resolve against the request URL
    nxt = f"pets?start={start + 3}&q=a%20b" if start == 0 else f"{BASE}/pets?start={start + 3}"
    return httpx.Response(
        200, json={"results": PETS[start : start + 3], "links": {"next": nxt if more else None}}
    )


def test_next_url_is_followed_as_given() -> None:
    op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("q", "q", "query"), rt.Param("x_trace", "X-Trace", "header")),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.NextUrlPagination(items="results", next="links.next"),
    )
    server = Server(next_url_pages)
    items = ids(sync_client(server).paginate(op, {"q": "zzz", "x_trace": "t1"}))
    assert items == [p["id"] for p in PETS]
    urls = [str(r.url) for r in server.requests]
    assert urls[0] == f"{BASE}/pets?q=zzz"
    assert urls[1] == f"{BASE}/pets?start=3&q=a%20b"  # the page's query, not the original
    assert urls[2] == f"{BASE}/pets?start=6"
    assert all(r.headers["x-trace"] == "t1" for r in server.requests)


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        # a base64 cursor's raw `+` went as `%20`, bytes not UTF-8 as U+FFFD, `flag` as `flag=`
        (f"{BASE}/pets?c=ab+cd%2B&flag&x=%FF%FE&c=2", f"{BASE}/pets?c=ab+cd%2B&c=2&flag&x=%FF%FE"),
        # the base URL itself was asked for with a `/` added (`/v1/?page=2`)
        (f"{BASE}?page=2", f"{BASE}?page=2"),
        (f"{BASE}/?page=2", f"{BASE}/?page=2"),
    ],
)
def test_a_next_urls_query_is_sent_as_the_server_spelt_it(given: str, sent: str) -> None:
    """helper 185: `follow()` decoded the query and encoded it anew."""

    def pages(request: httpx.Request) -> httpx.Response:
        first = not server.requests[:-1]
        return httpx.Response(200, json={"results": PETS[:1], "next": given if first else None})

    server = Server(pages)
    client = sync_client(server)
    assert len(list(client.paginate(_next_url_op(), {}))) == 2
    assert str(server.requests[1].url) == sent


def test_extra_query_of_an_offset_or_page_is_counted_from() -> None:
    """The review of the fix below: with `extra_query={"offset": 4}` the walk counted from
    the argument's 0 (offsets 4, 2, 4, 6: items repeated); `param()` reads what is sent."""
    server = Server(offset_pages)
    got = ids(sync_client(server).paginate(LIST_OFFSETS, {}, {"extra_query": {"offset": 4}}))
    assert got == [p["id"] for p in PETS[4:]]
    assert [q.get("offset") for q in server.queries()] == ["4", "6"]
    server = Server(page_pages)
    options: rt.RequestOptions = {"extra_query": {"page": 3}}
    got = ids(sync_client(server).paginate(LIST_PAGES, {"page_size": 2}, options))
    assert got == [p["id"] for p in PETS[4:]]
    assert [q.get("page") for q in server.queries()] == ["3", "4", "5"]


def test_next_urls_differing_in_a_repeated_parameter_are_other_pages() -> None:
    """`?f=a&f=b` then `?f=a&f=c` read as one page (the key saw the first value only): a
    `PaginationLoopError` (the review)."""
    nexts = [f"{BASE}/pets?f=a&f=b", f"{BASE}/pets?f=a&f=c", None]

    def pages(request: httpx.Request) -> httpx.Response:
        at = len(server.requests) - 1
        return httpx.Response(200, json={"results": PETS[at : at + 1], "next": nexts[at]})

    server = Server(pages)
    assert len(list(sync_client(server).paginate(_next_url_op(), {}))) == 3


def test_a_value_from_a_next_url_copies_and_pickles() -> None:
    import copy
    import pickle

    from apigen_runtime._params import AsSent

    value = AsSent("a b", ("c=a+b",))
    for again in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
        assert again == "a b" and again.parts == ("c=a+b",)


def test_extra_query_of_a_page_parameter_gives_way_to_later_pages() -> None:
    """`extra_query={"starting_after": ...}` for the first page won over every later page's
    cursor: page 2 was page 1 again, a `PaginationLoopError` (helper 185)."""
    server = Server(stripe_pages)
    client = sync_client(server)
    got = ids(client.paginate(LIST_CURSOR, {"limit": 2}, {"extra_query": {"starting_after": "p2"}}))
    assert got == [p["id"] for p in PETS[2:]]
    assert [q.get("starting_after") for q in server.queries()] == ["p2", "p4", "p6"]


def test_a_client_parameter_a_next_url_lacks_is_sent_with_it() -> None:
    """Helper 222: Azure's `api-version` is a client parameter; a `nextLink` carrying only
    `$skiptoken` was followed without it, and ARM answers 400. One the URL carries is the
    URL's (no second copy)."""

    def answer(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("$skiptoken")
        nxt = {None: f"{BASE}/pets?$skiptoken=T2", "T2": "pets?$skiptoken=T3&api-version=9"}
        body = {"value": [{"id": token or "T1"}], "nextLink": nxt.get(token)}
        return httpx.Response(200, json=body)

    op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("api_version", "api-version", "query", client=True),),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.NextUrlPagination(items="value", next="nextLink"),
    )
    server = Server(answer)
    http = httpx.Client(transport=httpx.MockTransport(server))
    client = rt.SyncAPIClient(base_url=BASE, http_client=http, client_values={"api_version": "1"})
    assert ids(client.paginate(op, {})) == ["T1", "T2", "T3"]
    assert [r.url.params.get_list("api-version") for r in server.requests] == [["1"], ["1"], ["9"]]


def _next_url_op() -> rt.Operation[Any]:
    """`GET /pets`, its next page at the body's `next` URL."""
    return rt.Operation(
        method="get",
        path="/pets",
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.NextUrlPagination(items="results", next="next"),
    )


def test_next_url_outside_base_url_is_refused() -> None:
    """An `APIError` (raised while iterating, after requests were sent: the runtime contract's
    rule), whose message leaves out the URL's query: a presigned URL carries its signature
    there (a helper's review: a `ValueError` with the whole URL)."""

    def elsewhere(request: httpx.Request) -> httpx.Response:
        next_url = "https://evil.test/x?sig=SIGNED&api_key=K"
        return httpx.Response(200, json={"results": PETS[:1], "next": next_url})

    page = sync_client(Server(elsewhere)).paginate(_next_url_op(), {})
    with pytest.raises(rt.APIError, match="not under the base URL") as caught:
        page.has_next_page()
    assert "SIGNED" not in str(caught.value) and "https://evil.test/x" in str(caught.value)


def test_a_refused_next_url_s_password_is_not_shown() -> None:
    """A helper's pagination walk: a next URL naming `user:password@` was refused (rightly),
    with the password in the message."""

    def with_password(request: httpx.Request) -> httpx.Response:
        next_url = "https://admin:hunter2@api.test/v1/pets?page=2"
        return httpx.Response(200, json={"results": PETS[:1], "next": next_url})

    page = sync_client(Server(with_password)).paginate(_next_url_op(), {})
    with pytest.raises(rt.APIError, match="names a user and password") as caught:
        page.has_next_page()
    assert "hunter2" not in str(caught.value) and "admin" not in str(caught.value)


@pytest.mark.parametrize(
    "climb", ["%2e%2e", "%2E%2E", ".%2e", "%2e", "..%2f", "%252e%252e", "x/..;", "x\\..\\.."]
)
def test_next_url_climbing_out_of_the_base_path_in_percent_encoding_is_refused(climb: str) -> None:
    """A helper's review: `<base>/%2e%2e/%2e%2e/admin` passed the prefix check (httpx folds
    `../` but leaves `%2e%2e`) and was followed with the credentials; a server reads `..`.
    So may one decoding `%2f` (`..%2f`), twice (`%252e`), dropping `;` parameters (`..;/`:
    Tomcat) or reading `\\` as `/` (IIS): a later review."""
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, json={"results": PETS[:1], "next": f"{BASE}/{climb}/admin"})

    page = sync_client(Server(handler)).paginate(_next_url_op(), {})
    with pytest.raises(rt.APIError, match="climbs out of the base URL"):
        page.has_next_page()
    assert len(sent) == 1


# --- Link header, offset, page number ----------------------------------------------------------


def link_pages(request: httpx.Request) -> httpx.Response:
    page = int(request.url.params.get("page", "1"))
    per_page = int(request.url.params.get("per_page", "3"))
    chunk = PETS[(page - 1) * per_page : page * per_page]
    links = []
    if page * per_page < len(PETS):
        links.append(
            f'<{BASE}/repositories/9/pets?per_page={per_page}&page={page + 1}>; rel="next"'
        )
    links.append(f'<{BASE}/repositories/9/pets?per_page={per_page}&page=1>; rel="first"')
    return httpx.Response(200, json=chunk, headers={"Link": ", ".join(links)})


LIST_LINK: rt.Operation[list[StringPet]] = rt.Operation(
    method="get",
    path="/pets",
    params=(rt.Param("per_page", "per_page", "query"), rt.Param("page", "page", "query")),
    responses={"200": rt.Response(list[StringPet], "json")},
    pagination=rt.LinkHeaderPagination(items=None, page_param="page", size_param="per_page"),
)


def test_link_header_follows_next() -> None:
    server = Server(link_pages)
    page = sync_client(server).paginate(LIST_LINK, {"per_page": 3})
    assert isinstance(page.raw, list) and page.items == page.raw
    assert ids(page) == [p["id"] for p in PETS]
    assert [str(r.url) for r in server.requests] == [
        f"{BASE}/pets?per_page=3",
        f"{BASE}/repositories/9/pets?per_page=3&page=2",
        f"{BASE}/repositories/9/pets?per_page=3&page=3",
    ]


def test_link_header_parsing() -> None:
    request = httpx.Request("GET", "https://x.test/a/b?page=1")
    header = (
        '<https://x.test/a/b?q=1,2&page=3>; rel="last", '
        '</a/b?page=2>; title="a, b"; rel="prev next"'
    )
    response = httpx.Response(200, headers={"link": header}, request=request)
    assert _link_next(response) == "https://x.test/a/b?page=2"
    assert _link_next(httpx.Response(200, request=request)) is None


def offset_pages(request: httpx.Request) -> httpx.Response:
    offset = int(request.url.params.get("offset", "0"))
    limit = min(int(request.url.params.get("limit", "2")), 2)  # the server caps pages at 2
    return httpx.Response(200, json={"data": PETS[offset : offset + limit], "total": len(PETS)})


LIST_OFFSETS: rt.Operation[Any] = rt.Operation(
    method="get",
    path="/pets",
    params=(rt.Param("offset", "offset", "query"), rt.Param("limit", "limit", "query")),
    responses={"200": rt.Response(dict[str, Any], "json")},
    pagination=rt.OffsetPagination(items="data", total="total"),
)


def test_offset_advances_by_items_received() -> None:
    op = LIST_OFFSETS
    server = Server(offset_pages)
    assert ids(sync_client(server).paginate(op, {"limit": 5})) == [p["id"] for p in PETS]
    assert [q.get("offset") for q in server.queries()] == [None, "2", "4", "6"]  # total stops it


def page_pages(request: httpx.Request) -> httpx.Response:
    page = int(request.url.params.get("page", "1"))
    size = int(request.url.params.get("page_size", "2"))
    return httpx.Response(200, json={"data": PETS[(page - 1) * size : page * size]})


LIST_PAGES: rt.Operation[Any] = rt.Operation(
    method="get",
    path="/pets",
    params=(rt.Param("page", "page", "query"), rt.Param("page_size", "page_size", "query")),
    responses={"200": rt.Response(dict[str, Any], "json")},
    pagination=rt.PageNumberPagination(items="data", page_param="page", size_param="page_size"),
)


def test_page_number_stops_at_empty_page() -> None:
    server = Server(page_pages)
    assert ids(sync_client(server).paginate(LIST_PAGES, {"page_size": 3})) == [
        p["id"] for p in PETS
    ]
    assert [q.get("page") for q in server.queries()] == [None, "2", "3", "4"]


def test_page_numbers_end_where_a_link_header_has_no_next() -> None:
    """A helper's pagination walk: GitHub's search is paged by `page` (its spec declares no
    `Link`), and it answers 422 past the 1,000th result; counting asked for page 11 and the
    iteration raised `UnprocessableEntityError` after 1,000 items. A `Link` header with a
    `prev`/`last` and no `next` is the API's word on the last page; with a `next`, counting
    goes on; offsets likewise."""

    def capped(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        if page > 2:
            return httpx.Response(422, json={"message": "Only the first 4 results"})
        links = [f'<{BASE}/pets?page={page - 1}>; rel="prev"'] if page > 1 else []
        if page < 2:
            links.append(f'<{BASE}/pets?page={page + 1}>; rel="next"')
        return httpx.Response(
            200, json={"data": PETS[(page - 1) * 2 : page * 2]}, headers={"Link": ", ".join(links)}
        )

    server = Server(capped)
    assert ids(sync_client(server).paginate(LIST_PAGES, {"page_size": 2})) == [
        "p1",
        "p2",
        "p3",
        "p4",
    ]
    assert [q.get("page") for q in server.queries()] == [None, "2"]
    fanned = Server(capped)
    assert ids(sync_client(fanned).paginate(LIST_PAGES, {"page_size": 2}).iter_all()) == [
        "p1",
        "p2",
        "p3",
        "p4",
    ]

    def first_and_last(request: httpx.Request) -> httpx.Response:
        # a review: an API sending only `first` and `last` (callers count pages) was cut
        # after page 1; `last` naming another page keeps counting
        page = int(request.url.params.get("page", "1"))
        links = f'<{BASE}/pets?page=1>; rel="first", <{BASE}/pets?page=3>; rel="last"'
        body = {"data": PETS[(page - 1) * 2 : page * 2]}
        return httpx.Response(200, json=body, headers={"Link": links})

    counted = Server(first_and_last)
    assert ids(sync_client(counted).paginate(LIST_PAGES, {"page_size": 2})) == ids(PETS)


def test_a_last_link_naming_this_page_in_another_spelling_ends_the_walk() -> None:
    """Helper 222: GitHub's `rel="last"` spells the query its own way (`q=a+user%3Ab`, the
    parameters in its order) where httpx sent `q=a%20user%3Ab`: the walk did not see its last
    page, asked for one more and raised GitHub's 422 after every item."""

    def search(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        if page > 2:
            return httpx.Response(422, json={"message": "Only the first 4 results"})
        last = f'<{BASE}/pets?page=2&q=addClass+user%3Amozilla&page_size=2>; rel="last"'
        links = [last, f'<{BASE}/pets?page={page + 1}>; rel="next"'] if page < 2 else [last]
        body = {"data": PETS[(page - 1) * 2 : page * 2]}
        return httpx.Response(200, json=body, headers={"Link": ", ".join(links)})

    server = Server(search)
    options: rt.RequestOptions = {"extra_query": {"q": "addClass user:mozilla"}}
    pages = sync_client(server).paginate(LIST_PAGES, {"page_size": 2}, options)
    assert ids(pages) == ["p1", "p2", "p3", "p4"]
    assert [q.get("page") for q in server.queries()] == [None, "2"]


# --- concurrent fan-out ------------------------------------------------------------------------


def test_fan_out_sync_is_bounded_and_ordered() -> None:
    server = Server(page_pages, delay=0.05)
    page = sync_client(server).paginate(LIST_PAGES, {"page_size": 1})
    items = list(page.iter_all(concurrency=3))
    assert ids(items) == [p["id"] for p in PETS]
    assert 2 <= server.peak <= 3  # concurrent, never more than `concurrency` at once
    pages = sorted(int(q.get("page", "1")) for q in server.queries())
    assert pages[:8] == [1, 2, 3, 4, 5, 6, 7, 8]  # stopped at the first empty page
    assert len(pages) <= 1 + 7 + 3


def test_fan_out_max_pages_and_early_break() -> None:
    server = Server(page_pages)
    page = sync_client(server).paginate(LIST_PAGES, {"page_size": 2})
    assert ids(page.iter_all(concurrency=4, max_pages=2)) == ["p1", "p2", "p3", "p4"]
    assert len(server.requests) == 2
    it = page.iter_all(concurrency=2)
    assert [next(it)["id"] for _ in range(3)] == ["p1", "p2", "p3"]
    it.close()  # leaves cleanly, pending pages cancelled


def test_fan_out_stops_at_short_page_and_for_offsets() -> None:
    op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("offset", "offset", "query"), rt.Param("limit", "limit", "query")),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.OffsetPagination(items="data"),
    )
    server = Server(offset_pages)
    items = list(sync_client(server).paginate(op, {"limit": 2}).iter_all(concurrency=3))
    assert ids(items) == [p["id"] for p in PETS]  # the page at offset 6 is short: the end
    assert {q.get("offset") for q in server.queries()} >= {None, "2", "4", "6"}


def test_fan_out_of_offsets_stops_at_the_total() -> None:
    """A helper's pagination review: with `total` in the body, the fan-out still asked for
    offsets past it (11 requests for 4 pages) until a page came back empty."""
    op = LIST_OFFSETS
    server = Server(offset_pages)
    items = list(sync_client(server).paginate(op, {"limit": 2}).iter_all(concurrency=8))
    assert ids(items) == [p["id"] for p in PETS]
    assert sorted(int(q.get("offset") or 0) for q in server.queries()) == [0, 2, 4, 6]


def test_fan_out_falls_back_to_sequential_for_cursors() -> None:
    server = Server(stripe_pages)
    page = sync_client(server).paginate(LIST_CURSOR, {"limit": 3})
    assert ids(page.iter_all(concurrency=8)) == [p["id"] for p in PETS]
    assert len(server.requests) == 3


def test_fan_out_link_uses_page_numbers() -> None:
    server = Server(link_pages)
    page = sync_client(server).paginate(LIST_LINK, {"per_page": 2})
    assert ids(page.iter_all(concurrency=2)) == [p["id"] for p in PETS]
    assert all(r.url.path == "/v1/pets" for r in server.requests)


def test_fan_out_follows_link_cursors_instead_of_counting_pages() -> None:
    """A helper's pagination review: a Link-header list whose `rel="next"` links are cursors
    (`?after=p2`) was fanned out by page number (`page=2,3...`): the server ignoring `page`
    answered page 1 again and `iter_all()` raised `PaginationLoopError` where plain iteration
    worked (with bodies that differed, items would have repeated)."""

    def cursor_links(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        start = 0 if after is None else next(i for i, p in enumerate(PETS) if p["id"] == after) + 1
        chunk = PETS[start : start + 2]
        headers = {}
        if start + 2 < len(PETS):
            headers["Link"] = f'<{BASE}/pets?per_page=2&after={chunk[-1]["id"]}>; rel="next"'
        return httpx.Response(200, json=chunk, headers=headers)

    server = Server(cursor_links)
    page = sync_client(server).paginate(LIST_LINK, {"per_page": 2})
    assert ids(page.iter_all(concurrency=4)) == [p["id"] for p in PETS]
    assert all("page" not in q for q in server.queries()) and len(server.requests) == 4


def test_a_body_cursor_drops_the_parameters_its_token_replaces() -> None:
    """Kubernetes: `?continue=` beside `resourceVersion` is refused (400); page 2 and on go
    without it (declared or given through `extra_query`)."""
    op: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pods",
        params=(
            rt.Param("limit", "limit", "query"),
            rt.Param("resource_version", "resourceVersion", "query"),
            rt.Param("continue_", "continue", "query"),
        ),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.BodyCursorPagination(
            items="items",
            cursor="metadata.continue",
            cursor_param="continue",
            reset=("resourceVersion", "resourceVersionMatch"),
        ),
    )

    def pods(request: httpx.Request) -> httpx.Response:
        if "continue" in request.url.params and "resourceVersion" in request.url.params:
            return httpx.Response(400, json={"message": "resourceVersion with continue"})
        start = int(request.url.params.get("continue", "0"))
        more = str(start + 2) if start + 2 < len(PETS) else ""
        body = {"items": PETS[start : start + 2], "metadata": {"continue": more}}
        return httpx.Response(200, json=body)

    server = Server(pods)
    options: rt.RequestOptions = {"extra_query": {"resourceVersionMatch": "NotOlderThan"}}
    page = sync_client(server).paginate(op, {"limit": 2, "resource_version": "5150"}, options)
    assert ids(page) == [p["id"] for p in PETS]
    first, *rest = server.queries()
    assert first.get("resourceVersion") == "5150"
    assert all("resourceVersion" not in q and "resourceVersionMatch" not in q for q in rest)


async def test_fan_out_async() -> None:
    server = Server(page_pages, delay=0.05)
    client = async_client(server)
    items = [p async for p in client.paginate(LIST_PAGES, {"page_size": 1}).iter_all(concurrency=3)]
    assert ids(items) == [p["id"] for p in PETS]
    assert 2 <= server.peak <= 3
    page = await client.paginate(LIST_PAGES, {"page_size": 2})
    assert ids([p async for p in page.iter_all(concurrency=2, max_pages=3)]) == ids(PETS[:6])
    await client.aclose()


async def test_fan_out_async_early_exit_cancels() -> None:
    server = Server(page_pages, delay=0.02)
    client = async_client(server)
    page = await client.paginate(LIST_PAGES, {"page_size": 1})
    gen = page.iter_all(concurrency=4)
    assert (await gen.__anext__())["id"] == "p1"
    assert (await gen.__anext__())["id"] == "p2"
    await gen.aclose()
    await client.aclose()


def test_paginate_needs_a_paginated_operation() -> None:
    op: rt.Operation[Any] = rt.Operation(method="get", path="/pets")
    with pytest.raises(TypeError, match="not paginated"):
        sync_client(Server(page_pages)).paginate(op, {})


def test_the_function_forms_of_raw_and_streaming_responses_take_a_list_method() -> None:
    """A helper's docs check: `with_raw_response(client.pets.list)()` sent the request, then
    raised `TypeError` ("paginated methods cannot"); `client.pets.with_raw_response.list()`
    worked. Both forms give the first page's response now, its `parse()` the page."""
    server = Server(page_pages)
    client = sync_client(server)

    def list_pets(**values: Any) -> rt.SyncPage[Any]:
        return client.paginate(LIST_PAGES, values)

    raw = rt.with_raw_response(list_pets)(page_size=3)
    assert raw.status_code == 200 and ids(raw.parse().items) == ["p1", "p2", "p3"]
    with rt.with_streaming_response(list_pets)(page_size=2) as streamed:
        assert streamed.status_code == 200 and ids(streamed.parse().items) == ["p1", "p2"]
    assert len(server.requests) == 2


def test_fan_out_stops_at_the_last_page_a_link_header_names() -> None:
    """A GitHub wire review: `iter_all(concurrency=4)` over 4 pages made 7 requests, each spent
    from the rate budget: the pages past `rel="last"` were asked for too."""
    link_pages: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("page", "page", "query"), rt.Param("per_page", "per_page", "query")),
        responses={"200": rt.Response(list[dict[str, Any]], "json")},
        pagination=rt.LinkHeaderPagination(page_param="page", size_param="per_page"),
    )

    def github(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        links = [f'<{BASE}/pets?per_page=2&page=4>; rel="last"']
        if page < 4:
            links.insert(0, f'<{BASE}/pets?per_page=2&page={page + 1}>; rel="next"')
        return httpx.Response(
            200, json=PETS[(page - 1) * 2 : page * 2], headers={"Link": ", ".join(links)}
        )

    server = Server(github)
    page = sync_client(server).paginate(link_pages, {"per_page": 2})
    assert ids(page.iter_all(concurrency=4)) == ids(PETS)
    assert sorted(int(q.get("page", "1")) for q in server.queries()) == [1, 2, 3, 4]


def test_a_last_link_whose_page_is_a_non_ascii_digit_is_no_page_number() -> None:
    """`"²".isdigit()` is true and `int("²")` raises: a server's `rel="last"` naming page
    `%C2%B2` crashed `iter_all(concurrency=...)` with a `ValueError` (a lead audit of
    `isdigit()` calls); it is no page number, so the fan-out counts on without it."""
    link_pages: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/pets",
        params=(rt.Param("page", "page", "query"),),
        responses={"200": rt.Response(list[dict[str, Any]], "json")},
        pagination=rt.LinkHeaderPagination(page_param="page"),
    )

    def odd_last(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        links = [f'<{BASE}/pets?page=%C2%B2>; rel="last"']
        if page < 3:
            links.insert(0, f'<{BASE}/pets?page={page + 1}>; rel="next"')
        return httpx.Response(
            200,
            json=PETS[(page - 1) * 2 : page * 2] if page <= 3 else [],
            headers={"Link": ", ".join(links)},
        )

    server = Server(odd_last)
    page = sync_client(server).paginate(link_pages, {})
    assert ids(page.iter_all(concurrency=2)) == ids(PETS[:6])
