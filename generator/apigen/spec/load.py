"""Read a spec file into one self-contained OpenAPI 3.x document.

Stages: bytes -> JSON or YAML (by content; YAML resolves only JSON types, so dates stay strings and
keys are strings) -> relative external `$ref`s bundled in (absolute, `file://`, `http(s)` and
folder-escaping refs refused unless `allow_remote`) -> every internal `$ref` checked -> Swagger 2.0
upgraded to OpenAPI 3.0.3. All walks are iterative: 2,000-level documents are legal input.

The happy path for a JSON file with only internal refs never walks the tree in Python: refs are
found with one regex over the text (github.json, 13 MB, loads in ~0.35 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import yaml  # type: ignore[import-untyped, unused-ignore]
import yaml.constructor  # type: ignore[import-untyped, unused-ignore]
import yaml.nodes  # type: ignore[import-untyped, unused-ignore]

from apigen import pointer as _pointer
from apigen.diagnostics import Diagnostic, Report, SpecError
from apigen.fetch import FetchedSpec
from apigen.locate import (
    Locator,
    deep_recursion,
    is_nesting_limit,
    join_pointer,
    split_pointer,
)
from apigen.upgrade import upgrade

__all__ = ["LoadedSpec", "canonical_ref", "copy_tree", "load_spec", "parse_document"]

# A YAML file whose aliases expand past this many nodes, and to more than _MAX_ALIAS_RATIO times
# its written size, is refused: later stages walk the expanded tree ("billion laughs").
_MAX_EXPANDED_NODES = 1_000_000
_MAX_ALIAS_RATIO = 10
_MAX_REMOTE_BYTES = 64 * 1024 * 1024

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

_REF_IN_JSON = re.compile(r'"\$ref"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
_EXTERNAL_REF_IN_JSON = re.compile(r'"\$ref"\s*:\s*+(?!"#)')
_COMPONENT_NAME_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_OPENAPI_VERSION = re.compile(r"3\.[01](\.\d+.*)?")


@dataclass
class LoadedSpec:
    """A loaded, bundled, ref-checked OpenAPI 3.x document and where it came from.

    `original` is the document before the Swagger 2.0 upgrade (bundled, refs checked); for 3.x it
    is the same object as `document`. Validation runs on it, so its pointers match the file.
    """

    document: dict[str, Any]
    source: Path
    sha256: str
    original_version: str
    original: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    files: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Every file read, as displayed in diagnostics -> sha256 (root first)."""
    origins: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False, compare=False)
    """Pointer of bundled-in content -> (file, pointer in that file)."""
    _paths: dict[str, Path | None] = field(default_factory=dict, repr=False, compare=False)
    _locators: dict[str, Locator | None] = field(default_factory=dict, repr=False, compare=False)
    display: str = ""
    """How diagnostics name the root (a spec fetched from a URL: the URL), if not `source`."""

    def __post_init__(self) -> None:
        if not self.original:
            self.original = self.document
        if not self.files:
            self.files = {self.file: self.sha256}
        self._paths.setdefault(self.file, self.source)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_locators"] = {}  # texts and indexes are cheap to rebuild, costly to ship
        return state

    @property
    def file(self) -> str:
        """The root file as the user wrote it (the `file` of diagnostics)."""
        return self.display or str(self.source)

    @property
    def content_hash(self) -> str:
        """sha256 over every file read: changes when any bundled file changes."""
        if len(self.files) == 1:
            return self.sha256
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(f"{name}\0{self.files[name]}\0".encode())
        return h.hexdigest()

    def locate(self, pointer: str) -> tuple[str, int | None]:
        """(file, 1-based line) of a pointer into `original` (or, best effort, into `document`)."""
        file, _, line = self.place(pointer)
        return file, line

    def place(self, pointer: str) -> tuple[str, str, int | None]:
        """(file, pointer within that file, line): bundled-in content maps to its own file."""
        file, inner = self.map_pointer(pointer)
        locator = self._locator(file)
        return file, inner, (locator.line(inner) if locator is not None else None)

    def map_pointer(self, pointer: str) -> tuple[str, str]:
        """The file and pointer-in-that-file a pointer into the bundled document comes from."""
        try:
            segments: list[str] = split_pointer(pointer)
        except ValueError:
            return self.file, "#"
        if self.original_version.startswith("2") and segments[:1] == ["components"]:
            segments = _components_to_swagger2(segments)
        for i in range(len(segments), 0, -1):
            hit = self.origins.get(join_pointer(segments[:i]))
            if hit is not None:
                file, base = hit
                return file, base + join_pointer(segments[i:])[1:]
        return self.file, join_pointer(segments)

    def _locator(self, file: str) -> Locator | None:
        """The file's locator, or None when it changed or vanished since loading (no line
        beats a wrong one)."""
        if file not in self._locators:
            path = self._paths.get(file)
            locator = None
            if path is not None:
                try:
                    data = path.read_bytes()
                    if hashlib.sha256(data).hexdigest() == self.files.get(file):
                        locator = Locator(_decode(data, file))
                except (OSError, SpecError):
                    locator = None
            self._locators[file] = locator
        return self._locators[file]


def _components_to_swagger2(segments: list[str]) -> list[str]:
    """Pointers into the upgraded document, mapped back to where Swagger 2.0 wrote them."""
    mapping = {
        "schemas": "definitions",
        "parameters": "parameters",
        "requestBodies": "parameters",
        "responses": "responses",
        "securitySchemes": "securityDefinitions",
    }
    if len(segments) >= 2 and segments[1] in mapping:
        head = [mapping[segments[1]], *segments[2:3]]
        return head if segments[1] == "requestBodies" else head + segments[3:]
    return segments


# --------------------------------------------------------------------------- parsing


def _decode(data: bytes, file: str) -> str:
    """Text of a spec file: UTF-8 (BOM optional) or BOM-marked UTF-16/32, as JSON and YAML allow."""
    for bom, bom_codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            codec = bom_codec
            break
    else:
        codec = "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fatal(
            file, "#", f"not UTF-8 text ({exc.reason} at byte {exc.start})", "syntax", line
        ) from None


def _fatal(file: str, pointer: str, message: str, kind: str, line: int | None = None) -> SpecError:
    return SpecError([Diagnostic(file, pointer, message, "error", kind, line)])


def _int_12(loader: Any, node: yaml.nodes.ScalarNode) -> int:
    """YAML 1.2 core ints: `0777` is 777 (not octal 511), `0o17` and `0x1F` as written."""
    text = str(node.value)
    sign = -1 if text[0] == "-" else 1
    body = text.lstrip("+-")
    if body.startswith("0o"):
        return sign * int(body[2:], 8)
    if body.startswith("0x"):
        return sign * int(body[2:], 16)
    return sign * int(body)


def _float_12(loader: Any, node: yaml.nodes.ScalarNode) -> float:
    return float(str(node.value))


def _as_text(loader: Any, node: yaml.nodes.Node) -> Any:
    """Explicit `!!timestamp`/`!!binary` and unknown tags: keep what was written (JSON types only)."""
    if isinstance(node, yaml.nodes.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.nodes.SequenceNode):
        return _seq(loader, node)
    return _map(loader, node)


def _seq(loader: Any, node: yaml.nodes.SequenceNode) -> Iterator[list[Any]]:
    data: list[Any] = []
    yield data  # generator constructors keep PyYAML's construction iterative (deep documents)
    data.extend(loader.construct_object(child, deep=False) for child in node.value)


def _map(loader: Any, node: yaml.nodes.MappingNode) -> Iterator[dict[str, Any]]:
    """Mappings with string keys as written: `200:` -> "200", `1.10:` -> "1.10"."""
    data: dict[str, Any] = {}
    yield data
    loader.flatten_mapping(node)  # `<<` merge keys
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.nodes.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain strings or numbers", key_node.start_mark
            )
        data[str(key_node.value)] = loader.construct_object(value_node, deep=False)


def _json_compatible_loader(base: type[Any]) -> type[Any]:
    """A loader resolving only YAML 1.2 core (JSON) scalars; everything else stays a string."""

    class JsonCompatibleLoader(base):  # type: ignore[misc]
        yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012  (PyYAML's class registry)

    add = JsonCompatibleLoader.add_implicit_resolver
    add("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    add(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    add(
        "tag:yaml.org,2002:int",
        re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
        list("-+0123456789"),
    )
    add(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
        list("-+.0123456789"),
    )
    add("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
    constructors: dict[str | None, Callable[[Any, Any], Any]] = {
        "tag:yaml.org,2002:int": _int_12,
        "tag:yaml.org,2002:float": _float_12,
        "tag:yaml.org,2002:map": _map,
        "tag:yaml.org,2002:seq": _seq,
        "tag:yaml.org,2002:timestamp": _as_text,
        "tag:yaml.org,2002:binary": _as_text,
        "tag:yaml.org,2002:set": _as_text,
        "tag:yaml.org,2002:omap": _as_text,
        "tag:yaml.org,2002:pairs": _as_text,
        None: _as_text,
    }
    for tag, fn in constructors.items():
        JsonCompatibleLoader.add_constructor(tag, fn)
    return JsonCompatibleLoader


_YAML_LOADERS: list[type[Any]] = [_json_compatible_loader(yaml.SafeLoader)]
if hasattr(yaml, "CSafeLoader"):
    _YAML_LOADERS.insert(0, _json_compatible_loader(yaml.CSafeLoader))


def _node_children(node: yaml.nodes.Node) -> list[yaml.nodes.Node]:
    if isinstance(node, yaml.nodes.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.nodes.SequenceNode):
        return list(node.value)
    return []


def _check_aliases(root: yaml.nodes.Node, file: str) -> None:
    """Refuse recursive aliases and alias bombs by sizing the node graph (each node once)."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.nodes.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        children = _node_children(node)
        if done:
            on_path.discard(nid)
            sizes[nid] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if nid in sizes:
            continue
        on_path.add(nid)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                line = int(child.start_mark.line) + 1
                raise _fatal(
                    file, "#", "recursive YAML alias (a node contains itself)", "yaml-alias", line
                )
            if id(child) not in sizes:
                stack.append((child, False))
    expanded = sizes[id(root)]
    if expanded > _MAX_EXPANDED_NODES and expanded > _MAX_ALIAS_RATIO * len(sizes):
        raise _fatal(
            file,
            "#",
            f"YAML aliases expand {len(sizes):,} written nodes to {expanded:,}; refusing to expand (alias bomb?)",
            "yaml-alias",
        )


def _parse_yaml(text: str, file: str) -> Any:
    for i, cls in enumerate(_YAML_LOADERS):
        loader = cls(text)
        try:
            with deep_recursion():
                node = loader.get_single_node()
                if node is None:
                    return None
                if "&" in text:  # no anchors, no aliases
                    _check_aliases(node, file)
                return loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            if i + 1 < len(_YAML_LOADERS) and is_nesting_limit(exc):
                continue  # libyaml stops at 1,000 levels; the pure-Python parser does not
            mark = exc.problem_mark or exc.context_mark
            line = int(mark.line) + 1 if mark is not None else None
            problem = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            raise _fatal(file, "#", f"invalid YAML: {problem}", "syntax", line) from None
        except yaml.YAMLError as exc:
            raise _fatal(file, "#", f"invalid YAML: {exc}", "syntax") from None
        except RecursionError:
            raise _fatal(file, "#", "document nested too deeply to parse", "depth") from None
        finally:
            loader.dispose()
    return None  # pragma: no cover  (the last loader either returns or raises)


def parse_document(text: str, file: str, *, json_hint: bool = False) -> Any:
    """JSON (fast path) when the text looks like JSON, else YAML; SpecError with a line on failure."""
    return _parse(text, file, json_hint=json_hint)[0]


def _parse(text: str, file: str, *, json_hint: bool) -> tuple[Any, bool]:
    """The document, and whether it was read as JSON (then the text itself can be searched)."""
    if text.lstrip()[:1] in ("{", "["):
        try:
            with deep_recursion():
                return json.loads(text), True
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON: {exc.msg} (column {exc.colno})"
            if json_hint:
                raise _fatal(file, "#", problem, "syntax", exc.lineno) from None
            try:
                return _parse_yaml(text, file), False  # YAML flow style also starts with `{`
            except SpecError:
                raise _fatal(file, "#", problem, "syntax", exc.lineno) from None
        except RecursionError:
            raise _fatal(file, "#", "document nested too deeply to parse", "depth") from None
    return _parse_yaml(text, file), False


# --------------------------------------------------------------------------- tree helpers


def copy_tree(node: Any) -> Any:
    """Deep copy of JSON data without recursion (and without keeping YAML alias sharing)."""
    if type(node) is dict:
        root: Any = {}
    elif type(node) is list:
        root = []
    else:
        return node
    stack: list[tuple[Any, Any]] = [(node, root)]
    while stack:
        src, dst = stack.pop()
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
    return root


_MISSING = _pointer.MISSING
_resolve_segments = _pointer.find  # a node by its segments, or _MISSING


def canonical_ref(doc: Any, ref: str) -> tuple[bool, str]:
    """Whether a local `#...` ref resolves in doc, and its canonical spelling (percent-decoded
    only when the raw spelling does not resolve, since later stages do not decode)."""
    try:
        if _resolve_segments(doc, split_pointer(ref)) is not _MISSING:
            return True, ref
        decoded = "#" + unquote(ref[1:])
        if decoded != ref and _resolve_segments(doc, split_pointer(decoded)) is not _MISSING:
            return True, decoded
    except ValueError:
        pass
    return False, ref


class _Frame:
    """One mapping or list met by the ref walk; parents are linked so pointers are built only
    when a diagnostic needs one."""

    __slots__ = ("container", "key", "named", "node", "parent", "skip")

    def __init__(
        self, node: Any, key: Any, container: Any, parent: _Frame | None, named: bool
    ) -> None:
        self.node = node
        self.key = key
        self.container = container
        self.parent = parent
        self.named = named
        self.skip = False

    def segments(self) -> list[str]:
        out: list[str] = []
        frame: _Frame | None = self
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


def _is_data(key: str, value: Any, frame: _Frame, swagger2: bool) -> bool:
    if key in _DATA_KEYS or key.startswith("x-"):
        return True
    if key == "examples":
        return swagger2 or type(value) is list
    parent = frame.parent
    return key == "value" and parent is not None and parent.named and parent.key == "examples"


def _walk_refs(
    root: Any, *, swagger2: bool, key: Any = None, container: Any = None, named: bool = False
) -> Iterator[_Frame]:
    """Every mapping holding a `$ref` keyword, skipping names and instance data. The consumer may
    set `frame.skip` to keep the walk out of a node it replaced."""
    stack = [_Frame(root, key, container, None, named)]
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
                stack.append(_Frame(v, k, node, frame, named_child))
        else:
            for i, v in enumerate(node):
                if type(v) is dict or type(v) is list:
                    stack.append(_Frame(v, i, node, frame, False))


# --------------------------------------------------------------------------- dangling refs


class _Unreadable(Exception):
    """An external `$ref`'s file cannot be read (missing, a folder, no permission)."""


_UNTYPED_JSON: dict[str, Any] = {"application/json": {"schema": {}}}
# Keywords that leave a schema without its `$ref` accepting any value.
_ANNOTATIONS = frozenset(
    {
        "description", "title", "nullable", "deprecated", "readOnly", "writeOnly", "example",
        "examples", "default", "$comment", "externalDocs", "xml",
    }
)  # fmt: skip


@dataclass
class _Dangling:
    """Where dangling `$ref`s are degraded, and the list members to drop once the walks end
    (dropping during a walk would shift the indices later frames point with)."""

    report: Report
    swagger2: bool = False
    drops: list[tuple[Any, Any, Any]] = field(default_factory=list)  # (container, key, node)

    def degrade(self, frame: _Frame, schema_ref: bool) -> str | None:
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


def _is_schema_ref(fragment: list[str]) -> bool:
    return len(fragment) >= 2 and fragment[-2] in ("schemas", "definitions", "$defs")


# --------------------------------------------------------------------------- bundling


@dataclass
class _File:
    """One file (or, with allow_remote, URL) taking part in the bundle."""

    key: str  # resolved path or URL: identity
    display: str  # as shown in diagnostics
    path: Path | None
    url: str | None
    doc: Any
    sha256: str


class _Bundler:
    """Pulls relative external `$ref`s into the root document; cycles end because each target is
    registered before it is walked."""

    def __init__(
        self,
        root: _File,
        *,
        allow_remote: bool,
        swagger2: bool,
        ref_root: Path | None = None,
        dangling: _Dangling | None = None,
        mirror: FetchedSpec | None = None,
        remote_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.root = root
        self.mirror = mirror  # a spec fetched from a URL: files are shown by their URL
        self.remote_hosts = remote_hosts  # hosts a URL `$ref` may be fetched from
        assert root.path is not None
        self.root_dir = root.path.resolve().parent
        # files may be read from here down: the spec's folder, or the folder the user allowed
        self.allowed = ref_root.resolve() if ref_root is not None else self.root_dir
        self.ref_root_given = ref_root is not None
        self.dangling = dangling
        self.allow_remote = allow_remote
        self.swagger2 = swagger2
        self.files: dict[str, _File] = {root.key: root}
        self.names: dict[tuple[str, str], str] = {}
        self.origins: dict[str, tuple[str, str]] = {}
        self.prefix = ["definitions"] if swagger2 else ["components", "schemas"]
        schemas = _resolve_segments(root.doc, self.prefix)
        self.used: set[str] = set(schemas) if type(schemas) is dict else set()
        self._locators: dict[str, Locator] = {}

    # -- errors --------------------------------------------------------------------------------

    def _error(self, file: _File, segments: list[str], message: str, kind: str) -> SpecError:
        pointer = join_pointer(segments)
        line = None
        if file.path is not None:
            locator = self._locators.get(file.key)
            if locator is None:
                locator = self._locators[file.key] = Locator(
                    _decode(file.path.read_bytes(), file.display)
                )
            line = locator.line(pointer)
        return _fatal(file.display, pointer, message, kind, line)

    # -- reading targets -----------------------------------------------------------------------

    def _display(self, path: Path) -> str:
        """As the user would write it: relative to how the root spec was named (`..` allowed
        when the file sits under --ref-root but beside the spec's folder)."""
        if self.mirror is not None and path.is_relative_to(self.mirror.mirror.resolve()):
            return self.mirror.display(path)
        if not path.is_relative_to(self.allowed) and not path.is_relative_to(self.root_dir):
            return str(path)
        root_display = Path(self.root.display).parent
        return os.path.normpath(root_display / os.path.relpath(path, self.root_dir))

    def _open(self, ref: str, base: _File, where: Callable[[str, str], SpecError]) -> _File:
        """The file a ref's URL part names, read once; refusals name the referring place."""
        url_part = ref.split("#", 1)[0]
        parts = urlsplit(url_part)
        scheme = parts.scheme.lower()
        remote_base = base.url is not None
        if scheme in ("http", "https") or (remote_base and not scheme):
            host = urlsplit(urljoin(base.url or "", url_part)).hostname or ""
            if not self.allow_remote and host not in self.remote_hosts:
                raise where(
                    f"$ref {ref!r} refused: remote URLs are not fetched (allow_remote=False)",
                    "external-ref",
                )
            url = urljoin(base.url or "", url_part)
            return self._fetch(url, where)
        if scheme == "file":
            if not self.allow_remote:
                raise where(
                    f"$ref {ref!r} refused: file:// URLs are not read (allow_remote=False)",
                    "external-ref",
                )
            path = Path(url2pathname(parts.path))
        elif len(scheme) > 1:
            raise where(f"$ref {ref!r} refused: unsupported URL scheme {scheme!r}", "external-ref")
        else:
            raw = unquote(url_part)
            if os.path.isabs(raw) or re.match(r"^[A-Za-z]:[\\/]", raw):
                if not self.allow_remote:
                    raise where(
                        f"$ref {ref!r} refused: absolute paths are not read (allow_remote=False)",
                        "external-ref",
                    )
                path = Path(raw)
            else:
                assert base.path is not None
                path = base.path.parent / raw
        resolved = path.resolve()  # symlinks followed and `..` folded before the check
        if not self.allow_remote and not resolved.is_relative_to(self.allowed):
            if self.ref_root_given:
                raise where(
                    f"$ref {ref!r} refused: it leaves the allowed folder {self.allowed} "
                    "(--ref-root)",
                    "external-ref",
                )
            raise where(
                f"$ref {ref!r} refused: it leaves the spec's folder {self.root_dir}; "
                "to let $refs read files under a folder above it, pass --ref-root DIR",
                "external-ref",
            )
        key = str(resolved)
        known = self.files.get(key)
        if known is not None:
            return known
        try:
            data = resolved.read_bytes()
        except OSError as exc:
            raise _Unreadable(
                f"$ref {ref!r}: cannot read {self._display(resolved)}: {exc.strerror or exc}"
            ) from None
        display = self._display(resolved)
        doc = parse_document(_decode(data, display), display, json_hint=resolved.suffix == ".json")
        file = _File(key, display, resolved, None, doc, hashlib.sha256(data).hexdigest())
        self.files[key] = file
        return file

    def _fetch(self, url: str, where: Callable[[str, str], SpecError]) -> _File:
        known = self.files.get(url)
        if known is not None:
            return known
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                data = response.read(_MAX_REMOTE_BYTES + 1)
        except OSError as exc:
            raise where(f"cannot fetch {url}: {exc}", "external-ref") from None
        if len(data) > _MAX_REMOTE_BYTES:
            raise where(f"{url} is larger than {_MAX_REMOTE_BYTES} bytes", "external-ref")
        doc = parse_document(_decode(data, url), url, json_hint=url.endswith(".json"))
        file = _File(url, url, None, url, doc, hashlib.sha256(data).hexdigest())
        self.files[url] = file
        return file

    # -- naming --------------------------------------------------------------------------------

    def _schema_name(self, target: _File, fragment: list[str]) -> str:
        stem = _COMPONENT_NAME_BAD.sub("_", Path(urlsplit(target.key).path).stem) or "schema"
        last = fragment[-1] if fragment else ""
        base = _COMPONENT_NAME_BAD.sub("_", last).strip("_") if last and not last.isdigit() else ""
        parent_dir = _COMPONENT_NAME_BAD.sub("_", Path(urlsplit(target.key).path).parent.name)
        candidates = (
            [base, f"{stem}_{base}", f"{parent_dir}_{stem}_{base}"]
            if base
            else [stem, f"{parent_dir}_{stem}"]
        )
        for name in candidates:
            if name and name not in self.used:
                return name
        n = 2
        while f"{candidates[0]}_{n}" in self.used:
            n += 1
        return f"{candidates[0]}_{n}"

    # -- the walk ------------------------------------------------------------------------------

    def run(self) -> None:
        # (subtree, where it sits, its file, its pointer in that file, its pointer in the bundle,
        #  external targets being inlined around it: a repeat is a cycle that cannot be inlined)
        queue: list[
            tuple[Any, Any, Any, bool, _File, list[str], list[str], frozenset[tuple[str, str]]]
        ]
        queue = [(self.root.doc, None, None, False, self.root, [], [], frozenset())]
        while queue:
            subtree, key, container, named, base, base_ptr, bundle_ptr, chain = queue.pop()
            for frame in _walk_refs(
                subtree, swagger2=self.swagger2, key=key, container=container, named=named
            ):
                self._visit(frame, base, base_ptr, bundle_ptr, chain, queue)

    def _visit(
        self,
        frame: _Frame,
        base: _File,
        base_ptr: list[str],
        bundle_ptr: list[str],
        chain: frozenset[tuple[str, str]],
        queue: list[Any],
    ) -> None:
        node = frame.node
        ref = node["$ref"]
        if not isinstance(ref, str) or (base is self.root and ref.startswith("#")):
            return  # checked with every other internal ref afterwards
        here = [*base_ptr, *frame.segments()]

        def where(message: str, kind: str) -> SpecError:
            return self._error(base, [*here, "$ref"], message, kind)

        fragment_text = ref.split("#", 1)[1] if "#" in ref else ""
        try:
            fragment = split_pointer("#" + fragment_text)
        except ValueError:
            raise where(f"$ref {ref!r}: the part after '#' is not a JSON pointer", "ref") from None
        try:
            target = base if ref.startswith("#") else self._open(ref, base, where)
        except _Unreadable as exc:
            self._dangling(frame, base, here, fragment, str(exc), where)
            return
        if target is self.root:
            node["$ref"] = join_pointer(fragment)
            return
        value = _resolve_segments(target.doc, fragment)
        if value is _MISSING and "%" in fragment_text:
            fragment = split_pointer("#" + unquote(fragment_text))
            value = _resolve_segments(target.doc, fragment)
        if value is _MISSING:
            message = f"$ref {ref!r}: {join_pointer(fragment)} does not exist in {target.display}"
            self._dangling(frame, base, here, fragment, message, where)
            return
        if frame.is_schema_position() or _is_schema_ref(fragment):
            self._link_schema(node, target, fragment, value, queue, chain)
            return
        ident = (target.key, join_pointer(fragment))
        if ident in chain:
            raise where(
                f"$ref {ref!r} is part of a reference cycle that can only be inlined forever", "ref"
            )
        new = copy_tree(value)
        at = [*bundle_ptr, *frame.segments()]
        self.origins[join_pointer(at)] = (target.display, join_pointer(fragment))
        frame.skip = True
        if type(new) is dict:
            for k, v in node.items():
                if k != "$ref":
                    new[k] = v  # 3.1 Reference Objects may override summary/description
            node.clear()
            node.update(new)
            new = node
        elif frame.container is not None:
            frame.container[frame.key] = new
        else:
            raise where(f"$ref {ref!r} at the document root must name a mapping", "ref")
        queue.append(
            (new, frame.key, frame.container, frame.named, target, fragment, at, chain | {ident})
        )

    def _dangling(
        self,
        frame: _Frame,
        base: _File,
        here: list[str],
        fragment: list[str],
        message: str,
        where: Callable[[str, str], SpecError],
    ) -> None:
        """A ref whose file or target is missing: degraded with a warning, or fatal."""
        action = None
        if self.dangling is not None:
            action = self.dangling.degrade(frame, _is_schema_ref(fragment))
        if action is None:
            raise where(message, "ref")
        assert self.dangling is not None
        err = self._error(base, [*here, "$ref"], message, "ref").diagnostics[0]
        self.dangling.report.add(replace(err, severity="warning", action=action))

    def _link_schema(
        self,
        node: dict[str, Any],
        target: _File,
        fragment: list[str],
        value: Any,
        queue: list[Any],
        chain: frozenset[tuple[str, str]],
    ) -> None:
        ident = (target.key, join_pointer(fragment))
        name = self.names.get(ident)
        if name is None:
            name = self._schema_name(target, fragment)
            self.names[ident] = name
            self.used.add(name)
            holder = self.root.doc
            for seg in self.prefix:
                holder = holder.setdefault(seg, {})
            copy = copy_tree(value)
            holder[name] = copy
            at = [*self.prefix, name]
            self.origins[join_pointer(at)] = (target.display, join_pointer(fragment))
            queue.append((copy, name, holder, False, target, fragment, at, frozenset()))
        node["$ref"] = join_pointer([*self.prefix, name])


# --------------------------------------------------------------------------- ref check


def _json_refs_ok(doc: dict[str, Any], text: str) -> bool:
    """Fast path: every distinct `$ref` string in the JSON text resolves as written. False means
    "walk the tree to be sure" (the regex also sees refs inside example data)."""
    found = _REF_IN_JSON.findall(text)
    if len(found) != text.count('"$ref"'):
        return False  # a non-string $ref, a property named "$ref", or "$ref" as a value
    targets = set(found)
    for raw in targets:
        ref = json.loads(f'"{raw}"') if "\\" in raw else raw
        if not ref.startswith("#") or canonical_ref(doc, ref) != (True, ref):
            return False
    return True


def _check_refs(
    doc: dict[str, Any],
    text: str | None,
    *,
    swagger2: bool,
    place: Callable[[str], tuple[str, str, int | None]],
    dangling: _Dangling,
) -> None:
    """Every internal `$ref` must resolve. One that does not is degraded where something
    untyped can stand in for it (a schema becomes Any), with a located warning; elsewhere it
    is fatal."""
    if text is not None and _json_refs_ok(doc, text):
        return
    errors: list[Diagnostic] = []
    cache: dict[str, tuple[bool, str]] = {}

    def error(frame: _Frame, message: str) -> None:
        file, pointer, line = place(join_pointer([*frame.segments(), "$ref"]))  # error path only
        errors.append(Diagnostic(file, pointer, message, "error", "ref", line))

    def missing(frame: _Frame, ref: str) -> None:
        try:
            schema_ref = _is_schema_ref(split_pointer(ref))
        except ValueError:
            schema_ref = False
        where = join_pointer([*frame.segments(), "$ref"])  # before degrading changes the frame
        action = dangling.degrade(frame, schema_ref)
        message = f"$ref {ref!r} does not resolve"
        if action is None:
            error(frame, message)
            return
        file, pointer, line = place(where)
        dangling.report.add(Diagnostic(file, pointer, message, "warning", "ref", line, action))

    for frame in _walk_refs(doc, swagger2=swagger2):
        ref = frame.node["$ref"]
        if not isinstance(ref, str):
            error(frame, "$ref must be a string")
            continue
        if not ref.startswith("#"):
            error(frame, f"$ref {ref!r} was not bundled")
            continue
        hit = cache.get(ref)
        if hit is None:
            hit = cache[ref] = canonical_ref(doc, ref)
        found, canonical = hit
        if not found:
            missing(frame, ref)
        elif canonical != ref:
            frame.node["$ref"] = canonical
    dangling.finish()
    if errors:
        raise SpecError(errors)


# --------------------------------------------------------------------------- entry point


def _version(
    doc: Any, file: str, report: Report, locate: Callable[[str], tuple[str, int | None]]
) -> str:
    if not isinstance(doc, dict):
        kind = type(doc).__name__ if doc is not None else "empty"
        raise _fatal(
            file,
            "#",
            f"not an OpenAPI or Swagger document: the top level is {kind}, not a mapping",
            "not-openapi",
            1,
        )
    key = "openapi" if "openapi" in doc else "swagger" if "swagger" in doc else None
    if key is None:
        raise _fatal(
            file,
            "#",
            "not an OpenAPI or Swagger document: no top-level `openapi` or `swagger` key",
            "not-openapi",
            1,
        )
    raw = doc[key]
    version = str(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        doc[key] = version
        f, line = locate(f"#/{key}")
        report.add(
            Diagnostic(
                f,
                f"#/{key}",
                f"version written as a number ({version}); quote it",
                "warning",
                "version",
                line,
                "read as a string",
            )
        )
    supported = version == "2.0" if key == "swagger" else bool(_OPENAPI_VERSION.fullmatch(version))
    if not supported:
        _, line = locate(f"#/{key}")
        raise _fatal(
            file,
            f"#/{key}",
            f"unsupported {key} version {version!r}: apigen reads Swagger 2.0 and OpenAPI 3.0/3.1",
            "version",
            line,
        )
    return version


def _check_ref_root(ref_root: Path, spec: Path) -> Path:
    """The resolved folder relative `$ref`s may read from; it must hold the spec itself."""
    shown = str(ref_root)
    try:
        allowed = ref_root.resolve(strict=True)
    except (OSError, RuntimeError):
        raise _fatal(str(spec), "#", f"--ref-root {shown}: no such folder", "ref-root") from None
    if not allowed.is_dir():
        raise _fatal(str(spec), "#", f"--ref-root {shown} is not a folder", "ref-root")
    if not spec.resolve().is_relative_to(allowed):
        raise _fatal(
            str(spec),
            "#",
            f"--ref-root {shown} does not contain the spec (it must be the spec's folder "
            "or one above it)",
            "ref-root",
        )
    return allowed


def load_spec(
    path: Path,
    *,
    report: Report,
    allow_remote: bool = False,
    ref_root: Path | None = None,
    fetched: FetchedSpec | None = None,
    remote_hosts: frozenset[str] = frozenset(),
) -> LoadedSpec:
    """Read, bundle, check and (for Swagger 2.0) upgrade one spec; raises SpecError when no
    correct client can come out of it.

    Relative `$ref`s may read files in the spec's folder and below; `ref_root` widens that to
    a folder above it (a monorepo's `../common/x.yaml`), never further: symlinks are resolved
    and `..` folded before the check. A `$ref` whose target is missing degrades to an untyped
    stand-in with a warning in `report` where one can be made (a schema becomes Any)."""
    display = fetched.url if fetched is not None else str(path)
    if fetched is not None:  # the mirror of a spec fetched from a URL (fetch.py)
        ref_root = fetched.mirror
    if ref_root is not None:
        ref_root = _check_ref_root(Path(ref_root), Path(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise _fatal(display, "#", f"cannot read spec: {exc.strerror or exc}", "io") from None
    sha = hashlib.sha256(data).hexdigest()
    text = _decode(data, display)
    doc, is_json = _parse(text, display, json_hint=Path(path).suffix.lower() == ".json")
    spec = LoadedSpec(
        document={},
        source=Path(path),
        sha256=sha,
        original_version="",
        display=fetched.url if fetched is not None else "",
    )
    version = _version(doc, display, report, spec.locate)
    swagger2 = version == "2.0"
    spec.document = spec.original = doc
    spec.original_version = version

    json_text = text if is_json else None  # lets refs be found with a regex, not a walk
    dangling = _Dangling(report, swagger2=swagger2)
    if json_text is None or _EXTERNAL_REF_IN_JSON.search(json_text):
        root = _File(str(Path(path).resolve()), display, Path(path), None, doc, sha)
        bundler = _Bundler(
            root,
            allow_remote=allow_remote,
            swagger2=swagger2,
            ref_root=ref_root,
            dangling=dangling,
            mirror=fetched,
            remote_hosts=remote_hosts,
        )
        bundler.run()
        dangling.finish()
        if len(bundler.files) > 1:
            json_text = None  # the text no longer describes the whole document
            spec.origins = bundler.origins
            for file in bundler.files.values():
                spec.files[file.display] = file.sha256
                spec._paths[file.display] = file.path
    _check_refs(doc, json_text, swagger2=swagger2, place=spec.place, dangling=dangling)
    if swagger2:
        spec.document = upgrade(doc, report=report, locate=spec.locate)
    return spec
