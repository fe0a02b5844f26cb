"""Schema-level helpers shared by the example generator: JSON-data checks and allOf merging."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, Final

from ._fits import declared_types, is_num
from ._scalars import INT_RANGES

Schema = Mapping[str, Any]
MISSING: Final = object()
SUBSCHEMAS: Final = frozenset({"additionalProperties", "items", "contains", "propertyNames"})
LOWER_BOUNDS: Final = frozenset({"minimum", "minLength", "minItems", "minProperties"})
UPPER_BOUNDS: Final = frozenset({"maximum", "maxLength", "maxItems", "maxProperties"})


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
    """allOf members combined into one schema (outer keys first, constraints intersected)."""
    out: dict[str, Any] = {}
    typed = [m for m in members if "type" in m]
    for member in members:
        for key, value in member.items():
            if key not in out:
                out[key] = (
                    dict(value) if key == "properties" and isinstance(value, Mapping) else value
                )
                continue
            current = out[key]
            if key == "properties" and isinstance(value, Mapping):
                for name, sub in value.items():
                    if name in current and current[name] != sub:
                        current[name] = {"allOf": [current[name], sub]}
                    else:
                        current[name] = sub
            elif key == "required" and isinstance(value, list) and isinstance(current, list):
                out[key] = current + [r for r in value if r not in current]
            elif key == "type":
                out[key] = _intersect_types(current, value)
            elif key in LOWER_BOUNDS and is_num(value) and is_num(current):
                out[key] = max(current, value)
            elif key in UPPER_BOUNDS and is_num(value) and is_num(current):
                out[key] = min(current, value)
            elif key == "enum" and isinstance(value, list) and isinstance(current, list):
                out[key] = [v for v in current if v in value] or current
            elif key == "nullable":
                out[key] = current is True and value is True
            elif key in ("additionalProperties", "items") and (value is False or current is False):
                out[key] = False
            elif key in SUBSCHEMAS and isinstance(value, Mapping) and isinstance(current, Mapping):
                out[key] = {"allOf": [current, value]}
    # OpenAPI 3.0: `nullable` only loosens the `type` of its own schema object, so null is
    # allowed after merging only if every member that has a type allows it.
    if typed and any(m.get("nullable") is True for m in members):
        out["nullable"] = all(m.get("nullable") is True for m in typed)
    _close(out, members)
    return out


def _close(out: dict[str, Any], members: list[Schema]) -> None:
    """A member's `additionalProperties` judges every property its own `properties` do not
    declare, whichever member declares it (JSON Schema reads the keyword per schema object):
    `false` leaves such a property out of the merge (opc's `Extended`: `allOf: [Aliased (an
    AModel, closed), {properties: {fromExtended}}]` admits no `fromExtended`), a schema is
    applied to it as well."""
    props = out.get("properties")
    if not isinstance(props, dict):
        return
    for member in members:
        extra = member.get("additionalProperties")
        if not (extra is False or isinstance(extra, Mapping)) or "patternProperties" in member:
            continue
        own = member.get("properties")
        own = own if isinstance(own, Mapping) else {}
        for name in [n for n in props if n not in own]:
            if extra is False:
                del props[name]
            else:
                props[name] = {"allOf": [props[name], extra]}


def _intersect_types(current: Any, value: Any) -> Any:
    left = (
        [current]
        if isinstance(current, str)
        else list(current)
        if isinstance(current, list)
        else []
    )
    right = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    both = [t for t in left if t in right]
    if not both and "number" in left and "integer" in right:
        both = ["integer"]
    if not both and "integer" in left and "number" in right:
        both = ["integer"]
    if not both:
        return current
    return both[0] if len(both) == 1 else both


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
