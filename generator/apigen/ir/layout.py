"""Which module each definition lives in.

Every component schema starts in a module of its own so that importing one model imports only
what it needs (huge specs stay fast to import). Modules that reference each other in a cycle are
merged (strongly connected components), so the import graph of generated modules is acyclic and
never needs a late import.
"""

from __future__ import annotations

from collections import defaultdict

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


def _collect_refs(t: TypeExpr, out: list[str]) -> None:
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
            stack.append(node.item)
        elif type(node) is DictOf:
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
    """Aliases are evaluated at import, so one may not name itself, even through other aliases
    (a JSON-value schema: `oneOf: [string, array of itself, ...]`). The back-references become
    `Any`; models in between are fine (their annotations are lazy). Returns the aliases cut."""
    aliases = [k for k, d in definitions.items() if isinstance(d, AliasDef)]
    edges = {
        k: {r for r in definition_refs(definitions[k]) if isinstance(definitions.get(r), AliasDef)}
        for k in aliases
    }
    cut: list[str] = []
    for component in _strongly_connected(aliases, edges):
        members = set(component)
        if len(component) == 1 and component[0] not in edges[component[0]]:
            continue
        for key in component:
            alias = definitions[key]
            assert isinstance(alias, AliasDef)
            alias.target = _without(alias.target, members)
            cut.append(key)
    return cut


def _without(t: TypeExpr, keys: set[str]) -> TypeExpr:
    match t:
        case Ref(key=key):
            return ANY if key in keys else t
        case ListOf(item=item):
            return ListOf(_without(item, keys))
        case DictOf(value=value):
            return DictOf(_without(value, keys))
        case Nullable(inner=inner):
            return Nullable(_without(inner, keys))
        case UnionOf(items=items, discriminator=disc):
            return UnionOf(tuple(_without(i, keys) for i in items), disc)
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
