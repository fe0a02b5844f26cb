"""OAuth2 against a real authorization server on 127.0.0.1: client credentials (single-flight,
renewal before expiry, 401 -> one renewal and one replay), authorization code with PKCE end to
end, token stores, and no secret in any error message or repr."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import stat
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import _oauth

THINGS: rt.Operation[Any] = rt.Operation(
    method="get",
    path="/things",
    operation_id="listThings",
    responses={"200": rt.Response(Any, "json")},
)
CLIENT_SECRET = "cs_very_secret_value"
API_KEY = "ak_very_secret_value"


class AuthServer(ThreadingHTTPServer):
    """Token endpoint, authorization endpoint and one protected API path."""

    request_queue_size = 256  # 100 simultaneous connects must not overflow the backlog
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.token_requests: list[dict[str, str]] = []
        self.api_calls: list[str] = []
        self.valid: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.codes: dict[str, dict[str, str]] = {}
        self.expires_in = 3600
        self.delay = 0.0
        self.always_401 = False
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def issue(self, *, refresh: bool) -> dict[str, Any]:
        with self.lock:
            n = len(self.token_requests)
            token = {"access_token": f"at_{n}_secret_token", "token_type": "bearer"}
            self.valid.add(token["access_token"])
            if refresh:
                token["refresh_token"] = f"rt_{n}_secret_refresh"
                self.refresh_tokens.add(token["refresh_token"])
        return {**token, "expires_in": self.expires_in}


class _Handler(BaseHTTPRequestHandler):
    server: AuthServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/authorize":  # the user "approves" at once
            q = dict(parse_qsl(url.query))
            code = f"code_{len(self.server.codes)}"
            self.server.codes[code] = q
            target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
            self._send(302, {}, {"Location": target})
            return
        auth = self.headers.get("Authorization", "")
        with self.server.lock:
            self.server.api_calls.append(auth)
        token = auth.removeprefix("Bearer ")
        if self.server.always_401 or token not in self.server.valid:
            self._send(401, {"message": f"invalid token {token}"})  # echoes the secret back
        else:
            self._send(200, {"ok": True})

    def do_POST(self) -> None:
        form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        with self.server.lock:
            self.server.token_requests.append(form)
        time.sleep(self.server.delay)
        grant = form.get("grant_type")
        if grant == "client_credentials":
            expected = "Basic " + base64.b64encode(f"cid:{CLIENT_SECRET}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                sent = base64.b64decode(self.headers["Authorization"][6:]).decode()
                self._send(401, {"error": "invalid_client", "message": f"bad client {sent}"})
                return
            self._send(200, self.server.issue(refresh=False))
        elif grant == "authorization_code":
            asked = self.server.codes.pop(form.get("code", ""), None)
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if (
                asked is None
                or asked["code_challenge"] != challenge
                or asked["redirect_uri"] != form.get("redirect_uri")
                or form.get("client_id") != "app"
            ):
                self._send(400, {"error": "invalid_grant"})
                return
            self._send(200, self.server.issue(refresh=True))
        elif grant == "refresh_token" and form.get("refresh_token") in self.server.refresh_tokens:
            self.server.refresh_tokens.discard(form["refresh_token"])  # rotated
            self._send(200, self.server.issue(refresh=True))
        else:
            self._send(400, {"error": "invalid_grant"})

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[AuthServer]:
    srv = AuthServer()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The OAuth module's wall clock, moved by tests instead of sleeping."""
    now = [time.time()]
    monkeypatch.setattr(_oauth, "_now", lambda: now[0])
    return now


def cc_settings(server: AuthServer, **credentials: str) -> dict[str, Any]:
    return {
        "base_url": server.url + "/api",
        "credentials": {"client_id": "cid", "client_secret": CLIENT_SECRET, **credentials},
        "security_schemes": {
            "oauth": rt.OAuth2ClientCredentials("client_id", "client_secret", "/token", ["read"])
        },
        "default_security": (("oauth",),),
        "timeout": 5.0,
    }


def code_settings(server: AuthServer, **credentials: str) -> dict[str, Any]:
    scheme = rt.OAuth2AuthorizationCode(
        "access_token",
        authorization_url=server.url + "/authorize",
        token_url=server.url + "/token",
        scopes=["read", "write"],
        refresh_credential="refresh_token",
        client_id_credential="client_id",
    )
    return {
        "base_url": server.url + "/api",
        "credentials": {"client_id": "app", **credentials},
        "security_schemes": {"oauth": scheme},
        "default_security": (("oauth",),),
        "timeout": 5.0,
    }


# --- client credentials -------------------------------------------------------------------------


def test_client_credentials_single_flight_across_threads(server: AuthServer) -> None:
    server.delay = 0.1  # every caller arrives while the first token request is in flight
    with (
        rt.SyncAPIClient(**cc_settings(server)) as client,
        ThreadPoolExecutor(max_workers=100) as pool,
    ):
        results = list(pool.map(lambda _: client.request(THINGS, {}), range(100)))
    assert results == [{"ok": True}] * 100
    assert len(server.token_requests) == 1
    assert server.token_requests[0] == {"grant_type": "client_credentials", "scope": "read"}
    assert set(server.api_calls) == {"Bearer at_1_secret_token"}


async def test_client_credentials_single_flight_across_tasks(server: AuthServer) -> None:
    server.delay = 0.1
    async with rt.AsyncAPIClient(**cc_settings(server)) as client:
        results = await asyncio.gather(*(client.request(THINGS, {}) for _ in range(100)))
    assert results == [{"ok": True}] * 100
    assert len(server.token_requests) == 1


def test_token_renewed_shortly_before_expiry(server: AuthServer, clock: list[float]) -> None:
    server.expires_in = 100  # margin: 10% of the lifetime, at most 30 s
    client = rt.SyncAPIClient(**cc_settings(server))
    client.request(THINGS, {})
    clock[0] += 85
    client.request(THINGS, {})
    assert len(server.token_requests) == 1
    clock[0] += 6  # 91 s: inside the 10 s margin
    client.request(THINGS, {})
    assert len(server.token_requests) == 2
    assert server.api_calls[-1] == "Bearer at_2_secret_token"


def test_401_renews_once_and_replays_once(server: AuthServer) -> None:
    client = rt.SyncAPIClient(**cc_settings(server))
    client.request(THINGS, {})
    server.valid.clear()  # the server revoked the token
    assert client.request(THINGS, {}) == {"ok": True}
    assert len(server.token_requests) == 2
    assert server.api_calls[-2:] == ["Bearer at_1_secret_token", "Bearer at_2_secret_token"]

    server.always_401 = True
    calls = len(server.api_calls)
    with pytest.raises(rt.AuthenticationError):
        client.request(THINGS, {})
    assert len(server.token_requests) == 3  # one renewal ...
    assert len(server.api_calls) == calls + 2  # ... and one replay, then the 401 stands


async def test_concurrent_401s_renew_once(server: AuthServer) -> None:
    async with rt.AsyncAPIClient(**cc_settings(server)) as client:
        await client.request(THINGS, {})
        server.valid.clear()
        server.delay = 0.05
        results = await asyncio.gather(*(client.request(THINGS, {}) for _ in range(20)))
    assert results == [{"ok": True}] * 20
    assert len(server.token_requests) == 2


def test_token_url_credential_overrides(server: AuthServer) -> None:
    settings = cc_settings(server, token_url=server.url + "/token")
    settings["security_schemes"] = {
        "oauth": rt.OAuth2ClientCredentials(
            "client_id", "client_secret", "https://unused.invalid/t"
        )
    }
    assert rt.SyncAPIClient(**settings).request(THINGS, {}) == {"ok": True}
    assert len(server.token_requests) == 1


def test_explicit_authorization_header_is_never_renewed(server: AuthServer) -> None:
    client = rt.SyncAPIClient(**cc_settings(server))
    with pytest.raises(rt.AuthenticationError):
        client.request(THINGS, {}, {"extra_headers": {"Authorization": "Bearer mine"}})
    assert len(server.token_requests) == 1  # the initial fetch only: no renewal for a 401
    assert server.api_calls == ["Bearer mine"]


# --- authorization code with PKCE ---------------------------------------------------------------


def sign_in(oauth: rt.OAuth) -> rt.Token:
    request = oauth.authorization_url(redirect_uri="http://127.0.0.1:9/callback")
    query = dict(parse_qsl(urlsplit(request.url).query))
    assert query["code_challenge_method"] == "S256" and query["scope"] == "read write"
    assert query["client_id"] == "app" and query["state"] == request.state
    redirect = httpx.get(request.url, follow_redirects=False)  # the browser
    return oauth.exchange_code(request, request.code_from_callback(redirect.headers["location"]))


def test_pkce_sign_in_refresh_and_store(
    server: AuthServer, tmp_path: Path, clock: list[float]
) -> None:
    path = tmp_path / "state" / "token.json"
    client = rt.SyncAPIClient(**code_settings(server))
    client.oauth.token_store = rt.JSONFileTokenStore(path)
    with pytest.raises(rt.MissingCredentialsError):
        client.request(THINGS, {})  # not signed in yet: nothing is sent

    token = sign_in(client.oauth)
    assert server.token_requests[0]["grant_type"] == "authorization_code"
    assert client.request(THINGS, {}) == {"ok": True}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert rt.JSONFileTokenStore(path).load() == token
    assert [p.name for p in path.parent.iterdir()] == ["token.json"]  # no temp file left

    clock[0] += 3600 - 10  # inside the 30 s margin: refreshed with the refresh token
    client.request(THINGS, {})
    assert server.token_requests[-1] == {
        "grant_type": "refresh_token",
        "refresh_token": "rt_1_secret_refresh",
        "client_id": "app",
    }
    assert json.loads(path.read_text())["access_token"] == "at_2_secret_token"

    server.valid.clear()  # 401: one refresh, one replay
    assert client.request(THINGS, {}) == {"ok": True}
    assert len(server.token_requests) == 3

    # A new process with the same store is signed in without any token request.
    again = rt.SyncAPIClient(**code_settings(server))
    again.oauth.token_store = rt.JSONFileTokenStore(path)
    assert again.request(THINGS, {}) == {"ok": True}
    assert len(server.token_requests) == 3


async def test_pkce_async(server: AuthServer) -> None:
    async with rt.AsyncAPIClient(**code_settings(server)) as client:
        request = client.oauth.authorization_url(redirect_uri="http://127.0.0.1:9/cb", scopes=[])
        assert "scope=" not in request.url
        async with httpx.AsyncClient() as browser:
            redirect = await browser.get(request.url)
        token = await client.oauth.exchange_code(
            request, request.code_from_callback(redirect.headers["location"])
        )
        assert client.oauth.token == token
        assert await client.request(THINGS, {}) == {"ok": True}
        renewed = await client.oauth.refresh()
        assert renewed.access_token == "at_2_secret_token"
        assert renewed.refresh_token == "rt_2_secret_refresh"
        server.valid.clear()
        assert await client.request(THINGS, {}) == {"ok": True}
        assert [r["grant_type"] for r in server.token_requests] == [
            "authorization_code",
            "refresh_token",
            "refresh_token",
        ]


def test_refresh_token_credential_alone_is_enough(server: AuthServer) -> None:
    server.refresh_tokens.add("rt_given")
    client = rt.SyncAPIClient(**code_settings(server, refresh_token="rt_given"))
    assert client.request(THINGS, {}) == {"ok": True}
    assert server.token_requests[0]["refresh_token"] == "rt_given"


def test_access_token_without_refresh_token_is_sent_and_401_stands(server: AuthServer) -> None:
    client = rt.SyncAPIClient(**code_settings(server, access_token="at_given_by_caller"))
    with pytest.raises(rt.AuthenticationError):
        client.request(THINGS, {})
    assert server.api_calls == ["Bearer at_given_by_caller"]
    assert server.token_requests == []


def test_other_alternative_used_when_not_signed_in(server: AuthServer) -> None:
    settings = code_settings(server, api_key=API_KEY)
    settings["security_schemes"]["key"] = rt.ApiKey("api_key", "X-Key", "header")
    settings["default_security"] = (("oauth",), ("key",))
    with pytest.raises(rt.AuthenticationError):  # the API key alternative was used
        rt.SyncAPIClient(**settings).request(THINGS, {})
    assert server.api_calls == [""]


def test_callback_state_and_error_are_checked() -> None:
    request = _oauth.authorization_request(
        "https://auth.test/authorize?tenant=x", client_id="app", redirect_uri="https://cb"
    )
    assert request.url.startswith("https://auth.test/authorize?tenant=x&response_type=code")
    assert len(request.code_verifier) >= 43
    assert request.code_from_callback(f"https://cb?code=c1&state={request.state}") == "c1"
    with pytest.raises(rt.OAuthError, match="state"):
        request.code_from_callback("https://cb?code=c1&state=forged")
    with pytest.raises(rt.OAuthError, match="access_denied"):
        request.code_from_callback("https://cb?error=access_denied")


def test_token_stores(tmp_path: Path) -> None:
    token = rt.Token("at_x", expires_at=123.0, refresh_token="rt_x", scope="read", issued_at=1.0)
    memory = rt.InMemoryTokenStore()
    assert memory.load() is None
    memory.save(token)
    assert memory.load() == token
    store = rt.JSONFileTokenStore(tmp_path / "t.json")
    assert store.load() is None
    store.save(token)
    store.save(token)  # replacing is atomic too
    assert store.load() == token
    (tmp_path / "t.json").write_text("{broken")
    assert store.load() is None


# --- secrets stay out of messages and reprs -----------------------------------------------------


def test_no_secret_in_errors_or_reprs(server: AuthServer, tmp_path: Path) -> None:
    secrets = [
        CLIENT_SECRET,
        API_KEY,
        "at_1_secret_token",
        "rt_1_secret_refresh",
        "pkce_verifier_value",
    ]
    seen: list[str] = []

    def record(exc: BaseException) -> None:
        seen.extend([str(exc), repr(exc)])

    # The token endpoint rejects the secret and echoes it.
    bad = rt.SyncAPIClient(**cc_settings(server, client_id="wrong"))
    with pytest.raises(rt.AuthenticationError) as info:
        bad.request(THINGS, {})
    record(info.value)
    # The API rejects the token and echoes it.
    client = rt.SyncAPIClient(**cc_settings(server))
    client.request(THINGS, {})
    server.always_401 = True
    with pytest.raises(rt.AuthenticationError) as info:
        client.request(THINGS, {})
    record(info.value)
    assert "invalid token [redacted]" in str(info.value)
    # An API key in the query string, on a connection failure.
    keyed = rt.SyncAPIClient(
        base_url="http://127.0.0.1:1/api",
        credentials={"api_key": API_KEY},
        security_schemes={"key": rt.ApiKey("api_key", "api_key", "query")},
        default_security=(("key",),),
        max_retries=0,
    )
    with pytest.raises(rt.APIConnectionError) as conn:
        keyed.request(THINGS, {})
    record(conn.value)
    # Missing credentials, a bad callback, a bad webhook.
    with pytest.raises(rt.MissingCredentialsError) as missing:
        rt.SyncAPIClient(**code_settings(server)).request(THINGS, {})
    record(missing.value)
    with pytest.raises(rt.WebhookVerificationError) as hook:
        rt.webhooks.verify_stripe(b"{}", "t=1,v1=00", API_KEY)
    record(hook.value)

    token = rt.Token("at_1_secret_token", refresh_token="rt_1_secret_refresh")
    request = rt.AuthorizationRequest(
        "https://a/authorize", "st", "https://cb", "pkce_verifier_value"
    )
    for obj in (client, keyed, bad, token, request, client._tokens):
        seen.append(repr(obj))
    seen.append(repr(rt.JSONFileTokenStore(tmp_path / "t.json")))
    for text in seen:
        for secret in secrets:
            assert secret not in text, (secret, text)


def test_copies_share_the_token_unless_their_credentials_differ(server: AuthServer) -> None:
    """A helper's review: five `client.with_options(timeout=10)` calls made five token
    requests (a copy had a token cache of its own); token endpoints are rate-limited, some
    billed. Copies with the same credentials share the token; other credentials get theirs."""
    with rt.SyncAPIClient(**cc_settings(server)) as client:
        for _ in range(5):
            assert client.with_options(timeout=10).request(THINGS, {}) == {"ok": True}
        assert len(server.token_requests) == 1
        other = client.with_options(credentials={"client_id": "cid2", "client_secret": "s2"})
        with pytest.raises(rt.AuthenticationError):  # its own token request (refused here)
            other.request(THINGS, {})
        assert len(server.token_requests) == 2
        client.request(THINGS, {})
        assert len(server.token_requests) == 2


UPLOAD: rt.Operation[Any] = rt.Operation(
    method="put",
    path="/raw",
    params=(rt.Param("body", "body", "body"),),
    body=rt.Body("application/octet-stream"),
    responses={"200": rt.Response(Any, "json")},
)


def _expiring_api(seen: list[tuple[str, bytes]]) -> httpx.MockTransport:
    """A token endpoint, and an API answering its first call 401 (the token expired)."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            n = len(seen)
            return httpx.Response(200, json={"access_token": f"t{n}", "expires_in": 3600})
        seen.append((request.headers["authorization"], request.read()))
        return httpx.Response(401 if len(seen) == 1 else 200, json={"n": len(seen)})

    return httpx.MockTransport(answer)


def test_a_401_does_not_replay_an_upload_iterator_the_first_attempt_consumed() -> None:
    """A helper's review: on a 401 the token was renewed and the request replayed with the
    upload iterator already consumed: a bare `RuntimeError` instead of the 401, though such
    uploads are never retried (nor redirected). The 401 stands; a replayable body (bytes) is
    still replayed with the renewed token."""
    settings = {
        "base_url": "https://api.test/api",
        "credentials": {"client_id": "cid", "client_secret": CLIENT_SECRET},
        "security_schemes": {
            "oauth": rt.OAuth2ClientCredentials("client_id", "client_secret", "/token", ["read"])
        },
        "default_security": (("oauth",),),
        "timeout": 5.0,
    }

    def chunks() -> Iterator[bytes]:
        yield b"part1-"
        yield b"part2"

    for body, sent in ((chunks(), [b"part1-part2"]), (b"whole", [b"whole", b"whole"])):
        seen: list[tuple[str, bytes]] = []
        http = httpx.Client(transport=_expiring_api(seen))
        with rt.SyncAPIClient(**settings, http_client=http) as client:
            if len(sent) == 1:
                with pytest.raises(rt.AuthenticationError):
                    client.request(UPLOAD, {"body": body})
            else:
                assert client.request(UPLOAD, {"body": body}) == {"n": 2}
                assert seen[0][0] != seen[1][0]  # replayed with the renewed token
        assert [b for _, b in seen] == sent

    async def run() -> list[tuple[str, bytes]]:
        async def achunks() -> Any:
            yield b"a"
            yield b"b"

        got: list[tuple[str, bytes]] = []
        ahttp = httpx.AsyncClient(transport=_expiring_api(got))
        async with rt.AsyncAPIClient(**settings, http_client=ahttp) as client:
            with pytest.raises(rt.AuthenticationError):
                await client.request(UPLOAD, {"body": achunks()})
        return got

    assert [body for _, body in asyncio.run(run())] == [b"ab"]


def test_a_401_after_a_redirect_replays_only_what_may_be_sent_again() -> None:
    """A helper's review: a POST answered 303 (done: RFC 9110 §15.4.4) whose GET got a 401
    renewed the token and sent the POST again: two orders. A 401 after any redirect of a
    request that is not idempotent stands, as does one from another origin (the hop carried
    no credential: nothing to renew); a GET redirected on its origin is still renewed and
    replayed."""
    settings = {
        "base_url": "https://api.test/v1",
        "credentials": {"client_id": "cid", "client_secret": CLIENT_SECRET},
        "security_schemes": {
            "oauth": rt.OAuth2ClientCredentials("client_id", "client_secret", "/token")
        },
        "default_security": (("oauth",),),
    }
    create: rt.Operation[Any] = rt.Operation(
        method="post",
        path="/orders",
        operation_id="createOrder",
        params=(rt.Param("body", "body", "body"),),
        body=rt.Body("application/json"),
        responses={"200": rt.Response(Any, "json")},
    )

    for location, op in (
        ("/v1/orders/1", create),  # the token expired between the POST and its GET
        ("https://files.test/orders/1", create),  # a host that takes no token answers 401
        ("https://files.test/things", THINGS),
    ):
        seen: list[str] = []
        tokens: list[str] = []

        def handler(
            request: httpx.Request,
            location: str = location,
            seen: list[str] = seen,
            tokens: list[str] = tokens,
        ) -> httpx.Response:
            if request.url.path.endswith("/token"):
                tokens.append(f"at_{len(tokens)}")
                return httpx.Response(200, json={"access_token": tokens[-1], "expires_in": 60})
            seen.append(f"{request.method} {request.url.host}{request.url.path}")
            if request.url.path in ("/v1/orders", "/v1/things"):
                return httpx.Response(303, headers={"Location": location})
            return httpx.Response(401, json={"error": "expired"})

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with (
            rt.SyncAPIClient(**settings, http_client=http) as client,
            pytest.raises(rt.AuthenticationError),
        ):
            client.request(op, {"body": {"item": 1}} if op is create else {})
        assert len(seen) == 2 and len(tokens) == 1, (location, seen)

    valid: set[str] = set()

    def same_origin(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            valid.clear()  # the first token is revoked once the redirect is answered
            valid.add(f"Bearer at_{len(seen)}")
            return httpx.Response(200, json={"access_token": f"at_{len(seen)}"})
        seen.append(request.url.path)
        if request.url.path == "/v1/things":
            return httpx.Response(302, headers={"Location": "/v1/things/all"})
        if request.headers["authorization"] in valid and len(seen) > 2:
            return httpx.Response(200, json={"ok": True})
        return httpx.Response(401)

    seen = []
    http = httpx.Client(transport=httpx.MockTransport(same_origin))
    with rt.SyncAPIClient(**settings, http_client=http) as client:
        assert client.request(THINGS, {}) == {"ok": True}
    assert seen == ["/v1/things", "/v1/things/all", "/v1/things", "/v1/things/all"]

    # a review: a 308 keeps the method and says the request was not acted on (RFC 9110
    # §15.4.9): a POST moved so, then refused for its expired token, is renewed and sent again
    posted: list[str] = []
    issued: list[str] = []

    def moved(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            issued.append(f"at_{len(issued)}")
            return httpx.Response(200, json={"access_token": issued[-1], "expires_in": 60})
        posted.append(f"{request.method} {request.url.path} {request.headers['authorization']}")
        if request.url.path == "/v1/orders":
            return httpx.Response(308, headers={"Location": "/v1/orders/new"})
        if request.headers["authorization"] == "Bearer at_0":
            return httpx.Response(401)
        return httpx.Response(200, json={"ok": True})

    http = httpx.Client(transport=httpx.MockTransport(moved))
    with rt.SyncAPIClient(**settings, http_client=http) as client:
        assert client.request(create, {"body": {"item": 1}}) == {"ok": True}
    assert posted == [
        "POST /v1/orders Bearer at_0",
        "POST /v1/orders/new Bearer at_0",
        "POST /v1/orders Bearer at_1",
        "POST /v1/orders/new Bearer at_1",
    ]


def test_a_single_use_grant_is_sent_again_only_if_it_never_left() -> None:
    """A helper's review: a refresh token the server had just rotated, its answer lost to a read
    timeout, was sent again: `invalid_grant`, and a server detecting reuse revokes the whole
    grant (the user is signed out); an authorization code likewise (RFC 6749 §4.1.2). Those go
    again only after a failure that proves nothing left (connect error); client credentials
    are still retried after a 5xx or a lost answer."""
    for grant, failure, tries in (
        ("refresh_token", httpx.ReadTimeout, 1),
        ("refresh_token", httpx.ConnectError, 3),
        ("client_credentials", httpx.ReadTimeout, 3),
    ):
        sent: list[str] = []

        def token(
            request: httpx.Request, failure: type[Exception] = failure, sent: list[str] = sent
        ) -> httpx.Response:
            if request.url.host == "auth.test":
                sent.append(dict(parse_qsl(request.content.decode()))["grant_type"])
                raise failure("lost", request=request)
            return httpx.Response(200, json={"ok": True})

        if grant == "refresh_token":
            scheme: rt.SecurityScheme = rt.OAuth2AuthorizationCode(
                "access_token",
                token_url="https://auth.test/token",
                refresh_credential="refresh_token",
                client_id_credential="client_id",
            )
            scheme.token_store = rt.InMemoryTokenStore(
                rt.Token("at_old", expires_at=time.time() - 10, refresh_token="rt_1")
            )
            credentials = {"client_id": "cid"}
        else:
            scheme = rt.OAuth2ClientCredentials(
                "client_id", "client_secret", "https://auth.test/token"
            )
            credentials = {"client_id": "cid", "client_secret": CLIENT_SECRET}
        client = rt.SyncAPIClient(
            base_url="https://api.test/v1",
            credentials=credentials,
            security_schemes={"oauth": scheme},
            default_security=(("oauth",),),
            http_client=httpx.Client(transport=httpx.MockTransport(token)),
        )
        client._sleep = lambda seconds: None
        with pytest.raises(rt.APIConnectionError):
            client.request(THINGS, {})
        assert sent == [grant] * tries, (grant, failure)


def test_a_client_without_the_scheme_has_no_oauth_attribute() -> None:
    """Helper 229: `client.oauth` raised ValueError on a client without an authorization-code
    scheme, so `hasattr(client, "oauth")` and `inspect.getmembers(client)` crashed."""
    import inspect

    import apigen_runtime as rt

    for client in (
        rt.SyncAPIClient(base_url="https://api.test"),
        rt.AsyncAPIClient(base_url="https://api.test"),
    ):
        assert not hasattr(client, "oauth")
        with pytest.raises(AttributeError, match="no OAuth2 authorization-code security scheme"):
            client.oauth  # noqa: B018
        assert "oauth" not in dict(inspect.getmembers(client))
