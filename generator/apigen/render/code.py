"""Python source fragments from IR values: type annotations, literals, docstrings, imports.

Everything a spec says reaches generated code through these functions: strings become
`repr()` literals, free text becomes an escaped docstring, names were sanitised by `naming`.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ..ir.nodes import (
    AliasDef,
    Definition,
    DictOf,
    Discriminator,
    ListOf,
    LiteralOf,
    Nullable,
    Prim,
    Ref,
    TypeExpr,
    UnionOf,
)
from .isort import sort_block

_BUILTIN_TYPES = {"str", "int", "float", "bool", "bytes", "list", "dict"}
# control characters (C0, DEL, C1) and bidirectional controls ("Trojan Source", ruff PLE2502)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_QUOTES = re.compile('"+')
_FALLBACK_TAG = "*"  # not a class name, so no member's own tag


def literal(value: object) -> str:
    """A Python literal for a JSON value (strings via repr: quotes and escapes are safe)."""
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        if value.isascii():  # nothing to replace: skip the round trip
            return repr(value)
        return repr(value.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"float({str(value)!r})"
        return repr(value)
    raise TypeError(f"not a JSON value: {type(value).__name__}")


LINE_LENGTH = 100  # the generated packages' ruff line length


def docstring(text: str, *, indent: str = "", width: int = LINE_LENGTH) -> str:
    """The text as a safe triple-quoted docstring, or '' for no text; prose wrapped so that
    lines fit `width` (with the indent and the quotes)."""
    return _docstring(text, indent, width)


@lru_cache(maxsize=1 << 14)  # descriptions repeat across a spec's schemas and operations
def _docstring(text: str, indent: str, width: int) -> str:
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = _wrapped(text, width - len(indent) - 3)
    if not lines:
        return ""
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 > width:
        # a one-liner carries the closing quotes too: wrap it so that both fit
        lines = _wrapped(text, width - len(indent) - 6)
    text = "\n".join(lines).replace("\\", "\\\\")
    # A run of three quotes would close the string, and so would quotes just before the closing
    # ones: escape every quote of such a run (backslashes are already doubled, so `\"` is safe).
    text = _QUOTES.sub(
        lambda m: m[0] if len(m[0]) < 3 and m.end() < len(text) else '\\"' * len(m[0]), text
    )
    lines = text.split("\n")
    if len(lines) == 1:
        return f'{indent}"""{lines[0]}"""'
    body = "\n".join((indent + line) if line else "" for line in lines[1:])
    return f'{indent}"""{lines[0]}\n{body}\n{indent}"""'


def _wrapped(text: str, width: int) -> list[str]:
    lines = [line.rstrip() for line in wrap_markdown(text, width).strip().split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)]|[A-Za-z_][\w.]*:)\s+")


def wrap_markdown(text: str, width: int) -> str:
    """Markdown prose re-wrapped at `width`: long lines only, never inside code fences, tables
    or headings; list items and `name: text` entries hang under their marker; words (URLs)
    are never broken."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or len(line) <= width or line.lstrip().startswith(("|", "#", "```", "~~~")):
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        item = _LIST_ITEM.match(line)
        hang = lead + " " * (item.end() - len(lead)) if item else lead
        if item and item[2].endswith(":"):  # `name: text`: an indented Args entry, or prose
            hang = lead + "    " if lead else lead
        out.extend(_wrap_words(line.strip(), max(width, 20), lead, hang) or [line])
    return "\n".join(out)


# textwrap's whitespace (its `_whitespace`), which it turns into spaces before splitting.
_TEXTWRAP_SPACES = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r", " "))
# Other whitespace (NBSP, \x1c...) is part of a word for textwrap's split but makes a chunk of
# only such characters count as spaces where lines start and end: left to textwrap itself.
_OTHER_SPACE = re.compile(r"[^\S ]")


def _wrap_words(text: str, width: int, initial: str, subsequent: str) -> list[str]:
    """`textwrap.wrap(text, width, initial_indent=initial, subsequent_indent=subsequent,
    break_long_words=False, break_on_hyphens=False)`, line for line, a few times faster: its
    chunks are runs of spaces and of the rest, so each line is found by slicing the text
    instead of by moving chunks one at a time (tests/render/test_wrap_words.py compares)."""
    if _OTHER_SPACE.search(text):  # (rare) tabs and other whitespace
        text = text.expandtabs().translate(_TEXTWRAP_SPACES)
        if _OTHER_SPACE.search(text):
            return textwrap.wrap(
                text,
                width=width,
                initial_indent=initial,
                subsequent_indent=subsequent,
                break_long_words=False,
                break_on_hyphens=False,
            )
    lines: list[str] = []
    n = len(text)
    start = 0
    while start < n:
        indent = subsequent if lines else initial
        if lines and text[start] == " ":  # a line never starts with the spaces between words
            while start < n and text[start] == " ":
                start += 1
            if start == n:
                break
        limit = start + width - len(indent)  # the line takes whole chunks up to here
        if limit >= n:
            end = n
        elif limit > start and text[limit] == " ":  # a run of spaces starts or goes on here
            end = start + len(text[start:limit].rstrip(" "))
        elif limit > start:  # a word goes past the limit: the line ends before it
            end = text.rfind(" ", start, limit) + 1
        else:
            end = start
        if end <= start:  # not even the first chunk fits: it makes a line of its own
            space = text[start] == " "
            end = start
            while end < n and (text[end] == " ") == space:
                end += 1
        line = text[start:end].rstrip(" ")
        if line:
            lines.append(indent + line)
        start = end
    return lines


def comment_text(text: str) -> str:
    """Text safe for a one-line `#` comment."""
    return _CONTROL.sub("", text.replace("\r", " ").replace("\n", " "))[:200]


@dataclass
class Imports:
    """Imports one generated module needs, rendered in a stable, isort-compatible order."""

    typing: set[str] = field(default_factory=set)
    stdlib: set[str] = field(default_factory=set)  # "import x as _x" lines
    local: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    third_party: set[str] = field(default_factory=set)
    # names from typing_extensions: `TypedDict` (pydantic refuses typing's before Python 3.12)
    typing_extensions: set[str] = field(default_factory=set)
    runtime: bool = False  # `from <package root> import _runtime as _rt`
    runtime_names: set[str] = field(default_factory=set)  # `from <root>._runtime import ...`
    builtins: bool = False
    # models named through `_rt.later` (module -> names): imported under TYPE_CHECKING only
    later: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # names only (quoted) annotations read (TypedDict twins): imported under TYPE_CHECKING only
    checking: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def take_names(self, other: Imports) -> None:
        """`other`'s imports but its models (`local`, `later`, `checking`): those are imported
        where, and as, each use needs them."""
        self.typing |= other.typing
        self.stdlib |= other.stdlib
        self.third_party |= other.third_party
        self.typing_extensions |= other.typing_extensions
        self.builtins |= other.builtins
        self.runtime |= other.runtime
        self.runtime_names |= other.runtime_names

    def later_lines(self, package_depth: int) -> list[str]:
        """`if TYPE_CHECKING: from .. import X` / `else: X = _rt.later(...)` for `later`, and
        the `checking` names in the first branch."""
        names = {
            (m, n) for m, ns in self.later.items() for n in ns if n not in self.local.get(m, ())
        }
        checked = {
            (m, n)
            for m, ns in self.checking.items()
            for n in ns
            if n not in self.local.get(m, ()) and n not in self.later.get(m, ())
        }
        if not names and not checked:
            return []
        dots = "." * package_depth
        lines = ["if TYPE_CHECKING:"]
        lines += [
            "    " + line
            for line in sort_block(f"from {dots}{m} import {n}" for m, n in names | checked)
        ]
        if names:
            lines.append("else:  # imported when data for it is first validated")
            lines += [
                f"    {n} = _rt.later(__package__, {literal(dots + m)}, {literal(n)})"
                for m, n in sorted(names)
            ]
        return lines

    def lines(self, package_depth: int, *, extra_third_party: tuple[str, ...] = ()) -> list[str]:
        std = set(self.stdlib)
        if self.builtins:
            std.add("import builtins as _builtins")
        if self.typing:
            std.add(f"from typing import {', '.join(self.typing)}")
        out = sort_block(std)
        third = {*extra_third_party, *self.third_party}
        if self.typing_extensions:
            third.add(f"from typing_extensions import {', '.join(self.typing_extensions)}")
        block2 = sort_block(third)
        local: list[str] = []
        dots = "." * package_depth
        # The runtime is the package's own `_runtime` (vendored, or a shim over the shared
        # apigen_runtime): relative, so the output does not depend on how ruff sees the package.
        # pyright (strict) calls importing a sibling's private module private usage.
        if self.runtime:
            local.append(
                f"from {dots} import _runtime as _rt  # pyright: ignore[reportPrivateUsage]"
            )
        if self.runtime_names:
            local.append(f"from {dots}_runtime import {', '.join(self.runtime_names)}")
        for module, names in self.local.items():
            local.append(f"from {dots}{module} import {', '.join(names)}")
        blocks = [b for b in (out, block2, sort_block(local)) if b]
        return ["\n".join(b) for b in blocks]


def _holds_open_enum(definitions: dict[str, Definition], key: str, seen: set[str]) -> bool:
    """`TypeRenderer._open_enum_alias` (`seen`: the aliases already looked into)."""
    d = definitions.get(key)
    if not isinstance(d, AliasDef) or d.request_only or key in seen:
        return False
    seen.add(key)
    stack: list[TypeExpr] = [d.target]
    while stack:
        t = stack.pop()
        if type(t) is LiteralOf:
            if t.open_base is not None:
                return True
        elif type(t) is Nullable:
            stack.append(t.inner)
        elif type(t) is ListOf:
            stack.append(t.item)
        elif type(t) is DictOf:
            stack.append(t.value)
        elif type(t) is UnionOf:
            stack.extend(t.items)
        elif type(t) is Ref and _holds_open_enum(definitions, t.key, seen):
            return True
    return False


def _takes_text(
    definitions: dict[str, Definition], t: TypeExpr, seen: set[str], literals: bool = False
) -> bool:
    """Whether a `str` is a value of `t` as a request spells it (enums closed), so that a
    `Sequence` of it would take a string whole (`literals`: or one of its string literals).
    An alias named in it is read through; one met again (`Json = list[Json] | str`) counts
    once."""
    if type(t) is Prim:
        return t.name in ("str", "Any")
    if type(t) is Nullable:
        return _takes_text(definitions, t.inner, seen, literals)
    if type(t) is UnionOf:
        return any(_takes_text(definitions, i, seen, literals) for i in t.items)
    if type(t) is LiteralOf:  # (a request's enums are closed: `Literal[...]` only)
        return literals and any(isinstance(v, str) for v in t.values)
    if type(t) is Ref and t.key not in seen:
        d = definitions.get(t.key)
        if isinstance(d, AliasDef):
            seen.add(t.key)
            return _takes_text(definitions, d.target, seen, literals)
    return False


_INT, _FLOAT = Prim("int"), Prim("float")


def _one_literal(parts: list[str]) -> list[str]:
    """`parts` with their `Literal[...]` members joined into one, where the first stood (two
    enums spelled out strictly: `Literal["a"] | Literal[1]` is ruff's PYI030, helper 225)."""
    literals = [p for p in parts if p.startswith("Literal[")]
    if len(literals) < 2:
        return parts
    values: dict[str, None] = {}
    for part in literals:
        node = ast.parse(part, mode="eval").body
        assert isinstance(node, ast.Subscript)
        elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        values.update((literal(ast.literal_eval(e)), None) for e in elts)
    joined = f"Literal[{', '.join(values)}]"
    first = parts.index(literals[0])
    return [joined if i == first else p for i, p in enumerate(parts) if p not in literals[1:]]


def _members(annotation: str) -> list[str]:
    """The top-level members of a rendered union (`A | B[C | D]`: `A`, `B[C | D]`)."""
    if " | " not in annotation:
        return [annotation]
    parts: list[str] = []
    depth, start, quote, escaped = 0, 0, "", False
    for i, ch in enumerate(annotation):
        if quote:  # inside a string literal (a `Literal[...]` value)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    parts.append(annotation[start:].strip())
    return parts


class TypeRenderer:
    """Renders type expressions for one module, recording the imports they need."""

    def __init__(
        self,
        definitions: dict[str, Definition],
        module: str,
        imports: Imports,
        shadowed: frozenset[str] = frozenset(),
        *,
        open_enums: bool = True,
        lazy: frozenset[str] = frozenset(),
        plain_unions: bool = False,
    ) -> None:
        self.definitions = definitions
        # Annotations only (signatures, `Operation[...]`): a tagged union is spelled as the
        # plain union it is to a type checker; the `Discriminator` that picks the member matters
        # only where pydantic validates (models, the response factories).
        self.plain_unions = plain_unions
        self.lazy = lazy  # models named through `_rt.later` (keys), see `layout.lazy_models`
        self.module = module
        self.imports = imports
        self.shadowed = shadowed
        # Responses accept values a newer server may add; requests are typed strictly.
        self.open_enums = open_enums
        self._spelling: set[str] = set()  # the open aliases being spelled out (`expr`)
        self.parameters = False  # a function parameter's annotation (`variant`)
        # arrays and maps a parameter takes as read-only views (`variant`): a tuple, or a list
        # of a narrower item type, is accepted (a list is invariant: `list[str]` was refused
        # where `list[str | Label]` was asked). `Sequence`, or the runtime's `SequenceNotStr`
        # (as openai-python's) where a `str` would be an item: that protocol only there, as
        # mypy checks a list display's items against `Sequence[Literal[...]]` but let
        # `["availabel"]` through the protocol.
        self.sequences = False
        # a multipart body's arrays of what may be text stay lists: there the runtime reads a
        # tuple that starts with a name as one `(filename, content)` file (`("a", "b")` for
        # `bytes | str` items went out as a file named `a`)
        self.text_lists = False
        # what a request takes (`variant`): a model with a TypedDict twin as `X | XParam`, an
        # alias holding one by its twin, a tagged union as the plain union
        self.params = False

    def variant(
        self,
        *,
        shadowed: frozenset[str],
        open_enums: bool,
        plain_unions: bool = False,
        parameters: bool = False,
        sequences: bool = False,
        params: bool = False,
        text_lists: bool = False,
    ) -> TypeRenderer:
        """The same module and imports, another scope (a class body, a request signature;
        `parameters`: its arguments' annotations; `sequences`: arrays as `Sequence`,
        maps as `Mapping`; `params`: what a request takes, dicts for models)."""
        other = TypeRenderer(
            self.definitions,
            self.module,
            self.imports,
            shadowed,
            open_enums=open_enums,
            plain_unions=plain_unions,
        )  # (no `lazy`: only model fields name models lazily)
        other.parameters = parameters
        other.sequences = sequences
        other.params = params
        other.text_lists = text_lists
        return other

    def builtin(self, name: str) -> str:
        if name in self.shadowed:
            self.imports.builtins = True
            return f"_builtins.{name}"
        return name

    def expr(self, t: TypeExpr) -> str:
        # Dispatch on the exact node class (no subclasses exist): a `match` of class patterns
        # tries them one by one, and this runs ~100 000 times a GitHub build.
        if type(t) is Ref:
            key = t.key
            if (
                self.sequences
                and key not in self._spelling
                and isinstance(alias := self.definitions[key], AliasDef)
                and type(alias.target) in (ListOf, DictOf)
            ):
                # an array or map alias a parameter takes: spelled out, as a read-only view
                # (`Sequence`, `Mapping`) like an inline one; inside, itself by its name
                self._spelling.add(key)
                try:
                    return self.expr(alias.target)
                finally:
                    self._spelling.discard(key)
            if not self.open_enums and key not in self._spelling and self._open_enum_alias(key):
                # A request takes only the listed values: a shared enum alias is open (it also
                # types responses, which a newer server may extend), so spell it strictly here
                # (an alias of itself, met again inside, by its name: it would never end).
                target = self.definitions[key]
                assert isinstance(target, AliasDef)
                self._spelling.add(key)
                try:
                    return self.expr(target.target)
                finally:
                    self._spelling.discard(key)
            d = self.definitions[key]
            twin = d.param_name if self.params else None
            if twin is not None and isinstance(d, AliasDef):
                name = twin  # (the twin alias holds the models too)
            elif d.module != self.module:
                (self.imports.later if key in self.lazy else self.imports.local)[d.module].add(
                    d.name
                )
                name = d.name
            else:
                name = d.name
            if twin is not None and d.module != self.module:
                self.imports.local[d.module].add(twin)
            return name if twin is None or name == twin else f"{name} | {twin}"
        if type(t) is Prim:
            return self._prim(t.name)
        if type(t) is Nullable:
            inner = t.inner
            if type(inner) is Ref and self._alias_of_nullable(inner.key):
                return self.expr(inner)  # the alias already says `| None`
            text = self.expr(inner)
            # (already `| None`: a nullable alias spelled out, `Nullable(Nullable(...))`)
            return text if "None" in _members(text) else f"{text} | None"
        if type(t) is ListOf:
            if self.sequences:
                item = self.expr(t.item)
                if self.text_lists and _takes_text(self.definitions, t.item, set(), True):
                    # a multipart field that may hold a file: a tuple of texts (or of an
                    # enum's strings) is one `(filename, content)` file there
                    return f"{self.builtin('list')}[{item}]"
                if _takes_text(self.definitions, t.item, set()):
                    # a `str` is a `Sequence[str]` of its characters: `tags="a"` type-checked
                    # and went out as a JSON string where the API asks for an array
                    self.imports.runtime_names.add("SequenceNotStr")
                    return f"SequenceNotStr[{item}]"
                self.imports.stdlib.add("from collections.abc import Sequence")
                return f"Sequence[{item}]"
            return f"{self.builtin('list')}[{self.expr(t.item)}]"
        if type(t) is DictOf:
            if self.sequences:
                self.imports.stdlib.add("from collections.abc import Mapping")
                return f"Mapping[{self.builtin('str')}, {self.expr(t.value)}]"
            return f"{self.builtin('dict')}[{self.builtin('str')}, {self.expr(t.value)}]"
        if type(t) is UnionOf:
            if t.discriminator is None or self.plain_unions or self.params:
                items = t.items
                if self.parameters and _INT in items and _FLOAT in items:
                    # a parameter's `int | float` is `float` to a type checker (ruff's PYI041
                    # in the generated pyproject refused the client of `type: [integer, number]`)
                    items = tuple(i for i in items if i != _INT)
                # members by their top-level parts: an alias spelled out strictly brings its
                # own `| None` (`Effort | None` as `Literal[...] | None | None`, ruff's PYI016)
                parts = dict.fromkeys(part for i in items for part in _members(self.expr(i)))
                return " | ".join(_one_literal(list(parts)))
            return self._tagged_union(t.items, t.discriminator)
        if type(t) is LiteralOf:
            self.imports.typing.add("Literal")
            lit = f"Literal[{', '.join(literal(v) for v in t.values)}]"
            base = t.open_base
            if base is None or not self.open_enums:
                return lit
            return f"{lit} | {self._prim(base.name)}"
        raise AssertionError(t)

    def _open_enum_alias(self, key: str) -> bool:
        """Whether the alias `key` holds an open enum: itself (`Color`), or in what it is made
        of (`Colors = list[Color]`, a map of them, a union with one). A request spells such
        an alias out, strictly (a helper's type review: `colors=["blue"]` type-checked where
        `color="blue"` did not). Not an alias of itself (`Json = list[Json] | ...`)."""
        return _holds_open_enum(self.definitions, key, set())

    def _alias_of_nullable(self, key: str) -> bool:
        d = self.definitions.get(key)
        return isinstance(d, AliasDef) and isinstance(d.target, Nullable)

    def _tagged_union(self, items: tuple[TypeExpr, ...], disc: Discriminator) -> str:
        """`Annotated[A | B, Discriminator(...)]`: pydantic picks the member by the property.

        A value whose tag is unknown or missing (a spec's mapping is often incomplete, or a
        server adds a kind) goes to one more member, the plain union of all, tagged
        `_FALLBACK_TAG`: each member is tried (pydantic's smart mode), so it still validates."""
        self.imports.typing.add("Annotated")
        self.imports.third_party.add("from pydantic import Discriminator, Tag")
        self.imports.runtime = True
        refs = [i for i in items if isinstance(i, Ref)]
        members = [
            f"Annotated[{self.expr(i)}, Tag({literal(self.definitions[i.key].name)})]" for i in refs
        ]
        every = " | ".join(self.expr(i) for i in refs)
        members.append(f"Annotated[{every}, Tag({literal(_FALLBACK_TAG)})]")
        tags = ", ".join(
            f"{literal(value)}: {literal(self.definitions[key].name)}"
            for value, key in disc.mapping
        )
        return (
            f"Annotated[{' | '.join(members)}, "
            f"Discriminator(_rt.discriminator({literal(disc.property)}, {{{tags}}}, "
            f"fallback={literal(_FALLBACK_TAG)}{', closed=True' if disc.closed else ''}))]"
        )

    def _prim(self, name: str) -> str:
        if name in _BUILTIN_TYPES:
            return self.builtin(name)
        if name == "Any":
            self.imports.typing.add("Any")
            return "Any"
        if name == "None":
            return "None"
        if name in ("datetime", "date"):
            self.imports.stdlib.add("import datetime as _dt")
            return f"_dt.{name}"
        if name == "UUID":
            self.imports.stdlib.add("import uuid as _uuid")
            return "_uuid.UUID"
        if name == "file":
            self.imports.runtime = True
            return "_rt.FileInput"
        if name == "ServerSentEvent":
            self.imports.runtime = True
            return "_rt.ServerSentEvent"
        raise AssertionError(name)
