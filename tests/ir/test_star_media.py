"""`*/*` content whose schema is a string is text (or octets), not JSON.

A helper's Prism sweep: Kubernetes declares 48 operations (`proxy`, `exec`, `attach`...) as
`*/*: {schema: {type: string}}`; the client asked for `application/json` and raised "Expected a
JSON body" on the text (or HTML) the API answers, with no way to read it typed. Such a
response is read as text and asked for as `*/*`; an object or array under `*/*` stays JSON."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.ir.nodes import Prim
from tests.builds import api_of


def _spec(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/proxy": {
                "get": {
                    "operationId": "proxy",
                    "responses": {
                        "200": {"description": "ok", "content": {"*/*": {"schema": schema}}}
                    },
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("schema", "kind", "python"),
    [
        ({"type": "string"}, "text", "str"),
        ({"type": "string", "format": "binary"}, "binary", "bytes"),
        # 3.1: a named text type is text (helper 209: typed bytes, HTML read as octets)
        ({"type": "string", "contentMediaType": "text/html"}, "text", "str"),
        ({"type": "string", "contentMediaType": "image/png"}, "binary", "bytes"),
    ],
)
def test_a_string_of_any_media_type_is_text_or_octets(
    schema: dict[str, Any], kind: str, python: str
) -> None:
    (op,) = api_of(_spec(schema)).operations
    (response,) = op.responses
    assert response.kind == kind and response.type == Prim(python)
    assert op.accept is None  # no JSON asked for: the runtime sends no Accept of its own


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"a": {"type": "string"}}},
        # a Spring method returning a UUID or an enum answers JSON (`"SHIPPED"`): a helper's
        # review of the first version, which read them as text, quotes and all
        {"type": "string", "format": "uuid"},
        {"type": "string", "enum": ["SHIPPED", "LOST"]},
        {"type": "string", "format": "byte"},
    ],
)
def test_an_object_or_a_typed_string_of_any_media_type_stays_json(schema: dict[str, Any]) -> None:
    (op,) = api_of(_spec(schema)).operations
    assert op.responses[0].kind == "json"


def test_text_the_server_sent_as_a_json_string_is_that_string() -> None:
    import httpx

    import apigen_runtime as rt

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/json":
            return httpx.Response(200, json="plain text")
        return httpx.Response(200, text='"quoted" text', headers={"content-type": "text/plain"})

    client = rt.SyncAPIClient(
        base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    for path, expected in (("/json", "plain text"), ("/text", '"quoted" text')):
        operation: rt.Operation[str] = rt.Operation(
            method="get", path=path, responses={"200": rt.Response(str, "text")}
        )
        assert client.request(operation, {}) == expected
