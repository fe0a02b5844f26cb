"""The spec as the judge: is a response body valid for the operation's declared response?

A mock server may produce a body its own spec rejects (Prism cuts recursive schemas to `{}`).
The tests use this to tell the two cases apart: a spec-valid body must parse strictly into the
generated model (anything else is a client bug); a spec-invalid body is the server's defect,
and the client must flag it (lenient fallback with a warning) rather than hide it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]
from openapi_schema_validator import OAS30Validator, OAS31Validator

from .slicing import METHODS


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    assert isinstance(data, dict), path
    return data


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operation(document: Mapping[str, Any], operation_id: str) -> dict[str, Any]:
    for item in (document.get("paths") or {}).values():
        for method in METHODS:
            op = _deref(document, item).get(method)
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


def response_schema(document: Mapping[str, Any], operation_id: str, status: int) -> Any | None:
    """The JSON schema of the response `status` selects (exact, `2XX`, `default`), or None."""
    responses = operation(document, operation_id).get("responses") or {}
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in responses:
            content = _deref(document, responses[key]).get("content") or {}
            for media, media_object in content.items():
                if media.split(";")[0].strip().endswith(("/json", "+json")):
                    return _deref(document, media_object).get("schema")
            return None
    return None


def schema_errors(document: Mapping[str, Any], schema: Any, value: Any) -> list[str]:
    """Messages of every way `value` fails `schema` (local `$ref`s resolved in `document`)."""
    is_31 = str(document.get("openapi", "")).startswith("3.1")
    validator = OAS31Validator if is_31 else OAS30Validator
    root: dict[str, Any] = {"components": document.get("components") or {}, "allOf": [schema]}
    checker = validator(root, format_checker=validator.FORMAT_CHECKER)
    return [
        f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {_message(e.validator, e.message)}"
        for e in checker.iter_errors(value)
    ]


def _message(keyword: Any, message: str) -> str:
    """jsonschema's message without the (possibly huge) instance it starts with."""
    for tail in (" is valid under each of ", " is not valid under any of ", " does not contain "):
        if tail in message:
            return f"{keyword}: the value{tail}{message.rsplit(tail, 1)[1][:160]}"
    return message if len(message) <= 200 else f"{keyword}: ...{message[-160:]}"


def body_errors(
    document: Mapping[str, Any], operation_id: str, status: int, body: bytes
) -> list[str] | None:
    """None when the response has no JSON schema to check; else the schema errors of `body`."""
    schema = response_schema(document, operation_id, status)
    if schema is None:
        return None
    return schema_errors(document, schema, json.loads(body))
