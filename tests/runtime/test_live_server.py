"""End to end against a real HTTP server on 127.0.0.1, through both clients."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

import apigen_runtime as rt

from .conftest import Error, Pet

CREATE_PET: rt.Operation[Pet] = rt.Operation(
    method="post",
    path="/pets/{petId}",
    operation_id="createPet",
    params=(
        rt.Param("pet_id", "petId", "path"),
        rt.Param("name", "name", "field"),
        rt.Param("tag", "tag", "field"),
        rt.Param("verbose", "verbose", "query"),
    ),
    body=rt.Body("application/json", required=True),
    responses={"201": rt.Response(Pet, "json"), "default": rt.Response(Error, "json")},
    security=(("apiKey",),),
    # The spec declares the header: the POST may be retried with the same key (issue 8).
    idempotency_header="Idempotency-Key",
)


class Handler(BaseHTTPRequestHandler):
    attempts: ClassVar[dict[str, int]] = {}

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers.get("Idempotency-Key", "")
        self.attempts[key] = self.attempts.get(key, 0) + 1
        if self.headers.get("X-API-Key") != "secret":
            self._send(401, {"code": 401, "message": "bad key"})
        elif self.attempts[key] == 1:  # first attempt of every call fails once
            self._send(503, {"code": 503, "message": "try again"}, {"retry-after-ms": "1"})
        else:
            pet_id = int(self.path.split("?")[0].rsplit("/", 1)[1])
            self._send(201, {"id": pet_id, "name": body["name"], "tag": self.path.split("=")[-1]})

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def settings(base_url: str, api_key: str) -> dict[str, Any]:
    return {
        "base_url": base_url,
        "credentials": {"api_key": api_key},
        "security_schemes": {"apiKey": rt.ApiKey("api_key", "X-API-Key", "header")},
        "timeout": 5.0,
    }


VALUES = {"pet_id": 7, "name": "Rex", "tag": rt.NOT_GIVEN, "verbose": True}


def test_sync_client_against_real_server(base_url: str) -> None:
    with rt.SyncAPIClient(**settings(base_url, "secret")) as client:
        assert client.request(CREATE_PET, VALUES) == Pet(id=7, name="Rex", tag="true")
        with pytest.raises(rt.AuthenticationError) as info:
            rt.SyncAPIClient(**settings(base_url, "wrong")).request(CREATE_PET, VALUES)
    assert isinstance(info.value.body, Error) and info.value.body.message == "bad key"


async def test_async_client_against_real_server(base_url: str) -> None:
    async with rt.AsyncAPIClient(**settings(base_url, "secret")) as client:
        assert await client.request(CREATE_PET, VALUES) == Pet(id=7, name="Rex", tag="true")
