"""YAML -> JSON-typed data (spec/parse.py imports this only for a YAML document).

The loader resolves only JSON types (dates stay strings, keys are strings, `0777` is 777),
builds the tree iteratively (2,000-level documents are legal), and refuses an alias bomb or a
recursive alias before the tree is built.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]
import yaml.constructor  # type: ignore[import-untyped, unused-ignore]
import yaml.nodes  # type: ignore[import-untyped, unused-ignore]
import yaml.reader  # type: ignore[import-untyped, unused-ignore]

from ..diagnostics import Diagnostic
from .duplicate_keys import Repeats, diagnostic
from .locate import deep_recursion, is_nesting_limit
from .parse import MAX_INT_DIGITS, fatal, int_too_long

__all__ = ["parse_yaml"]

# A YAML file whose aliases expand past this many nodes, or this many characters of scalar
# text, and to more than _MAX_ALIAS_RATIO times its written size, is refused: later stages walk
# (and serialise) the expanded tree ("billion laughs"; a few aliases of a 100 KB string nested
# five deep are 10 GB of JSON in a sandbox example).
_MAX_EXPANDED_NODES = 1_000_000
_MAX_EXPANDED_CHARS = 64_000_000
_MAX_ALIAS_RATIO = 10
# ... or past this many nodes at more than _MAX_STEEP_RATIO times its written size: 119 nodes of
# anchors aliasing each other expanded to 556,415, 42,798 inline models and a 105 s build (a
# helper's fuzzing). No spec in ../shared/specs uses aliases at more than 1x.
_MAX_STEEP_NODES = 100_000
_MAX_STEEP_RATIO = 100


def _int_12(loader: Any, node: yaml.nodes.ScalarNode) -> int:
    """YAML 1.2 core ints: `0777` is 777 (not octal 511), `0o17` and `0x1F` as written. One
    Python cannot write back in decimal (`int_too_long`) is refused where it is written."""
    text = str(node.value)
    sign = -1 if text[0] == "-" else 1
    body = text.lstrip("+-")
    value: int | None = None
    if body.startswith(("0o", "0x")):
        value = int(body[2:], 8 if body[1] == "o" else 16)
    elif len(body) <= MAX_INT_DIGITS:
        value = int(body)
    if value is None or int_too_long(value):
        raise yaml.constructor.ConstructorError(
            None, None, f"an integer of more than {MAX_INT_DIGITS} digits", node.start_mark
        )
    return sign * value


def _float_12(loader: Any, node: yaml.nodes.ScalarNode) -> float:
    text = str(node.value)
    try:
        value = float(text)
    except ValueError:  # `!!float abc`, `!!float .inf`: a traceback (a review)
        value = math.nan
    if not math.isfinite(value):
        # `1e999`: read as infinity without a word (parse.TOO_LARGE); JSON has no NaN either
        problem = (
            "a number past the range of a double (it would be read as infinity)"
            if math.isinf(value)
            else "not a JSON number"
        )
        raise yaml.constructor.ConstructorError(None, None, f"{text}: {problem}", node.start_mark)
    return value


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


_MERGE_TAG = "tag:yaml.org,2002:merge"  # the tag `<<` resolves to


def _map(loader: Any, node: yaml.nodes.MappingNode) -> Iterator[dict[str, Any]]:
    """Mappings with string keys as written: `200:` -> "200", `1.10:` -> "1.10".

    A key the mapping itself writes twice is noted (`Repeats`); one that overrides a key a `<<`
    merge brought in is what merge keys are for, not a repeat."""
    data: dict[str, Any] = {}
    yield data
    own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
    loader.flatten_mapping(node)  # `<<` merge keys: the merged pairs go first
    merged = len(node.value) - own
    written: set[str] = set()
    for i, (key_node, value_node) in enumerate(node.value):
        if not isinstance(key_node, yaml.nodes.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain strings or numbers", key_node.start_mark
            )
        key = str(key_node.value)
        if i >= merged:
            if key in written:
                loader.apigen_repeats.note(data, key, int(key_node.start_mark.line) + 1)
            written.add(key)
        data[key] = loader.construct_object(value_node, deep=False)


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
    """Refuse recursive aliases and alias bombs by sizing the node graph (each node once): its
    nodes, and the characters of its scalars, as expanded."""
    sizes: dict[int, tuple[int, int]] = {}
    on_path: set[int] = set()
    written = 0  # characters of scalar text as written (each node once)
    stack: list[tuple[yaml.nodes.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        children = _node_children(node)
        if done:
            on_path.discard(nid)
            own = len(node.value) if isinstance(node, yaml.nodes.ScalarNode) else 0
            written += own
            nodes = 1 + sum(sizes[id(c)][0] for c in children)
            sizes[nid] = (nodes, own + sum(sizes[id(c)][1] for c in children))
            continue
        if nid in sizes:
            continue
        on_path.add(nid)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                line = int(child.start_mark.line) + 1
                raise fatal(
                    file, "#", "recursive YAML alias (a node contains itself)", "yaml-alias", line
                )
            if id(child) not in sizes:
                stack.append((child, False))
    nodes, chars = sizes[id(root)]
    if chars > _MAX_EXPANDED_CHARS and chars > _MAX_ALIAS_RATIO * written:
        raise fatal(
            file,
            "#",
            f"YAML aliases expand {written:,} characters of text to {chars:,}; refusing to expand (alias bomb?)",
            "yaml-alias",
        )
    if (nodes > _MAX_EXPANDED_NODES and nodes > _MAX_ALIAS_RATIO * len(sizes)) or (
        nodes > _MAX_STEEP_NODES and nodes > _MAX_STEEP_RATIO * len(sizes)
    ):
        raise fatal(
            file,
            "#",
            f"YAML aliases expand {len(sizes):,} written nodes to {nodes:,}; refusing to expand (alias bomb?)",
            "yaml-alias",
        )


# Past libyaml's 1,000 levels, how deep a document the pure-Python parser is given
MAX_YAML_DEPTH = 2_500


def flow_depth(text: str) -> int:
    """The deepest nesting of `[`/`{` outside quoted scalars and comments (a linear scan:
    what the parser would take quadratic time over)."""
    deepest = depth = 0
    quote = ""
    comment = False
    previous = "\n"
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and previous in " \t\n":
            comment = True
        previous = ch
    return deepest


def parse_yaml(text: str, file: str, found: list[Diagnostic] | None = None) -> Any:
    """The JSON-typed data of a YAML text; SpecError with a line on failure. A key written
    twice in one mapping keeps its last value, with a warning added to `found`."""
    for i, cls in enumerate(_YAML_LOADERS):
        loader = cls(text)
        loader.apigen_repeats = repeats = Repeats()
        try:
            with deep_recursion():
                node = loader.get_single_node()
                if node is None:
                    return None
                if "&" in text:  # no anchors, no aliases
                    _check_aliases(node, file)
                data = loader.construct_document(node)
                if repeats and found is not None:
                    found.extend(diagnostic(file, *at) for at in repeats.located(data))
                return data
        except yaml.MarkedYAMLError as exc:
            if i + 1 < len(_YAML_LOADERS) and is_nesting_limit(exc):
                # libyaml stops at 1,000 levels; the pure-Python parser does not, but takes
                # time quadratic in the depth (25 s at 3,000 flow levels, hours at 100,000)
                if flow_depth(text) > MAX_YAML_DEPTH:
                    raise fatal(
                        file,
                        "#",
                        f"document nested deeper than {MAX_YAML_DEPTH:,} levels",
                        "depth",
                    ) from None
                continue
            mark = exc.problem_mark or exc.context_mark
            line = int(mark.line) + 1 if mark is not None else None
            problem = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            raise fatal(file, "#", f"invalid YAML: {problem}", "syntax", line) from None
        except yaml.reader.ReaderError as exc:
            # a character YAML does not allow (a NUL): PyYAML's message named a position in
            # "<unicode string>"; the line and the character instead
            position = int(exc.position)
            line = text.count("\n", 0, position) + 1
            problem = f"invalid YAML: the character #x{int(exc.character):04x} is not allowed"
            raise fatal(file, "#", f"{problem} (a control character)", "syntax", line) from None
        except yaml.YAMLError as exc:
            raise fatal(file, "#", f"invalid YAML: {exc}", "syntax") from None
        except RecursionError:
            raise fatal(file, "#", "document nested too deeply to parse", "depth") from None
        finally:
            loader.dispose()
    return None  # pragma: no cover  (the last loader either returns or raises)
