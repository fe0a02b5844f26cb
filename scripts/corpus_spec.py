"""Count a spec's operations independently of any generator.

Why: "operations generated vs operations in the spec" is only meaningful if the denominator does
not come from the tool being judged. This walks `paths` x HTTP methods itself, following
path-item `$ref`s (local pointers and relative files), and lists 3.1 `webhooks` separately:
those are requests the API *sends*, so a client generator that skips them drops nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml  # type: ignore[import-untyped, unused-ignore]
from corpus_common import SpecInfo

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_REF_HOPS = 32

# The C loader is ~10x faster on multi-MB specs; fall back when libyaml is absent.
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_document(path: Path) -> Any:
    """Parse a JSON or YAML spec file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=_YamlLoader)  # a SafeLoader subclass


class _Resolver:
    """Follows `$ref`s to path items, across files, caching each loaded document."""

    def __init__(self, root_file: Path, root_doc: Any) -> None:
        self._docs: dict[Path, Any] = {root_file.resolve(): root_doc}
        self.problems: list[str] = []

    def path_item(self, item: Any, base: Path) -> dict[str, Any] | None:
        """The path item behind `item` (itself, or what its `$ref` chain points at)."""
        seen: set[str] = set()
        while isinstance(item, dict) and isinstance(item.get("$ref"), str):
            ref = item["$ref"]
            if ref in seen or len(seen) >= MAX_REF_HOPS:
                self.problems.append(f"path-item $ref cycle at {ref}")
                return None
            seen.add(ref)
            item, base = self._follow(ref, base)
        return item if isinstance(item, dict) else None

    def _follow(self, ref: str, base: Path) -> tuple[Any, Path]:
        file_part, _, pointer = ref.partition("#")
        target = (base.parent / file_part).resolve() if file_part else base.resolve()
        doc = self._document(target)
        if doc is None:
            self.problems.append(f"cannot load {ref}")
            return None, target
        node = _walk_pointer(doc, pointer)
        if node is None:
            self.problems.append(f"dangling $ref {ref}")
        return node, target

    def _document(self, path: Path) -> Any:
        if path not in self._docs:
            try:
                self._docs[path] = load_document(path)
            except (OSError, ValueError, yaml.YAMLError) as exc:
                self.problems.append(f"{path.name}: {type(exc).__name__}: {exc}")
                self._docs[path] = None
        return self._docs[path]


def _walk_pointer(doc: Any, pointer: str) -> Any:
    """JSON-pointer lookup (RFC 6901, URL-unquoted); None when any step is missing."""
    node = doc
    for raw in [p for p in pointer.split("/") if p]:
        key = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def _operations(section: Any, resolver: _Resolver, base: Path) -> list[str]:
    """ "METHOD key" for every HTTP method of every path item in `paths` or `webhooks`."""
    found: list[str] = []
    if not isinstance(section, dict):
        return found
    for key, raw_item in section.items():
        item = resolver.path_item(raw_item, base)
        if item is None:
            continue
        found += [f"{m.upper()} {key}" for m in HTTP_METHODS if isinstance(item.get(m), dict)]
    return found


def spec_info(path: Path) -> SpecInfo:
    """Version, operations and webhook operations of the spec at `path`."""
    try:
        doc = load_document(path)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        return SpecInfo(version="?", ops=[], webhook_ops=[], problems=[f"load: {exc}"])
    if not isinstance(doc, dict):
        return SpecInfo(version="?", ops=[], webhook_ops=[], problems=["not a mapping"])
    resolver = _Resolver(path, doc)
    version = str(doc.get("openapi") or doc.get("swagger") or "?")
    ops = _operations(doc.get("paths"), resolver, path)
    hooks = _operations(doc.get("webhooks"), resolver, path)
    return SpecInfo(version=version, ops=ops, webhook_ops=hooks, problems=resolver.problems)
