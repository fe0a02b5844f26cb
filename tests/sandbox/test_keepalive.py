"""Keep-alive throughput guards (issue #10, target 4), asserted structurally, never by timing.

A response written in two sends (headers, then body) with Nagle on waits for the client's
delayed ACK: ~45 ms per response, 21-26 req/s. The sandbox avoids it twice over: TCP_NODELAY on
every accepted socket, and status line + headers + body in ONE write. `make bench` measures the
resulting req/s (scripts/_bench_sandbox.py); these tests keep the two causes from coming back.
"""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from apigen.sandbox import Sandbox
from apigen.sandbox._server import _Handler

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "keepalive", "version": "1"},
    "paths": {
        "/things/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "a thing",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id", "name"],
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "name": {"type": "string"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}
REQUESTS = 100


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(DOC, seed=1) as box:
        yield box


def _connection(box: Sandbox) -> http.client.HTTPConnection:
    assert box.port is not None
    return http.client.HTTPConnection("127.0.0.1", box.port, timeout=10)


def test_accepted_sockets_have_tcp_nodelay(sandbox: Sandbox) -> None:
    connection = _connection(sandbox)
    try:
        connection.request("GET", "/things/1")
        assert connection.getresponse().read()
        server = sandbox._server
        assert server is not None
        with server._connections_lock:
            accepted = list(server._connections)
        assert len(accepted) == 1
        assert accepted[0].getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        connection.close()


def test_each_response_is_one_write_and_the_connection_is_reused(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """100 sequential requests on one kept-alive connection: 100 writes, one socket, all 200."""
    assert _Handler.wbufsize == 0  # unbuffered: each wfile.write is one sendall
    writes: list[int] = []
    lock = threading.Lock()
    original = socketserver._SocketWriter.write

    def counting_write(self: socketserver._SocketWriter, data: Any) -> int:
        with lock:
            writes.append(len(data))
        return original(self, data)

    monkeypatch.setattr(socketserver._SocketWriter, "write", counting_write)
    connection = _connection(sandbox)
    try:
        statuses = []
        first_local: object = None
        for number in range(REQUESTS):
            connection.request("GET", f"/things/{number}")
            response = connection.getresponse()
            body = response.read()
            statuses.append(response.status)
            assert int(response.headers["Content-Length"]) == len(body) > 0
            assert response.headers.get("Connection", "").lower() != "close"
            assert connection.sock is not None
            first_local = first_local or connection.sock.getsockname()
            assert connection.sock.getsockname() == first_local  # never reconnected
    finally:
        connection.close()
    assert statuses == [200] * REQUESTS
    assert len(writes) == REQUESTS  # headers and body together: no Nagle/delayed-ACK stall
    assert len(sandbox.requests) == REQUESTS


def test_fifty_concurrent_keepalive_clients(sandbox: Sandbox) -> None:
    """50 clients at once, 5 requests each on their own kept-alive connection: no errors."""
    clients, per_client = 50, 5
    failures: list[BaseException] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client() -> None:
        connection = _connection(sandbox)
        try:
            barrier.wait(timeout=30)
            for number in range(per_client):
                connection.request("GET", f"/things/{number}")
                response = connection.getresponse()
                response.read()
                with lock:
                    statuses.append(response.status)
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
            with lock:
                failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert statuses == [200] * (clients * per_client)


def test_a_204_has_no_content_length_and_keeps_the_connection() -> None:
    """Helper 209: every reply carried `Content-Length: 0`, which RFC 9110 §8.6 forbids on a
    204 (a 304's would have to be the 200's size); the connection is reused all the same."""
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "empty", "version": "1"},
        "paths": {"/things": {"delete": {"responses": {"204": {"description": "gone"}}}}},
    }
    with Sandbox(doc, seed=1) as box:
        connection = _connection(box)
        try:
            for _ in range(3):
                connection.request("DELETE", "/things")
                response = connection.getresponse()
                assert response.status == 204 and response.read() == b""
                assert "Content-Length" not in response.headers
                assert response.headers.get("Connection", "").lower() != "close"
        finally:
            connection.close()
        assert len(box.requests) == 3
