"""Stripe-style bracketed form bodies <-> nested data, for assertions on recorded requests.

`a[b][c]=v` nests dicts, `a[]=v` appends, `a[0][k]=v` indexes a list, and a plain key sent
twice becomes a list. Clients that encode nested parameters this way (Stripe's convention,
also Rails/PHP) are otherwise hard to check in tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

_KEY = re.compile(r"^([^\[\]]*)((?:\[[^\]]*\])*)\Z")


def split_key(key: str) -> list[str]:
    """'a[b][]' -> ['a', 'b', '']; a key that is not bracket-shaped stays whole.

    A bracket group runs to the next `]`, so a `[` inside it belongs to the key, as Rack and PHP
    read it (`metadata[[k]=v` is `{"[k": "v"}`): a client encoding `{"[k": "v"}` has no other
    spelling. A `]` inside a key has none at all (`metadata[a]b]` stays one unknown key).
    """
    found = _KEY.match(key)
    if found is None or not found.group(1):
        return [key]
    return [found.group(1), *re.findall(r"\[([^\]]*)\]", found.group(2))]


class _Appended(str):
    """A key `[]` made (`a[]=v` appends), not one the client wrote (`a[0]=v`)."""

    __slots__ = ()


class IndexList(list[Any]):
    """A list read from keys the client wrote as indices (`a[0]=x&a[1]=y`). Where the schema
    wants an object instead, they were keys: Rack and PHP read `metadata[0]=v` as
    `{"0": "v"}` (see `Coercer`); a list made by `[]` appends stays a plain list."""


def parse_form(body: bytes | str) -> dict[str, Any]:
    """Decode an `application/x-www-form-urlencoded` body into nested dicts and lists."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        _insert(root, split_key(key), value)
    return {key: _listify(value) for key, value in root.items()}


def _insert(node: dict[str, Any], parts: list[str], value: str) -> None:
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if part == "" and depth > 0:  # `[]`: a new element at the end of a list (kept as a
            part = _Appended(len(node))  # digit-keyed dict); `=v` alone is the key "" (helper 227)
        if last:
            if part in node and depth == 0 and not isinstance(node[part], dict):
                previous = node[part]
                node[part] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                node[part] = value
            return
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child


def _listify(node: Any) -> Any:
    """Dicts keyed exactly '0'..'n-1' become lists, recursively."""
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v) for k, v in node.items()}
    if (
        items
        and all(k.isascii() and k.isdigit() for k in items)
        and sorted(int(k) for k in items) == list(range(len(items)))
    ):
        ordered = [items[str(i)] for i in range(len(items))]
        return ordered if any(isinstance(k, _Appended) for k in items) else IndexList(ordered)
    return items


def encode_form(value: Any) -> str:
    """The inverse of `parse_form` (lists as `a[0]`), used for form-encoded example responses."""
    pairs: list[tuple[str, str]] = []
    _flatten("", value, pairs)
    return urlencode(pairs)


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{prefix}[{key}]" if prefix else str(key), item, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(f"{prefix}[{index}]", item, out)
    elif prefix:
        text = (
            ""
            if value is None
            else "true"
            if value is True
            else "false"
            if value is False
            else str(value)
        )
        out.append((prefix, text))
