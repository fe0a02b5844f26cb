"""The operations of a path item: one per fixed HTTP method (OpenAPI 3.2 adds `query`), and
3.2's `additionalOperations`, keyed by any other method (`COPY`, `PURGE`). One walk for the IR,
the sandbox's router and the security pass, so that they see the same operations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .header_params import HTTP_TOKEN
from .pointer import escape

FIXED = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")


def path_operations(item: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(method in lower case, the operation's pointer relative to the item, the operation)."""
    for method in FIXED:
        op = item.get(method)
        if isinstance(op, Mapping):
            yield method, method, op
    extra = item.get("additionalOperations")
    for name, op in extra.items() if isinstance(extra, Mapping) else ():
        if (
            isinstance(name, str)
            and HTTP_TOKEN.fullmatch(name)  # what a method may be on the wire
            and name.lower() not in FIXED  # the spec forbids it; the fixed field is the one
            and isinstance(op, Mapping)
        ):
            yield name.lower(), f"additionalOperations/{escape(name)}", op
