"""Pagination: which list operations page, and how (decided once, from the built IR).

Detection looks at a GET operation's query parameters and its success body (wire names):

| style | signal | example |
| --- | --- | --- |
| `body_cursor` | string `next_cursor`/`nextPageToken`/`endCursor`/`next_page`... + matching param | Slack, Google, Relay, Stripe search |
| `cursor` | boolean `has_more` + item array + `starting_after` (or `after`) param | Stripe |
| `next_url` | string `next`/`links.next`/`_links.next.href`/`nextLink`/`@odata.nextLink`/`next_page_uri` field | DRF, JSON:API, HAL, Azure, OData, Twilio |
| `link` | a declared `Link` response header, or a `per_page` param and an array body | GitHub |
| `offset` | `offset` (or `skip`) + `limit`-like params | |
| `page` | `page` (+ `per_page`/`page_size`/`limit`) params | |

The first style that matches wins, in that order (a cursor the body hands back beats the last
item's id; a declared `Link` header beats offset and page-number parameters). Every style needs
the item array (a known name, the one array of the body, or HAL's one array in `_embedded`), so
its item type is exact. Azure's `x-ms-pageable` (`nextLinkName`, `itemName`) is read as declared:
a null `nextLinkName` is one page.

`x-apigen-pagination` on an operation overrides detection: `false` turns it off, an object sets
the style and names (`{"style": "cursor", "items": "data", "cursor_param": "starting_after"}`);
names left out take the detected value or the style's default. `false` at the document root
turns detection off for the whole spec (operations may still opt in with an object).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields as dataclass_fields
from typing import Any, get_args

from ..diagnostics import Report
from .nodes import (
    ANY,
    AliasDef,
    Definition,
    FieldDef,
    ListOf,
    LiteralOf,
    ModelDef,
    Nullable,
    OperationDef,
    PaginationDef,
    PaginationStyle,
    Prim,
    Ref,
    TypeExpr,
)
from .operations import declared_parameters, deref

EXTENSION = "x-apigen-pagination"
STYLES: tuple[str, ...] = get_args(PaginationStyle)

_ITEM_FIELDS = (
    "data",
    "items",
    "results",
    "records",
    "entries",
    "values",
    "elements",
    "nodes",
    "value",  # OData, Azure
)
# objects a page's fields may sit in, the names of a next page's URL, of a more-pages flag and of
# body cursors (the sandbox reads them too: it points a next-URL field at its own next page and
# ends the lists a client pages itself, sandbox/_next_pages.py)
ENVELOPES = (
    "meta",
    "metadata",  # Kubernetes' `ListMeta`
    "pagination",
    "paging",
    "page_info",
    "pageInfo",
    "response_metadata",
    "links",
)
HAS_MORE = ("has_more", "hasMore", "has_next_page", "hasNextPage", "has_next", "hasNext", "more")
_TOTAL = ("total", "total_count", "totalCount", "count")
_SIZE_PARAMS = ("per_page", "page_size", "limit", "pageSize", "perPage", "size")
PAGE_PARAMS = ("page", "pageNumber", "page_number")  # a page's number (not a token: a string)
# body field with the next cursor -> query params that take it back, best first
BODY_CURSORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("next_cursor", ("cursor", "next_cursor", "after", "starting_after")),
    ("nextCursor", ("cursor", "nextCursor", "after")),
    ("next_page_token", ("page_token", "next_page_token", "pageToken")),
    ("nextPageToken", ("pageToken", "page_token", "nextPageToken", "token")),
    ("pageToken", ("pageToken",)),  # HERE Tracking: the token under the parameter's name
    ("next_token", ("next_token", "token", "nextToken")),
    ("nextToken", ("nextToken", "next_token", "token")),
    ("end_cursor", ("after", "cursor")),
    ("endCursor", ("after", "cursor")),
    ("cursor", ("cursor",)),
    ("next_page", ("page",)),  # Stripe search: an opaque string page token
    # a `next` the request takes back as `?next=` is a cursor, not a next page's URL
    # (stream-io's /search: paged as a URL, page 2 went to `GET /v1/<cursor>`)
    ("next", ("next",)),
    # Kubernetes' lists: `metadata.continue` taken back as `?continue=` (95 operations)
    ("continue", ("continue",)),
    ("next_marker", ("marker",)),  # Box (where typed as a string)
    ("nextMarker", ("marker", "nextMarker")),
    ("NextToken", ("NextToken", "nextToken")),  # AWS' PascalCase bodies
    ("NextMarker", ("Marker",)),
)
NEXT_URL_FIELDS = (
    "next",
    "next_url",
    "nextUrl",
    "next_page_url",
    "nextPageUrl",
    "next_link",
    "nextLink",  # Azure
    "@odata.nextLink",  # OData 4 (Microsoft Graph)
    "odata.nextLink",  # OData 3
    "next_page_uri",  # Twilio
)
# the defaults of each style's names, as the runtime's descriptors also default them
_DEFAULTS: dict[str, dict[str, str | None]] = {
    "cursor": {
        "has_more": "has_more",
        "cursor_param": "starting_after",
        "cursor_field": "id",
    },
    "body_cursor": {"cursor": "next_cursor", "cursor_param": "cursor"},
    "next_url": {"next": "next"},
    "link": {},
    "offset": {"offset_param": "offset", "limit_param": "limit"},
    "page": {"page_param": "page"},
}
_NAMES = {
    f.name
    for f in dataclass_fields(PaginationDef)
    if f.name not in ("style", "item", "first_page", "reset")
}
# Kubernetes: a `continue` token carries the list's resource version; sent beside one it is
# refused (400), so later pages drop them (as client-go's pager does)
_RESET_WITH_CURSOR = {"continue": ("resourceVersion", "resourceVersionMatch")}


def assign(
    document: Mapping[str, Any],
    op: OperationDef,
    op_node: Mapping[str, Any],
    definitions: Mapping[str, Definition],
    report: Report,
    file: str,
) -> None:
    """Set `op.pagination` from the operation's `x-apigen-pagination` or by detection."""
    config = op_node.get(EXTENSION)
    if config is False or (config is None and document.get(EXTENSION) is False):
        return
    detected = detect(document, op, op_node, definitions) if op.method == "get" else None
    if config is None or config is True:
        op.pagination = detected
        return
    pointer = f"{op.pointer}/{EXTENSION}"
    if not isinstance(config, Mapping):
        report.warn(file, pointer, f"{EXTENSION} must be false or an object", action="ignored")
        op.pagination = detected
        return
    op.pagination = _configured(op, config, detected, definitions, report, file, pointer)


def detect(
    document: Mapping[str, Any],
    op: OperationDef,
    op_node: Mapping[str, Any],
    definitions: Mapping[str, Definition],
) -> PaginationDef | None:
    """The pagination style of one operation, or `None` when it does not look like a list."""
    body = _success_body(op)
    if body is None:
        return None
    pageable = op_node.get("x-ms-pageable")
    if isinstance(pageable, Mapping):  # Azure's declaration: next link and item array names
        return _ms_pageable(pageable, body, definitions)
    query = {p.wire_name: p.type for p in op.params if p.location == "query"}
    # with a page-number or offset parameter, an array beside metadata objects (STAPI's
    # `{page: {...}, sort: {...}, animals: [...]}`) is a page too
    paged = any(p in query for p in (*PAGE_PARAMS, "offset", "skip"))
    # a body handing back a cursor the request takes: its one array is the page, whatever
    # objects stand beside it (PagerDuty's `privileges` beside `actions`: not paged)
    top = _fields(body, definitions) or {}
    cursored = any(
        _find(top, (name,), "str", definitions) is not None and any(p in query for p in params)
        for name, params in BODY_CURSORS
    )
    found = _items(body, definitions, metadata_objects=paged, any_objects=cursored)
    if found is None:
        return None
    items, item = found
    fields = _fields(body, definitions) or {}

    def field_of(names: tuple[str, ...], kind: str) -> str | None:
        return _find(fields, names, kind, definitions)

    has_more = field_of(HAS_MORE, "bool")
    bare = field_of(("next",), "str")
    if bare is not None and _cursor_described(_field_doc(fields, bare, definitions)):
        # OpenAI's group lists: `next`, "the cursor for the next page", taken back as `after`
        # (paged by the last item's `id`, which its items lack: page 2 raised)
        takers: tuple[str, ...] = ("after", "cursor", "starting_after")
        taker = next((p for p in takers if p in query), None)
        if taker is not None:
            return PaginationDef(
                "body_cursor", item, items, has_more=has_more, cursor=bare, cursor_param=taker
            )
    # a cursor the body hands back (`pageInfo.endCursor`) before the last item's id
    for name, params in BODY_CURSORS:
        cursor = field_of((name,), "str")
        taker = next((p for p in params if p in query and _is(query[p], "str", definitions)), None)
        if cursor is not None and taker is not None:
            reset = tuple(p for p in _RESET_WITH_CURSOR.get(taker, ()) if p in query)
            return PaginationDef(
                "body_cursor",
                item,
                items,
                has_more=has_more,
                cursor=cursor,
                cursor_param=taker,
                reset=reset,
            )
    if has_more is not None and items is not None:
        item_fields = _fields(item, definitions)
        keyed = item_fields is None or "id" in item_fields  # (an untyped item may have one)
        last_id = None if keyed else field_of(("last_id", "lastId"), "str")
        for param in ("starting_after", "after"):
            if param not in query:
                continue
            if last_id is not None:  # DigitalOcean's batches: items without `id`, `last_id`
                return PaginationDef(
                    "body_cursor",
                    item,
                    items,
                    has_more=has_more,
                    cursor=last_id,
                    cursor_param=param,
                )
            # the next page is asked for by the last item's id (items declaring none still
            # page so, as before: the runtime raises rather than stop at a page saying more)
            reverse = "ending_before" if param == "starting_after" else None
            return PaginationDef(
                "cursor",
                item,
                items,
                has_more=has_more,
                cursor_param=param,
                cursor_field="id",
                reverse_param=reverse if reverse in query else None,
            )
    next_url = field_of(NEXT_URL_FIELDS, "str") or _find_path(
        fields, "_links.next.href", definitions
    )
    bare_next = next_url is not None and next_url.rpartition(".")[2] == "next"
    if bare_next and _cursor_described(_field_doc(fields, str(next_url), definitions)):
        # stream-io's "value to pass to the next search query": a cursor going back in a JSON
        # `payload` parameter, followed as a URL (`GET /v1/<cursor>`, credentials and all)
        next_url = None
    if next_url is not None:
        return PaginationDef("next_url", item, items, next=next_url)

    page_param = next(
        (p for p in PAGE_PARAMS if p in query and not _is(query[p], "str", definitions)), None
    )
    size_param = next((p for p in _SIZE_PARAMS if p in query), None)
    if _declares_link(document, op_node) or (items is None and "per_page" in query):
        return PaginationDef(
            "link",
            item,
            items,
            page_param=page_param,
            size_param=size_param if page_param else None,
        )
    offset_param = next((p for p in ("offset", "skip") if p in query), None)
    limit_param = next((p for p in (*_SIZE_PARAMS, "take", "top") if p in query), None)
    if offset_param is not None and _opaque_offset(document, op, offset_param):
        offset_param = None  # Asana's "offset token": page 2 sent `offset=2`, refused (400)
    if offset_param is not None and limit_param is not None:
        return PaginationDef(
            "offset",
            item,
            items,
            has_more=has_more,
            offset_param=offset_param,
            limit_param=limit_param,
            total=field_of(_TOTAL, "int"),
        )
    if page_param is not None:
        return PaginationDef(
            "page",
            item,
            items,
            has_more=has_more,
            page_param=page_param,
            size_param=size_param,
            first_page=zero_based_page(document, op, page_param),
        )
    return None


def _field_doc(
    fields: Mapping[str, FieldDef], path: str, definitions: Mapping[str, Definition]
) -> str:
    """The description of the field at `path` (a `_find` result: top level or one envelope
    down), else ""."""
    outer, _, name = path.rpartition(".")
    if not outer:
        found = fields.get(name)
    else:
        inner = _fields(fields[outer].type, definitions) if outer in fields else None
        found = inner.get(name) if inner else None
    return (found.doc or "") if found is not None else ""


def _cursor_described(doc: str) -> bool:
    """A `next` field described as a value to pass back (a token, a cursor), not as a link."""
    text = doc.lower()
    says_link = any(w in text for w in ("url", "uri", "link", "href"))
    return not says_link and any(w in text for w in ("token", "cursor", "pass ", "value to"))


def _opaque_offset(document: Mapping[str, Any], op: OperationDef, name: str) -> bool:
    """Whether the `offset` parameter is a token the API hands out, not a count of items: a
    string described as a token or cursor, or whose example or default is no number. (A
    numeric offset some specs declare as a string, taxamo's, still counts.)"""
    found = declared_parameters(document, op).get((name, "query"))
    if found is None:
        return False
    param = found[0]
    schema = deref(document, param.get("schema"))
    schema = schema if isinstance(schema, Mapping) else param  # (Swagger 2.0: on the parameter)
    if schema.get("type") != "string":
        return False
    text = f"{param.get('description', '')} {schema.get('description', '')}".lower()
    if "token" in text or "cursor" in text:
        return True
    samples = (param.get("example"), schema.get("example"), schema.get("default"))
    return any(isinstance(v, str) and v and not v.isdigit() for v in samples)


def zero_based_page(
    document: Mapping[str, Any], op: OperationDef, name: str = "page"
) -> int | None:
    """0 when the page parameter (the operation's, or its path item's) counts from 0: `default:
    0`, or `minimum: 0` with no default (Spring Data's `page`); else None (the runtime's 1). A
    0-based list asked from 1 skips its second page; `minimum: 0, default: 1` counts from 1."""
    found = declared_parameters(document, op).get((name, "query"))
    if found is None:
        return None
    schema = deref(document, found[0].get("schema"))
    if not isinstance(schema, Mapping):
        return None
    return 0 if page_counts_from_zero(found[0], schema) else None


def page_counts_from_zero(parameter: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether a page parameter counts from 0 (`counts_from_zero`), or, with neither a default
    nor a minimum to say otherwise, says so in words (STAPI's "Zero-based page number"); the
    sandbox asks the same."""
    if counts_from_zero(schema.get("minimum"), schema.get("default")):
        return True
    said = f"{parameter.get('description') or ''} {schema.get('description') or ''}"
    declared = schema.get("default") is not None or schema.get("minimum") is not None
    return not declared and _FROM_ZERO.search(said) is not None


_FROM_ZERO = re.compile(
    r"\b(?:zero|0)[- ]based\b|\bstart(?:s|ing)? (?:from|at|with) (?:0|zero)\b"
    r"|\bfirst page is (?:0|zero)\b",
    re.IGNORECASE,
)


def counts_from_zero(low: Any, default: Any) -> bool:
    """The rule `zero_based_page` and the sandbox share: the default says where paging starts;
    without one, the minimum does."""
    if default is not None:
        return type(default) is int and default == 0
    return type(low) is int and low == 0


def _ms_pageable(
    pageable: Mapping[str, Any], body: TypeExpr, definitions: Mapping[str, Definition]
) -> PaginationDef | None:
    """`x-ms-pageable: {nextLinkName, itemName}` (AutoRest): the next page's URL at
    `nextLinkName` (null: one page only), the items at `itemName` (default `value`)."""
    next_name = pageable.get("nextLinkName")
    items = pageable.get("itemName") or "value"
    if not isinstance(next_name, str) or not next_name or not isinstance(items, str):
        return None
    item = _item_at(body, items, definitions)
    fields = _fields(body, definitions) or {}
    if item is None or _find_path(fields, next_name, definitions) is None:
        return None  # the names match nothing in the body: nothing to follow
    return PaginationDef("next_url", item, items, next=next_name)


def _configured(
    op: OperationDef,
    config: Mapping[str, Any],
    detected: PaginationDef | None,
    definitions: Mapping[str, Definition],
    report: Report,
    file: str,
    pointer: str,
) -> PaginationDef | None:
    unknown = sorted(str(k) for k in config if k not in _NAMES and k not in ("style", "first_page"))
    if unknown:
        report.warn(file, pointer, f"unknown keys {', '.join(unknown)}", action="ignored")
    style = config.get("style", detected.style if detected else None)
    if style not in STYLES:
        report.warn(
            file,
            pointer + "/style",
            f"pagination style {style!r} is not one of {', '.join(STYLES)}",
            action="pagination not configured for this operation",
        )
        return detected
    body = _success_body(op)
    base = detected if detected is not None and detected.style == style else None
    names: dict[str, Any] = {}
    for key in _NAMES - {"items"}:
        value = config.get(key, getattr(base, key) if base else _DEFAULTS[style].get(key))
        names[key] = str(value) if value not in (None, "") else None
    first_page = config.get("first_page")
    if "items" in config:
        items = str(config["items"]) if config["items"] not in (None, "") else None
        item = _item_at(body, items, definitions) if body is not None else None
    elif base is not None:
        items, item = base.items, base.item
    else:
        found = _items(body, definitions) if body is not None else None
        items, item = found if found else ("data", None)
    if item is None:
        report.warn(
            file,
            pointer,
            f"no item array at {items or 'the body root'!r} in the success response",
            action="pages are typed with Any items",
        )
        item = ANY
    return PaginationDef(
        style,
        item,
        items,
        first_page=first_page if isinstance(first_page, int) and first_page >= 0 else None,
        **names,
    )


# --- reading the IR ----------------------------------------------------------------------------


def _success_body(op: OperationDef) -> TypeExpr | None:
    for r in op.responses:
        if r.status.startswith("2") and r.kind == "json":
            return r.type
    return None


def _resolve(t: TypeExpr, definitions: Mapping[str, Definition]) -> TypeExpr:
    """Through `Nullable` and type aliases, down to a model `Ref` or a structural type."""
    for _ in range(32):
        if isinstance(t, Nullable):
            t = t.inner
        elif isinstance(t, Ref) and isinstance(definitions.get(t.key), AliasDef):
            alias = definitions[t.key]
            assert isinstance(alias, AliasDef)
            t = alias.target
        else:
            return t
    return t


def _fields(t: TypeExpr, definitions: Mapping[str, Definition]) -> dict[str, FieldDef] | None:
    t = _resolve(t, definitions)
    if isinstance(t, Ref):
        model = definitions.get(t.key)
        if isinstance(model, ModelDef):
            return {f.wire_name: f for f in model.fields}
    return None


def _array_item(t: TypeExpr, definitions: Mapping[str, Definition]) -> TypeExpr | None:
    t = _resolve(t, definitions)
    return t.item if isinstance(t, ListOf) else None


def _items(
    body: TypeExpr,
    definitions: Mapping[str, Definition],
    *,
    metadata_objects: bool = False,
    any_objects: bool = False,
) -> tuple[str | None, TypeExpr] | None:
    """Where the item array is (`None` path: the body itself) and the item type.
    `metadata_objects`: the one array may stand beside objects of scalars too (the request
    takes a page number or offset, so such objects read as the page's metadata); `any_objects`:
    beside any objects (the body hands back a cursor the request takes)."""
    item = _array_item(body, definitions)
    if item is not None:
        return None, item
    fields = _fields(body, definitions)
    if not fields:
        return None
    embedded = _fields(fields["_embedded"].type, definitions) if "_embedded" in fields else None
    if embedded:  # HAL: `{_embedded: {things: [...]}, _links: {next: {href}}}`
        lists = [w for w, f in embedded.items() if _array_item(f.type, definitions) is not None]
        if len(lists) == 1:
            item = _array_item(embedded[lists[0]].type, definitions)
            assert item is not None
            return f"_embedded.{lists[0]}", item
    for name in _ITEM_FIELDS:
        if name in fields:
            item = _array_item(fields[name].type, definitions)
            if item is not None:
                return name, item
    arrays = [(w, _array_item(f.type, definitions)) for w, f in fields.items()]
    found = [(w, i) for w, i in arrays if i is not None]
    if len(found) != 1:
        return None
    # one array beside counts and paging metadata; not an object that happens to hold a list
    others = [f for w, f in fields.items() if w != found[0][0] and w not in ENVELOPES]
    if all(_is_scalar(f.type, definitions) for f in others):
        return found[0]
    if metadata_objects and all(_metadata(f.type, definitions) for f in others):
        return found[0]
    if any_objects:  # (`detect`: the body hands back a cursor the request takes)
        return found[0]
    return None


def _metadata(t: TypeExpr, definitions: Mapping[str, Definition]) -> bool:
    """A scalar, or an object whose fields are all scalars (a page's or a sort's description)."""
    if _is_scalar(t, definitions):
        return True
    fields = _fields(t, definitions)
    return fields is not None and all(_is_scalar(f.type, definitions) for f in fields.values())


def _item_at(
    body: TypeExpr, path: str | None, definitions: Mapping[str, Definition]
) -> TypeExpr | None:
    if path is None:
        return _array_item(body, definitions)
    fields = _fields(body, definitions) or {}
    t = _find_path(fields, path, definitions, want_type=True)
    return _array_item(t, definitions) if isinstance(t, TypeExpr) else None


def _is(t: TypeExpr, kind: str, definitions: Mapping[str, Definition]) -> bool:
    t = _resolve(t, definitions)
    if kind == "any":
        return True
    if isinstance(t, LiteralOf):
        if t.open_base is not None:
            return t.open_base.name == kind
        names = {"str": str, "bool": bool, "int": int}
        return all(type(v) is names.get(kind) for v in t.values)
    # (a UUID is text: DigitalOcean's batches hand back `last_id` as one)
    return isinstance(t, Prim) and (t.name == kind or (kind == "str" and t.name in ("Any", "UUID")))


def _is_scalar(t: TypeExpr, definitions: Mapping[str, Definition]) -> bool:
    t = _resolve(t, definitions)
    return isinstance(t, LiteralOf) or (isinstance(t, Prim) and t.name != "file")


def _find(
    fields: Mapping[str, FieldDef],
    names: tuple[str, ...],
    kind: str,
    definitions: Mapping[str, Definition],
) -> str | None:
    """The first of `names` with type `kind`, at the top level, then inside `meta`-like
    objects; as a dotted wire path."""
    for name in names:
        if name in fields and _is(fields[name].type, kind, definitions):
            return name
    for outer in ENVELOPES:
        inner = _fields(fields[outer].type, definitions) if outer in fields else None
        if inner:
            for name in names:
                if name in inner and _is(inner[name].type, kind, definitions):
                    return f"{outer}.{name}"
    return None


def _find_path(
    fields: Mapping[str, FieldDef],
    path: str,
    definitions: Mapping[str, Definition],
    *,
    want_type: bool = False,
) -> Any:
    """`path` if every dotted part exists (its type with `want_type`), else `None`."""
    current: Mapping[str, FieldDef] | None = fields
    t: TypeExpr | None = None
    parts = path.split(".")
    at = 0
    while at < len(parts):  # the longest run of parts that is one wire name (`@odata.nextLink`)
        key = next(
            (
                k
                for end in range(len(parts), at, -1)
                if (k := ".".join(parts[at:end])) in (current or {})
            ),
            None,
        )
        if current is None or key is None:
            return None
        t = current[key].type
        current = _fields(t, definitions)
        at += key.count(".") + 1
    if want_type:
        return t
    return path if t is not None and _is(t, "str", definitions) else None


def _declares_link(document: Mapping[str, Any], op_node: Mapping[str, Any]) -> bool:
    responses = op_node.get("responses")
    if not isinstance(responses, Mapping):
        return False
    for status, raw in responses.items():
        resp = deref(document, raw)
        if str(status).startswith("2") and isinstance(resp, Mapping):
            headers = resp.get("headers")
            if isinstance(headers, Mapping) and any(str(h).lower() == "link" for h in headers):
                return True
    return False
