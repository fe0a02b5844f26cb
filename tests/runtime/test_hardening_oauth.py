"""Token endpoint hardening: retries with backoff, errors that name the problem, no redirect
that could carry secrets elsewhere, and rotating refresh tokens shared between clients."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import _oauth

from .test_oauth import THINGS as LIST
from .test_oauth import AuthServer, code_settings


@pytest.fixture
def server() -> Iterator[AuthServer]:
    srv = AuthServer()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


SECRET = "cs_token_endpoint_secret"
API = "https://api.test"


class TokenEndpoint:
    """A MockTransport: ``/token`` answers from ``replies`` in turn, the API path says 200."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.token_calls = 0
        self.hosts: list[str] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.url.path == "/token":
            self.token_calls += 1
            reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
            if isinstance(reply, Exception):
                raise reply
            assert isinstance(reply, httpx.Response)  # a fresh copy: responses are used once
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        return httpx.Response(200, json={"ok": True})

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self(request)


def settings() -> dict[str, Any]:
    return {
        "base_url": API,
        "credentials": {"client_id": "cid", "client_secret": SECRET},
        "security_schemes": {
            "oauth": rt.OAuth2ClientCredentials("client_id", "client_secret", "/token")
        },
        "default_security": (("oauth",),),
    }


def sync_client(endpoint: TokenEndpoint) -> rt.SyncAPIClient:
    http = httpx.Client(transport=httpx.MockTransport(endpoint))
    client = rt.SyncAPIClient(http_client=http, **settings())
    client._sleep = endpoint.sleeps.append
    return client


def async_client(endpoint: TokenEndpoint) -> rt.AsyncAPIClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(endpoint.handle_async))
    client = rt.AsyncAPIClient(http_client=http, **settings())

    async def sleep(seconds: float) -> None:
        endpoint.sleeps.append(seconds)

    client._sleep = sleep
    return client


OK_TOKEN = httpx.Response(200, json={"access_token": "at_1", "expires_in": 3600})


def flaky() -> TokenEndpoint:
    connect = httpx.ConnectError("refused")
    return TokenEndpoint(httpx.Response(503), connect, OK_TOKEN)


def test_sync_token_endpoint_5xx_and_connection_errors_are_retried() -> None:
    endpoint = flaky()
    assert sync_client(endpoint).request(LIST, {}) == {"ok": True}
    assert endpoint.token_calls == 3
    assert len(endpoint.sleeps) == 2 and 0.3 <= endpoint.sleeps[0] <= 0.5
    assert endpoint.sleeps[1] > endpoint.sleeps[0]  # backoff grows


async def test_async_token_endpoint_5xx_and_connection_errors_are_retried() -> None:
    endpoint = flaky()
    assert await async_client(endpoint).request(LIST, {}) == {"ok": True}
    assert endpoint.token_calls == 3 and len(endpoint.sleeps) == 2


def test_token_endpoint_retries_are_bounded() -> None:
    endpoint = TokenEndpoint(httpx.Response(502))
    with pytest.raises(rt.InternalServerError):
        sync_client(endpoint).request(LIST, {})
    assert endpoint.token_calls == 3
    endpoint = TokenEndpoint(httpx.ConnectError("refused"))
    with pytest.raises(rt.APIConnectionError):
        sync_client(endpoint).request(LIST, {})
    assert endpoint.token_calls == 3


def test_token_endpoint_4xx_is_not_retried() -> None:
    endpoint = TokenEndpoint(httpx.Response(401, json={"error": "invalid_client"}))
    with pytest.raises(rt.AuthenticationError):
        sync_client(endpoint).request(LIST, {})
    assert endpoint.token_calls == 1


BAD_REPLIES = [
    (httpx.Response(200, json={"token_type": "bearer", "expires_in": 60}), "no access_token"),
    (httpx.Response(200, json={"access_token": ""}), "empty or non-string access_token"),
    (httpx.Response(200, json={"access_token": 7}), "empty or non-string access_token"),
    (httpx.Response(200, json=["at_1"]), "not an object"),
    (
        httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"}),
        r"not JSON \(text/html\)",
    ),
    (httpx.Response(200, content=b"[" * 100_000), "not JSON"),
]


@pytest.mark.parametrize(("reply", "problem"), BAD_REPLIES)
def test_sync_bad_token_response_names_the_problem(reply: httpx.Response, problem: str) -> None:
    with pytest.raises(rt.OAuthError, match=problem) as info:
        sync_client(TokenEndpoint(reply)).request(LIST, {})
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(("reply", "problem"), BAD_REPLIES[:2])
async def test_async_bad_token_response_names_the_problem(
    reply: httpx.Response, problem: str
) -> None:
    with pytest.raises(rt.OAuthError, match=problem):
        await async_client(TokenEndpoint(reply)).request(LIST, {})


def redirecting() -> TokenEndpoint:
    return TokenEndpoint(httpx.Response(307, headers={"location": "https://evil.test/token"}))


def test_sync_token_endpoint_redirect_is_not_followed() -> None:
    endpoint = redirecting()
    with pytest.raises(rt.OAuthError, match=r"redirect to https://evil\.test"):
        sync_client(endpoint).request(LIST, {})
    assert "evil.test" not in endpoint.hosts and endpoint.token_calls == 1


async def test_async_token_endpoint_redirect_is_not_followed() -> None:
    endpoint = redirecting()
    with pytest.raises(rt.OAuthError):
        await async_client(endpoint).request(LIST, {})
    assert endpoint.hosts == ["api.test"]


def test_refresh_token_redirect_is_not_followed(server: AuthServer) -> None:
    """The authorization-code refresh (the refresh token in the form) is never redirected."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "auth.test":
            return httpx.Response(308, headers={"location": "https://evil.test/token"})
        return httpx.Response(401)

    settings = code_settings(server, refresh_token="rt_secret_refresh")
    scheme = settings["security_schemes"]["oauth"]
    scheme.token_url = "https://auth.test/token"
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = rt.SyncAPIClient(http_client=http, **settings)
    with pytest.raises(rt.OAuthError, match="redirect"):
        client.request(LIST, {})
    assert not any("evil.test" in url for url in seen)


# --- rotating refresh tokens, shared between clients --------------------------------------------


def seeded(server: AuthServer) -> rt.Token:
    server.refresh_tokens.add("rt_seed_secret_refresh")
    return rt.Token("at_expired", expires_at=0.0, refresh_token="rt_seed_secret_refresh")


def presented(server: AuthServer) -> list[str]:
    return [f["refresh_token"] for f in server.token_requests if "refresh_token" in f]


def test_clients_sharing_a_store_never_present_a_used_refresh_token(
    server: AuthServer,
) -> None:
    store = rt.InMemoryTokenStore(seeded(server))
    first = rt.SyncAPIClient(**code_settings(server))
    second = rt.SyncAPIClient(**code_settings(server))
    first.oauth.token_store = second.oauth.token_store = store
    assert second.oauth.token is not None  # the second client has read the seed already
    assert first.request(LIST, {}) == {"ok": True}  # refreshes: the seed is now used
    assert second.request(LIST, {}) == {"ok": True}  # picks up the rotated token instead
    assert presented(server) == ["rt_seed_secret_refresh"]
    assert len(set(presented(server))) == len(presented(server))
    server.valid.clear()  # every access token revoked: both renew on the 401, once in all
    assert first.request(LIST, {}) == {"ok": True}
    assert second.request(LIST, {}) == {"ok": True}
    assert len(presented(server)) == 2 and len(set(presented(server))) == 2


def test_concurrent_clients_sharing_a_store_refresh_once(server: AuthServer) -> None:
    store = rt.InMemoryTokenStore(seeded(server))
    server.delay = 0.1
    clients = [rt.SyncAPIClient(**code_settings(server)) for _ in range(4)]
    for client in clients:
        client.oauth.token_store = store
        assert client.oauth.token is not None
    errors: list[BaseException] = []

    def call(client: rt.SyncAPIClient) -> None:
        try:
            client.request(LIST, {})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == [] and presented(server) == ["rt_seed_secret_refresh"]


async def test_async_clients_sharing_a_store(server: AuthServer) -> None:
    store = rt.InMemoryTokenStore(seeded(server))
    first = rt.AsyncAPIClient(**code_settings(server))
    second = rt.AsyncAPIClient(**code_settings(server))
    first.oauth.token_store = second.oauth.token_store = store
    assert second.oauth.token is not None
    assert await first.request(LIST, {}) == {"ok": True}
    assert await second.request(LIST, {}) == {"ok": True}
    assert presented(server) == ["rt_seed_secret_refresh"]


def test_file_stores_on_one_path_refresh_once(server: AuthServer, tmp_path: Path) -> None:
    """Separate ``JSONFileTokenStore`` objects on one file (as separate processes have) are
    serialised by the file lock and re-read the file: one refresh for all of them."""
    path = tmp_path / "token.json"
    rt.JSONFileTokenStore(path).save(seeded(server))
    server.delay = 0.1
    clients = [rt.SyncAPIClient(**code_settings(server)) for _ in range(3)]
    for client in clients:
        client.oauth.token_store = rt.JSONFileTokenStore(path)  # one object each
        assert client.oauth.token is not None
    errors: list[BaseException] = []

    def call(client: rt.SyncAPIClient) -> None:
        try:
            client.request(LIST, {})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == [] and presented(server) == ["rt_seed_secret_refresh"]
    assert (tmp_path / "token.json.lock").exists()
    assert _oauth.fcntl is not None


_CHILD = """
import sys
import apigen_runtime as rt
from tests.runtime.test_oauth import THINGS, AuthServer, code_settings

class Remote:  # what code_settings reads from the server
    url = sys.argv[1]

client = rt.SyncAPIClient(**code_settings(Remote()))  # type: ignore[arg-type]
client.oauth.token_store = rt.JSONFileTokenStore(sys.argv[2])
assert client.oauth.token is not None
print(client.request(THINGS, {}))
"""


def test_processes_sharing_a_token_file_refresh_once(server: AuthServer, tmp_path: Path) -> None:
    """Three processes, one token file, an expired token with a rotating refresh token: one
    refresh in all (the file lock serialises them; each re-reads the file under it)."""
    import subprocess
    import sys

    path = tmp_path / "token.json"
    rt.JSONFileTokenStore(path).save(seeded(server))
    server.delay = 0.3  # the first refresh is still running when the others want theirs
    root = Path(__file__).resolve().parents[2]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, server.url, str(path)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0, 0, 0], results
    assert all("'ok': True" in out for out, _ in results)
    assert presented(server) == ["rt_seed_secret_refresh"]


def test_the_token_request_is_bounded_by_the_calls_timeout_and_deadline() -> None:
    """An async review: with a token endpoint taking 3 s, `get(..., deadline=1.0)` ran ~3.7 s
    and `timeout=1.0` ~3.1 s: the token request went with neither."""
    seen: list[dict[str, float | None]] = []
    endpoint = TokenEndpoint(OK_TOKEN)

    def recording(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            seen.append(request.extensions["timeout"])
        return endpoint(request)

    http = httpx.Client(transport=httpx.MockTransport(recording))
    client = rt.SyncAPIClient(http_client=http, **settings())
    assert client.request(LIST, {}, {"timeout": 2.5}) == {"ok": True}
    assert seen[-1]["read"] == 2.5
    client = rt.SyncAPIClient(http_client=http, **settings())
    assert client.request(LIST, {}, {"deadline": 0.5}) == {"ok": True}
    read = seen[-1]["read"]
    assert read is not None and 0 < read <= 0.5


def test_a_token_endpoint_retry_past_the_deadline_is_not_waited_for() -> None:
    endpoint = TokenEndpoint(httpx.Response(503))
    with pytest.raises(rt.APIStatusError):
        sync_client(endpoint).request(LIST, {}, {"deadline": 0.2})
    assert endpoint.token_calls == 1 and endpoint.sleeps == []


def test_a_refresh_is_not_cut_short_by_the_calls_timeout_or_deadline() -> None:
    """A review of the fix above: a rotating refresh token's request cut short by a call's
    `deadline=1` lost the new token (the server had spent the old one): every later call
    `invalid_grant`. A single-use grant goes with the client's own timeout, no deadline."""
    import time as clock

    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            seen.append(request.extensions["timeout"])
            body = {"access_token": "at_2", "refresh_token": "rt_2", "expires_in": 3600}
            return httpx.Response(200, json=body)
        return httpx.Response(200, json={"ok": True})

    scheme = rt.OAuth2AuthorizationCode(
        "access_token", token_url="/token", refresh_credential="refresh_token"
    )
    scheme.token_store = rt.InMemoryTokenStore(
        rt.Token("at_old", expires_at=clock.time() - 10, refresh_token="rt_1")
    )
    client = rt.SyncAPIClient(
        base_url=API,
        security_schemes={"oauth": scheme},
        default_security=(("oauth",),),
        timeout=30.0,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    assert client.request(LIST, {}, {"timeout": 0.5, "deadline": 0.5}) == {"ok": True}
    assert seen[0]["read"] == 5.0  # the http client's own (httpx: 5 s), not the call's 0.5


def test_waiting_for_another_calls_token_renewal_is_bounded_by_the_deadline() -> None:
    """A review: a call with `deadline=0.2` waited behind another call's slow token renewal
    for as long as it took (the lock wait knew no deadline); now it fails at its deadline,
    and the renewal it waited on still completes for the other call."""
    import time as clock

    started, release = threading.Event(), threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            started.set()
            release.wait(10)
            return httpx.Response(200, json={"access_token": "at_1", "expires_in": 3600})
        return httpx.Response(200, json={"ok": True})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = rt.SyncAPIClient(http_client=http, **settings())
    first: list[object] = []
    renewing = threading.Thread(target=lambda: first.append(client.request(LIST, {})))
    renewing.start()
    try:
        assert started.wait(5)
        begun = clock.monotonic()
        with pytest.raises(rt.APITimeoutError, match="another call's token renewal: GET /things"):
            client.request(LIST, {}, {"deadline": 0.2})
        assert clock.monotonic() - begun < 2
    finally:
        release.set()
        renewing.join(10)
    assert first == [{"ok": True}]


async def test_async_waiting_for_another_calls_token_renewal_is_bounded_by_the_deadline() -> None:
    import asyncio

    started, release = asyncio.Event(), asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            started.set()
            await asyncio.wait_for(release.wait(), 10)
            return httpx.Response(200, json={"access_token": "at_1", "expires_in": 3600})
        return httpx.Response(200, json={"ok": True})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = rt.AsyncAPIClient(http_client=http, **settings())
    renewing = asyncio.ensure_future(client.request(LIST, {}))
    try:
        await asyncio.wait_for(started.wait(), 5)
        begun = asyncio.get_running_loop().time()
        with pytest.raises(rt.APITimeoutError, match="another call's token renewal"):
            await client.request(LIST, {}, {"deadline": 0.2})
        assert asyncio.get_running_loop().time() - begun < 2
    finally:
        release.set()
    assert await renewing == {"ok": True}
    assert await client.request(LIST, {}, {"deadline": 0.2}) == {"ok": True}


def _file_store_client(path: Path) -> rt.SyncAPIClient:
    import time as clock

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            body = {"access_token": "at_2", "refresh_token": "rt_2", "expires_in": 3600}
            return httpx.Response(200, json=body)
        return httpx.Response(200, json={"ok": True})

    scheme = rt.OAuth2AuthorizationCode(
        "access_token", token_url="/token", refresh_credential="refresh_token"
    )
    scheme.token_store = rt.JSONFileTokenStore(path)
    scheme.token_store.save(rt.Token("at_old", expires_at=clock.time() - 10, refresh_token="rt"))
    return rt.SyncAPIClient(
        base_url=API,
        security_schemes={"oauth": scheme},
        default_security=(("oauth",),),
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )


@pytest.mark.skipif(_oauth.fcntl is None, reason="no cross-process token file lock here")
def test_waiting_for_another_process_token_renewal_is_bounded_by_the_deadline(
    tmp_path: Path,
) -> None:
    """A review of the fix above: the cross-process file lock (another process renewing) was
    still polled for up to a minute, past a call's `deadline=0.3`."""
    import fcntl
    import os
    import time as clock

    path = tmp_path / "token.json"
    client = _file_store_client(path)
    held = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX)  # "another process" renewing
    try:
        begun = clock.monotonic()
        with pytest.raises(rt.APITimeoutError, match="another call's token renewal"):
            client.request(LIST, {}, {"deadline": 0.3})
        assert clock.monotonic() - begun < 2
    finally:
        os.close(held)
    assert client.request(LIST, {}, {"deadline": float("inf")}) == {"ok": True}


def test_an_endless_deadline_is_no_deadline_for_the_renewal_lock(tmp_path: Path) -> None:
    """A review: `deadline=float("inf")` (or 1e10) on a call renewing a token raised
    `OverflowError` from `threading.Lock.acquire(timeout=...)`."""
    client = _file_store_client(tmp_path / "token.json")
    assert client.request(LIST, {}, {"deadline": 1e10}) == {"ok": True}


# --- the spec's OAuth URLs --------------------------------------------------------------------


@pytest.mark.parametrize(
    "token_url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://api.test/token",
        "https:///token",
        "",
        # helper 192: user info replaced the client's secret, or hid the host; a tab, spaces
        # or a backslash read otherwise by `urlsplit` than by a server
        "https://id:sec@auth.test/token",
        "https://auth.test@evil.test/token",
        "https://auth.exam\tple.test/token",
        "  https://auth.test/token  ",
        "https:\\\\evil.test\\token",
        # the last review: no URL (a ValueError) and a port that is none
        "https://[::1/token",
        "https://auth.test:99999/token",
    ],
)
def test_a_token_endpoint_that_is_no_web_url_is_refused_before_anything_is_sent(
    token_url: str,
) -> None:
    """A helper's hostile specs (187): a `file:` token URL was tried three times and failed as
    a connection error to `:///etc/passwd`; `apigen build` now warns of it too."""
    endpoint = TokenEndpoint(OK_TOKEN)
    client = sync_client(endpoint)
    client._schemes["oauth"] = rt.OAuth2ClientCredentials("client_id", "client_secret", token_url)
    with pytest.raises(rt.OAuthError, match="is not an http" if token_url else "no token endpoint"):
        client.request(LIST, {})
    assert endpoint.hosts == [] and endpoint.sleeps == []  # (an empty one: the API's root)


@pytest.mark.parametrize(
    ("authorization_url", "expected"),
    [
        ("javascript:alert(document.cookie)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,hi", None),
        ("https:///authorize", None),  # no host (the review: accepted, then httpx's error)
        ("/oauth/authorize", "https://api.test/oauth/authorize?"),  # the API's, not the app's
        ("https://auth.test/authorize?a=1", "https://auth.test/authorize?a=1&"),
    ],
)
def test_an_authorization_url_is_a_web_url_of_the_api(
    authorization_url: str, expected: str | None
) -> None:
    """A `javascript:` authorization URL was handed back for an app to send its user to."""
    scheme = rt.OAuth2AuthorizationCode(
        "access_token",
        authorization_url=authorization_url,
        token_url="/token",
        client_id_credential="client_id",
    )
    client = rt.SyncAPIClient(
        base_url=API + "/v1",
        credentials={"client_id": "app"},
        security_schemes={"oauth": scheme},
        default_security=(("oauth",),),
    )
    if expected is None:
        with pytest.raises(rt.OAuthError, match="is not an http"):
            client.oauth.authorization_url(redirect_uri="http://127.0.0.1:9/cb")
    else:
        url = client.oauth.authorization_url(redirect_uri="http://127.0.0.1:9/cb").url
        assert url.startswith(expected), url


def test_a_relative_token_url_under_a_callers_base_url_with_user_info_is_sent() -> None:
    """The last review: the user-info check read the URL joined with the caller's own base URL
    and refused a relative token URL, blaming the spec; only the spec's URL is judged."""
    endpoint = TokenEndpoint(OK_TOKEN)
    http = httpx.Client(transport=httpx.MockTransport(endpoint))
    client = rt.SyncAPIClient(
        http_client=http, **{**settings(), "base_url": "https://u:p@api.test"}
    )
    client._sleep = endpoint.sleeps.append
    assert client.request(LIST, {}) == {"ok": True}
    assert endpoint.token_calls == 1
