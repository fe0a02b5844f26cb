"""``record``: frozen keyword-only records, built without ``@dataclass``'s per-class ``exec``.

``@dataclass`` writes each class's ``__init__``/``__eq__``/``__repr__``/... as source and compiles
it (~0.5 ms a class on this project's bench machine): paid at import by every class, needed or
not. A record shares one set of methods instead. Modules declare ``@dataclass(frozen=True,
kw_only=True)`` for type checkers and bind ``dataclass`` to ``record`` at run time, so the static
types are the dataclass's and the behaviour matches it: keyword-only ``__init__`` (fields are the
class's own annotations; a class attribute is the default), field-wise ``==`` and ``hash`` within
one class, a dataclass-style ``repr``, ``FrozenInstanceError`` on assignment. Not provided:
``dataclasses.fields``/``replace``/``asdict`` (no ``__dataclass_fields__``), mutable defaults.
"""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError
from typing import Any, TypeVar

__all__ = ["record"]

C = TypeVar("C", bound=type)
_MISSING: Any = object()


def record(*, frozen: bool = True, kw_only: bool = True) -> Any:
    """The class decorator (called like ``dataclass(frozen=True, kw_only=True)``)."""
    if not (frozen and kw_only):
        raise TypeError("record() makes frozen keyword-only records only")
    return _record


def _record(cls: C) -> C:
    names = tuple(inspect.get_annotations(cls))  # its own fields, as strings: not evaluated
    target: Any = cls
    target.__record_fields__ = names
    target.__record_defaults__ = {n: cls.__dict__.get(n, _MISSING) for n in names}
    for name, method in _METHODS.items():
        setattr(cls, name, method)
    return cls


def _fields(self: object) -> tuple[str, ...]:
    names: tuple[str, ...] = getattr(type(self), "__record_fields__")  # noqa: B009
    return names


def _init(self: object, **values: object) -> None:
    defaults: dict[str, object] = getattr(type(self), "__record_defaults__")  # noqa: B009
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
    "__match_args__": (),
}
