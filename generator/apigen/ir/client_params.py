"""Parameters the client takes once: AutoRest's global parameters (Azure's `subscriptionId`,
`api-version`).

In an AutoRest document (Azure's specs, and any spec using its `x-ms-*` extensions) a parameter
defined under `parameters` (Swagger 2.0) or `components/parameters` and referenced by operations
is a *client* parameter unless it says `x-ms-parameter-location: method`: Azure's own SDKs take
`subscription_id` in the client's constructor and `api-version` as a constant, so no call asks for
them. Here the client takes each once as a keyword argument (`Client(subscription_id=...)`), a
call may still pass its own, and `api-version` defaults to the document's `info.version` (the
version the spec describes), as AutoRest's does. Any document may ask for it per parameter with
`x-ms-parameter-location: client`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .. import naming
from .nodes import (
    JSON_OBJECT,
    ClientParamDef,
    OperationDef,
    as_object,
)
from .operations import declared_parameters, deref
from .schemas import resolve_pointer

_PREFIXES = ("#/components/parameters/", "#/parameters/")
_LOCATION = "x-ms-parameter-location"


def assign(
    document: Mapping[str, Any], ops: list[OperationDef], taken: set[str]
) -> list[ClientParamDef]:
    """Mark the operations' client parameters (`ParamDef.client`, no longer required of a call)
    and return them, one per keyword, in the order first met. `taken`: the client's other
    keyword arguments (credentials, server variables), which a parameter must not shadow; such
    a parameter, or one whose keyword means two different parameters, stays the method's."""
    autorest = _is_autorest(document)
    found: dict[str, ClientParamDef] = {}
    refused: set[str] = set()
    used = set(naming.CLIENT_KEYWORDS) | taken
    marks: list[tuple[OperationDef, int]] = []
    for op in ops:
        wanted = _client_entries(document, op, autorest)
        for i, p in enumerate(op.params):
            target = wanted.get((p.wire_name, p.location))
            if target is None or p.location not in ("path", "query", "header"):
                continue
            key = p.py_name
            if key in used or key.rstrip("_") in used or key in refused:
                continue
            known = found.get(key)
            if known is None:
                found[key] = ClientParamDef(
                    key,
                    p.wire_name,
                    p.location,
                    p.type,
                    _default(document, p.wire_name, target),
                    p.doc,
                    p.example,
                )
            elif (known.wire_name, known.location, known.type) != (p.wire_name, p.location, p.type):
                refused.add(key)  # two parameters under one keyword: each call says which
                del found[key]
                continue
            marks.append((op, i))
    for op, i in marks:
        p = op.params[i]
        if p.py_name in found:
            op.params[i] = replace(p, required=False, client=True)
    return list(found.values())


def _is_autorest(document: Mapping[str, Any]) -> bool:
    """Whether the document uses AutoRest's extensions (`x-ms-*`) at its root, its info, its
    operations or its parameters: its global parameters then follow AutoRest's rule."""
    if any(str(k).startswith("x-ms-") for k in (*document, *as_object(document.get("info")))):
        return True
    for item in as_object(document.get("paths")).values():
        for node in as_object(item).values():
            if isinstance(node, JSON_OBJECT) and any(str(k).startswith("x-ms-") for k in node):
                return True
    for bucket in (
        as_object(document.get("components")).get("parameters"),
        document.get("parameters"),
    ):
        for param in as_object(bucket).values():
            if isinstance(param, JSON_OBJECT) and any(str(k).startswith("x-ms-") for k in param):
                return True
    return False


def _client_entries(
    document: Mapping[str, Any], op: OperationDef, autorest: bool
) -> dict[tuple[str, str], Mapping[str, Any]]:
    """(name, in) -> the parameter, for the operation's parameters that are the client's: a
    `$ref` to a global parameter in an AutoRest document (unless it says `method`), or any
    parameter that says `x-ms-parameter-location: client` (`declared_parameters`: OpenAPI's
    override rule; the entry at its pointer tells whether it is a reference)."""
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for key, (target, pointer) in declared_parameters(document, op).items():
        where = target.get(_LOCATION)
        ref = as_object(resolve_pointer(document, pointer)).get("$ref")
        is_global = isinstance(ref, str) and ref.startswith(_PREFIXES)
        if where == "client" or (autorest and is_global and where != "method"):
            found[key] = target
    return found


def _default(
    document: Mapping[str, Any], wire_name: str, target: Mapping[str, Any]
) -> str | int | float | bool | None:
    """The keyword's default: the schema's `default` (a scalar), else for `api-version` the
    version the document describes (`info.version`), else none (the caller passes it)."""
    schema = deref(document, target.get("schema", target))  # Swagger 2.0 keeps it inline
    if isinstance(schema, JSON_OBJECT):
        value = schema.get("default")
        if isinstance(value, str | int | float | bool):
            return value
        enum = schema.get("enum")
        if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str | int | float):
            return enum[0]
    if wire_name.lower() == "api-version":
        version = as_object(document.get("info")).get("version")
        if isinstance(version, str) and version:
            return version
    return None
