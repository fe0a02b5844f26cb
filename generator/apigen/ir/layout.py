"""Which module each definition lives in.

Every component schema starts in a module of its own so that importing one model imports only
what it needs (huge specs stay fast to import). Modules that reference each other in a cycle are
merged (strongly connected components), so the import graph of generated modules is acyclic and
never needs a late import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .nodes import (
    ANY,
    AliasDef,
    Definition,
    DictOf,
    ListOf,
    ModelDef,
    Nullable,
    Ref,
    TypeExpr,
    UnionOf,
)


def refs_of(t: TypeExpr) -> list[str]:
    """The definition keys `t` names, depth first."""
    out: list[str] = []
    _collect_refs(t, out)
    return out


def _collect_refs(t: TypeExpr, out: list[str], containers: bool = True) -> None:
    """`containers=False`: only the keys named outside any list or map (through unions and
    `| None`), those an alias's value needs at once."""
    # Dispatch on the exact node class (no subclasses exist), cheaper than class patterns;
    # a list, not a generator: the layout passes call this ~100 000 times on GitHub's spec.
    stack = [t]
    while stack:
        node = stack.pop()
        if type(node) is Ref:
            out.append(node.key)
        elif type(node) is Nullable:
            stack.append(node.inner)
        elif type(node) is ListOf:
            if containers:
                stack.append(node.item)
        elif type(node) is DictOf:
            if containers:
                stack.append(node.value)
        elif type(node) is UnionOf:
            stack.extend(node.items)


def definition_refs(d: Definition) -> list[str]:
    """The definition keys `d` names, field by field."""
    out: list[str] = []
    if isinstance(d, ModelDef):
        for f in d.fields:
            _collect_refs(f.type, out)
    else:
        _collect_refs(d.target, out)
    return out


def lazy_models(definitions: dict[str, Definition]) -> frozenset[str]:
    """Models another model's field names through `_rt.later` (imported and built when data
    for it is first validated) instead of an import: every model that refers to a model
    itself, so a call loads only the model graph its response holds. A leaf model (fields of
    plain types only) stays a plain import: one small class, validated inline (cheaper per
    nested value than a call through another validator)."""

    def names_a_model(d: Definition) -> bool:
        seen: set[str] = set()
        todo = list(definition_refs(d))
        while todo:  # through aliases (a loop: alias chains may be thousands deep)
            target = definitions.get(key := todo.pop())
            if target is None or key in seen:
                continue
            seen.add(key)
            if isinstance(target, ModelDef):
                if not target.typed_dict:
                    return True
            else:
                todo.extend(definition_refs(target))
        return False

    return frozenset(
        key
        for key, d in definitions.items()
        if isinstance(d, ModelDef) and not d.typed_dict and names_a_model(d)
    )


def break_alias_cycles(definitions: dict[str, Definition]) -> list[str]:
    """Aliases that name themselves, even through other aliases (a JSON-value schema:
    `oneOf: [string, array of itself, ...]`), become recursive type aliases
    (`TypeAliasType`, whose value is evaluated on first use, not at import): `recursive` is set
    on each. A cycle that no list or map breaks (`A: oneOf: [A, string]`) describes no value
    of its own, so its back-references become `Any`, as before. Returns the aliases cut."""
    aliases = [k for k, d in definitions.items() if isinstance(d, AliasDef)]

    def alias_edges(unguarded: bool) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = {}
        for k in aliases:
            alias = definitions[k]
            assert isinstance(alias, AliasDef)
            refs: list[str] = []
            _collect_refs(alias.target, refs, containers=not unguarded)
            edges[k] = {r for r in refs if isinstance(definitions.get(r), AliasDef)}
        return edges

    cut: list[str] = []
    for component in _cycles(aliases, alias_edges(unguarded=True)):
        members = set(component)
        for key in component:
            alias = definitions[key]
            assert isinstance(alias, AliasDef)
            alias.target = _without(alias.target, members, guarded=False)
            cut.append(key)
    for component in _cycles(aliases, alias_edges(unguarded=False)):
        for key in component:
            alias = definitions[key]
            assert isinstance(alias, AliasDef)
            alias.recursive = True
    return cut


def shorten_alias_chains(definitions: dict[str, Definition]) -> None:
    """An alias that only names another alias (`A0 = A1`, `A1 = A2 | None`, ... a chain of
    `$ref`s, nullable or not) names the end of the chain instead (`A0 = A2 | None`): each alias
    module imports the next at import time, and a chain of a few hundred ran out of Python's
    recursion limit at the first call. Same type, the same names for users; only links of the
    same kind (request-only or not, neither recursive) are skipped, so no enum changes between
    open and closed."""
    for alias in definitions.values():
        if not isinstance(alias, AliasDef) or alias.recursive or _named(alias.target) is None:
            continue
        chain = [alias]  # every link shortened at once: each chain is walked once
        keys = {alias.key}
        key = _named(alias.target)
        while key is not None:
            nxt = definitions.get(key)
            if (
                not isinstance(nxt, AliasDef)
                or nxt.recursive
                or nxt.request_only != alias.request_only
                or _named(nxt.target) is None
                or nxt.key in keys
            ):
                break
            chain.append(nxt)
            keys.add(nxt.key)
            key = _named(nxt.target)
        if len(chain) < 2 or key is None:
            continue
        nullable = False  # each link keeps its own `| None`, and those of the links after it
        for link in reversed(chain):
            nullable = nullable or type(link.target) is Nullable
            link.target = Nullable(Ref(key)) if nullable else Ref(key)


def _named(t: TypeExpr) -> str | None:
    """The key `t` names when it is `Ref(key)` or `Ref(key) | None`."""
    if type(t) is Nullable:
        t = t.inner
    return t.key if type(t) is Ref else None


def _cycles(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components that hold a cycle (more than one node, or a loop)."""
    return [c for c in _strongly_connected(nodes, edges) if len(c) > 1 or c[0] in edges[c[0]]]


def _without(t: TypeExpr, keys: set[str], *, guarded: bool = True) -> TypeExpr:
    """`t` with references to `keys` as `Any`; with `guarded=False` only those outside any
    list or map."""
    match t:
        case Ref(key=key):
            return ANY if key in keys else t
        case ListOf(item=item) if guarded:
            return ListOf(_without(item, keys))
        case DictOf(value=value) if guarded:
            return DictOf(_without(value, keys))
        case Nullable(inner=inner):
            return Nullable(_without(inner, keys, guarded=guarded))
        case UnionOf(items=items, discriminator=disc):
            kept = tuple(_without(i, keys, guarded=guarded) for i in items)
            if disc is not None and kept != items:
                # a member cut (`RecursiveItem: oneOf [RecursiveItem, ItemReference]`): its tag
                # names nothing now (pydantic: "tag not found"); the others keep theirs
                left = {i.key for i in kept if isinstance(i, Ref)}
                mapping = tuple((v, k) for v, k in disc.mapping if k in left)
                disc = replace(disc, mapping=mapping) if mapping else None
            return UnionOf(kept, disc)
    return t


def merge_cycles(
    definitions: dict[str, Definition], later: frozenset[str]
) -> dict[str, frozenset[str]]:
    """Rewrite `module` of definitions so that no two modules import each other at import time.

    A cycle made only of model classes keeps one module per model (annotations are evaluated
    late, so each module imports the others of its cycle at its end: pydantic resolves the
    names on first use); returned as module -> the modules of its cycle. A cycle through a type
    alias or a functional TypedDict (evaluated at import) is merged into one module. A model
    naming a model through `_rt.later` (`later`: `lazy_models`) is no import at all."""
    edges: dict[str, set[str]] = defaultdict(set)
    order: list[str] = []
    for d in definitions.values():
        if d.module not in edges:
            order.append(d.module)
            edges[d.module] = set()
        model = isinstance(d, ModelDef) and not d.typed_dict
        for key in definition_refs(d):
            target = definitions.get(key)
            if model and key in later:
                continue
            if target is not None and target.module != d.module:
                edges[d.module].add(target.module)
    rename: dict[str, str] = {}
    cycles: dict[str, frozenset[str]] = {}
    by_module: dict[str, list[Definition]] = defaultdict(list)
    for d in definitions.values():
        by_module[d.module].append(d)
    for component in _strongly_connected(order, edges):
        if len(component) == 1:
            continue
        members = [d for m in component for d in by_module[m]]
        if all(isinstance(d, ModelDef) and not d.typed_dict for d in members):
            for module in component:
                cycles[module] = frozenset(component)
            continue
        models_first = sorted(
            component, key=lambda m: (not m.startswith("models."), order.index(m))
        )
        merged = models_first[0]
        for module in component:
            rename[module] = merged
    for d in definitions.values():
        d.module = rename.get(d.module, d.module)
    return cycles


def _strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (real specs have reference chains thousands deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result
