"""Request bodies by media type: JSON, Stripe-style urlencoded forms, multipart, raw bytes.

Everything is encoded to bytes once per call, so retries resend identical content.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

import httpx

from ._operation import Encoding
from ._params import encode_query, jsonable, quoter, scalar

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
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


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


def _raw(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | str | PurePath) or hasattr(value, "read"):
        return _read(value)
    data = jsonable(value)
    return _json(data) if isinstance(data, dict | list) else scalar(data).encode()
