"""OAuth2 client credentials through a generated client: one token request under 100 concurrent
calls (threads and tasks), and a 401 answered by one refresh and one replay."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any

import pytest

from tests.builds import build_into, manifest, on_path, resolve_call
from tests.conftest import shared_specs


class TokenServer(ThreadingHTTPServer):
    """A token endpoint and the API on one loopback server; counts token requests."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.tokens_issued = 0
        self.api_calls = 0
        self.reject_next: set[str] = set()  # tokens to answer 401 once


class _Handler(BaseHTTPRequestHandler):
    server: TokenServer

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        with self.server.lock:
            self.server.tokens_issued += 1
            token = f"tok-{self.server.tokens_issued}"
        self._reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ")
        with self.server.lock:
            self.server.api_calls += 1
            if token in self.server.reject_next:
                self.server.reject_next.discard(token)
                self._reply(401, {"error": "token revoked"})
                return
        self._reply(200 if token.startswith("tok-") else 401, {"ok": True, "token": token})

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[TokenServer]:
    httpd = TokenServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def security(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, str]]:
    out = tmp_path_factory.mktemp("security") / "sec_client"
    build_into(shared_specs() / "features" / "3.0" / "security.yaml", out)
    ops = manifest(out)["operations"]
    call = next(o["call"] for o in ops if o["method"] == "put" and o["path"] == "/anything/oauth2")
    with on_path(out, "sec_client") as pkg:
        yield pkg, call


def _client(pkg: ModuleType, server: TokenServer, cls: str = "Client") -> Any:
    url = f"http://127.0.0.1:{server.server_address[1]}"
    return getattr(pkg, cls)(
        base_url=url,
        oauth2_client_credentials_client_id="id",
        oauth2_client_credentials_client_secret="secret-value",
        token_url=f"{url}/oauth/token",
    )


def test_one_token_for_100_concurrent_threads(
    security: tuple[ModuleType, str], server: TokenServer
) -> None:
    pkg, call = security
    with _client(pkg, server) as client, ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: resolve_call(client, call)(), range(100)))  # type: ignore[operator]
    assert len(results) == 100
    assert server.tokens_issued == 1
    assert server.api_calls == 100


async def test_one_token_for_100_concurrent_tasks(
    security: tuple[ModuleType, str], server: TokenServer
) -> None:
    pkg, call = security
    async with _client(pkg, server, "AsyncClient") as client:
        method = resolve_call(client, call)
        results = await asyncio.gather(*(method() for _ in range(100)))  # type: ignore[operator]
    assert len(results) == 100
    assert server.tokens_issued == 1


def test_401_refreshes_once_and_replays(
    security: tuple[ModuleType, str], server: TokenServer
) -> None:
    pkg, call = security
    with _client(pkg, server) as client:
        resolve_call(client, call)()  # type: ignore[operator]
        server.reject_next.add("tok-1")
        before = server.api_calls
        resolve_call(client, call)()  # type: ignore[operator]
    assert server.tokens_issued == 2
    assert server.api_calls - before == 2  # the rejected call and its one replay


def test_no_secret_in_errors(security: tuple[ModuleType, str], server: TokenServer) -> None:
    pkg, _ = security
    client = _client(pkg, server)
    assert "secret-value" not in repr(client)
    client.close()
