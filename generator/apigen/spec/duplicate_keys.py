"""Keys written twice in one object, which JSON and YAML parsers resolve silently.

`json.loads` and PyYAML keep the last value of a repeated key and drop the others without a
word, so a spec with two `/pets:` path items, or two `properties` of one name, loses an
operation or a field and nobody is told. YAML 1.2 forbids such keys, RFC 8259 leaves the
outcome undefined. apigen keeps the parsers' reading (the last value) and says so: a warning
naming the key's file, JSON pointer and line (`--strict` refuses the spec).

YAML is checked while the document is built (`yaml_load._map` notes each repeat: no extra
pass). JSON is checked by the validation child, off the build's critical path and cached with
its verdict: the `object_pairs_hook` that sees repeats makes `json.loads` ~40 % dearer
(GitHub's 13 MB: 0.21 -> 0.30 s CPU), which the parent would pay on every cold build.
"""

from __future__ import annotations

import json
from typing import Any

from ..diagnostics import Diagnostic
from .locate import deep_recursion
from .pointer import join as join_pointer

__all__ = ["Repeats", "diagnostic", "json_repeats"]


class Repeats:
    """The objects built with a repeated key, found again by identity in the finished tree."""

    def __init__(self) -> None:
        # id(object) -> (the object, held so its id stays its; [(key, line)])
        self._found: dict[int, tuple[dict[str, Any], list[tuple[str, int | None]]]] = {}

    def __bool__(self) -> bool:
        return bool(self._found)

    def note(self, holder: dict[str, Any], key: str, line: int | None = None) -> None:
        """`key` occurs again in the object being built as `holder`."""
        entry = self._found.setdefault(id(holder), (holder, []))
        entry[1].append((key, line))

    def located(self, root: Any) -> list[tuple[str, str, int | None]]:
        """(pointer of the repeated key, key, line where it repeats) in document order."""
        out: list[tuple[str, str, int | None]] = []
        if not self._found:
            return out
        left = len(self._found)
        stack: list[tuple[Any, list[str]]] = [(root, [])]
        while stack and left:
            node, path = stack.pop()
            if isinstance(node, dict):
                entry = self._found.get(id(node))
                if entry is not None and entry[0] is node:
                    left -= 1
                    out.extend((join_pointer([*path, k]), k, line) for k, line in entry[1])
                stack.extend((v, [*path, k]) for k, v in reversed(node.items()))
            elif isinstance(node, list):
                stack.extend((v, [*path, str(i)]) for i, v in reversed(list(enumerate(node))))
        return out


def json_repeats(text: str) -> list[tuple[str, str, int | None]]:
    """Every repeated key of a JSON text (pointer, key, None); [] when it is not JSON."""
    repeats = Repeats()

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    repeats.note(obj, key)
                seen.add(key)
        return obj

    try:
        with deep_recursion():
            root = json.loads(text, object_pairs_hook=pairs_hook)
    except (ValueError, RecursionError):
        return []  # not JSON (the loader read it as YAML) or too deep: reported elsewhere
    return repeats.located(root)


def diagnostic(file: str, pointer: str, key: str, line: int | None) -> Diagnostic:
    return Diagnostic(
        file,
        pointer,
        f"key {key!r} is written more than once in this object; the last value is used and "
        "the earlier ones are ignored",
        "warning",
        "duplicate-key",
        line,
    )
