"""Turn an ``Operation`` plus argument values into a ``Prepared`` request (pure, no I/O)."""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any, cast
from urllib.parse import quote

import httpx

from ._body import StreamBody, encode_body, is_json
from ._operation import Operation
from ._params import (
    AsSent,
    encode_cookie,
    encode_header,
    encode_path,
    encode_query,
    jsonable,
    quote_name,
    quoter,
    scalar,
)
from ._plan import plan
from ._record import Struct
from ._types import NOT_GIVEN, NotGiven, Omit, RequestOptions, omit

__all__ = ["IDEMPOTENCY_EXTENSION", "Prepared", "prepare"]

BuildRequest = Callable[..., httpx.Request]
# ``httpx.Request.extensions`` key naming the idempotency-key header the API honours (set only
# when the request carries one): retries read it to know that a resend cannot repeat an effect.
IDEMPOTENCY_EXTENSION = "apigen_idempotency_header"
# ... and the JSON body property holding one (the operation's ``idempotency_field``, set only
# when the body carries a key).
# on a request the driver sends without the http client's own ``auth=`` (a hop to another origin)
ANONYMOUS_EXTENSION = "apigen_anonymous"
IDEMPOTENCY_FIELD_EXTENSION = "apigen_idempotency_field"
# Methods that never get an automatic idempotency key (they change nothing).
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "QUERY"})


class Prepared(Struct):
    """A fully encoded request that auth may still amend; rebuilt into a fresh
    ``httpx.Request`` for every attempt. ``content`` as a ``StreamBody`` is read while sending
    (uploads); ``idempotency_header`` (``idempotency_field``) is set when the request carries
    an honoured key in that header (body property); ``retry_count_header`` tells the server the
    retry number; ``omitted`` names (lower case) the headers the caller dropped with ``omit``
    (``extra_headers``): nothing added later (auth, a key, the retry count) sends them.
    ``jar`` False: without the cookies the connection pool's jar adds (a redirect to another
    origin: the jar scopes cookies by host, not by port or scheme)."""

    __match_args__ = (
        "method",
        "url",
        "query",
        "headers",
        "cookies",
        "content",
        "idempotency_header",
        "retry_count_header",
        "idempotency_field",
        "omitted",
        "jar",
        "foreign",
    )

    def __init__(
        self,
        method: str,
        url: str,
        query: list[str] | None = None,
        headers: httpx.Headers | None = None,
        cookies: list[str] | None = None,
        content: bytes | StreamBody | None = None,
        idempotency_header: str | None = None,
        retry_count_header: str | None = None,
        idempotency_field: str | None = None,
        omitted: frozenset[str] = frozenset(),
        jar: bool = True,
        foreign: frozenset[str] = frozenset(),
    ) -> None:
        self.method = method
        self.url = url
        self.query: list[str] = [] if query is None else query
        self.headers = httpx.Headers() if headers is None else headers
        self.cookies: list[str] = [] if cookies is None else cookies
        self.content = content
        self.idempotency_header = idempotency_header
        self.retry_count_header = retry_count_header
        self.idempotency_field = idempotency_field
        self.omitted = omitted
        self.jar = jar
        # a redirect hop to another origin: the headers (lower case) none of the http client's
        # defaults may put back, and no http client auth, default params nor `base_url` query
        self.foreign = foreign

    def copy(self) -> Prepared:
        """An independent copy (auth amends headers, query and cookies in place)."""
        return Prepared(
            self.method,
            self.url,
            list(self.query),
            _copy(self.headers),
            list(self.cookies),
            self.content,
            self.idempotency_header,
            self.retry_count_header,
            self.idempotency_field,
            self.omitted,
            self.jar,
            self.foreign,
        )

    def drop_omitted(self) -> bool:
        """Remove the headers the caller omitted that a later step set (auth); whether any
        was there."""
        found = False
        for name in self.omitted:
            if name in self.headers:
                del self.headers[name]
                found = True
        return found

    def build(self, build_request: BuildRequest, timeout: httpx.Timeout) -> httpx.Request:
        body = self.content
        # httpx merges ``headers`` into a new ``Headers``: a copy is needed only to amend them
        copied = bool(self.cookies) or isinstance(body, StreamBody)
        headers = _copy(self.headers) if copied else self.headers
        if self.cookies:
            headers["Cookie"] = "; ".join([*headers.get_list("cookie"), *self.cookies])
        url = self.url
        if self.query:  # (a redirect's URL has a query of its own: the key query joins it)
            sep = "?" if "?" not in url else "" if url.endswith(("?", "&")) else "&"
            url = f"{url}{sep}{'&'.join(self.query)}"
        extensions: dict[str, str] | None = None
        if self.idempotency_header:
            extensions = {IDEMPOTENCY_EXTENSION: self.idempotency_header}
        elif self.idempotency_field:
            extensions = {IDEMPOTENCY_FIELD_EXTENSION: self.idempotency_field}
        if not isinstance(body, StreamBody):
            built = build_request(
                self.method,
                url,
                headers=headers,
                content=body,
                timeout=timeout,
                extensions=extensions,
            )
            if not self.jar:  # this request's own cookies are gone: any left are the jar's
                built.headers.pop("cookie", None)
            if self.omitted:
                self._drop_defaults(built)
            if self.foreign:
                self._anonymous(built, url)
            return built
        # A streamed upload: httpx's ``content=`` would pick a sync-only or async-only stream
        # by type; ``StreamBody`` is both, so it is set as the request's stream directly.
        headers.pop("transfer-encoding", None)
        if body.length is not None:
            headers["Content-Length"] = str(body.length)
        else:
            headers["Transfer-Encoding"] = "chunked"
        request = build_request(
            self.method, url, headers=headers, timeout=timeout, extensions=extensions
        )
        if not self.jar:
            request.headers.pop("cookie", None)
        if self.omitted:
            self._drop_defaults(request)
        if self.foreign:
            self._anonymous(request, url)
        return httpx.Request(
            request.method,
            request.url,
            headers=request.headers,
            stream=body,
            extensions=request.extensions,
        )

    def _drop_defaults(self, request: httpx.Request) -> None:
        """Take the omitted headers out of the built request too: building merges in the
        caller's own ``http_client``'s headers (its ``User-Agent``, a team header), which
        ``extra_headers={name: omit}`` drops as it drops the client's. The body's framing and
        ``Host`` stay: without them no request can be sent (h11 refused it, raising no
        ``APIError``)."""
        for name in self.omitted - _FRAMING:
            request.headers.pop(name, None)

    def _anonymous(self, request: httpx.Request, url: str) -> None:
        """Take back what the caller's own ``http_client`` added to a hop towards another
        origin: its default ``Authorization`` (or other credential) headers and query
        parameters (``httpx.Client(params={"key": ...})``), and mark it to be sent without the
        client's ``auth=`` (as httpx drops them when it follows a redirect itself)."""
        for name in self.foreign:
            request.headers.pop(name, None)
        request.url = httpx.URL(url)
        request.extensions = {**request.extensions, ANONYMOUS_EXTENSION: True}


def _copy(headers: httpx.Headers) -> httpx.Headers:
    """A copy that knows its text encoding: a plain ``Headers(headers)`` works it out again
    (decoding every header) on its first lookup. UTF-8 is what a copy without one encodes set
    values as, and decodes what we put in (ASCII, or values set as ``str``) the same way."""
    return httpx.Headers(headers, encoding="utf-8")


def prepare(
    op: Operation[Any],
    values: Mapping[str, object],
    options: RequestOptions,
    *,
    base_url: str,
    headers: Mapping[str, str],
    idempotency_header: str | None = None,
    has_accept: bool = False,
) -> Prepared:
    """Encode path, query, header and cookie params and the body; merge ``extra_*`` options.

    ``idempotency_header`` is the header the API honours as an idempotency key (declared by the
    operation or configured on the client): a non-safe request gets a fresh key in it (one per
    call, reused by every attempt) unless it already has one. A per-call ``idempotency_key`` is
    sent in it (``Idempotency-Key`` when none is configured) and vouches that the API honours
    it. Without either, no key is sent: a key the API ignores would only suggest safety.

    ``has_accept``: ``headers`` already has an ``Accept`` header (the client's own headers, as
    prepared for an operation answering JSON), so the lookup for one is skipped."""
    segments: dict[str, str] = {}
    # (``headers``: an ``httpx.Headers`` is copied as is, a mapping is encoded)
    copied = _copy(headers) if isinstance(headers, httpx.Headers) else httpx.Headers(headers)
    req = Prepared(op.method.upper(), "", [], copied, [])
    if not has_accept and (op.accept or plan(op).accepts_json) and "accept" not in req.headers:
        # (an `accept` of octets: an event stream offered beside them, asked for as them)
        req.headers["Accept"] = op.accept or "application/json"
    fields: dict[str, Any] = {}
    whole: Any = NOT_GIVEN
    for p in op.params:
        value = values.get(p.py_name, NOT_GIVEN)
        if p.location == "path" and (value is None or value is NOT_GIVEN or value is omit):
            raise ValueError(f"path parameter {p.py_name!r} must not be None or omitted")
        if value is NOT_GIVEN or value is omit:  # (singletons; `omit` went as `?mode=omit`)
            continue
        if p.location == "field":
            fields[p.wire_name] = value
            continue
        if p.location == "body":
            whole = value
            continue
        value = jsonable(value)
        if p.content_type and is_json(p.content_type):
            # Header values must be ASCII: there, non-ASCII goes as JSON ``\u`` escapes.
            ascii_only = p.location == "header"
            value = json.dumps(value, separators=(",", ":"), ensure_ascii=ascii_only)
        if value is None:
            continue  # null has no spelling outside a JSON body
        if p.location == "path":
            escape = _shared_segments(op.path).get(p.wire_name)
            if escape is not None:  # one of several values in a segment (``{name}.{ext}``)
                if not isinstance(value, dict | list) and scalar(value) == "":
                    raise ValueError(
                        f"path parameter {p.py_name!r} must not be '': it would change the endpoint"
                    )
                segments[p.wire_name] = encode_path(
                    p.wire_name, value, p.style, bool(p.explode), quoter(escape=escape)
                )
                continue
            if p.multi_segment and isinstance(value, str):
                segments[p.wire_name] = _spanning(p.py_name, value)
                continue
            if not p.style or p.style == "simple":  # the usual ``{id}``: ids and numbers
                if type(value) is int:  # digits (and "-"): nothing to quote, never a dot segment
                    segments[p.wire_name] = str(value)
                    continue
                if type(value) is str and value not in _DOT_SEGMENTS:
                    segments[p.wire_name] = quoter()(value)  # what ``encode_path`` makes of it
                    continue
            if not isinstance(value, dict | list) and scalar(value) in _DOT_SEGMENTS:
                raise ValueError(
                    f"path parameter {p.py_name!r} must not be {scalar(value)!r}:"
                    " it would change the endpoint"
                )
            # Always one segment: ``allowReserved`` applies to query parameters only.
            segments[p.wire_name] = encode_path(
                p.wire_name, value, p.style, bool(p.explode), quoter()
            )
        elif p.location == "query":
            req.query += encode_query(
                p.wire_name, value, p.style, p.explode, quoter(p.allow_reserved)
            )
        elif p.location == "header":
            req.headers[p.wire_name] = encode_header(value, bool(p.explode))
        elif p.location == "cookie":
            req.cookies += encode_cookie(p.wire_name, value, p.explode, p.style)
    # (an empty path is the base URL itself, a followed next page's: no `/` added)
    tail = "/" + fill_path(op.path, segments).lstrip("/") if op.path else ""
    req.url = base_url.rstrip("/") + tail

    extra_query = options.get("extra_query")
    if extra_query:
        # (a top-level `omit` is kept: it drops the parameter; `jsonable` drops it elsewhere)
        top = {
            k: v if isinstance(v, Omit | AsSent) else jsonable(v) for k, v in extra_query.items()
        }
        _merge_extra_query(req, op, {k: v for k, v in top.items() if not isinstance(v, NotGiven)})

    keyed_body = _key_body(req, op, fields, whole, options)
    _set_body(req, op, fields, whole, options.get("extra_body"))
    omitted: set[str] = set()
    extra_headers: Mapping[str, object] = options.get("extra_headers") or {}
    for name, value in extra_headers.items():
        if isinstance(value, str):
            req.headers[name] = value
        elif isinstance(value, Omit):  # drop a default header (User-Agent, the client's), and
            req.headers.pop(name, None)  # whatever auth, a key or the retry count would add
            omitted.add(name.lower())
        else:  # (an int, bytes, None: dropped without a word before)
            raise TypeError(
                f"extra_headers[{name!r}] must be a str (or omit), got {type(value).__name__}"
            )
    if omitted:
        req.omitted = frozenset(omitted)
    if keyed_body:
        return req  # the key travels in the body: no header says it again
    if idempotency_header and idempotency_header.lower() in omitted:
        req.idempotency_header = None  # the caller dropped the key header: none is sent
    elif "idempotency_key" in options:
        header = idempotency_header or "Idempotency-Key"
        if options["idempotency_key"]:
            req.headers[header] = options["idempotency_key"]
            req.idempotency_header = header
        else:  # ``""``: no key for this call (sent empty, it read as a key to some servers)
            req.headers.pop(header, None)
            req.idempotency_header = None
    elif idempotency_header and req.method not in _SAFE_METHODS:
        if idempotency_header not in req.headers:
            req.headers[idempotency_header] = str(uuid.uuid4())
        # a caller's own key is sent as given; an empty one vouches for no retry
        req.idempotency_header = idempotency_header if req.headers[idempotency_header] else None
    return req


def _merge_extra_query(req: Prepared, op: Operation[Any], extra: Mapping[str, Any]) -> None:
    """``extra_query`` over the declared parameters: a name replaces the parameter sent under
    it (``expand`` the ``expand[]=`` pairs its deepObject style made) and is encoded as that
    parameter is; an undeclared name is ``name=v``, an array repeats it (``name=a&name=b``) and
    an object nests in brackets (``name[k]=v``, as openai-python's ``extra_query``)."""
    declared = {p.wire_name: p for p in op.params if p.location == "query"}
    for name, value in extra.items():
        key = quote_name(name)
        req.query = [s for s in req.query if not s.startswith((f"{key}=", f"{key}["))]
        p = declared.get(name)
        if isinstance(value, Omit):  # the parameter dropped (`NOT_GIVEN` never gets here)
            continue
        if isinstance(value, AsSent):  # a followed URL's own spelling
            req.query += value.parts
        elif p is not None:
            req.query += encode_query(name, value, p.style, p.explode, quoter(p.allow_reserved))
        else:
            style = "deepObject" if _nested(value) else "form"
            req.query += encode_query(name, value, style, True, quoter())


def _nested(value: object) -> bool:
    """An object, or an array holding one or an array: what only brackets can spell."""
    if isinstance(value, dict):
        return True
    items = cast("list[object]", value) if isinstance(value, list) else []
    return any(isinstance(v, dict | list) for v in items)


def _key_body(
    req: Prepared, op: Operation[Any], fields: dict[str, Any], whole: Any, options: RequestOptions
) -> bool:
    """Put the idempotency key in the body property the operation declares for it (Plaid's,
    Square's ``idempotency_key``): the per-call ``idempotency_key``, else a fresh one on a
    POST/PATCH/PUT/DELETE, reused by every attempt (the body is encoded once). Whether the
    option was taken here (a body is sent). The option is that property's argument: an empty
    key is sent as given (the property may be required) and vouches for no retry."""
    name = op.idempotency_field
    if name is None or req.method in _SAFE_METHODS or not isinstance(whole, NotGiven):
        return False
    body = op.body
    if not fields and not (body is not None and body.required):
        return False  # no body to carry a key
    if "idempotency_key" in options:
        key = options["idempotency_key"]
    else:
        key = fields.get(name) or str(uuid.uuid4())
    fields[name] = key
    if key:
        req.idempotency_field = name
    return True


_DOT_SEGMENTS = frozenset({"", ".", ".."})
# what the transport needs to send a request at all: never dropped by ``omit``
_FRAMING = frozenset({"content-length", "transfer-encoding", "host"})


def _spanning(py_name: str, value: str) -> str:
    """A value spanning path segments (``x-multi-segment``: GitHub's file paths, branch names,
    refs), as RFC 6570's ``{+path}`` and GitHub's own clients send it: ``/`` kept, each segment
    encoded as one. An empty, ``.`` or ``..`` segment would change the endpoint, as for any
    path value: ``""`` too (``/branches/`` is the list of branches, ``DELETE /git/refs/`` no
    ref; the extension does not say where an empty value means the top folder)."""
    parts = value.split("/")
    if any(part in _DOT_SEGMENTS for part in parts):
        raise ValueError(
            f"path parameter {py_name!r} must not have an empty, '.' or '..' segment:"
            f" {value!r} would change the endpoint"
        )
    encode = quoter()
    return "/".join(encode(part) for part in parts)


# a path template's placeholder (`{id}`); in a base URL, a server variable left unfilled
PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")


@functools.lru_cache(maxsize=4096)
def _compiled(template: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``template``'s segments, each with its placeholder split (empty: a literal segment; its
    text as sent, ``_literal``)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for part in template.split("/"):
        if not PLACEHOLDER.search(part):
            out.append((_literal(part), ()))
            continue
        pieces = PLACEHOLDER.split(part)
        out.append((part, tuple(p if i % 2 else _literal(p) for i, p in enumerate(pieces))))
    return tuple(out)


def _literal(text: str) -> str:
    """A path template's own text as a request target may carry it (RFC 3986 ``pchar``): a
    ``|``, ``\\``, ``^`` or ``"`` in a spec's path went out raw (servers such as Tomcat refuse
    them with a 400; a space or non-ASCII text httpx encoded itself). An escape the spec wrote
    (``%2F``) is kept, a ``%`` that starts none is encoded."""
    if not text:
        return text
    return _BARE_PERCENT.sub("%25", quote(text, safe="!$&'()*+,;=:@%"))


_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # `/100%/x`: no escape, so encoded itself


_SEPARATORS = frozenset("._~-")  # unreserved: what ``quote`` leaves as it is


@functools.lru_cache(maxsize=4096)
def _shared_segments(template: str) -> dict[str, str]:
    """Placeholders sharing their segment with literal text or another placeholder
    (``{query}.{ext}``, ``{a}-{b}``), each with the unreserved characters of that text: a value
    carries them percent-encoded (``a.b`` as ``a%2Eb``), so that ``a.b`` + ``json`` reads back
    as ``a.b.json`` split at the template's dot, never at the value's. Reserved characters
    (``/?#:;,=``...) are encoded in every path value already."""
    shared: dict[str, str] = {}
    for _, pieces in _compiled(template):  # the template split once, as `fill_path` reads it
        names, literal = pieces[1::2], "".join(pieces[0::2])
        if len(names) > 1 or (names and literal):
            escape = "".join(sorted(_SEPARATORS.intersection(literal)))
            shared.update((name, escape) for name in names)
    return shared


def fill_path(template: str, segments: Mapping[str, str]) -> str:
    """Put the encoded ``segments`` into ``template``'s placeholders, segment by segment.

    A filled segment that is empty, ``.`` or ``..`` would be normalised away (or climb a level)
    on the wire and so reach another endpoint: ``ValueError`` before anything is sent."""
    parts: list[str] = []
    for part, pieces in _compiled(template):
        if not pieces:  # no placeholder: the segment as written
            parts.append(part)
            continue
        # pieces: text, name, text, name, ..., text (what the placeholder regex splits into)
        if len(pieces) == 3 and not pieces[0] and not pieces[2]:  # the usual ``{name}``
            filled = segments.get(pieces[1], part)
        else:
            filled = "".join(
                segments.get(piece, f"{{{piece}}}") if i % 2 else piece
                for i, piece in enumerate(pieces)
            )
        if filled != part and filled in _DOT_SEGMENTS:
            raise ValueError(
                f"path segment {part!r} would be {filled!r}, which changes the endpoint"
            )
        parts.append(filled)
    return "/".join(parts)


def _object_media(media: str) -> bool:
    """Media an object body's fields go as: JSON, a form, or any type (``*/*``, Kubernetes')."""
    return is_json(media) or "form" in media or "*" in media


def _check_needs(
    op: Operation[Any], needs: tuple[str, ...], fields: Mapping[str, Any], extra: object
) -> None:
    """An optional body is sent whole or not at all: once the call gives any of its fields
    (or ``extra_body``), the ones its schema requires must be there too (the API answered 400
    for a body the method's signature let through)."""
    given = set(fields)
    if isinstance(extra, Mapping):
        given.update(k for k, v in cast("Mapping[str, object]", extra).items() if _sent(v))
    missing = [name for name in needs if name not in given]
    if missing:
        by_wire = {p.wire_name: p.py_name for p in op.params if p.location == "field"}
        names = ", ".join(repr(by_wire.get(name, name)) for name in missing)
        raise TypeError(
            f"{op.method.upper()} {op.path}: the request body is optional, but once any of its"
            f" fields is given it needs {names} too"
        )


def _sent(value: object) -> bool:
    return not isinstance(value, NotGiven | Omit)


def _set_body(
    req: Prepared,
    op: Operation[Any],
    fields: dict[str, Any],
    whole: Any,
    extra: Mapping[str, object] | None,
) -> None:
    body = op.body
    media = body.media_type if body else "application/json"
    if body is not None and body.needs and (fields or extra) and isinstance(whole, NotGiven):
        _check_needs(op, body.needs, fields, extra)
    payload: Any
    if not isinstance(whole, NotGiven):
        payload = whole
        if fields and isinstance(whole, Mapping):
            payload = {**cast("Mapping[str, Any]", whole), **fields}
    elif fields or extra or (body and body.required and _object_media(media)):
        payload = fields  # a required object body is sent even when empty: ``{}``
    else:
        return
    if extra:
        if not isinstance(payload, Mapping):
            payload = jsonable(payload)
        if not isinstance(payload, Mapping):
            raise TypeError("extra_body needs an object request body")
        # `omit` for a key drops it from the body, as openai-python's `extra_body` (it went to
        # the JSON encoder, which refused it); `NOT_GIVEN` is no value: the argument's stays
        given = {k: v for k, v in extra.items() if not isinstance(v, NotGiven)}
        merged = {**cast("Mapping[str, Any]", payload), **given}
        payload = {k: v for k, v in merged.items() if not isinstance(v, Omit)}
    content, content_type = encode_body(
        media,
        payload,
        body.encoding if body else None,
        body.data if body else frozenset(),
        body.texts if body else frozenset(),
    )
    if content or content_type:
        req.content = content
    if content_type:
        req.headers["Content-Type"] = content_type
