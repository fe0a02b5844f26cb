"""Operation -> canned HTTP response: status, headers and encoded body.

Picks the status a client expects on success (lowest 2xx, else `default` as 200, else the
lowest declared code), the media type it most likely parses (the request's Accept if offered,
else JSON), and a body from the spec's own examples before falling back to synthesis.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from ._examples import ExampleGenerator
from ._forms import encode_form
from ._refs import RefError, escape_token
from ._schema import is_missing, json_data

_NO_BODY = frozenset({204, 205, 304})
_SKIPPED_HEADERS = frozenset({"content-type", "content-length", "transfer-encoding", "connection"})


@dataclass(frozen=True)
class Reply:
    """A complete response; `headers` never holds Content-Length (the server adds it)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


def status_key(responses: Mapping[str, Any], status: int | None = None) -> tuple[str, int] | None:
    """The responses key to use and the status code to send (None if nothing is declared).

    With `status` given, that exact code, its `NXX` range or `default` is looked up instead.
    """
    keys = {str(k): k for k in responses}
    if status is not None:
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            for candidate in (key, key.lower()):
                if candidate in keys:
                    return candidate, status
        return None
    codes = sorted((_code(k), k) for k in keys if _code(k) is not None)
    success = [(c, k) for c, k in codes if c is not None and 200 <= c < 300]
    if success:
        return success[0][1], success[0][0] or 200
    if "default" in keys:
        return "default", 200
    if codes:
        return codes[0][1], codes[0][0] or 200
    return None


def _code(key: str) -> int | None:
    if key.isdigit():
        return int(key)
    if len(key) == 3 and key[0].isdigit() and key[1:].upper() == "XX":
        return int(key[0]) * 100
    return None


def choose_media(content: Mapping[str, Any], accept: str | None) -> str | None:
    """The media type to answer with: one the client asked for, else JSON, else the first."""
    types = [str(t) for t in content]
    if not types:
        return None
    if accept:
        for wanted in (part.split(";")[0].strip().lower() for part in accept.split(",")):
            for media in types:
                if media.split(";")[0].strip().lower() == wanted:
                    return media
    for media in types:
        if media.split(";")[0].strip().lower() == "application/json":
            return media
    for media in types:
        if is_json(media):
            return media
    return types[0]


def is_json(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base.endswith("/json") or base.endswith("+json") or base == "*/*"


class Responder:
    """Builds `Reply`s for the operations of one document (see module docstring)."""

    def __init__(self, generator: ExampleGenerator) -> None:
        self.generator = generator
        self.resolver = generator.resolver

    def reply(
        self,
        operation: Mapping[str, Any],
        pointer: str,
        *,
        status: int | None = None,
        accept: str | None = None,
    ) -> Reply | None:
        """The response for `operation` (at JSON pointer `pointer`); None if `status` is undeclared."""
        # YAML reads unquoted status codes as ints: look responses up by their text
        responses = {str(k): v for k, v in self._resolve(operation.get("responses")).items()}
        picked = status_key(responses, status)
        if picked is None:
            return None if status is not None else Reply(204)
        key, code = picked
        response = self._resolve(responses[key])
        where = f"{pointer}/responses/{escape_token(key)}"
        headers = self._headers(response, where)
        content = response.get("content")
        if code in _NO_BODY or code < 200 or not isinstance(content, Mapping) or not content:
            return Reply(code, headers)
        media = choose_media(content, accept)
        if media is None:
            return Reply(code, headers)
        media_object = self._resolve(content[media])
        value = self._value(media_object, f"{where}/content/{escape_token(media)}")
        content_type, body = self._encode(media, media_object, value, where)
        headers["Content-Type"] = content_type
        return Reply(code, headers, body)

    def _resolve(self, node: Any) -> Mapping[str, Any]:
        try:
            target, _ = self.resolver.resolve(node)
        except RefError:
            return {}
        return target if isinstance(target, Mapping) else {}

    def _value(self, media_object: Mapping[str, Any], where: str) -> Any:
        """The media type's `example`, else the first `examples` entry, else synthesized.

        Spec examples that contradict their own schema (a fifth of GitHub's: missing required
        fields, null where not nullable) are skipped, since typed clients would reject them.
        """
        schema = media_object.get("schema")
        candidates: list[Any] = []
        if "example" in media_object:
            candidates.append(media_object["example"])
        examples = media_object.get("examples")
        if isinstance(examples, Mapping):
            for example in examples.values():
                resolved = self._resolve(example)
                if "value" in resolved:
                    candidates.append(resolved["value"])
        for candidate in candidates:
            data = json_data(candidate)
            if not is_missing(data) and (schema is None or self.generator.fits(data, schema)):
                return data
        if schema is None:
            return None
        return self.generator.generate(schema, key=f"{where}/schema")

    def _headers(self, response: Mapping[str, Any], where: str) -> dict[str, str]:
        """Declared response headers (e.g. GitHub's Link), so clients reading them get values."""
        out: dict[str, str] = {}
        declared = response.get("headers")
        for name, raw in declared.items() if isinstance(declared, Mapping) else ():
            header = self._resolve(raw)
            if str(name).lower() in _SKIPPED_HEADERS or not header:
                continue
            value = self._value(header, f"{where}/headers/{escape_token(str(name))}")
            if value is None:
                continue
            text = value if isinstance(value, str) else json.dumps(value)
            out[str(name)] = " ".join(text.split())  # header values cannot carry newlines
        return out

    def _encode(
        self, media: str, media_object: Mapping[str, Any], value: Any, where: str
    ) -> tuple[str, bytes]:
        base = media.split(";")[0].strip().lower()
        if "*" in base:
            binary = _is_binary(self._resolve(media_object.get("schema")))
            media = base = "application/octet-stream" if binary else "application/json"
        if is_json(base):
            return media, json.dumps(value, ensure_ascii=False).encode()
        if base.endswith("/xml") or base.endswith("+xml"):
            schema = self._resolve(media_object.get("schema"))
            xml = schema.get("xml")
            root = str(xml.get("name")) if isinstance(xml, Mapping) and xml.get("name") else "root"
            return media, ('<?xml version="1.0" encoding="UTF-8"?>' + _to_xml(root, value)).encode()
        if base == "application/x-www-form-urlencoded":
            return media, encode_form(
                value if isinstance(value, Mapping) else {"value": value}
            ).encode()
        if base.startswith("text/") or base in ("application/yaml", "application/x-yaml"):
            text = value if isinstance(value, str) else "" if value is None else json.dumps(value)
            return (media if "charset" in media else f"{media}; charset=utf-8"), text.encode()
        if "example" in media_object and isinstance(value, str):
            return media, value.encode()
        return media, self.generator.random_bytes(where)


def _is_binary(schema: Mapping[str, Any]) -> bool:
    return (
        schema.get("type") == "string" and schema.get("format") in ("binary", "byte")
    ) or not schema


def _to_xml(tag: str, value: Any) -> str:
    """Plain element-per-property XML; enough for clients that only check they got XML."""
    if isinstance(value, Mapping):
        inner = "".join(_to_xml(str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        inner = "".join(_to_xml("item", v) for v in value)
    elif value is None:
        return f"<{tag}/>"
    else:
        inner = escape("true" if value is True else "false" if value is False else str(value))
    return f"<{tag}>{inner}</{tag}>"
