"""The `$ref` walk shared by bundling, the ref check and dangling-ref degradation.

It knows where a `$ref` is a keyword and where it is not: under a map of user-chosen names
(`properties`, `responses`...) a child called `$ref` is a name, and inside instance data
(`example`, `default`, `x-...`) it is just data. Frames link to their parents, so a pointer is
built only when a diagnostic needs one. All walks are iterative.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from .pointer import MISSING, find
from .pointer import split as split_pointer

__all__ = [
    "Frame",
    "canonical_ref",
    "copy_counted",
    "copy_tree",
    "count_containers",
    "is_schema_ref",
    "walk_refs",
]

# Mappings whose keys are user-chosen names: a child called `$ref`, `example`, `default` or `x-...`
# is a property/response/... name there, not a keyword.
_NAMED_MAPS = frozenset(
    {
        "properties", "patternProperties", "dependentSchemas", "definitions", "$defs",
        "schemas", "responses", "parameters", "headers", "examples", "requestBodies",
        "securitySchemes", "securityDefinitions", "links", "callbacks", "pathItems", "paths",
        "webhooks", "content", "encoding", "variables", "mapping", "scopes",
    }
)  # fmt: skip
# Keywords whose values are instance data (examples, defaults): a `$ref` inside is just data.
_DATA_KEYS = frozenset({"example", "default", "enum", "const"})
# Where a `$ref` names a schema (bundled into components/schemas); anything else is inlined.
_SCHEMA_KEYS = frozenset(
    {
        "schema", "items", "additionalProperties", "not", "additionalItems", "contains",
        "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties",
        "contentSchema",
    }
)  # fmt: skip
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "dependentSchemas", "definitions", "$defs", "schemas"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def copy_tree(node: Any) -> Any:
    """Deep copy of JSON data without recursion (and without keeping YAML alias sharing)."""
    return copy_counted(node)[0]


def count_containers(node: Any) -> int:
    """How many dicts and lists `node` holds, itself included (without recursion)."""
    count, stack = 0, [node]
    while stack:
        top = stack.pop()
        if type(top) is dict:
            stack.extend(top.values())
        elif type(top) is list:
            stack.extend(top)
        else:
            continue
        count += 1
    return count


def copy_counted(node: Any) -> tuple[Any, int]:
    """`copy_tree` and the number of containers it copied (what a bundle's inlining adds)."""
    if type(node) is dict:
        root: Any = {}
    elif type(node) is list:
        root = []
    else:
        return node, 0
    stack: list[tuple[Any, Any]] = [(node, root)]
    copied = 0
    while stack:
        src, dst = stack.pop()
        copied += 1
        items = src.items() if type(src) is dict else enumerate(src)
        for k, v in items:
            tv = type(v)
            if tv is dict or tv is list:
                new: Any = {} if tv is dict else []
                stack.append((v, new))
                v = new
            if type(dst) is dict:
                dst[k] = v
            else:
                dst.append(v)
    return root, copied


def canonical_ref(doc: Any, ref: str) -> tuple[bool, str]:
    """Whether a local `#...` ref resolves in doc, and its canonical spelling (percent-decoded
    only when the raw spelling does not resolve, since later stages do not decode)."""
    try:
        if find(doc, split_pointer(ref)) is not MISSING:
            return True, ref
        decoded = "#" + unquote(ref[1:])
        if decoded != ref and find(doc, split_pointer(decoded)) is not MISSING:
            return True, decoded
    except ValueError:
        pass
    return False, ref


class Frame:
    """One mapping or list met by the ref walk; parents are linked so pointers are built only
    when a diagnostic needs one."""

    __slots__ = ("container", "key", "named", "node", "parent", "skip")

    def __init__(
        self, node: Any, key: Any, container: Any, parent: Frame | None, named: bool
    ) -> None:
        self.node = node
        self.key = key
        self.container = container
        self.parent = parent
        self.named = named
        self.skip = False

    def segments(self) -> list[str]:
        out: list[str] = []
        frame: Frame | None = self
        while frame is not None and frame.parent is not None:
            out.append(str(frame.key))
            frame = frame.parent
        out.reverse()
        return out

    def is_schema_position(self) -> bool:
        parent = self.parent
        if self.key in _SCHEMA_KEYS and not (parent is not None and parent.named):
            return True
        if parent is not None and parent.named and parent.key in _SCHEMA_MAPS:
            return True
        return parent is not None and type(parent.node) is list and parent.key in _SCHEMA_LISTS


def _is_data(key: str, value: Any, frame: Frame, swagger2: bool) -> bool:
    if key in _DATA_KEYS or key.startswith("x-"):
        return True
    if key == "examples":
        return swagger2 or type(value) is list
    parent = frame.parent
    return key == "value" and parent is not None and parent.named and parent.key == "examples"


def walk_refs(
    root: Any, *, swagger2: bool, key: Any = None, container: Any = None, named: bool = False
) -> Iterator[Frame]:
    """Every mapping holding a `$ref` keyword, skipping names and instance data. The consumer may
    set `frame.skip` to keep the walk out of a node it replaced."""
    stack = [Frame(root, key, container, None, named)]
    while stack:
        frame = stack.pop()
        node = frame.node
        if type(node) is dict:
            # in a map of names, `$ref` is a property (or response...) called so, unless its
            # value is a string: then the whole map is a reference (`schemas: {$ref: all.yaml}`)
            if "$ref" in node and (not frame.named or type(node["$ref"]) is str):
                yield frame
                if frame.skip:
                    continue
            for k, v in node.items():
                tv = type(v)
                if tv is not dict and tv is not list:
                    continue
                if not frame.named and _is_data(k, v, frame, swagger2):
                    continue
                named_child = tv is dict and not frame.named and k in _NAMED_MAPS
                stack.append(Frame(v, k, node, frame, named_child))
        elif type(node) is list:
            for i, v in enumerate(node):
                if type(v) is dict or type(v) is list:
                    stack.append(Frame(v, i, node, frame, False))
        # (a scalar: a `$ref` to a number, a string or an empty file inlines one; nothing to walk)


def is_schema_ref(fragment: list[str]) -> bool:
    """Whether a ref's target sits in a map of schemas (then it names a schema wherever used)."""
    return len(fragment) >= 2 and fragment[-2] in ("schemas", "definitions", "$defs")
