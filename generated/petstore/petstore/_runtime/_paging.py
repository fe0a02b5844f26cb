"""Pagination styles: the descriptors generated code puts on ``Operation(pagination=...)``.

They are built when a resource module is imported, so this module is cheap to import: the page
objects and fetching live in ``_pagination`` (imported on the first paginated call), and the
styles are plain records (``_record``), not dataclasses: ``@dataclass`` compiles its methods with
``exec`` (~0.5 ms a class), which resolving a method should not pay. Type checkers see them as
frozen keyword-only dataclasses, which is what they behave as.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel

from ._public import publish

if TYPE_CHECKING:
    from dataclasses import dataclass

    import httpx

    from ._pagination import PageRequest
else:
    from ._record import record as dataclass

__all__ = [
    "BodyCursorPagination",
    "CursorPagination",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OffsetPagination",
    "PageNumberPagination",
    "Pagination",
]


# --- reading bodies ----------------------------------------------------------------------------


def _field(obj: Any, path: str | None) -> Any:
    """The value at dotted wire-name ``path`` in a parsed body (models or plain JSON). A wire
    name may hold dots itself (OData's ``@odata.nextLink``): the longest run of parts that is
    one key is taken first."""
    if path is None:
        return obj
    parts = path.split(".")
    at = 0
    while at < len(parts):
        if obj is None:
            return None
        for end in range(len(parts), at, -1):
            found, value = _lookup(obj, ".".join(parts[at:end]))
            if found:
                obj, at = value, end
                break
        else:
            return None
    return obj


def _lookup(obj: Any, wire: str) -> tuple[bool, Any]:
    """(whether ``obj`` has key or field ``wire``, its value)."""
    if isinstance(obj, Mapping):
        mapping = cast("Mapping[str, Any]", obj)
        return (wire in mapping, mapping.get(wire))
    if isinstance(obj, BaseModel):
        fields = type(obj).model_fields
        for name, info in fields.items():
            if wire in (info.validation_alias, info.alias, info.serialization_alias):
                return True, getattr(obj, name, None)
        extra = obj.model_extra or {}
        if wire in extra:
            return True, extra[wire]
        return (wire in fields, getattr(obj, wire, None) if wire in fields else None)
    return False, None


def _list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(cast("list[object] | tuple[object, ...]", value))
    return []


def _link_next(response: httpx.Response | None) -> str | None:
    """The ``rel="next"`` target of an RFC 8288 ``Link`` header, resolved against the URL."""
    for target, rels in _links(response):
        if "next" in rels:
            return _resolved(response.url, target) if response is not None else None
    return None


def _resolved(base: httpx.URL, target: str) -> str:
    """A next page's URL the server gave, resolved against ``base``; one that is no URL (an
    unclosed `[`, an invalid IDNA label) is an ``APIError``, not httpx's or idna's own."""
    import httpx

    from ._errors import APIError

    try:
        url = base.join(target)
        url.host  # noqa: B018  # (decoded here: an invalid IDNA label raises now)
    except (httpx.InvalidURL, UnicodeError) as exc:  # (IDNAError is a UnicodeError)
        raise APIError(f"next page URL {target[:200]!r} is not a valid URL: {exc}") from None
    return str(url)


def _links(response: httpx.Response | None) -> list[tuple[str, set[str]]]:
    """The ``Link`` header's targets with their relation types (lower case)."""
    if response is None:
        return []
    found: list[tuple[str, set[str]]] = []
    for header in response.headers.get_list("link"):
        for link in _split_links(header):
            target, _, params = link.partition(">")
            rels = {
                word
                for k, _, v in (p.strip().partition("=") for p in params.split(";"))
                if k.strip().lower() == "rel"
                for word in v.strip().strip('"').lower().split()
            }
            found.append((target.strip().lstrip("<").strip(), rels))
    return found


def _same_url(base: httpx.URL, target: str, here: httpx.URL) -> bool:
    """Whether ``target`` names the page ``here`` asked for: the same origin and path, and the
    same query parameters read as a server reads them, in any order (GitHub's `rel="last"`
    spells `q=a+user%3Ab` where httpx sent `q=a%20user%3Ab`: the walk asked for one more page
    past it, and its 422 ended the walk in an error, helper 222)."""
    import httpx

    from ._errors import APIError

    try:
        there = httpx.URL(_resolved(base, target))
    except (APIError, httpx.InvalidURL):  # a `last` link that is no URL names no page
        return False
    return (there.scheme, there.host, there.port, there.path) == (
        here.scheme,
        here.host,
        here.port,
        here.path,
    ) and _query_pairs(there) == _query_pairs(here)


def _query_pairs(url: httpx.URL) -> list[tuple[str, str]]:
    from urllib.parse import unquote_plus

    query = url.query.decode("ascii", "replace")
    pairs = [part.partition("=") for part in query.split("&") if part]
    return sorted((unquote_plus(name), unquote_plus(value)) for name, _, value in pairs)


def _paged_by_link_without_next(response: httpx.Response | None) -> bool:
    """Whether the response pages by ``Link`` and says this is the last page: no ``next``, and
    a ``prev``/``first`` link, or a ``last`` one naming this very page (GitHub's search answers
    422 past its 1,000th result, where counting would ask for page 11). A ``last`` naming
    another page keeps counting (an API that sends only ``first`` and ``last``)."""
    rels: set[str] = set()
    last: list[str] = []
    for target, found in _links(response):
        rels |= found
        if "last" in found:
            last.append(target)
    if "next" in rels or response is None:
        return False
    if last:
        here = response.request.url
        return any(_same_url(response.url, t, here) for t in last)
    return not rels.isdisjoint({"prev", "previous", "first"})


def _split_links(header: str) -> list[str]:
    """Split on commas outside ``<...>`` and quotes (URLs may contain commas)."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for i, ch in enumerate(header):
        if ch == '"' and not depth:
            quoted = not quoted
        elif ch == "<" and not quoted:
            depth += 1
        elif ch == ">" and not quoted:
            depth = max(0, depth - 1)
        elif ch == "," and not depth and not quoted:
            parts.append(header[start:i])
            start = i + 1
    parts.append(header[start:])
    return [p.strip() for p in parts if p.strip()]


def _int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.strip().lstrip("-").isdigit():
        return int(value)
    return default


# --- descriptors -------------------------------------------------------------------------------


class Pagination:
    """How one operation pages. ``items`` is the dotted wire path of the item array in the body
    (``None``: the body is the array)."""

    items: str | None = None

    def items_of(self, body: Any) -> list[Any]:
        return _list(_field(body, self.items))

    def next_request(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> PageRequest | None:
        """The request for the page after this one, or ``None`` on the last page."""
        raise NotImplementedError

    def nth_request(
        self, request: PageRequest, body: Any, k: int, response: httpx.Response | None = None
    ) -> PageRequest | None:
        """The request ``k`` pages after this one, when the style can compute it up front
        (page numbers, offsets); ``None`` otherwise (or past the last page ``response``
        names). Used by the concurrent fan-out."""
        return None

    def _more(self, body: Any, flag: str | None) -> bool:
        return flag is None or _field(body, flag) is not False


@dataclass(frozen=True, kw_only=True)
class CursorPagination(Pagination):
    """Stripe: ``{"data": [...], "has_more": true}``; the next page sends
    ``starting_after=<last item's id>`` (``ending_before=<first item's id>`` when the caller
    paged backwards with ``reverse_param``)."""

    items: str | None = "data"
    has_more: str | None = "has_more"
    cursor_param: str = "starting_after"
    cursor_field: str = "id"
    reverse_param: str | None = None

    def next_request(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> PageRequest | None:
        items = self.items_of(body)
        if not items or not self._more(body, self.has_more):
            return None
        if self.reverse_param and request.param(self.reverse_param) is not None:
            cursor, param = _field(items[0], self.cursor_field), self.reverse_param
        else:
            cursor, param = _field(items[-1], self.cursor_field), self.cursor_param
        if cursor is None:  # more items follow, and nothing to ask for them by: never silent
            from ._errors import APIError

            raise APIError(
                f"the page says more items follow ({self.has_more!r} is true), but its "
                f"{'first' if param == self.reverse_param else 'last'} item has no "
                f"{self.cursor_field!r} to ask for them by ({param!r}): stopping would drop "
                "them without a word",
                request=response.request if response is not None else None,
            )
        return request.with_param(param, cursor)  # a repeated cursor: PaginationLoopError


@dataclass(frozen=True, kw_only=True)
class BodyCursorPagination(Pagination):
    """An opaque cursor in the body (``next_cursor``, ``nextPageToken``, Stripe search's
    ``next_page``) sent back as ``cursor_param``; an empty or missing cursor ends the list."""

    items: str | None = "data"
    cursor: str = "next_cursor"
    cursor_param: str = "cursor"
    has_more: str | None = None
    # query params not sent beside a cursor (Kubernetes: `resourceVersion` with `continue`,
    # refused with a 400; the token holds it)
    reset: tuple[str, ...] = ()

    def next_request(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> PageRequest | None:
        cursor = _field(body, self.cursor)
        if cursor in (None, "") or not self._more(body, self.has_more):
            return None
        following = request.with_param(self.cursor_param, cursor)  # repeated: PaginationLoopError
        return following.without(self.reset) if self.reset else following


@dataclass(frozen=True, kw_only=True)
class NextUrlPagination(Pagination):
    """The body names the next page's URL (``next``, ``links.next``); null ends the list."""

    items: str | None = "results"
    next: str = "next"

    def next_request(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> PageRequest | None:
        url = _field(body, self.next)
        if not isinstance(url, str) or not url:
            return None
        if response is not None:
            url = _resolved(response.url, url)  # the same URL again: PaginationLoopError
        return request.follow(url, base_url)


@dataclass(frozen=True, kw_only=True)
class LinkHeaderPagination(Pagination):
    """GitHub: follow the ``Link: <...>; rel="next"`` response header. With ``page_param`` the
    pages can also be fetched ahead concurrently by number."""

    items: str | None = None
    page_param: str | None = None
    size_param: str | None = None

    def next_request(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> PageRequest | None:
        url = _link_next(response)
        if url is None:
            return None
        return request.follow(url, base_url)  # the same URL again: PaginationLoopError

    def nth_request(
        self, request: PageRequest, body: Any, k: int, response: httpx.Response | None = None
    ) -> PageRequest | None:
        if self.page_param is None or request.followed:
            return None
        page = _int(request.param(self.page_param), 1)
        if not self._numbered(response, page + 1):
            return None  # the API pages by cursor links: counting pages would loop or skip
        last = self._last_page(response)
        if last is not None and page + k > last:
            # GitHub's `rel="last"`: a fan-out of N asked for pages past it (7 requests for
            # 4 pages), each spent from the rate budget
            return None
        return request.with_param(self.page_param, page + k)

    def _numbered(self, response: httpx.Response | None, following: int) -> bool:
        """Whether the ``rel="next"`` link (if any) asks for page ``following`` by number: a
        server whose next links are cursors (`?after=...`) is followed, not counted."""
        from urllib.parse import parse_qs, urlsplit

        url = _link_next(response)
        if url is None or self.page_param is None:
            return True
        return parse_qs(urlsplit(url).query).get(self.page_param) == [str(following)]

    def _last_page(self, response: httpx.Response | None) -> int | None:
        """The page number of the ``rel="last"`` link, if the response has one."""
        from urllib.parse import parse_qs, urlsplit

        for target, rels in _links(response):
            if "last" in rels and self.page_param is not None:
                values = parse_qs(urlsplit(target).query).get(self.page_param, [])
                if len(values) == 1 and values[0].isascii() and values[0].isdigit():
                    return int(values[0])
        return None


@dataclass(frozen=True, kw_only=True)
class OffsetPagination(Pagination):
    """``offset`` + ``limit`` query params; the next offset is this one plus the items received.
    An empty page ends the list, as does ``total`` (a body field) once reached."""

    items: str | None = "data"
    offset_param: str = "offset"
    limit_param: str | None = "limit"
    has_more: str | None = None
    total: str | None = None

    def next_request(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> PageRequest | None:
        items = self.items_of(body)
        if not items or not self._more(body, self.has_more):
            return None
        if _paged_by_link_without_next(response):  # the API's own word on the last page
            return None
        offset = _int(request.param(self.offset_param), 0) + len(items)
        total = _field(body, self.total) if self.total else None
        if isinstance(total, int) and not isinstance(total, bool) and offset >= total:
            return None
        return request.with_param(self.offset_param, offset)

    def nth_request(
        self, request: PageRequest, body: Any, k: int, response: httpx.Response | None = None
    ) -> PageRequest | None:
        step = len(self.items_of(body))
        if not step:
            return None
        offset = _int(request.param(self.offset_param), 0) + k * step
        total = _field(body, self.total) if self.total else None
        if isinstance(total, int) and not isinstance(total, bool) and offset >= total:
            return None  # past the `total` the first page gave (a fan-out asked 11 for 4 pages)
        return request.with_param(self.offset_param, offset)


@dataclass(frozen=True, kw_only=True)
class PageNumberPagination(Pagination):
    """``page`` (+ ``per_page``/``page_size``) query params; an empty page ends the list, as does
    a false ``has_more`` flag in the body when there is one, or a ``Link`` header without a
    ``next`` (an API that sends one though the spec does not say so: GitHub's search)."""

    items: str | None = "data"
    page_param: str = "page"
    size_param: str | None = None
    has_more: str | None = None
    first_page: int = 1

    def next_request(
        self, request: PageRequest, body: Any, response: httpx.Response | None, base_url: str
    ) -> PageRequest | None:
        if not self.items_of(body) or not self._more(body, self.has_more):
            return None
        if _paged_by_link_without_next(response):  # the API's own word on the last page
            return None
        return self.nth_request(request, body, 1)

    def nth_request(
        self, request: PageRequest, body: Any, k: int, response: httpx.Response | None = None
    ) -> PageRequest | None:
        page = _int(request.param(self.page_param), self.first_page)
        return request.with_param(self.page_param, page + k)


publish(__all__, globals(), __name__.rpartition(".")[0])
