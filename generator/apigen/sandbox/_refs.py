"""Internal `#/...` JSON-pointer resolution for the sandbox, cached per document.

The sandbox reads loaded specs that still contain `$ref`s (real specs are recursive, so they
are never expanded in place); every lookup goes through one `Resolver` so a 13 MB document
is walked only once per distinct pointer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from ..spec.pointer import MISSING, escape, find, split

_MAX_HOPS = 32


def listed(node: object) -> list[Any]:
    """``node`` when it is a JSON array, else an empty one: a ``parameters`` the spec gave the
    wrong type reads as absent (the validator reports it), as in the generator's IR."""
    return node if isinstance(node, list) else []


class RefError(ValueError):
    """A `$ref` that does not point inside the document (external, malformed or dangling)."""


class Resolver:
    """Looks up `#/...` pointers in one document; follows `$ref` chains a bounded number of times."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._cache: dict[str, Any] = {}

    def lookup(self, ref: str) -> Any:
        """The node `ref` points at (no further `$ref` following)."""
        try:
            return self._cache[ref]
        except KeyError:
            pass
        if not ref.startswith("#"):
            raise RefError(f"only internal references are supported: {ref!r}")
        try:
            segments = split(unquote(ref))
        except ValueError as exc:
            raise RefError(f"malformed reference: {ref!r}") from exc
        node = find(self.document, segments)
        if node is MISSING:
            raise RefError(f"dangling reference: {ref!r}")
        self._cache[ref] = node
        return node

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """Follow `node`'s `$ref` chain; returns the target and the last ref followed (or None).

        Sibling keys of `$ref` are dropped here; schema code that must honour them (OpenAPI 3.1)
        checks for siblings itself before calling this.
        """
        last: str | None = None
        for _ in range(_MAX_HOPS):
            if not isinstance(node, Mapping) or not isinstance(node.get("$ref"), str):
                return node, last
            last = node["$ref"]
            node = self.lookup(last)
        raise RefError(f"reference chain too long or cyclic at {last!r}")


escape_token = escape  # one JSON-pointer token, escaped, for pointers used as cache keys


def declared_parameters(
    item: Mapping[str, Any], operation: Mapping[str, Any], resolver: Resolver
) -> dict[tuple[str, str], Mapping[str, Any]]:
    """An operation's parameters by (name, in), resolved: its path item's first, its own over
    them (OpenAPI's override rule; a header's name in any case); one a `$ref` cannot reach is
    left out."""
    declared: dict[tuple[str, str], Mapping[str, Any]] = {}
    for raw in [*listed(item.get("parameters")), *listed(operation.get("parameters"))]:
        try:
            param, _ = resolver.resolve(raw)
        except RefError:
            continue
        if not isinstance(param, Mapping):
            continue
        name, where = param.get("name"), param.get("in")
        if isinstance(name, str) and isinstance(where, str):
            if where == "header":  # one header whatever the case (`ir.operations` alike)
                for key in [
                    k for k in declared if k[1] == "header" and k[0].lower() == name.lower()
                ]:
                    del declared[key]
            declared[(name, where)] = param
    return declared
