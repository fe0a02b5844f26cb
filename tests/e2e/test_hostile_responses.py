"""Whatever a server answers (any status, content type, encoding, broken or hostile body or
headers), a generated client's call returns a value or raises the package's `APIError`:
never a `KeyError`, `UnicodeDecodeError`, `json.JSONDecodeError` or httpx's own exception.
A seeded draw over every sync and async method of the petstore client."""

from __future__ import annotations

import gzip
import inspect
import json
import random
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import build_into, on_path

SPEC = Path(__file__).parents[2] / "specs" / "petstore.yaml"
PET = {"id": 1, "name": "a", "kind": "dog", "created_at": "2024-01-01T00:00:00Z"}
BODIES = [
    b"", b"null", b"[", b"{", b"\xff\xfe\x00", b'{"id": "x"}', b"[]", b"{}", b'"s"', b"1e999",
    json.dumps(PET).encode(), json.dumps([PET] * 3).encode(), b"[" * 3000 + b"]" * 3000,
    json.dumps({"id": 10**40, "name": None}).encode(), b"<html></html>", b"\x00" * 10,
    json.dumps({"code": "x", "message": "y"}).encode(), gzip.compress(json.dumps(PET).encode()),
    b"data: {}\n\n", b"event: error\ndata: x\n\n",
]  # fmt: skip
CONTENT_TYPES = [
    None, "application/json", "text/html", "application/json; charset=latin-1",
    "application/octet-stream", "application/problem+json", "text/event-stream",
    "application/json; charset=bogus", "multipart/mixed; boundary=x", "image/png",
]  # fmt: skip
STATUSES = [200, 200, 201, 204, 206, 299, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 503]
HEADERS: list[dict[str, bytes]] = [
    {}, {"retry-after": b"-5"}, {"retry-after": b"Wed, 21 Oct 2999 07:28:00 GMT"},
    {"retry-after": b"1e9"}, {"link": b'<http://evil.example/pets?page=2>; rel="next"'},
    {"location": b"http://evil.example/"}, {"content-encoding": b"gzip"},
    {"content-encoding": b"gzip, br"}, {"content-encoding": b"deflate"},
    {"x-request-id": b"\xff\xfe"}, {"x-ratelimit-remaining": b"abc"},
]  # fmt: skip


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("hostile") / "hostilepkg"
    build_into(SPEC, out, name="hostilepkg")
    with on_path(out, "hostilepkg") as module:
        yield module


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self.data

    async def __aiter__(self) -> Any:
        yield self.data


def _answer(rng: random.Random) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = dict(rng.choice(HEADERS))
        content_type = rng.choice(CONTENT_TYPES)
        if content_type is not None:
            headers["content-type"] = content_type.encode()
        return httpx.Response(
            rng.choice(STATUSES), headers=list(headers.items()), stream=_Body(rng.choice(BODIES))
        )

    return handler


def _arguments(method: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for p in inspect.signature(method).parameters.values():
        if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD:
            annotation = str(p.annotation)
            kwargs[p.name] = 7 if "int" in annotation else "dog" if "Kind" in annotation else "x"
    return kwargs


def _methods(client: Any) -> list[tuple[str, Any]]:
    found = []
    for resource in ("pets", "owners", "health"):
        for name, method in inspect.getmembers(getattr(client, resource), inspect.ismethod):
            if not name.startswith(("_", "with_")):
                found.append((f"{resource}.{name}", method))
    return found


def _consume(result: Any) -> None:
    """Iterate what a call returned (a page's further pages, a stream's events)."""
    if hasattr(result, "__iter__") and not isinstance(result, str | bytes | dict):
        for _ in zip(range(5), result, strict=False):
            pass


def test_sync_calls_return_or_raise_api_errors(pkg: ModuleType) -> None:
    rng = random.Random(0)
    transport = httpx.MockTransport(_answer(rng))
    client = pkg.Client(api_key="k", max_retries=1, http_client=httpx.Client(transport=transport))
    client._sleep = lambda _seconds: None  # retries do not wait
    methods = _methods(client)
    outcomes = {"value": 0, "error": 0}
    for _ in range(600):
        _name, method = rng.choice(methods)
        try:
            _consume(method(**_arguments(method)))
            outcomes["value"] += 1
        except pkg.APIError:
            outcomes["error"] += 1
    assert outcomes["value"] > 50 and outcomes["error"] > 50, outcomes


async def test_async_calls_return_or_raise_api_errors(pkg: ModuleType) -> None:
    rng = random.Random(1)
    transport = httpx.MockTransport(_answer(rng))
    client = pkg.AsyncClient(
        api_key="k", max_retries=1, http_client=httpx.AsyncClient(transport=transport)
    )

    async def no_wait(_seconds: float) -> None:
        return None

    client._sleep = no_wait
    methods = _methods(client)
    errors = 0
    for _ in range(300):
        _name, method = rng.choice(methods)
        try:
            result = await method(**_arguments(method))
            if hasattr(result, "__aiter__"):
                async for _ in result:
                    break
        except pkg.APIError:
            errors += 1
    assert errors > 30
