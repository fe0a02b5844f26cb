"""Errors raised after a call returns are the generated package's classes too, as its README
promises ("every exception a call raises is a `<pkg>.APIError`"). An async review found the
runtime's own classes, which `except <pkg>.APIError` misses, from `with_raw_response` /
`with_streaming_response` (`parse()`, `aiter_bytes()`, a stream's `event: error`) and from
`client.oauth.refresh()` / `exchange_code()`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.builds import build_into, on_path

SPEC = """\
openapi: 3.0.3
info: {title: Later, version: "1"}
servers: [{url: "https://api.example.test/v1"}]
components:
  securitySchemes:
    user:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://api.example.test/oauth/authorize
          tokenUrl: https://api.example.test/oauth/token
          scopes: {read: read}
  schemas:
    Item: {type: object, required: [id], properties: {id: {type: string}}}
security: [{user: [read]}]
paths:
  /items/{id}:
    get:
      operationId: getItem
      tags: [items]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
  /events:
    get:
      operationId: streamEvents
      tags: [events]
      responses:
        "200": {description: ok, content: {text/event-stream: {schema: {$ref: "#/components/schemas/Item"}}}}
  /files/{id}:
    get:
      operationId: downloadFile
      tags: [files]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
"""


class _Cut(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body the connection drops after 10 bytes."""

    def __iter__(self) -> Iterator[bytes]:
        yield b"x" * 10
        raise httpx.ReadError("connection dropped")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"x" * 10
        raise httpx.ReadError("connection dropped")


def _answer(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/oauth/token":
        return httpx.Response(400, json={"error": "invalid_grant"})
    if request.url.path.endswith("/events"):
        body = b'event: error\ndata: {"message": "overloaded"}\n\n'
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
    if request.url.path.startswith("/v1/files/"):
        return httpx.Response(
            200, headers={"content-type": "application/octet-stream"}, stream=_Cut()
        )
    return httpx.Response(
        200, content=b"<html>not json</html>", headers={"content-type": "application/json"}
    )


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("later")
    spec = root / "later.yaml"
    spec.write_text(SPEC)
    out: Path = root / "out"
    build_into(spec, out, name="later")
    with on_path(out, "later") as module:
        yield module


def test_sync_errors_after_the_call_are_the_packages(pkg: ModuleType) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_answer))
    client = pkg.Client(access_token="t", refresh_token="r", client_id="c", http_client=http)
    raw = client.items.with_raw_response.get("1")
    with pytest.raises(pkg.APIResponseValidationError):
        raw.parse()
    with client.items.with_streaming_response.get("1") as streamed, pytest.raises(pkg.APIError):
        streamed.parse()
    with (
        client.files.with_streaming_response.download("f") as streamed,
        pytest.raises(pkg.APIConnectionError),
    ):
        for _ in streamed.iter_bytes():
            pass
    with pytest.raises(pkg.APIError):
        for _ in client.events.with_raw_response.stream_events().parse():
            pass
    with pytest.raises(pkg.BadRequestError):
        client.oauth.refresh()


def test_async_errors_after_the_call_are_the_packages(pkg: ModuleType) -> None:
    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_answer))
        client = pkg.AsyncClient(
            access_token="t", refresh_token="r", client_id="c", http_client=http
        )
        raw = await client.items.with_raw_response.get("1")
        with pytest.raises(pkg.APIResponseValidationError):
            raw.parse()
        async with client.items.with_streaming_response.get("1") as streamed:
            with pytest.raises(pkg.APIError):
                await streamed.parse()
        async with client.files.with_streaming_response.download("f") as streamed:
            with pytest.raises(pkg.APIConnectionError):
                async for _ in streamed.aiter_bytes():
                    pass
        async with client.events.with_streaming_response.stream_events() as streamed:
            with pytest.raises(pkg.APIError):
                async for _ in await streamed.parse():
                    pass
        with pytest.raises(pkg.BadRequestError):
            await client.oauth.refresh()

    asyncio.run(run())
