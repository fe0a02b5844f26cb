"""Schema-level helpers shared by the example generator: JSON-data checks and allOf merging
(the merge itself is `apigen.all_of`, the IR's too)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, Final

from .. import all_of
from ._fits import declared_types
from ._scalars import INT_RANGES

Schema = Mapping[str, Any]
MISSING: Final = object()


def json_data(value: Any) -> Any:
    """`value` as plain JSON data (YAML dates become ISO strings), or `MISSING` if it is not."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else MISSING
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [json_data(v) for v in value]
        return MISSING if any(v is MISSING for v in items) else items
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            data = json_data(item)
            if not isinstance(key, str) or data is MISSING:
                return MISSING
            out[key] = data
        return out
    return MISSING


def is_missing(value: Any) -> bool:
    """True for the sentinel `json_data` returns when a value is not JSON data."""
    return value is MISSING


def merge(members: list[Schema]) -> dict[str, Any]:
    """allOf members combined into one schema (`all_of.merge`), then closed as each member's
    `additionalProperties` says (`all_of.close`): what is drawn must pass every member."""
    out = all_of.merge(members)
    all_of.close(out, members)
    return out


def infer(schema: Schema) -> str | None:
    """The type a schema without `type` evidently means (keywords give it away)."""
    if any(
        k in schema
        for k in (
            "properties",
            "additionalProperties",
            "required",
            "patternProperties",
            "minProperties",
        )
    ):
        return "object"
    if any(k in schema for k in ("items", "prefixItems", "minItems", "maxItems")):
        return "array"
    fmt = schema.get("format")
    if fmt in INT_RANGES:
        return "integer"
    if any(
        k in schema
        for k in ("minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum")
    ):
        return "number"
    return "string"


def minimal(schema: Schema) -> Any:
    """Last resort for schemas that require themselves forever: stop with the smallest value."""
    types, nullable = declared_types(schema)
    if nullable or not types:
        return None
    return {"object": {}, "array": [], "integer": 0, "number": 0, "boolean": False}.get(
        types[0], ""
    )
