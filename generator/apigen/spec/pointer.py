"""JSON pointers (RFC 6901) as `$ref`s and diagnostics spell them: `#/a/b~1c`. The one place
that escapes, splits, joins and follows them (loader, IR, sandbox, contract runner)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "MISSING",
    "escape",
    "find",
    "index",
    "join",
    "lookup",
    "split",
    "unescape",
    "zero_padded_hint",
]

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


def index(segment: str, length: int) -> int | None:
    """The array index `segment` spells (RFC 6901: `0` or digits without a leading zero, so
    `01` and `²` name no item), if it is one below `length`."""
    if not segment.isascii() or not segment.isdigit() or (segment[0] == "0" and segment != "0"):
        return None
    number = int(segment)
    return number if number < length else None


def zero_padded_hint(segments: Sequence[str]) -> str:
    """Why a pointer with a `01` segment names nothing, for a message (or `""`)."""
    padded = next((s for s in segments if len(s) > 1 and s[0] == "0" and s.isdigit()), None)
    return (
        f" (`{padded}` is no array index: RFC 6901 indexes have no leading zero)" if padded else ""
    )


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
        elif isinstance(node, list) and (at := index(seg, len(node))) is not None:
            node = node[at]
        else:
            return MISSING
    return node


def lookup(document: Any, pointer: str) -> Any:
    """The node `pointer` names; `KeyError` naming the pointer when there is none."""
    node = find(document, pointer)
    if node is MISSING:
        raise KeyError(pointer)
    return node
