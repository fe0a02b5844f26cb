"""Issue 8: a header parameter named like ``Idempotency-Key`` marks the operation's key as
honoured (``Operation.idempotency_header``), so only those POSTs are resent after they may have
reached the server; the generated clients take ``idempotency_header=`` and keep a caller's
``http_client`` timeout."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from tests.builds import build_into, on_path


def _post(op_id: str, tag: str, header: str | None) -> dict[str, Any]:
    obj = {"type": "object", "properties": {"id": {"type": "integer"}}}
    node: dict[str, Any] = {
        "operationId": op_id,
        "tags": [tag],
        "requestBody": {"content": {"application/json": {"schema": obj}}},
        "responses": {
            "201": {"description": "ok", "content": {"application/json": {"schema": obj}}}
        },
    }
    if header:
        node["parameters"] = [{"name": header, "in": "header", "schema": {"type": "string"}}]
    return {"post": node}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://shop.test"}],
    "paths": {
        "/orders": _post("createOrder", "orders", "idempotency-key"),
        "/refunds": _post("createRefund", "refunds", "X-Idempotency-Key"),
        "/notes": _post("createNote", "notes", "X-Request-Id"),  # not a key
    },
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("shop")
    spec = root / "shop.json"
    spec.write_text(json.dumps(SPEC))
    build_into(spec, root / "out", name="shop", runtime="shared")
    with on_path(root / "out", "shop") as pkg:
        yield pkg


def test_declared_key_header_is_carried_on_the_operation(shop: ModuleType) -> None:
    from shop.resources import notes, orders, refunds

    assert orders._ORDERS_CREATE.idempotency_header == "idempotency-key"
    assert refunds._REFUNDS_CREATE.idempotency_header == "X-Idempotency-Key"
    assert notes._NOTES_CREATE.idempotency_header is None


class Flaky:
    """Times out once per call (after the request may have arrived), then answers."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) % 2:
            raise httpx.ReadTimeout("read", request=request)
        return httpx.Response(201, json={"id": 1})


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_only_writes_with_an_honoured_key_are_resent(shop: ModuleType, mode: str) -> None:
    flaky = Flaky()
    transport = httpx.MockTransport(flaky)
    if mode == "sync":
        client: Any = shop.Client(http_client=httpx.Client(transport=transport))
        client._sleep = lambda seconds: None
    else:
        client = shop.AsyncClient(http_client=httpx.AsyncClient(transport=transport))

        async def sleep(seconds: float) -> None:
            pass

        client._sleep = sleep

    def run(result: Any) -> Any:
        return asyncio.run(result) if mode == "async" else result

    assert run(client.orders.create()).id == 1  # declared: resent with the same key
    keys = [r.headers["idempotency-key"] for r in flaky.requests]
    assert len(keys) == 2 and keys[0] == keys[1]
    flaky.requests.clear()
    with pytest.raises(rt.APITimeoutError):  # nothing declared: not resent, no key sent
        run(client.notes.create())
    assert len(flaky.requests) == 1 and "idempotency-key" not in flaky.requests[0].headers
    flaky.requests.clear()
    if mode == "sync":
        client = shop.Client(
            http_client=httpx.Client(transport=transport), idempotency_header="Idempotency-Key"
        )
        client._sleep = lambda seconds: None
        assert client.notes.create().id == 1  # configured on the client: resent
        assert len(flaky.requests) == 2


def test_generated_client_keeps_the_http_clients_timeout(shop: ModuleType) -> None:
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(201, json={}))
    http = httpx.Client(transport=transport, timeout=httpx.Timeout(20.0, connect=1.0))
    shop.Client(http_client=http).orders.create()
    assert seen[-1].extensions["timeout"] == {
        "connect": 1.0,
        "read": 20.0,
        "write": 20.0,
        "pool": 20.0,
    }
    shop.Client(http_client=http, timeout=2.0).orders.create()
    assert seen[-1].extensions["timeout"]["read"] == 2.0
    assert shop.Client().timeout == httpx.Timeout(60.0, connect=5.0)
    with pytest.raises(TypeError, match="AsyncClient"):
        shop.Client(http_client=httpx.AsyncClient())
    with pytest.raises(TypeError, match="max_retries"):
        shop.AsyncClient(max_retries=None)
