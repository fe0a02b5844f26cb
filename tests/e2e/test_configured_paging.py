"""Pages asked for as the spec declares them: a cursor declared as a header goes as that header,
and a POST search paged by next URLs sends its body again (helper 222: page 2 went as
`?X-Page-Token=T1`, and as `POST ...?p=1` with `{}`, the search criteria lost)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.builds import build_yaml, on_path

SPEC = """
openapi: 3.0.3
info: {title: Paged, version: "1"}
servers: [{url: "https://paged.example.com/v1"}]
components:
  schemas:
    Item: {type: object, required: [id], properties: {id: {type: string}}}
    TokPage:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Item'}}
        next_token: {type: string, nullable: true}
    NextPage:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Item'}}
        next: {type: string, nullable: true}
paths:
  /items:
    get:
      operationId: listItems
      x-apigen-pagination:
        {style: body_cursor, items: data, cursor: next_token, cursor_param: X-Page-Token}
      parameters:
        - {name: X-Page-Token, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/TokPage'}}}
  /lower:
    get:
      operationId: listLower
      x-apigen-pagination:
        {style: body_cursor, items: data, cursor: next_token, cursor_param: x-page-token}
      parameters:
        - {name: X-Page-Token, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/TokPage'}}}
  /search:
    post:
      operationId: searchItems
      x-apigen-pagination: {style: next_url, items: data, next: next}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [query], properties: {query: {type: string}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/NextPage'}}}
"""


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_yaml(tmp_path_factory, "paged", SPEC)


def test_a_cursor_declared_as_a_header_is_sent_as_that_header(paged: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        token = request.headers.get("X-Page-Token")
        if token is None:
            return httpx.Response(200, json={"data": [{"id": "a"}], "next_token": "T1"})
        return httpx.Response(200, json={"data": [{"id": "b"}], "next_token": None})

    with on_path(paged, "paged") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        assert [item.id for item in client.items.list()] == ["a", "b"]
        # named in another case than declared (helper 226): header names are case-insensitive
        assert [item.id for item in client.lower.list()] == ["a", "b"]
    assert [r.headers.get("X-Page-Token") for r in seen] == [None, "T1", None, "T1"]
    assert [r.url.query for r in seen] == [b"", b"", b"", b""]


def test_a_post_search_paged_by_next_urls_sends_its_body_again(paged: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params.get("p") is None:
            return httpx.Response(200, json={"data": [{"id": "a"}], "next": "/v1/search?p=1"})
        return httpx.Response(200, json={"data": [{"id": "b"}], "next": None})

    with on_path(paged, "paged") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        assert [item.id for item in client.search.search_items(query="red")] == ["a", "b"]
    assert [(r.method, r.url.query) for r in seen] == [("POST", b""), ("POST", b"p=1")]
    assert [json.loads(r.content) for r in seen] == [{"query": "red"}, {"query": "red"}]
