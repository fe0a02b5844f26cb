"""Polymorphism by inheritance: a component with a `discriminator` that others extend.

OpenAPI's own example: `Pet` declares `discriminator: {propertyName: petType}` and `Cat` and
`Dog` are `allOf: [$ref: Pet, {...}]`. A response declared as `Pet` that says `petType: Cat` is
a `Cat` ("will indicate that the Cat schema be used"). Models are flattened (no class
inheritance), so a reference to such a base is typed as the tagged union of the base and every
schema that extends it, directly or through another: the value's tag picks the member (the
`mapping`, else a schema's own name), an unknown tag the base. Generators that keep the class
tree (openapi-generator's `from_dict`) dispatch the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..spec.pointer import escape, unescape
from .nodes import (
    COMPONENT_PREFIX,
    JSON_OBJECT,
    Discriminator,
    Ref,
    UnionOf,
    as_list,
    as_object,
)


def _component_key(target: object) -> str | None:
    """The `#/components/schemas/Name` key a `$ref` or a mapping value names, if it is one."""
    if not isinstance(target, str) or not target:
        return None
    key = target if target.startswith("#") else COMPONENT_PREFIX + escape(target)
    rest = key[len(COMPONENT_PREFIX) :]
    return key if key.startswith(COMPONENT_PREFIX) and rest and "/" not in rest else None


def _base_discriminator(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The schema's own discriminator when it makes it a base: a `propertyName`, and no
    `oneOf`/`anyOf` beside it (there the discriminator tells those members apart), unless the
    schema is an object of its own too (`properties`) whose `oneOf` lists components
    (`_listed`): read as a model, it lost its subtypes (openapi-generator's
    `FruitOneOfEnumMappingDisc`: a `Dog` answer parsed as the bare `Animal`)."""
    raw = schema.get("discriminator")
    if not isinstance(raw, JSON_OBJECT) or not isinstance(raw.get("propertyName"), str):
        return None
    if (schema.get("oneOf") or schema.get("anyOf")) and not (
        schema.get("properties") and _listed(schema)
    ):
        return None
    return raw


def _listed(schema: Mapping[str, Any]) -> list[str]:
    """The components a schema's `oneOf`/`anyOf` lists, when every member is one (else none)."""
    members = [*as_list(schema.get("oneOf")), *as_list(schema.get("anyOf"))]
    keys = [_component_key(as_object(m).get("$ref")) for m in members]
    return [k for k in keys if k is not None] if None not in keys else []


def discriminated_bases(
    document: Mapping[str, Any],
    is_model: Callable[[str], bool],
    constants: Callable[[str, str], tuple[str, ...]] = lambda key, prop: (),
) -> dict[str, UnionOf]:
    """Base component key -> the tagged union that a reference to it means.

    Members: the base first (an unknown tag falls back to the union of all members, where a
    tie goes to the first), then every component extending it in document order, then the
    components its `mapping` names that do not extend it. `is_model(key)`: the component is
    an object model (only models can be told apart by a property). A base nothing extends or
    maps to stays a plain reference."""
    schemas = as_object(as_object(document.get("components")).get("schemas"))
    children: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        for member in as_list(as_object(schema).get("allOf")):
            parent = _component_key(as_object(member).get("$ref"))
            if parent is not None:
                children.setdefault(parent, []).append(COMPONENT_PREFIX + escape(str(name)))
    result: dict[str, UnionOf] = {}
    for name, schema in schemas.items():
        disc = _base_discriminator(as_object(schema))
        base = COMPONENT_PREFIX + escape(str(name))
        if disc is None or not is_model(base):
            continue
        members = [base]
        queue = list(children.get(base, ()))
        while queue:  # breadth first: `Dog` extends `Mammal` extends `Animal`
            key = queue.pop(0)
            if key not in members and is_model(key):
                members.append(key)
                queue.extend(children.get(key, ()))
        members += [k for k in _listed(as_object(schema)) if k not in members and is_model(k)]
        tags: list[tuple[str, str]] = []
        for value, target in as_object(disc.get("mapping")).items():
            named = _component_key(target)
            if named is None or not is_model(named):
                continue
            if named not in members:
                members.append(named)
            tags.append((str(value), named))
        if len(members) == 1:
            continue
        mapped = {key for _, key in tags}
        for key in members:  # implicit mapping: the schema's own name
            if key not in mapped:
                tags.append((unescape(key[len(COMPONENT_PREFIX) :]), key))
        prop = str(disc["propertyName"])
        # a member's own constant (`Dog`: `petType: {enum: [dog]}`) picks it too (`constants`:
        # SchemaConverter.tag_constants), as for a `oneOf`'s discriminator
        own = {key: constants(key, prop) for key in members}
        tags += own_tags(own, {v for v, _ in tags})
        result[base] = UnionOf(
            tuple(Ref(k) for k in members),
            Discriminator(prop, tuple(tags), closed=all(own.values())),
        )
    return result


def own_tags(own: Mapping[str, tuple[str, ...]], mapped: set[str]) -> list[tuple[str, str]]:
    """The constants members list for the discriminator's property (`type: {enum:
    [user.created]}`; `own`: member key -> them) that the mapping does not name: a mapping
    often lists schema names (implicit) or only some kinds, and such a value went to the
    fallback, where any member the fields fit was taken (a `user.deleted` event with an
    `email` read as `UserCreated`). A value two members list tells nothing apart: left out."""
    claimed: dict[str, list[str]] = {}
    for key, values in own.items():
        for value in values:
            claimed.setdefault(value, []).append(key)
    return [
        (value, keys[0])
        for value, keys in claimed.items()
        if len(keys) == 1 and value not in mapped
    ]
