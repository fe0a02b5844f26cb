"""Example calls for the generated README: required arguments filled with typed placeholders."""

from __future__ import annotations

from ..ir.nodes import (
    Api,
    DictOf,
    ListOf,
    LiteralOf,
    Nullable,
    OperationDef,
    Prim,
    Ref,
    TypeExpr,
    UnionOf,
)
from .code import literal

_PLACEHOLDERS = {
    "str": '"string"',
    "int": "1",
    "float": "1.0",
    "bool": "True",
    "bytes": 'b"..."',
    "file": 'open("file.bin", "rb")',
    "datetime": "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)",
    "date": "datetime.date(2024, 1, 2)",
    "UUID": 'uuid.UUID("12345678-1234-5678-1234-567812345678")',
}


def placeholder(api: Api, t: TypeExpr, depth: int = 0) -> str:
    """A Python expression of type `t` (kept small: models are passed as dicts)."""
    match t:
        case Prim(name=name):
            return _PLACEHOLDERS.get(name, "None")
        case LiteralOf(values=values):
            return literal(values[0])
        case Nullable(inner=inner):
            return placeholder(api, inner, depth)
        case UnionOf(items=items):
            return placeholder(api, items[0], depth)
        case ListOf(item=item):
            return f"[{placeholder(api, item, depth + 1)}]" if depth < 3 else "[]"
        case DictOf():
            return "{}"
        case Ref(key=key):
            d = api.definitions[key]
            target = getattr(d, "target", None)
            if target is not None and depth < 3:
                return placeholder(api, target, depth + 1)
            return "{}"
    return "None"


def call_expression(api: Api, op: OperationDef) -> str:
    """`client.x.y(required=...)` on one line."""
    args = [f"{p.py_name}={placeholder(api, p.type)}" for p in op.params if p.required]
    return f"{'.'.join(['client', *op.resource, op.name])}({', '.join(args)})"


def call_example(api: Api, op: OperationDef) -> str:
    args = [f"{p.py_name}={placeholder(api, p.type)}" for p in op.params if p.required]
    call = ".".join(["client", *op.resource, op.name])
    joined = ", ".join(args)
    result = "" if op.returns == Prim("None") else "result = "
    text = f"{result}{call}({joined})"
    if len(text) > 90:
        text = f"{result}{call}(\n" + "".join(f"    {a},\n" for a in args) + ")"
    if result:
        text += "\nprint(result)"
    return text
