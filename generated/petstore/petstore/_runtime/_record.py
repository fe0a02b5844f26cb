"""``record``: frozen records, built without ``@dataclass``'s per-class ``exec``.

``@dataclass`` writes each class's ``__init__``/``__eq__``/``__repr__``/... as source and compiles
it (~0.5 ms a class on this project's bench machine): paid at import by every class, needed or
not. A record shares one set of methods instead. Modules declare ``@dataclass(frozen=True,
kw_only=True)`` for type checkers and bind ``dataclass`` to ``record`` at run time, so the static
types are the dataclass's and the behaviour matches it: the same ``__init__`` arguments (fields
are the class's own annotations; a class attribute or ``field(default=...)`` is the default),
field-wise ``==`` and ``hash`` within one class, a dataclass-style ``repr``,
``FrozenInstanceError`` on assignment, ``__post_init__`` called after the fields are set. Not
provided: ``__slots__``, default factories (unless the class writes its own ``__init__``).
``dataclasses.fields``/``replace``/``asdict`` work (``__dataclass_fields__`` holds plain
``Field`` objects), and a ``@dataclass`` may subclass a record (``__dataclass_params__``).

``Struct``/``FrozenStruct``: bases for the runtime's own small classes (per-call ones such as
``Send`` or ``Prepared``), which write their ``__init__`` by hand (as fast as a dataclass's) and
inherit a dataclass-style ``repr`` and field-wise ``==`` over ``__match_args__``; a frozen one
also gets ``hash`` and ``FrozenInstanceError`` on assignment. No class is built at import.
"""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import MISSING, Field, FrozenInstanceError, field
from typing import Any, ClassVar, TypeVar, cast

__all__ = ["FrozenStruct", "Struct", "record"]

C = TypeVar("C", bound=type)
_FIELD: object = getattr(dataclasses, "_FIELD")  # noqa: B009  # a plain field's marker
_MISSING: Any = object()


def record(
    *, frozen: bool = True, kw_only: bool = False, slots: bool = False, eq: bool = True
) -> Any:
    """The class decorator, called like ``dataclass(frozen=True, ...)``. ``slots`` is accepted
    and ignored (instances keep a ``__dict__``); a ``dataclasses.field(default=..., kw_only=...)``
    class attribute is read for its default and ``kw_only``. A class that writes its own
    ``__init__`` keeps it (faster than the shared one for classes made by the thousand), and
    only then may a field have a ``default_factory``; ``field(init=False)`` is a cache outside
    ``repr``/``==``/``replace``. ``eq=False`` keeps identity equality and hashing."""
    if not frozen:
        raise TypeError("record() makes frozen records only")

    def decorate(cls: C) -> C:
        annotations = inspect.get_annotations(cls)  # its own fields, as strings: unevaluated
        own_init = "__init__" in cls.__dict__
        names: list[str] = []
        defaults: dict[str, object] = {}
        described: dict[str, Field[object]] = {}  # for dataclasses.fields/replace/asdict
        positional: list[str] = []
        for name, annotation in annotations.items():
            default: object = cls.__dict__.get(name, _MISSING)
            keyword, init = kw_only, True
            if isinstance(default, Field):
                spec = cast("Field[object]", default)
                keyword = keyword or spec.kw_only is True
                init = spec.init
                if spec.default_factory is not MISSING and not own_init:
                    raise TypeError(f"{name}: a default_factory needs the class's own __init__")
                default = _MISSING if spec.default is MISSING else spec.default
                delattr(cls, name)  # the Field object is no class attribute of a dataclass
            if default is not _MISSING:
                setattr(cls, name, default)
            described[name] = _described(name, annotation, default, keyword, init)
            if not init:
                continue
            names.append(name)
            defaults[name] = default
            if not keyword:
                positional.append(name)
        target: Any = cls
        target.__record_fields__ = tuple(names)
        target.__record_defaults__ = defaults
        target.__record_positional__ = tuple(positional)
        target.__dataclass_fields__ = described
        target.__dataclass_params__ = _Params(eq)
        for name, method in _METHODS.items():
            if (name == "__init__" and own_init) or (not eq and name in ("__eq__", "__hash__")):
                continue
            setattr(cls, name, method)
        setattr(cls, "__match_args__", tuple(positional))  # noqa: B010
        return cls

    return decorate


class _Params:
    """What ``dataclasses`` reads of a base class's ``__dataclass_params__`` when a
    ``@dataclass`` subclasses a record (``frozen``); the rest as ``dataclass(frozen=True)``."""

    init = repr = match_args = True
    order = unsafe_hash = kw_only = slots = weakref_slot = False
    frozen = True

    def __init__(self, eq: bool) -> None:
        self.eq = eq


def _described(
    name: str, annotation: object, default: object, keyword: bool, init: bool
) -> Field[object]:
    """A plain ``dataclasses.Field``, so ``dataclasses.fields``/``replace``/``asdict`` work."""
    spec: Any = field(kw_only=keyword, init=init, repr=init, compare=init)
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
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


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


class Struct:
    """``__repr__`` and ``__eq__`` (same class, equal fields) over ``__match_args__``, as a
    dataclass has; unhashable, like a mutable dataclass with ``eq``."""

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()
    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__match_args__)
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = self.__match_args__
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)


class FrozenStruct(Struct):
    """A ``Struct`` whose fields cannot be assigned after ``__init__`` (which sets them with
    ``object.__setattr__``), hashed by its fields like a frozen dataclass."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(getattr(self, n) for n in self.__match_args__))

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
