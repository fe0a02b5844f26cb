"""Webhooks (OpenAPI 3.1 `webhooks`): the type of each request body the API sends to a
receiver, for `<pkg>.webhooks` to parse. Only JSON bodies are typed: a webhook without one (no
body, or a body of another media type) has nothing to parse and is left out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import naming
from ..spec.param_media import is_json_media
from .nodes import JSON_OBJECT, WebhookDef, as_object
from .operations import deref, item_operations
from .schemas import SchemaConverter, escape

#: the module the webhooks' inline payload types live in
TYPES_MODULE = "types.webhooks"


def build_webhooks(document: Mapping[str, Any], schemas: SchemaConverter) -> list[WebhookDef]:
    found: list[tuple[str, str, str, Any, str]] = []  # name, method, pointer, schema, summary
    for name, raw in as_object(document.get("webhooks")).items():
        item = deref(document, raw)
        if not isinstance(item, JSON_OBJECT):
            continue
        for method, op in item_operations(item):
            body = deref(document, op.get("requestBody"))
            content = as_object(as_object(body).get("content"))
            media = next((str(m) for m in content if is_json_media(str(m))), None)
            if media is None:
                continue
            pointer = f"#/webhooks/{escape(str(name))}/{method}"
            schema = as_object(content[media]).get("schema", {})
            ptr = f"{pointer}/requestBody/content/{escape(media)}/schema"
            text = op.get("summary") or op.get("description") or as_object(body).get("description")
            summary = str(text or "").strip()
            found.append((str(name), method, ptr, schema, summary))
    # one function per webhook; a webhook with bodies for several methods gets one each
    several = {n for n, *_ in found if sum(1 for other, *_ in found if other == n) > 1}
    keys = [f"{name} {method.upper()}" if name in several else name for name, method, *_ in found]
    names = _function_names(keys)
    hooks: list[WebhookDef] = []
    for (name, method, ptr, schema, summary), key in zip(found, keys, strict=True):
        hint = [naming.class_name(f"{key} webhook"), "Payload"]
        payload = schemas.convert(schema, ptr, hint, TYPES_MODULE)
        hooks.append(WebhookDef(name, method, key, names[key], payload, summary, ptr))
    return hooks


def _function_names(wanted: list[str]) -> dict[str, str]:
    """Distinct function names (`newPet` -> `new_pet`); `WEBHOOKS` and private names are the
    module's own."""
    names = naming.unique_names(wanted)
    return {w: (n + "_" if n.upper() == "WEBHOOKS" else n) for w, n in names.items()}
