"""A case (values by wire name and location) onto the keyword arguments of the generated method.

The method's `_rt.Operation` constant says where each argument goes: `Param(py_name, wire_name,
location)` with location path / query / header / cookie, `field` (one property of the request
body) or `body` (the whole body). Values are converted to the method's annotated types the way a
user would pass them (a `dict` into the model, a string into `datetime`, ...) with pydantic, so a
spec-valid value the annotation refuses is found as a client failure.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import inspect
import re
import sys
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pydantic
import typing_extensions

from .cases import MISSING, CaseInput

if TYPE_CHECKING:
    from apigen_runtime import Operation

__all__ = ["Call", "MappingError", "to_call"]


class MappingError(Exception):
    """A spec-valid value that the method's argument type refuses (a client failure)."""

    def __init__(
        self, message: str, name: str, value: Any, loc: tuple[str | int, ...] = ()
    ) -> None:
        super().__init__(message)
        self.name = name
        self.value = value
        self.loc = loc  # where in `value` the type refused it (wire names, list indexes)


@dataclass
class Call:
    kwargs: dict[str, Any]
    dropped: list[str] = field(default_factory=list)  # body properties with no argument

    def python(self, call: str, asynchronous: bool = False) -> str:
        args = ", ".join(f"{k}={_repr(v)}" for k, v in self.kwargs.items())
        prefix = "await client." if asynchronous else "client."
        return f"{prefix}{call}({args})"


def _repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


_LOCATIONS = {"path": "path", "query": "query", "header": "headers", "cookie": "cookies"}


def _find(container: Mapping[str, Any], name: str) -> Any:
    if name in container:
        return container[name]
    lowered = name.lower()
    for key, value in container.items():
        if key.lower() == lowered:
            return value
    return MISSING


def raw_values(case: CaseInput, op: Operation[Any]) -> tuple[dict[str, Any], list[str]]:
    """Case values by python name, still JSON-shaped; and the body properties left over."""
    values: dict[str, Any] = {}
    used_fields: set[str] = set()
    body = case.body
    for p in op.params:
        if p.location in _LOCATIONS:
            container = getattr(case, _LOCATIONS[p.location])
            if p.location == "header":
                value = _find(container, p.wire_name)
            else:
                value = container.get(p.wire_name, MISSING)
        elif p.location == "field":
            value = body.get(p.wire_name, MISSING) if isinstance(body, Mapping) else MISSING
            used_fields.add(p.wire_name)
        else:  # whole body
            value = body
            used_fields = {"*"}
        if value is not MISSING:
            values[p.py_name] = value
    dropped: list[str] = []
    if isinstance(body, Mapping) and "*" not in used_fields:
        dropped = [k for k in body if k not in used_fields]
    return values, dropped


def _hints(method: Callable[..., Any]) -> dict[str, Any]:
    """Annotations of `method`, each resolved on its own (an unresolvable one is left out)."""
    func = getattr(method, "__func__", method)
    # a deprecated method is the runtime's wrapper: the annotations, and the globals that
    # resolve them (`_uuid`, `_dt`), are the generated function's (`__wrapped__`)
    return _resolved(inspect.unwrap(func))


@functools.cache
def _resolved(func: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    namespace = dict(getattr(func, "__globals__", {}))
    for name, value in _type_checking_names(getattr(func, "__module__", None)).items():
        namespace.setdefault(name, value)
    for name, annotation in getattr(func, "__annotations__", {}).items():
        if name == "return":
            continue
        try:
            hint = eval(annotation, namespace) if isinstance(annotation, str) else annotation
        except Exception:
            continue
        args = [a for a in typing.get_args(hint) if not _is_not_given(a)]
        if typing.get_origin(hint) in (typing.Union, _UnionType) and len(args) < len(
            typing.get_args(hint)
        ):
            hint = args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
        out[name] = _models_only(hint)
    return out


def _twin_in(member: Any, members: tuple[Any, ...]) -> bool:
    """Whether `member` is the TypedDict twin of another of `members` (`UserParam`,
    `UserParam2` beside `User`); a request TypedDict of its own (`{url}` beside `A`) is not."""
    if not typing_extensions.is_typeddict(member):
        return False
    name = member.__name__
    return any(
        isinstance(other, type)
        and other is not member
        and re.fullmatch(re.escape(other.__name__) + r"Param\d*", name) is not None
        for other in members
    )


def _models_only(hint: Any) -> Any:
    """`hint` without the TypedDict twins of its models (`User | UserParam`: `User`): drawn
    data becomes the models, as before the twins; and a twin's keys name models for type
    checkers only, which pydantic cannot resolve ("not fully defined")."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if not args:
        return hint
    if origin in (typing.Union, _UnionType):
        kept = [_models_only(a) for a in args if not _twin_in(a, args)]
        if not kept or kept == list(args):
            return hint
        return kept[0] if len(kept) == 1 else typing.Union[tuple(kept)]  # noqa: UP007
    if origin is typing.Annotated:
        return hint
    inner = tuple(_models_only(a) for a in args)
    if inner == args:
        return hint
    try:
        return hint.copy_with(inner) if hasattr(hint, "copy_with") else origin[inner]
    except TypeError:
        return hint


@functools.cache
def _type_checking_names(module_name: str | None) -> dict[str, Any]:
    """The names a generated module imports under `if TYPE_CHECKING:` only (the models and
    types its annotations name, loaded lazily at run time: decisions §23), imported now: without
    them an annotation naming a model does not resolve and its dict went to the call
    unconverted (158 of Stream's 1,056 arguments)."""
    module = sys.modules.get(module_name or "")
    try:
        source = inspect.getsource(module) if module is not None else ""
    except (OSError, TypeError):
        return {}
    found: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.If) and _is_type_checking(node.test)):
            continue
        for stmt in node.body:
            if not isinstance(stmt, ast.ImportFrom) or stmt.module is None:
                continue
            try:
                imported = importlib.import_module(
                    "." * stmt.level + stmt.module, getattr(module, "__package__", None)
                )
            except ImportError:
                continue
            for alias in stmt.names:
                if alias.name != "*" and hasattr(imported, alias.name):
                    found[alias.asname or alias.name] = getattr(imported, alias.name)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


_UnionType = type(int | str)


def _is_not_given(hint: Any) -> bool:
    """The runtime's `NotGiven` sentinel type, from whichever runtime the client runs on."""
    return isinstance(hint, type) and hint.__name__ == "NotGiven" and "_runtime" in hint.__module__


@functools.cache
def _adapter(hint: Any) -> pydantic.TypeAdapter[Any] | None:
    try:
        return pydantic.TypeAdapter(hint)
    except Exception:  # e.g. IO[bytes] in a file argument: passed as is
        return None


def _has_bytes(value: Any) -> bool:
    if isinstance(value, bytes):
        return True
    if isinstance(value, Mapping):
        return any(_has_bytes(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bytes(v) for v in value)
    return False


def to_call(case: CaseInput, op: Operation[Any], method: Callable[..., Any]) -> Call:
    values, dropped = raw_values(case, op)
    hints = _hints(method)
    kwargs: dict[str, Any] = {}
    # parameters outside the body: schemathesis draws a boolean there as its wire text
    textual = {p.py_name for p in op.params if p.location in _LOCATIONS}
    for name, value in values.items():
        hint = hints.get(name)
        if hint is None or name in case.raw_values or _has_bytes(value):
            kwargs[name] = value
            continue
        adapter = _adapter(hint)
        if adapter is None:
            kwargs[name] = value
            continue
        try:
            # drawn wire data: its keys are wire names only (`first_name` beside `firstName`
            # is another property, not the field)
            kwargs[name] = _keep_undeclared(value, adapter.validate_python(value, by_name=False))
        except pydantic.PydanticUserError:
            # a type pydantic cannot complete (a request TypedDict naming a twin whose keys name
            # models imported for type checkers only): the drawn dict is what the user passes
            kwargs[name] = value
        except pydantic.ValidationError as exc:
            if name in textual and isinstance(value, str) and value in _BOOLEAN_TEXT:
                # `Literal[True]` (`enum: [true]`) takes no 'true': pydantic reads text as a
                # boolean for `bool` only. The text is the boolean the user passes.
                with contextlib.suppress(pydantic.ValidationError):
                    kwargs[name] = adapter.validate_python(_BOOLEAN_TEXT[value])
                    continue
            if name in textual and _has_null_text(value):
                # schemathesis spells a null the schema allows as 'null' outside the body: the
                # user passes None (which the wire check then finds no spelling for)
                with contextlib.suppress(pydantic.ValidationError):
                    kwargs[name] = adapter.validate_python(_null_for_text(value))
                    continue
            first = exc.errors(include_url=False)[0]
            where = ".".join(map(str, first["loc"]))
            raise MappingError(
                f"argument {name}={_repr(value)} is valid for the spec but its type "
                f"{_type_name(hint)} refuses it ({where or '<value>'}: {first['msg']})",
                name,
                value,
                tuple(first["loc"]),
            ) from None
    key = _find(case.headers, op.idempotency_header) if op.idempotency_header else MISSING
    field = getattr(op, "idempotency_field", None)  # (a client of an older runtime: None)
    body_key = (
        case.body.get(field, MISSING) if field and isinstance(case.body, Mapping) else MISSING
    )
    option = _parameters(method).get("idempotency_key")
    takes_none = option is not None and "None" in str(option.annotation)
    if isinstance(body_key, str) or (body_key is None and takes_none):
        key = body_key  # (a body property the option fills, sent as given: "" and null too)
        dropped = [k for k in dropped if k != field]
    if (isinstance(key, str) or (key is None and takes_none)) and option is not None:
        # the spec's idempotency-key header or body property has no argument of its own: the
        # option sends it
        kwargs["idempotency_key"] = key
    if dropped and isinstance(case.body, Mapping) and "extra_body" in _parameters(method):
        # Body properties no argument carries (undeclared ones the schema allows, or required
        # without a definition): a user sends them through `extra_body`, so the case does too.
        kwargs["extra_body"] = {k: case.body[k] for k in dropped}
    return Call(kwargs, dropped)


_BOOLEAN_TEXT = {"true": True, "false": False}


def _has_null_text(value: Any) -> bool:
    if isinstance(value, list):
        return any(_has_null_text(v) for v in value)
    if isinstance(value, dict):  # a JSON parameter's members too (Stream's `payload.sort`)
        return any(_has_null_text(v) for v in value.values())
    return isinstance(value, str) and value == "null"


def _null_for_text(value: Any) -> Any:
    """'null' (alone, as an array item or a JSON parameter's member) read as the null it
    spells."""
    if isinstance(value, list):
        return [_null_for_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _null_for_text(v) for k, v in value.items()}
    return None if value == "null" else value


def _parameters(method: Callable[..., Any]) -> Mapping[str, Any]:
    try:
        return inspect.signature(method).parameters
    except (TypeError, ValueError):
        return {}


def _keep_undeclared(given: Any, converted: Any) -> Any:
    """`converted` with the keys of `given` that validation dropped put back, recursively.

    pydantic validates a `TypedDict` by leaving out the keys it does not declare, but a user's
    dict reaches the wire as it is: a property the schema allows without declaring it (no
    `additionalProperties: false`) must not be lost on the way to the call."""
    if isinstance(given, Mapping) and isinstance(converted, dict):
        out = {k: _keep_undeclared(given[k], v) if k in given else v for k, v in converted.items()}
        out.update({k: v for k, v in given.items() if k not in out})
        return out
    if isinstance(given, list) and isinstance(converted, list) and len(given) == len(converted):
        return [_keep_undeclared(g, c) for g, c in zip(given, converted, strict=True)]
    return converted


def _type_name(hint: Any) -> str:
    text = getattr(hint, "__name__", None) or repr(hint)
    return text.replace("typing.", "")[:120]
