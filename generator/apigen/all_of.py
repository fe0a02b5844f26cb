"""How the members of an `allOf` combine into one schema: one reading for the IR (the
generated types) and the sandbox (drawn responses).

An instance must satisfy every member, so what the members say about the same thing is
intersected, not chosen: `type` and `enum` keep what every member admits (an `enum` no value of
which survives keeps the first member's: the contradiction is the spec's, reported where the
sandbox draws), lower bounds take the highest, upper bounds the lowest, `required` is the union,
`additionalProperties: false` or `items: false` anywhere wins, and a property several members
declare differently must satisfy each declaration (`{"allOf": [first, second]}`, or what the
caller's `combine` makes of the pair). Anything else keeps its first spelling, outer keys
before members' (`description`, `discriminator`, `default`...).

Plain functions over JSON data: no import beyond the standard library, so the sandbox can use
them without loading the IR.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["LOWER_BOUNDS", "SUBSCHEMAS", "UPPER_BOUNDS", "close", "merge"]

Schema = Mapping[str, Any]
SUBSCHEMAS: Final = frozenset({"additionalProperties", "items", "contains", "propertyNames"})
LOWER_BOUNDS: Final = frozenset({"minimum", "minLength", "minItems", "minProperties"})
UPPER_BOUNDS: Final = frozenset({"maximum", "maxLength", "maxItems", "maxProperties"})

# two declarations of one property -> the schema that must satisfy both
Combine = Callable[[Any, Any], Any]


def _both(first: Any, second: Any) -> Any:
    return {"allOf": [first, second]}


def _is_num(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def merge(members: list[Schema], combine: Combine = _both) -> dict[str, Any]:
    """`members` (already resolved, their own `allOf` flattened into the list) as one schema.

    OpenAPI 3.0's `nullable` only loosens the `type` of its own schema object, so after merging
    null is allowed only if every member that has a `type` allows it."""
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
                if not isinstance(current, dict):  # an earlier member's was no object: junk
                    out[key] = dict(value)
                    continue
                for name, sub in value.items():
                    if name in current and current[name] != sub:
                        current[name] = combine(current[name], sub)
                    else:
                        current[name] = sub
            elif key == "required" and isinstance(value, list) and isinstance(current, list):
                out[key] = current + [r for r in value if r not in current]
            elif key == "type":
                out[key] = _intersect_types(current, value)
            elif key in LOWER_BOUNDS and _is_num(value) and _is_num(current):
                out[key] = max(current, value)
            elif key in UPPER_BOUNDS and _is_num(value) and _is_num(current):
                out[key] = min(current, value)
            elif key == "enum" and isinstance(value, list) and isinstance(current, list):
                out[key] = [v for v in current if v in value] or current
            elif key == "nullable":
                out[key] = current is True and value is True
            elif key in ("additionalProperties", "items") and (value is False or current is False):
                out[key] = False
            elif key in SUBSCHEMAS and isinstance(value, Mapping) and isinstance(current, Mapping):
                out[key] = {"allOf": [current, value]}
    if typed and any(m.get("nullable") is True for m in members):
        out["nullable"] = all(m.get("nullable") is True for m in typed)
    return out


def close(out: dict[str, Any], members: list[Schema]) -> None:
    """A member's `additionalProperties` judges every property its own `properties` do not
    declare, whichever member declares it (JSON Schema reads the keyword per schema object):
    `false` leaves such a property out of the merge (opc's `Extended`: `allOf: [Aliased (an
    AModel, closed), {properties: {fromExtended}}]` admits no `fromExtended`), a schema is
    applied to it as well. The sandbox draws by this; the IR keeps such properties (the spec's
    authors meant them, and a model that reads one more field breaks nothing)."""
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
