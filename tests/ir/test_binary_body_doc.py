"""A binary body the operation takes in several media types says how to send the others.

The method sends the first (`image/png`); the runtime sends a `FileInput` tuple's own type,
which the docstring is the only place to learn (hand-written spec, 2026-12-03)."""

from __future__ import annotations

from typing import Any

from apigen.diagnostics import Report
from apigen.ir import build_api


def _body_doc(media: list[str]) -> str:
    binary = {"schema": {"type": "string", "format": "binary"}}
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/image": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {"content": {m: binary for m in media}},
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    api = build_api(
        document,
        package="t",
        spec_file="t.yaml",
        spec_sha256="",
        report=Report(),
        reserved_client=set(),
        reserved_resource=set(),
    )
    (op,) = api.operations
    (body,) = [p for p in op.params if p.location == "body"]
    return body.doc


def test_the_other_binary_media_types_are_named_in_the_docstring() -> None:
    doc = _body_doc(["image/png", "image/jpeg", "image/webp"])
    assert "sent as image/png" in doc and "image/jpeg, image/webp" in doc
    assert "(filename, content, content_type)" in doc
    assert _body_doc(["application/octet-stream"]) == "The request body."
