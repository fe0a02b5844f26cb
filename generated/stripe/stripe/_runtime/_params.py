"""OpenAPI parameter serialisation (path, query, header, cookie) and Stripe-style deep objects.

Encoders return ready-to-join, already percent-encoded strings so that delimiters (``,``,
``[]``) stay literal (``|`` goes as ``%7C``, which RFC 3986 requires) and exact wire output is
under our control rather than httpx's.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast
from urllib.parse import quote, quote_plus

from pydantic import BaseModel

from ._types import NotGiven, Omit

__all__ = ["AsSent", "deep_pairs", "encode_cookie", "encode_header", "encode_path", "encode_query"]

# What ``allowReserved`` leaves raw in a query value: the reserved characters (RFC 3986's
# ``:/?#[]@!$&'()*+,;=``) that mean nothing there. ``#`` would end the query, ``&`` and ``=``
# split pairs, ``+`` reads as a space, ``[ ]`` are not allowed in a query (OpenAPI 3.1.1: the
# application still encodes them).
QUERY_RESERVED = ":/?@!$'()*,;"
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"
# A cookie's name is a token (RFC 6265): an exploded object's member names are encoded past that.
_COOKIE_NAME_SAFE = "!#$&'*+-.^_`|~"
_COOKIE_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 6265 `cookie-name`: a token
_COOKIE_OCTETS = re.compile(r"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*")  # `cookie-octet`s
AS_GIVEN = "goes as given (OpenAPI 3.2's `cookie` style)"  # (the contract runner reads it)
Quote = Callable[[str], str]
_OCTETS = "surrogateescape"  # `scalar`'s spelling of non-UTF-8 bytes, encoded back as they were
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch  # never percent-encoded (RFC 3986)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Reduce models, enums, dates and containers to JSON-shaped data; drop NOT_GIVEN and
    `omit` members (`omit` nested in `extra_query` went on the wire as the word)."""
    if type(value) in _PLAIN:  # the common case, before the (slower) isinstance checks
        return value
    if isinstance(value, BaseModel):
        # warnings=False: a leniently parsed response model may be sent back as received.
        data = value.model_dump(by_alias=True, exclude_unset=True, mode="json", warnings=False)
        _drop_phantoms(value, data)
        return data
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):  # its text in a query or a form, a number in JSON (`_body`)
        return value
    if isinstance(value, Mapping):
        items = cast("Mapping[object, Any]", value).items()
        return {str(k): jsonable(v) for k, v in items if not isinstance(v, NotGiven | Omit)}
    if isinstance(value, list | tuple | set | frozenset) or _other_sequence(value):
        members = cast("Iterable[Any]", value)
        return [jsonable(v) for v in members if not isinstance(v, NotGiven | Omit)]
    return value


def _other_sequence(value: object) -> bool:
    """Any other sequence an array argument may be given (a deque, a range), not text or
    bytes."""
    return isinstance(value, Sequence) and not isinstance(
        value, str | bytes | bytearray | memoryview
    )


def _drop_phantoms(model: BaseModel, data: Any) -> None:
    """Drop from `data` (`model` dumped by alias) each field pydantic counts as set only because
    an extra key has its Python name (pydantic #7700). Read by wire names, `{"first_name": "Bob"}`
    beside a field whose wire name is `firstName` is an extra property and the field keeps its
    default; `exclude_unset` would still dump it, as `"firstName": null` beside `first_name`."""
    if not isinstance(data, dict):
        return
    out = cast("dict[str, Any]", data)
    extra = model.__pydantic_extra__
    fields = type(model).model_fields
    for name in model.__pydantic_fields_set__:
        info = fields.get(name)
        if info is None:
            continue
        key = info.serialization_alias or info.alias or name
        value = getattr(model, name)
        if extra and name in extra and key != name and value == info.default:
            out.pop(key, None)
        elif key in out:
            _drop_nested(value, out[key])


def _drop_nested(value: Any, data: Any) -> None:
    if type(value) in _PLAIN:
        return
    if isinstance(value, BaseModel):
        _drop_phantoms(value, data)
    elif isinstance(value, list | tuple) and isinstance(data, list):
        items = cast("Iterable[Any]", data)
        for member, dumped in zip(cast("Iterable[Any]", value), items, strict=False):
            _drop_nested(member, dumped)
    elif isinstance(value, dict) and isinstance(data, dict):
        out = cast("dict[str, Any]", data)
        for k, member in cast("Mapping[Any, Any]", value).items():
            if str(k) in out:
                _drop_nested(member, out[str(k)])


def _container(value: object) -> dict[str, Any] | list[Any] | None:
    """``value`` as the JSON object or array it is (after ``jsonable``), else None."""
    if isinstance(value, dict):
        return cast("dict[str, Any]", value)
    return cast("list[object]", value) if isinstance(value, list) else None


def scalar(value: Any) -> str:
    """A JSON-shaped value as wire text: lowercase booleans, compact JSON for nested data."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        # octets that are not UTF-8 ride as lone surrogates that `quoter` percent-encodes
        # back to the same octets (a form or query can carry any bytes, JSON cannot)
        return value.decode("utf-8", "surrogateescape")
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_number)
    return str(value)


def json_number(value: object) -> int | float:
    """A ``Decimal`` inside JSON: a JSON number (never its text in quotes), exact as an int or a
    float; one with more digits than a float keeps is refused rather than rounded."""
    if isinstance(value, Decimal) and value.is_finite():
        if value == value.to_integral_value():
            return int(value)
        number = float(value)
        if Decimal(repr(number)) == value:
            return number
        raise TypeError(
            f"Decimal({str(value)!r}) has more digits than a JSON number sent as a float keeps:"
            " pass a float, or a str if the API takes the number as text"
        )
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@functools.cache  # one function per combination, not a new lambda per parameter
def quoter(allow_reserved: bool = False, *, plus: bool = False, escape: str = "") -> Quote:
    """Percent-encode a value. ``escape``: unreserved characters (of ``._~-``) to encode too,
    the literal text of a path segment holding several values (``{name}.{ext}``): a value can
    then never be read as reaching past its own place in the segment."""
    safe = QUERY_RESERVED if allow_reserved else ""
    if plus:
        return lambda s: quote_plus(s, safe=safe, errors=_OCTETS)
    if escape:
        table = {ord(c): f"%{ord(c):02X}" for c in escape}  # not in "%XX": no double encoding
        return lambda s: quote(s, safe=safe, errors=_OCTETS).translate(table)
    # text needing no escape (ids, numbers) skips ``quote``'s encode/decode round trip
    return lambda s: s if _UNRESERVED(s) else quote(s, safe=safe, errors=_OCTETS)


def _pairs(value: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), scalar(v)) for k, v in value.items() if v is not None]


def _flat(value: dict[str, Any] | list[Any]) -> list[str]:
    """An object as ``[k1, v1, k2, v2]``, an array as its items (nulls dropped)."""
    if isinstance(value, dict):
        return [x for kv in _pairs(value) for x in kv]
    return [scalar(v) for v in value if v is not None]


def _refuse_separator(name: str, style: str, separator: str, items: list[str]) -> None:
    """``ValueError`` when an item holds the separator its style joins items with: read back,
    it would be two items (the style has no escape for it)."""
    if any(separator in item for item in items):
        shown = "a space" if separator == " " else separator
        raise ValueError(
            f"{name!r} ({style}) has an item holding its separator ({shown}): the server would"
            " read it as two items"
        )


def encode_path(name: str, value: Any, style: str | None, explode: bool, q: Quote) -> str:
    """``simple`` (default), ``label`` and ``matrix`` styles."""
    style = style or "simple"
    container = _container(value)
    if style == "label" and explode and container is not None:
        # an item's own `.` reads as the separator (`["a.b", "c"]` went as `.a.b.c`, as
        # `["a", "b", "c"]` does, helper 223), and `%2E` is `.` to a server that decodes the
        # path first (RFC 3986 6.2.2.2): no spelling; `,` `;` `=` are percent-encoded
        _refuse_separator(name, "label", ".", _flat(container))

    if isinstance(container, dict) and explode:
        parts = [f"{q(k)}={q(v)}" for k, v in _pairs(container)]
        if style == "matrix":  # (nothing to spell: `;name`, as the style table has it)
            return "".join(f";{p}" for p in parts) or f";{name}"
        return "." + ".".join(parts) if style == "label" else ",".join(parts)
    if isinstance(container, list) and explode and style != "simple":
        parts = [q(v) for v in _flat(container)]
        if style == "label":
            return "." + ".".join(parts)
        return "".join(f";{name}={p}" for p in parts) or f";{name}"
    joined = ",".join(q(v) for v in _flat(container)) if container is not None else q(scalar(value))
    if style == "label":
        return "." + joined
    if style == "matrix":
        return f";{name}={joined}" if joined else f";{name}"
    return joined


def encode_query(
    name: str, value: Any, style: str | None, explode: bool | None, q: Quote
) -> list[str]:
    """``form`` (default), ``spaceDelimited``, ``pipeDelimited`` and ``deepObject`` styles."""
    style = style or "form"
    key = quote_name(name)
    if value is None:
        return []
    if style == "deepObject":
        return [f"{k}={q(v)}" for k, v in deep_pairs(key, value)]
    container = _container(value)
    if container is None:
        return [f"{key}={q(scalar(value))}"]
    if explode is None:
        explode = style == "form"  # OpenAPI: explode defaults to true for "form" only
    if explode:
        if isinstance(container, dict):
            return [f"{q(k)}={q(v)}" for k, v in _pairs(container)]
        return [f"{key}={q(v)}" for v in _flat(container)]
    # `|` percent-encoded: RFC 3986 does not allow it in a query (Tomcat answers a raw one
    # 400 "Invalid character found in the request target"); every server decodes `%7C`
    sep = {"spaceDelimited": "%20", "pipeDelimited": "%7C"}.get(style, ",")
    if sep == ",":  # an item's own `,` (`allowReserved` leaves it) would split it: `%2C`
        return [f"{key}={sep.join(q(v).replace(',', '%2C') for v in _flat(container))}"]
    items = _flat(container)
    # the separator, spelt alike: no way to tell it from one (checked before quoting: a form
    # body quotes a space as `+`, helper 226)
    _refuse_separator(name, style, " " if sep == "%20" else "|", items)
    return [f"{key}={sep.join(q(v) for v in items)}"]


def _member_encoded(name: str) -> str:
    return quote(name, safe=_COOKIE_NAME_SAFE, errors=_OCTETS)


def _member(name: str) -> str:
    """An exploded object's member as a cookie of its own, name as given (``cookie`` style)."""
    if not _COOKIE_NAME.fullmatch(name):
        raise ValueError(f"cookie {name!r} {AS_GIVEN} and is not a cookie name (RFC 6265)")
    return name


class AsSent(str):
    """A query value from a URL the server gave (a next page's): the decoded text, which the
    pagination reads, carrying ``parts``, its ``name=value`` parts exactly as the URL spelt
    them, which ``extra_query`` sends again byte for byte."""

    parts: tuple[str, ...]

    def __new__(cls, value: str, parts: Sequence[str]) -> AsSent:
        self = super().__new__(cls, value)
        self.parts = tuple(parts)
        return self

    def __getnewargs__(self) -> tuple[str, tuple[str, ...]]:  # type: ignore[override]  # copy, pickle
        return str(self), self.parts


def quote_name(name: str) -> str:
    """A query parameter's name as sent (brackets kept: ``expand[]``, ``filter[color]``)."""
    return quote(name, safe="[]")


def deep_pairs(prefix: str, value: Any) -> Iterator[tuple[str, str]]:
    """Stripe-style nesting: ``a[b][c]=v``, scalar arrays ``a[]=v``, object arrays ``a[0][k]=v``.

    ``None`` is dropped (a form has no null), an empty string is kept (Stripe's "unset").
    """
    if value is None:
        return
    container = _container(value)
    if isinstance(container, dict):
        for k, v in container.items():
            yield from deep_pairs(f"{prefix}[{quote(str(k), safe='')}]", v)
    elif isinstance(container, list):
        nested = any(isinstance(v, dict | list) for v in container)
        for i, v in enumerate(container):
            yield from deep_pairs(f"{prefix}[{i}]" if nested else f"{prefix}[]", v)
    else:
        yield prefix, scalar(value)


def encode_header(value: Any, explode: bool) -> str:
    """``simple`` style, no percent-encoding: arrays comma-joined."""
    container = _container(value)
    if isinstance(container, dict) and explode:
        return ",".join(f"{k}={v}" for k, v in _pairs(container))
    return ",".join(_flat(container)) if container is not None else scalar(value)


def encode_cookie(
    name: str, value: Any, explode: bool | None, style: str | None = None
) -> list[str]:
    """``form`` style cookie pairs, later joined as ``Cookie: a=1; b=2`` (decisions.md 56).

    Exploded (the default), an array is one cookie per item (``a=1; a=2``) and an object one per
    member (``k=v``), as OpenAPI 3.2's ``cookie`` style spells them; else ``a=1,2`` and
    ``a=k,v``. Values and member names are percent-encoded, the ``,`` delimiter is not; in
    3.2's ``cookie`` style they go as given (the caller escapes them), so one that no cookie
    can hold (RFC 6265: a space, ``;``, ``,``, a quote) is refused, never sent to split."""

    def q(s: str) -> str:
        return quote(s, safe=_COOKIE_SAFE, errors=_OCTETS)

    def as_given(s: str) -> str:
        if not _COOKIE_OCTETS.fullmatch(s):
            raise ValueError(
                f"cookie {name!r}: {s!r} {AS_GIVEN} and holds a character no cookie value can"
                " (RFC 6265): pass it escaped"
            )
        return s

    if style == "cookie":
        q = as_given
    if not _COOKIE_NAME.fullmatch(name):
        # `session;admin` would be read as two cookies, `admin` one the caller never set
        raise ValueError(
            f"cookie {name!r} is not a cookie name (RFC 6265: an HTTP token): it cannot be sent"
        )
    container = _container(value)
    if container is None:
        return [f"{name}={q(scalar(value))}"]
    if explode is not False:
        if isinstance(container, dict):
            member = _member if style == "cookie" else _member_encoded
            return [f"{member(k)}={q(v)}" for k, v in _pairs(container)]
        return [f"{name}={q(v)}" for v in _flat(container)]
    return [f"{name}={','.join(q(v) for v in _flat(container))}"]
