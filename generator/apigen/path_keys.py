"""Path keys holding a query (`/alerts?lat={lat}`) or a fragment (`/#Action=RunInstances`).

OpenAPI forbids both in a path key, but real specs (AWS, Box, weatherbit...) use them to tell
apart operations that share one real path. A client sends only the part before `?` or `#`;
the query pairs are sent as query parameters (`name=value` a constant, `name={param}` the value
of the declared parameter `param`); the fragment is never sent, its `name=value` pairs only name
the declared parameter that carries the value (decisions.md 27). The generator (IR), the
sandbox's router and the contract runner read keys through this one module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["PathKey", "placeholders", "split_key"]

_BOUND = re.compile(r"^\{([^{}]+)\}$")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class PathKey:
    """One path key split into what goes on the wire and what only tells operations apart."""

    key: str
    wire: str  # the path sent: the key before any `?` or `#`
    constants: tuple[tuple[str, str], ...] = ()  # `?name=value`: always sent in the query
    bound: tuple[tuple[str, str], ...] = ()  # `?name={param}`: (query name, parameter name)
    fragment: str = ""  # the text after `#` (never sent)
    fragment_pairs: tuple[tuple[str, str], ...] = ()  # `#name=value&...`

    @property
    def plain(self) -> bool:
        """A key without query or fragment (every spec that follows OpenAPI)."""
        return self.wire == self.key

    @property
    def fragment_word(self) -> str:
        """`#add_shared_link`: a fragment that is one word, not pairs ('' otherwise)."""
        return self.fragment if self.fragment and not self.fragment_pairs else ""


def _pairs(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for part in text.split("&"):
        name, eq, value = part.partition("=")
        if name and eq:
            out.append((unquote(name), value))
    return out


def split_key(key: str) -> PathKey:
    """`key` split at its first `?` or `#` (a `?` after the `#` belongs to the fragment)."""
    head, _, fragment = key.partition("#")
    wire, _, query = head.partition("?")
    if wire == key:
        return PathKey(key, key)
    constants: list[tuple[str, str]] = []
    bound: list[tuple[str, str]] = []
    for name, value in _pairs(query):
        found = _BOUND.match(value)
        if found:
            bound.append((name, found.group(1)))
        else:
            constants.append((name, unquote(value)))
    frag_pairs = tuple((n, unquote(v)) for n, v in _pairs(fragment))
    return PathKey(key, wire or "/", tuple(constants), tuple(bound), fragment, frag_pairs)


def placeholders(key: str) -> list[str]:
    """The parameter names a path key's template fills, in order, once each: the placeholders
    of the path sent, then the parameters its query binds (`?name={param}`)."""
    found = split_key(key)
    names = [*_PLACEHOLDER.findall(found.wire), *(target for _, target in found.bound)]
    return list(dict.fromkeys(names))


def spanning(key: str, marked: set[str]) -> str | None:
    """The one path parameter of `key` that spans segments (`x-multi-segment`): among those
    `marked`, the one filling a whole segment alone; None when none does or several would (two
    spanning values cannot be told apart on the wire: each then fills one segment, `/` encoded).
    The IR, the sandbox and the contract read a template alike through this."""
    found = [
        segment[1:-1]
        for segment in split_key(key).wire.split("/")
        if segment.startswith("{")
        and segment.endswith("}")
        and segment.count("{") == 1
        and segment[1:-1] in marked
    ]
    return found[0] if len(found) == 1 else None
