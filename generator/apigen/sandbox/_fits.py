"""A small, lenient JSON-Schema check used while synthesizing examples.

It decides whether a spec-provided `example`/`default` can be trusted (authors get them wrong)
and whether a generated `oneOf` value also matches a sibling variant. It only ever says "no"
when a real validator would too (type, enum, const, required, additionalProperties: false,
lengths, property counts, bounds, pattern); what it does not check it accepts, so it stays cheap
and never needs third-party validators inside the server.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
import threading
from collections.abc import Mapping
from typing import Any, TypeGuard

from ..ecma_regex import compile_pattern, finds
from ..schema_rules import flagged, null_only, null_type_beside_combiner
from ._refs import RefError, Resolver

_MAX_DEPTH = 48


def is_type(value: Any, name: str) -> bool:
    """JSON-Schema type test (bools are not numbers; 1.0 is an integer)."""
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if name == "integer":
        return isinstance(value, int) or (math.isfinite(value) and float(value).is_integer())
    return name == "number"


def declared_types(
    schema: Mapping[str, Any], nullable_keyword: bool = True
) -> tuple[list[str], bool]:
    """The non-null types `schema` declares, and whether null is allowed.

    `nullable_keyword` is False for OpenAPI 3.1 documents, where `nullable` is not a keyword
    (specs converted from 3.0 keep it; strict 3.1 validators ignore it, so null would fail).
    """
    raw = schema.get("type")
    names = (
        [raw]
        if isinstance(raw, str)
        else [t for t in raw if isinstance(t, str)]
        if isinstance(raw, list)
        else []
    )
    # OpenAPI 3.0 `nullable` means nothing without a `type` beside it (3.0.3 clarification).
    nullable = (
        nullable_keyword and schema.get("nullable") is True and bool(names)
    ) or "null" in names
    return [t for t in names if t != "null"], nullable


class Checker:
    """Answers "could `value` be valid for `schema`?" conservatively (see module docstring)."""

    def __init__(
        self, resolver: Resolver, *, nullable_keyword: bool = True, const_keyword: bool = True
    ) -> None:
        self._resolver = resolver
        self.nullable_keyword = nullable_keyword
        #: `const` constrains (JSON Schema draft 6 on: OpenAPI 3.1). OpenAPI 3.0 and Swagger 2.0
        #: have no `const`: their validators (openapi-schema-validator's, schemathesis') ignore
        #: it, so a value matching another `oneOf` variant but for its `const` does match it.
        self.const_keyword = const_keyword
        self._write_only: dict[tuple[str, str], bool] = {}
        #: a `oneOf` fits when exactly one variant does (`exclusive`), not any one
        self.exclusive_one_of = False
        self._local = threading.local()  # (schema, value) pairs being checked, per thread

    def exclusive(self) -> Checker:
        """This checker with `oneOf` read strictly: for a value the sandbox changed after
        drawing it (an emptied last page), where two variants fitting is a real refusal (Box's
        search results: `entries: []` fits both). It may now say "no" where a full validator
        would not (a variant fitting only by what this check leaves out): the caller keeps the
        value it drew."""
        strict = Checker(
            self._resolver,
            nullable_keyword=self.nullable_keyword,
            const_keyword=self.const_keyword,
        )
        strict.exclusive_one_of = True
        return strict

    def is_write_only(self, sub: Any) -> bool:
        """A writeOnly property (the IR's rule, `schema_rules.flagged`) is required of requests
        only; responses (all we check) leave it out."""
        return flagged(sub, "writeOnly", self._resolver.lookup, self._write_only)

    def fits(self, value: Any, schema: Any, depth: int = 0) -> bool:
        if depth > _MAX_DEPTH or schema is True:
            return True
        if schema is False:
            return False
        if (
            value is None
            and isinstance(schema, Mapping)
            and "$ref" in schema
            and schema.get("nullable") is True
        ):
            return True  # `{$ref: X, nullable: true}`: X, or null (read in every version)
        try:
            schema, _ = self._resolver.resolve(schema)
        except RefError:
            return True
        if not isinstance(schema, Mapping):
            return True
        # A schema met again for the same value on the way down: a cycle through composition
        # (`X: oneOf [A, B]`, `A: allOf [X, ...]`) that consumes none of the value. Read as
        # fitting (what is left to check is checked where the cycle began); walking it to the
        # depth cap tried 2^24 paths and hung the sandbox.
        key = (id(schema), id(value))
        active: set[tuple[int, int]] | None = getattr(self._local, "active", None)
        if active is None:
            active = self._local.active = set()
        if key in active:
            return True
        active.add(key)
        try:
            return self._fits(value, schema, depth)
        finally:
            active.discard(key)

    def _fits(self, value: Any, schema: Mapping[str, Any], depth: int) -> bool:
        if self.const_keyword and "const" in schema and value != schema["const"]:
            return False
        enum = schema.get("enum")
        if (
            isinstance(enum, list)
            and value not in enum
            and not (value is None and self.nullable_keyword and schema.get("nullable") is True)
        ):
            return False
        types, nullable = declared_types(schema, self.nullable_keyword)
        if value is None:
            if schema.get("type") is not None and not nullable:
                return False
        elif types and not any(is_type(value, t) for t in types):
            return False
        elif not types and nullable and not null_type_beside_combiner(schema):
            return False  # `type: "null"` (beside a combiner, the members judge)
        if not self._keywords(value, schema, depth):
            return False
        members = schema.get("allOf")
        members = members if isinstance(members, list) else []
        if value is None and (
            (self.nullable_keyword and schema.get("nullable") is True)
            or null_type_beside_combiner(schema)
            or any(null_only(m) for m in members)
        ):
            return True  # null beside composition keywords (`schema_rules`)
        for sub in members:
            if not null_only(sub) and not self.fits(value, sub, depth + 1):
                return False
        for key in ("anyOf", "oneOf"):
            options = schema.get(key)
            if not isinstance(options, list) or not options:
                continue
            if key == "oneOf" and self.exclusive_one_of:
                if sum(1 for o in options if self.fits(value, o, depth + 1)) != 1:
                    return False
            elif not any(self.fits(value, o, depth + 1) for o in options):
                return False
        return True

    def _keywords(self, value: Any, schema: Mapping[str, Any], depth: int) -> bool:
        if isinstance(value, str):
            return _string_ok(value, schema)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _number_ok(value, schema)
        if isinstance(value, list):
            return self._array_ok(value, schema, depth)
        if isinstance(value, dict):
            return self._object_ok(value, schema, depth)
        return True

    def _array_ok(self, value: list[Any], schema: Mapping[str, Any], depth: int) -> bool:
        if len(value) < _int(schema.get("minItems"), 0) or len(value) > _int(
            schema.get("maxItems"), len(value)
        ):
            return False
        items = schema.get("items")
        return not isinstance(items, Mapping) or all(self.fits(v, items, depth + 1) for v in value)

    def _object_ok(self, value: dict[str, Any], schema: Mapping[str, Any], depth: int) -> bool:
        if len(value) < _int(schema.get("minProperties"), 0) or len(value) > _int(
            schema.get("maxProperties"), len(value)
        ):
            return False
        props = schema.get("properties")
        props = props if isinstance(props, Mapping) else {}
        required = schema.get("required")
        if isinstance(required, list) and any(
            isinstance(r, str) and r not in value and not self.is_write_only(props.get(r))
            for r in required
        ):
            return False
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                if not self.fits(item, props[key], depth + 1):
                    return False
            elif "patternProperties" in schema:
                continue
            elif extra is False or (
                isinstance(extra, Mapping) and not self.fits(item, extra, depth + 1)
            ):
                return False
        return True


def _int(raw: Any, fallback: int) -> int:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else fallback


def _string_ok(value: str, schema: Mapping[str, Any]) -> bool:
    if len(value) < _int(schema.get("minLength"), 0) or len(value) > _int(
        schema.get("maxLength"), len(value)
    ):
        return False
    fmt = schema.get("format")
    if isinstance(fmt, str) and not _format_ok(value, fmt):
        return False
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        if compile_pattern(pattern) is None:
            return True
        # nested quantifiers (BeezUP's `([\/\w .-]*)*`) once hung the sandbox for minutes;
        # what cannot be told is drawn from the pattern instead
        return finds(pattern, value) is True
    return True


_FORMAT_PATTERNS: dict[str, re.Pattern[str]] = {
    "date-time": re.compile(
        r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
    ),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII),
    "time": re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z", re.ASCII),
    "uuid": re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\Z"),
    # absolute (a scheme first), as jsonschema's `uri` check wants: GitHub's example
    # `hello-world.github.io` for a `format: uri` property is not one
    "uri": re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f<>\"{}|\\^`]*\Z"),
    # no scheme needed, the same characters refused: Codat's HAL example
    # `/companies/{id}/data/{dataType}?page=1` is a URI template, not a reference
    "uri-reference": re.compile(r"^[^\s\x00-\x1f\x7f<>\"{}|\\^`]*\Z"),
}


_CALENDAR = frozenset({"date-time", "date", "time"})


def _real_date_and_time(value: str, fmt: str) -> bool:
    """A date the calendar has and a time of day the clock has (the patterns above check the
    shape only: a spec's `2023-02-29` or `25:61:00` example was served, and refused by every
    validator after it). Seconds may be 60 (a leap second, RFC 3339)."""
    if fmt != "time":
        try:
            dt.date.fromisoformat(value[:10])
        except ValueError:
            return False
        if fmt == "date":
            return True
        value = value[11:]
    hour, minute, second = int(value[0:2]), int(value[3:5]), int(value[6:8])
    if hour > 23 or minute > 59 or second > 60:
        return False
    offset = value[8:].lstrip(".0123456789")
    if offset[:1] in ("+", "-"):
        return int(offset[1:3]) < 24 and int(offset[4:6]) < 60
    return True


def _format_ok(value: str, fmt: str) -> bool:
    """The formats real validators check by default and spec examples often get wrong."""
    pattern = _FORMAT_PATTERNS.get(fmt)
    if pattern is not None:
        return pattern.match(value) is not None and (
            fmt not in _CALENDAR or _real_date_and_time(value, fmt)
        )
    if fmt in ("ipv4", "ipv6"):
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        return address.version == int(fmt[-1])
    return True


def _number_ok(value: float, schema: Mapping[str, Any]) -> bool:
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if is_num(low) and (value < low or (ex_low is True and value == low)):
        return False
    if is_num(high) and (value > high or (ex_high is True and value == high)):
        return False
    if is_num(ex_low) and value <= ex_low:
        return False
    return not (is_num(ex_high) and value >= ex_high)


def is_num(raw: Any) -> TypeGuard[float]:
    """A JSON number (bools excluded)."""
    return isinstance(raw, int | float) and not isinstance(raw, bool)
