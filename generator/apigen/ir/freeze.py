"""Freeze the IR once `build_api` has built it: the renderer and other readers cannot change it.

The build passes fill nodes in place (names, types, docs), so the node classes stay mutable
dataclasses while building. The last step swaps every node's class for a subclass whose
`__setattr__`/`__delattr__` raise `FrozenInstanceError`, and every list or dict it holds for a
`FrozenList`/`FrozenDict`, a `list`/`dict` whose mutating methods raise. Nothing is paid while
building (a guard flag read by a Python `__setattr__` would slow each of the ~500,000 attribute
assignments of the GitHub build); the walk visits only fields whose annotation admits a list,
dict or node: ~30 ms CPU on GitHub's 51,000 nodes, ~4 % of `build_api`. Frozen values still are
what their annotations say (`isinstance(d, ModelDef)`, `isinstance(d.fields, list)`, equal to
lists), so readers need no change; `dataclasses.replace` builds a new node, frozen as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError, fields, is_dataclass
from typing import (
    Any,
    Literal,
    NoReturn,
    SupportsIndex,
    TypeVar,
    get_args,
    get_origin,
    get_type_hints,
)

_T = TypeVar("_T")
_K = TypeVar("_K")
_V = TypeVar("_V")


def _refuse(self: object, *_args: object, **_kwargs: object) -> NoReturn:
    raise TypeError(f"the IR is frozen once built: {type(self).__name__} cannot be changed")


class FrozenList(list[_T]):
    """A list whose contents cannot change after the IR is built."""

    __slots__ = ()
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:  # copy/pickle without calling append()
        return (FrozenList, (list(self),))

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return self.__reduce__()


class FrozenDict(dict[_K, _V]):
    """A dict whose contents cannot change after the IR is built."""

    __slots__ = ()
    pop = popitem = clear = update = setdefault = _refuse
    __setitem__ = __delitem__ = __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:  # copy/pickle without calling __setitem__()
        return (FrozenDict, (dict(self),))

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return self.__reduce__()


def _refuse_attribute(self: object, name: str, *_value: object) -> NoReturn:
    raise FrozenInstanceError(f"the IR is frozen once built: cannot set or delete {name!r}")


_frozen_classes: dict[type, type] = {}


def _frozen_class(cls: type) -> type:
    """`cls` with assignment refused; same name, so reprs and messages do not change."""
    frozen = _frozen_classes.get(cls)
    if frozen is None:
        build: Callable[..., None] = vars(cls)["__init__"]  # the dataclass's own

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            """`dataclasses.replace` (and a direct call) build a frozen node, as for a frozen
            dataclass: built mutable, then frozen."""
            object.__setattr__(self, "__class__", cls)
            build(self, *args, **kwargs)
            _value(self)

        namespace = {
            "__slots__": (),  # the same layout: `__class__` can be swapped in place
            "__init__": __init__,
            "__setattr__": _refuse_attribute,
            "__delattr__": _refuse_attribute,
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
        }
        frozen = _frozen_classes[cls] = type(cls.__name__, (cls,), namespace)
        _IMMUTABLE.add(frozen)  # freezing again is a no-op
    return frozen


def freeze(root: _T) -> _T:
    """Freeze `root` and everything reachable from it; returns `root`."""
    _value(root)
    return root


def _value(obj: Any) -> Any:
    """`obj` frozen: lists and dicts copied as FrozenList/FrozenDict, nodes frozen in place."""
    kind = type(obj)
    if kind in _IMMUTABLE:
        return obj
    if kind is list or kind is FrozenList:
        return FrozenList(_items(obj))
    if kind is dict or kind is FrozenDict:
        return FrozenDict({k: _value(v) for k, v in obj.items()})
    if kind is tuple:  # only met where an annotation admits mutable items (or `Any`)
        return tuple([_value(v) for v in obj])
    plan = _plans.get(kind)
    if plan is None:
        if not is_dataclass(kind):
            raise TypeError(f"cannot freeze a {kind.__name__} in the IR")
        if kind.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            _IMMUTABLE.add(kind)  # type expressions, PaginationDef: tuples of frozen values
            return obj
        plan = _plans[kind] = (_plan(kind), _frozen_class(kind))
    names, frozen = plan
    if names:
        attrs = obj.__dict__
        for name in names:
            attrs[name] = _value(attrs[name])
    obj.__class__ = frozen  # a frozen class is in _IMMUTABLE: each node is visited once
    return obj


def _items(values: list[Any]) -> list[Any]:
    """The items of a list, frozen; leaf nodes (all `FieldDef`s, 38,000 on GitHub) inline."""
    out = []
    for v in values:
        plan = _plans.get(type(v))
        if plan is not None and not plan[0]:
            v.__class__ = plan[1]
            out.append(v)
        else:
            out.append(_value(v))
    return out


# scalars, frozensets (of hashables: no mutable node), frozen dataclasses and frozen node
# classes: nothing in them to freeze
_IMMUTABLE: set[type] = {str, int, float, bool, type(None), frozenset}
# node class -> the fields that may hold mutable values, and its frozen class
_plans: dict[type, tuple[tuple[str, ...], type]] = {}


def _plan(kind: type) -> tuple[str, ...]:
    """The fields of a mutable dataclass whose annotation admits a list, dict or mutable node
    (the others hold scalars and frozen type expressions: ~80 % of the attributes)."""
    hints = get_type_hints(kind)
    return tuple(f.name for f in fields(kind) if _may_be_mutable(hints[f.name]))


def _may_be_mutable(hint: Any) -> bool:
    origin = get_origin(hint)
    if origin is Literal:
        return False
    if origin in (list, dict) or hint is Any:
        return True
    if origin is not None:  # unions, tuples: mutable if a member may be
        return any(_may_be_mutable(arg) for arg in get_args(hint) if arg is not Ellipsis)
    if isinstance(hint, type):
        if hint in (list, dict):
            return True
        return is_dataclass(hint) and not hint.__dataclass_params__.frozen  # type: ignore[attr-defined]
    return True  # anything unforeseen: look at the value
