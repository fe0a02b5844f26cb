"""OpenAPI 3.1 spells octets as `contentMediaType` on a string, not `format: binary`.

A multipart part or a raw body so declared is a file (`FileInput`), as 3.0's `format: binary`
is; `contentEncoding: base64` makes it text again (hand-written spec, 2026-12-05: a 3.1
upload's `files` was typed `list[str]`)."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.ir.nodes import ListOf, Prim
from tests.builds import api_of


def _params(media: str, schema: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {"required": True, "content": {media: {"schema": schema}}},
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    api = api_of(document)
    (op,) = api.operations
    return {p.py_name: p.type for p in op.params}


_PNG = {"type": "string", "contentMediaType": "image/png"}


def test_multipart_parts_with_a_content_media_type_are_files() -> None:
    schema = {
        "type": "object",
        "properties": {
            "photo": _PNG,
            "untyped": {"contentMediaType": "application/pdf"},
            "pages": {"type": "array", "items": _PNG},
            "encoded": {**_PNG, "contentEncoding": "base64"},
            "note": {"type": "string"},
        },
    }
    types = _params("multipart/form-data", schema)
    assert types["photo"] == Prim("file")
    assert types["untyped"] == Prim("file")
    assert types["pages"] == ListOf(Prim("file"))
    assert types["encoded"] == Prim("str")
    assert types["note"] == Prim("str")


@pytest.mark.parametrize("media", ["application/octet-stream", "image/png"])
def test_a_raw_body_with_a_content_media_type_is_a_file(media: str) -> None:
    assert _params(media, _PNG) == {"body": Prim("file")}


def test_a_part_s_content_media_type_is_its_type_unless_the_encoding_names_one() -> None:
    """A helper's sweep: `doc: {type: string, contentMediaType: application/pdf}` went out as
    `application/octet-stream`; the encoding's `contentType`, when given, still wins."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "doc": {"contentMediaType": "application/pdf"},
                                        "pages": {"type": "array", "items": _PNG},
                                        "given": _PNG,
                                    },
                                },
                                "encoding": {"given": {"contentType": "image/webp"}},
                            }
                        },
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    (op,) = api_of(document).operations
    assert op.body is not None
    types = {name: enc[2] for name, enc in op.body.encoding.items()}
    assert types == {"doc": "application/pdf", "pages": "image/png", "given": "image/webp"}
