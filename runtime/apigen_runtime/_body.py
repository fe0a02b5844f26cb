"""Request bodies by media type: JSON, Stripe-style urlencoded forms, multipart, raw bytes.

Everything is encoded to bytes once per call, so retries resend identical content.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import unquote

import httpx

from ._operation import Encoding
from ._params import deep_pairs, encode_query, jsonable, quoter, scalar

__all__ = ["encode_body", "is_json"]


def is_json(media_type: str) -> bool:
    media = media_type.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith(("+json", "/json"))


def encode_body(
    media_type: str, value: Any, encoding: Mapping[str, Encoding] | None
) -> tuple[bytes, str | None]:
    """Return ``(content, content_type)`` for ``value`` sent as ``media_type``."""
    media = media_type.split(";")[0].strip().lower()
    encoding = encoding or {}
    if is_json(media):
        return _json(jsonable(value)), media_type
    if media == "application/x-www-form-urlencoded":
        return _form(_mapping(value, media), encoding), media_type
    if media.startswith("multipart/"):
        return _multipart(_mapping(value, media), encoding)
    return _raw(value), "application/octet-stream" if "*" in media else media_type


def _json(value: Any) -> bytes:
    return json.dumps(
        value, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_json_text
    ).encode()


def _json_text(value: Any) -> str:
    """Bytes inside JSON (a ``format: binary`` string property) go as their UTF-8 text, as they
    do in queries and forms; JSON has no spelling for other bytes (``format: byte`` is base64)."""
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise TypeError(
                "bytes in a JSON body must be UTF-8 text: JSON cannot carry other octets "
                "(send a base64 string for `format: byte`, or upload the file as multipart)"
            ) from None
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _mapping(value: Any, media: str) -> Mapping[str, Any]:
    value = jsonable(value) if not isinstance(value, Mapping) else value
    if not isinstance(value, Mapping):
        raise TypeError(f"a {media} body must be an object, got {type(value).__name__}")
    return value


def _form(fields: Mapping[str, Any], encoding: Mapping[str, Encoding]) -> bytes:
    q = quoter(plus=True)
    parts: list[str] = []
    for name, raw in fields.items():
        value = jsonable(raw)
        enc = encoding.get(name)
        if enc is not None and enc.content_type and is_json(enc.content_type):
            parts.append(f"{q(name)}={q(_json(value).decode())}")
            continue
        custom = enc is not None and (enc.style is not None or enc.explode is not None)
        style = (enc.style or "form") if enc is not None and custom else "deepObject"
        parts += encode_query(name, value, style, enc.explode if enc else None, q)
    return "&".join(parts).encode()


def _is_file(value: Any) -> bool:
    if isinstance(value, tuple):
        return 2 <= len(value) <= 3 and isinstance(value[0], str | None)
    return isinstance(value, bytes | bytearray | PurePath) or hasattr(value, "read")


def _read(value: Any) -> bytes:
    if isinstance(value, PurePath):
        return Path(value).read_bytes()
    data = value.read() if hasattr(value, "read") else value
    return data.encode() if isinstance(data, str) else bytes(data)


def _file(value: Any, content_type: str | None) -> tuple[str | None, bytes, str | None]:
    if isinstance(value, tuple):
        return value[0], _read(value[1]), value[2] if len(value) == 3 else content_type
    name = getattr(value, "name", None)
    filename = os.path.basename(str(name)) if isinstance(name, str | PurePath) else "upload"
    return filename, _read(value), content_type


def _multipart(
    fields: Mapping[str, Any], encoding: Mapping[str, Encoding]
) -> tuple[bytes, str | None]:
    parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = []
    for name, value in fields.items():
        if value is None:
            continue
        enc = encoding.get(name)
        content_type = enc.content_type if enc else None
        is_file_list = isinstance(value, list) and value and all(_is_file(v) for v in value)
        data = None if _is_file(value) or is_file_list else jsonable(value)
        if isinstance(data, dict | list) and enc and (enc.style or enc.explode is not None):
            # OpenAPI 3.1: an explicit style serialises the value as in a form, one part per
            # pair (Stripe's ``file_link_data[create]=true``).
            for key, pair_value in styled_pairs(name, data, enc.style or "form", enc.explode):
                parts.append((key, (None, pair_value.encode(), content_type)))
            continue
        for item in value if is_file_list else [value]:
            if _is_file(item):
                parts.append((name, _file(item, content_type)))
                continue
            data = jsonable(item)
            text = _json(data) if isinstance(data, dict | list) else scalar(data).encode()
            parts.append((name, (None, text, content_type)))
    if not parts:
        return b"", None
    request = httpx.Request("POST", "http://multipart.invalid", files=parts)
    return request.read(), request.headers["content-type"]


def styled_pairs(
    name: str, value: dict[str, Any] | list[Any], style: str, explode: bool | None
) -> list[tuple[str, str]]:
    """Unencoded ``(name, value)`` pairs of a form-style serialisation (multipart parts)."""
    if style == "deepObject":
        return [(unquote(k), v) for k, v in deep_pairs(name, value)]
    items: list[Any] = list(value.items()) if isinstance(value, dict) else list(value)
    if explode if explode is not None else style == "form":
        if isinstance(value, dict):
            return [(str(k), scalar(v)) for k, v in items if v is not None]
        return [(name, scalar(v)) for v in items if v is not None]
    flat = (
        [x for k, v in items if v is not None for x in (str(k), scalar(v))]
        if isinstance(value, dict)
        else [scalar(v) for v in items if v is not None]
    )
    sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    return [(name, sep.join(flat))]


def _raw(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | str | PurePath) or hasattr(value, "read"):
        return _read(value)
    data = jsonable(value)
    return _json(data) if isinstance(data, dict | list) else scalar(data).encode()
