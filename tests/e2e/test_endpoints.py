"""Generated clients send each operation where the spec says: operation and path servers,
JSON-encoded (`content:`) parameters, path values that stay one segment."""

from __future__ import annotations

import inspect
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "endpoints.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("endpoints") / "endpoints"
    build_into(SPEC, out, name="endpoints")
    return out


@pytest.fixture
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "endpoints") as pkg:
        yield pkg


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if request.method == "POST":
            return httpx.Response(200, json={})
        return httpx.Response(204)


def _clients(pkg: ModuleType, rec: Recorder, **kwargs: Any) -> tuple[Any, Any]:
    transport = httpx.MockTransport(rec)
    kwargs.setdefault("api_key", "tok")
    return (
        pkg.Client(http_client=httpx.Client(transport=transport), **kwargs),
        pkg.AsyncClient(http_client=httpx.AsyncClient(transport=transport), **kwargs),
    )


async def _call_both(
    pkg: ModuleType, call: str, kwargs: dict[str, Any], **client_kwargs: Any
) -> list[httpx.Request]:
    rec = Recorder()
    sync, async_ = _clients(pkg, rec, **client_kwargs)
    for client in (sync, async_):
        target: Any = client
        for attr in call.split("."):
            target = getattr(target, attr)
        result = target(**kwargs)
        if inspect.isawaitable(result):
            await result
    assert len(rec.requests) == 2
    return rec.requests


# --- bug 1: servers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "kwargs", "url"),
    [
        ("files.create", {"body": b"x"}, "https://files.api.test/files"),
        ("uploads.update", {"name": "a"}, "https://uploads.api.test/prod/uploads/a"),
        ("uploads.get", {"name": "a"}, "https://read.api.test/uploads/a"),
        ("uploads.delete", {"name": "a"}, "https://uploads.api.test/prod/uploads/a"),
        ("relative.get", {}, "https://eu.api.test/v2/relative"),
        ("relative.get_same", {}, "https://eu.api.test/v1/same"),
    ],
)
async def test_operation_and_path_servers(
    pkg: ModuleType, call: str, kwargs: dict[str, Any], url: str
) -> None:
    for request in await _call_both(pkg, call, kwargs):
        assert str(request.url) == url
        assert request.headers["Authorization"] == "Bearer tok"


async def test_user_base_url_replaces_operation_servers(pkg: ModuleType) -> None:
    sandbox = "http://127.0.0.1:4010"
    for call, kwargs, path in [
        ("files.create", {"body": b"x"}, "/files"),
        ("uploads.get", {"name": "a"}, "/uploads/a"),
        ("relative.get", {}, "/relative"),
    ]:
        for request in await _call_both(pkg, call, kwargs, base_url=sandbox):
            assert str(request.url) == sandbox + path
            assert request.headers["Authorization"] == "Bearer tok"


def test_operation_constants_carry_the_server(pkg: ModuleType) -> None:
    from endpoints.resources import files, relative  # type: ignore[import-not-found]

    assert files._FILES_CREATE.server == "https://files.api.test"
    # relative to the root server: its variables stay for the client to fill
    assert relative._RELATIVE_GET.server == "https://{region}.api.test/v2"
    assert relative._RELATIVE_GET_SAME.server is None  # the root server: nothing to override
    assert pkg.Client()._default_base_url == "https://eu.api.test/v1"


# --- bug 2: path segments ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", ".", ".."])
async def test_dot_path_values_raise(pkg: ModuleType, value: str) -> None:
    rec = Recorder()
    sync, async_ = _clients(pkg, rec)
    with pytest.raises(ValueError, match="name"):
        sync.uploads.update(name=value)
    with pytest.raises(ValueError, match="name"):
        await async_.uploads.update(name=value)
    assert rec.requests == []


async def test_allow_reserved_path_parameter_stays_one_segment(pkg: ModuleType) -> None:
    for request in await _call_both(pkg, "uploads.update", {"name": "../a/b?c#d%"}):
        assert request.url.raw_path == b"/prod/uploads/..%2Fa%2Fb%3Fc%23d%25"


# --- bug 3: content parameters -------------------------------------------------------------------


async def test_json_content_parameters(pkg: ModuleType) -> None:
    kwargs = {
        "filter": {"a": 1, "tags": ["x y"]},
        "x_filter": {"a": 2},
        "where": {"near": "a/b"},
        "prefs": [1, 2],
        "plain": {"a": 3},
    }
    for request in await _call_both(pkg, "search.search", kwargs):
        assert request.url.raw_path == (
            b"/v1/search/%7B%22near%22%3A%22a%2Fb%22%7D"
            b"?filter=%7B%22a%22%3A1%2C%22tags%22%3A%5B%22x%20y%22%5D%7D&a=3"
        )
        assert request.headers["X-Filter"] == '{"a":2}'
        assert request.headers["Cookie"] == "prefs=[1%2C2]"


def test_content_parameters_are_typed_from_their_schema(pkg: ModuleType, out: Path) -> None:
    source = (out / "endpoints" / "resources" / "search.py").read_text()
    assert (
        'content_type="application/json"' in source or "content_type='application/json'" in source
    )
    signature = inspect.signature(pkg.Client().search.search)
    annotations = {name: str(p.annotation) for name, p in signature.parameters.items()}
    assert "Filter" in annotations["filter"]
    assert "Sequence[int]" in annotations["prefs"]  # an array argument: a read-only view
    assert "str" not in annotations["filter"].replace("Filter", "")


def test_generated_client_is_clean(out: Path) -> None:
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "endpoints"],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
        env={"MYPYPATH": str(out), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]


def test_client_docstring_states_the_server_rule(pkg: ModuleType) -> None:
    for cls in (pkg.Client, pkg.AsyncClient):
        assert "- https://files.api.test\n" in cls.__doc__
        assert "replaces every server" in cls.__doc__
