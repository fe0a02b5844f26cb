"""Example calls for the generated README and api.md: required arguments filled with the spec's
example values where they fit the parameter's type, else typed placeholders; every example
carries the imports it needs, so it runs as written."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from ..ir.nodes import (
    Api,
    DictOf,
    FieldDef,
    ListOf,
    LiteralOf,
    ModelDef,
    Nullable,
    OperationDef,
    ParamDef,
    Prim,
    Ref,
    TypeExpr,
    UnionOf,
)
from .code import literal
from .views import _positional as positional

_PLACEHOLDERS = {
    "str": '"string"',
    "int": "1",
    "float": "1.0",
    "bool": "True",
    "bytes": 'b"..."',
    "file": '("hello.txt", b"hello")',
    "datetime": "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)",
    "date": "datetime.date(2024, 1, 2)",
    "UUID": 'uuid.UUID("12345678-1234-5678-1234-567812345678")',
}


#: Models nest this deep in an example (deeper ones are `{}`); aliases are followed further, so a
#: string alias inside a list of models is still a string.
_MAX_MODEL_DEPTH = 3
_MAX_ALIAS_DEPTH = 8


def placeholder(api: Api, t: TypeExpr, depth: int = 0, filled: bool = False) -> str:
    """A Python expression of type `t` (kept small: models are passed as dicts). `filled`: never
    empty (a path parameter's value fills a segment, and an empty one changes the endpoint):
    a model without required fields shows its first writable one, a map one entry."""
    match t:
        case Prim(name=name):
            return _PLACEHOLDERS.get(name, "None")
        case LiteralOf(values=values):
            return literal(values[0])
        case Nullable(inner=inner):
            return placeholder(api, inner, depth, filled)
        case UnionOf(items=items, discriminator=tag) if tag is not None and tag.mapping:
            # the first member, saying which it is (without its tag the body is refused)
            value, key = tag.mapping[0]
            shown = placeholder(api, Ref(key), depth, filled)
            entry = f"{literal(tag.property)}: {literal(value)}"
            if not shown.startswith("{") or f"{literal(tag.property)}:" in shown:
                return shown
            return "{" + entry + (", " + shown[1:] if shown != "{}" else "}")
        case UnionOf(items=items):
            return placeholder(api, items[0], depth, filled)
        case ListOf(item=item):
            return f"[{placeholder(api, item, depth + 1)}]" if depth < _MAX_ALIAS_DEPTH else "[]"
        case DictOf(value=value):
            return f'{{"key": {placeholder(api, value, depth + 1)}}}' if filled else "{}"
        case Ref(key=key):
            d = api.definitions[key]
            target = getattr(d, "target", None)
            if target is not None and depth < _MAX_ALIAS_DEPTH:  # (an alias may name itself)
                return placeholder(api, target, depth + 1, filled)
            if isinstance(d, ModelDef) and depth < _MAX_MODEL_DEPTH:  # the required fields
                fields = [f for f in d.fields if (f.required or f.in_example) and not f.read_only]
                if not fields and filled:
                    fields = [f for f in d.fields if not f.read_only][:1]
                entries = [f"{literal(f.wire_name)}: {_field(api, f, depth + 1)}" for f in fields]
                return "{" + ", ".join(entries) + "}"
            return "{}"
    return "None"


def _field(api: Api, f: FieldDef, depth: int) -> str:
    """A model field's value: its example when the type takes it as is (a `minimum`, a
    `format`, a `pattern` the type does not say)."""
    if f.example is not None and _fits(api, f.type, f.example):
        return literal(f.example)
    return placeholder(api, f.type, depth)


def argument(api: Api, p: ParamDef) -> str:
    """The value shown for one parameter: its example when the type takes it as is."""
    if p.example is not None and _fits(api, p.type, p.example):
        return literal(p.example)
    # (an empty object fills no path segment, and an exploded one sends no query key at all)
    return placeholder(api, p.type, filled=p.location not in ("field", "body"))


def _fits(api: Api, t: TypeExpr, value: str | int | float | bool, depth: int = 0) -> bool:
    match t:
        case Prim(name="str"):
            return isinstance(value, str)
        case Prim(name="int"):
            return isinstance(value, int) and not isinstance(value, bool)
        case Prim(name="float"):
            return isinstance(value, int | float) and not isinstance(value, bool)
        case Prim(name="bool"):
            return isinstance(value, bool)
        case LiteralOf(values=values, open_base=base):
            return value in values or (base is not None and _fits(api, base, value))
        case Nullable(inner=inner):
            return _fits(api, inner, value, depth)
        case UnionOf(items=items):
            return _fits(api, items[0], value, depth)  # the placeholder's branch
        case Ref(key=key) if depth < 3:
            target = getattr(api.definitions[key], "target", None)
            return target is not None and _fits(api, target, value, depth + 1)
    return False


def _required(op: OperationDef) -> list[ParamDef]:
    """Path parameters first, in path order (as the method takes them), then the others."""
    path = positional(op)
    return [*path, *(p for p in op.params if p.required and not p.has_const and p not in path)]


def call_expression(api: Api, op: OperationDef, receiver: str = "client") -> str:
    """`client.x.y(required=...)` on one line (path parameters positional, in path order)."""
    args = [_arg(api, p) for p in _required(op)]
    return f"{'.'.join([receiver, *op.resource, op.name])}({', '.join(args)})"


def _arg(api: Api, p: ParamDef) -> str:
    value = argument(api, p)
    return value if p.location == "path" and p.required else f"{p.py_name}={value}"


def call_example(api: Api, op: OperationDef, also: Sequence[ParamDef] = ()) -> str:
    """`result = client.x.y(...)` and its print, with the required arguments and `also` (the
    File uploads example's optional file: `upload_file(1)` uploaded nothing)."""
    required = _required(op)
    args = [_arg(api, p) for p in [*required, *(p for p in also if p not in required)]]
    call = ".".join(["client", *op.resource, op.name])
    joined = ", ".join(args)
    result = "" if op.returns == Prim("None") else "result = "
    text = f"{result}{call}({joined})"
    if len(text) > 90:
        text = f"{result}{call}(\n" + "".join(f"    {a},\n" for a in args) + ")"
    if result:
        text += "\nprint(result)"
    if op.deprecated:  # every operation of its resource is (README examples avoid them)
        text = "# deprecated by the API: the call warns with DeprecationWarning\n" + text
    return with_imports(text)


def with_imports(code: str) -> str:
    """`code` preceded by the stdlib imports its placeholders use."""
    return imports_of(code) + code


def imports_of(code: str) -> str:
    """The stdlib imports `code`'s placeholders use, then a blank line; "" when none."""
    needed = [f"import {m}" for m in ("datetime", "uuid") if f"{m}." in code]
    return "\n".join(needed) + "\n\n" if needed else ""


def example_path(api: Api, op: OperationDef) -> str:
    """`op.path` (as sent) with every path parameter filled in (for `client.get(...)`)."""
    path = op.wire_path or op.path
    given = {c.wire_name: c.example for c in api.client_params if c.location == "path"}
    for p in op.params:
        if p.location == "path":
            value = p.example if p.example is not None else given.get(p.wire_name)
            value = value if value is not None else "string"
            # encoded as the client encodes a path value: `#`, `/`, `?` stay in the segment
            path = path.replace("{" + p.wire_name + "}", quote(str(value), safe=""))
    return path
