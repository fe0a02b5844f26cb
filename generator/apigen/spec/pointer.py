"""JSON pointers (RFC 6901) as `$ref`s and diagnostics spell them: `#/a/b~1c`. The one place
that escapes, splits, joins and follows them (loader, IR, sandbox, contract runner)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MISSING", "escape", "find", "join", "lookup", "split", "unescape"]

MISSING: Any = object()  # what `find` returns for a pointer that names nothing


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def split(pointer: str) -> list[str]:
    """Segments of `#/a/b`, `/a/b`, `#` or `` (no percent-decoding); `ValueError` otherwise."""
    if pointer.startswith("#"):
        pointer = pointer[1:]
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    segments = pointer[1:].split("/")
    return [unescape(s) for s in segments] if "~" in pointer else segments


def join(segments: Sequence[str | int]) -> str:
    """`#/...` pointer (the form used in diagnostics and `$ref`s) from raw segments."""
    return "#" + "".join("/" + escape(str(s)) for s in segments)


def find(document: Any, pointer: str | Sequence[str]) -> Any:
    """The node `pointer` names in `document`, or `MISSING` (never raises for a bad path)."""
    try:
        segments = split(pointer) if isinstance(pointer, str) else list(pointer)
    except ValueError:
        return MISSING
    node = document
    for seg in segments:
        if type(node) is dict or isinstance(node, Mapping):  # (a spec's are dicts: skip the ABC)
            if seg not in node:
                return MISSING
            node = node[seg]
        elif isinstance(node, list) and seg.isascii() and seg.isdigit() and int(seg) < len(node):
            node = node[int(seg)]
        else:
            return MISSING
    return node


def lookup(document: Any, pointer: str) -> Any:
    """The node `pointer` names; `KeyError` naming the pointer when there is none."""
    node = find(document, pointer)
    if node is MISSING:
        raise KeyError(pointer)
    return node
