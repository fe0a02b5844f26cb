"""A generated async client over a faster transport: httpx-aiohttp's ``AiohttpTransport``
(``pip install 'apigen-runtime[fast]'``), handed in as ``http_client=httpx.AsyncClient(
transport=...)``. Everything the runtime adds (auth, errors, parsing, redirects, the response
size limit) keeps working, since it sits above the transport."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import httpx
import httpx_aiohttp  # the [fast] extra; `make install` installs it
import pytest

from tests.builds import build_into, on_path
from tests.conftest import ROOT

PET = {"id": 7, "name": "Rex", "kind": "dog", "created_at": "2024-01-02T03:04:05Z", "tags": ["a"]}
PHOTO = bytes(range(256)) * 64


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _reply(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _record(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        _Handler.seen.append((self.command, self.path, dict(self.headers.items()), body))
        return body

    def do_GET(self) -> None:
        self._record()
        if self.path == "/pets/7":
            self._reply(200, json.dumps(PET).encode(), "application/json", X_Request_Id="req_1")
        elif self.path == "/pets/8":  # a same-origin redirect, followed by the runtime
            self.send_response(302)
            self.send_header("Location", "/pets/7")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/pets/9":  # a gzip bomb in miniature: small on the wire, large decoded
            body = gzip.compress(json.dumps({**PET, "name": "x" * 200_000}).encode())
            self._reply(200, body, "application/json", Content_Encoding="gzip")
        elif self.path == "/pets/7/photo":
            self._reply(200, PHOTO, "image/png")
        else:
            error = {"code": "not_found", "message": "No pet with that id."}
            self._reply(404, json.dumps(error).encode(), "application/json")

    def do_POST(self) -> None:
        sent = json.loads(self._record())
        self._reply(201, json.dumps({**PET, **sent}).encode(), "application/json")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out: Path = tmp_path_factory.mktemp("fast") / "petstore"
    build_into(ROOT / "specs" / "petstore.yaml", out)
    with on_path(out, "petstore") as pkg:
        yield pkg


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    client = httpx.AsyncClient(transport=httpx_aiohttp.AiohttpTransport())
    try:
        yield client
    finally:
        await client.aclose()


async def test_generated_async_client_over_aiohttp(
    petstore: ModuleType, server: str, http: httpx.AsyncClient
) -> None:
    async with petstore.AsyncClient(base_url=server, api_key="k", http_client=http) as client:
        pet = await client.pets.get(7)
        assert (pet.id, pet.name) == (7, "Rex") and pet._request_id == "req_1"
        method, path, headers, _ = _Handler.seen[-1]
        assert (method, path) == ("GET", "/pets/7")
        lower = {k.lower(): v for k, v in headers.items()}
        assert lower["x-api-key"] == "k" and lower["accept"] == "application/json"
        assert " apigen/" in lower["user-agent"]

        created = await client.pets.create(name="Fido", kind="cat")
        assert (created.name, created.kind) == ("Fido", "cat")
        assert json.loads(_Handler.seen[-1][3]) == {"name": "Fido", "kind": "cat"}

        redirected = await client.pets.get(8)  # the runtime follows it, not the transport
        assert redirected.id == 7 and [s[1] for s in _Handler.seen[-2:]] == ["/pets/8", "/pets/7"]

        with pytest.raises(petstore.NotFoundError) as caught:
            await client.pets.get(404)
        assert caught.value.status_code == 404 and caught.value.body.code == "not_found"

        assert await client.pets.download_photo(7) == PHOTO

        many = await asyncio.gather(*(client.pets.get(7) for _ in range(50)))
        assert {p.id for p in many} == {7} and len(many) == 50
    assert not http.is_closed  # a caller-supplied client stays open


async def test_response_size_limit_still_applies(
    petstore: ModuleType, server: str, http: httpx.AsyncClient
) -> None:
    client = petstore.AsyncClient(
        base_url=server, api_key="k", http_client=http, max_response_bytes=100_000
    )
    with pytest.raises(petstore.ResponseTooLargeError):
        await client.pets.get(9)  # gzip: the decoded size is counted, not the wire size
    assert (await client.pets.get(7)).id == 7
