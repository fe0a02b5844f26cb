"""Views: the plain strings and lists each template lays out, decided here in Python."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..ir.layout import definition_refs
from ..ir.nodes import (
    AliasDef,
    Api,
    Definition,
    DictOf,
    FieldDef,
    ListOf,
    ModelDef,
    Nullable,
    OperationDef,
    PaginationDef,
    ParamDef,
    Prim,
    Ref,
    ResourceDef,
    TypeExpr,
    UnionOf,
)
from .code import Imports, TypeRenderer, docstring, literal
from .isort import export_key, sort_block


@dataclass
class FieldView:
    name: str
    annotation: str
    default: str | None  # source after "=", None for a required field
    doc: str


@dataclass
class ClassView:
    name: str
    doc: str
    fields: list[FieldView]
    base: str = "_rt.Model"  # or "TypedDict, total=False" for request-only shapes
    # required fields with a spec default, counted as set (`model_post_init`): a request sends
    # only the fields set (`exclude_unset`), and the API requires these
    sent_always: list[str] = field(default_factory=list)
    # `model_post_init`'s `context` annotation: the builtin, by its module where a field named
    # `object` shadows it in the class body (OpenAI's `Response.object`: mypy "not valid as a
    # type" in 44 modules)
    context_type: str = "object"


@dataclass
class AliasView:
    """A module-level assignment evaluated at import: a type alias or a functional TypedDict."""

    statement: str
    doc: str


@dataclass
class ModelModuleView:
    imports: list[str]
    classes: list[ClassView]
    aliases: list[AliasView]
    names: list[str] = field(default_factory=list)  # `__all__`: what the package re-exports
    deferred: list[str] = field(default_factory=list)  # cycle imports, placed at the end


def _depth(module: str) -> int:
    return module.count(".") + 1


def model_module(
    api: Api, module: str, defs: list[Definition], lazy: frozenset[str] = frozenset()
) -> ModelModuleView:
    """`lazy`: the models fields name through `_rt.later` (`layout.lazy_models`)."""
    imports = Imports()
    types = TypeRenderer(api.definitions, module, imports)
    model_types = TypeRenderer(api.definitions, module, imports, lazy=lazy)
    # (request-only aliases name models only: a model's field may hold one, and pydantic could
    # not resolve a twin's keys; their twin aliases take the dicts)
    requests = types.variant(shadowed=frozenset(), open_enums=False)
    # a TypedDict's keys take read-only views, as a method's arguments do (its arrays were
    # `list[...]`: `body={"labels": names}` with `names: list[str]` failed mypy, the invariance
    # `Sequence` spares arguments one level down); models or their twins, unless a model holds
    # the TypedDict (`ModelDef.validated`: then its twin takes the dicts)
    request_keys = types.variant(
        shadowed=frozenset(), open_enums=False, sequences=True, params=True
    )
    validated_keys = types.variant(shadowed=frozenset(), open_enums=False, sequences=True)
    # the twins' keys name models, twins and aliases in strings only (never evaluated: the
    # models may be imported lazily, or not until a response needs them), imported for type
    # checkers only
    twin_imports = Imports()
    twin_keys = TypeRenderer(api.definitions, module, twin_imports).variant(
        shadowed=frozenset(), open_enums=False, sequences=True, params=True
    )
    classes: list[ClassView] = []
    assigned: list[Definition] = []
    functional: list[tuple[ClassView, str]] = []  # twins whose keys cannot be a class's
    for d in defs:
        if isinstance(d, AliasDef) or (d.typed_dict and not _identifier_keys(d)):
            assigned.append(d)
        elif d.typed_dict:
            keys = validated_keys if d.validated else request_keys
            fields = [_typed_dict_field(f, keys) for f in d.fields]
            if _keys_shadow(fields):
                assigned.append(d)
                continue
            imports.typing_extensions.add("TypedDict")
            doc = docstring(d.doc, indent="    ")
            classes.append(ClassView(d.name, doc, fields, "TypedDict, total=False"))
        else:
            imports.runtime = True
            view = ClassView(d.name, docstring(d.doc, indent="    "), _fields(d, model_types))
            view.sent_always = [f.py_name for f in d.fields if f.required and _kept_default(f)]
            if view.sent_always and any(f.py_name == "object" for f in d.fields):
                imports.builtins = True
                view.context_type = "_builtins.object"
            classes.append(view)
    for d in defs:  # the twins, after the classes they stand for
        if isinstance(d, ModelDef) and d.param_name is not None:
            twin = _twin(d, twin_keys)
            if _class_keys(twin.fields):
                classes.append(twin)
            else:
                functional.append((twin, _twin_doc(d.name)))
    # assignments, each after those it names: a twin alias (`MessageParam`) names the twins,
    # and so do the request-only shapes (`params`)
    statements: dict[str, tuple[list[str], AliasView]] = {}
    for d in assigned:
        refs = definition_refs(d)
        needs = [*refs, *(_TWIN + r for r in refs)]
        if isinstance(d, AliasDef) and d.recursive:
            # the value is a string pydantic evaluates on first use, in this module's globals
            imports.typing_extensions.add("TypeAliasType")
            target = (requests if d.request_only else types).expr(d.target)
            statement = f"{d.name} = TypeAliasType({literal(d.name)}, {literal(target)})"
        elif isinstance(d, AliasDef):
            imports.typing.add("TypeAlias")
            target = (requests if d.request_only else types).expr(d.target)
            statement = f"{d.name}: TypeAlias = {target}"
        else:
            imports.typing_extensions.add("TypedDict")
            items = ", ".join(
                f"{literal(f.wire_name)}: "
                f"{_typed_dict_field(f, validated_keys if d.validated else request_keys).annotation}"
                for f in d.fields
            )
            statement = f"{d.name} = TypedDict({literal(d.name)}, {{{items}}}, total=False)"
        statements[d.key] = (needs, AliasView(statement, docstring(d.doc)))
        if isinstance(d, AliasDef) and d.param_name is not None:
            target = request_keys.expr(d.target)
            twin_alias = AliasView(f"{d.param_name}: TypeAlias = {target}", _twin_doc(d.name))
            statements[_TWIN + d.key] = ([d.key, *needs], twin_alias)
    aliases = [statements[key][1] for key in _assignment_order(statements)]
    if any(isinstance(d, ModelDef) and d.param_name is not None for d in defs):
        imports.typing_extensions.add("TypedDict")
        imports.take_names(twin_imports)
        for m, twin_names in twin_imports.local.items():
            # from a module imported at run time anyway: imported too (nothing more loads, and
            # pydantic can then resolve the twin's keys); else for type checkers only
            (imports.local if m in imports.local else imports.checking)[m] |= twin_names
    names = sorted(  # ruff's RUF022 order (`TOC` first)
        [*(d.name for d in defs), *(d.param_name for d in defs if d.param_name is not None)],
        key=export_key,
    )
    later = imports.later_lines(_depth(module))
    if later:
        imports.typing.add("TYPE_CHECKING")
    cycle = api.cycles.get(module, frozenset())
    dots = "." * _depth(module)
    deferred = sort_block(  # the other modules of an import cycle: imported once this one is
        f"from {dots}{m} import {', '.join(imports.local.pop(m))}"  # defined
        for m in sorted(cycle & set(imports.local))
    )
    import_blocks = imports.lines(_depth(module))
    if later:
        import_blocks.append("\n".join(later))
    # names a TypedDict key cannot name at import: imported for type checkers only, or a model
    # bound to an `_rt.later` placeholder (a TypedDict checks each key's type when created)
    unbound = {
        n for table in (imports.checking, imports.later) for ns in table.values() for n in ns
    }
    unbound -= {n for ns in imports.local.values() for n in ns}
    # the functional twins come first among the assignments, each key a string where it names
    # an assignment or an unbound name (the values are evaluated, `__future__` or not)
    assigned_names = set(names) - {cls.name for cls in classes}
    aliases[:0] = [
        _functional_twin(twin, doc, assigned_names | unbound) for twin, doc in functional
    ]
    if deferred:  # names the end of the module imports: annotations must stay strings
        import_blocks.insert(0, "from __future__ import annotations")
    else:
        _evaluated_annotations(classes, set(names), unbound)
    return ModelModuleView(import_blocks, classes, aliases, names, deferred)


_STRING_LITERAL = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _functional_twin(twin: ClassView, doc: str, pending: set[str]) -> AliasView:
    """`XParam = TypedDict("XParam", {...})`, the keys naming any of `pending` as strings."""
    items = ", ".join(
        f"{literal(f.name)}: {_quoted(f.annotation) if _names(f.annotation) & pending else f.annotation}"
        for f in twin.fields
    )
    statement = f"{twin.name} = TypedDict({literal(twin.name)}, {{{items}}}, total=False)"
    return AliasView(statement, doc)


def _names(annotation: str) -> set[str]:
    """The names `annotation` reads (not the text of its `Literal[...]` values)."""
    return set(_IDENTIFIER.findall(_STRING_LITERAL.sub("", annotation)))


def _evaluated_annotations(
    classes: list[ClassView], local: set[str], unbound: frozenset[str] | set[str] = frozenset()
) -> None:
    """Quote the annotations that name a class of this module not yet created at that point.

    Model modules are rendered without `from __future__ import annotations`: pydantic would
    otherwise turn every annotation string into a `ForwardRef`, compile and evaluate it when the
    class is created (~20 % of creating a model). Every name an annotation uses is bound at
    import (leaf models imported, other models bound to `_rt.later` placeholders) except this
    module's own classes and assignments defined later (or the class itself): those annotations
    stay strings, which pydantic resolves once the module is complete, as before. A TypedDict
    (a twin) also quotes a key naming an `unbound` name; its `Required[...]` stays outside the
    string (the runtime's `__required_keys__` reads it). Nothing else is quoted: a string
    cannot be split, and ruff's formatter left such lines past the line length.
    """
    bound: set[str] = set()
    for cls in classes:
        typed = cls.base.startswith("TypedDict")
        pending = (local - bound) | unbound if typed else local - bound
        for f in cls.fields:
            if len(pending) < 8 and not any(name in f.annotation for name in pending):
                continue  # (most annotations: no pending name even as a substring)
            if _names(f.annotation) & pending:
                f.annotation = _quoted(f.annotation) if typed else repr(f.annotation)
        bound.add(cls.name)


_TWIN = "param:"  # a twin's key among a module's assignments (`_assignment_order`)


def _twin_doc(name: str, indent: str = "") -> str:
    return docstring(
        f"What a request takes for `{name}` as a plain dict, keyed by wire names (`{name}` "
        "itself is taken too).",
        indent=indent,
    )


def _twin(d: ModelDef, keys: TypeRenderer) -> ClassView:
    """`d`'s TypedDict twin: the keys a request sends (not the read-only ones), by wire name;
    required as requests require them (a required writeOnly key too)."""
    fields = [
        _typed_dict_field(f, keys, required=f.required or f.required_in_requests)
        for f in d.fields
        if not f.read_only
    ]
    assert d.param_name is not None
    return ClassView(
        d.param_name, _twin_doc(d.name, indent="    "), fields, "TypedDict, total=False"
    )


def _class_keys(fields: list[FieldView]) -> bool:
    """Whether a TypedDict's keys fit the class syntax (else the functional form)."""
    return all(_class_key(f.name) for f in fields) and not _keys_shadow(fields)


def _class_key(key: str) -> bool:
    """A key a class body can spell: an identifier, no keyword, and not mangled (`__v`,
    Mongoose's version key, became `_DocParam__v` in a class body)."""
    mangled = key.startswith("__") and not key.endswith("__")
    return key.isidentifier() and not keyword.iskeyword(key) and not mangled


def _quoted(annotation: str) -> str:
    """A TypedDict key's annotation as a string, `Required[...]` kept outside it (the runtime's
    `__required_keys__` reads it)."""
    if annotation.startswith("Required[") and annotation.endswith("]"):
        return f"Required[{literal(annotation[9:-1])}]"
    return literal(annotation)


def _identifier_keys(d: ModelDef) -> bool:
    """Class syntax needs every key to be a plain identifier (else the functional form)."""
    return all(_class_key(f.wire_name) for f in d.fields)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# a `Literal[...]`'s values are data, not names an annotation reads (Stripe's `type:
# Literal["affirm", ...]` beside a key `affirm`)
_LITERAL = re.compile(r"""Literal\[(?:[^\[\]"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*\]""")


def _keys_shadow(fields: list[FieldView]) -> bool:
    """Whether a key names something an annotation of the class reads (`int: int` then `b:
    int`: in the class body the second `int` is the key; pyright refuses it): such a
    TypedDict takes the functional form, where keys are strings."""
    keys = {f.name for f in fields}
    return any(
        not keys.isdisjoint(_NAME.findall(_LITERAL.sub("Literal", f.annotation))) for f in fields
    )


def _typed_dict_field(
    f: FieldDef, types: TypeRenderer, *, required: bool | None = None
) -> FieldView:
    """A TypedDict key keeps its wire name; required keys are `Required[...]`."""
    annotation = types.expr(f.type)
    if f.required if required is None else required:
        types.imports.typing.add("Required")
        annotation = f"Required[{annotation}]"
    return FieldView(f.wire_name, annotation, None, docstring(f.doc, indent="    "))


def _fields(model: ModelDef, types: TypeRenderer) -> list[FieldView]:
    views: list[FieldView] = []
    for f in model.fields:
        annotation = types.expr(f.type)
        optional = not f.required
        if optional and not takes_none(f.type):
            annotation += " | None"
        # a required field with a spec default keeps it (a response leaving it out reads as
        # the default) and is sent even when left alone (`ClassView.sent_always`)
        kept = _kept_default(f) if not optional else f.has_default
        default_value = literal(f.default) if kept else ("None" if optional else None)
        default: str | None
        # a list or dict default goes through `Field(default=...)` (a mutable class attribute
        # is ruff's RUF012, which cannot see `_rt.Model` is pydantic's; pydantic copies it
        # per instance either way)
        mutable = kept and isinstance(f.default, list | dict)
        if f.py_name != f.wire_name or mutable:
            types.imports.third_party.add("from pydantic import Field")
            alias = literal(f.wire_name)
            parts = [f"default={default_value}"] if default_value is not None else []
            if f.py_name != f.wire_name:
                parts += [f"validation_alias={alias}", f"serialization_alias={alias}"]
            default = f"Field({', '.join(parts)})"
        else:
            default = default_value
        views.append(FieldView(f.py_name, annotation, default, docstring(f.doc, indent="    ")))
    return views


def _never_a_file(
    t: TypeExpr, definitions: Mapping[str, Definition], seen: frozenset[str] = frozenset()
) -> bool:
    """`t` holds no file input: no `FileInput`, `bytes` or `Any` anywhere in it, through type
    aliases (`allOf: [$ref: Bin]`, `Bin` a binary string); a model, an enum, text, numbers and
    containers of them are JSON or text parts."""
    match t:
        case Prim(name=name):
            return name not in ("file", "bytes", "Any")
        case ListOf(item=item):
            return _never_a_file(item, definitions, seen)
        case DictOf(value=value):
            return _never_a_file(value, definitions, seen)
        case Nullable(inner=inner):
            return _never_a_file(inner, definitions, seen)
        case UnionOf(items=items):
            return all(_never_a_file(m, definitions, seen) for m in items)
        case Ref(key=key):
            target = definitions.get(key)
            if not isinstance(target, AliasDef):
                return True  # a model: a JSON part
            return key not in seen and _never_a_file(target.target, definitions, seen | {key})
        case _:  # a literal
            return True


def _kept_default(f: FieldDef) -> bool:
    """Whether a required field keeps the spec's default: not a `null` its type refuses (`nul:
    str = None` failed mypy, and was sent as the null the spec forbids)."""
    return f.has_default and (f.default is not None or takes_none(f.type))


def takes_none(t: TypeExpr) -> bool:
    """`t` already admits None (`X | None`, `Any`, `None`): an optional field needs no
    `| None`."""
    return type(t) is Nullable or (type(t) is Prim and t.name in ("Any", "None"))


def _assignment_order(statements: Mapping[str, tuple[list[str], object]]) -> list[str]:
    """Assignments are evaluated at import: each key after the keys it names (`statements`:
    key -> (the keys it names, the statement))."""
    done: set[str] = set()
    out: list[str] = []
    for key in statements:
        stack: list[tuple[str, bool]] = [(key, False)]
        visiting: set[str] = set()
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            if expanded:
                done.add(node)
                out.append(node)
                continue
            if node in visiting:
                continue  # a cycle of aliases: the loader's Any fallback breaks it
            visiting.add(node)
            stack.append((node, True))
            for ref in statements[node][0]:
                if ref in statements and ref not in done:
                    stack.append((ref, False))
    return out


# --- resources ----------------------------------------------------------------------------


@dataclass
class ParamView:
    signature: str  # "name: Type | NotGiven = NOT_GIVEN"
    name: str
    key: str  # the name as a string literal


@dataclass
class Flavour:
    """One method's sync or async spelling: `def`/`async def`, return type, client call."""

    keyword: str
    returns: str
    call: str


@dataclass
class StreamSwitchView:
    """A method overloaded on its boolean `stream` argument (`ir.nodes.StreamingDef`): `True`
    sends `const` and returns the stream; the overloads' spellings of the argument."""

    param: str
    const: str
    sync_returns: str  # `_rt.Stream[Chunk]`
    async_returns: str
    no: str  # `stream: Literal[False] | None | NotGiven = NOT_GIVEN`
    yes: str  # `stream: Literal[True]`
    either: str  # `stream: bool | None`
    condition: str  # when the method sends `const`: `stream is True`


@dataclass
class MethodView:
    name: str
    params: list[ParamView]
    positional: list[ParamView]  # path parameters, in path order, before the `*`
    keywords: list[ParamView]  # everything else, keyword-only
    doc: str
    const: str
    deprecated: str  # the `@_rt.deprecated(...)` message as a literal; "" when not deprecated
    sync: Flavour
    async_: Flavour
    paginated: bool = False  # `with_raw_response` wraps it with the runtime's page helpers
    waits: str | None = None  # long-running: `<name>_and_wait` returns this type
    stream: StreamSwitchView | None = None  # `stream=True` returns a stream
    idempotency_key: str = "str | NotGiven"  # the option's type (`| None`: a nullable field's)

    def overload(self, p: ParamView, which: str) -> str:
        """`p`'s signature in the overload `which` (`no`, `yes`, `either`) of a switch."""
        if self.stream is None or p.name != self.stream.param:
            return p.signature
        return str(getattr(self.stream, which))


@dataclass
class OperationConstView:
    const: str
    returns: str
    args: list[str]  # "method=...", "path=...", ...


def walk(resource: ResourceDef) -> Iterator[ResourceDef]:
    stack = [resource]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(node.children.values())))


def _flavours(op: OperationDef, results: TypeRenderer) -> tuple[Flavour, Flavour]:
    """How the sync and async methods return: parsed body, a page, or a stream of records."""
    if op.pagination is not None:
        item = results.expr(op.pagination.item)
        call = "self._client.paginate("
        # The async paginator is both awaitable (first page) and async-iterable (all items).
        return Flavour("def", f"_rt.SyncPage[{item}]", call), Flavour(
            "def", f"_rt.AsyncPaginator[{item}]", call
        )
    returns = results.expr(op.returns)
    if any(r.kind in ("sse", "jsonl") for r in op.responses if r.status.startswith("2")):
        return Flavour("def", f"_rt.Stream[{returns}]", "self._client.stream("), Flavour(
            "async def", f"_rt.AsyncStream[{returns}]", "await self._client.stream("
        )
    return Flavour("def", returns, "self._client.request("), Flavour(
        "async def", returns, "await self._client.request("
    )


def stream_switch(
    op: OperationDef, const: str, results: TypeRenderer, arguments: TypeRenderer
) -> StreamSwitchView | None:
    """How `op`'s method spells its `stream=True` overloads (None without a switch)."""
    if op.streaming is None:
        return None
    flag = next(p for p in op.params if p.py_name == op.streaming.param)
    record = results.expr(op.streaming.returns)
    name = flag.py_name
    nullable = " | None" if isinstance(flag.type, Nullable) else ""
    optional = "" if flag.required else " | NotGiven = NOT_GIVEN"
    arguments.imports.typing.add("Literal")
    by_default = _streams_by_default(op)
    return StreamSwitchView(
        name,
        const,
        f"_rt.Stream[{record}]",
        f"_rt.AsyncStream[{record}]",
        f"{name}: Literal[False]" if by_default else f"{name}: Literal[False]{nullable}{optional}",
        f"{name}: Literal[True]{nullable}{optional}" if by_default else f"{name}: Literal[True]",
        f"{name}: bool{nullable}",
        f"{name} is not False" if by_default else f"{name} is True",
    )


def _streams_by_default(op: OperationDef) -> bool:
    """Left out (or null), a switch is what the server assumes, its `default`: streaming?"""
    if op.streaming is None or not op.streaming.default:
        return False
    return not next(p for p in op.params if p.py_name == op.streaming.param).required


def _positional(op: OperationDef) -> list[ParamDef]:
    """Required path parameters, in the order the path names them (`retrieve("cus_123")`)."""
    found: list[tuple[int, ParamDef]] = []
    for p in op.params:
        if p.location == "path" and p.required:
            at = op.path.find("{" + p.wire_name + "}")
            found.append((at if at >= 0 else len(op.path), p))
    return [p for _, p in sorted(found, key=lambda item: item[0])]


def _param_view(p: ParamDef, types: TypeRenderer) -> ParamView:
    annotation = types.expr(p.type)
    if p.has_const:  # always sent; the default spares callers the one value (decisions.md 27)
        return ParamView(
            f"{p.py_name}: {annotation} = {literal(p.const)}", p.py_name, literal(p.py_name)
        )
    if p.required:
        return ParamView(f"{p.py_name}: {annotation}", p.py_name, literal(p.py_name))
    return ParamView(
        f"{p.py_name}: {annotation} | NotGiven = NOT_GIVEN", p.py_name, literal(p.py_name)
    )


def _op_args(op: OperationDef, types: TypeRenderer) -> list[str]:
    args = [
        f"method={literal(op.method)}",
        f"path={literal(op.wire_path or op.path)}",
        f"operation_id={literal(op.operation_id or op.name)}",
    ]
    params: list[str] = []
    for p in op.params:
        extra = ""
        if p.style is not None:
            extra += f", style={literal(p.style)}"
        if p.explode is not None:
            extra += f", explode={literal(p.explode)}"
        if p.allow_reserved:
            extra += ", allow_reserved=True"
        if p.multi_segment:
            extra += ", multi_segment=True"
        if p.content_type is not None:
            extra += f", content_type={literal(p.content_type)}"
        if p.client:
            extra += ", client=True"
        params.append(
            f"_rt.Param({literal(p.py_name)}, {literal(p.wire_name)}, {literal(p.location)}{extra})"
        )
    args.append(f"params=({', '.join(params)}{',' if len(params) == 1 else ''})")
    if op.body is not None:
        body = f"body=_rt.Body({literal(op.body.media_type)}"
        if op.body.required:
            body += ", required=True"
        if op.body.encoding:
            items = []
            for name, (style, explode, ctype) in sorted(op.body.encoding.items()):
                enc_args = []
                if style is not None:
                    enc_args.append(f"style={literal(style)}")
                if explode is not None:
                    enc_args.append(f"explode={literal(explode)}")
                if ctype is not None:
                    enc_args.append(f"content_type={literal(ctype)}")
                items.append(f"{literal(name)}: _rt.Encoding({', '.join(enc_args)})")
            body += ", encoding={" + ", ".join(items) + "}"
        if "multipart/" in op.body.media_type.lower():
            # the fields that take no file (their tuples and bytes are data); the others, and
            # `extra_body` keys, are judged by their value
            data = sorted(
                p.wire_name
                for p in op.params
                if p.location == "field" and _never_a_file(p.type, types.definitions)
            )
            if data:
                body += f", data=frozenset({{{', '.join(map(literal, data))}}})"
            if op.body.texts:
                texts = ", ".join(map(literal, sorted(op.body.texts)))
                body += f", texts=frozenset({{{texts}}})"
        if op.body.needs:
            needs = ", ".join(map(literal, op.body.needs))
            body += f", needs=({needs}{',' if len(op.body.needs) == 1 else ''})"
        args.append(body + ")")
    responses = [
        f"{literal(r.status)}: _rt.Response({types.expr(r.type)}, {literal(r.kind)})"
        for r in op.responses
    ]
    args.append("responses={" + ", ".join(responses) + "}")
    if op.security is not None:
        alts = ", ".join(
            "(" + ", ".join(literal(n) for n in alt) + ("," if len(alt) == 1 else "") + ")"
            for alt in op.security
        )
        args.append(f"security=({alts}{',' if len(op.security) == 1 else ''})")
    if op.pagination is not None:
        args.append(f"pagination={_pagination(op.pagination)}")
    if op.server is not None:
        args.append(f"server={literal(op.server)}")
    if op.idempotency_header is not None:
        args.append(f"idempotency_header={literal(op.idempotency_header)}")
    if op.idempotency_field is not None:
        args.append(f"idempotency_field={literal(op.idempotency_field)}")
    if op.accept is not None:
        args.append(f"accept={literal(op.accept)}")
    if op.long_running is not None:
        lro = op.long_running
        parts = [
            f"{name}={literal(getattr(lro, name))}"
            for name in ("status_field", "poll", "result_status", "final")
            if getattr(lro, name) is not None
        ]
        parts += [
            f"{name}=(" + "".join(f"{literal(v)}, " for v in getattr(lro, name)) + ")"
            for name in ("done", "failed")
            if getattr(lro, name)
        ]
        args.append(f"long_running=_rt.LongRunning({', '.join(parts)})")
    return args


# style -> runtime descriptor, its keyword arguments, and those that must not be None
_PAGINATION: dict[str, tuple[str, tuple[str, ...], frozenset[str]]] = {
    "cursor": (
        "CursorPagination",
        ("items", "has_more", "cursor_param", "cursor_field", "reverse_param"),
        frozenset({"cursor_param", "cursor_field"}),
    ),
    "body_cursor": (
        "BodyCursorPagination",
        ("items", "cursor", "cursor_param", "has_more", "reset"),
        frozenset({"cursor", "cursor_param"}),
    ),
    "next_url": ("NextUrlPagination", ("items", "next"), frozenset({"next"})),
    "link": ("LinkHeaderPagination", ("items", "page_param", "size_param"), frozenset()),
    "offset": (
        "OffsetPagination",
        ("items", "offset_param", "limit_param", "has_more", "total"),
        frozenset({"offset_param"}),
    ),
    "page": (
        "PageNumberPagination",
        ("items", "page_param", "size_param", "has_more", "first_page"),
        frozenset({"page_param", "first_page"}),
    ),
}


def _pagination(p: PaginationDef) -> str:
    """`_rt.CursorPagination(items='data', ...)`: every name spelled out, wire names."""
    cls, names, required = _PAGINATION[p.style]
    args = []
    for name in names:
        value = getattr(p, name)
        if value is None and name in required:
            continue  # the runtime's default
        if isinstance(value, tuple):  # (`reset`: names; none is the runtime's default)
            if value:
                args.append(f"{name}=(" + "".join(f"{literal(v)}, " for v in value) + ")")
            continue
        args.append(f"{name}={literal(value)}")
    return f"_rt.{cls}({', '.join(args)})"


def _method_doc(op: OperationDef) -> str:
    parts = [p for p in (op.summary, op.description) if p]
    if op.summary and op.description.startswith(op.summary):
        parts = [op.description]
    text = "\n\n".join(parts) or f"{op.method.upper()} {op.path}"
    if op.pagination is not None:
        text += (
            "\n\nReturns the first page; iterating it yields every item of every page"
            " (`.items` holds this page's, `.iter_pages()` walks pages)."
        )
    streamed = op.streaming.responses if op.streaming is not None else op.responses
    kinds = {r.kind for r in streamed if r.status.startswith("2")}
    record = "server-sent event" if "sse" in kinds else "JSON record" if "jsonl" in kinds else ""
    if record:
        when = "Returns"
        if op.streaming is not None:
            flag = op.streaming.param
            when = (
                f"Unless `{flag}=False`, returns"
                if op.streaming.default
                else f"With `{flag}=True`, returns"
            )
        text += (
            f"\n\n{when} a stream: iterating it yields each {record} as it arrives (the"
            " connection closes at its end; `with` closes it early)."
        )
    if op.body is not None and op.body.needs:
        # what the runtime checks (`Body(needs=...)`), said where a caller reads: each argument
        # is optional to type checkers (helper 188: a call giving one field alone raised)
        needed = [
            f"`{p.py_name}`"
            for p in op.params
            if p.location == "field" and p.wire_name in op.body.needs
        ]
        if needed:
            text += (
                "\n\nThe body is optional, but once any of its fields is given, "
                + ", ".join(needed)
                + (" is" if len(needed) == 1 else " are")
                + " needed too (else `TypeError` before sending)."
            )
    # in the signature's order: path parameters as the path names them, then the keywords
    # (the spec's order put `org` after `package_name` for `(org, package_type, package_name)`,
    # inviting wrong positional calls: helper 229)
    positional = _positional(op)
    ordered = [*positional, *(p for p in op.params if p not in positional)]
    documented = [p for p in ordered if p.doc]
    if documented:
        lines = ["", "", "Args:"]
        for p in documented:
            # the whole description, hanging under the name (its first line only cut Box's
            # "...requesting to authenticate" mid-sentence and lost Zoom's lists)
            head, *rest = p.doc.strip().split("\n")
            lines.append(f"    {p.py_name}: {head.rstrip()}")
            for line in rest:
                if line.strip():
                    lines.append(f"        {line.rstrip()}")
                elif lines[-1]:  # one blank line between paragraphs
                    lines.append("")
        text += "\n".join(lines)
    if op.deprecated:
        text = "Deprecated.\n\n" + text
    return docstring(text, indent="        ")
