"""Schemas that contain themselves through composition, named for the validator's depth error.

openapi-spec-validator (and the fast walk, which mirrors it) collects an `allOf`'s properties by
descending `allOf`/`anyOf`/`oneOf`/`items`/`not` through every `$ref` with no cycle guard, so
`A: allOf: [$ref B]` with `B: allOf: [$ref A]` (or `Expr: anyOf: [$ref Expr, string]`) recurses
until Python gives up. That is reported as a depth problem; this says which schemas loop, so
the author can see where (apigen itself builds such schemas: its IR and sandbox guard every
walk against cycles).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .pointer import MISSING, escape, find

__all__ = ["composed_refs", "composition_cycle"]

# keywords the property collection descends (no `properties`: a model may hold itself there)
_LISTS = ("allOf", "anyOf", "oneOf")
_SINGLE = ("items", "not")
_MAX_NODES = 200_000  # a bound on the walk of one schema's composition members


def composition_cycle(document: Mapping[str, Any]) -> list[str] | None:
    """The first cycle of local `$ref`s joined by composition keywords, as the refs in order
    with the first repeated at the end (`[A, B, A]`), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in _starts(document):
        if start in state:
            continue
        path: list[str] = [start]
        state[start] = 1
        edges: list[Iterator[str]] = [iter(_edges(document, start))]
        while edges:
            target = next(edges[-1], None)
            if target is None:
                state[path.pop()] = 2
                edges.pop()
                continue
            mark = state.get(target)
            if mark == 1:
                return [*path[path.index(target) :], target]
            if mark is None:
                state[target] = 1
                path.append(target)
                edges.append(iter(_edges(document, target)))
    return None


def _starts(document: Mapping[str, Any]) -> Iterator[str]:
    """Every named schema: a cycle needs a `$ref`, and refs name these (or paths into them)."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    for prefix, table in (
        ("#/components/schemas/", schemas),
        ("#/definitions/", document.get("definitions")),
    ):
        if isinstance(table, Mapping):
            for name in table:
                yield prefix + escape(str(name))


def _edges(document: Mapping[str, Any], ref: str) -> list[str]:
    """The local refs the schema at `ref` reaches through composition keywords alone."""
    return list(dict.fromkeys(composed_refs(document, ref)))


def composed_refs(document: Mapping[str, Any], ref: str) -> list[str]:
    """The local refs the schema at `ref` names through composition keywords alone, each as
    often as it is named (`allOf: [$ref X, $ref X]` names X twice)."""
    root = find(document, ref)
    if root is MISSING:
        return []
    found: list[str] = []
    stack: list[Any] = [root]
    seen = 0
    while stack and seen < _MAX_NODES:
        node = stack.pop()
        seen += 1
        if not isinstance(node, Mapping):
            continue
        target = node.get("$ref")
        if isinstance(target, str):
            if target.startswith("#"):
                found.append(target)
            continue
        for key in _LISTS:
            members = node.get(key)
            if isinstance(members, list):
                stack.extend(reversed(members))
        for key in _SINGLE:
            if isinstance(node.get(key), Mapping):
                stack.append(node[key])
    return found
