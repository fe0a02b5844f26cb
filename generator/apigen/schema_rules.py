"""How apigen reads null and readOnly/writeOnly where they meet composition keywords.

One reading for the IR (the generated types), the sandbox (drawn responses, request
validation) and the contract checks (docs/decisions.md §31):

- null: a schema admits null when its own `type` does (3.1 `type: [X, "null"]`, or a `"null"`
  type beside `oneOf`/`anyOf`/`allOf`), when it says `nullable: true` (3.0; beside `allOf`,
  `oneOf` or `anyOf` too: it applies to the whole schema, `allOf: [$ref] + nullable` being
  drf-spectacular's nullable reference), or when an `allOf` member admits only null (`allOf:
  [$ref, {type: "null"}]`, Codat). Strict JSON Schema reads the last two 3.1 spellings as
  admitting nothing (null fails the members, anything else fails the null type); their authors
  mean "or null", and that is what clients get.
- readOnly / writeOnly: on the property, on what its `$ref` leads to, or on any `allOf` member
  (`allOf: [{$ref: X}, {readOnly: true}]`), following refs the same way. A property the object
  requires may be declared by one of its `allOf` members (`allOf: [{properties: {id: {readOnly:
  true}}}], required: [id]`, PagerDuty): the flag of any declaration counts, as the IR's merged
  field carries it.

Plain functions over JSON data with a `lookup` for local refs: no import beyond the standard
library, so the sandbox can use them without loading the IR.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["COMBINERS", "declarations", "flagged", "null_only", "null_type_beside_combiner"]

COMBINERS = ("oneOf", "anyOf", "allOf")
_MAX_DEPTH = 64

Lookup = Callable[[str], Any]  # a local `#/...` ref -> its node (raising on a dangling one)


def ref_siblings_apply(document: Mapping[str, Any]) -> bool:
    """Whether keywords beside a `$ref` constrain the value: OpenAPI 3.1 and later (JSON Schema
    2020-12), not 3.0 or Swagger 2.0, where "any sibling elements of a $ref are ignored" (the
    IR reads them the same way, and so does schemathesis)."""
    version = str(document.get("openapi", ""))
    major, _, rest = version.partition(".")
    minor = rest.partition(".")[0]
    return (
        major.isascii()
        and major.isdigit()
        and minor.isascii()
        and minor.isdigit()
        and (int(major), int(minor)) >= (3, 1)
    )


def null_only(schema: Any) -> bool:
    """A schema that admits only null: `type: "null"` (or `["null"]`) with no combiner beside
    it (that one is "or null", see `null_type_beside_combiner`), `enum: [null]`, `const: null`."""
    if not isinstance(schema, Mapping):
        return False
    raw = schema.get("type")
    return (
        ((raw == "null" or raw == ["null"]) and not null_type_beside_combiner(schema))
        or schema.get("enum") == [None]
        or ("const" in schema and schema["const"] is None)
    )


def null_type_beside_combiner(schema: Mapping[str, Any]) -> bool:
    """`type` names null and a non-empty `oneOf`/`anyOf`/`allOf` sits beside it: null is admitted
    by the type, whatever the members say (and `type: "null"` alone does not shut the members'
    values out)."""
    raw = schema.get("type")
    names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return "null" in names and any(
        isinstance(schema.get(k), list) and schema.get(k) for k in COMBINERS
    )


def flagged(
    schema: Any,
    keyword: str,
    lookup: Lookup,
    cache: dict[tuple[str, str], bool] | None = None,
    depth: int = 0,
) -> bool:
    """`keyword` (`readOnly` or `writeOnly`) is true on `schema`, on what its `$ref` leads to, or
    on any `allOf` member (refs followed the same way). `cache`: (keyword, ref) -> answer."""
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return False
    if schema.get(keyword) is True:
        return True
    memo: dict[tuple[str, str], bool] = {} if cache is None else cache
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        key = (keyword, ref)
        found = memo.get(key)
        if found is None:
            memo[key] = False  # a ref cycle ends here
            try:
                target = lookup(ref)
            except (KeyError, IndexError, ValueError, TypeError):
                target = None
            found = memo[key] = flagged(target, keyword, lookup, memo, depth + 1)
        if found:
            return True
    members = schema.get("allOf")
    if isinstance(members, list):
        return any(flagged(m, keyword, lookup, memo, depth + 1) for m in members)
    return False


def declarations(
    schema: Any, name: str, lookup: Lookup, depth: int = 0, seen: set[int] | None = None
) -> list[Any]:
    """The schemas declaring property `name` of an object: its own `properties`, then those of
    its `allOf` members (refs followed; each schema once, a ref cycle ends)."""
    if depth > _MAX_DEPTH or not isinstance(schema, Mapping):
        return []
    visited = set() if seen is None else seen
    if id(schema) in visited:
        return []
    visited.add(id(schema))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        try:
            target = lookup(ref)
        except (KeyError, IndexError, ValueError, TypeError):
            target = None
        found = declarations(target, name, lookup, depth + 1, visited)
    else:
        found = []
    props = schema.get("properties")
    if isinstance(props, Mapping) and name in props:
        found.insert(0, props[name])
    members = schema.get("allOf")
    for member in members if isinstance(members, list) else ():
        found += declarations(member, name, lookup, depth + 1, visited)
    return found
