"""Example values for documentation: a JSON scalar the API would accept for one schema.

Taken from the spec where it says (`example`, `examples`, `default`, `enum`, `const`), otherwise
made to fit the schema's type, format and bounds, so that a README example passes request
validation (our sandbox, a mock, or the real API) as written.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ..ecma_regex import finds
from ..regex_example import example as regex_example
from .nodes import JSON_OBJECT

JsonScalar = str | int | float | bool

_FORMATS = {
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uuid": "12345678-1234-5678-1234-567812345678",
    "date": "2024-01-02",
    "date-time": "2024-01-02T03:04:05Z",
    "time": "03:04:05Z",
}


#: How deep `example_value` follows composition members: a member may lead back to its own
#: schema (`Expr: {anyOf: [{$ref: Expr}, {type: string}]}`, or an `allOf` cycle).
_MAX_DEPTH = 16


def example_value(
    schema: object, deref: Callable[[object], object], parameter: object = None, depth: int = 0
) -> JsonScalar | None:
    """A scalar example for `schema` (or the parameter's own `example`), or None. A spec's value
    of another JSON type than the schema's (beezup's `example: '100'` on an integer) is passed
    over: the API would refuse it."""
    s = deref(schema)
    kind = s.get("type") if isinstance(s, JSON_OBJECT) else None
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    fmt = s.get("format") if isinstance(s, JSON_OBJECT) else None
    # a date's example must be a date
    spelled = _FORMAT_CHECKS.get(fmt) if isinstance(fmt, str) else None

    def _typed(value: JsonScalar | None, kind: object) -> JsonScalar | None:
        return _of_type(value, kind, spelled)

    if isinstance(parameter, JSON_OBJECT):
        value = _typed(_scalar(parameter.get("example")), kind)
        if value is None:
            value = _typed(_first_example(parameter.get("examples"), deref), kind)
        if value is not None:
            return value
    if not isinstance(s, JSON_OBJECT):
        return None
    for key in ("const", "example", "default"):
        if (value := _typed(_scalar(s.get(key)), kind)) is not None:
            return value
    examples = s.get("examples")
    if (
        isinstance(examples, list)
        and examples
        and (value := _typed(_scalar(examples[0]), kind)) is not None
    ):
        return value
    enum = s.get("enum")
    if isinstance(enum, list):
        return next((v for v in (_typed(_scalar(e), kind) for e in enum) if v is not None), None)
    for key in ("allOf", "anyOf", "oneOf"):
        parts = s.get(key)
        if isinstance(parts, list) and depth < _MAX_DEPTH:
            for part in parts:
                if (value := example_value(part, deref, depth=depth + 1)) is not None:
                    return value
    if kind in ("integer", "number"):
        return _number(s, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "string" or (kind is None and ("format" in s or "pattern" in s)):
        return _string(s)
    return None


_KINDS: dict[str, Callable[[JsonScalar], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def _of_type(
    value: JsonScalar | None, kind: object, spelled: Callable[[str], bool] | None
) -> JsonScalar | None:
    """`value` when the schema's type (if it names one) and format (`spelled`, of those checked
    here) take it, else None (amadeus' `example: '2025-10-15T13:50:20.886Z'` on a `date`)."""
    if (
        value is not None
        and spelled is not None
        and not (isinstance(value, str) and spelled(value))
    ):
        return None
    if value is None or not isinstance(kind, str) or kind not in _KINDS:
        return value
    return value if _KINDS[kind](value) else None


def _parses(parse: Callable[[str], object]) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            parse(text)
        except ValueError:
            return False
        return True

    return check


# the formats a README value must spell right to pass request validation
_FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date": lambda t: len(t) == 10 and _parses(dt.date.fromisoformat)(t),
    "date-time": lambda t: "T" in t.upper() and _parses(dt.datetime.fromisoformat)(t),
    "uuid": _parses(uuid.UUID),
    "email": lambda t: t.count("@") == 1 and "." in t.rpartition("@")[2],
}


def _scalar(value: object) -> JsonScalar | None:
    """A spec's scalar as an example; a string past `_LONGEST` is none (a helper's fuzzing: a
    1 MB `example` made a 10 MB README, its every call spelling it out)."""
    if isinstance(value, str):
        return value if len(value) <= _LONGEST else None
    return value if isinstance(value, int | float | bool) else None


def _first_example(examples: object, deref: Callable[[object], object]) -> JsonScalar | None:
    if not isinstance(examples, JSON_OBJECT):
        return None
    for item in examples.values():
        item = deref(item)
        if isinstance(item, JSON_OBJECT) and (value := _scalar(item.get("value"))) is not None:
            return value
    return None


def _number(s: Mapping[str, Any], integer: bool) -> int | float:
    low, high = s.get("minimum"), s.get("maximum")
    value: int | float = 1
    if isinstance(low, int | float) and not isinstance(low, bool):
        value = low + (1 if s.get("exclusiveMinimum") is True else 0)
    elif isinstance(s.get("exclusiveMinimum"), int | float):
        value = s["exclusiveMinimum"] + 1
    if isinstance(high, int | float) and not isinstance(high, bool) and value > high:
        value = high
    multiple = s.get("multipleOf")
    try:
        if isinstance(multiple, int | float) and multiple > 0 and value % multiple:
            value = (value // multiple + 1) * multiple
        if isinstance(value, float) and not math.isfinite(value):
            raise OverflowError(value)  # `minimum: 1e400` (read as inf): no number to show
        return int(value) if integer else float(value)
    except OverflowError:  # (an "internal error" stopped the build)
        return 1 if integer else 1.0


_LONGEST = 4096  # characters: a longer example string is none a reader could use


def _string(s: Mapping[str, Any]) -> str | None:
    fmt = s.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return _FORMATS[fmt]
    value = "string"
    low, high = s.get("minLength"), s.get("maxLength")
    low = low if isinstance(low, int) and not isinstance(low, bool) else 0
    high = high if isinstance(high, int) and not isinstance(high, bool) else None
    if low > _LONGEST:  # `minLength: 1000000` wrote a 10 MB README: no example to show
        return None
    if len(value) < low:
        value += "x" * (low - len(value))
    if high is not None and len(value) > high:
        value = value[: max(high, 0)]
    pattern = s.get("pattern")
    if pattern is None:
        return value
    if not isinstance(pattern, str):
        return None
    if finds(pattern, value):
        return value  # (`finds`: a nested quantifier on a long filler could backtrack for hours)
    # a value the pattern finds (Twilio's `^AC[0-9a-fA-F]{32}$`), or None when none is sure:
    # the caller falls back to its placeholder
    return regex_example(pattern, low, high)
