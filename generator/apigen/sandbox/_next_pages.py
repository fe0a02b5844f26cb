"""The pages of a drawn list end, and never repeat.

A drawn `next`/`nextLink`/`meta.next_page_url` (the names the IR reads as next-URL pagination,
`ir/pagination.py`) is a random string or a URL on the spec's example host: a client following
it is sent to `/v1/next_23216` (404), or refuses it as another origin. The field the answer's
schema declares (at the top, in an envelope, HAL's `_links.next.href`) is set to this request
again with `PAGE_MARKER=n+1` added, up to `LAST_PAGE`, even where the draw left it out; the
last page's is null where the schema allows it, left out where it is optional, else `""` (what
the runtime reads as the end). The marker is the sandbox's own: `handle` takes it off the query
before routing and validation, as a real server accepts the links it hands out.

A list the client pages itself (a `page` number, an `offset`, a cursor the answer hands out,
a `Link` header) would otherwise never end with drawn cursors, and with the spec's example
served twice the runtime stops with `PaginationLoopError` (the same page again). A request for a later page
(`page` past the first, `offset`/`skip` past 0, a cursor parameter whose body field the answer
declares) is answered with the list's last page: its item arrays empty (where `minItems`
allows), more-pages flags false and body cursors ended as above.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from ..ir.pagination import (
    BODY_CURSORS,
    ENVELOPES,
    HAS_MORE,
    NEXT_URL_FIELDS,
    PAGE_PARAMS,
    page_counts_from_zero,
)
from ._fits import Checker
from ._refs import RefError, Resolver, declared_parameters, listed
from ._responses import Reply

#: The sandbox's own query parameter in the next-page URLs it writes.
PAGE_MARKER = "apigen_sandbox_page"
#: Pages a next-URL list has (as `LINK_PAGES` for `Link` headers).
LAST_PAGE = 3
_OFFSET_PARAMS = ("offset", "skip")
#: Stripe's cursors (the last item's id), read as such where the answer has a more-pages flag.
_ITEM_CURSORS = ("starting_after", "ending_before", "after")
_CURSOR_FIELDS = frozenset(name for name, _ in BODY_CURSORS)
_LATER_PARAMS = frozenset(
    {
        *PAGE_PARAMS,
        *_OFFSET_PARAMS,
        *_ITEM_CURSORS,
        *(p for _, params in BODY_CURSORS for p in params),
    }
)


def take_page(query: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], int]:
    """The query without the marker, and the page it names (1 without one)."""
    pages = [v for k, v in query if k == PAGE_MARKER]
    if not pages:
        return query, 1
    rest = [(k, v) for k, v in query if k != PAGE_MARKER]
    try:
        return rest, max(1, int(pages[-1]))
    except ValueError:
        return rest, 1


class NextPages:
    """Writes the next-page URLs of one document's list answers; what an operation's answer
    declares is looked up once (most operations declare none, and their bodies are not
    parsed: the sandbox's throughput is a #10 target)."""

    def __init__(self, resolver: Resolver, checker: Checker | None = None) -> None:
        self.resolver = resolver
        # a last page the answer's schema refuses is not sent
        self.checker = checker.exclusive() if checker is not None else None
        # (id(operation), status) -> (operation, its answer's schema, the keys to the field)
        self._found: dict[tuple[int, int], tuple[Any, Any, list[str] | None]] = {}
        # (id(operation), status) -> (operation, the cursor parameters its answer hands out to)
        self._cursors: dict[tuple[int, int], tuple[Any, frozenset[str]]] = {}

    def _keys(self, operation: Mapping[str, Any], status: int) -> tuple[Any, list[str] | None]:
        cached = self._found.get((id(operation), status))
        if cached is not None and cached[0] is operation:
            return cached[1], cached[2]
        declared = operation.get("x-ms-pageable")
        names = list(NEXT_URL_FIELDS)
        if "next" in _query_names(operation, self.resolver):
            # a `next` the request takes back as `?next=` is a cursor (`ir/pagination`'s
            # BODY_CURSORS): a URL written there came back as `?next=<url>`, and a client
            # paging by it never reached an end
            names.remove("next")
        if isinstance(declared, Mapping) and isinstance(declared.get("nextLinkName"), str):
            names.insert(0, declared["nextLinkName"])
        schema = _response_schema(operation, status, self.resolver)
        keys = _next_keys(schema, names, self.resolver)
        self._found[(id(operation), status)] = (operation, schema, keys)
        return schema, keys

    def own(
        self,
        reply: Reply,
        operation: Mapping[str, Any],
        target: tuple[str, list[tuple[str, str]]],
        page: int,
        host: str | None,
        item_pointer: str | None = None,
    ) -> Reply:
        """`reply` with its next-page URL field pointing at page `page + 1` of `target` (path,
        query) on `host` (relative without one), or ending the list on the last page.
        `item_pointer`: the operation's path item (its parameters count too)."""
        media = next((v for k, v in reply.headers.items() if k.lower() == "content-type"), "")
        if not 200 <= reply.status < 300 or "json" not in media.lower():
            return reply
        schema, keys = self._keys(operation, reply.status)
        path, query = target
        if keys is None:
            # (a `Link` list too: its header still leads to page `LINK_PAGES`, over empty pages)
            item = None
            if item_pointer is not None:
                try:
                    found = self.resolver.lookup(item_pointer)
                except RefError:
                    found = None
                item = found if isinstance(found, Mapping) else None
            if not self._later(operation, reply.status, query, item):
                return reply
            return self._last_page(reply, schema)
        try:
            body = json.loads(reply.body)
        except ValueError:
            return reply
        *outer, key = keys
        holder: Any = body
        made = False  # an envelope the draw left out (`links`, `meta`): made, when it may be
        for name in outer:
            if not isinstance(holder, dict):
                return reply
            if name not in holder and page < LAST_PAGE:
                holder[name], made = {}, True
            holder = holder.get(name)
        if not isinstance(holder, dict):
            return reply
        if page < LAST_PAGE:
            url = f"{path}?{urlencode([*query, (PAGE_MARKER, str(page + 1))])}"
            holder[key] = f"http://{host}{url}" if host else url
            if made and self.checker is not None and not self.checker.fits(body, schema):
                return reply  # the envelope requires more than a next link: as drawn
        else:
            _end(holder, key, schema, keys, self.resolver)
        return Reply(reply.status, reply.headers, json.dumps(body).encode())

    def _later(
        self,
        operation: Mapping[str, Any],
        status: int,
        query: list[tuple[str, str]],
        item: Mapping[str, Any] | None = None,
    ) -> bool:
        """Whether `query` asks for a page after the first: `page` past the first (1, or the
        operation's `x-apigen-pagination.first_page`, as the runtime counts), `offset`/`skip`
        past 0, or a cursor parameter the answer hands a value out for."""
        given = {k: v for k, v in query if v}
        if given.keys().isdisjoint(_LATER_PARAMS):  # most requests: nothing parsed
            return False
        for name in PAGE_PARAMS:  # (`page`, `pageNumber`: as `ir/pagination.py` reads them)
            number = _number(given.get(name))
            if number is not None and number > _first_page(operation, self.resolver, item, name):
                return True
        if any((_number(given.get(p)) or 0) > 0 for p in _OFFSET_PARAMS):
            return True
        return not given.keys().isdisjoint(self._cursor_params(operation, status))

    def _cursor_params(self, operation: Mapping[str, Any], status: int) -> frozenset[str]:
        """The query parameters that take back a cursor the answer declares (a body cursor's
        takers, as `ir/pagination.py` pairs them; Stripe's item cursors beside a more-pages
        flag)."""
        cached = self._cursors.get((id(operation), status))
        if cached is not None and cached[0] is operation:
            return cached[1]
        schema, _ = self._keys(operation, status)
        declared: set[str] = set()
        for outer in ([], *([e] for e in ENVELOPES)):
            holder = _property(schema, outer, self.resolver) if outer else schema
            declared.update(_declared(holder, self.resolver))
        params = {p for name, takers in BODY_CURSORS if name in declared for p in takers}
        if not declared.isdisjoint(HAS_MORE):
            params.update(_ITEM_CURSORS)
        found = frozenset(params)
        self._cursors[(id(operation), status)] = (operation, found)
        return found

    def _last_page(self, reply: Reply, schema: Any) -> Reply:
        """`reply` as its list's last page: item arrays (the body, its top-level arrays and
        HAL's `_embedded` ones) empty where `minItems` allows, more-pages flags false, body
        cursors ended; unchanged when none of that is there."""
        try:
            body = json.loads(reply.body)
        except ValueError:
            return reply
        resolver = self.resolver
        if isinstance(body, list):
            if not body or _min_items(schema, resolver):
                return reply
            if self.checker is not None and not self.checker.fits([], schema):
                return reply
            return Reply(reply.status, reply.headers, b"[]")
        if not isinstance(body, dict):
            return reply
        changed = False
        holders: list[tuple[list[str], dict[str, Any]]] = [([], body)]
        holders += [
            ([e], body[e]) for e in ("_embedded", *ENVELOPES) if isinstance(body.get(e), dict)
        ]
        for outer, holder in holders:
            for key, value in list(holder.items()):
                keys = [*outer, key]
                if isinstance(value, list) and value and outer in ([], ["_embedded"]):
                    if not _min_items(_property(schema, keys, resolver), resolver):
                        holder[key], changed = [], True
                elif key in HAS_MORE and value is True:
                    holder[key], changed = False, True
                elif key in _CURSOR_FIELDS and value not in (None, ""):
                    _end(holder, key, schema, keys, resolver)
                    changed = True
        if not changed or (self.checker is not None and not self.checker.fits(body, schema)):
            return reply  # (Mist's `anyOf` of pages each with `minItems: 1` items)
        return Reply(reply.status, reply.headers, json.dumps(body).encode())


def _end(
    holder: dict[str, Any], key: str, schema: Any, keys: list[str], resolver: Resolver
) -> None:
    """End a next-page field: null where the schema allows it, left out where it is optional,
    else `""` (what the runtime reads as the end)."""
    if _nullable(_property(schema, keys, resolver), resolver):
        holder[key] = None
    elif not _required(schema, keys, resolver):
        holder.pop(key, None)
    else:
        holder[key] = ""


def _number(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.lstrip("-").isdigit():
        return None
    return int(value)


def _first_page(
    operation: Mapping[str, Any],
    resolver: Resolver,
    item: Mapping[str, Any] | None = None,
    name: str = "page",
) -> int:
    """The first page's number as the runtime counts it: the configured `first_page`, else 0
    for a page parameter `name` (the operation's, or its path item's) that counts from 0
    (`ir/pagination.page_counts_from_zero`), else 1."""
    config = operation.get("x-apigen-pagination")
    first = config.get("first_page") if isinstance(config, Mapping) else None
    if isinstance(first, int) and not isinstance(first, bool):
        return first
    page = declared_parameters(item or {}, operation, resolver).get((name, "query"))
    try:
        schema, _ = resolver.resolve(page.get("schema")) if page is not None else ({}, 0)
    except RefError:
        return 1
    if not isinstance(schema, Mapping):
        return 1
    return 0 if page is not None and page_counts_from_zero(page, schema) else 1


def _min_items(schema: Any, resolver: Resolver) -> int:
    """The largest `minItems` of `schema` and its `allOf` members (0 without one)."""
    found = [part.get("minItems") for part in _object_parts(schema, resolver)]
    return max((m for m in found if isinstance(m, int) and not isinstance(m, bool)), default=0)


def _next_keys(schema: Any, names: list[str], resolver: Resolver) -> list[str] | None:
    """The keys down to the declared next-URL string property: at the top, in an envelope, or
    HAL's `_links.next.href`; None when the answer declares none."""
    for outer in ([], *([e] for e in ENVELOPES)):
        holder = _property(schema, outer, resolver) if outer else schema
        declared = _declared(holder, resolver)
        key = next((n for n in names if _is_string(declared.get(n), resolver)), None)
        if key is not None:
            return [*outer, key]
    href = _property(schema, ["_links", "next", "href"], resolver)
    return ["_links", "next", "href"] if _is_string(href, resolver) else None


def _declared(schema: Any, resolver: Resolver) -> dict[str, Any]:
    """The properties `schema` (and its `allOf` members) declare."""
    found: dict[str, Any] = {}
    for part in _object_parts(schema, resolver):
        props = part.get("properties")
        if isinstance(props, Mapping):
            for name, prop in props.items():
                found.setdefault(str(name), prop)
    return found


def _is_string(schema: Any, resolver: Resolver) -> bool:
    if schema is None:
        return False
    parts = list(_object_parts(schema, resolver))
    kinds = [part.get("type") for part in parts]
    return any(k == "string" or (isinstance(k, list) and "string" in k) for k in kinds)


def _query_names(operation: Mapping[str, Any], resolver: Resolver) -> set[str]:
    """The names of the operation's own query parameters."""
    names: set[str] = set()
    for param in listed(operation.get("parameters")):
        try:
            node, _ = resolver.resolve(param)
        except RefError:
            continue
        if isinstance(node, Mapping) and node.get("in") == "query":
            names.add(str(node.get("name")))
    return names


def _response_schema(operation: Mapping[str, Any], status: int, resolver: Resolver) -> Any:
    try:
        responses, _ = resolver.resolve(operation.get("responses"))
        if not isinstance(responses, Mapping):
            return None
        response, _ = resolver.resolve(responses.get(str(status)) or responses.get("default"))
        content = response.get("content") if isinstance(response, Mapping) else None
        if not isinstance(content, Mapping):
            return None
        media = next((m for k, m in content.items() if "json" in str(k).lower()), None)
        return media.get("schema") if isinstance(media, Mapping) else None
    except RefError:
        return None


def _object_parts(schema: Any, resolver: Resolver) -> Iterator[Mapping[str, Any]]:
    """`schema` and its `allOf` members, resolved."""
    try:
        node, _ = resolver.resolve(schema)
    except RefError:
        return
    if not isinstance(node, Mapping):
        return
    yield node
    for member in listed(node.get("allOf")):
        yield from _object_parts(member, resolver)


def _property(schema: Any, keys: list[str], resolver: Resolver) -> Any:
    """The schema `keys` lead to: every declaration of each key (one `allOf` member may declare
    `links` bare and another its `next`: train-travel's envelope), taken together."""
    for key in keys:
        found = [
            props[key]
            for part in _object_parts(schema, resolver)
            if isinstance(props := part.get("properties"), Mapping) and key in props
        ]
        if not found:
            return None
        schema = found[0] if len(found) == 1 else {"allOf": found}
    return schema


def _required(schema: Any, keys: list[str], resolver: Resolver) -> bool:
    """Whether the last of `keys` is required of the object the others lead to."""
    parent = _property(schema, keys[:-1], resolver) if keys[:-1] else schema
    return any(keys[-1] in listed(part.get("required")) for part in _object_parts(parent, resolver))


def _nullable(schema: Any, resolver: Resolver) -> bool:
    for part in _object_parts(schema, resolver):
        kinds = part.get("type")
        if part.get("nullable") is True or kinds == "null":
            return True
        if isinstance(kinds, list) and "null" in kinds:
            return True
        for key in ("anyOf", "oneOf"):
            if any(_nullable(m, resolver) for m in listed(part.get(key))):
                return True
    return False
