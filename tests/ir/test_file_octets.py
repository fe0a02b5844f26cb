"""A file is octets, base64 is text: whatever media types sit beside them.

A helper's Swagger 2.0 sweep (2026-12-07):
- `schema: {type: file}` under `produces: [application/octet-stream, text/plain]` (or
  `[application/xml]`, the root `produces` of many 2.0 specs) returned `str`: a gzip download
  came back decoded as text, its invalid bytes replaced, with no error. A file response is
  bytes when any of its media types holds a binary schema.
- a multipart field `type: string, format: byte` was typed `FileInput` and sent as a raw file
  part (`filename="upload"`); `byte` is base64 text (as JSON bodies already type it), a text
  part the caller encodes.
"""

from __future__ import annotations

from typing import Any

import pytest

from apigen.ir.nodes import ListOf, Prim
from apigen.spec.swagger2 import upgrade
from tests.builds import api_of


def _swagger(produces: list[str], schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI 3 document the loader makes of a Swagger 2.0 one."""
    return upgrade(
        {
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com",
            "schemes": ["https"],
            "paths": {
                "/export": {
                    "get": {
                        "operationId": "exportArchive",
                        "produces": produces,
                        "responses": {"200": {"description": "ok", "schema": schema}},
                    }
                }
            },
        }
    )


@pytest.mark.parametrize(
    "produces",
    [["application/octet-stream", "text/plain"], ["application/xml"], ["text/csv"]],
)
def test_a_file_response_beside_text_types_is_bytes(produces: list[str]) -> None:
    (op,) = api_of(_swagger(produces, {"type": "file"})).operations
    (response,) = op.responses
    assert response.kind == "binary" and response.type == Prim("bytes")


def test_a_string_response_of_a_text_type_stays_text() -> None:
    (op,) = api_of(_swagger(["text/plain"], {"type": "string"})).operations
    assert op.responses[0].kind == "text" and op.responses[0].type == Prim("str")


def test_a_base64_multipart_field_is_text_and_a_binary_one_a_file() -> None:
    binary = {"type": "string", "format": "binary"}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/docs": {
                "post": {
                    "operationId": "addDoc",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "file": binary,
                                        "signature": {"type": "string", "format": "byte"},
                                        "pages": {"type": "array", "items": binary},
                                        "seals": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "byte"},
                                        },
                                    },
                                }
                            }
                        }
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    (op,) = api_of(document).operations
    types = {p.wire_name: p.type for p in op.params}
    assert types["file"] == Prim("file")
    assert types["pages"] == ListOf(Prim("file"))
    assert types["signature"] == Prim("str")
    assert types["seals"] == ListOf(Prim("str"))


def test_a_text_content_media_type_stays_text() -> None:
    """A review: 3.1's `contentMediaType: text/html` on a `text/html` string counted as octets,
    and the method returned bytes."""
    for media in ("text/html", "text/csv"):
        document = {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/page": {
                    "get": {
                        "operationId": "getPage",
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    media: {"schema": {"type": "string", "contentMediaType": media}}
                                },
                            }
                        },
                    }
                }
            },
        }
        (op,) = api_of(document).operations
        assert op.responses[0].kind == "text", media
