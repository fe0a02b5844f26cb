"""JSON pointer -> line number in a spec's source text, for diagnostics only.

Nothing here runs on the happy path: a `Locator` is built the first time a diagnostic needs a
line. JSON is scanned with the C decoder (skipping whole values, never building an index of the
file), YAML is composed (nodes carry marks). Each container's members are indexed once, so many
lookups into the same file stay cheap. A pointer that does not exist resolves to the line of its
deepest existing prefix: an approximate line beats none.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .pointer import index as pointer_index
from .pointer import split as split_pointer

if TYPE_CHECKING:
    import yaml  # type: ignore[import-untyped, unused-ignore]

__all__ = ["Locator", "compose_yaml", "deep_recursion", "is_nesting_limit", "line_of"]

_WS = re.compile(r"[ \t\n\r]*")
_scan_value: Any = json.scanner.make_scanner(json.decoder.JSONDecoder())  # type: ignore[arg-type]
_scan_string: Any = json.decoder.scanstring  # type: ignore[attr-defined]

# Deep documents are legal; the C JSON decoder and PyYAML's pure composer recurse once (or
# twice) per level, so callers raise the limit to this around parsing instead of failing.
DEEP_RECURSION_LIMIT = 25_000


@contextmanager
def deep_recursion(limit: int = DEEP_RECURSION_LIMIT) -> Iterator[None]:
    """Temporarily raise the recursion limit (never lower it) for parsers that recurse per level."""
    old = sys.getrecursionlimit()
    if old < limit:
        sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        if old < limit:
            sys.setrecursionlimit(old)


class _JsonLocator:
    """Finds member offsets in JSON text. Each container is scanned lazily, only as far as the
    wanted member, and what was scanned is remembered for the next lookup."""

    def __init__(self, text: str) -> None:
        self.text = text
        # container offset -> ({member key: (member offset, value offset)}, resume state)
        self.scanned: dict[int, tuple[dict[str, tuple[int, int]], list[int]]] = {}

    def _skip_ws(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    def _skip_value(self, pos: int) -> int:
        """Offset after the value at pos and its trailing comma."""
        with deep_recursion():
            _, pos = _scan_value(self.text, pos)
        pos = self._skip_ws(pos)
        if pos < len(self.text) and self.text[pos] == ",":
            pos = self._skip_ws(pos + 1)
        return pos

    def _member(self, start: int, wanted: str) -> tuple[int, int] | None:
        text = self.text
        # resume = [offset, next array index, whether a value must be skipped first]
        members, resume = self.scanned.setdefault(start, ({}, [self._skip_ws(start + 1), 0, 0]))
        hit = members.get(wanted)
        if hit is not None or resume[0] < 0:
            return hit
        is_object = text[start] == "{"
        closer = "}" if is_object else "]"
        pos, index = resume[0], resume[1]
        if resume[2]:
            pos = self._skip_value(pos)
        while pos < len(text) and text[pos] != closer:
            member = pos
            if is_object:
                key, pos = _scan_string(text, pos + 1)
                pos = self._skip_ws(self._skip_ws(pos) + 1)  # past the ':'
            else:
                key, index = str(index), index + 1
            members.setdefault(key, (member, pos))
            if key == wanted:  # stop before its value: descending needs no skip over it
                resume[:] = [pos, index, 1]
                return members[key]
            pos = self._skip_value(pos)
        resume[0] = -1
        return None

    def offset(self, segments: list[str]) -> int:
        pos = self._skip_ws(0)
        found = pos
        for seg in segments:
            if pos >= len(self.text) or self.text[pos] not in "{[":
                break
            hit = self._member(pos, seg)
            if hit is None:
                break
            found, pos = hit
        return found


def is_nesting_limit(exc: yaml.YAMLError) -> bool:
    """libyaml refuses more than 1,000 levels; the pure-Python parser takes them (slowly)."""
    return "maximum nesting depth" in str(exc)


def compose_yaml(text: str) -> yaml.Node | None:
    """The node graph of a single-document YAML text (libyaml when available)."""
    # PyYAML: 10 ms a JSON spec never needs
    import yaml  # type: ignore[import-untyped, unused-ignore]

    classes: list[type[Any]] = [yaml.SafeLoader]
    if hasattr(yaml, "CSafeLoader"):
        classes.insert(0, yaml.CSafeLoader)
    for i, cls in enumerate(classes):
        loader = cls(text)
        try:
            with deep_recursion():
                node: yaml.Node | None = loader.get_single_node()
            return node
        except yaml.YAMLError as exc:
            if i + 1 == len(classes) or not is_nesting_limit(exc):
                raise
        finally:
            loader.dispose()
    return None


class _YamlLocator:
    """Walks the composed node graph (marks, no construction), so aliases cost nothing."""

    def __init__(self, text: str) -> None:
        self.root = compose_yaml(text)

    def line(self, segments: list[str]) -> int | None:
        import yaml  # type: ignore[import-untyped, unused-ignore]

        node: Any = self.root
        if node is None:
            return None
        line = int(node.start_mark.line) + 1
        for seg in segments:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == seg:
                        line, node = int(key.start_mark.line) + 1, value
                        break
                else:
                    break
            elif (
                isinstance(node, yaml.SequenceNode)
                and (at := pointer_index(seg, len(node.value))) is not None
            ):
                node = node.value[at]
                line = int(node.start_mark.line) + 1
            else:
                break
        return line


class Locator:
    """Line numbers for pointers into one file's text; build once per file and reuse."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._json: _JsonLocator | None = None
        self._yaml: _YamlLocator | None = None
        self._broken = False
        if text.lstrip()[:1] in ("{", "["):
            self._json = _JsonLocator(text)

    def line(self, pointer: str) -> int | None:
        """1-based line where the node (or, for a mapping member, its key) starts; None if unknown."""
        try:
            segments = split_pointer(pointer)
        except ValueError:
            return None
        if self._json is not None:
            try:
                offset = self._json.offset(segments)
            except (ValueError, IndexError, StopIteration, RecursionError):
                self._json = None  # not strict JSON after all (e.g. YAML flow style): try YAML
            else:
                return self.text.count("\n", 0, offset) + 1
        if self._broken:
            return None
        if self._yaml is None:
            import yaml  # type: ignore[import-untyped, unused-ignore]

            try:
                self._yaml = _YamlLocator(self.text)
            except (yaml.YAMLError, RecursionError):
                self._broken = True
                return None
        return self._yaml.line(segments)


def line_of(text: str, pointer: str) -> int | None:
    """One-off lookup; use a `Locator` for several pointers into the same text."""
    return Locator(text).line(pointer)
