"""Issue 8, first contact: per-call option keywords, positional path parameters, the
``with_raw_response``/``with_streaming_response`` attributes (list methods too), the
``client.get/post/...`` escape hatch, per-package exceptions and the User-Agent.
Built from specs/first-contact.yaml (sync and async)."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import platform
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "first-contact.yaml"
CUSTOMER = {"id": "cus_1", "name": "Ada"}
PAGE_1 = {"data": [{"id": "cus_1"}, {"id": "cus_2"}], "has_more": True}
PAGE_2 = {"data": [{"id": "cus_3"}], "has_more": False}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("first_contact")
    build_into(SPEC, root / "fcpkg", name="fcpkg", runtime="shared")
    build_into(SPEC, root / "otherpkg", name="otherpkg", runtime="shared")
    return root


@pytest.fixture
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out / "fcpkg", "fcpkg") as module:
        yield module


class Server:
    """Answers like the API; records every request. ``fail`` statuses come first, in order."""

    def __init__(self, *fail: int) -> None:
        self.requests: list[httpx.Request] = []
        self.fail = list(fail)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail:
            return httpx.Response(self.fail.pop(0), json={"error": "no"})
        path = request.url.path
        if path == "/v1/customers" and request.method == "GET":
            after = request.url.params.get("starting_after")
            return httpx.Response(200, json=PAGE_2 if after else PAGE_1)
        if "/sources/" in path:
            return httpx.Response(200, json={"id": path.rsplit("/", 1)[1]})
        if path.startswith("/v1/missing"):
            return httpx.Response(404, json={"error": "missing"})
        return httpx.Response(200, json=CUSTOMER)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def sync_client(pkg: ModuleType, server: Server, **kwargs: Any) -> Any:
    client = pkg.Client(
        api_key="sk_test", http_client=httpx.Client(transport=httpx.MockTransport(server)), **kwargs
    )
    client._sleep = lambda seconds: None
    return client


def async_client(pkg: ModuleType, server: Server, **kwargs: Any) -> Any:
    client = pkg.AsyncClient(
        api_key="sk_test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
        **kwargs,
    )

    async def sleep(seconds: float) -> None:
        return None

    client._sleep = sleep
    return client


def models(pkg: ModuleType) -> ModuleType:
    return importlib.import_module(f"{pkg.__name__}.models")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# --- 1. per-call options as keywords ----------------------------------------------------------


def _check_options(server: Server) -> None:
    request = server.last
    assert request.headers["X-Trace"] == "t1"
    assert request.url.params["expand"] == "name" and request.url.params["debug"] == "1"
    assert request.url.params["timeout"] == "5"  # the spec's own `timeout` query parameter
    assert request.extensions["timeout"]["read"] == 2.5  # the per-call timeout
    assert len(server.requests) == 1


def test_per_call_options_are_keywords_sync(pkg: ModuleType) -> None:
    server = Server()
    client = sync_client(pkg, server)
    client.customers.retrieve(
        "cus_1",
        expand="name",
        timeout_=5,
        extra_headers={"X-Trace": "t1"},
        extra_query={"debug": 1},
        timeout=2.5,
        max_retries=0,
    )
    _check_options(server)
    client.customers.create(name="Ada", extra_body={"metadata": {"k": "v"}})
    assert json.loads(server.last.content) == {"name": "Ada", "metadata": {"k": "v"}}
    with pytest.raises(TypeError):
        client.customers.retrieve("cus_1", request_options={"timeout": 1})
    failing = Server(503)
    with pytest.raises(pkg.InternalServerError):
        sync_client(pkg, failing).customers.retrieve("cus_1", max_retries=0)
    assert len(failing.requests) == 1


def test_per_call_options_are_keywords_async(pkg: ModuleType) -> None:
    server = Server()

    async def main() -> None:
        client = async_client(pkg, server)
        await client.customers.retrieve(
            "cus_1",
            expand="name",
            timeout_=5,
            extra_headers={"X-Trace": "t1"},
            extra_query={"debug": 1},
            timeout=2.5,
            max_retries=0,
        )
        _check_options(server)
        await client.customers.create(name="Ada", extra_body={"metadata": {"k": "v"}})
        assert json.loads(server.last.content) == {"name": "Ada", "metadata": {"k": "v"}}
        failing = Server(503)
        with pytest.raises(pkg.InternalServerError):
            await async_client(pkg, failing).customers.retrieve("cus_1", max_retries=0)
        assert len(failing.requests) == 1

    run(main())


def test_every_method_takes_the_same_option_keywords(pkg: ModuleType) -> None:
    options = {
        "extra_headers", "extra_query", "extra_body", "timeout", "max_retries",
        "idempotency_key", "deadline", "retry_count_header",
    }  # fmt: skip
    for cls in (pkg.Client, pkg.AsyncClient):
        resource = cls(api_key="k").customers
        for name in ("list", "create", "retrieve"):
            params = inspect.signature(getattr(resource, name)).parameters
            assert options <= set(params) and "request_options" not in params
            assert all(params[o].kind is inspect.Parameter.KEYWORD_ONLY for o in options)


# --- 2. path parameters positional ------------------------------------------------------------


def test_path_parameters_are_positional_in_path_order(pkg: ModuleType) -> None:
    for cls in (pkg.Client, pkg.AsyncClient):
        method = cls(api_key="k").customers.sources.retrieve
        params = list(inspect.signature(method).parameters.values())
        assert [p.name for p in params[:2]] == ["customer", "id"]  # path order, not spec order
        assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params[:2])
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[2:])
        retrieve = inspect.signature(cls(api_key="k").customers.retrieve).parameters
        assert retrieve["customer"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        assert retrieve["expand"].kind is inspect.Parameter.KEYWORD_ONLY


def test_path_parameters_positional_sync(pkg: ModuleType) -> None:
    server = Server()
    customers = sync_client(pkg, server).customers
    assert customers.sources.retrieve("cus_1", "src_2").id == "src_2"
    assert server.last.url.path == "/v1/customers/cus_1/sources/src_2"
    customers.sources.retrieve(customer="cus_3", id="src_4")
    assert server.last.url.path == "/v1/customers/cus_3/sources/src_4"
    assert customers.retrieve("cus_9").id == "cus_1"
    assert server.last.url.path == "/v1/customers/cus_9"
    with pytest.raises(TypeError):
        customers.retrieve("cus_9", "name")  # `expand` is keyword-only


def test_path_parameters_positional_async(pkg: ModuleType) -> None:
    server = Server()

    async def main() -> None:
        customers = async_client(pkg, server).customers
        assert (await customers.sources.retrieve("cus_1", "src_2")).id == "src_2"
        assert server.last.url.path == "/v1/customers/cus_1/sources/src_2"
        await customers.sources.retrieve(customer="cus_3", id="src_4")
        assert server.last.url.path == "/v1/customers/cus_3/sources/src_4"

    run(main())


# --- 6. User-Agent ----------------------------------------------------------------------------


def _user_agent() -> str:
    # the distribution name and the spec's info.version (docs/decisions.md, distribution names)
    return f"fcpkg-apigen-client/1.0 apigen/{rt.__version__} Python/{platform.python_version()}"


def test_user_agent_names_package_apigen_and_python_sync(pkg: ModuleType) -> None:
    server = Server()
    sync_client(pkg, server).customers.retrieve("cus_1")
    assert server.last.headers["User-Agent"] == _user_agent()


def test_user_agent_names_package_apigen_and_python_async(pkg: ModuleType) -> None:
    server = Server()
    run(async_client(pkg, server).customers.retrieve("cus_1"))
    assert server.last.headers["User-Agent"] == _user_agent()


# --- 5. exceptions per generated package ------------------------------------------------------


def _other_package_error(out: Path) -> BaseException:
    with on_path(out / "otherpkg", "otherpkg") as other:
        client = other.Client(
            api_key="k",
            base_url="https://api.example.test/v1/missing",
            http_client=httpx.Client(transport=httpx.MockTransport(Server())),
        )
        with pytest.raises(rt.NotFoundError) as info:
            client.customers.retrieve("x")
        assert isinstance(info.value, other.NotFoundError)
        return info.value


def _check_package_error(pkg: ModuleType, error: BaseException, other: BaseException) -> None:
    assert type(error) is pkg.NotFoundError and type(error).__module__ == "fcpkg._exceptions"
    assert isinstance(error, pkg.APIStatusError) and isinstance(error, pkg.APIError)
    assert isinstance(error, rt.NotFoundError) and isinstance(error, rt.APIStatusError)
    assert error.status_code == 404 and error.body == {"error": "missing"}
    assert not isinstance(other, pkg.NotFoundError) and not isinstance(other, pkg.APIError)
    assert isinstance(other, rt.NotFoundError)


def test_exceptions_are_per_package_sync(pkg: ModuleType, out: Path) -> None:
    client = sync_client(pkg, Server(), base_url="https://api.example.test/v1/missing")
    with pytest.raises(pkg.NotFoundError) as info:
        client.customers.retrieve("x")
    _check_package_error(pkg, info.value, _other_package_error(out))

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    broken = pkg.Client(
        api_key="k", max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(refuse))
    )
    with pytest.raises(pkg.APIConnectionError) as conn:
        broken.customers.retrieve("x")
    assert isinstance(conn.value, rt.APIConnectionError)


def test_exceptions_are_per_package_async(pkg: ModuleType, out: Path) -> None:
    async def main() -> BaseException:
        client = async_client(pkg, Server(), base_url="https://api.example.test/v1/missing")
        with pytest.raises(pkg.NotFoundError) as info:
            await client.customers.retrieve("x")
        return info.value

    _check_package_error(pkg, run(main()), _other_package_error(out))


# --- 3. with_raw_response / with_streaming_response -------------------------------------------


def test_with_raw_response_attribute_sync(pkg: ModuleType) -> None:
    server = Server(503)
    customers = sync_client(pkg, server).customers
    raw = customers.with_raw_response.retrieve("cus_1", expand="name")
    assert raw.status_code == 200 and raw.retries_taken == 1
    assert raw.parse().name == "Ada" and isinstance(raw.parse(), models(pkg).Customer)
    assert raw.parse(to=dict) == CUSTOMER
    assert customers.with_raw_response.retrieve("cus_1").retries_taken == 0
    page_raw = customers.with_raw_response.list(limit=2)  # a list method: no TypeError
    assert page_raw.status_code == 200 and page_raw.retries_taken == 0
    page = page_raw.parse()
    assert [c.id for c in page.items] == ["cus_1", "cus_2"]
    assert [c.id for c in page] == ["cus_1", "cus_2", "cus_3"]
    with customers.with_streaming_response.retrieve("cus_1") as streamed:
        assert streamed.status_code == 200 and streamed.parse().id == "cus_1"
    with customers.with_streaming_response.list() as streamed_page:
        assert [c.id for c in streamed_page.parse().items] == ["cus_1", "cus_2"]
    nested = customers.with_raw_response.sources.retrieve("cus_1", "src_9")  # child resources
    assert nested.parse().id == "src_9" and nested.headers["content-type"] == "application/json"
    with customers.with_streaming_response.sources.retrieve("cus_1", "src_8") as streamed_child:
        assert streamed_child.parse().id == "src_8"


def test_with_raw_response_attribute_async(pkg: ModuleType) -> None:
    server = Server(503)

    async def main() -> None:
        customers = async_client(pkg, server).customers
        raw = await customers.with_raw_response.retrieve("cus_1", expand="name")
        assert raw.status_code == 200 and raw.retries_taken == 1
        assert raw.parse().name == "Ada" and raw.parse(to=dict) == CUSTOMER
        page_raw = await customers.with_raw_response.list(limit=2)
        page = page_raw.parse()
        assert [c.id for c in page.items] == ["cus_1", "cus_2"]
        assert [c.id async for c in page] == ["cus_1", "cus_2", "cus_3"]
        async with customers.with_streaming_response.retrieve("cus_1") as streamed:
            assert (await streamed.parse()).id == "cus_1"
        async with customers.with_streaming_response.list() as streamed_page:
            assert [c.id for c in (await streamed_page.parse()).items] == ["cus_1", "cus_2"]
        nested = await customers.with_raw_response.sources.retrieve("cus_1", "src_9")
        assert nested.parse().id == "src_9"

    run(main())


def test_raw_response_types_under_mypy(out: Path, tmp_path: Path) -> None:
    """mypy --strict sees the method's return type through the wrappers."""
    snippet = tmp_path / "use_raw.py"
    snippet.write_text(
        "from apigen_runtime import AsyncPage, RawResponse, StreamedResponse, SyncPage\n"
        "from fcpkg import AsyncClient, Client\n"
        "from fcpkg.models import Customer, Source\n\n\n"
        "def use(client: Client) -> None:\n"
        "    raw: RawResponse[Customer] = client.customers.with_raw_response.retrieve('c')\n"
        "    page: RawResponse[SyncPage[Customer]] = (\n"
        "        client.customers.with_raw_response.list()\n"
        "    )\n"
        "    with client.customers.with_streaming_response.retrieve('c') as s:\n"
        "        streamed: StreamedResponse[Customer] = s\n"
        "    src: RawResponse[Source] = client.customers.with_raw_response.sources.retrieve('c', 's')\n"
        "    print(raw, page, streamed, src)\n\n\n"
        "async def use_async(client: AsyncClient) -> None:\n"
        "    raw: RawResponse[Customer] = (\n"
        "        await client.customers.with_raw_response.retrieve('c')\n"
        "    )\n"
        "    page: RawResponse[AsyncPage[Customer]] = (\n"
        "        await client.customers.with_raw_response.list()\n"
        "    )\n"
        "    wrong: RawResponse[str] = await client.customers.with_raw_response.list()\n"
        "    print(raw, page, wrong)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        cwd=out / "fcpkg",
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(out / "fcpkg"), "PATH": "/usr/bin:/bin"},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    line = 1 + snippet.read_text().splitlines().index(
        "    wrong: RawResponse[str] = await client.customers.with_raw_response.list()"
    )
    assert len(errors) == 1 and f"use_raw.py:{line}:" in errors[0], result.stdout  # only `wrong`
    assert "RawResponse[AsyncPage[Customer]]" in errors[0]


# --- 4. escape hatch for undocumented endpoints ----------------------------------------------


def test_escape_hatch_sync(pkg: ModuleType) -> None:
    server = Server(503)
    client = sync_client(pkg, server)
    customer = client.get("/customers/cus_1", cast_to=models(pkg).Customer)
    assert customer.name == "Ada" and len(server.requests) == 2  # retried, like any method
    assert server.last.headers["X-Api-Key"] == "sk_test"  # the client's auth
    assert server.last.url == "https://api.example.test/v1/customers/cus_1"
    created = client.post("customers?a=1", cast_to=dict, body={"name": "Bo"}, query={"b": 2})
    assert created == CUSTOMER and json.loads(server.last.content) == {"name": "Bo"}
    assert server.last.method == "POST" and dict(server.last.url.params) == {"a": "1", "b": "2"}
    for method in (client.put, client.patch, client.delete):
        method("/customers/cus_1", cast_to=dict, extra_headers={"X-Trace": "1"})
        assert server.last.method == method.__name__.upper() and server.last.headers["X-Trace"]
    with pytest.raises(pkg.NotFoundError):
        client.get("/missing", cast_to=dict)
    count = len(server.requests)
    for url in ("https://evil.example/steal", "//evil.example/steal", "http://x/"):
        with pytest.raises(ValueError, match="relative"):
            client.get(url, cast_to=dict)
    assert len(server.requests) == count  # refused before sending


def test_escape_hatch_async(pkg: ModuleType) -> None:
    server = Server(503)

    async def main() -> None:
        client = async_client(pkg, server)
        customer = await client.get("/customers/cus_1", cast_to=models(pkg).Customer)
        assert customer.name == "Ada" and len(server.requests) == 2
        assert server.last.headers["X-Api-Key"] == "sk_test"
        assert await client.post("/customers", cast_to=dict, body={"name": "Bo"}) == CUSTOMER
        assert json.loads(server.last.content) == {"name": "Bo"}
        with pytest.raises(ValueError, match="relative"):
            await client.delete("https://evil.example/x", cast_to=dict)
        assert len(server.requests) == 3

    run(main())


def test_escape_hatch_runs_hooks(pkg: ModuleType) -> None:
    seen: list[int] = []
    hooks = rt.Hooks(after_response=[lambda response: seen.append(response.status_code)])
    client = sync_client(pkg, Server(), hooks=hooks)
    client.get("/customers/cus_1", cast_to=dict)
    assert seen == [200]
