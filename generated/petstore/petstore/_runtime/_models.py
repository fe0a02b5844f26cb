"""The generated-model base class and the lenient fallback used when a response breaks its spec."""

from __future__ import annotations

import contextvars
import copy
import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Literal,
    Union,
    cast,
    get_args,
    get_origin,
)

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic.fields import FieldInfo

from ._lazy import STRICT, Later, LaterUnion
from ._unions import sent_always

__all__ = ["Model", "construct", "discriminator"]


class Model(BaseModel):
    """Base of generated models: unknown fields are kept, wire or Python names both accepted."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        defer_build=True,
        protected_namespaces=(),
        arbitrary_types_allowed=False,
    )

    # The required fields with a spec default (`type: {enum: [card], default: card}`), which
    # a caller may leave out: counted as set (`model_post_init`), so they are sent, also when
    # a model read from a response is sent back; a union's member is picked by them as by any
    # required key (data without the key is not that member).
    __sent_always__: ClassVar[tuple[str, ...]] = ()

    if TYPE_CHECKING:  # a property to type checkers (an annotation would be a field to them)

        @property
        def _request_id(self) -> str | None:
            """The ``request-id``/``x-request-id`` response header of the call that returned
            this model (None when absent); set by the runtime, never part of ``model_dump()``."""

        @_request_id.setter
        def _request_id(self, value: str | None) -> None: ...

    def __str__(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True, warnings=False)

    def __eq__(self, other: object) -> bool:
        """pydantic's equality, the response's request id aside: the same data fetched twice
        (two request ids), or rebuilt with ``model_validate(m.to_dict())``, is equal."""
        if _carries_id(self) or _carries_id(other):
            return bool(_without_id(self) == _without_id(other))
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # (as pydantic's: mutable models)

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        """The model as a dict, by default keyed by the API's names and holding only what the
        server sent (or the caller set; a required field the spec gives a default counts as
        set), as openai-python's ``to_dict``: what the API would take back. ``mode="json"``
        gives JSON values (strings for dates)."""
        return self.model_dump(
            mode=mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """The model as JSON text, as ``to_dict`` chooses its keys (indented by default)."""
        return self.model_dump_json(
            indent=indent,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )


class _RequestId:
    """``Model._request_id``, kept in the instance's ``__pydantic_private__``.

    Not a pydantic ``PrivateAttr``: a class with one runs ``init_private_attributes`` for every
    instance it validates, nested ones included (57 per Stripe customer, ~15 % of its parse),
    though only the model a call returns ever carries a request id. Assigned to the class after
    pydantic built it, so pydantic sees no private attribute; ``BaseModel.__setattr__`` hands an
    unknown ``_`` name to ``object.__setattr__``, which calls this data descriptor.
    """

    def __get__(self, obj: object, owner: type | None = None) -> str | None:
        private = getattr(obj, "__pydantic_private__", None) if obj is not None else None
        return private.get("_request_id") if private else None

    def __set__(self, obj: BaseModel, value: str | None) -> None:
        private = obj.__pydantic_private__
        if private is None:
            object.__setattr__(obj, "__pydantic_private__", {"_request_id": value})
        else:
            private["_request_id"] = value


type.__setattr__(Model, "_request_id", _RequestId())


def _carries_id(value: object) -> bool:
    private = getattr(value, "__pydantic_private__", None)
    return isinstance(private, dict) and "_request_id" in private


def _without_id(value: object) -> object:
    """``value``, a shallow copy without the request id when it carries one."""
    if not (isinstance(value, BaseModel) and _carries_id(value)):
        return value
    stripped = copy.copy(value)
    private = {k: v for k, v in (value.__pydantic_private__ or {}).items() if k != "_request_id"}
    object.__setattr__(stripped, "__pydantic_private__", private or None)
    return stripped


def construct(type_: Any, data: Any) -> Any:
    """Best-effort conversion of ``data`` to ``type_`` without failing.

    Used after validation failed: models are built with ``model_construct`` (recursively, so
    nested dicts still become models); a union gives its best-matching variant (a discriminated
    union the variant its tag names, else the one whose fields fit the data best). Values are
    never changed: a leaf is converted only when strict validation accepts it (``"19"`` stays
    ``"19"`` for an ``int``; a date string may become a ``datetime``), and numbers are kept as
    received (``2**53 + 1`` never goes through a ``float``). Anything else is kept as is.
    """
    if isinstance(type_, Later | LaterUnion):
        type_ = type_.resolve()
    origin = get_origin(type_)
    args = get_args(type_)
    if origin is Annotated:
        return _construct_annotated(args[0], args[1:], data)
    if origin is Union or origin is types.UnionType:
        return _construct_union(args, data, None)
    obj = _json_object(data)
    if isinstance(type_, type) and issubclass(type_, BaseModel):
        return _construct_model(type_, obj) if obj is not None else data
    if origin in (list, set, frozenset, tuple) and isinstance(data, list):
        item = args[0] if args else Any
        return [construct(item, x) for x in cast("list[object]", data)]
    if origin is dict and obj is not None:
        value = args[1] if len(args) == 2 else Any
        return {k: construct(value, v) for k, v in obj.items()}
    return _leaf(type_, data)


def _json_object(data: object) -> dict[str, Any] | None:
    """``data`` when it is a JSON object (a dict), else None."""
    return cast("dict[str, Any]", data) if isinstance(data, dict) else None


def _leaf(type_: Any, data: Any) -> Any:
    """``data`` as ``type_`` when strict (JSON-mode) validation accepts it unchanged in value."""
    if type_ is Any or _json_object(data) is not None or issubclass(type(data), list):
        return data
    try:
        value = _adapter(type_).validate_json(json.dumps(data), strict=True, by_name=False)
    except Exception:  # this is the never-fail path: keep what the server sent
        return data
    if isinstance(value, int | float) and not isinstance(value, enum.Enum):
        return data  # no int -> float (or bool) round trip: the number exactly as received
    return value


@functools.lru_cache(maxsize=512)
def _cached_adapter(type_: Any) -> TypeAdapter[Any]:
    return TypeAdapter(type_)


def _adapter(type_: Any) -> TypeAdapter[Any]:
    try:
        return _cached_adapter(type_)
    except TypeError:  # unhashable type expression
        return TypeAdapter(type_)


def _fits(type_: Any, data: Any) -> bool:
    """Whether ``data`` validates strictly (no coercion) as ``type_``."""
    try:
        _adapter(type_).validate_json(json.dumps(data), strict=True, context=STRICT, by_name=False)
    except Exception:
        return False
    return True


def _construct_annotated(inner: Any, metadata: tuple[Any, ...], data: Any) -> Any:
    chooser = _chooser(inner, metadata)
    if chooser is not None:
        return _construct_union(get_args(inner), data, chooser)
    return construct(inner, data)


def _chooser(inner: Any, metadata: Sequence[Any]) -> Any:
    """The discriminator of ``Annotated[inner, *metadata]`` when it is a tagged union."""
    if get_origin(inner) is not Union and get_origin(inner) is not types.UnionType:
        return None
    return next((c for m in metadata if (c := getattr(m, "discriminator", None)) is not None), None)


def _arms(args: tuple[Any, ...]) -> list[tuple[str | None, Any]]:
    """``(tag, type)`` of each union member (``Annotated[X, Tag("x")]`` gives ``"x"``)."""
    from pydantic import Tag  # pydantic.types: only for tagged unions (10 ms to import)

    found: list[tuple[str | None, Any]] = []
    for arm in args:
        tag = None
        if get_origin(arm) is Annotated:
            tag = next((m.tag for m in get_args(arm)[1:] if isinstance(m, Tag)), None)
        if arm is not type(None):
            found.append((tag, arm))
    return found


def _models_in(type_: Any) -> list[type[BaseModel]]:
    """The model classes a (possibly annotated, possibly union) type may be."""
    if isinstance(type_, Later | LaterUnion):
        type_ = type_.resolve()
    origin = get_origin(type_)
    if origin is Annotated:
        return _models_in(get_args(type_)[0])
    if origin is Union or origin is types.UnionType:
        return [m for arg in get_args(type_) for m in _models_in(arg)]
    if isinstance(type_, type) and issubclass(type_, BaseModel):
        return [type_]
    return []


def _construct_union(args: tuple[Any, ...], data: Any, chooser: Any) -> Any:
    arms = _arms(args)
    if data is None:
        return None
    obj = _json_object(data)
    if obj is not None:
        # the variant the tag names first: generated tags are `str` (or `Literal[...] | str`),
        # so a member's own fields fit any tag, and the first member took every object
        chosen = _by_discriminator(arms, obj, chooser)
        if chosen is not None:
            return construct(chosen, obj)
        for _, arm in arms:  # a tagged union inside (`Pet | None`) is one unit: its tag decides
            if _names_variant(arm, obj):
                return construct(arm, obj)
    # an arm that validates strictly (no coercion) as it is wins; of several (models whose
    # fields are all optional fit any object), the one whose fields the data fills best, as
    # pydantic's smart union picks (the first one took every object)
    # (best scored first, then validated until one fits: the same choice, one validation
    # where each arm's took one before)
    for arm in sorted((arm for _, arm in arms), key=lambda arm: _fit_score(arm, obj), reverse=True):
        if _fits(arm, data):
            return construct(arm, data)
    if len(arms) == 1:  # `X | None`: X's own rules (a tagged union's fallback) decide
        return construct(arms[0][1], data)
    if obj is not None:
        models = [m for _, arm in arms for m in _models_in(arm)]
        if models:  # the variant whose fields fit the data best (the first on a tie)
            best = max(models, key=lambda m: _score(m, obj))
            return _construct_model(best, obj)
    for _, arm in arms:  # otherwise the first arm whose shape matches
        inner = get_args(arm)[0] if get_origin(arm) is Annotated else arm
        container = get_origin(inner)
        if container in (list, dict) and issubclass(type(data), container):
            return construct(inner, data)
    return data


def _names_variant(arm: Any, data: dict[str, Any]) -> bool:
    """Whether ``arm`` is a tagged union whose discriminator names one of its variants for
    ``data`` (not an unknown tag, which the best match decides)."""
    if get_origin(arm) is not Annotated:
        return False
    inner, *metadata = get_args(arm)
    chooser = _chooser(inner, metadata)
    return (
        chooser is not None and _by_discriminator(_arms(get_args(inner)), data, chooser) is not None
    )


def _by_discriminator(
    arms: list[tuple[str | None, Any]], data: dict[str, Any], chooser: Any
) -> Any:
    """The arm a discriminator names for ``data`` (``None``: unknown value, or a fallback tag
    naming a union of every member, which the best match decides)."""
    if callable(chooser):
        try:
            tag = chooser(data)
        except Exception:
            return None
        arm = next((a for t, a in arms if t is not None and t == tag), None)
        return arm if arm is not None and len(_models_in(arm)) == 1 else None
    if isinstance(chooser, str):
        for _, arm in arms:
            for model in _models_in(arm):
                if _literal_match(model, chooser, data) is True:
                    return model
    return None


def _literal_match(model: type[BaseModel], field: str, data: dict[str, Any]) -> bool | None:
    """Whether ``data`` has the ``Literal`` value ``model`` declares for ``field`` (wire or
    Python name); ``None`` when the model declares no such literal or the data lacks it."""
    info = model.model_fields.get(field) or next(
        (i for i in model.model_fields.values() if field in (i.alias, i.validation_alias)), None
    )
    if info is None or get_origin(info.annotation) is not Literal:
        return None
    name = info.alias if isinstance(info.alias, str) else field
    key = next((k for k in (name, field) if k in data), None)
    if key is None:
        return None
    return data[key] in get_args(info.annotation)


def _fit_score(arm: Any, data: dict[str, Any] | None) -> tuple[int, int, int]:
    """`_score` of an arm that is one model (the first arm wins a tie: `max` keeps it)."""
    models = _models_in(arm)
    if data is None or len(models) != 1:
        return (0, 0, 0)
    return _score(models[0], data)


def _score(model: type[BaseModel], data: dict[str, Any]) -> tuple[int, int, int]:
    """How well ``data`` fits ``model``: literal (tag) fields that match, minus those that do
    not; then fields present; then fewer required fields missing."""
    literal = present = missing = 0
    required = set(sent_always(model))
    for name, info in model.model_fields.items():
        keys = {k for k in (name, info.alias, info.validation_alias) if isinstance(k, str)}
        match = _literal_match(model, name, data)
        literal += 0 if match is None else (1 if match else -1)
        if keys & data.keys():
            present += 1
        elif info.is_required() or name in required:
            missing += 1
    return literal, present, -missing


def _construct_model(cls: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    try:  # resolves forward references that field annotations may still hold
        hints = typing.get_type_hints(cls, include_extras=True)
    except Exception:
        hints = {}
    values: dict[str, Any] = {}
    rest = dict(data)
    for name, info in cls.model_fields.items():
        for key in (info.validation_alias, info.alias, name):
            if isinstance(key, str) and key in rest:
                values[name] = construct(hints.get(name, info.annotation), rest.pop(key))
                break
    fields_set = set(values)
    for name, info in cls.model_fields.items():
        # a required field the server left out reads as None, as Stainless's `construct`
        # does (model_construct left it unset: `AttributeError` on a field typed `str`);
        # not in the fields set, so `to_dict()` still leaves it out
        if name not in values and info.is_required():
            values[name] = None
    if cls.model_config.get("extra") == "allow":
        values.update(rest)
    return cls.model_construct(_fields_set=fields_set, **values)


# Set while a webhook body that is a tagged union is parsed (``Webhook.parse``): a tag no
# member lists is an error for that union, not the fallback's, where every member lists its
# tags (``closed``: a receiver dispatching on the class deleted users on an event kind the
# spec did not list yet, read as `UserDeleted`). Unions inside the event, and responses, keep
# the fallback: a new kind of card in a known event, or in a list, must not fail it whole.
KNOWN_TAGS_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "apigen_known_tags_only", default=False
)


def discriminator(
    prop: str, tags: Mapping[str, str], fallback: str | None = None, closed: bool = False
) -> Callable[[Any], str | None]:
    """A pydantic callable discriminator: the member tag for the value of ``prop``.

    Works on raw dicts (wire names) and on model instances (when validating built objects);
    an unknown or missing value gives ``fallback`` (generated unions tag a plain union of every
    member with it, so each is tried), or ``None`` without one, which pydantic reports; also
    under ``KNOWN_TAGS_ONLY`` (consumed by the first union asked) when ``closed`` (every member
    lists the values it takes: one no member lists belongs to none; where a member takes any,
    the fallback tries it as before).
    """

    def pick(value: Any) -> str | None:
        raw: object
        if isinstance(value, Mapping):
            raw = cast("Mapping[str, object]", value).get(prop)
        else:
            extra: dict[str, object] = getattr(value, "model_extra", None) or {}
            raw = extra.get(prop) if prop in extra else _attr_by_alias(value, prop)
        # (an integer tag, `version: 2`, is mapped by its digits; a bool is no integer here)
        key = raw if isinstance(raw, str) else str(raw) if type(raw) is int else None
        tag = tags.get(key) if key is not None else None
        strict = KNOWN_TAGS_ONLY.get()
        if strict:  # the body's own union only (the first asked): a nested one is tolerant
            KNOWN_TAGS_ONLY.set(False)
        if tag is None and closed and strict:
            # no member's tag (pydantic: "Input tag 'type=user.suspended' ... does not match
            # any of the expected tags"); a missing one: "Unable to extract tag"
            return None if key is None else f"{prop}={key}"
        return fallback if tag is None else tag

    return pick


def _attr_by_alias(value: Any, wire: str) -> Any:
    fields: dict[str, FieldInfo] = getattr(value.__class__, "model_fields", {})
    for name, info in fields.items():
        if wire in (name, info.alias, info.validation_alias, info.serialization_alias):
            return getattr(value, name, None)
    return None
