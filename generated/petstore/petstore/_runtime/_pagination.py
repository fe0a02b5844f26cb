"""Pagination: descriptors generated code puts on ``Operation(pagination=...)`` and page objects.

A paginated method returns the first page; iterating it yields every item of every page, fetching
the next page only when the previous one is used up. The next request is the original operation
and values with the page parameter replaced; a next-page URL (``Link`` header, ``next`` in the
body) is followed as given, relative to the client's base URL.

    for customer in client.customers.list(limit=100): ...        # sync: SyncPage
    async for customer in client.customers.list(limit=100): ...  # async: AsyncPaginator
    page = await client.customers.list()                         # AsyncPage (first page)

Page-number, offset and ``Link`` styles with a page parameter also fetch ahead concurrently:
``page.iter_all(concurrency=4)`` keeps up to 4 pages in flight (a thread pool for sync clients,
asyncio tasks for async ones), yields items in order and stops at the first empty or short page.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import unquote_plus

import httpx

from ._errors import APIError, PaginationLoopError, package_error
from ._operation import Operation, Param
from ._paging import (
    BodyCursorPagination,
    CursorPagination,
    LinkHeaderPagination,
    NextUrlPagination,
    OffsetPagination,
    PageNumberPagination,
    Pagination,
)
from ._params import AsSent
from ._public import publish
from ._servers import climbs
from ._types import NotGiven, RequestOptions

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import Future, ThreadPoolExecutor

    from ._client import AsyncAPIClient, SyncAPIClient

__all__ = [
    "AsyncPage",
    "AsyncPaginator",
    "BodyCursorPagination",
    "CursorPagination",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OffsetPagination",
    "PageNumberPagination",
    "PageRequest",
    "Pagination",
    "PaginationLoopError",
    "SyncPage",
]

T = TypeVar("T")


# where page parameters may go; fields: POST searches; headers: a cursor the spec declares as one
# (`x-apigen-pagination: {cursor_param: X-Page-Token}`: it went as `?X-Page-Token=`, helper 222)
_PAGE_LOCATIONS = ("query", "field", "header")

# --- the request of one page ------------------------------------------------------------------


def _named(p: Param, wire: str) -> bool:
    """Whether ``p`` is the parameter ``wire`` names: a header's name in any case (RFC 9110
    5.1: `cursor_param: x-page-token` for a declared `X-Page-Token`, helper 226)."""
    return p.wire_name == wire or (p.location == "header" and p.wire_name.lower() == wire.lower())


@dataclass(frozen=True)
class PageRequest:
    """What to send for one page: an operation, its values (by Python name) and options."""

    op: Operation[Any]
    values: Mapping[str, object]
    options: RequestOptions = field(default_factory=lambda: RequestOptions())
    followed: bool = False  # ``op`` was derived from a next-page URL

    def __post_init__(self) -> None:
        _pagination(self.op)  # fail before sending anything

    def param(self, wire: str) -> object:
        """The value sent for parameter ``wire`` (``None`` when omitted)."""
        extra = self.options.get("extra_query") or {}
        if wire in extra:  # what is sent: `extra_query` wins over the argument
            return extra[wire]
        for p in self.op.params:
            if _named(p, wire) and p.location in _PAGE_LOCATIONS:
                value = self.values.get(p.py_name)
                return None if isinstance(value, NotGiven) else value
        return None

    def with_param(self, wire: str, value: object) -> PageRequest:
        """The same request with parameter ``wire`` set to ``value`` (a query parameter or body
        field the operation declares, else an extra query parameter)."""
        extra = self.options.get("extra_query") or {}
        for p in self.op.params:
            if _named(p, wire) and p.location in _PAGE_LOCATIONS:
                changed = dataclasses.replace(self, values={**self.values, p.py_name: value})
                if wire not in extra:
                    return changed
                # the caller's `extra_query={"starting_after": ...}` for the first page would
                # win over every later page's cursor (page 2 was page 1 again)
                return changed.without_extra(wire)
        extra = {**extra, wire: value}
        options: RequestOptions = {**self.options, "extra_query": extra}
        return dataclasses.replace(self, options=options)

    def without(self, wires: tuple[str, ...]) -> PageRequest:
        """The same request without the parameters ``wires`` (declared or extra query ones)."""
        drop = {p.py_name for p in self.op.params if any(_named(p, w) for w in wires)}
        values = {k: v for k, v in self.values.items() if k not in drop}
        extra = self.options.get("extra_query")
        options = self.options
        if extra and any(w in extra for w in wires):
            kept = {k: v for k, v in extra.items() if k not in wires}
            options = {**self.options, "extra_query": kept}
        return dataclasses.replace(self, values=values, options=options)

    def without_extra(self, wire: str) -> PageRequest:
        """The same request without ``extra_query[wire]``."""
        extra = {k: v for k, v in (self.options.get("extra_query") or {}).items() if k != wire}
        return dataclasses.replace(self, options={**self.options, "extra_query": extra})

    def follow(self, url: str, base_url: str) -> PageRequest:
        """A request for ``url`` as given: same method, headers, body and options, no path or
        query params (the URL carries them). Only URLs under ``base_url`` are followed, so
        credentials never leave the API."""
        try:
            target = httpx.URL(url)
            target.host  # noqa: B018  # (decoded here: an invalid IDNA label raises now)
        except (httpx.InvalidURL, UnicodeError) as exc:  # (IDNAError is a UnicodeError)
            raise APIError(f"next page URL {url[:200]!r} is not a valid URL: {exc}") from None
        base = httpx.URL(base_url.rstrip("/") + "/")
        prefix = str(base.copy_with(query=None, fragment=None))
        plain = str(target.copy_with(query=None, fragment=None))
        # (an APIError, raised while iterating; the URL without its query, which may be signed,
        # nor its `user:password@`)
        if not (plain + "/").startswith(prefix):
            shown = str(target.copy_with(query=None, fragment=None, userinfo=b""))
            why = " (it names a user and password)" if target.userinfo else ""
            raise APIError(f"next page URL {shown!r}{why} is not under the base URL {prefix!r}")
        path = plain[len(prefix) :]
        if climbs(path):
            # `%2e%2e`, `..%2f`, `..;/`: httpx leaves them as written, a server may read `..`
            raise APIError(f"next page URL {plain!r} climbs out of the base URL {prefix!r}")
        # each name's parts sent again as given (decoded and encoded anew, a `+` became `%20`,
        # `%FF` U+FFFD and a bare `flag` `flag=`); the value read is the decoded one
        parts: dict[str, list[str]] = {}
        for part in target.query.decode("ascii").split("&"):
            if part:
                parts.setdefault(unquote_plus(part.partition("=")[0]), []).append(part)
        query: dict[str, object] = {
            name: AsSent(unquote_plus(given[0].partition("=")[2]), given)
            for name, given in parts.items()
        }
        from ._plan import plan

        # a client parameter (Azure's `api-version`) the URL does not carry is the client's
        # still: a `nextLink` of `$skiptoken` alone was sent without it, and refused
        # (autorest re-adds it; helper 222)
        kept = {id(p) for p in plan(self.op).client_params if p.wire_name not in query}
        op = dataclasses.replace(
            self.op,
            # the base URL itself (`https://h/v1?page=2`) is asked for as given, no `/` added
            path="/" + path if path or plain.endswith("/") else "",
            # headers, cookies and a POST search's body go again: the URL carries the query
            # (a next URL's POST was sent `{}`, its criteria lost, helper 222)
            params=tuple(
                p
                for p in self.op.params
                if p.location not in ("path", "query") or (p.location == "query" and id(p) in kept)
            ),
        )
        options: RequestOptions = {**self.options, "extra_query": query}
        return PageRequest(op, self.values, options, followed=True)

    def key(self) -> str:
        """What identifies the page this request asks for: method, path, values and query."""
        op = self.op
        sent = {p.py_name for p in op.params}  # (a header may carry the cursor)
        values = sorted(
            (k, repr(v))
            for k, v in self.values.items()
            if k in sent and not isinstance(v, NotGiven)
        )
        extra = sorted(
            # (a followed URL's value: all its parts, not the first's decoded text alone)
            (k, repr(v.parts if isinstance(v, AsSent) else v))
            for k, v in (self.options.get("extra_query") or {}).items()
        )
        return repr((op.method.upper(), op.path, values, extra))


class _Visited:
    """The pages one walk has requested; asking for one again raises ``PaginationLoopError``."""

    def __init__(
        self, first: PageRequest, errors: Mapping[type[APIError], type[APIError]] | None = None
    ) -> None:
        self._seen = {first.key()}
        self._order = [first.key()]  # the walk's pages in order (``upto``)
        self._errors = errors or {}  # the generated package's error classes

    def __len__(self) -> int:
        return len(self._order)

    def upto(self, pages: int) -> _Visited:
        """This walk's first ``pages`` pages, as a walk of its own (a ``next_page()`` called
        again on an earlier page branches off there)."""
        if pages == len(self._order):
            return self
        other = _Visited.__new__(_Visited)
        other._order = self._order[:pages]
        other._seen = set(other._order)
        other._errors = self._errors
        return other

    def check(self, request: PageRequest) -> None:
        key = request.key()
        if key in self._seen:
            op = request.op.operation_id or request.op.path
            raise package_error(
                PaginationLoopError(
                    f"{op}: the server pointed back to a page already fetched"
                    f" (after {len(self._seen)} pages); stopping instead of looping"
                ),
                self._errors,
            )
        self._seen.add(key)
        self._order.append(key)

    def check_body(self, before: _PageBase[Any], after: _PageBase[Any]) -> None:
        """A non-empty page whose body is the previous page's byte for byte: the server ignores
        the page it was asked for (an offset or page number it does not read), and asking on
        would never end."""
        old, new = before.response, after.response
        if old is None or new is None or not after.items or old.content != new.content:
            return
        op = after._request.op.operation_id or after._request.op.path  # pyright: ignore[reportPrivateUsage]
        raise package_error(
            PaginationLoopError(
                f"{op}: the server sent the previous page again for the next one (after"
                f" {len(self._seen)} pages); stopping instead of looping"
            ),
            self._errors,
        )


# --- fetching ----------------------------------------------------------------------------------


def _pagination(op: Operation[Any]) -> Pagination:
    if op.pagination is None:
        raise TypeError(f"operation {op.operation_id or op.path!r} is not paginated")
    return op.pagination


class _PageBase(Generic[T]):
    def __init__(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> None:
        self._request = request
        self._pagination = _pagination(request.op)
        self._base_url = base_url
        self.raw: Any = body
        """The parsed page object (the model the operation declares, or the list itself)."""
        self.response = response
        """The ``httpx.Response`` this page came from."""
        self.items: list[T] = self._pagination.items_of(body)
        """The items on this page only."""
        self._next: PageRequest | NotGiven | None = NotGiven()
        # the pages a ``next_page()`` chain took to reach this one, this one last (None: the
        # first): a manual `while page.has_next_page(): page = page.next_page()` loop is guarded
        # against a server pointing back, or ignoring the page asked for, as iteration is
        self._walk: _Visited | None = None
        self._pages_at = 1  # this page's place on that walk

    def _in_order(self) -> list[T]:
        """The items as iterating yields them: reversed on a list paged backwards
        (``ending_before``), as stripe-python's ``auto_paging_iter`` does, so each item lies
        further from the cursor than the one before (the page itself keeps the API's order)."""
        p = self._pagination
        if (
            isinstance(p, CursorPagination)
            and p.reverse_param
            and self._request.param(p.reverse_param) is not None
        ):
            return self.items[::-1]
        return self.items

    def _walk_on(
        self, request: PageRequest, errors: Mapping[type[APIError], type[APIError]]
    ) -> _Visited:
        """The walk to this page extended by ``request`` (``PaginationLoopError`` when the walk
        asked for it before)."""
        if self._walk is None:
            walk = _Visited(self._request, errors)
        else:
            walk = self._walk.upto(self._pages_at)
        walk.check(request)
        return walk

    @property
    def data(self) -> list[T]:
        """Alias of ``items``."""
        return self.items

    @property
    def request(self) -> PageRequest:
        return self._request

    def next_page_request(self) -> PageRequest | None:
        if isinstance(self._next, NotGiven):
            try:
                self._next = self._pagination.next_request(
                    self._request, self.raw, self.response, self._base_url
                )
            except APIError as exc:  # a next URL not followed: the package's own class
                client = getattr(self, "_client", None)
                raise package_error(exc, getattr(client, "_errors", None) or {}) from None
        return self._next

    def has_next_page(self) -> bool:
        return self.next_page_request() is not None

    def _ahead(self, k: int) -> PageRequest | None:
        return self._pagination.nth_request(self._request, self.raw, k, self.response)

    def __repr__(self) -> str:
        op = self._request.op.operation_id or self._request.op.path
        return f"<{type(self).__name__} {op}: {len(self.items)} items on this page>"


def _done(page: _PageBase[Any], full: int) -> bool:
    """A fanned-out page ends the list when it is empty, short or says so."""
    return not page.items or len(page.items) < full or not page.has_next_page()


class SyncPage(_PageBase[T]):
    """One page of a paginated list; iterating it yields the items of this and every later page."""

    def __init__(
        self,
        client: SyncAPIClient,
        request: PageRequest,
        body: Any,
        response: httpx.Response | None,
    ) -> None:
        super().__init__(request, body, response, client.base_url_for(request.op))
        self._client = client

    @classmethod
    def fetch(cls, client: SyncAPIClient, request: PageRequest) -> SyncPage[T]:
        # the client's page fetch: underscored so it never shadows a generated resource
        fetch = client._fetch_page  # pyright: ignore[reportPrivateUsage]
        body, response = fetch(request.op, request.values, request.options)
        return cls(client, request, body, response)

    def next_page(self) -> SyncPage[T]:
        """Fetch the next page (raises ``LookupError`` on the last)."""
        request = self.next_page_request()
        if request is None:
            raise LookupError("no next page: check has_next_page() first")
        walk = self._walk_on(request, self._client._errors)  # pyright: ignore[reportPrivateUsage]
        page = SyncPage[T].fetch(self._client, request)
        walk.check_body(self, page)
        page._walk, page._pages_at = walk, len(walk)
        return page

    get_next_page = next_page  # openai-python's and anthropic-sdk-python's name

    def iter_pages(self, *, max_pages: int | None = None) -> Iterator[SyncPage[T]]:
        """This page and every later one, fetched one at a time."""
        page: SyncPage[T] = self
        count = 1
        visited = _Visited(self._request, self._client._errors)  # pyright: ignore[reportPrivateUsage]
        yield page
        while page.has_next_page() and (max_pages is None or count < max_pages):
            request = page.next_page_request()
            assert request is not None
            visited.check(request)
            previous, page = page, SyncPage[T].fetch(self._client, request)
            visited.check_body(previous, page)
            count += 1
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page._in_order()

    def iter_all(self, *, concurrency: int = 4, max_pages: int | None = None) -> Iterator[T]:
        """Every item, fetching up to ``concurrency`` pages at once where the style allows it
        (page numbers, offsets, ``Link`` with a page parameter); otherwise one at a time.
        Stops at the first empty or short page, or after ``max_pages`` pages in all."""
        if concurrency <= 1 or not self.has_next_page() or self._ahead(1) is None:
            for page in self.iter_pages(max_pages=max_pages):
                yield from page._in_order()
            return
        yield from self._in_order()
        full, k = len(self.items), 0

        def submit(pool: ThreadPoolExecutor) -> Future[SyncPage[T]] | None:
            nonlocal k
            k += 1
            request = self._ahead(k)
            if request is None or (max_pages is not None and k >= max_pages):
                return None
            return pool.submit(SyncPage.fetch, self._client, request)

        pending: deque[Future[SyncPage[T]]] = deque()
        from concurrent.futures import ThreadPoolExecutor  # iter_all only

        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="apigen-page") as pool:
            try:
                for _ in range(concurrency):
                    future = submit(pool)
                    if future is None:
                        break
                    pending.append(future)
                visited, previous = _Visited(self._request, self._client._errors), self  # pyright: ignore[reportPrivateUsage]
                while pending:
                    page = pending.popleft().result()
                    visited.check_body(previous, page)
                    previous = page
                    yield from page._in_order()
                    if _done(page, full):
                        break
                    future = submit(pool)
                    if future is not None:
                        pending.append(future)
            finally:
                for future in pending:
                    future.cancel()


class AsyncPage(_PageBase[T]):
    """One page of a paginated list; ``async for`` over it yields every item of every page."""

    def __init__(
        self,
        client: AsyncAPIClient,
        request: PageRequest,
        body: Any,
        response: httpx.Response | None,
    ) -> None:
        super().__init__(request, body, response, client.base_url_for(request.op))
        self._client = client

    @classmethod
    async def fetch(cls, client: AsyncAPIClient, request: PageRequest) -> AsyncPage[T]:
        # the client's page fetch: underscored so it never shadows a generated resource
        fetch = client._fetch_page  # pyright: ignore[reportPrivateUsage]
        body, response = await fetch(request.op, request.values, request.options)
        return cls(client, request, body, response)

    async def next_page(self) -> AsyncPage[T]:
        """Fetch the next page (raises ``LookupError`` on the last)."""
        request = self.next_page_request()
        if request is None:
            raise LookupError("no next page: check has_next_page() first")
        walk = self._walk_on(request, self._client._errors)  # pyright: ignore[reportPrivateUsage]
        page = await AsyncPage[T].fetch(self._client, request)
        walk.check_body(self, page)
        page._walk, page._pages_at = walk, len(walk)
        return page

    get_next_page = next_page  # openai-python's and anthropic-sdk-python's name

    async def iter_pages(self, *, max_pages: int | None = None) -> AsyncIterator[AsyncPage[T]]:
        """This page and every later one, fetched one at a time."""
        page: AsyncPage[T] = self
        count = 1
        visited = _Visited(self._request, self._client._errors)  # pyright: ignore[reportPrivateUsage]
        yield page
        while page.has_next_page() and (max_pages is None or count < max_pages):
            request = page.next_page_request()
            assert request is not None
            visited.check(request)
            previous, page = page, await AsyncPage[T].fetch(self._client, request)
            visited.check_body(previous, page)
            count += 1
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page._in_order():
                yield item

    async def iter_all(
        self, *, concurrency: int = 4, max_pages: int | None = None
    ) -> AsyncIterator[T]:
        """Like ``SyncPage.iter_all``: up to ``concurrency`` requests in flight (asyncio tasks;
        under trio, one page at a time)."""
        from ._aio import running_asyncio

        if (
            concurrency <= 1
            or not self.has_next_page()
            or self._ahead(1) is None
            or not running_asyncio()
        ):
            async for page in self.iter_pages(max_pages=max_pages):
                for item in page._in_order():
                    yield item
            return
        for item in self._in_order():
            yield item
        full, k = len(self.items), 0

        import asyncio  # iter_all only

        def submit() -> asyncio.Task[AsyncPage[T]] | None:
            nonlocal k
            k += 1
            request = self._ahead(k)
            if request is None or (max_pages is not None and k >= max_pages):
                return None
            return asyncio.ensure_future(AsyncPage[T].fetch(self._client, request))

        pending: deque[asyncio.Task[AsyncPage[T]]] = deque()
        try:
            for _ in range(concurrency):
                task = submit()
                if task is None:
                    break
                pending.append(task)
            visited, previous = _Visited(self._request, self._client._errors), self  # pyright: ignore[reportPrivateUsage]
            while pending:
                page = await pending.popleft()
                visited.check_body(previous, page)
                previous = page
                for item in page._in_order():
                    yield item
                if _done(page, full):
                    break
                task = submit()
                if task is not None:
                    pending.append(task)
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)


class AsyncPaginator(Generic[T]):
    """What async paginated methods return, before any request is sent:

    ``page = await client.x.list()`` gives the first ``AsyncPage``;
    ``async for item in client.x.list()`` walks every item of every page.
    """

    def __init__(self, client: AsyncAPIClient, request: PageRequest) -> None:
        self._client = client
        self._request = request

    async def _first(self) -> AsyncPage[T]:
        return await AsyncPage[T].fetch(self._client, self._request)

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item

    async def iter_all(
        self, *, concurrency: int = 4, max_pages: int | None = None
    ) -> AsyncIterator[T]:
        """``AsyncPage.iter_all`` from the first page."""
        page = await self._first()
        async for item in page.iter_all(concurrency=concurrency, max_pages=max_pages):
            yield item


publish(__all__, globals(), __name__.rpartition(".")[0])  # after every class above
