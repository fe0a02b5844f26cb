"""Schemas whose composition members, references followed, multiply past any real API's.

`A0: allOf: [$ref A1, $ref A1]`, `A1: allOf: [$ref A2, $ref A2]`, ... 30 levels is 30 small
schemas, but a validator checks one value against A0 by checking it against A1 twice, A2 four
times...: 2^30 checks. jsonschema (the sandbox's and the contract run's request validation),
openapi-spec-validator's property collection and every walk of `allOf` members without a memory
hang on it, as YAML aliases nested the same way do (a "reference bomb"). The document is refused
where such a schema is, before anything walks it.

Only members that apply to the same value count (`allOf`, `anyOf`, `oneOf`, `not`, `items`):
`properties` that name one schema many times over are how real APIs reuse models, and walks
through them end with the data (a value is only so deep). Measured over the 335 specs under
../shared/specs that load: the largest, so expanded, is 59 schemas (OpenAI's), GitHub's 47; the
check takes at most 11 ms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .cycles import composed_refs

__all__ = ["MAX_EXPANDED", "expanded_sizes", "first_bomb"]

#: A named schema expanding to more composition members than this is refused.
MAX_EXPANDED = 10_000
#: sizes are counted up to here: far past the limit, so the bomb's outermost schema, the
#: largest, is the one named (and the sums stay small numbers)
_CAP = MAX_EXPANDED**4


def expanded_sizes(document: Mapping[str, Any], refs: Iterable[str]) -> dict[str, int]:
    """How many schemas each of `refs` is once its composition members' `$ref`s are followed
    (each as often as it is named), capped at `_CAP`. A ref that leads back to one
    being counted (a cycle, which validators end on their own) counts once there."""
    sizes: dict[str, int] = {}
    for start in refs:
        if start in sizes:
            continue
        # depth first with an explicit stack (chains of hundreds of allOfs exist): each entry
        # is a ref on the current path and the member refs it has yet to visit
        on_path = {start}
        path: list[tuple[str, list[str], int]] = [(start, composed_refs(document, start), 0)]
        while path:
            ref, members, at = path[-1]
            if at < len(members):
                path[-1] = (ref, members, at + 1)
                member = members[at]
                if member not in sizes and member not in on_path:
                    on_path.add(member)
                    path.append((member, composed_refs(document, member), 0))
                continue
            path.pop()
            on_path.discard(ref)
            sizes[ref] = min(1 + sum(sizes.get(m, 1) for m in members), _CAP)
    return sizes


def first_bomb(document: Mapping[str, Any], refs: Iterable[str]) -> tuple[str, int] | None:
    """The largest of `refs` expanding past MAX_EXPANDED (its outermost schema: the others are
    parts of it), with its size; the first in `refs` order of those as large."""
    sizes = expanded_sizes(document, dict.fromkeys(refs))
    worst = max(sizes.items(), key=lambda item: item[1], default=None)
    return worst if worst is not None and worst[1] > MAX_EXPANDED else None
