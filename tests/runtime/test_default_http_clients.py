"""`DefaultHttpxClient` / `DefaultAsyncHttpxClient` (openai-python's names): an httpx client with
the generated client's own defaults (the 60 s / 5 s timeout, 100 kept-alive connections, the
shared TLS context) for a custom `http_client=`; a keyword given wins. A helper's SDK review
found a caller's `httpx.Client(proxy=...)` lost them, with no way to keep them."""

from __future__ import annotations

import httpx

import apigen_runtime as rt
from apigen_runtime._client import DEFAULT_TIMEOUT


def _pool(client: httpx.Client | httpx.AsyncClient) -> object:
    return client._transport._pool  # type: ignore[union-attr]  # httpx's HTTPTransport


def test_the_defaults_and_a_keyword_that_wins() -> None:
    with rt.DefaultHttpxClient() as http:
        assert http.timeout == DEFAULT_TIMEOUT
        assert _pool(http)._max_connections == 100  # type: ignore[attr-defined]
        assert _pool(http)._max_keepalive_connections == 100  # type: ignore[attr-defined]
    with rt.DefaultHttpxClient(timeout=3.0, headers={"X-Team": "a"}) as http:
        assert http.timeout == httpx.Timeout(3.0) and http.headers["x-team"] == "a"


async def test_the_async_one_carries_a_call_through_the_client() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    http = rt.DefaultAsyncHttpxClient(transport=httpx.MockTransport(handler))
    assert http.timeout == DEFAULT_TIMEOUT
    client = rt.AsyncAPIClient(base_url="https://api.test", http_client=http)
    op = rt.Operation[dict[str, bool]](
        method="get", path="/x", responses={"200": rt.Response(dict[str, bool], "json")}
    )
    assert await client.request(op, {}) == {"ok": True}
    assert seen[0].url == "https://api.test/x"
    await http.aclose()
