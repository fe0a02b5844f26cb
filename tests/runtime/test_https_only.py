"""Issue 12: a credential (API key, bearer, basic, OAuth token or client secret) never travels
over plain http except to loopback, unless the client opts in; https -> http redirects drop it.
Sync and async, against recording transports that count what they receive."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

import apigen_runtime as rt

from .conftest import Recorder, make_client, op

SCHEMES: dict[str, rt.SecurityScheme] = {
    "key": rt.ApiKey("api_key", "X-API-Key", "header"),
    "basic": rt.HTTPBasic("username", "password"),
    "bearer": rt.HTTPBearer("bearer_token"),
}
CREDS = {
    "api_key": "k-secret",
    "username": "u",
    "password": "pw-secret",
    "bearer_token": "b-secret",
}


@pytest.mark.parametrize("scheme", ["key", "basic", "bearer"])
def test_plain_http_to_another_host_is_refused_before_sending(
    recorder: Recorder, scheme: str
) -> None:
    client = make_client(
        recorder,
        base_url="http://api.example.com/v1",
        credentials=CREDS,
        security_schemes=SCHEMES,
        default_security=((scheme,),),
    )
    with pytest.raises(rt.InsecureTransportError) as caught:
        client.request(op(), {})
    assert recorder.requests == []  # nothing left the process
    message = str(caught.value)
    assert "https://" in message and "allow_insecure_credentials=True" in message
    assert isinstance(caught.value, rt.APIError)


def _bearer_over_http(recorder: Recorder, host: str) -> rt.SyncAPIClient:
    return make_client(
        recorder,
        base_url=f"http://{host}:8080",
        credentials=CREDS,
        security_schemes=SCHEMES,
        default_security=(("bearer",),),
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.8.0.1"])
def test_loopback_is_allowed(recorder: Recorder, host: str) -> None:
    _bearer_over_http(recorder, host).request(op(), {})
    assert recorder.last.headers["Authorization"] == "Bearer b-secret"


@pytest.mark.parametrize("host", ["api.localhost", "localhost.evil.test", "127.0.0.1.nip.io"])
def test_names_only_dns_can_place_are_not_loopback(recorder: Recorder, host: str) -> None:
    """Helper 224: `http://api.localhost` took the key in clear; RFC 6761 asks resolvers to
    keep `*.localhost` on loopback, but Python's `getaddrinfo` asks DNS for it."""
    with pytest.raises(rt.InsecureTransportError):
        _bearer_over_http(recorder, host).request(op(), {})
    assert recorder.requests == []


def test_opt_in_sends_over_http(recorder: Recorder) -> None:
    client = make_client(
        recorder,
        base_url="http://intranet.corp",
        credentials=CREDS,
        security_schemes=SCHEMES,
        default_security=(("key",),),
        allow_insecure_credentials=True,
    )
    client.request(op(), {})
    assert recorder.last.headers["X-API-Key"] == "k-secret"


def test_anonymous_requests_over_http_are_fine(recorder: Recorder) -> None:
    client = make_client(recorder, base_url="http://api.example.com", security_schemes=SCHEMES)
    client.request(op(security=((),)), {})
    assert len(recorder.requests) == 1


def test_async_is_refused_too() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    async def run() -> None:
        client = rt.AsyncAPIClient(
            base_url="http://api.example.com",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
            credentials=CREDS,
            security_schemes=SCHEMES,
            default_security=(("bearer",),),
        )
        with pytest.raises(rt.InsecureTransportError):
            await client.request(op(), {})

    asyncio.run(run())
    assert seen == []


def test_oauth_secret_never_goes_to_an_http_token_endpoint() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})

    scheme = rt.OAuth2ClientCredentials(
        "client_id", "client_secret", "http://auth.example.com/token", ["read"]
    )
    client = rt.SyncAPIClient(
        base_url="https://api.example.com",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        credentials={"client_id": "cid", "client_secret": "s3cret"},
        security_schemes={"oauth": scheme},
        default_security=(("oauth",),),
    )
    with pytest.raises(rt.InsecureTransportError, match="client secret"):
        client.request(op(), {})
    assert seen == []


def test_https_to_http_redirect_drops_credentials() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.scheme == "https":
            return httpx.Response(302, headers={"Location": "http://api.example.com/things"})
        return httpx.Response(200, json={})

    client = rt.SyncAPIClient(
        base_url="https://api.example.com",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        credentials=CREDS,
        security_schemes=SCHEMES,
        default_security=(("key",),),
    )
    result: Any = client.request(op(), {})
    assert result == {}
    assert seen[0].headers["X-API-Key"] == "k-secret"
    assert seen[1].url.scheme == "http"
    assert "x-api-key" not in seen[1].headers and "authorization" not in seen[1].headers


@pytest.mark.parametrize(
    "target", ["https://api.example.com:8443/x", "http://api.example.com/x", "https://cdn.test/x"]
)
def test_the_pool_s_cookie_jar_stays_behind_on_a_redirect_to_another_origin(target: str) -> None:
    """A helper's review: a session cookie the API set (`Set-Cookie` without `Secure`) went on
    a redirect to another port and over plain http: `_redirects` dropped the request's
    `Cookie`, and httpx's `build_request` added the jar's again (scoped by host, not origin).
    Sync and async; on the API's own origin the jar's cookies are still sent."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/login":
            return httpx.Response(200, json={}, headers={"Set-Cookie": "sid=s-secret; Path=/"})
        if request.url.path == "/things":
            return httpx.Response(302, headers={"Location": target})
        return httpx.Response(200, json={})

    client = rt.SyncAPIClient(
        base_url="https://api.example.com",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    client.request(op(path="/login"), {})
    client.request(op(path="/things"), {})
    assert seen[1].headers["cookie"] == "sid=s-secret" and "cookie" not in seen[2].headers

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with rt.AsyncAPIClient(base_url="https://api.example.com", http_client=http) as c:
            await c.request(op(path="/login"), {})
            await c.request(op(path="/things"), {})

    seen.clear()
    asyncio.run(run())
    assert seen[1].headers["cookie"] == "sid=s-secret" and "cookie" not in seen[2].headers


def test_a_cookie_the_api_scoped_to_its_domain_follows_to_another_host() -> None:
    """A review of the fix above: it dropped every jar cookie on a cross-origin hop, including
    a `Domain=.example.com` cookie the API set for its CDN (CloudFront signed cookies on a
    redirected download), which browsers, httpx and requests send. Another host over https
    gets what the jar's domain rules give it; the session cookie (host-only) stays behind."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/login":
            cookies = [
                ("set-cookie", "CloudFront-Policy=p; Domain=.example.com; Path=/"),
                ("set-cookie", "sid=s-secret; Path=/"),
            ]
            return httpx.Response(200, json={}, headers=cookies)
        if request.url.host == "api.example.com":
            return httpx.Response(302, headers={"Location": "https://cdn.example.com/f"})
        return httpx.Response(200, json={})

    client = rt.SyncAPIClient(
        base_url="https://api.example.com",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    client.request(op(path="/login"), {})
    client.request(op(path="/download"), {})
    assert seen[2].url.host == "cdn.example.com"
    assert seen[2].headers["cookie"] == "CloudFront-Policy=p"


@pytest.mark.parametrize("http_kwargs", ["auth", "headers", "params", "basic"])
def test_the_http_client_s_own_credentials_stay_behind_on_a_redirect_to_another_origin(
    http_kwargs: str,
) -> None:
    """A helper's review: credentials set on the caller's own `http_client=` (an `httpx.Auth`,
    a default `Authorization` header, default `params={"key": ...}`) reached another origin on
    a redirect: each hop is rebuilt with the http client's `build_request`, which put its
    headers and params back, and sent with its `auth=`. httpx following the redirect itself
    drops them. On the API's own origin they are still sent. Sync and async."""

    class TokenAuth(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Any:
            request.headers["Authorization"] = "token t-secret"
            yield request

    kwargs: dict[str, Any] = {
        "auth": {"auth": TokenAuth()},
        "basic": {"auth": ("u", "pw-secret")},
        "headers": {"headers": {"Authorization": "token t-secret"}},
        "params": {"params": {"key": "t-secret"}},
    }[http_kwargs]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.example.com":
            return httpx.Response(302, headers={"Location": "https://elsewhere.test/collect?a=1"})
        return httpx.Response(200, json={})

    def check() -> None:
        home, away = seen
        assert "authorization" in home.headers or home.url.params.get("key") == "t-secret"
        assert "authorization" not in away.headers, away.headers
        assert str(away.url) == "https://elsewhere.test/collect?a=1"
        assert "secret" not in repr(away.headers.raw) + str(away.url)

    transport = httpx.MockTransport(handler)
    client = rt.SyncAPIClient(
        base_url="https://api.example.com", http_client=httpx.Client(transport=transport, **kwargs)
    )
    assert client.request(op(), {}) == {}
    check()

    async def run() -> None:
        http = httpx.AsyncClient(transport=transport, **kwargs)
        async with rt.AsyncAPIClient(base_url="https://api.example.com", http_client=http) as c:
            assert await c.request(op(), {}) == {}

    seen.clear()
    asyncio.run(run())
    check()
