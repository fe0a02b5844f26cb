"""Issue 8, first contact: ``with_options()`` on a generated client (petstore) keeps its class
and its typed credentials, shares nothing mutable, and type-checks under mypy --strict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.builds import assert_strict_mypy, build_into, on_path

SPEC = Path(__file__).parents[2] / "specs" / "petstore.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("client_options") / "optpkg"
    build_into(SPEC, root, name="optpkg")
    return root


@pytest.fixture
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "optpkg") as module:
        yield module


def test_with_options_returns_a_new_generated_client(pkg: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    client = pkg.Client(
        api_key="sk_test",
        base_url="https://pets.test/v1",
        default_headers={"X-A": "1"},
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    copy = client.with_options(timeout=7.0, max_retries=0)
    assert type(copy) is pkg.Client and copy is not client
    assert copy.timeout == httpx.Timeout(7.0) and copy.max_retries == 0
    assert client.max_retries == 2 and client.timeout != copy.timeout
    assert copy.base_url == "https://pets.test/v1"
    assert copy._headers is not client._headers
    # the same credentials: the same OAuth2 tokens (fetched once); other credentials: their own
    assert copy._tokens is client._tokens
    assert client.with_options(api_key="sk_other")._tokens is not client._tokens
    assert copy._resilience is not client._resilience
    copy._headers["X-B"] = "2"
    assert "X-B" not in client.default_headers
    copy.get("/pets", cast_to=object)
    assert seen[-1].headers["X-API-Key"] == "sk_test" and seen[-1].headers["X-A"] == "1"
    assert type(pkg.AsyncClient(api_key="k").with_options(max_retries=1)) is pkg.AsyncClient
    assert pkg.omit is not None
    # the sentinels a pass-through wrapper needs, as openai-python exports them (a review:
    # only `omit` was, so `NOT_GIVEN` had to come from the private `_runtime`)
    assert pkg.NOT_GIVEN is not None and isinstance(pkg.NOT_GIVEN, pkg.NotGiven)
    assert isinstance(pkg.omit, pkg.Omit)
    assert {"NOT_GIVEN", "NotGiven", "Omit", "omit"} <= set(pkg.__all__)


def test_with_options_under_mypy(out: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "use_options.py"
    snippet.write_text(
        "from optpkg import AsyncClient, Client\n\n\n"
        "def use(client: Client, aclient: AsyncClient) -> None:\n"
        "    copy: Client = client.with_options(timeout=3.0, max_retries=0)\n"
        "    acopy: AsyncClient = aclient.with_options(timeout=3.0, max_retries=0)\n"
        "    closed: bool = copy.is_closed()\n"
        "    print(copy, acopy, closed, client.copy(default_query={'a': 1}))\n"
        "    # the keywords are typed (openai-python's copy() is): a misspelled or mistyped one\n"
        "    # is the type checker's error, not a TypeError at run time\n"
        "    client.with_options(max_retry=3)  # type: ignore[call-arg]\n"
        "    aclient.copy(timeout='3')  # type: ignore[arg-type]\n"
        "    client.with_options(http_client=aclient._client())  # type: ignore[arg-type]\n"
    )
    assert_strict_mypy(out, snippet)


def test_the_typed_copy_keeps_what_it_is_not_given(pkg: ModuleType) -> None:
    """The generated ``copy()`` declares every keyword (``NOT_GIVEN``: keep this client's); the
    runtime's takes ``**overrides`` still, for a client class of the runtime's own."""
    seen: list[httpx.Request] = []
    http = httpx.Client(
        transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, json=[]))
    )
    client = pkg.Client(api_key="sk_1", http_client=http, default_headers={"X-A": "1"})
    client.max_retries = 4
    copy = client.copy(api_key="sk_2", default_headers={"X-B": "2"})
    assert copy.max_retries == 4 and copy.timeout == client.timeout
    copy.get("/pets", cast_to=object)
    assert seen[-1].headers["X-API-Key"] == "sk_2"
    assert seen[-1].headers["X-A"] == "1" and seen[-1].headers["X-B"] == "2"
    replaced = client.with_options(set_default_headers={"X-C": "3"})
    replaced.get("/pets", cast_to=object)
    assert "X-A" not in seen[-1].headers and seen[-1].headers["X-C"] == "3"
    with pytest.raises(TypeError, match="keyword arguments only"):
        super(pkg.Client, client).copy(1)
    with pytest.raises(ValueError, match="not both"):
        client.copy(default_query={"a": 1}, set_default_query={"b": 2})


def test_none_for_a_credential_or_the_base_url_keeps_the_client_s(
    pkg: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's review against openai-python (`api_key or self.api_key`): `copy(api_key=None)`
    read the environment anew (MissingCredentialsError without it) and `base_url=None` sent
    the copy's calls to the spec's production server instead of the parent's sandbox."""
    seen: list[httpx.Request] = []
    http = httpx.Client(
        transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, json=[]))
    )
    monkeypatch.delenv("OPTPKG_API_KEY", raising=False)
    client = pkg.Client(api_key="sk_1", base_url="http://127.0.0.1:9/v1", http_client=http)
    copy = client.with_options(api_key=None, base_url=None, timeout=None)
    assert copy.base_url == "http://127.0.0.1:9/v1" and copy.timeout == httpx.Timeout(None)
    copy.get("/pets", cast_to=object)
    assert seen[-1].headers["X-API-Key"] == "sk_1"
    assert str(seen[-1].url) == "http://127.0.0.1:9/v1/pets"


def test_a_model_s_request_id_leaves_its_constructor_alone_under_mypy(
    out: Path, tmp_path: Path
) -> None:
    """``_request_id`` is typed as a property of the model base: an annotation would make it a
    required constructor argument to mypy and pyright (pydantic's dataclass transform)."""
    snippet = tmp_path / "use_request_id.py"
    snippet.write_text(
        "from optpkg.models import NewPet\n\n\n"
        "def use() -> str | None:\n"
        "    pet = NewPet(name='Rex', kind='dog')\n"
        "    pet._request_id = 'r'\n"
        "    return pet._request_id\n"
    )
    assert_strict_mypy(out, snippet)


def test_the_package_s_errors_survive_pickling(pkg: ModuleType) -> None:
    """A generated package's `NotFoundError` unpickles as itself (a process pool's worker
    raising it reaches the parent so); a runtime error the package made a class for at run
    time pickles as the nearest class there is to import."""
    import pickle

    from optpkg import _runtime  # type: ignore[import-not-found]
    from optpkg._runtime._errors import package_error  # type: ignore[import-not-found]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"code": "not_found", "message": "no"})

    client = pkg.Client(
        api_key="sk",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(pkg.NotFoundError) as caught:
        client.pets.get(1)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is pkg.NotFoundError and copy.status_code == 404
    assert copy.body == caught.value.body
    derived = package_error(_runtime.PaginationLoopError("loop"), client._errors)
    again = pickle.loads(pickle.dumps(derived))
    assert isinstance(again, _runtime.PaginationLoopError) and str(again) == "loop"


def test_the_types_the_client_takes_are_exported(pkg: ModuleType) -> None:
    """A helper's review: `Client(rate_limit=..., circuit_breaker=..., hooks=..., retry=...)`
    took types only `<package>._runtime` exported. The package exports them (on first use)."""
    for name in (
        "CircuitBreaker",
        "Hooks",
        "RateLimit",
        "RateWarning",
        "RetryPolicy",
        "RetryStrategy",
    ):
        assert name in pkg.__all__ and getattr(pkg, name) is getattr(pkg._runtime, name)
    client = pkg.Client(
        api_key="k",
        retry=pkg.RetryPolicy(max_delay=1.0),
        rate_limit=pkg.RateLimit(10, per=1.0),
        circuit_breaker=pkg.CircuitBreaker(failure_threshold=2),
        hooks=pkg.Hooks(on_error=[print]),
    )
    assert client.max_retries == 2


def test_an_httpx_client_with_the_client_s_defaults_is_exported(pkg: ModuleType) -> None:
    """A helper's SDK review: a caller's `http_client=httpx.Client(proxy=...)` lost the
    client's pool size, TLS context and timeout, with no way to keep them (openai-python
    exports `DefaultHttpxClient`)."""
    import httpx

    for name in ("DefaultHttpxClient", "DefaultAsyncHttpxClient"):
        assert name in pkg.__all__ and getattr(pkg, name) is getattr(pkg._runtime, name)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": 1, "name": "Rex"})

    http = pkg.DefaultHttpxClient(transport=httpx.MockTransport(handler))
    assert http.timeout == httpx.Timeout(60.0, connect=5.0)
    with pkg.Client(api_key="k", base_url="https://api.test", http_client=http) as client:
        client.pets.get(pet_id=1)
    assert seen[0].url.host == "api.test" and not http.is_closed  # the caller's, left open
    http.close()


def test_the_redis_rate_limit_backend_is_the_package_s(pkg: ModuleType) -> None:
    """Helper 229: `RedisRateLimit` was not exported (its `RedisCacheStore` sibling was), and
    `apigen_runtime.RedisRateLimit`, taken instead, failed with errors none of the package's
    `APIError`s: exported, and another copy's refused when given."""
    import pytest

    assert "RedisRateLimit" in pkg.__all__
    assert pkg.RedisRateLimit is pkg._runtime.RedisRateLimit

    class RedisRateLimit:  # another runtime copy's, as it looks from here
        def reserve(self, interval: float, burst: int, max_wait: float) -> float:
            return 0.0

    RedisRateLimit.__module__ = "other_client._runtime._ratelimit_redis"

    class Mine(RedisRateLimit):  # a subclass of it, by any name
        pass

    for foreign in (RedisRateLimit(), Mine()):
        with pytest.raises(TypeError, match="RedisRateLimit of another runtime copy"):
            pkg.RateLimit(rate=1, backend=foreign)

    class OwnBackend:  # a caller's own backend, whatever its name
        def reserve(self, interval: float, burst: int, max_wait: float) -> float:
            return 0.0

    OwnBackend.__name__ = "RedisRateLimit"
    pkg.RateLimit(rate=1, backend=OwnBackend())


def test_the_types_methods_return_are_exported(out: Path, tmp_path: Path) -> None:
    """A helper's review: `page: SyncPage[Pet] = client.pets.list()` needed
    `from <package>._runtime import SyncPage` (a private module), as did the verifiers'
    `WebhookVerificationError`, and the verifiers themselves (a Stripe receiver's
    `construct_event`). The package exports them, on first use, typed."""
    snippet = tmp_path / "use_pages.py"
    snippet.write_text(
        "from optpkg import AsyncClient, AsyncPaginator, Client, RawResponse, SyncPage\n"
        "from optpkg import WebhookVerificationError, verify_standard_webhook, verify_stripe\n"
        "from optpkg.models import Pet\n\n\n"
        "def use(client: Client, aclient: AsyncClient) -> None:\n"
        "    page: SyncPage[Pet] = client.pets.list()\n"
        "    pages: AsyncPaginator[Pet] = aclient.pets.list()\n"
        "    raw: RawResponse[Pet] = client.pets.with_raw_response.get(1)\n"
        "    print(page, pages, raw, WebhookVerificationError)\n\n\n"
        "def receive(body: bytes, signature: str) -> None:\n"
        "    verify_stripe(body, signature, 'whsec_x')\n"
        "    print(verify_standard_webhook)\n"
    )
    assert_strict_mypy(out, snippet)


def test_the_client_reaches_every_resource_s_raw_and_streamed_methods(
    pkg: ModuleType, out: Path, tmp_path: Path
) -> None:
    """openai-python's spelling, `client.with_raw_response.<resource>.<method>(...)`, beside
    the resource's own `client.<resource>.with_raw_response.<method>(...)` (a helper's SDK
    review: only the latter existed). Typed: mypy strict reads `RawResponse[Pet]`."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = {"id": 1, "name": "Rex"}
        return httpx.Response(200, json=body, headers={"x-request-id": "req_1"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = pkg.Client(api_key="k", base_url="https://api.test", http_client=http)
    raw = client.with_raw_response.pets.get(pet_id=1)
    assert (raw.status_code, raw.request_id, raw.parse().name) == (200, "req_1", "Rex")
    assert client.with_raw_response.pets is client.pets.with_raw_response
    with client.with_streaming_response.pets.get(pet_id=1) as streamed:
        assert streamed.json() == {"id": 1, "name": "Rex"}
    snippet = tmp_path / "raw.py"
    snippet.write_text(
        "from optpkg import AsyncClient, Client\n"
        "from optpkg.models import Pet\n"
        "from optpkg._runtime import RawResponse\n"
        "def sync(client: Client) -> RawResponse[Pet]:\n"
        "    return client.with_raw_response.pets.get(pet_id=1)\n"
        "async def run(client: AsyncClient) -> Pet:\n"
        "    async with client.with_streaming_response.pets.get(pet_id=1) as streamed:\n"
        "        return await streamed.parse()\n"
    )
    assert_strict_mypy(out, snippet)
