"""``record``: frozen records, built without ``@dataclass``'s per-class ``exec``.

``@dataclass`` writes each class's ``__init__``/``__eq__``/``__repr__``/... as source and compiles
it (~0.5 ms a class on this project's bench machine): paid at import by every class, needed or
not. A record shares one set of methods instead. Modules declare ``@dataclass(frozen=True,
kw_only=True)`` for type checkers and bind ``dataclass`` to ``record`` at run time, so the static
types are the dataclass's and the behaviour matches it: the same ``__init__`` arguments (fields
are the class's own annotations; a class attribute or ``field(default=...)`` is the default), field-wise ``==`` and ``hash`` within
one class, a dataclass-style ``repr``, ``FrozenInstanceError`` on assignment. Not provided:
``__slots__``, default factories, ``__post_init__``. ``dataclasses.fields``/``replace``/
``asdict`` work (``__dataclass_fields__`` holds plain ``Field`` objects).
"""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import MISSING, Field, FrozenInstanceError, field
from typing import Any, TypeVar, cast

__all__ = ["record"]

C = TypeVar("C", bound=type)
_FIELD: object = getattr(dataclasses, "_FIELD")  # noqa: B009  # a plain field's marker
_MISSING: Any = object()


def record(*, frozen: bool = True, kw_only: bool = False, slots: bool = False) -> Any:
    """The class decorator, called like ``dataclass(frozen=True, ...)``. ``slots`` is accepted
    and ignored (instances keep a ``__dict__``); a ``dataclasses.field(default=..., kw_only=...)``
    class attribute is read for its default and ``kw_only``."""
    if not frozen:
        raise TypeError("record() makes frozen records only")

    def decorate(cls: C) -> C:
        annotations = inspect.get_annotations(cls)  # its own fields, as strings: unevaluated
        names = tuple(annotations)
        defaults: dict[str, object] = {}
        described: dict[str, Field[object]] = {}  # for dataclasses.fields/replace/asdict
        positional: list[str] = []
        for name in names:
            default: object = cls.__dict__.get(name, _MISSING)
            keyword = kw_only
            if isinstance(default, Field):
                spec = cast("Field[object]", default)
                keyword = keyword or spec.kw_only is True
                default = _MISSING if spec.default is MISSING else spec.default
                delattr(cls, name)  # the Field object is no class attribute of a dataclass
            if default is not _MISSING:
                setattr(cls, name, default)
            defaults[name] = default
            if not keyword:
                positional.append(name)
            described[name] = _described(name, annotations[name], default, keyword)
        target: Any = cls
        target.__record_fields__ = names
        target.__record_defaults__ = defaults
        target.__record_positional__ = tuple(positional)
        target.__dataclass_fields__ = described
        for name, method in _METHODS.items():
            setattr(cls, name, method)
        setattr(cls, "__match_args__", tuple(positional))  # noqa: B010
        return cls

    return decorate


def _described(name: str, annotation: object, default: object, keyword: bool) -> Field[object]:
    """A plain ``dataclasses.Field``, so ``dataclasses.fields``/``replace``/``asdict`` work."""
    spec: Any = field(kw_only=keyword)
    spec.default = MISSING if default is _MISSING else default
    spec.name, spec.type, spec._field_type = name, annotation, _FIELD
    described: Field[object] = spec
    return described


def _fields(self: object) -> tuple[str, ...]:
    names: tuple[str, ...] = getattr(type(self), "__record_fields__")  # noqa: B009
    return names


def _init(self: object, *args: object, **values: object) -> None:
    defaults: dict[str, object] = getattr(type(self), "__record_defaults__")  # noqa: B009
    if args:
        positional: tuple[str, ...] = getattr(type(self), "__record_positional__")  # noqa: B009
        if len(args) > len(positional):
            raise TypeError(
                f"{type(self).__qualname__}.__init__() takes {len(positional)} positional "
                f"arguments but {len(args)} were given"
            )
        for name, value in zip(positional, args, strict=False):
            if name in values:
                raise TypeError(
                    f"{type(self).__qualname__}.__init__() got multiple values for {name!r}"
                )
            values[name] = value
    for name in values:
        if name not in defaults:
            raise TypeError(
                f"{type(self).__qualname__}.__init__() got an unexpected keyword argument {name!r}"
            )
    for name, default in defaults.items():
        value = values.get(name, default)
        if value is _MISSING:
            raise TypeError(
                f"{type(self).__qualname__}.__init__() missing keyword argument {name!r}"
            )
        object.__setattr__(self, name, value)


def _values(self: object) -> tuple[object, ...]:
    return tuple(getattr(self, n) for n in _fields(self))


def _eq(self: object, other: object) -> object:  # NotImplemented for another class
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: object) -> int:
    return hash(_values(self))


def _repr(self: object) -> str:
    fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in _fields(self))
    return f"{type(self).__qualname__}({fields})"


def _setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


_METHODS: dict[str, Any] = {
    "__init__": _init,
    "__eq__": _eq,
    "__hash__": _hash,
    "__repr__": _repr,
    "__setattr__": _setattr,
    "__delattr__": _delattr,
}
