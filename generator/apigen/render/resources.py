"""Resource modules: one per resource (sub-resources too), split further when one resource has
more methods than a reviewer can read in one file.

Two rules keep import time and file size down (issues 10 and 11):
- A resource module imports no model at run time: annotations name models under
  `TYPE_CHECKING`, and each operation's responses are built on its first call by a function that
  imports only the models that call parses (`_rt.LazyResponses`). Sub-resources are imported
  when first used.
- A large resource (ir/parts.py: more than 15 methods, or more lines than fit a module) gets its
  methods from mixin classes in private modules (`resources/_repos_branches.py`), grouped along
  the path (the segment after the resource's own name: GitHub's `repos` splits into `branches`,
  `hooks`, `contents`, ...), each with the raw/streaming wrappers of its methods. The call API
  is unchanged: `client.repos.get_branch(...)`, `client.repos.with_raw_response.get_branch`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from .. import naming
from ..ir.nodes import Api, OperationDef, ParamDef, ResourceDef, ResponseDef
from ..python_names import STDLIB_MODULES
from .code import Imports, TypeRenderer, docstring, literal
from .isort import export_key, sort_block
from .views import (
    MethodView,
    OperationConstView,
    _flavours,
    _method_doc,
    _never_a_file,
    _op_args,
    _param_view,
    _positional,
    stream_switch,
    walk,
)


@dataclass
class ChildView:
    attr: str
    module: str  # relative, from the resources package: ".customers_sources"
    sync_cls: str
    async_cls: str


@dataclass
class PartView:
    module: str  # relative: "._repos_branches"
    sync_cls: str
    async_cls: str
    methods: list[str] = field(default_factory=list)  # imported with the part, on first use


@dataclass
class FactoryView:
    """`def <name>() -> dict[str, _rt.Response]:` importing what the responses parse into."""

    name: str
    imports: list[str]
    responses: str

    def same_as(self, other: FactoryView) -> bool:
        return (self.imports, self.responses) == (other.imports, other.responses)


# the builtins the resource template's own annotations name (the call options, `__getattr__`)
_OPTION_BUILTINS: tuple[str, ...] = ("int", "float", "str")


@dataclass
class ResourceClassView:
    name: str
    async_name: str
    doc: str
    methods: list[MethodView]  # defined in this class
    wrapped: list[MethodView]  # the raw/streaming wrappers' (a part's are in its module)
    children: list[ChildView] = field(default_factory=list)
    parts: list[PartView] = field(default_factory=list)
    mixin: bool = False  # a part: methods and their wrappers only
    # `int`, `float`, `str` as the class's own annotations spell them: `_builtins.str` where a
    # method is named `str` (mypy read the method there: "not valid as a type")
    builtins: dict[str, str] = field(default_factory=lambda: {n: n for n in _OPTION_BUILTINS})

    @property
    def exports(self) -> list[str]:
        """A part module's `__all__`."""
        return sorted(
            [self.name, self.async_name, *_wrapper_names((self.name, self.async_name))],
            key=export_key,  # ruff's RUF022 order: a tag `API` is `API` before `AsyncAPI`
        )


@dataclass
class ResourceModuleView:
    imports: list[str]
    type_checking: list[str]  # imports for annotations only (this package's)
    factories: list[FactoryView]
    operations: list[OperationConstView]
    cls: ResourceClassView
    # third-party names annotations use (pydantic's `Tag`): importing pydantic.types costs a
    # resolve ~15 ms; the responses functions that build them import them themselves
    type_checking_third_party: list[str] = field(default_factory=list[str])


def resource_modules(api: Api) -> Iterator[tuple[str, ResourceModuleView]]:
    """(module name (`resources.customers`), view) for every resource and part, made one
    resource at a time: the build compiles a resource's modules while the next is rendered."""
    for root in api.resources.values():
        for node in walk(root):
            yield from _node_modules(api, node).items()


def _node_modules(api: Api, node: ResourceDef) -> dict[str, ResourceModuleView]:
    out: dict[str, ResourceModuleView] = {}
    parts: list[PartView] = []
    for part in node.parts:  # ir/parts.py: a large resource's methods in part modules
        module = part.module
        # `_repos_branches_2` -> `Branches2`: unique within the resource
        tail = module.removeprefix("resources._" + node.module.removeprefix("resources.") + "_")
        suffix = naming.pascal(tail) + "Methods"
        sync_cls = f"_{node.class_name.removesuffix('Resource')}{suffix}"
        async_cls = f"_{node.async_class_name.removesuffix('Resource')}{suffix}"
        view = _module(api, module, node, list(part.operations), sync_cls, async_cls, mixin=True)
        out[module] = view
        # every attribute the part defines: a long-running method's `_and_wait` form too
        methods = [
            name
            for m in view.cls.methods
            for name in (m.name, *((f"{m.name}_and_wait",) if m.waits else ()))
        ]
        parts.append(
            PartView("." + module.removeprefix("resources."), sync_cls, async_cls, methods)
        )
    own = [] if parts else list(node.operations)
    main = _module(api, node.module, node, own, node.class_name, node.async_class_name)
    main.cls.parts = parts
    main.cls.children = [
        ChildView(attr, "." + c.module.removeprefix("resources."), c.class_name, c.async_class_name)
        for attr, c in node.children.items()
    ]
    tc = Imports()
    for child in main.cls.children:
        names = (child.sync_cls, child.async_cls)
        tc.local[f"resources{child.module}"].update((*names, *_wrapper_names(names)))
    for p in parts:  # the parts' classes are the class's bases for type checkers
        names = (p.sync_cls, p.async_cls)
        tc.local[f"resources{p.module}"].update((*names, *_wrapper_names(names)))
    main.type_checking = sort_block([*main.type_checking, *_local_lines(tc, node.module)])
    if parts:  # the class's `__getattr__` (hidden from type checkers) imports parts lazily
        main.imports = _with_typing(main.imports, "Any", "TYPE_CHECKING")
    out[node.module] = main
    return out


def split_types_modules(api: Api, header: str) -> Iterator[tuple[str, str]]:
    """`types.<resource>` of a resource whose inline types are split by part (ir/parts.py):
    it re-exports them, so `from <pkg>.types.<resource> import X` works as for any resource,
    and importing it imports no part (a name's part is imported on first use)."""
    written = {d.module for d in api.definitions.values()}  # a part may have no inline type
    for root in api.resources.values():
        for node in walk(root):
            own = "types." + node.module.removeprefix("resources.")
            modules = sorted({p.types for p in node.parts if p.types != own} & written)
            if modules:
                yield own, _split_types_text(node, header, [m.split(".", 1)[1] for m in modules])


def _split_types_text(node: ResourceDef, header: str, modules: list[str]) -> str:
    stars = "".join(f"    from .{m} import *\n" for m in modules)
    parts = "".join(f"    {m!r},\n" for m in modules).replace("'", '"')
    doc = docstring(
        f"Inline types of the methods of `{'.'.join(node.path)}`.\n\n"
        "They live in the modules of its parts (one module would be too large to read): "
        "importing this module imports none of them, a name imports its part."
    )
    return f'''{header}
{doc}

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # every part's `__all__`, for type checkers and editors
{stars}
_PARTS = frozenset(
    (
{parts}    )
)


def _index() -> dict[str, str]:
    """Name -> module of the types package (its `_index.json`, read once)."""
    index: dict[str, str] = _importlib.import_module(__package__ or "")._index()
    return index


if not TYPE_CHECKING:  # (seen by type checkers, any name imported from here was `Any`)

    def __getattr__(name: str) -> Any:
        module = _index().get(name)
        if module not in _PARTS:
            raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
        value = getattr(_importlib.import_module(f"{{__package__}}.{{module}}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(name for name, module in _index().items() if module in _PARTS)
'''


def _wrapper_names(classes: tuple[str, ...]) -> list[str]:
    return [f"{n}With{kind}" for n in classes for kind in ("RawResponse", "StreamingResponse")]


def _with_typing(blocks: list[str], *names: str) -> list[str]:
    """`blocks` (rendered import blocks, stdlib first when there is one) with `names` added to
    the `from typing import` line, which is made when there is none."""
    out = [block.split("\n") for block in blocks]
    stdlib = next((b for b in out if b and _is_stdlib(b[0])), None)
    if stdlib is None:
        stdlib = []
        out.insert(0, stdlib)
    stdlib.append("from typing import " + ", ".join(names))
    return ["\n".join(sort_block(b)) if b is stdlib else "\n".join(b) for b in out]


def _is_stdlib(line: str) -> bool:
    """A line of the standard-library block (isort's section: the module is the stdlib's)."""
    return line.split()[1].split(".")[0] in STDLIB_MODULES


def _local_lines(imports: Imports, module: str) -> list[str]:
    dots = "." * (module.count(".") + 1)
    return sort_block(
        f"from {dots}{m} import {', '.join(names)}" for m, names in imports.local.items()
    )


def _module(
    api: Api,
    module: str,
    node: ResourceDef,
    ops: list[OperationDef],
    sync_cls: str,
    async_cls: str,
    *,
    mixin: bool = False,
) -> ResourceModuleView:
    imports = Imports(runtime=True)
    types = TypeRenderer(api.definitions, module, imports, plain_unions=True)
    # Method and attribute names shadow builtins inside this class's signatures only.
    shadowed = frozenset([*(op.name for op in node.operations), *node.children])
    results = types.variant(shadowed=shadowed, open_enums=True, plain_unions=True)
    sequence_arguments = types.variant(
        shadowed=shadowed,
        open_enums=False,
        plain_unions=True,
        parameters=True,
        sequences=True,
        params=True,
    )
    # A multipart body's arrays are read-only views too (`list[FileInput]` refused a caller's
    # `list[Path]`: a list is invariant): a `(filename, content)` tuple is no `Sequence` of
    # files (a `str` is no file), and the runtime reads a tuple that does not start with a
    # name as files (`_body._is_file`). In a field that may hold a file, arrays of what may be
    # text stay lists (`text_lists`: there `("a", "b")` is a file named `a`); a field that
    # holds none is data (`Body.data`), its tuples values. Models or their TypedDict twins, as
    # elsewhere (a dict part is encoded as the model's: helper 180).
    multipart_arguments = types.variant(
        shadowed=shadowed,
        open_enums=False,
        plain_unions=True,
        parameters=True,
        sequences=True,
        params=True,
        text_lists=True,
    )
    consts: list[OperationConstView] = []
    factories: list[FactoryView] = []
    methods: list[MethodView] = []
    taken: set[str] = set()
    run_time_third_party: set[str] = set()  # what responses built at import call
    for op in ops:
        multipart = op.body is not None and op.body.media_type.startswith("multipart/")
        arguments = multipart_arguments if multipart else sequence_arguments

        def typed(p: ParamDef, multipart: bool = multipart) -> TypeRenderer:
            # only a multipart body's own fields that may hold a file (not its path and query
            # arrays, nor its data fields)
            body = p.location in ("field", "body")
            files = multipart and body and not _never_a_file(p.type, api.definitions)
            return multipart_arguments if files else sequence_arguments

        const = _unique("_" + "_".join([*node.path, op.name]).upper(), taken)
        args, op_factories, third = _constant(api, module, const, op, imports)
        run_time_third_party |= third
        factories.extend(op_factories)
        consts.append(OperationConstView(const, types.expr(op.returns), args))
        switch = None
        if op.streaming is not None:  # `stream=True` sends a twin answered by the stream
            twin = _stream_twin(op)
            twin_const = _unique(const + "_STREAM", taken)
            twin_args, twin_factories, third = _constant(api, module, twin_const, twin, imports)
            run_time_third_party |= third
            if twin_factories:  # the errors: the same function as `op`'s
                shared = [
                    next((f for f in op_factories if f.same_as(t)), t) for t in twin_factories
                ]
                factories.extend(f for f in shared if f in twin_factories)
                twin_args = _lazy_arg(twin_args, [f.name for f in shared])
            consts.append(OperationConstView(twin_const, types.expr(twin.returns), twin_args))
            switch = stream_switch(op, twin_const, results, arguments)
            imports.typing.add("overload")
        positional_defs = _positional(op)
        methods.append(
            MethodView(
                op.name,
                [_param_view(p, typed(p)) for p in op.params],
                [_param_view(p, typed(p)) for p in positional_defs],
                [_param_view(p, typed(p)) for p in op.params if p not in positional_defs],
                _method_doc(op),
                const,
                _deprecation(op),
                *_flavours(op, results),
                op.pagination is not None,
                results.expr(op.long_running.result) if op.long_running else None,
                switch,
                f"{results.builtin('str')} | NotGiven"
                + (" | None" if op.idempotency_nullable else ""),
            )
        )
    if any(op.long_running for op in ops):
        imports.stdlib.add("import threading")  # `<name>_and_wait(cancel=threading.Event())`
    if not mixin:
        imports.stdlib.add("from functools import cached_property")  # with_raw_response & co
    if ops:  # every method's `timeout=` etc. default to NOT_GIVEN
        imports.runtime_names.update(("NOT_GIVEN", "NotGiven"))
    type_checking = _local_lines(imports, module)
    imports.local.clear()
    # `from __future__ import annotations`: a name only annotations use is imported for type
    # checkers only
    annotation_third_party = sort_block(imports.third_party - run_time_third_party)
    imports.third_party &= run_time_third_party
    if type_checking or annotation_third_party or (node.children and not mixin):
        imports.typing.add("TYPE_CHECKING")
    what = f"`{'.'.join(node.path)}`"
    doc = docstring(
        f"Operations under {what} (part of it)." if mixin else f"Operations under {what}.",
        indent="    ",
    )
    spelt = {name: results.builtin(name) for name in _OPTION_BUILTINS}
    cls = ResourceClassView(sync_cls, async_cls, doc, methods, methods, mixin=mixin, builtins=spelt)
    return ResourceModuleView(
        imports.lines(module.count(".") + 1),
        type_checking,
        factories,
        consts,
        cls,
        annotation_third_party,
    )


def _unique(const: str, taken: set[str]) -> str:
    """`const`, suffixed until no other constant of the module has it (`("a", "b_c").d` and
    `("a_b", "c").d` spell alike)."""
    while const in taken:
        const += "_OP"
    taken.add(const)
    return const


def _constant(
    api: Api, module: str, const: str, op: OperationDef, imports: Imports
) -> tuple[list[str], list[FactoryView], set[str]]:
    """`op`'s constant: its arguments, the functions building its responses lazily, and the
    third-party names responses built at import need."""
    # the constant's arguments name models only in its responses, which import them lazily:
    # render with a scratch import list so that no model lands in the module's
    scratch = Imports()
    args = _op_args(op, TypeRenderer(api.definitions, module, scratch))
    # third-party names (pydantic's `Tag`) are the responses' own: imported by their factory,
    # or at import by `_lazy_responses` when built there; no annotation names them
    scratch.third_party.clear()
    imports.take_names(scratch)
    args, factories = _lazy_responses(api, module, const, args, op, imports)
    # responses built at import: their third-party names are needed at run time
    third = set() if factories else _inline_third_party(api, module, op)
    return args, factories, third


def _stream_twin(op: OperationDef) -> OperationDef:
    """`op` as `stream=True` sends it: the stream's success responses, the same errors."""
    assert op.streaming is not None
    errors = [r for r in op.responses if not r.status.startswith("2")]
    return replace(
        op,
        responses=[*op.streaming.responses, *errors],
        returns=op.streaming.returns,
        streaming=None,
        pagination=None,
        long_running=None,
    )


def _inline_third_party(api: Api, module: str, op: OperationDef) -> set[str]:
    """The third-party imports `op`'s responses need when they are built at import."""
    own = Imports()
    types = TypeRenderer(api.definitions, module, own)
    for r in op.responses:
        types.expr(r.type)
    return own.third_party


def _lazy_responses(
    api: Api,
    module: str,
    const: str,
    args: list[str],
    op: OperationDef,
    imports: Imports,
) -> tuple[list[str], list[FactoryView]]:
    """`responses=...` of `args` rebuilt in a function that imports its models itself; the
    module-level imports keep only what is cheap (typing, the runtime); third-party names
    (pydantic's `Tag`, 15 ms to import) are imported in the function too.

    When the other responses (errors, `default`) parse into models the 2xx ones do not, they
    get a function of their own (`_rt.LazyResponses(ok, other)`): a successful call does not
    import the error models (issue #10: a call loads only the model graph it parses)."""
    whole = _responses_of(api, module, op.responses)
    if not whole[1].local:  # built at import: what the responses need besides models, there
        imports.take_names(whole[1])
        return args, []
    name = const.lower() + "_responses"
    parts = [(name, whole)]
    success = [r for r in op.responses if r.status[:1] == "2"]
    if 0 < len(success) < len(op.responses):
        ok = _responses_of(api, module, success)
        other = _responses_of(api, module, [r for r in op.responses if r.status[:1] != "2"])
        if not _names(other[1]) <= _names(ok[1]):  # the errors import models of their own
            parts = [(name, ok), (const.lower() + "_errors", other)]
    factories = [_factory(fname, text, own, module, imports) for fname, (text, own) in parts]
    return _lazy_arg(args, [f.name for f in factories]), factories


def _lazy_arg(args: list[str], factories: list[str]) -> list[str]:
    """`args` with `responses=` built by the functions named `factories`."""
    index = next(i for i, a in enumerate(args) if a.startswith("responses="))
    call = f"responses=_rt.LazyResponses({', '.join(factories)})"
    return [*args[:index], call, *args[index + 1 :]]


def _responses_of(api: Api, module: str, responses: list[ResponseDef]) -> tuple[str, Imports]:
    """The `{status: _rt.Response(...)}` literal of `responses`, and the imports it needs."""
    own = Imports()
    types = TypeRenderer(api.definitions, module, own)
    text = (
        "{"
        + ", ".join(
            f"{literal(r.status)}: _rt.Response({types.expr(r.type)}, {literal(r.kind)})"
            for r in responses
        )
        + "}"
    )
    return text, own


def _names(imports: Imports) -> set[tuple[str, str]]:
    return {(m, n) for m, names in imports.local.items() for n in names}


def _factory(name: str, text: str, own: Imports, module: str, imports: Imports) -> FactoryView:
    third_party = sort_block(own.third_party)  # pydantic's `Tag`: imported here, when called
    own.third_party.clear()
    imports.take_names(own)
    lines = _local_lines(own, module)
    return FactoryView(name, [*third_party, *([""] if third_party else []), *lines], text)


# --- the webhooks module ---------------------------------------------------------------------


@dataclass
class WebhookView:
    key: str  # literal: the key in `WEBHOOKS`
    name: str  # literal: the spec's name
    method: str  # literal
    function: str
    const: str
    factory: str
    returns: str
    doc: str


@dataclass
class WebhooksModuleView:
    """`<package>/webhooks.py`: one parser per webhook, its models imported on first use."""

    doc: str
    imports: list[str]
    type_checking: list[str]
    type_checking_third_party: list[str]
    factories: list[FactoryView]
    hooks: list[WebhookView]


def webhooks_module(api: Api) -> WebhooksModuleView | None:
    """The view of `<package>/webhooks.py`, or None for an API that declares no webhook body."""
    if not api.webhooks:
        return None
    module = "webhooks"
    imports = Imports(runtime=True)
    imports.typing.add("Any")
    types = TypeRenderer(api.definitions, module, imports).variant(
        shadowed=frozenset(), open_enums=True
    )
    factories: list[FactoryView] = []
    hooks: list[WebhookView] = []
    for hook in api.webhooks:
        const = "_" + hook.py_name.upper()
        text, own = _responses_of(api, module, [ResponseDef("payload", "json", hook.payload)])
        factory = _factory(const.lower() + "_payload", text, own, module, imports)
        factories.append(factory)
        what = (
            f"`{hook.name}` callback of `{hook.sender}` ({hook.method.upper()})"
            if hook.sender
            else f"`{hook.name}` webhook ({hook.method.upper()})"
        )
        summary = f"{hook.summary}\n\n" if hook.summary else ""
        doc = (
            f"The body of the {what}, parsed into its declared type.\n\n{summary}"
            "Verify the request's signature first (the runtime's `verify_hmac`, "
            "`verify_standard_webhook`...): a parsed body says nothing about who sent it. "
            "Raises `pydantic.ValidationError` (a `ValueError`) when the body is not JSON or "
            "does not match."
        )
        hooks.append(
            WebhookView(
                literal(hook.key),
                literal(hook.name),
                literal(hook.method),
                hook.py_name,
                const,
                factory.name,
                types.expr(hook.payload),
                docstring(doc, indent="    "),
            )
        )
    type_checking = _local_lines(imports, module)
    imports.local.clear()
    annotation_third_party = sort_block(imports.third_party)
    imports.third_party.clear()
    if type_checking or annotation_third_party:
        imports.typing.add("TYPE_CHECKING")
    return WebhooksModuleView(
        docstring(
            f"Parsers for the webhooks {api.title} sends (the spec's `webhooks`, and its "
            "operations' `callbacks`).\n\n"
            "Each function takes a request body your server received and returns it typed; "
            "`WEBHOOKS[name].parse(body)` does the same by the spec's name."
        ),
        imports.lines(1),
        type_checking,
        annotation_third_party,
        factories,
        hooks,
    )


def _deprecation(op: OperationDef) -> str:
    """The message of a deprecated operation's `@_rt.deprecated` (PEP 702: type checkers flag
    each use, and a call warns with `DeprecationWarning`, as openai-python's methods do)."""
    if not op.deprecated:
        return ""
    call = ".".join([*op.resource, op.name])
    # two literals, which ruff joins when they fit on a line and leaves on two when not
    return f"{literal(f'{call}() is deprecated by the API')} {literal(f' ({op.method.upper()} {op.path})')}"
