"""How a urlencoded form field without an `encoding` entry is spelled: one rule for the IR (the
generated request) and the contract checks (reading the request back).

OpenAPI's default Encoding is `style: form, explode: true`: an array of scalars is repeated
keys (`ids=1&ids=2`). apigen gives that default to such a field; every other field without an
entry (objects, arrays of objects, `extra_body`) keeps the bracketed spelling (`a[b]=1`,
`a[0][k]=v`), because OpenAPI's default would drop an object's own name (decisions.md §70).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["REPEATED_KEYS", "repeats_keys", "text_parts"]

REPEATED_KEYS = ("form", True)  # (style, explode) of the fields `repeats_keys` is true of
_SCALARS = frozenset({"string", "integer", "number", "boolean"})


def repeats_keys(schema: Any, deref: Callable[[Any], Any]) -> bool:
    """Whether `schema` (a form field's, refs resolved by `deref`) is an array of scalars."""
    if not isinstance(schema, Mapping) or schema.get("type") != "array":
        return False
    items = deref(schema.get("items"))
    if not isinstance(items, Mapping):
        return False
    kinds = items.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    return bool(kinds & _SCALARS) and kinds <= _SCALARS | {"null"}


def text_parts(schema: Any, deref: Callable[[Any], Any]) -> set[str]:
    """The properties of a multipart body (refs resolved by `deref`; an `allOf`'s parts read
    merged, as the IR reads them) whose string is its part as written: a `contentMediaType` on
    the property or on its array's items (3.1: `{"a": 1}` is the string's value, sent and read
    as text, never as JSON of the string; the runtime's `Body.texts`)."""
    found: set[str] = set()
    body = deref(schema)
    members = body.get("allOf") if isinstance(body, Mapping) else None
    for part in [body, *(members if isinstance(members, list) else [])]:
        part = deref(part)
        props = part.get("properties") if isinstance(part, Mapping) else None
        for name, prop in props.items() if isinstance(props, Mapping) else ():
            prop = deref(prop)
            if isinstance(prop, Mapping) and prop.get("type") == "array":
                prop = deref(prop.get("items"))
            if isinstance(prop, Mapping) and isinstance(prop.get("contentMediaType"), str):
                found.add(str(name))
    return found
