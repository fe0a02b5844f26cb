"""Operations: parameters, request bodies and responses of every path item."""

from __future__ import annotations

import datetime
import math
import re
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any

from .. import naming
from ..ecma_regex import finds
from ..form_fields import REPEATED_KEYS, repeats_keys
from ..path_keys import placeholders, spanning, split_key
from ..spec.header_params import HTTP_TOKEN, ignored_header, transport_header
from ..spec.methods import path_operations
from ..spec.param_media import is_json_media, parameter_media
from ..spec.pointer import unescape
from ..spec.streams import events_are_text, is_event_stream, is_json_lines, record_schema
from .examples import example_value
from .nodes import (
    ANY,
    COMPONENT_PREFIX,
    JSON_OBJECT,
    NONE,
    AliasDef,
    BodyDef,
    ListOf,
    LiteralOf,
    Nullable,
    OperationDef,
    ParamDef,
    Prim,
    Ref,
    ResponseDef,
    ResponseKind,
    StreamingDef,
    TypeExpr,
    UnionOf,
    as_list,
    as_object,
    required_names,
)
from .schemas import SchemaConverter, escape, resolve_pointer, union_of
from .servers import operation_server
from .text import deprecated_doc, schema_doc

# Statuses whose response carries no content (RFC 9110 15.3.5, 15.3.6, 15.4.5).
_BODILESS = frozenset({"204", "205", "304"})
# Statuses a client follows to another URL (RFC 9110 15.4; not 300, 304 or 305).
_REDIRECTS = frozenset({"301", "302", "303", "307", "308", "3XX"})
# JSON: `application/json`, `+json` suffixes and the legacy `text/json` (ASP.NET's), as the
# runtime, the sandbox and the 2.0 converter read them (alone, `text/json` was typed as text),
# with or without RFC 9110's whitespace before a parameter (`application/json ; charset=utf-8`)
_JSON = re.compile(r"^(application|text)/([\w.+-]*\+)?json\s*(;.*)?$|^\*/\*$", re.IGNORECASE)
# in a header value (RFC 9110 §5.5): a control character but TAB, as the runtime refuses them
_UNSENDABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_BODY_PREFERENCE = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
)


def item_pointer(pointer: str) -> str:
    """The path item's pointer of an operation's (`.../get`, 3.2's
    `.../additionalOperations/COPY`)."""
    head = pointer.rpartition("/")[0]
    return head.removesuffix("/additionalOperations")


def collect(document: Mapping[str, Any]) -> list[OperationDef]:
    """Every operation in spec order (paths in order, methods in the spec's method order)."""
    ops: list[OperationDef] = []
    paths = as_object(document.get("paths"))
    for path, item in paths.items():
        # a key not starting with `/` (an `x-` extension, a broken path) names no operation:
        # validation reports it as an unknown key, "key ignored"
        if not isinstance(item, JSON_OBJECT) or not str(path).startswith("/"):
            continue
        base = f"#/paths/{escape(str(path))}"
        if isinstance(item.get("$ref"), str) and item["$ref"].startswith("#"):
            base = item["$ref"]
            item = resolve_pointer(document, base)
            if not isinstance(item, JSON_OBJECT):
                continue
        for method, where, op in path_operations(item):
            tags = tuple(str(t) for t in as_list(op.get("tags")) if isinstance(t, str | int))
            ops.append(
                OperationDef(
                    method=method,
                    path=str(path),
                    wire_path=split_key(str(path)).wire,
                    operation_id=str(op.get("operationId") or ""),
                    pointer=f"{base}/{where}",
                    summary=str(op.get("summary") or "").strip(),
                    description=str(op.get("description") or "").strip(),
                    deprecated=op.get("deprecated") is True,
                    tags=tags,
                )
            )
    return ops


def operation_node(document: Mapping[str, Any], op: OperationDef) -> Mapping[str, Any]:
    """The spec's operation object behind `op`."""
    node = resolve_pointer(document, op.pointer)
    return node if isinstance(node, JSON_OBJECT) else {}


def deref(document: Mapping[str, Any], node: Any) -> Any:
    """Follow `$ref`s of non-schema objects (parameters, bodies, responses), to the end of a
    chain however long (32 links were followed, and a parameter 40 links away was dropped
    without a word: helper 192); a cycle is nothing (`{}`), as an unreadable `$ref` is."""
    seen: set[str] = set()
    while isinstance(node, JSON_OBJECT) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#") or ref in seen:
            return {}
        seen.add(ref)
        node = resolve_pointer(document, ref)
    return node


# A page of a collection: an array named like an envelope's items, or like the collection's
# path segment, beside a field only paging has. (`total`, `count` or `url` alone say nothing:
# Stripe's Invoice has a `total` and arrays, and `GET /v1/invoices/upcoming` is one invoice.)
_ITEM_ARRAYS = frozenset(
    {"data", "items", "results", "records", "entries", "values", "elements", "objects", "rows"}
)
_PAGE_FIELD = re.compile(
    r"^(has_?more|next\w*|prev\w*|\w*cursor\w*|\w*page\w*|\w*token|offset|limit|paginat\w*|paging)$",
    re.IGNORECASE,
)


# query parameters only paging has: what a page's caller sends to move on
_PAGE_PARAM = re.compile(
    r"^(offset|skip|page|page_?number|cursor|after|before|starting_after|ending_before"
    r"|page_?token|next_?token|continuation_?token|next_?cursor)$",
    re.IGNORECASE,
)


def declared_parameters(
    document: Mapping[str, Any], op: OperationDef
) -> dict[tuple[str, str], tuple[Mapping[str, Any], str]]:
    """The operation's parameters by (name, in), its path item's first and its own over them
    (OpenAPI's override rule), each with its JSON pointer. Header names match whatever their
    case (`X-A` and `x-a` are one header: two keyword arguments sent one value)."""
    node = operation_node(document, op)
    path_item = deref(document, resolve_pointer(document, item_pointer(op.pointer)))
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], str]] = {}
    sources = []
    if isinstance(path_item, JSON_OBJECT):
        sources.append((as_list(path_item.get("parameters")), item_pointer(op.pointer)))
    sources.append((as_list(node.get("parameters")), op.pointer))
    for plist, base in sources:
        for i, raw in enumerate(plist):
            p = deref(document, raw)
            if not isinstance(p, JSON_OBJECT) or "name" not in p or "in" not in p:
                continue
            key = (str(p["name"]), str(p["in"]))
            if key[1] == "header":
                same = [k for k in merged if k[1] == "header" and k[0].lower() == key[0].lower()]
                for k in same:  # (the later one wins, as for an exact name)
                    del merged[k]
            merged[key] = (p, f"{base}/parameters/{i}")
    return merged


def query_names(document: Mapping[str, Any], op: OperationDef) -> list[str]:
    """The names of the operation's query parameters (its own and its path item's)."""
    return [name for name, where in declared_parameters(document, op) if where == "query"]


def is_list_response(
    document: Mapping[str, Any],
    op_node: Mapping[str, Any],
    path: str = "",
    query: Collection[str] = (),
) -> bool:
    """Does the success response look like a collection? An array; or a page: an object
    holding an array named like an envelope's items (`data`, `items`, `results`...) or like the
    path's last segment, beside a paging field (`{things: [...], next_cursor}`) or taken with a
    paging query parameter (`query`: `offset`, `page`, `cursor`...); or Stripe's list object
    (`data` + `has_more`, `next_page` or `url`). Its method is then `list`."""
    paged = any(_PAGE_PARAM.match(name) for name in query)
    literal = [s for s in split_key(path).wire.split("/") if s and not s.startswith("{")]
    segment = literal[-1].lower() if literal else ""
    responses = as_object(op_node.get("responses"))
    for status, resp in responses.items():
        if not str(status).startswith("2"):
            continue
        resp = deref(document, resp)
        content = resp.get("content") if isinstance(resp, JSON_OBJECT) else None
        if not isinstance(content, JSON_OBJECT):
            continue
        for media, body in content.items():
            if not _JSON.match(str(media)) or not isinstance(body, JSON_OBJECT):
                continue
            schema = deref(document, body.get("schema"))
            if not isinstance(schema, JSON_OBJECT):
                continue
            if schema.get("type") == "array":
                return True
            props = schema.get("properties")
            if not isinstance(props, JSON_OBJECT):
                continue
            arrays = [
                str(name)
                for name, raw in props.items()
                if isinstance(prop := deref(document, raw), JSON_OBJECT)
                and prop.get("type") == "array"
            ]
            if "data" in props and ("has_more" in props or "next_page" in props or "url" in props):
                return True  # Stripe's list object (and search result)
            items = {n for n in arrays if n.lower() in _ITEM_ARRAYS or n.lower() == segment}
            if items and (paged or any(_PAGE_FIELD.match(str(name)) for name in props)):
                return True
    return False


_FORM_MEDIA = "application/x-www-form-urlencoded"


class OperationBuilder:
    """Fills parameters, body and responses of operations once their names are known."""

    def __init__(self, document: Mapping[str, Any], schemas: SchemaConverter) -> None:
        self.document = document
        self.schemas = schemas
        # the schemas (`$ref`s) of request bodies flattened into arguments: sent, never parsed
        # (`usage.mark_request_only` reads them as requests)
        self.flattened: set[str] = set()

    def op_node(self, op: OperationDef) -> Mapping[str, Any]:
        return operation_node(self.document, op)

    def _deref(self, node: object) -> object:
        return deref(self.document, node)

    def _warn_key(self, op: OperationDef, message: str, action: str) -> None:
        self.schemas.warn(op.pointer, message, "parameter", action)

    def _warn_unsendable_values(self, ptr: str, name: str, schema: object) -> None:
        """A header's listed value (`enum`, `const`, `default`) holding a control character (CR,
        LF, NUL, a vertical tab...), which no header can carry (RFC 9110 §5.5): `check` passed it, and every call then raised."""
        if not isinstance(schema, JSON_OBJECT):
            return
        listed = [*as_list(schema.get("enum")), schema.get("const"), schema.get("default")]
        bad = next((v for v in listed if isinstance(v, str) and _UNSENDABLE.search(v)), None)
        if bad is not None:
            self.schemas.warn(
                f"{ptr}/schema",
                f"header parameter {name!r}: the value {bad!r} holds a control character (a line"
                " break, NUL...), which no header can carry (RFC 9110)",
                "parameter",
                "kept: the client refuses that value with ValueError before sending",
            )

    def _idempotency_field(self, op: OperationDef, node: Mapping[str, Any]) -> str | None:
        """The JSON body's string property named like `idempotency_key` (Plaid's, Square's),
        when the operation has no idempotency-key header: `idempotency_key=` fills it (and
        the runtime a fresh key when it is left out), so a keyed POST may be retried; a second
        keyword for it (`idempotency_key_`) would only say the same."""
        body = op.body
        if body is None or not _JSON.match(body.media_type):
            return None
        names = [p.wire_name for p in op.params if p.location == "field"]
        found = next((n for n in names if IDEMPOTENCY_NAME(n)), None)
        if found is None:
            return None
        request = as_object(self._deref(node.get("requestBody")))
        content = as_object(request.get("content"))
        media = as_object(content.get(body.media_type))
        schema = self._deref(media.get("schema"))
        if not isinstance(schema, JSON_OBJECT):
            return None
        merged = self.schemas.merge_all_of(schema, op.pointer)
        props = as_object((merged if merged is not None else schema).get("properties"))
        prop = self._deref(props.get(found))
        kind = prop.get("type") if isinstance(prop, JSON_OBJECT) else None
        text = kind == "string" or (isinstance(kind, list) and "string" in kind)
        if not (text and takes_generated_key(prop)):
            return None
        assert isinstance(prop, JSON_OBJECT)
        # Plaid's `{type: string, nullable: true}`: null is a value the caller may send
        op.idempotency_nullable = prop.get("nullable") is True or (
            isinstance(kind, list) and "null" in kind
        )
        return found

    def _header_takes_generated_key(self, op: OperationDef, name: str) -> bool:
        declared = {
            wire.lower(): p
            for (wire, where), (p, _) in declared_parameters(self.document, op).items()
            if where == "header"
        }
        param = declared.get(name.lower())
        return param is None or takes_generated_key(self._deref(param.get("schema")))

    def build(self, op: OperationDef, hint: list[str], module: str) -> None:
        node = self.op_node(op)
        path_item = deref(self.document, resolve_pointer(self.document, item_pointer(op.pointer)))
        params = self._parameters(op, hint, module)
        fields, op.body = self._body(op, node, hint, module)
        op.server = self._server(op, node, path_item)
        op.params = _disambiguate(params, fields)
        op.idempotency_header = next(
            (
                p.wire_name
                for p in op.params
                if p.location == "header"
                and IDEMPOTENCY_NAME(p.wire_name)
                and self._header_takes_generated_key(op, p.wire_name)
            ),
            None,
        )
        if op.idempotency_header is not None:
            op.params = _without_idempotency_param(op)
        elif op.method not in _SAFE_METHODS:
            op.idempotency_field = self._idempotency_field(op, node)
            if op.idempotency_field is not None:
                op.params = [
                    p
                    for p in op.params
                    if not (p.location == "field" and p.wire_name == op.idempotency_field)
                ]
        op.params.sort(key=lambda p: not p.required)
        flag = _stream_flag(op.params)
        streams: list[ResponseDef] = []
        op.responses = self._responses(op, node, hint, module, streams if flag else None)
        op.returns = _returns(op.responses)
        if flag is not None and streams:
            op.streaming = StreamingDef(
                flag.py_name, streams, _returns(streams), default=flag.default is True
            )
        security = node.get("security")
        if isinstance(security, list):
            alternatives = tuple(
                tuple(sorted(str(k) for k in req))
                for req in security
                if isinstance(req, JSON_OBJECT)
            )
            op.security = alternatives or ((),)  # `security: []` means anonymous access

    def _server(self, op: OperationDef, node: Mapping[str, Any], path_item: Any) -> str | None:
        """The operation's server (else the path item's) when it differs from the root one.

        OpenAPI: operation `servers` override path-item `servers`, which override the root's;
        the first server is used (ir/servers.operation_server). An empty list overrides
        nothing; one that is no URL is warned, and the operation stays on the root server."""
        for owner, at in ((node, op.pointer), (path_item, item_pointer(op.pointer))):
            servers = owner.get("servers") if isinstance(owner, JSON_OBJECT) else None
            if isinstance(servers, list) and servers and isinstance(servers[0], JSON_OBJECT):

                def no_url(url: str, at: str = at) -> None:
                    self.schemas.warn(
                        f"{at}/servers/0/url",
                        f"server URL {url!r} is no URL",
                        "servers",
                        "the operation is sent to the client's base URL",
                    )

                return operation_server(self.document, servers, no_url)
        return None

    def _parameters(self, op: OperationDef, hint: list[str], module: str) -> list[ParamDef]:
        result: list[ParamDef] = []
        for (name, location), (p, ptr) in declared_parameters(self.document, op).items():
            if location not in ("path", "query", "header", "cookie"):
                if location == "querystring":
                    self.schemas.warn(
                        ptr,
                        f"parameter {name!r} is `in: querystring` (OpenAPI 3.2: the whole query"
                        " string as one value), which the client cannot send yet",
                        "parameter",
                        "parameter left out: pass the query with `extra_query=`",
                    )
                continue
            if location == "header" and ignored_header(name, p):
                if transport_header(name):
                    self.schemas.warn(
                        ptr,
                        f"header parameter {name!r} frames the HTTP message: the transport"
                        " writes it from the request",
                        "parameter",
                        "parameter left out",
                    )
                continue  # the client sets these itself
            if location == "cookie" and not HTTP_TOKEN.fullmatch(name):
                self.schemas.warn(
                    ptr,
                    f"cookie parameter {name!r} is not a cookie name (RFC 6265: an HTTP"
                    " token): no client can send it",
                    "parameter",
                    "kept: the client refuses a value for it with ValueError before sending",
                )
            if location == "header" and not HTTP_TOKEN.fullmatch(name):
                self.schemas.warn(
                    ptr,
                    f"header parameter {name!r} is not an HTTP field name (RFC 9110: letters,"
                    " digits and !#$%&'*+.^_`|~- only): no client can send it",
                    "parameter",
                    "kept: the client refuses a value for it with ValueError before sending",
                )
            schema = p.get("schema")
            if location == "header":
                self._warn_unsendable_values(ptr, name, self._deref(schema))
            content_type = None
            chosen = (
                parameter_media(p["content"])
                if schema is None and isinstance(p.get("content"), JSON_OBJECT)
                else None
            )
            if chosen is not None:
                content_type, media = chosen
                schema = media.get("schema") if isinstance(media, JSON_OBJECT) else None
                schema = {} if schema is None else schema  # `content` without a schema: any value
            ptype = self.schemas.convert(
                schema if schema is not None else {"type": "string"},
                f"{ptr}/schema",
                [*hint, name],
                module,
            )
            if (
                content_type is not None
                and not is_json_media(content_type)
                and (_structured(self._deref(schema)) or _untyped(self._deref(schema)))
            ):
                # data in XML, YAML...: the runtime encodes parameters only as JSON or text, so
                # the caller passes the encoded value (as for such bodies and parts, §33, §36).
                # So with no schema (a 3.1 document's `itemSchema`, OpenAPI 3.2's, is no schema
                # there): the value is the media type's text, never a form-exploded object.
                ptype = Prim("str")
            # `content` and `style`/`explode`/`allowReserved` exclude each other; and
            # `allowReserved` applies to query parameters only.
            explode = p.get("explode") if content_type is None else None
            style = p.get("style") if content_type is None else None
            result.append(
                ParamDef(
                    py_name=naming.param_name(name),
                    wire_name=name,
                    location=location,  # type: ignore[arg-type]
                    type=ptype,
                    required=p.get("required") is True or location == "path",
                    doc=deprecated_doc(
                        str(p.get("description") or "").strip(), _deprecated(p, self._deref(schema))
                    ),
                    style=style if isinstance(style, str) else None,
                    explode=explode if isinstance(explode, bool) else None,
                    allow_reserved=location == "query"
                    and content_type is None
                    and p.get("allowReserved") is True,
                    multi_segment=location == "path"
                    and content_type is None
                    and p.get("x-multi-segment") is True,
                    example=example_value(schema, self._deref, p),
                    content_type=content_type,
                    default=_bool_default(self._deref(schema)),
                )
            )
            _constant(result[-1], self._deref(schema))
        spans = spanning(op.path, {d.wire_name for d in result if d.multi_segment})
        for d in result:  # one spanning value a template, filling its segment alone
            if d.multi_segment and d.wire_name != spans:
                d.multi_segment = False
        return _apply_key(
            op, self._template_params(op, result), self._warn_key, self.schemas.definitions
        )

    def _template_params(self, op: OperationDef, params: list[ParamDef]) -> list[ParamDef]:
        """Path parameters as the path template has them: a placeholder no parameter declares
        (`/items/{id}` without `id`) is a required string, so the method can fill it (the
        client sent `/items/%7Bid%7D`); a declared one the template lacks has nowhere to go and
        is left out. Both with a warning (the validator names them too)."""
        key = split_key(op.path)
        holes = placeholders(op.path)
        declared = {p.wire_name for p in params if p.location == "path"}
        kept = [p for p in params if p.location != "path" or p.wire_name in holes]
        for p in params:
            if p not in kept:
                self.schemas.warn(
                    op.pointer,
                    f"path parameter {p.wire_name!r} has no placeholder in {key.wire!r}",
                    "path-parameter",
                    "parameter left out",
                )
        for name in (h for h in holes if h not in declared):
            self.schemas.warn(
                op.pointer,
                f"the placeholder {{{name}}} of {key.wire!r} is declared by no path parameter",
                "path-parameter",
                "taken as a required string argument",
            )
            doc = "Not declared by the spec: the text of the path's placeholder."
            kept.append(ParamDef(naming.param_name(name), name, "path", Prim("str"), True, doc))
        return kept

    def _body(
        self, op: OperationDef, node: Mapping[str, Any], hint: list[str], module: str
    ) -> tuple[list[ParamDef], BodyDef | None]:
        raw = node.get("requestBody")
        if raw is None:
            return [], None
        body = deref(self.document, raw)
        content = body.get("content") if isinstance(body, JSON_OBJECT) else None
        if not isinstance(content, JSON_OBJECT) or not content:
            return [], None
        media_type = _pick_media(list(content))
        if _takes_files_as_form(self.document, content, media_type):
            # a JSON (or form) body whose schema holds a file, where multipart is offered too:
            # the file goes as a part (OpenAI's `CreateSkill`, multipart listed first, failed
            # every call: non-UTF-8 bytes refused, UTF-8 ones sent as a JSON string)
            media_type = next(m for m in content if _media_key(m) == "multipart/form-data")
        media = content[media_type] if isinstance(content[media_type], JSON_OBJECT) else {}
        others = [m for m in content if m != media_type]
        if others:
            op.notes.append(
                f"request body sent as {media_type}; the spec also allows {', '.join(others)}"
            )
        required = body.get("required") is True
        encoding: dict[str, tuple[str | None, bool | None, str | None]] = {}
        multipart = media_type.split(";")[0].strip().lower() == "multipart/form-data"
        for prop, enc in as_object(media.get("encoding")).items():
            if isinstance(enc, JSON_OBJECT):
                style = enc.get("style") if isinstance(enc.get("style"), str) else None
                explode = enc.get("explode") if isinstance(enc.get("explode"), bool) else None
                ctype = enc.get("contentType") if isinstance(enc.get("contentType"), str) else None
                if multipart and style != "deepObject" and "x-collectionFormat" not in enc:
                    # OpenAPI 3.0: `style` applies to urlencoded forms only; a multipart array
                    # is one part per item. Swagger 2.0's `collectionFormat` (csv, ssv, pipes:
                    # one part of joined items) is kept (`x-collectionFormat`, swagger2.py)
                    style = explode = None
                encoding[str(prop)] = (style, explode, ctype)
        bdef = BodyDef(media_type=media_type, required=required, encoding=encoding)
        ptr = f"{op.pointer}/requestBody/content/{escape(media_type)}/schema"
        schema = media.get("schema")
        is_file_media = not (_JSON.match(media_type) or "form" in media_type)
        if is_file_media and (schema is None or _is_binary(schema)):
            doc = "The request body."
            if others:  # the runtime sends a file tuple's own type (`image/jpeg` beside png)
                doc = (
                    f"The request body, sent as {media_type}; pass `(filename, content, "
                    f"content_type)` to send another type the operation takes: "
                    f"{', '.join(others)}."
                )
            return [ParamDef("body", "body", "body", Prim("file"), required, doc)], bdef
        if schema is None:
            return [ParamDef("body", "body", "body", ANY, required, "The request body.")], bdef
        resolved = deref(self.document, schema)
        merged = (
            self.schemas.merge_all_of(resolved, ptr) if isinstance(resolved, JSON_OBJECT) else None
        )
        props = merged.get("properties") if merged else None
        if merged is not None and _holds_nothing(merged):
            # an empty, closed object (Stripe declares one on every GET and DELETE): no
            # parameter that cannot carry anything
            return [], (bdef if required else None)
        if is_file_media and _structured(merged if merged is not None else resolved):
            # XML, YAML, CSV...: the runtime encodes data only as JSON, a form or multipart, so
            # the caller passes the encoded document (fields sent as JSON under another
            # Content-Type would be a wrong body)
            return [
                ParamDef(
                    "body",
                    "body",
                    "body",
                    union_of([Prim("str"), Prim("file")]),
                    required,
                    f"The request body: the {media_type.split(';')[0].strip()} document as text, "
                    "bytes, a path or a binary file (apigen does not encode data in this media "
                    "type).",
                )
            ], bdef
        if (
            isinstance(props, JSON_OBJECT)
            and props
            and not merged.get("oneOf")  # type: ignore[union-attr]
            and not merged.get("anyOf")  # type: ignore[union-attr]
        ):
            # An optional body may be left out whole: then no field is required, even those
            # its schema requires once a body is sent (the runtime sends no body when none is
            # given).
            needed = required_names(merged.get("required"))  # type: ignore[union-attr]
            req = set(needed) if required else set()
            tag = _own_tag(schema, merged)  # (discriminator property, the body schema's value)
            if isinstance(schema, JSON_OBJECT) and isinstance(schema.get("$ref"), str):
                self.flattened.add(schema["$ref"])
            fields: list[ParamDef] = []
            multipart = "multipart" in media_type
            urlencoded = media_type.split(";")[0].strip().lower() == _FORM_MEDIA
            for wire, prop in props.items():
                if self.schemas.read_only(prop):  # the rule of FieldDef.read_only
                    continue
                foreign: str | None = None
                prop_r = deref(self.document, prop)
                own = encoding.get(str(wire)) or (None, None, None)
                if urlencoded and own[:2] == (None, None) and repeats_keys(prop_r, self._deref):
                    # `ids=1&ids=2` (form_fields), also where the entry names only a
                    # `contentType` or `headers`: its style and explode default as none do
                    encoding[str(wire)] = (*REPEATED_KEYS, own[2])
                pptr = f"{ptr}/properties/{escape(str(wire))}"
                declared = _content_media_type(prop_r, self.document) if multipart else None
                if declared is not None:
                    # the string is the document itself: sent as written, never encoded again
                    # as JSON when the part's type is JSON (runtime `Body.texts`)
                    bdef.texts.add(str(wire))
                if declared is not None and not (encoding.get(str(wire)) or (None,) * 3)[2]:
                    # 3.1's `contentMediaType` names the part's type when no `encoding` does
                    # (`application/pdf` went out as `application/octet-stream`)
                    style, explode, _ = encoding.get(str(wire)) or (None, None, None)
                    encoding[str(wire)] = (style, explode, declared)
                # (`format: byte` is base64 text, a text part: not a file, as in JSON)
                if multipart and _is_octets(prop_r):
                    ptype: TypeExpr = Prim("file")
                elif (
                    multipart
                    and isinstance(prop_r, JSON_OBJECT)
                    and prop_r.get("type") == "array"
                    and _is_octets(self._deref(prop_r.get("items")))
                ):
                    ptype = ListOf(Prim("file"))
                elif multipart and (
                    foreign := _foreign_part(prop_r, encoding.get(str(wire)), self.document)
                ):
                    # an object part the spec wants as XML, YAML...: the runtime writes data
                    # only as JSON, so the caller passes the encoded part (decisions.md §36)
                    ptype = union_of([Prim("str"), Prim("file")])
                    ptype = ListOf(ptype) if foreign == "array" else ptype
                else:
                    ptype = self.schemas.convert(prop, pptr, [*hint, "Params", str(wire)], module)
                doc = schema_doc(prop_r)
                if multipart and foreign:
                    media = (encoding[str(wire)][2] or "").split(";")[0].strip()
                    doc = f"{doc} (the {media} part as text or bytes)".lstrip()
                fields.append(
                    ParamDef(
                        py_name=naming.param_name(str(wire)),
                        wire_name=str(wire),
                        location="field",
                        type=ptype,
                        required=str(wire) in req,
                        doc=doc,
                        example=(
                            tag[1]
                            if tag is not None and tag[0] == str(wire)
                            else example_value(prop_r, self._deref)
                        ),
                        default=_bool_default(prop_r),
                    )
                )
            if not required and op.method != "patch":
                # sent whole or not at all: the runtime checks what it needs. Not a PATCH's: a
                # partial update is what PATCH is for, and specs reuse the create schema there
                # (Zoom's `PATCH /sip_phones/{id}` would need 11 fields; a review)
                sent = {f.wire_name for f in fields}
                bdef.needs = tuple(dict.fromkeys(n for n in needed if n in sent))
            return fields, bdef
        btype = self.schemas.convert(schema, ptr, [*hint, "Body"], module)
        return [
            ParamDef(
                "body",
                "body",
                "body",
                btype,
                required,
                schema_doc(resolved) or "The request body.",
                example=example_value(schema, self._deref),  # a scalar body (an email...)
            )
        ], bdef

    def _responses(
        self,
        op: OperationDef,
        node: Mapping[str, Any],
        hint: list[str],
        module: str,
        streams: list[ResponseDef] | None = None,
    ) -> list[ResponseDef]:
        """The operation's responses. With `streams` (the call has a boolean `stream`
        argument), a success offered both as a stream and as something else is the latter here,
        its stream appended to `streams`."""
        result: list[ResponseDef] = []
        accepted: list[str] = []  # the JSON media types of the successes parsed as JSON
        responses = node.get("responses") or {}
        if not isinstance(responses, JSON_OBJECT):
            return result
        for status, raw in responses.items():
            status = str(status)
            resp = deref(self.document, raw)
            content = resp.get("content") if isinstance(resp, JSON_OBJECT) else None
            success = status.startswith("2")
            if op.method == "head" and isinstance(content, JSON_OBJECT) and content:
                # an answer to HEAD has no content (RFC 9110 §9.3.2), whatever the spec copied
                # from its GET: typed `-> JsonHeadResponse`, the call returned None
                content = None
            if isinstance(content, JSON_OBJECT) and content and status in _BODILESS:
                # RFC 9110: a 204, 205 or 304 has no content, whatever the spec documents (the
                # runtime returns None for one): typed so, with a word
                self.schemas.warn(
                    f"{op.pointer}/responses/{escape(status)}/content",
                    f"a {status} response has no content (RFC 9110), but the spec documents some",
                    "responses",
                    "typed as no content (None)",
                )
                content = None
            if not isinstance(content, JSON_OBJECT) or not content:
                result.append(ResponseDef(status, "empty", NONE))
                continue
            media_types = list(content)
            streamed = [m for m in media_types if is_event_stream(m) or is_json_lines(m)]
            # `application/stream+json` reads as JSON but is JSON lines (spec/streams.py)
            json_media = next(
                (m for m in media_types if _JSON.match(m) and not is_json_lines(m)), None
            )
            if streamed and success:
                # events before JSON lines; the stream is the answer unless a `stream` switch
                # asks for it (the other representation is then the default) or, for JSON
                # lines, plain JSON is offered beside them
                first = next((m for m in streamed if is_event_stream(m)), streamed[0])
                others = [m for m in media_types if m not in streamed]
                switched = streams is not None and bool(others)
                if (
                    not switched
                    and others
                    and json_media is None
                    and is_event_stream(first)
                    and not any(_is_text(m) for m in others)
                ):
                    # an event stream beside octets, with no `stream` flag: asked for as the
                    # octets and read as them, which hold an event stream's text too (OpenAI's
                    # `/audio/speech`, audio unless `stream_format: sse`, was typed a stream
                    # and its default answer failed, helper 221; openai-python: binary, asked
                    # for as `application/octet-stream`)
                    media_types = others
                    if success:
                        accepted.extend(others)
                elif switched or is_event_stream(first) or json_media is None:
                    stream = self._stream(op, status, _media(content, first), first, hint, module)
                    if not switched:
                        result.append(stream)
                        continue
                    assert streams is not None
                    streams.append(stream)
                    media_types = others
            kind: ResponseKind
            if json_media is not None:
                if success:
                    accepted.append(json_media)
                media = content[json_media] if isinstance(content[json_media], JSON_OBJECT) else {}
                schema = media.get("schema")
                if schema is None:
                    if success:
                        op.notes.append(f"response {status} has no schema: typed as Any")
                    result.append(ResponseDef(status, "json", ANY))
                    continue
                name = (
                    ["Response"]
                    if success
                    else ["Response", status if status != "default" else "default"]
                )
                star = _star_kind(self._deref(schema)) if json_media.strip() == "*/*" else None
                if star is not None:
                    # any media type, a string: text (Kubernetes' `proxy`, `exec`; a Spring
                    # method returning `String`, answered as text/plain) or octets, asked for
                    # as `*/*`; read as JSON, such an answer failed ("Expected a JSON body")
                    if success:
                        accepted.pop()
                    result.append(
                        ResponseDef(status, star, Prim("str") if star == "text" else Prim("bytes"))
                    )
                    continue
                ptr = f"{op.pointer}/responses/{escape(status)}/content/{escape(json_media)}/schema"
                rtype = self.schemas.convert(schema, ptr, [*hint, *name], module)
                result.append(ResponseDef(status, "json", rtype))
                continue
            # a file (`format: binary`, Swagger's `type: file`) is octets whatever text type
            # sits beside it (`produces: [application/octet-stream, text/plain]` returned a
            # gzip download decoded as text)
            octets = any(
                _is_file(self._deref(_media(content, m).get("schema"))) for m in media_types
            )
            text = not octets and any(_is_text(m) for m in media_types)
            kind = "text" if text else "binary"
            result.append(
                ResponseDef(status, kind, Prim("str") if kind == "text" else Prim("bytes"))
            )
        if (
            op.method != "head"
            and not any(r.status.startswith("2") for r in result)
            and any(r.status.upper() in _REDIRECTS for r in result)
            # (a `default` with content is the success then, as before: a regression sweep)
            and not any(r.status == "default" and r.kind != "empty" for r in result)
        ):
            # only a redirect documented (GitHub's archive, log and artifact downloads: a 302
            # to storage): the client follows it and returns what the target sends, as octets;
            # it was typed `-> None` and returned bytes (helper 211)
            result.append(ResponseDef("2XX", "binary", Prim("bytes")))
            op.notes.append("only a redirect documented: returns the body it leads to, as bytes")
        op.accept = accept_header(accepted)
        return result

    def _stream(
        self,
        op: OperationDef,
        status: str,
        media: Any,
        media_type: str,
        hint: list[str],
        module: str,
    ) -> ResponseDef:
        """A stream of records, typed by one record. `text/event-stream`: each event's `data`
        parsed as the schema (raw events without one, or for a string schema: the data is text,
        and the sandbox sends it as it is). JSON lines (`application/x-ndjson`, `json-seq`...):
        each record parsed as `itemSchema`, else `schema` (untyped without either)."""
        lines = is_json_lines(media_type)
        schema = record_schema(media) if lines else media.get("schema")
        if schema is None and lines:
            return ResponseDef(status, "jsonl", ANY)
        resolved = deref(self.document, schema) if schema is not None else None
        if not lines and events_are_text(schema, resolved):
            return ResponseDef(status, "sse", Prim("ServerSentEvent"))
        keyword = "itemSchema" if lines and "itemSchema" in media else "schema"
        ptr = f"{op.pointer}/responses/{escape(status)}/content/{escape(media_type)}/{keyword}"
        name = "Item" if lines else "Event"
        return ResponseDef(
            status,
            "jsonl" if lines else "sse",
            self.schemas.convert(schema, ptr, [*hint, name], module),
        )


# A header parameter (or JSON body property) named like ``Idempotency-Key`` (any case; ``X-``
# prefix, ``_`` allowed): the API honours idempotency keys there, so the runtime may resend a
# keyed POST/PATCH (the contract's wire check reads generated body keys by it too).
IDEMPOTENCY_NAME = re.compile(r"(?:x-)?idempotency[-_]?key", re.IGNORECASE).fullmatch
#: the shape of the key the runtime makes for a call that gives none (``uuid.uuid4()``)
_GENERATED_KEY = "6f1c0a52-3a9b-4c1e-9d2f-8b7e5a4c3d21"
#: formats a UUID does not satisfy (`format: uuid`, no format or one of the API's own do)
_NOT_A_UUID_FORMAT = frozenset(
    {
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "int32",
        "int64",
        "float",
        "double",
        "byte",
        "binary",
        "number",
        "integer",
    }
)


def takes_generated_key(schema: object) -> bool:
    """Whether a key the runtime makes (a UUID, 36 characters) is a value `schema` (resolved)
    admits: a string with room for it, no pattern, enum or format that refuses it. When not
    (Twilio-like `maxLength: 16`, `pattern: ^[A-Z]+$`), a call left without a key would send
    an invalid one: the key stays an argument of the method and none is made up."""
    if not isinstance(schema, JSON_OBJECT):
        return True
    kind = schema.get("type")
    if kind is not None and kind != "string" and not (isinstance(kind, list) and "string" in kind):
        return False
    size = len(_GENERATED_KEY)
    low, high = schema.get("minLength"), schema.get("maxLength")
    if (isinstance(low, int) and low > size) or (isinstance(high, int) and high < size):
        return False
    if "enum" in schema or "const" in schema or schema.get("format") in _NOT_A_UUID_FORMAT:
        return False
    pattern = schema.get("pattern")
    return not (isinstance(pattern, str) and finds(pattern, _GENERATED_KEY) is False)


# methods the runtime sends no generated idempotency key with (runtime `_SAFE_METHODS`)
_SAFE_METHODS = frozenset({"get", "head", "options", "trace", "query"})


def _without_idempotency_param(op: OperationDef) -> list[ParamDef]:
    """The operation's parameters less its idempotency-key header: every method's
    `idempotency_key=` option sends that header (and the runtime a generated key when it is
    left out), so a second keyword for it (`idempotency_key_`) would only be a second way to
    say the same. Kept when required on a safe method: nothing would send it there."""
    return [
        p
        for p in op.params
        if not (
            p.location == "header"
            and p.wire_name == op.idempotency_header
            and not (p.required and op.method in _SAFE_METHODS)
        )
    ]


def accept_header(media_types: list[str]) -> str | None:
    """The `Accept` a call sends for JSON successes declared as `media_types`: None (the
    runtime's `application/json`) when each is plain JSON (`application/json`, with a charset
    at most, or `*/*`), else each type once, as the spec spells it (`application/hal+json`,
    `application/json; version=2`)."""
    kept: list[str] = []
    for media in media_types:
        base, _, params = media.partition(";")
        base = base.strip().lower()
        plain = base in ("application/json", "*/*") and (
            not params.strip() or params.strip().lower().startswith("charset=")
        )
        text = "application/json" if plain else " ".join(media.split())
        if not (text.isascii() and text.isprintable()):
            continue  # no header value: the runtime's `application/json` stands
        if text not in kept:
            kept.append(text)
    return None if kept in ([], ["application/json"]) else ", ".join(kept)


def _star_kind(schema: Any) -> ResponseKind | None:
    """How `*/*` content of `schema` is read: a plain string schema's as text (octets for
    `format: binary`, 3.1's `contentMediaType`); a string with a `format` or values (a Spring
    method returning a UUID or an enum answers JSON: `"SHIPPED"`), and anything else, by the
    JSON path. (Text answered as JSON is decoded: the runtime's `text` kind.)"""
    if not isinstance(schema, JSON_OBJECT):
        return None
    if _is_octets(schema):
        # `contentMediaType: text/html` names text (`_is_file`), which came back as bytes
        return "binary" if _is_file(schema) else "text"
    if schema.get("type") == "string" and not {"format", "enum", "const"} & set(schema):
        return "text"
    return None


def _media_key(media: str) -> str:
    return media.lower().split(";")[0].strip()


def _takes_files_as_form(
    document: Mapping[str, Any], content: Mapping[str, Any], pick: str
) -> bool:
    """Whether `pick`, a JSON or urlencoded body, holds a file where the operation offers
    multipart too (a JSON string cannot carry a file's octets)."""
    if _media_key(pick) == "multipart/form-data" or not any(
        _media_key(m) == "multipart/form-data" for m in content
    ):
        return False
    media = content.get(pick)
    return isinstance(media, JSON_OBJECT) and _holds_file(document, media.get("schema"), 0)


def _holds_file(document: Mapping[str, Any], schema: Any, depth: int) -> bool:
    """A binary string (`format: binary`, 3.1's `contentMediaType`; not base64 `byte`) in
    `schema`, its properties, items or composition members (bounded depth, refs followed)."""
    schema = deref(document, schema)
    if not isinstance(schema, JSON_OBJECT) or depth > 4:
        return False
    if _is_octets(schema):
        return True
    parts: list[Any] = [schema.get("items")]
    for key in ("allOf", "oneOf", "anyOf"):
        members = schema.get(key)
        parts += members if isinstance(members, list) else []
    props = schema.get("properties")
    parts += list(props.values()) if isinstance(props, JSON_OBJECT) else []
    return any(_holds_file(document, part, depth + 1) for part in parts if part is not None)


def _pick_media(media_types: list[str]) -> str:
    lowered = {_media_key(m): m for m in media_types}
    for preferred in _BODY_PREFERENCE:
        if preferred in lowered:
            return lowered[preferred]
    for m in media_types:
        if _JSON.match(m):
            return m
    return media_types[0]


def _is_text(media: str) -> bool:
    m = media.lower()
    return m.startswith("text/") or "xml" in m or "csv" in m or "yaml" in m or "html" in m


def _is_binary(schema: Any) -> bool:
    """Octets: 3.0's `format: binary` (or `byte`), or 3.1's `contentMediaType` on a string
    (or an untyped schema) that no `contentEncoding` turns into text."""
    if not isinstance(schema, JSON_OBJECT):
        return False
    kind = schema.get("type")
    if kind == "string" and schema.get("format") in ("binary", "byte"):
        return True
    return (
        kind in ("string", None)
        and isinstance(schema.get("contentMediaType"), str)
        and "contentEncoding" not in schema
    )


def _is_octets(schema: Any) -> bool:
    """Raw octets: binary, not `format: byte` (base64 text)."""
    return _is_binary(schema) and schema.get("format") != "byte"


def _is_file(schema: Any) -> bool:
    """Octets whatever media type carries them: `format: binary` (Swagger's `type: file`), or
    3.1's `contentMediaType` naming no text type (`text/html` there is text, a review found)."""
    if not _is_octets(schema):
        return False
    declared = schema.get("contentMediaType")
    return schema.get("format") == "binary" or not (
        isinstance(declared, str) and _is_text(declared)
    )


def _structured(schema: Any) -> bool:
    """An object, array or composition: data with no text spelling of its own (a string or a
    number body is sent as its text)."""
    if not isinstance(schema, JSON_OBJECT):
        return False
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    return bool(kinds & {"object", "array"}) or any(
        schema.get(k) for k in ("properties", "items", "oneOf", "anyOf", "additionalProperties")
    )


def _untyped(schema: Any) -> bool:
    """A schema that admits any value (`{}`, `true`, or annotations only)."""
    if schema is True:
        return True
    return isinstance(schema, JSON_OBJECT) and not any(k in schema for k in _TYPING)


_TYPING = ("type", "enum", "const", "allOf", "oneOf", "anyOf", "not", "$ref", "format")


def _content_media_type(schema: Any, document: Any) -> str | None:
    """The `contentMediaType` of a multipart property (or of its array's items): the type of
    its part, when the encoding names none."""
    if not isinstance(schema, JSON_OBJECT):
        return None
    if schema.get("type") == "array":
        schema = deref(document, schema.get("items"))
        if not isinstance(schema, JSON_OBJECT):
            return None
    media = schema.get("contentMediaType")
    return media.strip() if isinstance(media, str) and media.strip().isprintable() else None


def _foreign_part(
    schema: Any, encoding: tuple[str | None, bool | None, str | None] | None, document: Any
) -> str | None:
    """ "object" ("array": one part per item) when a multipart field holds objects whose part
    the spec declares in a media type other than JSON (`contentType: application/xml`)."""
    media = encoding[2] if encoding is not None else None
    # (`contentType` may list types, or ranges: any JSON one, or a range taking JSON, will do)
    ranges = [r.strip() for r in (media or "").split(",") if r.strip()]
    takes_json = any(
        _JSON.match(r) or r.split(";")[0].strip().lower() == "application/*" for r in ranges
    )
    if not ranges or takes_json or not isinstance(schema, JSON_OBJECT):
        return None
    if schema.get("type") == "array":  # one part per item: the items' kind decides
        return "array" if _structured(deref(document, schema.get("items"))) else None
    return "object" if _structured(schema) else None


def _holds_nothing(schema: Mapping[str, Any]) -> bool:
    """An object schema with no properties that allows no others (and no composition)."""
    return (
        schema.get("type") in ("object", None)
        and not schema.get("properties")
        and schema.get("additionalProperties") is False
        and not schema.get("patternProperties")
        and not any(schema.get(k) for k in ("oneOf", "anyOf", "allOf", "items", "enum"))
    )


def _apply_key(
    op: OperationDef,
    params: list[ParamDef],
    warn: Callable[[OperationDef, str, str], None],
    definitions: Mapping[str, Any],
) -> list[ParamDef]:
    """The query and fragment of a path key as parameters (decisions.md 27).

    `?name={param}`: the declared parameter `param` goes in the query as `name`, whatever its
    `in:` says; `?name=value`: the declared query parameter `name` is that constant (as its type
    reads it: `?n=5` of an integer `n` is `5`; a value its schema does not admit, the key's
    own literal, warned), else one is added; a name repeated keeps its first value.
    `#name=value` sets the constant of a declared query, header or cookie parameter `name`;
    with no such parameter nothing is sent (a fragment never is)."""
    key = split_key(op.path)
    if key.plain:
        return params
    for name, target in key.bound:
        p = next((p for p in params if p.wire_name == target), None)
        if p is None:
            p = ParamDef(naming.param_name(target), target, "query", Prim("str"), True)
            params.append(p)
        p.location, p.wire_name, p.required = "query", name, True
        p.style = p.explode = None  # the query's own `form` style
    constants: set[str] = set()
    for name, value in key.constants:
        if name in constants:  # `?x=1&x=2`: one keyword holds one value
            warn(op, f"the path key repeats the query constant {name!r}", "only its first is sent")
            continue
        constants.add(name)
        p = next((p for p in params if p.location == "query" and p.wire_name == name), None)
        if p is None:
            ptype = LiteralOf((value,), None)
            p = ParamDef(naming.param_name(name), name, "query", ptype, True, example=value)
            params.append(p)
        const = _as_declared(p.type, value, definitions)
        if const is None and _spelled_as_declared(p.type, value, definitions):
            p.type, const = LiteralOf((value,), None), value
        elif const is None:  # `?comp=block` beside a declared `enum: [list]`: the key names it
            warn(
                op,
                f"the path key's query constant {name}={value} is not a value of the declared "
                "parameter",
                "typed and sent as the key has it",
            )
            p.type, const = LiteralOf((value,), None), value
        p.required, p.has_const, p.const = True, True, const
    for name, value in key.fragment_pairs:
        p = next((p for p in params if _carries(p, name)), None)
        if p is None:
            op.notes.append(f"the path key's fragment pair {name}={value} is not sent")
        elif not p.has_const and _admits(p.type, value):
            p.required, p.has_const, p.const = True, True, value
    return params


def _constant(p: ParamDef, schema: Any) -> None:
    """A required query/header/cookie parameter whose schema allows one scalar value."""
    if not p.required or p.location not in ("query", "header", "cookie"):
        return
    if not isinstance(schema, JSON_OBJECT) or schema.get("nullable") is True:
        return
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if not isinstance(values, list) or not all(isinstance(v, str | int | bool) for v in values):
        return
    if values and len({(type(v), v) for v in values}) == 1:
        # (`enum: [a, a]` is `[a]`: the review of the enum dedup found it required, no default)
        p.has_const, p.const = True, values[0]


def _carries(p: ParamDef, name: str) -> bool:
    if p.location == "header":
        return p.wire_name.lower() == name.lower()
    return p.location in ("query", "cookie") and p.wire_name == name


def _declared(t: TypeExpr, definitions: Mapping[str, Any], depth: int = 0) -> list[TypeExpr]:
    """The members `t` admits, aliases (`$ref` to an enum or a string schema) read through."""
    if depth > 16:
        return []
    if isinstance(t, Nullable):
        return _declared(t.inner, definitions, depth + 1)
    if isinstance(t, UnionOf):
        return [m for item in t.items for m in _declared(item, definitions, depth + 1)]
    if isinstance(t, Ref):
        d = definitions.get(t.key)
        return _declared(d.target, definitions, depth + 1) if isinstance(d, AliasDef) else []
    return [t]


def _as_declared(
    t: TypeExpr, text: str, definitions: Mapping[str, Any]
) -> str | int | float | bool | None:
    """A path key's query text as a value of the parameter's type, spelled as the key spells
    it (None: it is none): `5` of an integer is `5`, `true` of a boolean `True`."""
    for member in _declared(t, definitions):
        if isinstance(member, LiteralOf):
            for v in member.values:
                if v == text or (not isinstance(v, str) and str(v).lower() == text):
                    return v
        elif member in (Prim("str"), Prim("Any")):
            return text
        elif member in (Prim("int"), Prim("float")) and re.fullmatch(r"-?\d+", text):
            if str(int(text)) == text:  # (`05` is sent as written: below)
                return int(text)
        elif member == Prim("float") and _number(text) is not None:
            if repr(_number(text)) == text:
                return _number(text)
        elif member == Prim("bool") and text in ("true", "false"):
            return text == "true"
    return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_PARSERS: dict[str, Callable[[str], object]] = {
    "int": int,
    "float": float,
    "date": datetime.date.fromisoformat,
    "datetime": datetime.datetime.fromisoformat,
    "UUID": uuid.UUID,
}


def _spelled_as_declared(t: TypeExpr, text: str, definitions: Mapping[str, Any]) -> bool:
    """Whether `text` is a value of the parameter's type that no literal of the generated
    signature spells as the key does (`05` of an integer, a date, a UUID): typed as the key's
    text, without a warning."""
    for member in _declared(t, definitions):
        parse = _PARSERS.get(member.name) if isinstance(member, Prim) else None
        if parse is not None:
            try:
                parse(text)
            except ValueError:
                continue
            return True
    return False


def _admits(t: TypeExpr, value: str) -> bool:
    """Can a fragment's text be this parameter's value (a string, or a string literal)?"""
    if isinstance(t, LiteralOf):
        return value in t.values
    return t == Prim("str")


def _disambiguate(params: list[ParamDef], fields: list[ParamDef]) -> list[ParamDef]:
    """Keyword names unique across locations; later locations take a location qualifier. Path
    parameters (the positional ones) claim their names first, then names spelled as the API
    spells them: the query's `a_b` stays `a_b` beside a header `a b` (sanitised to `a_b` too),
    which takes the qualifier."""
    ordered = [*params, *fields]
    taken: set[str] = set()
    exact: set[int] = set()
    for p in [
        *(p for p in ordered if p.location == "path"),
        *(p for p in ordered if p.location != "path" and p.py_name == p.wire_name),
    ]:
        if p.py_name not in taken:
            taken.add(p.py_name)
            exact.add(id(p))
    out: list[ParamDef] = []
    for p in ordered:
        name = p.py_name
        if id(p) in exact:
            out.append(p)
            continue
        if name in taken:
            qualifier = "body" if p.location in ("field", "body") else p.location
            name = f"{qualifier}_{name}"
            if name in taken:
                name = naming.param_name(naming.spelled(p.wire_name)) + f"_{qualifier}"
            while name in taken:
                name += "_"
            p.py_name = name
        taken.add(name)
        out.append(p)
    return out


def _own_tag(schema: Any, merged: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """(discriminator property, this schema's value) when a body schema named in components
    carries (or inherits through `allOf`) a discriminator: its mapping's key for the schema,
    else the schema's name (OpenAPI's implicit mapping). A drawn `"string"` there names no
    schema, and the API refuses the body."""
    ref = schema.get("$ref") if isinstance(schema, JSON_OBJECT) else None
    found = merged.get("discriminator") if merged is not None else None
    if not isinstance(ref, str) or not ref.startswith(COMPONENT_PREFIX):
        return None
    if not isinstance(found, JSON_OBJECT) or not isinstance(found.get("propertyName"), str):
        return None
    name = unescape(ref.removeprefix(COMPONENT_PREFIX))
    mapping = found.get("mapping")
    for value, target in mapping.items() if isinstance(mapping, JSON_OBJECT) else ():
        if target in (ref, name):
            return found["propertyName"], str(value)
    return found["propertyName"], name


def _media(content: Mapping[str, Any], media_type: str) -> Mapping[str, Any]:
    """The Media Type Object of `media_type` (an empty one when it is not an object)."""
    media = content[media_type]
    return media if isinstance(media, JSON_OBJECT) else {}


def _stream_flag(params: list[ParamDef]) -> ParamDef | None:
    """The call's boolean `stream` argument (a body field or a query parameter: OpenAI's
    `stream: true` switches a completion to server-sent events), if any."""
    for p in params:
        kind = p.type.inner if isinstance(p.type, Nullable) else p.type
        if (
            p.wire_name.lower() == "stream"
            and p.location in ("field", "query")
            and kind == Prim("bool")
        ):
            return p
    return None


def _deprecated(param: Mapping[str, Any], schema: Any) -> bool:
    """Whether a parameter is deprecated: itself, or (as a 3.1 document may say) its schema."""
    return param.get("deprecated") is True or (
        isinstance(schema, JSON_OBJECT) and schema.get("deprecated") is True
    )


def _bool_default(schema: Any) -> bool | None:
    default = schema.get("default") if isinstance(schema, JSON_OBJECT) else None
    return default if isinstance(default, bool) else None


def _returns(responses: list[ResponseDef]) -> TypeExpr:
    success = [r for r in responses if r.status.startswith("2")]
    if not success:
        success = [r for r in responses if r.status == "default"]
    if not success:
        return ANY if not responses else NONE
    members: list[TypeExpr] = []
    nullable = False
    for r in success:
        if r.kind == "empty":
            nullable = True
            continue
        t = r.type
        if isinstance(t, Nullable):
            nullable = True
            t = t.inner
        if t not in members:
            members.append(t)
    if ANY in members:
        return ANY
    if not members:
        return NONE
    result = union_of(members)
    return Nullable(result) if nullable and not isinstance(result, Nullable) else result
