"""Security selection, credential sources and the individual schemes."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

import apigen_runtime as rt

from .conftest import Recorder, make_client, op

SCHEMES: dict[str, rt.SecurityScheme] = {
    "apiKeyHeader": rt.ApiKey("api_key", "X-API-Key", "header"),
    "apiKeyQuery": rt.ApiKey("api_key", "key", "query"),
    "apiKeyCookie": rt.ApiKey("api_key", "sid", "cookie"),
    "basicAuth": rt.HTTPBasic("username", "password"),
    "bearerAuth": rt.HTTPBearer("bearer_token"),
}


def client(recorder: Recorder, **credentials: str | None) -> rt.SyncAPIClient:
    return make_client(
        recorder,
        env_prefix="PETSTORE",
        credentials=credentials,
        security_schemes=SCHEMES,
        default_security=(("bearerAuth",),),
    )


def test_missing_credentials_raised_before_sending(recorder: Recorder) -> None:
    operation = op(security=(("basicAuth",), ("bearerAuth",)))
    with pytest.raises(rt.MissingCredentialsError) as info:
        client(recorder).request(operation, {})
    assert recorder.requests == []
    message = str(info.value)
    assert "username=" in message and "PETSTORE_USERNAME" in message
    assert "bearer_token=" in message and "PETSTORE_BEARER_TOKEN" in message


def test_default_security_and_env_var(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(rt.MissingCredentialsError):
        client(recorder).request(op(), {})
    monkeypatch.setenv("PETSTORE_BEARER_TOKEN", "from-env")
    client(recorder).request(op(), {})
    assert recorder.last.headers["Authorization"] == "Bearer from-env"
    client(recorder, bearer_token="from-arg").request(op(), {})
    assert recorder.last.headers["Authorization"] == "Bearer from-arg"


def test_an_empty_credential_passed_reads_no_environment(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's SDK review: `Client(api_key="")` sent `PETSTORE_API_KEY`, though the
    environment is read only when the keyword is not given (openai-python: `is None`). An
    empty credential is none: the call needs another, and says so."""
    monkeypatch.setenv("PETSTORE_BEARER_TOKEN", "from-env")
    with pytest.raises(rt.MissingCredentialsError):
        client(recorder, bearer_token="").request(op(), {})
    assert recorder.requests == []
    client(recorder, bearer_token=None).request(op(), {})  # None: not given
    assert recorder.last.headers["Authorization"] == "Bearer from-env"


@pytest.mark.parametrize("twice", [False, True])
def test_credentials_passed_win_over_another_alternative_s_environment(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, twice: bool
) -> None:
    """A helper's review: with `security: [{apiKey}, {basic}]`, `PETSTORE_API_KEY` set in the
    environment and `Client(username=, password=)` passed, the environment's key was sent and
    the caller's credentials ignored (openai-python's and stripe-python's arguments win). The
    spec's order still decides between alternatives both passed, or both from the
    environment; the choice is the same on a second call (kept per requirement)."""
    operation = op(security=(("apiKeyHeader",), ("basicAuth",)))
    monkeypatch.setenv("PETSTORE_API_KEY", "from-env")
    c = client(recorder, username="u", password="p")
    for _ in range(2 if twice else 1):
        c.request(operation, {})
        assert (
            recorder.last.headers["Authorization"] == "Basic " + base64.b64encode(b"u:p").decode()
        )
        assert "X-API-Key" not in recorder.last.headers
    client(recorder, api_key="k", username="u", password="p").request(operation, {})
    assert (
        recorder.last.headers["X-API-Key"] == "k" and "Authorization" not in recorder.last.headers
    )
    client(recorder).request(operation, {})
    assert recorder.last.headers["X-API-Key"] == "from-env"
    monkeypatch.setenv("PETSTORE_USERNAME", "eu")
    monkeypatch.setenv("PETSTORE_PASSWORD", "ep")
    client(recorder).request(operation, {})
    assert recorder.last.headers["X-API-Key"] == "from-env"


def test_a_passed_key_wins_over_an_oauth_token_from_the_environment(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review of the fix above: an OAuth2 user-token scheme requires no credential by name
    (a stored token, an access or a refresh token will do), so its alternative counted as
    passed and `PETSTORE_ACCESS_TOKEN` from the environment won over `api_key=` again."""
    schemes = {**SCHEMES, "oauth": rt.OAuth2AuthorizationCode("access_token")}
    monkeypatch.setenv("PETSTORE_ACCESS_TOKEN", "from-env")
    operation = op(security=(("oauth",), ("apiKeyHeader",)))
    c = make_client(
        recorder,
        env_prefix="PETSTORE",
        credentials={"api_key": "k"},
        security_schemes=schemes,
    )
    c.request(operation, {})
    assert (
        recorder.last.headers["X-API-Key"] == "k" and "Authorization" not in recorder.last.headers
    )


def test_first_usable_alternative_wins(recorder: Recorder) -> None:
    operation = op(security=(("basicAuth",), ("bearerAuth",)))
    client(recorder, bearer_token="tok").request(operation, {})
    assert recorder.last.headers["Authorization"] == "Bearer tok"
    client(recorder, bearer_token="tok", username="u", password="p").request(operation, {})
    expected = "Basic " + base64.b64encode(b"u:p").decode()
    assert recorder.last.headers["Authorization"] == expected


def test_anonymous_alternative_and_no_security(recorder: Recorder) -> None:
    client(recorder).request(op(security=(("bearerAuth",), ())), {})
    assert "Authorization" not in recorder.last.headers
    client(recorder).request(op(security=()), {})
    assert "Authorization" not in recorder.last.headers


def test_an_anonymous_alternative_is_the_last_resort(recorder: Recorder) -> None:
    """`security: [{}, {bearerAuth: []}]` (optional auth, anonymous listed first): a token the
    caller gave is sent (OpenAPI gives the list no order of preference); without one the call
    goes anonymous rather than failing."""
    operation = op(security=((), ("bearerAuth",)))
    given = client(recorder, bearer_token="tok")
    for _ in range(2):  # the second call takes the choice the client keeps
        given.request(operation, {})
        assert recorder.last.headers["Authorization"] == "Bearer tok"
    client(recorder).request(operation, {})
    assert "Authorization" not in recorder.last.headers


@pytest.mark.parametrize(
    ("scheme", "check"),
    [
        ("apiKeyHeader", lambda r: r.headers["X-API-Key"] == "s3cr3t"),
        ("apiKeyQuery", lambda r: r.url.query == b"q=1&key=s3cr3t"),
        ("apiKeyCookie", lambda r: r.headers["Cookie"] == "sid=s3cr3t"),
    ],
)
def test_api_key_locations(recorder: Recorder, scheme: str, check: Any) -> None:
    operation = op(rt.Param("q", "q", "query"), security=((scheme,),))
    client(recorder, api_key="s3cr3t").request(operation, {"q": 1})
    assert check(recorder.last)


def test_username_only_basic(recorder: Recorder) -> None:
    c = make_client(
        recorder,
        credentials={"api_key": "sk_test"},
        security_schemes={"basicAuth": rt.HTTPBasic("api_key")},
        default_security=(("basicAuth",),),
    )
    c.request(op(), {})
    assert (
        recorder.last.headers["Authorization"] == "Basic " + base64.b64encode(b"sk_test:").decode()
    )


def test_oauth2_client_credentials_fetches_and_caches(recorder: Recorder) -> None:
    recorder.queue = [
        httpx.Response(200, json={"access_token": "tok1", "expires_in": 3600}),
        httpx.Response(200, json={"ok": 1}),
        httpx.Response(200, json={"ok": 2}),
    ]
    c = make_client(
        recorder,
        credentials={"client_id": "cid", "client_secret": "csecret"},
        security_schemes={
            "oauth": rt.OAuth2ClientCredentials(
                "client_id", "client_secret", "/oauth/token", ["read"]
            )
        },
        default_security=(("oauth",),),
    )
    assert c.request(op(), {}) == {"ok": 1}
    assert c.request(op(), {}) == {"ok": 2}
    token_request, first, second = recorder.requests
    assert str(token_request.url) == "https://api.test/oauth/token"  # RFC 3986 resolution
    assert token_request.content == b"grant_type=client_credentials&scope=read"
    assert token_request.headers["Authorization"].startswith("Basic ")
    assert first.headers["Authorization"] == second.headers["Authorization"] == "Bearer tok1"


def test_oauth2_token_failure_is_a_status_error(recorder: Recorder) -> None:
    recorder.queue = [httpx.Response(401, json={"error": "invalid_client"})]
    c = make_client(
        recorder,
        credentials={"client_id": "cid", "client_secret": "csecret"},
        security_schemes={
            "oauth": rt.OAuth2ClientCredentials("client_id", "client_secret", "https://auth.test/t")
        },
        default_security=(("oauth",),),
    )
    with pytest.raises(rt.AuthenticationError) as info:
        c.request(op(), {})
    assert "csecret" not in str(info.value)
    assert len(recorder.requests) == 1


def test_authorization_code_uses_access_token(recorder: Recorder) -> None:
    c = make_client(
        recorder,
        credentials={"access_token": "at"},
        security_schemes={
            "oauth": rt.OAuth2AuthorizationCode(
                "access_token", authorization_url="https://a/authorize", token_url="https://a/token"
            )
        },
        default_security=(("oauth",),),
    )
    c.request(op(), {})
    assert recorder.last.headers["Authorization"] == "Bearer at"


def test_explicit_header_beats_scheme(recorder: Recorder) -> None:
    client(recorder, bearer_token="tok").request(
        op(), {}, {"extra_headers": {"Authorization": "Bearer other"}}
    )
    assert recorder.last.headers["Authorization"] == "Bearer other"
