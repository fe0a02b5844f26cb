"""The manifest of the previous build is the lock of method names (issue 9, decisions.md).

`apigen build` into a folder that holds an `apigen.json` reuses its call paths: an operation
found there (by operationId, else by `METHOD /path`) keeps `client.<resource>.<method>` even when
the names `grouping` derives today differ (a sibling path appeared, a tag moved...). New
operations keep their derived names unless those collide with a locked one:
- a new resource segment that is a locked method's name on the same parent gets `_api` appended
  (Stripe 2023 adds `/v1/customers/{customer}/payment_methods/{payment_method}` beside the
  locked method `customers.payment_methods(...)`: the new operation is
  `customers.payment_methods_api.retrieve(...)` and the old call keeps working);
- a new method whose name a locked operation holds, or which is a locked sub-resource's
  attribute, takes its operation-id name (as `grouping._settle` does for collisions).
Configured renames are applied after the lock, so configuration always wins; the naming
extensions a spec carries are applied before it (a locked name is kept even if the spec later
adds `x-speakeasy-name-override`; rename through configuration instead).
"""

from __future__ import annotations

import json
import keyword
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import naming
from .grouping import _fallback_name
from .nodes import OperationDef

# a part of a locked call path (`ApiOptions` renames take the same: config/schema.json)
_PUBLIC = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

Call = tuple[tuple[str, ...], str]  # (resource path, method name)


class LockError(ValueError):
    """The previous manifest cannot be read as a lock (the message names file and key)."""


def route(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


@dataclass
class NameLock:
    """Call paths of a previous build, by operationId and by `METHOD /path`."""

    source: str
    calls: list[Call]
    by_id: dict[str, int]
    by_route: dict[str, int]
    kept: int = field(default=0)  # operations that took their locked name in the last apply

    @classmethod
    def from_manifest(cls, data: Any, source: str) -> NameLock:
        """Read the `operations` of a manifest (`apigen.json`); a malformed one is a LockError."""
        ops = data.get("operations") if isinstance(data, Mapping) else None
        if not isinstance(ops, list):
            raise LockError(f"{source}: #/operations: missing or not a list")
        lock = cls(source, [], {}, {})
        for i, op in enumerate(ops):
            where = f"{source}: #/operations/{i}"
            if not isinstance(op, Mapping):
                raise LockError(f"{where}: not an object")
            method, path, call = op.get("method"), op.get("path"), op.get("call")
            op_id = op.get("operation_id")
            if not (isinstance(method, str) and isinstance(path, str) and isinstance(call, str)):
                raise LockError(f"{where}: method, path and call must be strings")
            if op_id is not None and not isinstance(op_id, str):
                raise LockError(f"{where}/operation_id: not a string")
            parts = call.split(".")
            if len(parts) < 2 or not all(
                _PUBLIC.fullmatch(p) and not keyword.iskeyword(p) for p in parts
            ):
                # ASCII and public, as a configured rename must be: a full-width `update` (NFKC:
                # `update`) replaced another method, `pet.__init__` the resource's own
                raise LockError(
                    f"{where}/call: {call!r} is not a dotted resource.method path of public "
                    "ASCII names (letters, digits, _; no keyword, no leading _)"
                )
            lock.calls.append((tuple(parts[:-1]), parts[-1]))
            if op_id:
                lock.by_id.setdefault(op_id, i)
            lock.by_route.setdefault(route(method, path), i)
        return lock

    def apply(self, ops: list[OperationDef], reserved_resource: set[str]) -> None:
        """Give matched operations their locked names; move new ones off locked names."""
        matched: dict[int, int] = {}  # id(op) -> entry
        used: set[int] = set()
        for op in ops:  # by operationId first, so a moved operation keeps its name
            entry = self.by_id.get(op.operation_id) if op.operation_id else None
            if entry is not None and entry not in used:
                matched[id(op)] = entry
                used.add(entry)
        for op in ops:
            entry = self.by_route.get(route(op.method, op.path))
            if id(op) not in matched and entry is not None and entry not in used:
                matched[id(op)] = entry
                used.add(entry)
        for op in ops:
            if id(op) in matched:
                op.resource, op.name = self.calls[matched[id(op)]]
        self.kept = len(matched)
        _clear_of_locked([op for op in ops if id(op) in matched], ops, reserved_resource)


def _clear_of_locked(
    fixed: list[OperationDef], ops: list[OperationDef], reserved_resource: set[str]
) -> None:
    fixed_ids = {id(op) for op in fixed}
    free = [op for op in ops if id(op) not in fixed_ids]
    methods: dict[tuple[str, ...], set[str]] = defaultdict(set)
    fixed_children: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for op in fixed:
        methods[op.resource].add(op.name)
        for i in range(1, len(op.resource)):
            fixed_children[op.resource[:i]].add(op.resource[i])
    attrs = _attributes(ops)
    # 1. A new resource segment that is a locked method on its parent: `<segment>_api`.
    for op in free:
        segments = list(op.resource)
        for i, segment in enumerate(segments):
            parent = tuple(segments[:i])
            new = segment
            while new in methods.get(parent, ()) or (new != segment and new in attrs[parent]):
                new += "_api"
            segments[i] = new
        op.resource = tuple(segments)
    # 2. A new method on a locked call path or a locked sub-resource: its operation-id name.
    attrs = _attributes(ops)
    taken = {(op.resource, op.name) for op in ops}
    for op in free:
        if op.name not in methods.get(op.resource, ()) and op.name not in fixed_children.get(
            op.resource, ()
        ):
            continue
        for candidate in _candidates(op, reserved_resource):
            if (op.resource, candidate) not in taken and candidate not in attrs[op.resource]:
                taken.add((op.resource, candidate))
                op.name = candidate
                break


def _attributes(ops: list[OperationDef]) -> defaultdict[tuple[str, ...], set[str]]:
    """Attribute names in use on each resource path (methods and sub-resources)."""
    attrs: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
    for op in ops:
        attrs[op.resource].add(op.name)
        for i in range(len(op.resource)):
            attrs[op.resource[:i]].add(op.resource[i])
    return attrs


def _candidates(op: OperationDef, reserved_resource: set[str]) -> list[str]:
    blocked = reserved_resource | set(keyword.kwlist)
    first = [_fallback_name(op), naming.snake(f"{op.method} {op.name}")]
    names = [n + "_" if n in blocked else n for n in first]
    return [*names, *(f"{names[-1]}_alt{'' if i == 1 else i}" for i in range(1, 100))]


def read_lock(out_dir: Path) -> NameLock | None:
    """The lock in `out_dir/apigen.json` (None when there is none); malformed: LockError."""
    path = out_dir / "apigen.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise LockError(f"{path}: cannot read the previous manifest ({err})") from None
    return NameLock.from_manifest(data, str(path))
