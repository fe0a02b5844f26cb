"""``request_builder``: the ``httpx.Request`` that ``client.build_request`` makes, without its
per-call cost of parsing the whole absolute URL again (host validation included: ~25 µs of a
~400 µs call) and merging headers through two ``Headers`` copies.

The fast path is taken only when the result is the same request ``build_request`` would make:
the client is a plain ``httpx.Client``/``AsyncClient`` (``build_request`` not overridden), has
no cookies and no default query parameters, and the URL's path and query hold only characters
httpx leaves as they are (no dot segment to normalise, nothing to percent-encode). Anything
else goes through ``client.build_request`` unchanged."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

import httpx

__all__ = ["Builder", "add_header", "default_header", "header_triples", "request_builder"]

# "scheme://authority" + "/path" + optional "?query"; no fragment
_SPLIT = re.compile(r"(https?://[^/?#]+)(/[^?#]*)(?:\?([^#]*))?")
# unreserved, sub-delims, ":@/" and %XX: what httpx's quoting keeps as is (0.27 and 0.28)
_CLEAN_PATH = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*")
_CLEAN_QUERY = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # httpx would encode it as %25
_PLAIN = {
    httpx.Client: httpx.Client.build_request,
    httpx.AsyncClient: httpx.AsyncClient.build_request,
}


def _internals_known() -> bool:
    """Whether this httpx has the two private attributes the fast path uses (0.27, 0.28): an
    httpx that renamed them gets ``build_request`` itself instead of failing on every call."""
    url = httpx.URL("http://a/")
    reference = getattr(url, "_uri_reference", None)
    return (
        isinstance(getattr(httpx.Headers({"a": "b"}), "_list", None), list)
        and reference is not None
        and callable(getattr(reference, "_replace", None))
    )


_FAST = _internals_known()


def header_triples(headers: httpx.Headers) -> list[tuple[bytes, bytes, bytes]]:
    """``headers`` as httpx holds them: (raw name, lower-case name, value), encoded. Scans that
    look for a few names read the lower-case name as is (``headers.raw`` builds a new list and
    each name is lowered again). Do not modify the list."""
    if _FAST:
        triples: list[tuple[bytes, bytes, bytes]] = headers._list  # pyright: ignore[reportPrivateUsage]
        return triples
    return [(name, name.lower(), value) for name, value in headers.raw]


@functools.lru_cache(maxsize=64)
def _origin(origin: str) -> Any:
    """``origin``'s parsed form (httpx's private ``ParseResult``), or ``None``."""
    try:
        return getattr(httpx.URL(origin), "_uri_reference", None)
    except httpx.InvalidURL:
        return None  # build_request raises it


def fast_url(url: str) -> httpx.URL | None:
    """``httpx.URL(url)`` from the origin's cached parse, or ``None`` where that might differ."""
    match = _SPLIT.fullmatch(url)
    if match is None:
        return None
    origin, path, query = match.groups()
    if "/." in path or not _CLEAN_PATH.fullmatch(path):
        return None
    if query is not None and not _CLEAN_QUERY.fullmatch(query):
        return None
    if "%" in url and _STRAY_PERCENT.search(url):
        return None
    parsed = _origin(origin)
    if parsed is None or parsed.path:
        return None
    made = httpx.URL.__new__(httpx.URL)
    made._uri_reference = parsed._replace(path=path, query=query)  # pyright: ignore[reportPrivateUsage]
    return made


def request_builder(client: httpx.Client | httpx.AsyncClient) -> Callable[..., httpx.Request]:
    """``client.build_request``, or a faster equivalent for a plain client (see module doc)."""
    kind = type(client)
    if not _FAST or kind not in _PLAIN or getattr(kind, "build_request", None) is not _PLAIN[kind]:
        return client.build_request
    return Builder(client)


def add_header(headers: httpx.Headers, name: str, value: str) -> None:
    """``headers[name] = value``; a new ASCII header is appended in one pass over the names,
    as httpx's ``__setitem__`` appends it (its pass builds a list of indexes first)."""
    if not _append_new(headers, name, value):
        headers[name] = value


def default_header(headers: httpx.Headers, name: str, value: str) -> bool:
    """Set ``name`` unless ``headers`` has it (True: set): ``if name not in headers:
    headers[name] = value`` in one pass over the names for ASCII text (``in`` builds a list of
    every name, and the set scans them again)."""
    appended = _append_new(headers, name, value)
    if appended is not None:
        return appended
    if name in headers:
        return False
    headers[name] = value
    return True


def _append_new(headers: httpx.Headers, name: str, value: str) -> bool | None:
    """Append an ASCII header whose name ``headers`` lacks (True), in one pass over httpx's
    lower-cased names; False when the name is there; None when httpx must do it (not ASCII,
    or an httpx without the internals)."""
    if not (_FAST and name.isascii() and value.isascii()):
        return None
    key = name.encode()
    lower = key.lower()
    triples: list[tuple[bytes, bytes, bytes]] = headers._list  # pyright: ignore[reportPrivateUsage]
    for item in triples:
        if item[1] == lower:
            return False
    triples.append((key, lower, value.encode()))
    return True


def _same(a: object, b: object) -> bool:
    """Equal and of the same type (``True`` is not the limit ``1``)."""
    return a is b or (type(a) is type(b) and a == b)


class Builder:
    """``build_request(method, url, headers=, content=, timeout=, extensions=)`` as httpx's;
    ``marks`` are extensions every request it builds carries (set by ``marked``)."""

    __slots__ = ("__self__", "_last", "marks")

    def __init__(
        self, client: httpx.Client | httpx.AsyncClient, marks: dict[str, Any] | None = None
    ) -> None:
        self.__self__ = client  # as on a bound method: ``limit_responses`` finds the client
        self.marks = marks
        self._last: tuple[str, object, Builder] | None = None  # the last ``marked`` result

    def marked(self, name: str, value: object) -> Builder:
        """This builder, with extension ``name`` set to ``value`` on every request (one dict
        merge per request, not a wrapper that copies each request's extensions again). The
        result is kept: every call of a client asks for the same mark."""
        last = self._last
        if last is not None and last[0] == name and _same(last[1], value):
            return last[2]
        made = Builder(self.__self__, {**(self.marks or {}), name: value})
        self._last = (name, value, made)
        return made

    def __call__(
        self,
        method: str,
        url: str,
        *,
        headers: httpx.Headers | Mapping[str, str] | None = None,  # Prepared: Headers
        content: Any = None,
        timeout: httpx.Timeout | None = None,
        extensions: dict[str, Any] | None = None,
        **other: Any,
    ) -> httpx.Request:
        client = self.__self__
        given = headers if isinstance(headers, httpx.Headers) else None
        parsed = None
        if (
            not other
            and timeout is not None
            and (content is None or isinstance(content, bytes))
            and (headers is None or given is not None)
            and not client.params
            and not client.cookies
        ):
            parsed = fast_url(url)
        if parsed is None:
            if timeout is not None:
                other["timeout"] = timeout
            request = client.build_request(
                method, url, headers=headers, content=content, extensions=extensions, **other
            )
            if self.marks:
                request.extensions = {**request.extensions, **self.marks}
            return request
        # ``Headers(client.headers).update(headers)``: the client's, minus those we set, + ours
        # (on the (raw name, lower name, value) triples both hold)
        merged = httpx.Headers(client.headers)
        if given:
            ours: list[tuple[bytes, bytes, bytes]] = given._list  # pyright: ignore[reportPrivateUsage]
            names = {item[1] for item in ours}
            mine: list[tuple[bytes, bytes, bytes]] = merged._list  # pyright: ignore[reportPrivateUsage]
            merged._list = [i for i in mine if i[1] not in names] + ours  # pyright: ignore[reportPrivateUsage]
        ext = dict(extensions) if extensions else {}
        if "timeout" not in ext and timeout is not None:  # (never None here)
            ext["timeout"] = timeout.as_dict()
        if self.marks:
            ext.update(self.marks)
        return httpx.Request(method, parsed, content=content, headers=merged, extensions=ext)


def marking(
    build_request: Callable[..., httpx.Request], name: str, value: object
) -> Callable[..., httpx.Request]:
    """``build_request`` setting extension ``name`` to ``value`` on every request it builds:
    the runtime's own ``Builder`` marks without a wrapper (``Builder.marked``); any other
    builder is wrapped."""
    if isinstance(build_request, Builder):
        return build_request.marked(name, value)

    def build(*args: Any, **kwargs: Any) -> httpx.Request:
        request = build_request(*args, **kwargs)
        request.extensions = {**request.extensions, name: value}
        return request

    return build
