"""Issue 12: opt-in response caching, sync and async, against transports that count what reaches
the server: HTTP freshness and validators, Vary, per-credential entries, invalidation by unsafe
methods, client TTL, per-call opt-out, bounded memory store, Redis store, and no import cost
for clients without a cache."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import apigen_runtime as rt

from .conftest import op
from .test_ratelimit_redis import start_redis, stop

SCHEMES: dict[str, rt.SecurityScheme] = {"key": rt.ApiKey("api_key", "X-API-Key", "header")}
THING = op(security=(("key",),))
POST = op(method="post", security=(("key",),))


class Server:
    """Answers GET /things with `headers`; 304 when the validator matches; counts requests."""

    def __init__(self, **headers: str) -> None:
        self.headers = headers
        self.requests: list[httpx.Request] = []
        self.version = 1

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method != "GET":
            self.version += 1
            return httpx.Response(200, json={"ok": True})
        etag = f'"v{self.version}"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"ETag": etag, **self._fresh()})
        if (
            "Last-Modified" in self.headers
            and request.headers.get("if-modified-since") == self.headers["Last-Modified"]
        ):
            return httpx.Response(304, headers=self._fresh())
        body = {"version": self.version, "lang": request.headers.get("accept-language")}
        headers = dict(self.headers)
        if headers.pop("ETag", None) is not None:
            headers["ETag"] = etag
        return httpx.Response(200, json=body, headers=headers)

    def _fresh(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items() if k.lower() == "cache-control"}


def client(server: Server, cache: rt.Cache | None, key: str = "k1", **kw: Any) -> rt.SyncAPIClient:
    return rt.SyncAPIClient(
        base_url="https://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        credentials={"api_key": key},
        security_schemes=SCHEMES,
        cache=cache,
        **kw,
    )


def async_client(server: Server, cache: rt.Cache | None, key: str = "k1") -> rt.AsyncAPIClient:
    return rt.AsyncAPIClient(
        base_url="https://api.test/v1",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
        credentials={"api_key": key},
        security_schemes=SCHEMES,
        cache=cache,
    )


def raw(
    c: rt.SyncAPIClient, operation: rt.Operation[Any] = THING, **options: Any
) -> rt.RawResponse[Any]:
    result: rt.RawResponse[Any] = rt.with_raw_response(c.request)(operation, {}, options or None)
    return result


def test_max_age_serves_from_the_cache_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    server = Server(**{"Cache-Control": "max-age=60"})
    c = client(server, rt.Cache())
    first, second = raw(c), raw(c)
    assert (first.cache_status, second.cache_status) == ("miss", "hit")
    assert second.parse() == first.parse() and len(server.requests) == 1
    later = time.time() + 61
    monkeypatch.setattr("apigen_runtime._cache.time.time", lambda: later)
    assert raw(c).cache_status == "miss" and len(server.requests) == 2


def test_no_cache_client_sends_every_time() -> None:
    server = Server(**{"Cache-Control": "max-age=60"})
    c = client(server, None)
    assert raw(c).cache_status is None and raw(c).cache_status is None
    assert len(server.requests) == 2


@pytest.mark.parametrize("directive", ["no-store", "max-age=60, no-store"])
def test_no_store_is_never_kept(directive: str) -> None:
    server = Server(**{"Cache-Control": directive})
    c = client(server, rt.Cache(ttl=60))
    raw(c), raw(c)
    assert len(server.requests) == 2


def test_etag_revalidation_returns_the_stored_body() -> None:
    server = Server(ETag="x", **{"Cache-Control": "no-cache"})
    c = client(server, rt.Cache())
    first = raw(c)
    second = raw(c)
    assert second.cache_status == "revalidated" and second.status_code == 200
    assert second.parse() == first.parse() == {"version": 1, "lang": None}
    assert server.requests[1].headers["If-None-Match"] == '"v1"'


def test_last_modified_revalidation() -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    server = Server(**{"Last-Modified": stamp})
    c = client(server, rt.Cache())
    raw(c)
    again = raw(c)
    assert again.cache_status == "revalidated"
    assert server.requests[1].headers["If-Modified-Since"] == stamp


def test_expires_header() -> None:
    now = time.time()
    server = Server(Date=httpx_date(now), Expires=httpx_date(now + 120))
    c = client(server, rt.Cache())
    raw(c)
    assert raw(c).cache_status == "hit" and len(server.requests) == 1


def test_expires_counts_the_age_a_shared_cache_reports() -> None:
    """A helper's review: `Expires` 120 s after `Date` with `Age: 150` (a CDN's copy) was
    served from the cache for two minutes though already stale; `max-age` counted `Age`."""
    now = time.time()
    server = Server(Date=httpx_date(now), Expires=httpx_date(now + 120), Age="150")
    c = client(server, rt.Cache())
    raw(c)
    assert raw(c).cache_status == "miss" and len(server.requests) == 2


def httpx_date(ts: float) -> str:
    import email.utils

    return email.utils.formatdate(ts, usegmt=True)


def test_vary_keeps_one_entry_per_header_value() -> None:
    server = Server(Vary="Accept-Language", **{"Cache-Control": "max-age=60"})
    c = client(server, rt.Cache())
    de = raw(c, extra_headers={"Accept-Language": "de"}).parse()
    en = raw(c, extra_headers={"Accept-Language": "en"}).parse()
    assert (de["lang"], en["lang"]) == ("de", "en") and len(server.requests) == 2
    assert raw(c, extra_headers={"Accept-Language": "de"}).cache_status == "hit"


def test_the_store_keeps_no_value_of_a_header_the_response_varies_on() -> None:
    """A helper's review: `Vary: Accept, Authorization, X-API-Key` (GitHub sends `Vary:
    Accept, Authorization, Cookie`) stored the caller's key in clear in every entry, a shared
    Redis store too. The entry keeps a hash; matching by it still tells variants apart."""
    server = Server(Vary="Accept-Language, X-API-Key", **{"Cache-Control": "max-age=60"})
    store = rt.MemoryCacheStore()
    c = client(server, rt.Cache(store=store), "sk_live_SECRET123")
    raw(c, extra_headers={"Accept-Language": "de"})
    stored = b"".join(value for value, _ in store._data.values())
    assert stored and b"sk_live_SECRET123" not in stored and b'"de"' not in stored
    assert raw(c, extra_headers={"Accept-Language": "de"}).cache_status == "hit"
    assert raw(c, extra_headers={"Accept-Language": "en"}).cache_status == "miss"


def test_a_304_without_age_leaves_the_refreshed_entry_fresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same review: a first answer `max-age=60, Age: 59` (a CDN's copy), revalidated by a
    304 without `Age`, kept the old age: every call after revalidated again."""
    server = Server(ETag="x", Age="59", **{"Cache-Control": "max-age=60"})
    c = client(server, rt.Cache())
    raw(c)
    server.headers.pop("Age")  # the 304 says nothing of its age
    later = time.time() + 2
    monkeypatch.setattr("apigen_runtime._cache.time.time", lambda: later)
    assert raw(c).cache_status == "revalidated"
    monkeypatch.setattr("apigen_runtime._cache.time.time", lambda: later + 5)
    assert raw(c).cache_status == "hit"  # fresh for 60 s from the 304, not 60 - 59


def test_the_end_of_a_redirect_is_not_kept_under_the_url_that_redirected() -> None:
    """A helper's review: `/things` answered 302 (no freshness) to `/v1-things` (`max-age`):
    the target's answer was stored under `/things`, and once the server pointed `/things`
    elsewhere, the cache still answered with the old target for the whole max-age."""
    target = {"path": "/v1/one"}
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/v1/things":
            return httpx.Response(302, headers={"Location": target["path"]})
        fresh = {"Cache-Control": "max-age=300"}
        return httpx.Response(200, json={"at": request.url.path}, headers=fresh)

    c = rt.SyncAPIClient(
        base_url="https://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        credentials={"api_key": "k"},
        security_schemes=SCHEMES,
        cache=rt.Cache(),
    )
    assert raw(c).parse() == {"at": "/v1/one"}
    target["path"] = "/v1/two"
    again = raw(c)
    assert again.parse() == {"at": "/v1/two"} and again.cache_status == "miss"


def test_entries_are_never_shared_across_credentials() -> None:
    server = Server(**{"Cache-Control": "max-age=60"})
    store = rt.MemoryCacheStore()
    alice, bob = (
        client(server, rt.Cache(store=store), "alice"),
        client(server, rt.Cache(store=store), "bob"),
    )
    raw(alice)
    assert raw(bob).cache_status == "miss"
    assert raw(alice).cache_status == "hit" and raw(bob).cache_status == "hit"
    assert [r.headers["X-API-Key"] for r in server.requests] == ["alice", "bob"]


def test_entries_are_per_caller_and_account_whatever_the_header_s_name() -> None:
    """A helper's review: the fingerprint hashed only `Authorization`, cookies and the spec's
    API-key headers, and the key was the URL: a user token in `default_headers`
    (`X-Auth-Token`) or an account in `extra_headers` (Stripe Connect's `Stripe-Account`) got
    another user's or account's entry from a shared store. Every request header counts now,
    but the transport's, the retry count and trace context (a new `traceparent` still hits)."""
    server = Server(**{"Cache-Control": "max-age=60"})
    store = rt.MemoryCacheStore()
    alice, bob = (
        client(server, rt.Cache(store=store), "app", default_headers={"X-Auth-Token": user})
        for user in ("alice", "bob")
    )
    assert raw(alice).cache_status == "miss" and raw(bob).cache_status == "miss"
    assert raw(alice).cache_status == "hit" and raw(bob).cache_status == "hit"
    assert [r.headers["X-Auth-Token"] for r in server.requests] == ["alice", "bob"]
    a, b = ({"Stripe-Account": f"acct_{x}"} for x in "AB")
    assert raw(alice, extra_headers=a).cache_status == "miss"
    assert raw(alice, extra_headers=b).cache_status == "miss"
    assert raw(alice, extra_headers={**a, "traceparent": "00-1-2-01"}).cache_status == "hit"
    assert [r.headers.get("Stripe-Account") for r in server.requests[2:]] == ["acct_A", "acct_B"]


@pytest.mark.parametrize(
    "identity",
    [
        {"auth": ("alice", "pw")},
        {"headers": {"Authorization": "Bearer alice"}},
        {"cookies": {"session": "alice"}},
        {"params": {"key": "alice"}},  # (a later review: its query was not counted)
    ],
)
def test_what_a_callers_http_client_adds_keeps_entries_apart(identity: dict[str, Any]) -> None:
    """A helper's review: a credential on the caller's own `http_client` (`auth=`, `headers=`,
    `cookies=`) is added by httpx after the runtime built the request, so the fingerprint never
    saw it: `bob = alice.with_options(http_client=bob_http)` got alice's private body as a
    cache hit. The client's headers, cookies and auth count now."""
    server = Server(**{"Cache-Control": "private, max-age=60"})
    store = rt.MemoryCacheStore()
    transport = httpx.MockTransport(server)
    other = {
        k: ("bob", "pw") if k == "auth" else {n: "bob" for n in v} for k, v in identity.items()
    }
    alice_http = httpx.Client(transport=transport, **identity)
    bob_http = httpx.Client(transport=transport, **other)
    alice = rt.SyncAPIClient(
        base_url="https://api.test/v1", http_client=alice_http, cache=rt.Cache(store=store)
    )
    bob = alice.with_options(http_client=bob_http)
    assert raw(alice, op()).cache_status == "miss"
    assert raw(bob, op()).cache_status == "miss" and len(server.requests) == 2
    assert raw(alice, op()).cache_status == "hit" and raw(bob, op()).cache_status == "hit"


def test_a_client_whose_request_hook_may_add_a_credential_is_its_own() -> None:
    """A helper's review: a request `event_hooks` entry setting `Authorization` per user was
    invisible to the fingerprint; Bob's first call got Alice's private body as a hit."""
    server = Server(**{"Cache-Control": "private, max-age=60"})
    store = rt.MemoryCacheStore()

    def signer(user: str) -> Any:
        def hook(request: httpx.Request) -> None:
            request.headers["Authorization"] = f"Bearer {user}"

        return hook

    clients = [
        rt.SyncAPIClient(
            base_url="https://api.test/v1",
            http_client=httpx.Client(
                transport=httpx.MockTransport(server), event_hooks={"request": [signer(user)]}
            ),
            cache=rt.Cache(store=store),
        )
        for user in ("alice", "bob")
    ]
    assert [raw(c, op()).cache_status for c in clients] == ["miss", "miss"]
    assert [r.headers["Authorization"] for r in server.requests] == ["Bearer alice", "Bearer bob"]
    assert raw(clients[0].with_options(max_retries=1), op()).cache_status == "hit"
    # beside one shared Basic credential too (a review: the hook check sat in an `elif`)

    def on_behalf(user: str) -> Any:
        def hook(request: httpx.Request) -> None:
            request.headers["X-On-Behalf-Of"] = user

        return hook

    shared = [
        rt.SyncAPIClient(
            base_url="https://api.test/v1",
            http_client=httpx.Client(
                transport=httpx.MockTransport(server),
                auth=("svc", "pw"),
                event_hooks={"request": [on_behalf(user)]},
            ),
            cache=rt.Cache(store=store),
        )
        for user in ("carol", "dave")
    ]
    assert [raw(c, op()).cache_status for c in shared] == ["miss", "miss"]


def test_cookies_the_server_sets_do_not_split_the_entries() -> None:
    """A helper's review of the above: the fingerprint hashed the pool's cookie jar as it was
    at each call, and every `Set-Cookie` (a load balancer's `AWSALB`) made the next GET a miss."""
    calls: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        headers = {"Cache-Control": "max-age=60", "Set-Cookie": f"AWSALB=n{len(calls)}; Path=/"}
        return httpx.Response(200, json={"n": len(calls)}, headers=headers)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    c = rt.SyncAPIClient(base_url="https://api.test/v1", http_client=http, cache=rt.Cache())
    assert [raw(c, op()).cache_status for _ in range(3)] == ["miss", "hit", "hit"]
    assert len(calls) == 1


def test_an_opaque_auth_of_one_user_never_answers_another() -> None:
    """An `httpx.Auth` other than Basic was known by its `id()`, which Python reuses once the
    object is freed: a web app building a client per request with a shared cache served 80 of
    200 users another user's private entry."""

    class Token(httpx.Auth):
        def __init__(self, user: str) -> None:
            self.user = user

        def auth_flow(self, request: httpx.Request) -> Any:
            request.headers["X-User"] = self.user
            yield request

    def answer(request: httpx.Request) -> httpx.Response:
        body = {"user": request.headers["X-User"]}
        return httpx.Response(200, json=body, headers={"Cache-Control": "private, max-age=60"})

    store = rt.MemoryCacheStore()
    for i in range(50):
        http = httpx.Client(transport=httpx.MockTransport(answer), auth=Token(f"u{i}"))
        client = rt.SyncAPIClient(
            base_url="https://api.test/v1", http_client=http, cache=rt.Cache(store=store)
        )
        assert raw(client, op()).parse() == {"user": f"u{i}"}
        del client, http


def test_a_failing_store_leaves_calls_to_the_network(caplog: pytest.LogCaptureFixture) -> None:
    """A helper's review: a Redis store that was down made every GET raise redis's own
    `ConnectionError` (no `APIError`), and a POST the server had performed raise while
    clearing its URL's entries, so a caller retrying on error sent it twice. The cache fails
    open, with one warning per outage."""

    class Down:
        calls = 0

        def get(self, key: str) -> Any:
            self.calls += 1
            raise ConnectionError("redis is down")

        set = delete = get

    store = Down()
    server = Server(**{"Cache-Control": "max-age=60"})
    c = client(server, rt.Cache(store=store))  # type: ignore[arg-type]
    with caplog.at_level("INFO", logger="apigen_runtime"):
        assert raw(c).cache_status == "miss" and raw(c).cache_status == "miss"
        assert c.request(POST, {}) == {"ok": True}  # performed: no error after it
    assert len(server.requests) == 3 and store.calls >= 4
    warnings = [r for r in caplog.records if "cache store failed" in r.getMessage()]
    assert len(warnings) == 1 and "redis is down" in warnings[0].getMessage()

    class AsyncDown:
        async def get(self, key: str) -> Any:
            raise ConnectionError("redis is down")

        set = delete = get

    server = Server(**{"Cache-Control": "max-age=60"})
    ac = async_client(server, rt.Cache(store=AsyncDown()))  # type: ignore[arg-type]

    async def calls() -> None:
        await ac.request(THING, {})
        await ac.request(POST, {})

    asyncio.run(calls())
    assert len(server.requests) == 2


def test_unsafe_method_invalidates_the_url() -> None:
    server = Server(**{"Cache-Control": "max-age=60"})
    c = client(server, rt.Cache())
    assert raw(c).parse()["version"] == 1
    c.request(POST, {})
    after = raw(c)
    assert after.cache_status == "miss" and after.parse()["version"] == 2


def test_client_ttl_for_apis_without_cache_headers() -> None:
    server = Server()
    raw(client(server, rt.Cache()))
    c = client(server, rt.Cache(ttl=30))
    raw(c)
    assert raw(c).cache_status == "hit" and len(server.requests) == 2


def test_per_call_opt_out() -> None:
    server = Server(ETag="x", **{"Cache-Control": "max-age=60"})
    c = client(server, rt.Cache())
    raw(c)
    revalidated = raw(c, extra_headers={"Cache-Control": "no-cache"})
    assert revalidated.cache_status == "revalidated" and len(server.requests) == 2
    bypass = raw(c, extra_headers={"Cache-Control": "no-store"})
    assert bypass.cache_status == "bypass" and len(server.requests) == 3


def test_memory_store_is_bounded() -> None:
    store = rt.MemoryCacheStore(max_entries=2, max_bytes=1000)
    for key in ("a", "b", "c"):
        store.set(key, b"x" * 10, None)
    assert store.get("a") is None and store.get("c") == b"x" * 10 and len(store) == 2
    store.set("big", b"y" * 600, None)
    store.set("big2", b"y" * 600, None)
    assert store.get("big") is None and store.get("big2") is not None  # bytes bound, LRU


def test_hits_are_logged_and_visible_to_hooks(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str | None] = []
    server = Server(**{"Cache-Control": "max-age=60"})
    hooks = rt.Hooks(after_response=[lambda r: seen.append(r.extensions.get("apigen.cache"))])
    c = client(server, rt.Cache(), hooks=hooks)
    with caplog.at_level(logging.INFO):
        raw(c), raw(c)
    assert seen == ["miss", "hit"]
    assert any("cache hit: GET" in r.getMessage() for r in caplog.records)


def test_async_client_uses_the_cache() -> None:
    server = Server(**{"Cache-Control": "max-age=60"})

    async def run() -> list[str | None]:
        c = async_client(server, rt.Cache(), key="k")
        call = rt.with_raw_response(c.request)
        return [(await call(THING, {})).cache_status for _ in range(3)]

    assert asyncio.run(run()) == ["miss", "hit", "hit"]
    assert len(server.requests) == 1


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server, url = start_redis(tmp_path_factory.mktemp("redis-cache"))
    try:
        yield url
    finally:
        stop(server)


def test_redis_store_is_shared_by_clients(redis_url: str) -> None:
    import redis

    server = Server(**{"Cache-Control": "max-age=60"})
    conn = redis.Redis.from_url(redis_url)
    store = rt.RedisCacheStore(conn, prefix=f"test:{time.time()}:")
    raw(client(server, rt.Cache(store=store)))
    other = client(server, rt.Cache(store=store))  # another client (or process), same Redis
    assert raw(other).cache_status == "hit" and len(server.requests) == 1
    conn.close()


def test_redis_store_with_the_async_client(redis_url: str) -> None:
    import redis.asyncio

    server = Server(**{"Cache-Control": "max-age=60"})

    async def run() -> list[str | None]:
        conn = redis.asyncio.Redis.from_url(redis_url)
        store = rt.RedisCacheStore(conn, prefix=f"atest:{time.time()}:")
        c = rt.AsyncAPIClient(
            base_url="https://api.test/v1",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
            credentials={"api_key": "k"},
            security_schemes=SCHEMES,
            cache=rt.Cache(store=store),
        )
        call = rt.with_raw_response(c.request)
        out = [(await call(THING, {})).cache_status for _ in range(2)]
        await conn.aclose()
        return out

    assert asyncio.run(run()) == ["miss", "hit"]


def test_the_cache_is_not_imported_without_cache() -> None:
    code = "import apigen_runtime as rt, sys; rt.SyncAPIClient(base_url='https://x'); print('apigen_runtime._cache' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_cache_status_is_set_on_the_callers_span() -> None:
    code = textwrap.dedent(
        """
        import httpx
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        import apigen_runtime as rt

        def handler(request):
            return httpx.Response(200, json={}, headers={"Cache-Control": "max-age=60"})

        op = rt.Operation(method="get", path="/x", responses={"200": rt.Response(dict, "json")})
        c = rt.SyncAPIClient(base_url="https://a.test", cache=rt.Cache(),
                             http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        tracer = trace.get_tracer("app")
        for name in ("first", "second"):
            with tracer.start_as_current_span(name):
                c.request(op, {})
        print({s.name: s.attributes.get("apigen.cache") for s in exporter.get_finished_spans()
               if s.name in ("first", "second")})
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "{'first': 'miss', 'second': 'hit'}"


def test_a_list_page_served_from_the_cache_keeps_its_response() -> None:
    """A page answered by the cache went through no transport: `with_raw_response` of a list
    method raised "the page has no HTTP response" (the README's cache example, nytimes)."""
    from apigen_runtime._resource import raw_async_page, raw_page

    pages = op(
        security=(("key",),),
        responses={"200": rt.Response(dict[str, Any], "json")},
        pagination=rt.NextUrlPagination(items="version", next="next"),
    )
    server = Server(**{"Cache-Control": "max-age=60"})
    c = client(server, rt.Cache())
    first, second = (raw_page(c.paginate)(pages, {}) for _ in range(2))
    assert (first.cache_status, second.cache_status) == ("miss", "hit")
    assert second.parse().response is second.http_response
    assert second.parse().raw == first.parse().raw and len(server.requests) == 1

    async def run() -> str | None:
        a = async_client(server, rt.Cache())
        await raw_async_page(a.paginate)(pages, {})
        return (await raw_async_page(a.paginate)(pages, {})).cache_status

    assert asyncio.run(run()) == "hit"


@pytest.mark.parametrize("why", ["no-store", "too large"])
def test_newer_content_that_cannot_be_kept_retires_the_older_entry(why: str) -> None:
    """A helper's review: after a `no-cache` call saw a new body that could not be stored
    (`no-store`, or larger than the store's `max_bytes`), the next call answered with the old
    body as a hit: the cache went back in time."""
    answers = [
        httpx.Response(200, json={"v": 1}, headers={"Cache-Control": "max-age=60"}),
        httpx.Response(
            200,
            json={"v": 2, "pad": "x" * (5000 if why == "too large" else 0)},
            headers={"Cache-Control": "no-store" if why == "no-store" else "max-age=60"},
        ),
        httpx.Response(200, json={"v": 3}, headers={"Cache-Control": "max-age=60"}),
    ]
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answers[len(sent) - 1]

    store = rt.MemoryCacheStore(max_bytes=2000)
    c = rt.SyncAPIClient(
        base_url="https://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
        cache=rt.Cache(store=store),
    )
    assert raw(c, op()).parse()["v"] == 1
    again = raw(c, op(), extra_headers={"Cache-Control": "no-cache"})
    assert again.parse()["v"] == 2 and again.cache_status == "miss"
    latest = raw(c, op())
    assert latest.parse()["v"] == 3 and latest.cache_status == "miss" and len(sent) == 3
    # (exported as docs/runtime-contract.md lists it: an ImportError before)
    assert rt.cache_status(latest.http_response) == "miss"
    hit = raw(c, op())
    assert hit.cache_status == "hit" and hit.elapsed.total_seconds() == 0  # (it raised)
