"""Which multipart fields may take a file (`Body(data=...)` lists those that take none).

A review of this stop's first cut, which listed the fields typed `FileInput` and sent every other
field's value as data: a free-form body (`additionalProperties: {format: binary}`), one with no
schema, an untyped field, a 3.1 nullable binary, a `oneOf` with a binary member, an `allOf` of a
binary alias and an `extra_body` key all lost their files (a `TypeError`, or bytes sent with no
file name). Only the fields that can hold no file are data now; the rest go by their value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.builds import build_document, on_path

SPEC: dict[str, Any] = yaml.safe_load(
    """
openapi: 3.1.0
info: {title: mp, version: "1"}
servers: [{url: https://api.example.com}]
paths:
  /free:
    post:
      operationId: freeUpload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, additionalProperties: {type: string, format: binary}}
      responses: {"204": {description: ok}}
  /noschema:
    post:
      operationId: noSchema
      requestBody: {content: {multipart/form-data: {}}}
      responses: {"204": {description: ok}}
  /props:
    post:
      operationId: propsUpload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                anyfile: {}
                nullfile: {type: [string, "null"], format: binary}
                onefile:
                  oneOf: [{type: string, format: binary}, {type: string, format: uri}]
                reffile: {$ref: '#/components/schemas/Bin'}
                allof: {allOf: [{$ref: '#/components/schemas/Bin'}]}
                tags: {type: array, items: {type: string}}
                name: {type: string}
      responses: {"204": {description: ok}}
components:
  schemas:
    Bin: {type: string, format: binary}
"""
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "mpfiles", SPEC)


def test_every_field_that_may_hold_a_file_sends_one(out: Path, tmp_path: Path) -> None:
    source = (out / "mpfiles" / "resources" / "props.py").read_text()
    assert 'data=frozenset({"name", "tags"})' in source
    path = tmp_path / "hello.txt"
    path.write_bytes(b"hello")
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(204)

    with on_path(out, "mpfiles") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(record))
        client = pkg.Client(http_client=http)
        calls: list[Any] = [
            lambda: client.free.create(body={"a": path}),
            lambda: client.noschema.create(body={"a": path}),
            lambda: client.props.create(anyfile=path),
            lambda: client.props.create(nullfile=b"abc"),
            lambda: client.props.create(onefile=b"abc"),
            lambda: client.props.create(reffile=path),
            lambda: client.props.create(allof=path),
            lambda: client.props.create(name="n", extra_body={"att": path}),
        ]
        for call in calls:
            call()
            assert b"; filename=" in sent[-1].content, sent[-1].content[:300]
        client.props.create(tags=("x", "y"), name="plain")
        body = sent[-1].content
        assert b"filename=" not in body and body.count(b'name="tags"') == 2
