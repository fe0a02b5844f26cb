"""The generated-model base class and the lenient fallback used when a response breaks its spec."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter

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

    def __str__(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True, warnings=False)


def construct(type_: Any, data: Any) -> Any:
    """Best-effort conversion of ``data`` to ``type_`` without failing.

    Used after validation failed: models are built with ``model_construct`` (recursively, so
    nested dicts still become models), anything that does not fit is kept as received.
    """
    origin = get_origin(type_)
    args = get_args(type_)
    if origin is Annotated:
        return construct(args[0], data)
    if origin is Union or origin is types.UnionType:
        return _construct_union(args, data)
    if isinstance(type_, type) and issubclass(type_, BaseModel):
        return _construct_model(type_, data) if isinstance(data, dict) else data
    if origin in (list, set, frozenset, tuple) and isinstance(data, list):
        item = args[0] if args else Any
        return [construct(item, x) for x in data]
    if origin is dict and isinstance(data, dict):
        value = args[1] if len(args) == 2 else Any
        return {k: construct(value, v) for k, v in data.items()}
    try:
        return TypeAdapter(type_).validate_python(data)
    except Exception:  # this is the never-fail path: keep what the server sent
        return data


def _construct_union(args: tuple[Any, ...], data: Any) -> Any:
    arms = [a for a in args if a is not type(None)]
    if data is None:
        return None
    for arm in arms:  # an arm that validates cleanly wins
        try:
            return TypeAdapter(arm).validate_python(data)
        except Exception:
            continue
    for arm in arms:  # otherwise the first arm whose shape matches
        inner = get_args(arm)[0] if get_origin(arm) is Annotated else arm
        is_model = isinstance(inner, type) and issubclass(inner, BaseModel)
        if (is_model and isinstance(data, dict)) or (
            get_origin(inner) in (list, dict) and isinstance(data, get_origin(inner))
        ):
            return construct(inner, data)
    return data


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
    if cls.model_config.get("extra") == "allow":
        values.update(rest)
    return cls.model_construct(_fields_set=fields_set, **values)


def discriminator(
    prop: str, tags: Mapping[str, str], fallback: str | None = None
) -> Callable[[Any], str | None]:
    """A pydantic callable discriminator: the member tag for the value of ``prop``.

    Works on raw dicts (wire names) and on model instances (when validating built objects);
    an unknown or missing value gives ``fallback`` (generated unions tag a plain union of every
    member with it, so each is tried), or ``None`` without one, which pydantic reports.
    """

    def pick(value: Any) -> str | None:
        if isinstance(value, Mapping):
            raw = value.get(prop)
        else:
            raw = getattr(value, "model_extra", None) or {}
            raw = raw.get(prop) if prop in raw else _attr_by_alias(value, prop)
        tag = tags.get(raw) if isinstance(raw, str) else None
        return fallback if tag is None else tag

    return pick


def _attr_by_alias(value: Any, wire: str) -> Any:
    fields = getattr(type(value), "model_fields", {})
    for name, info in fields.items():
        if wire in (name, info.alias, info.validation_alias, info.serialization_alias):
            return getattr(value, name, None)
    return None
