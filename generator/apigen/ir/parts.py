"""How a large resource is split into modules (issue 11: no generated module over 3,000 lines).

A resource's methods go into part modules (`resources._repos_branches`) when there are more than
`MAX_METHODS` of them or when their estimated size is over `MAX_LINES`: methods grouped along the
path, consecutive small groups packed together, large ones cut. The size estimate counts what
ruff's formatting makes of a method (sync and async signature, docstring, call, operation
constant): a parameter typed `Literal[...]` of 660 instance types is 660 lines in each of them,
whatever the method count. A resource whose inline types (`types.<resource>`) would be over the
limit gets one types module per part (`types._root_base_2`); `types.<resource>` then re-exports
them (rendered by `render/resources.py`). Nothing here names an API.
"""

from __future__ import annotations

from collections import defaultdict

from .. import naming
from .layout import definition_refs, refs_of
from .nodes import (
    AliasDef,
    Definition,
    DictOf,
    ListOf,
    LiteralOf,
    ModelDef,
    Nullable,
    OperationDef,
    PartDef,
    Ref,
    ResourceDef,
    TypeExpr,
    UnionOf,
)

MAX_METHODS = 15  # per part: a reviewer reads a part of a resource in one sitting
MAX_LINES = 1_500  # estimated, per module: the estimate runs up to ~75 % under the formatted text
_LINE = 88  # what fits on a formatted line, after indentation


def type_lines(t: TypeExpr, definitions: dict[str, Definition]) -> int:
    """Lines a formatted annotation of `t` takes: one, or one per member once it is too long.
    An enum alias counts as its values: method arguments spell it out (`render/code.py`)."""
    items = _leaves(t, definitions)
    return 1 if items <= 4 else items + 2


def _leaves(t: TypeExpr, definitions: dict[str, Definition]) -> int:
    count, stack = 0, [t]
    while stack:
        node = stack.pop()
        if type(node) is Ref:
            d = definitions.get(node.key)
            target = d.target if isinstance(d, AliasDef) else None
            target = target.inner if isinstance(target, Nullable) else target
            if isinstance(target, LiteralOf):
                stack.append(target)
            else:
                count += 1
        elif type(node) is LiteralOf:
            count += len(node.values)
        elif type(node) is UnionOf:
            stack.extend(node.items)
        elif type(node) is Nullable:
            stack.append(node.inner)
            count += 1
        elif type(node) is ListOf:
            stack.append(node.item)
        elif type(node) is DictOf:
            stack.append(node.value)
        else:
            count += 1
    return count


def _text_lines(text: str) -> int:
    return sum(1 + len(line) // _LINE for line in text.split("\n")) if text else 0


def operation_lines(op: OperationDef, definitions: dict[str, Definition]) -> int:
    """Estimated lines of one method in a resource module: its sync and async definitions
    (signature, docstring, call), its operation constant and its responses function."""
    doc = _text_lines(op.summary) + _text_lines(op.description)
    per_param = sum(
        3 + 2 * type_lines(p.type, definitions) + min(_text_lines(p.doc), 2) for p in op.params
    )
    responses = 4 + 2 * len(op.responses)
    waits = 2 * (40 + len(op.params)) if op.long_running else 0
    if op.streaming is not None:  # three overloads a mode, and the stream's operation
        waits += 6 * (12 + len(op.params)) + 10
    return 60 + 2 * doc + per_param + responses + waits


def definition_lines(d: Definition, definitions: dict[str, Definition]) -> int:
    """Estimated lines of a definition in a types or models module."""
    if isinstance(d, ModelDef):
        fields = sum(1 + type_lines(f.type, definitions) + _text_lines(f.doc) for f in d.fields)
        return 5 + _text_lines(d.doc) + fields
    assert isinstance(d, AliasDef)
    return 3 + _text_lines(d.doc) + type_lines(d.target, definitions)


def assign(resource: ResourceDef, definitions: dict[str, Definition]) -> None:
    """Split `resource` (not its children) into parts when it is too large, and its inline
    types when they are."""
    ops = resource.operations
    sizes = {id(op): operation_lines(op, definitions) for op in ops}
    if len(ops) <= MAX_METHODS and sum(sizes.values()) <= MAX_LINES:
        return
    types = "types." + resource.module.removeprefix("resources.")
    modules: set[str] = set()
    for key, chunk in _chunks(resource, sizes):
        base = "resources._" + resource.module.removeprefix("resources.")
        base += "_" + naming.module_name(key)
        module, n = base, 2
        while module in modules:
            module, n = f"{base}_{n}", n + 1
        modules.add(module)
        resource.parts.append(PartDef(key, module, types, chunk))
    own = [d for d in definitions.values() if d.module == types]
    if sum(definition_lines(d, definitions) for d in own) > MAX_LINES:
        _split_types(resource, types, own, definitions)


def _chunks(resource: ResourceDef, sizes: dict[int, int]) -> list[tuple[str, list[OperationDef]]]:
    """Methods grouped by `_group_key` (groups in order of first appearance), consecutive small
    groups packed together and large ones cut: at most `MAX_METHODS` and `MAX_LINES` a chunk
    (a single method larger than that is a chunk of its own)."""
    groups: dict[str, list[OperationDef]] = defaultdict(list)
    for op in resource.operations:
        groups[_group_key(resource, op)].append(op)
    chunks: list[tuple[str, list[OperationDef]]] = []
    for key, ops in groups.items():
        pieces: list[list[OperationDef]] = [[]]
        for op in ops:
            piece = pieces[-1]
            size = sum(sizes[id(o)] for o in piece)
            if piece and (len(piece) >= MAX_METHODS or size + sizes[id(op)] > MAX_LINES):
                pieces.append([op])
            else:
                piece.append(op)
        for index, piece in enumerate(pieces):
            if chunks and index == 0:
                last = chunks[-1][1]
                lines = sum(sizes[id(o)] for o in [*last, *piece])
                if len(last) + len(piece) <= MAX_METHODS and lines <= MAX_LINES:
                    chunks[-1] = (chunks[-1][0], [*last, *piece])
                    continue
            chunks.append((key, piece))
    return chunks


def _group_key(resource: ResourceDef, op: OperationDef) -> str:
    """The path segment after the resource's own name (`/repos/{o}/{r}/branches/...` ->
    `branches`), else the last static segment, else `base`."""
    statics = [s for s in op.path.split("/") if s and not s.startswith("{")]
    name = resource.path[-1].lower()
    for i, segment in enumerate(statics):
        if naming.module_name(segment) == name and i + 1 < len(statics):
            return statics[i + 1]
    return statics[-1] if len(statics) > 1 else "base"


def _split_types(
    resource: ResourceDef, types: str, own: list[Definition], definitions: dict[str, Definition]
) -> None:
    """Each of `own` (the resource's inline types) moves to the types module of the first part
    whose methods name it, directly or through another of them."""
    mine = {d.key for d in own}
    placed: set[str] = set()
    for part in resource.parts:
        part.types = "types." + part.module.removeprefix("resources.")
        todo: list[str] = []
        for op in part.operations:
            todo.extend(_operation_refs(op))
        while todo:
            key = todo.pop()
            if key not in mine or key in placed:
                continue
            placed.add(key)
            definitions[key].module = part.types
            todo.extend(definition_refs(definitions[key]))
    for d in own:  # named by no method (cannot happen today): with the first part's
        if d.key not in placed:
            d.module = resource.parts[0].types


def _operation_refs(op: OperationDef) -> list[str]:
    out: list[str] = []
    for p in op.params:
        out.extend(refs_of(p.type))
    for r in op.responses:
        out.extend(refs_of(r.type))
    out.extend(refs_of(op.returns))
    if op.long_running is not None:
        out.extend(refs_of(op.long_running.result))
    if op.streaming is not None:
        out.extend(refs_of(op.streaming.returns))
    return out
