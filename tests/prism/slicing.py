"""Cut a big OpenAPI document down to a few operations and the components they reference.

Prism resolves and indexes the whole document before it listens, so a slice of a big spec starts
in a fraction of the time and the tests exercise exactly the operations they name.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Top-level keys a slice keeps (not `webhooks` nor extensions such as GitHub's `x-webhooks`,
#: whose `$ref`s would point at dropped components).
TOP_LEVEL = ("openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "externalDocs")


def _refs(node: Any) -> Iterator[str]:
    """Every `$ref` string inside `node` (depth first)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _pointer(ref: str) -> tuple[str, str]:
    """`#/components/schemas/a~1b` -> ("schemas", "a/b"); other refs are refused."""
    parts = ref.split("/")
    if len(parts) != 4 or parts[:2] != ["#", "components"]:
        raise ValueError(
            f"slice: only local `#/components/<kind>/<name>` refs are supported: {ref}"
        )
    return parts[2], parts[3].replace("~1", "/").replace("~0", "~")


def slice_document(document: dict[str, Any], operation_ids: Iterable[str]) -> dict[str, Any]:
    """A copy of `document` with only the named operations and their transitive components.

    Path-level parameters of a kept path item are kept; every security scheme is kept (they are
    named by security requirements, not `$ref`ed); webhooks and top-level extensions are dropped.
    A missing operation id raises `KeyError`.
    """
    wanted = list(operation_ids)
    paths: dict[str, dict[str, Any]] = {}
    found: set[str] = set()
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and operation.get("operationId") in wanted:
                kept = paths.setdefault(path, {k: v for k, v in item.items() if k not in METHODS})
                kept[method] = operation
                found.add(operation["operationId"])
    missing = [op for op in wanted if op not in found]
    if missing:
        raise KeyError(f"slice: operations not in the document: {missing}")

    components = document.get("components") or {}
    kept_components: dict[str, dict[str, Any]] = {}
    if "securitySchemes" in components:
        kept_components["securitySchemes"] = components["securitySchemes"]
    todo = list(_refs(paths)) + list(_refs(kept_components))
    while todo:
        kind, name = _pointer(todo.pop())
        bucket = kept_components.setdefault(kind, {})
        if name in bucket:
            continue
        target = components[kind][name]
        bucket[name] = target
        todo.extend(_refs(target))

    sliced = {k: v for k, v in document.items() if k in TOP_LEVEL}
    sliced["paths"] = paths
    sliced["components"] = {k: dict(sorted(v.items())) for k, v in kept_components.items()}
    if "tags" in sliced:
        used = {t for op in _operations(paths) for t in op.get("tags") or ()}
        sliced["tags"] = [t for t in sliced["tags"] if t.get("name") in used]
    return copy.deepcopy(sliced)


def _operations(paths: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in paths.values():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield item[method]


def write_slice(source: Path, operation_ids: Iterable[str], out: Path) -> Path:
    """Slice the JSON document at `source` into `out` (JSON); returns `out`."""
    document = json.loads(source.read_text(encoding="utf-8"))
    out.write_text(json.dumps(slice_document(document, operation_ids)), encoding="utf-8")
    return out
