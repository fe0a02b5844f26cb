"""Webhooks (OpenAPI 3.1 `webhooks`) and callbacks (an operation's `callbacks`, OpenAPI 3.0 and
3.1): the type of each request body the API sends to a receiver, for `<pkg>.webhooks` to parse.
Only JSON bodies are typed: one without (no body, or a body of another media type) has nothing to
parse and is left out.

A callback is named by its key under `callbacks` (`onEvent`), `<name> <METHOD>` when its
operation has it for several methods; `<operationId> <name>` (else `<METHOD> <path> <name>`) when
several operations have one of that name or a webhook has it; a key still repeated (several URL
expressions of one callback) is numbered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .. import naming
from ..spec.methods import path_operations
from ..spec.param_media import is_json_media
from .nodes import JSON_OBJECT, WebhookDef, as_object
from .operations import deref
from .schemas import SchemaConverter, escape

#: the module the webhooks' inline payload types live in
TYPES_MODULE = "types.webhooks"


_Found = tuple[str, str, str, Any, str]  # name, method, schema pointer, schema, summary


def _bodies(document: Mapping[str, Any], name: str, item: Any, base: str) -> list[_Found]:
    """The JSON request bodies of a path item the API sends (`base`: its JSON pointer)."""
    found: list[_Found] = []
    if not isinstance(item, JSON_OBJECT):
        return found
    for method, where, op in path_operations(item):
        body = deref(document, op.get("requestBody"))
        content = as_object(as_object(body).get("content"))
        media = next((str(m) for m in content if is_json_media(str(m))), None)
        if media is None:
            continue
        schema = as_object(content[media]).get("schema", {})
        ptr = f"{base}/{where}/requestBody/content/{escape(media)}/schema"
        text = op.get("summary") or op.get("description") or as_object(body).get("description")
        found.append((name, method, ptr, schema, str(text or "").strip()))
    return found


def _located(raw: Any, pointer: str) -> str:
    """Where a possibly `$ref`ed object is: its local `$ref`'s target, else `pointer`."""
    ref = raw.get("$ref") if isinstance(raw, JSON_OBJECT) else None
    return ref if isinstance(ref, str) and ref.startswith("#/") else pointer


def _callbacks(document: Mapping[str, Any]) -> list[tuple[str, _Found]]:
    """(the sending operation's label, body) for every callback body, in spec order."""
    out: list[tuple[str, _Found]] = []
    for path, raw_item in as_object(document.get("paths")).items():
        item = deref(document, raw_item)
        if not isinstance(item, JSON_OBJECT) or not str(path).startswith("/"):
            continue  # no operation sends them (operations.collect)
        for method, where, op in path_operations(item):
            label = str(op.get("operationId") or f"{method.upper()} {path}")
            op_ptr = f"#/paths/{escape(str(path))}/{where}"
            for name, raw_cb in as_object(op.get("callbacks")).items():
                cb_ptr = _located(raw_cb, f"{op_ptr}/callbacks/{escape(str(name))}")
                for expression, raw in as_object(deref(document, raw_cb)).items():
                    base = _located(raw, f"{cb_ptr}/{escape(str(expression))}")
                    for body in _bodies(document, str(name), deref(document, raw), base):
                        out.append((label, body))
    return out


def build_webhooks(document: Mapping[str, Any], schemas: SchemaConverter) -> list[WebhookDef]:
    found: list[_Found] = []
    for name, raw in as_object(document.get("webhooks")).items():
        base = _located(raw, f"#/webhooks/{escape(str(name))}")
        found += _bodies(document, str(name), deref(document, raw), base)
    # one function per webhook; a webhook with bodies for several methods gets one each
    several = {n for n, *_ in found if sum(1 for other, *_ in found if other == n) > 1}
    keys = [f"{name} {method.upper()}" if name in several else name for name, method, *_ in found]
    senders = [""] * len(found)
    callbacks = _callbacks(document)
    senders_of: dict[str, set[str]] = {}
    per_sender = Counter((label, entry[0]) for label, entry in callbacks)
    for label, entry in callbacks:
        senders_of.setdefault(entry[0], set()).add(label)
    webhook_keys = set(keys)
    for label, entry in callbacks:
        name, method = entry[0], entry[1]
        key = name if len(senders_of[name]) == 1 and name not in webhook_keys else f"{label} {name}"
        if per_sender[(label, name)] > 1:  # one operation's callback, for several methods
            key = f"{key} {method.upper()}"
        keys.append(key)
        senders.append(label)
        found.append(entry)
    keys = _distinct(keys)
    names = _function_names(keys)
    hooks: list[WebhookDef] = []
    for (name, method, ptr, schema, summary), key, sender in zip(found, keys, senders, strict=True):
        hint = [naming.class_name(f"{key} {'callback' if sender else 'webhook'}"), "Payload"]
        payload = schemas.convert(schema, ptr, hint, TYPES_MODULE)
        hooks.append(WebhookDef(name, method, key, names[key], payload, summary, ptr, sender))
    return hooks


def _distinct(keys: list[str]) -> list[str]:
    """`keys` with a repeated one numbered (` 2`, ` 3`...): one callback's several URL
    expressions may send the same method."""
    seen: set[str] = set()
    out: list[str] = []
    for key in keys:
        unique, n = key, 1
        while unique in seen:
            n += 1
            unique = f"{key} {n}"
        seen.add(unique)
        out.append(unique)
    return out


def _function_names(wanted: list[str]) -> dict[str, str]:
    """Distinct function names (`newPet` -> `new_pet`); `WEBHOOKS` and private names are the
    module's own."""
    names = naming.unique_names(wanted)
    return {w: (n + "_" if n.upper() == "WEBHOOKS" else n) for w, n in names.items()}
