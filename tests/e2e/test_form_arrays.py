"""A form body's array of scalars follows OpenAPI's default Encoding: repeated keys.

`application/x-www-form-urlencoded` without an `encoding` entry means `style: form, explode:
true`, so `ids=[1, 2]` is `ids=1&ids=2`. The runtime sent every field without one Stripe-style
(`ids[]=1&ids[]=2`), which Twilio (whose spec declares no encoding) reads as another field:
Prism refused `CreateTollfreeVerification` for a missing `UseCaseCategories` (a Prism sweep of
corpus2, 2026-12-05). Objects keep the bracketed spelling (OpenAPI's default would drop their
name), as do fields the spec declares `deepObject` (Stripe) and `extra_body`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from tests.builds import build_into, on_path

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Forms", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/verifications": {
            "post": {
                "operationId": "createVerification",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "Categories": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Category"},
                                    },
                                    "Ids": {"type": "array", "items": {"type": "integer"}},
                                    "Expand": {"type": "array", "items": {"type": "string"}},
                                    "Address": {
                                        "type": "object",
                                        "properties": {"city": {"type": "string"}},
                                    },
                                    "Lines": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {"n": {"type": "integer"}},
                                        },
                                    },
                                },
                            },
                            "encoding": {"Expand": {"style": "deepObject", "explode": True}},
                        }
                    }
                },
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
    "components": {"schemas": {"Category": {"type": "string", "enum": ["A", "B"]}}},
}


def _form_sent(tmp_path: Path, document: dict[str, Any], **arguments: Any) -> list[tuple[str, str]]:
    """The form pairs `verifications.create(**arguments)` sends, through a client of
    `document` built into `tmp_path`."""
    spec = tmp_path / "forms.json"
    spec.write_text(json.dumps(document))
    build_into(spec, tmp_path / "out", name="forms")
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    with on_path(tmp_path / "out", "forms") as forms:
        client = forms.Client(http_client=httpx.Client(transport=httpx.MockTransport(record)))
        client.verifications.create(**arguments)
    return parse_qsl(sent[0].content.decode())


def test_scalar_arrays_are_repeated_keys_and_the_rest_keeps_brackets(tmp_path: Path) -> None:
    assert _form_sent(
        tmp_path,
        SPEC,
        categories=["A", "B"],
        ids=[1, 2],
        expand=["x"],
        address={"city": "Oslo"},
        lines=[{"n": 1}],
        extra_body={"More": ["m"]},
    ) == [
        ("Categories", "A"),
        ("Categories", "B"),
        ("Ids", "1"),
        ("Ids", "2"),
        ("Expand[]", "x"),  # declared deepObject (Stripe's way)
        ("Address[city]", "Oslo"),
        ("Lines[0][n]", "1"),
        ("More[]", "m"),  # undeclared: the bracketed convention
    ]


def test_an_encoding_entry_without_style_or_explode_keeps_the_default(tmp_path: Path) -> None:
    """A helper's serialization sweep: an array field whose `encoding` entry named only a
    `contentType`, `allowReserved` or `headers` went out bracketed (`ids[]=1&ids[]=2`), not
    as the Encoding Object's own defaults (`style: form`, `explode: true`) say."""
    document = json.loads(json.dumps(SPEC))
    media = document["paths"]["/verifications"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"
    ]
    media["encoding"] = {
        "Ids": {"contentType": "text/plain"},
        "Expand": {"allowReserved": True},
        "Categories": {"headers": {"X-A": {"schema": {"type": "string"}}}},
    }
    sent = _form_sent(tmp_path, document, ids=[1, 2], expand=["x"], categories=["A"])
    assert sent == [
        ("Categories", "A"),
        ("Ids", "1"),
        ("Ids", "2"),
        ("Expand", "x"),
    ]
