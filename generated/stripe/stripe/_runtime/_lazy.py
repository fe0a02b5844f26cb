"""Model references imported and built on first use, so a call loads only the models it parses.

A generated model module names the models its fields refer to under ``TYPE_CHECKING`` (type
checkers see the real classes) and binds each name at run time to a ``Later``: a placeholder
whose pydantic schema validates through the target's own validator, imported and built the
first time data for that field is present. ``str | BankAccount | Card`` evaluates to a
``LaterUnion``; a union of several models is validated as one union (the member the data's
keys leave, else smart mode: ``_unions.py``), built on first use too. Nested errors keep their locations (pydantic-core
re-raises a nested ``ValidationError`` under the field's location).
"""

from __future__ import annotations

import gc
import importlib
import json
import types
import typing
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Any, TypeGuard, Union

from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler, TypeAdapter
from pydantic_core import CoreSchema, SchemaValidator, core_schema

__all__ = ["STRICT", "Later", "LaterUnion", "gc_paused", "later", "resolve"]

# The validation context that asks a lazily built validator to validate strictly and, in JSON
# mode, as JSON (ValidationInfo does not carry ``strict``): used by the lenient ``construct``.
STRICT: dict[str, bool] = {"apigen.strict": True}


@contextmanager
def gc_paused() -> Generator[None, None, None]:
    """The cyclic garbage collector off while a model graph is imported and built.

    Creating classes and schemas allocates hundreds of thousands of container objects, which
    set off a collection every 700 allocations, older generations included (each of those walks
    every object the imports left: ~20 % of a first call that builds Stripe's expanded customer).
    Nothing a build makes is garbage, so the pause frees nothing later than it would have been;
    the collector runs as usual once the build is done. Nested pauses, or a collector the caller
    turned off, are left as they are.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def later(package: str | None, module: str, name: str) -> Later:
    """The placeholder for model ``name`` of ``module`` (relative to ``package``)."""
    return Later(package, module, name)


class _Lazy:
    """A validator built on its first use from ``load`` (a type that may import modules)."""

    __slots__ = ("_load", "_plain", "_type", "_validator")

    def __init__(self, load: Callable[[], Any], plain: tuple[type, ...] = ()) -> None:
        self._load = load
        self._validator: SchemaValidator | None = None
        self._type: Any = None
        # `str` / `None` members: such a value is itself (no model takes it), nothing imported
        # (Stripe's expandable fields hold an id string unless expanded)
        self._plain = plain

    def target(self) -> Any:
        if self._type is None:
            self._type = self._load()
        return self._type

    def validator(self) -> SchemaValidator:
        found = self._validator
        if found is None:
            with gc_paused():
                found = self._build()
            self._validator = found
        return found

    def _build(self) -> SchemaValidator:
        target = self.target()
        if _is_model(target):
            if not target.__pydantic_complete__:
                target.model_rebuild(_parent_namespace_depth=0)
            return cast_validator(target.__pydantic_validator__)
        # a union: its models built first, so the union reuses their schemas
        for member in typing.get_args(target):
            if _is_model(member) and not member.__pydantic_complete__:
                member.model_rebuild(_parent_namespace_depth=0)
        from ._unions import with_picker  # only unions of models need it

        adapter: TypeAdapter[Any] = TypeAdapter(with_picker(target))
        return cast_validator(adapter.validator)

    def validate(self, value: Any, info: core_schema.ValidationInfo) -> Any:
        if type(value) in self._plain:
            return value
        validator = self._validator or self.validator()
        context = info.context
        if context is STRICT:
            if info.mode == "json":
                return validator.validate_json(
                    json.dumps(value), strict=True, context=context, by_name=False
                )
            return validator.validate_python(value, strict=True, context=context, by_name=False)
        # JSON is wire data: its keys are wire names only (`first_name` beside a field whose wire
        # name is `firstName` is another property); Python data may use Python names too
        by_name = False if info.mode == "json" else None
        return validator.validate_python(value, context=context, by_name=by_name)

    def serialize(self, value: Any, handler: core_schema.SerializerFunctionWrapHandler) -> Any:
        if isinstance(value, BaseModel):
            cls = type(value)
            if not cls.__pydantic_complete__:  # e.g. a model_construct()ed value
                cls.model_rebuild(_parent_namespace_depth=0)
        return handler(value)

    def json_schema(self, _schema: CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        from pydantic.json_schema import GenerateJsonSchema  # only for JSON schemas

        target = self.target()
        generator = getattr(handler, "generate_json_schema", None)
        if not isinstance(generator, GenerateJsonSchema):
            return handler(TypeAdapter(target).core_schema)
        if not _is_model(target):
            # a union: each member named as a model is (a union validated as one lazy union
            # generated its members inline, each inside the last: `RecursionError` on
            # Stripe's `Account`, a CI run)
            members = typing.get_args(target) or (target,)
            return {"anyOf": [_named(generator, TypeAdapter(m).core_schema) for m in members]}
        return _named(generator, TypeAdapter(target).core_schema)

    def schema(self) -> CoreSchema:
        return core_schema.with_info_plain_validator_function(
            self.validate,
            serialization=core_schema.wrap_serializer_function_ser_schema(
                self.serialize, schema=core_schema.any_schema()
            ),
            metadata={"pydantic_js_annotation_functions": [self.json_schema]},
        )


# JSON-schema generators (by id) -> the (core ref, mode) of lazily named models met in the outermost
# lazy call now running, and the schemas of those still to generate; an entry lives only while
# that call runs.
_IN_PROGRESS: dict[int, tuple[set[tuple[str, str]], list[CoreSchema]]] = {}


def _ref_of(schema: CoreSchema) -> str | None:
    """The core ref a model's (or a definitions-wrapped model's) schema is known by."""
    found = schema.get("ref")
    if found is None and schema["type"] == "definitions":
        found = schema["schema"].get("schema_ref")
    return found if isinstance(found, str) else None


def _named(generator: Any, schema: CoreSchema) -> Any:
    """`schema`'s JSON schema in `generator`: a model becomes a `$defs` entry, referred to by
    its `$ref`. Lazily named models may form a cycle (A names B, B names A), and a chain of
    them (A names B names C ...) generated inline, each inside the last, ran out of stack at
    ~30 (`RecursionError`, 10 of Stripe's models): the outermost call generates the models the
    others name, one after another, while each inner call only names its model."""
    from pydantic.json_schema import CoreRef

    ref = _ref_of(schema)
    if ref is None:
        return generator.generate_inner(schema)
    defs_ref, named = generator.get_cache_defs_ref_schema(CoreRef(ref))
    if defs_ref in generator.definitions:
        return named  # generated already
    key: tuple[str, str] = (ref, generator.mode)
    state = _IN_PROGRESS.get(id(generator))
    if state is not None:
        seen, pending = state
        if key not in seen:
            seen.add(key)
            pending.append(schema)
        return named
    queue: list[CoreSchema] = []
    _IN_PROGRESS[id(generator)] = ({key}, queue)
    try:
        result = generator.generate_inner(schema)
        while queue:
            generator.generate_inner(queue.pop())
        return result
    finally:
        del _IN_PROGRESS[id(generator)]


def _is_model(value: object) -> TypeGuard[type[BaseModel]]:
    return isinstance(value, type) and issubclass(value, BaseModel)


def cast_validator(value: object) -> SchemaValidator:
    """The validator behind a (rebuilt) model's ``__pydantic_validator__`` or an adapter's
    (pydantic types them as possibly mock or plugin-wrapped: same methods)."""
    return typing.cast("SchemaValidator", value)


class Later:
    """A model imported and built when data for it is first validated."""

    __slots__ = ("_lazy", "_module", "_name", "_package")

    def __init__(self, package: str | None, module: str, name: str) -> None:
        self._package = package
        self._module = module
        self._name = name
        self._lazy = _Lazy(self._import)

    def _import(self) -> type[BaseModel]:
        found: type[BaseModel] = getattr(
            importlib.import_module(self._module, self._package), self._name
        )
        return found

    def resolve(self) -> type[BaseModel]:
        """The model class (imported now if it was not yet)."""
        found: type[BaseModel] = self._lazy.target()
        return found

    def __call__(self, *args: Any, **kwargs: Any) -> BaseModel:
        return self.resolve()(*args, **kwargs)

    def __or__(self, other: Any) -> LaterUnion:
        return LaterUnion((self, other))

    def __ror__(self, other: Any) -> LaterUnion:
        return LaterUnion((other, self))

    def __repr__(self) -> str:
        return f"later({self._module}.{self._name})"

    def __get_pydantic_core_schema__(
        self, _source: Any, _handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return self._lazy.schema()


_PLAIN: tuple[tuple[type, tuple[object, ...]], ...] = (
    (str, (str,)),
    (type(None), (None, type(None))),
)


class LaterUnion:
    """``A | B | ...`` where a member is a ``Later``: one union, built on first use."""

    __slots__ = ("_lazy", "members")

    def __init__(self, members: tuple[Any, ...]) -> None:
        # flat: `A | B | Later(C)` arrives as `(A | B, C)`, and its models were miscounted as
        # one, so the lazy member won again (a review); `str` inside `str | A` was unseen
        members = tuple(part for m in members for part in _union_members(m))
        self.members = members
        plain = tuple(t for t, names in _PLAIN if any(m in names for m in members))
        self._lazy = _Lazy(self.resolve, plain)

    def resolve(self) -> Any:
        """The union of the members, each ``Later`` replaced by its class."""
        return Union[tuple(resolve(m) for m in self.members)]  # noqa: UP007

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{self!r} is a type annotation")

    def __or__(self, other: Any) -> LaterUnion:
        return LaterUnion((*self.members, other))

    def __ror__(self, other: Any) -> LaterUnion:
        return LaterUnion((other, *self.members))

    def __repr__(self) -> str:
        return " | ".join(repr(m) for m in self.members)

    def __get_pydantic_core_schema__(
        self, _source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        if any(isinstance(m, Later) for m in self.members) and (
            sum(isinstance(m, Later) or _is_model(m) for m in self.members) > 1
        ):
            # a union of models: pydantic picks among them. Counted with the models imported
            # as they are: one `Later` beside them was a plain function validator, whose
            # success smart union takes for an exact match, so it won whatever the body
            # (helper 207: Adyen's Singapore account read as `NumberAndBic`)
            return self._lazy.schema()
        return handler.generate_schema(Union[self.members])  # noqa: UP007


def _union_members(type_: Any) -> tuple[Any, ...]:
    if isinstance(type_, LaterUnion):
        return type_.members
    if typing.get_origin(type_) in (Union, types.UnionType):
        return typing.get_args(type_)
    return (type_,)


def resolve(type_: Any) -> Any:
    """``type_`` with a ``Later`` replaced by its class, a ``LaterUnion`` by a ``Union``."""
    if isinstance(type_, Later | LaterUnion):
        return type_.resolve()
    return type_
