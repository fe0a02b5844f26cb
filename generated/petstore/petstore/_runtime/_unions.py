"""Unions of models validated against the one member the data can be, not against every member.

Pydantic's smart union validates the data against each member: with ``extra="allow"`` models a
member that is not the match still reads the whole object before it fails on a missing field
(Stripe's ``Customer | DeletedCustomer``: 450 us per 10 kB customer, against 300 us for
``Customer`` alone). A member lacking a key for one of its required fields cannot succeed, so
when the data's keys leave exactly one model that can, validating only that one gives the same
result as the smart union, failures included (the error then names that member alone). When the
keys leave several candidates, or none, the smart union decides as before.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel

__all__ = ["Picker", "picker", "sent_always", "with_picker"]

# Members that can never accept a JSON object (a dict), so they do not compete for one.
_SCALARS: frozenset[Any] = frozenset({str, int, float, bool, bytes, type(None), None})

_ANY = "*"  # the tag of the whole union, for data the picker leaves undecided


class Picker:
    """The one model of a union a dict can validate as, judged by the keys it holds."""

    __slots__ = ("_members", "_tags", "models")

    def __init__(
        self, members: Iterable[tuple[type[BaseModel], tuple[tuple[str, ...], ...]]]
    ) -> None:
        self._members = tuple(members)
        self.models = tuple(model for model, _ in self._members)
        self._tags: dict[type[BaseModel], tuple[tuple[tuple[str, ...], str], ...]] = {}

    def __call__(self, value: dict[str, Any]) -> type[BaseModel] | None:
        found: type[BaseModel] | None = None
        candidates: list[type[BaseModel]] = []
        for model, required in self._members:
            if all(any(key in value for key in keys) for keys in required):
                candidates.append(model)
                found = model
        if len(candidates) > 1:  # two candidates: their tags, else the smart union decides
            return self._by_tag(candidates, value)
        return found

    def _by_tag(
        self, candidates: list[type[BaseModel]], value: dict[str, Any]
    ) -> type[BaseModel] | None:
        """The one candidate whose tag fields (a field of one literal value, `type:
        Literal["sgLocal"] | str`) all hold their value in the data, where the others' hold
        another: with open enums every member took any tag, and the first won (helper 207:
        Adyen's `{"type": "sgLocal", ...}` read as `NumberAndBic`)."""
        matched: list[type[BaseModel]] = []
        contradicting: list[type[BaseModel]] = []
        for model in candidates:
            tags = self._tags.get(model)
            if tags is None:
                tags = self._tags[model] = _tag_fields(model)
            held = [(keys, tag) for keys, tag in tags if any(k in value for k in keys)]
            if held and all(any(value.get(k) == tag for k in keys) for keys, tag in held):
                matched.append(model)
            elif any(any(k in value and value[k] != tag for k in keys) for keys, tag in held):
                contradicting.append(model)
        contradicted = len(contradicting)
        # only when every other candidate's own tag says otherwise: one without a tag (`kind:
        # str`) may be the match, and the smart union decides (a review: a body valid only as
        # `Robot` failed as the tagged `Cat`)
        if len(matched) == 1 and len(matched) + contradicted == len(candidates):
            return matched[0]
        if not matched and contradicted == len(candidates) - 1:
            # the one candidate whose tag the data does not contradict (an untagged catch-all:
            # PagerDuty's `{"type": "service_reference"}` was read as `UserReference`, the
            # first, its tag contradicted; helper 231)
            return next(m for m in candidates if m not in contradicting)
        return None


def _tag_fields(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The model's fields whose type allows one literal string (open or closed: `Literal["a"]`,
    `Literal["a"] | str`), with the keys that provide each."""
    found: list[tuple[tuple[str, ...], str]] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        parts = (
            (annotation,)
            if typing.get_origin(annotation) is Literal
            else typing.get_args(annotation)
        )
        literals = [
            value
            for part in parts
            if typing.get_origin(part) is Literal
            for value in typing.get_args(part)
        ]
        if len(literals) != 1 or not isinstance(literals[0], str):
            continue
        alias = info.validation_alias if info.validation_alias is not None else info.alias
        keys = (alias,) if isinstance(alias, str) else (name,)
        found.append((keys, literals[0]))
    return tuple(found)


def _required_keys(model: type[BaseModel]) -> tuple[tuple[str, ...], ...] | None:
    """Per required field, the keys that provide it (its alias; its name too when the model
    populates by name); None when a field reads other keys (``AliasChoices``, ``AliasPath``)."""
    by_name = bool(model.model_config.get("populate_by_name")) or bool(
        model.model_config.get("validate_by_name")
    )
    found: list[tuple[str, ...]] = []
    defaulted = sent_always(model)  # required by the spec, defaulted for the caller
    for name, info in model.model_fields.items():
        if not info.is_required() and name not in defaulted:
            continue
        alias = info.validation_alias if info.validation_alias is not None else info.alias
        if alias is not None and not isinstance(alias, str):
            return None
        keys = {alias or name}
        if by_name or alias is None:
            keys.add(name)
        found.append(tuple(sorted(keys)))
    return tuple(found)


def sent_always(model: type[BaseModel]) -> tuple[str, ...]:
    """``Model.__sent_always__`` of a generated model (its required fields with a spec
    default); () for any other model."""
    found: object = getattr(model, "__sent_always__", ())
    return typing.cast("tuple[str, ...]", found) if isinstance(found, tuple) else ()


def _is_scalar(member: Any) -> bool:
    return member in _SCALARS or typing.get_origin(member) is Literal


def picker(members: Iterable[Any]) -> Picker | None:
    """A ``Picker`` for a union of these members, or None when it cannot be exact: fewer than
    two models, a member other than a model or a scalar (a dict or list type, ``Any``, a root
    model: it could take the object too), or a model whose required keys are not plain names."""
    models: list[tuple[type[BaseModel], tuple[tuple[str, ...], ...]]] = []
    for member in members:
        if isinstance(member, type) and issubclass(member, BaseModel):
            required = _required_keys(member)
            if getattr(member, "__pydantic_root_model__", False) or required is None:
                return None
            models.append((member, required))
        elif not _is_scalar(member):
            return None
    return Picker(models) if len(models) > 1 else None


def with_picker(type_: Any) -> Any:
    """``type_`` itself, or for a union ``picker`` can judge, the same union tagged by a
    discriminator function (pydantic validates the chosen member only; undecided data goes to
    the whole union, tagged ``*``: its errors are located as ``*.Customer.created``)."""
    if typing.get_origin(type_) is Annotated:
        return _fallback_picked(type_)
    if typing.get_origin(type_) not in (Union, types.UnionType):
        return type_
    members = typing.get_args(type_)
    pick = picker(members)
    if pick is None:
        return type_
    from pydantic import Discriminator, Tag  # pydantic.types: ~15 ms, only for such a union

    # Tagged by class name: an error's location reads as the smart union's (`Customer.created`)
    names = [model.__name__ for model in pick.models]
    tags = {
        model: name if names.count(name) == 1 else f"{name}#{i}"
        for i, (model, name) in enumerate(zip(pick.models, names, strict=True))
    }

    def tag_of(value: Any) -> str:
        if type(value) is dict:
            model = pick(typing.cast("dict[str, Any]", value))
            if model is not None:
                return tags[model]
        elif isinstance(value, BaseModel) and type(value) in tags:
            return tags[type(value)]
        return _ANY

    choices: list[Any] = [Annotated[model, Tag(tag)] for model, tag in tags.items()]
    choices.append(Annotated[type_, Tag(_ANY)])
    return Annotated[Union[tuple(choices)], Discriminator(tag_of)]  # noqa: UP007


def _fallback_picked(type_: Any) -> Any:
    """A union tagged by a property (``Annotated[A | B | Annotated[A | B, Tag("*")],
    Discriminator(...)]``) whose fallback member, for data without a known tag, is judged by
    ``with_picker`` too: a tag only some members require left such data to the smart union,
    which took `NumberAndBic` (it requires `type`, with a default) for a body that fits only
    `SgLocal` (a fallback that was the picker before the tag)."""
    union, *meta = typing.get_args(type_)
    if typing.get_origin(union) not in (Union, types.UnionType):
        return type_
    from pydantic import Tag

    members: list[Any] = []
    changed = False
    for member in typing.get_args(union):
        if typing.get_origin(member) is Annotated:
            inner, *marks = typing.get_args(member)
            if any(isinstance(m, Tag) and m.tag == _ANY for m in marks):
                picked = with_picker(inner)
                if picked is not inner:
                    member, changed = Annotated[(picked, *marks)], True
        members.append(member)
    if not changed:
        return type_
    return Annotated[(Union[tuple(members)], *meta)]  # noqa: UP007
