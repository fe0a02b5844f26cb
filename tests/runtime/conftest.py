"""Shared helpers: hand-written Operations (as the generator would emit) and a recording transport."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pydantic import Field

import apigen_runtime as rt

Handler = Callable[[httpx.Request], httpx.Response]


class Pet(rt.Model):
    id: int
    name: str
    tag: str | None = None


class Owner(rt.Model):
    name: str
    pets: list[Pet] = Field(default_factory=list)


class Error(rt.Model):
    code: int
    message: str


class Recorder:
    """A MockTransport handler that records requests and replays queued responses."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.queue = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        item = self.queue.pop(0) if self.queue else httpx.Response(200, json={})
        if isinstance(item, Exception):
            raise item
        return item

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def make_client(recorder: Handler, **kwargs: Any) -> rt.SyncAPIClient:
    kwargs.setdefault("base_url", "https://api.test/v1")
    client = rt.SyncAPIClient(
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **kwargs
    )
    client._sleep = lambda seconds: None
    return client


def op(
    *params: rt.Param, method: str = "get", path: str = "/things", **kwargs: Any
) -> rt.Operation[Any]:
    kwargs.setdefault("responses", {"200": rt.Response(dict[str, Any], "json")})
    return rt.Operation(method=method, path=path, operation_id="test", params=params, **kwargs)


def query(request: httpx.Request) -> str:
    return request.url.query.decode()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("PETSTORE_BASE_URL", "PETSTORE_API_KEY", "PETSTORE_BEARER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield
