"""Dangling `$ref`s (a missing file or target) degraded instead of fatal where something untyped
can stand in: a schema becomes Any, a parameter is left out, a body or response is typed Any.
Each degradation is a located warning; anywhere else the dangling ref stays an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Report
from .refs import Frame, copy_tree

__all__ = ["Dangling"]

_UNTYPED_JSON: dict[str, Any] = {"application/json": {"schema": {}}}
# Keywords that leave a schema without its `$ref` accepting any value.
_ANNOTATIONS = frozenset(
    {
        "description", "title", "nullable", "deprecated", "readOnly", "writeOnly", "example",
        "examples", "default", "$comment", "externalDocs", "xml",
    }
)  # fmt: skip


@dataclass
class Dangling:
    """Where dangling `$ref`s are degraded, and the list members to drop once the walks end
    (dropping during a walk would shift the indices later frames point with)."""

    report: Report
    swagger2: bool = False
    drops: list[tuple[Any, Any, Any]] = field(default_factory=list)  # (container, key, node)

    def degrade(self, frame: Frame, schema_ref: bool) -> str | None:
        """Replace the dangling reference at `frame` by an untyped stand-in; the action taken,
        or None when nothing sensible can stand in for it (then it stays fatal)."""
        node, parent = frame.node, frame.parent
        parent_key = parent.key if parent is not None else None
        in_map = parent is not None and parent.named
        if frame.is_schema_position():
            return self._any_schema(node)
        if parent is not None and type(parent.node) is list and parent_key == "parameters":
            self.drops.append((parent.node, frame.key, node))
            return "parameter left out"
        if frame.key == "requestBody" or (in_map and parent_key == "requestBodies"):
            _replace(node, {"content": copy_tree(_UNTYPED_JSON)})
            return "request body typed as Any (JSON)"
        if in_map and parent_key == "responses":
            text = str(node.get("description") or "unresolved response")
            body = {"schema": {}} if self.swagger2 else {"content": copy_tree(_UNTYPED_JSON)}
            _replace(node, {"description": text, **body})
            return "response typed as Any"
        if in_map and parent is not None and parent_key == "headers":
            if self.swagger2:  # a 2.0 header needs a primitive `type`: none can be claimed
                self.drops.append((parent.node, frame.key, node))
                return "header left out"
            _replace(node, {"schema": {}})
            return "header typed as Any"
        if in_map and parent_key in ("examples", "callbacks", "paths", "webhooks", "pathItems"):
            _replace(node, {})
            return f"{parent_key} entry left empty"
        if schema_ref:  # a schema by its target's name, met somewhere unusual
            return self._any_schema(node)
        return None

    @staticmethod
    def _any_schema(node: dict[str, Any]) -> str:
        del node["$ref"]  # siblings stay (3.1 applies them; annotations are harmless in 3.0)
        if any(k not in _ANNOTATIONS and not k.startswith("x-") for k in node):
            return "$ref left out; the rest of the schema kept"
        return "typed as Any"

    def finish(self) -> None:
        for container, key, node in self.drops:
            if type(container) is list:
                container[:] = [item for item in container if item is not node]
            elif container.get(key) is node:
                del container[key]
        self.drops.clear()


def _replace(node: dict[str, Any], new: dict[str, Any]) -> None:
    node.clear()
    node.update(new)
