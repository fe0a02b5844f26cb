"""`apigen diff OLD NEW`: what a regeneration changes in the generated Python API.

Each side is a spec, a manifest (`apigen.json`) or a generated client folder holding one. A spec
is built in memory as `apigen build` would (validated, nothing rendered or written); a NEW spec
takes OLD's names as its lock (ir/lock.py), so the report shows what regenerating over OLD's
output would do. Then the two manifests are compared at the level users program against:
- operations (matched by operationId, else `METHOD /path`, else call path): removed or renamed
  methods, parameters removed, newly required, added as required, retyped, moved out of their
  positional place, return types changed, and what `stream=True` returns where a `stream`
  argument switches the call (added, removed, retyped);
- definitions (by import name, `models.X` / `types.X`): removed, fields removed or retyped,
  enum values removed.
Breaking changes, additions and other (compatible) changes are listed; the exit status is 1 when
anything breaks (so CI can gate on it), 0 otherwise, 2 when an input cannot be read.

Type compatibility works on the annotation text the manifest records: a union's members (a
`Literal`'s values count as members) may grow where the API reads a value (a parameter, a
TypedDict field) and shrink where it returns one (a return type, a model field); anything else
is a change. An open enum (`Literal[...] | str`) accepts any string either way, so only its
known values changing is no type change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .diagnostics import SpecError
from .ir.lock import LockError, NameLock, route
from .render.code import literal

if TYPE_CHECKING:
    from .config import ClientConfig

Category = Literal["breaking", "addition", "change"]
# a value the caller passes, one the API returns, or a model that is both (only the same type
# is compatible: either side's callers would see a change)
Direction = Literal["in", "out", "both"]


class DiffInputError(Exception):
    """An input is neither a readable spec, manifest nor generated client folder."""


@dataclass(frozen=True)
class Change:
    category: Category
    kind: str  # e.g. method-removed, param-type-changed, enum-value-added
    target: str  # `customers.create(email)`, `models.Customer.email`...
    detail: str = ""
    old: str | None = None
    new: str | None = None


@dataclass
class DiffReport:
    old: str
    new: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def of(self, category: Category) -> list[Change]:
        return [c for c in self.changes if c.category == category]

    @property
    def breaking(self) -> bool:
        return any(c.category == "breaking" for c in self.changes)

    def as_json(self) -> dict[str, Any]:
        def items(category: Category) -> list[dict[str, Any]]:
            return [
                {k: v for k, v in asdict(c).items() if v not in (None, "") and k != "category"}
                for c in self.of(category)
            ]

        return {
            "old": self.old,
            "new": self.new,
            "notes": self.notes,
            "summary": {
                "breaking": len(self.of("breaking")),
                "additions": len(self.of("addition")),
                "changes": len(self.of("change")),
            },
            "breaking": items("breaking"),
            "additions": items("addition"),
            "changes": items("change"),
        }


# --- reading the inputs -----------------------------------------------------------------------


def _manifest_file(path: Path) -> Path | None:
    """The manifest `path` names (itself, or `apigen.json` in a folder), if it is one."""
    if path.is_dir():
        candidate = path / "apigen.json"
        if not candidate.is_file():
            raise DiffInputError(f"{path}: a folder without apigen.json (not a generated client)")
        return candidate
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
            if path.name == "apigen.json":
                raise DiffInputError(f"{path}: cannot read it as JSON ({err})") from None
            # a spec the strict read refuses (UTF-16, a BOM, a huge integer, a syntax error):
            # the spec loader reads what `build` reads, and says where it fails
            return None
        if isinstance(data, Mapping) and "operations" in data and "generator" in data:
            return path
    return None


_TEXT: dict[str, Any] = {"type": "string"}
_TEXTS: dict[str, Any] = {"type": "object", "additionalProperties": _TEXT}
_SECTION: dict[str, Any] = {"type": ["object", "null"]}  # (read as `or {}`)
_VALUES: dict[str, Any] = {
    "type": "array",
    "items": {"type": ["string", "number", "boolean", "null"]},
}
# What `compare` reads of a manifest, and the types it reads them as (a hand-edited or foreign
# `apigen.json` fails here, named by its JSON pointer, instead of deep in the comparison).
_SHAPE: dict[str, Any] = {
    "type": "object",
    "required": ["operations"],
    "properties": {
        "operations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["method", "path", "call"],
                "dependentRequired": {"params": ["returns"]},
                "properties": {
                    "method": _TEXT,
                    "path": _TEXT,
                    "call": _TEXT,
                    "operation_id": {"type": ["string", "null"]},
                    "returns": _TEXT,
                    "params": {
                        "type": "array",
                        "items": {
                            "type": "array",
                            "minItems": 4,
                            "prefixItems": [_TEXT, _TEXT, {"type": "boolean"}, _TEXT],
                        },
                    },
                    "streams": {
                        "type": ["object", "null"],
                        "required": ["returns"],
                        "properties": {"returns": _TEXT},
                    },
                },
            },
        },
        "credentials": _TEXTS,
        "literals": {**_SECTION, "additionalProperties": _VALUES},
        "server_variables": {
            **_SECTION,
            "additionalProperties": {
                "type": "object",
                "required": ["name", "enum", "default"],
                "properties": {"name": _TEXT, "enum": {**_VALUES, "type": ["array", "null"]}},
            },
        },
        "webhooks": {
            **_SECTION,
            "additionalProperties": {
                "type": "object",
                "required": ["function", "payload"],
                "properties": {"function": _TEXT, "payload": _TEXT},
            },
        },
        "model_fields": {**_SECTION, "additionalProperties": _TEXTS},
        "typed_dict_fields": {**_SECTION, "additionalProperties": _TEXTS},
        "enums": {**_SECTION, "additionalProperties": _VALUES},
        "aliases": {**_SECTION, "additionalProperties": _TEXT},
    },
}


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise DiffInputError(f"{path}: cannot read it as JSON ({err})") from None
    try:
        NameLock.from_manifest(data, str(path))  # the same shape checks as the lock
    except LockError as err:
        raise DiffInputError(f"not an apigen manifest: {err}") from None
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped, unused-ignore]

    problem = best_match(Draft202012Validator(_SHAPE).iter_errors(data))
    if problem is not None:
        where = "#" + "".join(f"/{p}" for p in problem.absolute_path)
        raise DiffInputError(f"{path}: not an apigen manifest: {where}: {problem.message}")
    assert isinstance(data, dict)
    return data


def load_side(
    path: Path, lock: Mapping[str, Any] | None = None, client: ClientConfig | None = None
) -> dict[str, Any]:
    """The manifest of one input; a spec is built in memory (names locked by `lock`; with the
    configured client's options, package name and ref root when `client` is given)."""
    from .pipeline import build_ir
    from .render import manifest

    found = _manifest_file(path)
    if found is not None:
        return read_manifest(found)
    name_lock = NameLock.from_manifest(lock, "OLD") if lock is not None else None
    # a regeneration keeps the package's name: NEW is named as OLD is (a folder diffed against
    # a spec named the new client after the spec's file, and missed a credential's variable)
    package = lock.get("package") if lock is not None else None
    try:
        api, _ = build_ir(
            path,
            lock=name_lock,
            name=client.package
            if client is not None
            else (package if isinstance(package, str) and package else None),
            ref_root=client.ref_root if client is not None else None,
            # a rename of an operation this spec removed: the removal is the finding
            options=replace(client.options, missing_ok=True) if client is not None else None,
        )
    except SpecError as err:
        raise DiffInputError(f"{path}: not a usable spec\n{err}") from None
    return manifest(api)


def configured_client(
    old: Path, config: Path | None, new: Path | None = None
) -> ClientConfig | None:
    """The client of `config` (else of the configuration found in the current folder, if any)
    that OLD or NEW belongs to: the one whose output is OLD's folder, else whose `spec` is
    OLD or NEW (CI's usual diff: the spec as it was, from git, against the configured one),
    else the only client of a `--config` given. A spec is then built with its options
    (renames, include, security...), as `apigen generate` would build it. None when none is."""
    from .config import ConfigError, discover, load_config

    folder = old.parent if old.is_file() else old
    found = config
    if found is None:
        try:
            found = discover(Path.cwd())
        except ConfigError as err:
            if _names_apigen(Path.cwd() / "pyproject.toml"):  # a broken one that is ours
                raise DiffInputError("\n".join(err.problems)) from None
            return None  # no configuration here (or another tool's broken pyproject.toml)
    try:
        # (a client whose paths name an unset `${VAR}` has no known paths to match)
        clients = [c for c in load_config(found).clients if not c.unset]
    except ConfigError as err:
        # a configuration found but broken is an error, not none: its renames were dropped
        # silently, and the verdict changed (a rename read as a breaking change)
        raise DiffInputError("\n".join(err.problems)) from None
    try:
        target = folder.resolve()
        sides = {p.resolve() for p in (old, new) if p is not None and p.is_file()}
        by_output = [c for c in clients if c.output.resolve() == target]
        by_spec = [c for c in clients if isinstance(c.spec, Path) and c.spec.resolve() in sides]
    except (OSError, RuntimeError):
        return None
    for found_clients in (by_output, by_spec, clients if config is not None else []):
        if len(found_clients) == 1:
            return found_clients[0]
    return by_output[0] if by_output else None


def _names_apigen(pyproject: Path) -> bool:
    """Whether a pyproject.toml that does not parse holds a `[tool.apigen]` table (its text
    names it): then it is a configuration, broken, not none."""
    try:
        return b"tool.apigen" in pyproject.read_bytes()
    except OSError:
        return False


def diff_paths(
    old: Path, new: Path, *, fresh_names: bool = False, client: ClientConfig | None = None
) -> DiffReport:
    """Compare two inputs; NEW's names are locked by OLD's unless `fresh_names`; a spec is
    built with `client`'s configured options when given (`configured_client`)."""
    old_manifest = load_side(old, client=client)
    new_manifest = load_side(new, None if fresh_names else old_manifest, client)
    notes = [
        f"{path} records no types (an apigen.json from an older apigen): only methods compared"
        for path, data in ((old, old_manifest), (new, new_manifest))
        if "model_fields" not in data
    ]
    return DiffReport(str(old), str(new), compare(old_manifest, new_manifest), notes)


# --- types ------------------------------------------------------------------------------------

_HASHED = re.compile(r"Literal\[(\$[0-9a-f]+)\]")


def _expand(text: str, literals: Mapping[str, Any]) -> str:
    """Spell `Literal[$hash]` out with the manifest's `literals` table."""

    def spelled(m: re.Match[str]) -> str:
        values = literals.get(m[1])
        if not isinstance(values, list):
            return m[0]
        return "Literal[" + ", ".join(literal(v) for v in values) + "]"

    return _HASHED.sub(spelled, text)


_TOKEN = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[A-Za-z_]\w*")


def _name_table(manifest: Mapping[str, Any], direction: Direction) -> dict[str, str]:
    """The manifest's enum and alias names, each with what it stands for (`Status` of an enum
    is `Literal['open', 'closed'] | str` where it is read, the literal alone where it is
    sent)."""
    names: dict[str, str] = {}
    seen: set[str] = set()
    sent = manifest.get("sent")
    sent = sent if isinstance(sent, Mapping) else {}
    for section in ("enums", "aliases"):
        table = manifest.get(section)
        for key, value in table.items() if isinstance(table, Mapping) else ():
            bare = str(key).rsplit(".", 1)[-1]
            if bare in seen:  # one name in two modules: left as written
                names.pop(bare, None)
                continue
            seen.add(bare)
            if section == "aliases":
                names[bare] = _expand(str(value), manifest.get("literals") or {})
            elif isinstance(value, list):
                spelled = "Literal[" + ", ".join(literal(v) for v in value) + "]"
                # a model requests and responses both carry names the enum as generated: open
                # unless only requests carry the enum (a value added to it broke nothing)
                closed = direction == "in" or (direction == "both" and sent.get(key) == "in")
                names[bare] = spelled if closed else f"{spelled} | str"
    return _chains_resolved(names)


def _chains_resolved(names: dict[str, str]) -> dict[str, str]:
    """`names` with each alias that only names another (`A0: A1`, `A1: A2`, ...) standing for
    the chain's end: `_named` spells out six rounds, and a client built before chains were
    shortened (`layout.shorten_alias_chains`) diffed against one after read `A6 -> A7` as a
    changed type, 296 breaking changes for a 300-link chain (helper 191)."""
    ends: dict[str, str] = {}
    for start in names:
        chain: list[str] = []
        at = start
        while at in names and at not in ends and at not in chain and names[at] in names:
            chain.append(at)
            at = names[at]
        end = ends.get(at, names.get(at, at)) if at not in chain else names[at]
        for link in chain:
            ends[link] = end
    return {name: ends.get(name, value) for name, value in names.items()}


def _named(text: str, names: Mapping[str, str]) -> str:
    """`text` with `names` spelt out, so that a field retyped from an alias to what it stands
    for is no change (`apigen diff` called `Status -> str` a break, though mypy accepts the
    same calls against both clients)."""
    if not names:
        return text
    for _ in range(6):  # aliases of aliases (a recursive one is left after a few rounds)
        expanded = _TOKEN.sub(lambda m: names.get(m[0], m[0]), text)
        if expanded == text:
            break
        text = expanded
    return text


def _split(text: str, sep: str) -> list[str]:
    """Split at `sep` outside brackets and string literals."""
    parts: list[str] = []
    depth, start, i, quote = 0, 0, 0, ""
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _members(text: str) -> set[str]:
    out: set[str] = set()
    for part in _split(text, " | "):
        if part.startswith("Literal[") and part.endswith("]"):
            out.update("=" + v for v in _split(part[len("Literal[") : -1], ", "))
        else:
            out.add(part)
    return out


def _covered(member: str, other: set[str]) -> bool:
    """`member` is one of `other`'s values (a known value of an open enum is a `str`, of a
    boolean one a `bool`; an `int` is a `float` to type checkers, PEP 484's numeric tower)."""
    if member in other or (member == "int" and "float" in other):
        return True
    if member.startswith(("='", '="')):
        return "str" in other
    if member in ("=True", "=False"):  # (`Literal[True]`: `enum: [true]`)
        return "bool" in other
    if member == "bool":  # to type checkers, `bool` is `Literal[True, False]`
        return {"=True", "=False"} <= other
    return bool(re.fullmatch(r"=-?\d+", member)) and bool({"int", "float"} & other)


_CONTAINERS = ("list[", "dict[str, ", "SyncPage[", "Stream[")


def _inner(a: set[str], b: set[str]) -> tuple[str, str] | None:
    """When `a` and `b` differ in one container member each (`list[X]` / `list[Y]`, the other
    members equal), the two contents `X`, `Y`."""
    only_a, only_b = a - b, b - a
    if len(only_a) == len(only_b) == 1:
        (x,), (y,) = only_a, only_b
        for prefix in _CONTAINERS:
            if x.startswith(prefix) and y.startswith(prefix) and x.endswith("]"):
                return x[len(prefix) : -1], y[len(prefix) : -1]
    return None


def relation(old: str, new: str) -> Literal["same", "widened", "narrowed", "changed"]:
    """How the set of values `new` allows compares with `old`'s (expanded annotations)."""
    if old == new:
        return "same"
    a, b = _members(old), _members(new)
    inner = _inner(a, b)
    if inner is not None:
        return relation(*inner)
    a_in_b = all(_covered(m, b) for m in a)
    b_in_a = all(_covered(m, a) for m in b)
    if a_in_b and b_in_a:
        return "same"
    if a_in_b:
        return "widened"
    return "narrowed" if b_in_a else "changed"


def literal_delta(old: str, new: str) -> tuple[list[str], list[str]] | None:
    """(removed, added) `Literal` values when those are all that differ (at the same place in
    the annotation), else None."""
    a, b = _members(old), _members(new)
    inner = _inner(a, b)
    if inner is not None:
        return literal_delta(*inner)
    if {m for m in a ^ b if not m.startswith("=")}:
        return None
    return sorted(m[1:] for m in a - b), sorted(m[1:] for m in b - a)


def _listed(values: list[str], limit: int = 8) -> str:
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return ", ".join(values[:limit]) + more


def _compatible(rel: str, direction: Direction) -> bool:
    if direction == "both":
        return rel == "same"
    return rel == "same" or rel == ("widened" if direction == "in" else "narrowed")


# --- comparing --------------------------------------------------------------------------------


class _Comparer:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._names: dict[tuple[str, str], Mapping[str, str]] = {}

    def add(self, category: Category, kind: str, target: str, detail: str = "", **kw: Any) -> None:
        self.changes.append(Change(category, kind, target, detail, **kw))

    def types(self, old: str, new: str, direction: Direction = "both") -> tuple[str, str]:
        return (
            _named(_expand(old, self.old.get("literals") or {}), self.names("old", direction)),
            _named(_expand(new, self.new.get("literals") or {}), self.names("new", direction)),
        )

    def names(self, side: Literal["old", "new"], direction: Direction) -> Mapping[str, str]:
        """`_name_table` of one side, worked out once per direction."""
        key = (side, direction)
        table = self._names.get(key)
        if table is None:
            table = _name_table(self.old if side == "old" else self.new, direction)
            self._names[key] = table
        return table

    def stream_switch(self, call: str, old: object, new: object) -> None:
        """What `<call>(stream=True)` returns (the manifest's `streams`, decisions 63)."""
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            target = f"{call}({old.get('param')}=True)"
            self.retyped(
                "stream-type-changed", target, str(old["returns"]), str(new["returns"]), "out"
            )
        elif isinstance(new, Mapping):
            target = f"{call}({new.get('param')}=True)"
            self.add("addition", "stream-added", target, new=str(new.get("returns")))
        elif isinstance(old, Mapping):
            target = f"{call}({old.get('param')}=True)"
            self.add("breaking", "stream-removed", target, old=str(old.get("returns")))

    def retyped(self, kind: str, target: str, old: str, new: str, direction: Direction) -> None:
        old, new = self.types(old, new, direction)
        rel = relation(old, new)
        if rel == "same":
            return
        category: Category = "change" if _compatible(rel, direction) else "breaking"
        detail = f"type {rel}"
        delta = literal_delta(old, new)
        if delta is not None:
            removed, added = delta
            parts = [
                f"{what} {_listed(values)}"
                for what, values in (("values removed", removed), ("values added", added))
                if values
            ]
            detail += ": " + "; ".join(parts)
        self.add(category, kind, target, detail, old=old, new=new)

    # client credentials (manifests before 2026-12-02 have none: nothing to compare)

    def credentials(self) -> None:
        if "credentials" not in self.old or "credentials" not in self.new:
            return
        old: Mapping[str, str] = self.old["credentials"]
        new: Mapping[str, str] = self.new["credentials"]
        client = str(self.new.get("client", "Client"))
        for keyword in old:
            if keyword not in new:
                self.add("breaking", "credential-removed", f"{client}({keyword}=)", old[keyword])
            elif old[keyword] != new[keyword] and self.old.get("package") == self.new.get(
                "package"
            ):
                # (a renamed package renames its variables too: its imports break first)
                detail = f"{old[keyword]} -> {new[keyword]}"
                self.add("breaking", "credential-env-changed", f"{client}({keyword}=)", detail)
        for keyword in new:
            if keyword not in old:
                self.add("addition", "credential-added", f"{client}({keyword}=)", new[keyword])

    # the root server's variables as client keywords (a manifest without the key has none)

    def server_variables(self) -> None:
        old: Mapping[str, Mapping[str, Any]] = self.old.get("server_variables") or {}
        new: Mapping[str, Mapping[str, Any]] = self.new.get("server_variables") or {}
        client = str(self.new.get("client", "Client"))
        for keyword, o in old.items():
            target = f"{client}({keyword}=)"
            n = new.get(keyword)
            if n is None:
                self.add("breaking", "server-variable-removed", target, str(o["name"]))
                continue
            gone = [e for e in o["enum"] if e not in n["enum"]] if n["enum"] else []
            if gone:
                self.add("breaking", "server-variable-values-removed", target, _listed(gone))
            if o["default"] != n["default"]:
                detail = f"default {o['default']!r} -> {n['default']!r}: requests go elsewhere"
                self.add("change", "server-variable-default-changed", target, detail)
        for keyword, n in new.items():
            if keyword not in old:
                self.add("addition", "server-variable-added", f"{client}({keyword}=)", n["name"])

    # webhook parsers (`<package>.webhooks`; a manifest without the key declares none)

    def webhooks(self) -> None:
        old: Mapping[str, Mapping[str, str]] = self.old.get("webhooks") or {}
        new: Mapping[str, Mapping[str, str]] = self.new.get("webhooks") or {}
        for key, o in old.items():
            n = new.get(key)
            if n is None:
                self.add("breaking", "webhook-removed", str(o["function"]), key)
                continue
            if o["function"] != n["function"]:
                detail = f"now {n['function']}"
                self.add("breaking", "webhook-renamed", str(o["function"]), detail)
            # a payload the API sends: like a return type, it may only narrow
            payload = (str(o["payload"]), str(n["payload"]))
            self.retyped("webhook-payload-changed", str(n["function"]), *payload, "out")
        for key, n in new.items():
            if key not in old:
                self.add("addition", "webhook-added", str(n["function"]), key)

    # operations

    def operations(self) -> None:
        old_ops: list[Mapping[str, Any]] = list(self.old["operations"])
        new_ops: list[Mapping[str, Any]] = list(self.new["operations"])
        pairs = _match(old_ops, new_ops)
        paired_new = {id(n) for _, n in pairs}
        paired_old = {id(o) for o, _ in pairs}
        for o in old_ops:
            if id(o) not in paired_old:
                self.add(
                    "breaking",
                    "method-removed",
                    str(o["call"]),
                    f"{str(o['method']).upper()} {o['path']}",
                )
        for o, n in pairs:
            self.operation(o, n)
        for n in new_ops:
            if id(n) not in paired_new:
                self.add(
                    "addition",
                    "method-added",
                    str(n["call"]),
                    f"{str(n['method']).upper()} {n['path']}",
                )

    def operation(self, o: Mapping[str, Any], n: Mapping[str, Any]) -> None:
        call = str(n["call"])
        if o["call"] != n["call"]:
            self.add(
                "breaking",
                "method-renamed",
                str(o["call"]),
                f"now {call}",
                old=str(o["call"]),
                new=call,
            )
        if n.get("deprecated") and not o.get("deprecated"):
            # still works; callers now get DeprecationWarning and type-checker errors
            self.add("change", "method-deprecated", call, f"{str(n['method']).upper()} {n['path']}")
        if "params" not in o or "params" not in n:
            return  # a manifest from before types were recorded: names only
        old_params = {str(p[0]): p for p in o["params"]}
        new_params = {str(p[0]): p for p in n["params"]}
        for name, p in old_params.items():
            target = f"{call}({name})"
            q = new_params.get(name)
            if q is None:
                self.add("breaking", "param-removed", target)
                continue
            if q[2] and not p[2]:
                self.add("breaking", "param-now-required", target)
            elif p[2] and not q[2]:
                self.add("change", "param-now-optional", target)
            self.retyped("param-type-changed", target, str(p[3]), str(q[3]), "in")
            if p[1] != q[1] and "path" in (p[1], q[1]):  # into or out of the positional place
                self.add("breaking", "param-location-changed", target, old=str(p[1]), new=str(q[1]))
        for name, q in new_params.items():
            if name not in old_params:
                target = f"{call}({name})"
                if q[2]:
                    self.add("breaking", "param-added-required", target, new=str(q[3]))
                else:
                    self.add("addition", "param-added", target, new=str(q[3]))
        old_pos = [str(p[0]) for p in o["params"] if p[1] == "path" and p[2]]
        new_pos = [str(p[0]) for p in n["params"] if p[1] == "path" and p[2]]
        kept = [p for p in old_pos if p in new_pos]
        if kept != new_pos[: len(kept)] and old_pos and new_pos:
            self.add(
                "breaking",
                "positional-params-changed",
                call,
                old="(" + ", ".join(old_pos) + ")",
                new="(" + ", ".join(new_pos) + ")",
            )
        self.retyped("return-type-changed", call, str(o["returns"]), str(n["returns"]), "out")
        self.stream_switch(call, o.get("streams"), n.get("streams"))
        old_body, new_body = o.get("body"), n.get("body")
        if (
            isinstance(old_body, Mapping)
            and isinstance(new_body, Mapping)
            and old_body.get("media_type") != new_body.get("media_type")
        ):
            self.add(
                "change",
                "body-media-type-changed",
                call,
                old=str(old_body.get("media_type")),
                new=str(new_body.get("media_type")),
            )

    # definitions

    def definitions(self) -> None:
        if "model_fields" not in self.old or "model_fields" not in self.new:
            return
        sections = (
            ("model_fields", "out"),
            ("typed_dict_fields", "in"),
            ("enums", None),
            ("aliases", "out"),
        )
        new_section = {
            key: section for section, _ in sections for key in self.new.get(section) or {}
        }
        old_keys = {key for section, _ in sections for key in self.old.get(section) or {}}
        for section, out_or_in in sections:
            old_defs: Mapping[str, Any] = self.old.get(section) or {}
            new_defs: Mapping[str, Any] = self.new.get(section) or {}
            for key, old_def in old_defs.items():
                if key not in new_defs:
                    if key in new_section:
                        self.add(
                            "breaking",
                            "model-kind-changed",
                            key,
                            f"{_KIND[section]} -> {_KIND[new_section[key]]}",
                        )
                    else:
                        self.add("breaking", "model-removed", key, _KIND[section])
                    continue
                new_def = new_defs[key]
                if section == "enums":
                    self.enum(key, old_def, new_def)
                elif section == "aliases":
                    self.retyped(
                        "alias-type-changed", key, str(old_def), str(new_def), self.direction(key)
                    )
                else:
                    assert out_or_in is not None
                    direction: Direction = self.direction(key) if out_or_in == "out" else "in"
                    self.fields(key, old_def, new_def, direction)
            for key in new_defs:
                if key not in old_keys:
                    self.add("addition", "model-added", key, _KIND[section])

    def direction(self, key: str) -> Direction:
        """Who builds a model's values: the caller (`in`), the API (`out`), or both (`both`,
        a model requests and responses carry): as either manifest says (older ones have no
        `sent`: every model is judged as returned)."""
        found = {str(m.get("sent", {}).get(key, "out")) for m in (self.old, self.new)}
        if "both" in found or {"in", "out"} <= found:
            return "both"
        return "in" if "in" in found else "out"

    def enum(self, key: str, old: list[Any], new: list[Any]) -> None:
        if "sent" in self.old and "sent" in self.new and self.direction(key) == "out":
            return  # an open enum (`Literal[...] | str`): its values change no type
        for value in old:
            if value not in new:
                self.add("breaking", "enum-value-removed", key, literal(value))
        for value in new:
            if value not in old:
                self.add("addition", "enum-value-added", key, literal(value))

    def fields(
        self, key: str, old: Mapping[str, str], new: Mapping[str, str], direction: Direction
    ) -> None:
        old_fields = {k.removesuffix("?"): (not k.endswith("?"), v) for k, v in old.items()}
        new_fields = {k.removesuffix("?"): (not k.endswith("?"), v) for k, v in new.items()}
        for name, (required, type_) in old_fields.items():
            target = f"{key}.{name}"
            if name not in new_fields:
                self.add("breaking", "field-removed", target, old=type_)
                continue
            now_required, new_type = new_fields[name]
            if direction != "out" and now_required and not required:
                self.add("breaking", "field-now-required", target)
            elif direction == "in" and required and not now_required:
                self.add("change", "field-now-optional", target)
            self.retyped("field-type-changed", target, type_, new_type, direction)
        for name, (required, type_) in new_fields.items():
            if name not in old_fields:
                target = f"{key}.{name}"
                if direction != "out" and required:
                    self.add("breaking", "field-added-required", target, new=type_)
                else:
                    self.add("addition", "field-added", target, new=type_)


_KIND = {
    "model_fields": "model",
    "typed_dict_fields": "TypedDict",
    "enums": "enum",
    "aliases": "type alias",
}


def _match(
    old_ops: list[Mapping[str, Any]], new_ops: list[Mapping[str, Any]]
) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Pairs by operationId, then `METHOD /path`, then call path (as the lock matches)."""
    pairs: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    left = list(old_ops)
    right = list(new_ops)
    keys = (
        lambda op: op.get("operation_id") or None,
        lambda op: route(str(op["method"]), str(op["path"])),
        lambda op: op.get("call"),
    )
    for key in keys:
        index: dict[Any, Mapping[str, Any]] = {}
        for op in right:
            k = key(op)
            if k is not None:
                index.setdefault(k, op)
        still: list[Mapping[str, Any]] = []
        for op in left:
            k = key(op)
            match = index.pop(k, None) if k is not None else None
            if match is None:
                still.append(op)
            else:
                pairs.append((op, match))
                right = [r for r in right if r is not match]
        left = still
    order = {id(op): i for i, op in enumerate(old_ops)}
    return sorted(pairs, key=lambda pair: order[id(pair[0])])


_ORDER = (
    "credential",
    "server",
    "method",
    "positional",
    "param",
    "return",
    "stream",
    "webhook",
    "body",
    "model",
    "field",
    "enum",
    "alias",
)


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change, grouped by what changed (methods first), in manifest order within."""
    comparer = _Comparer(old, new)
    comparer.credentials()
    comparer.server_variables()
    comparer.operations()
    comparer.webhooks()
    comparer.definitions()
    return sorted(comparer.changes, key=lambda c: _ORDER.index(c.kind.split("-")[0]))


# --- output -----------------------------------------------------------------------------------

_HEADINGS: tuple[tuple[Category, str], ...] = (
    ("breaking", "Breaking changes"),
    ("addition", "Additions"),
    ("change", "Other changes (compatible)"),
)


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_text(report: DiffReport) -> str:
    counts = {c: len(report.of(c)) for c, _ in _HEADINGS}
    lines = [
        f"apigen diff {report.old} -> {report.new}: {counts['breaking']} breaking, "
        f"{counts['addition']} additions, {counts['change']} other changes",
        *(f"note: {note}" for note in report.notes),
    ]
    for category, heading in _HEADINGS:
        items = report.of(category)
        if not items:
            continue
        lines += ["", f"{heading} ({len(items)}):"]
        for c in items:
            line = f"  {c.kind:<26} {c.target}"
            if c.detail:
                line += f"  {c.detail}"
            if ": " in c.detail:
                pass  # the detail already says what changed (enum values)
            elif c.old is not None and c.new is not None:
                line += f": {_short(c.old)} -> {_short(c.new)}"
            elif c.new is not None:
                line += f": {_short(c.new)}"
            lines.append(line)
    return "\n".join(lines) + "\n"


def format_json(report: DiffReport) -> str:
    return json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
