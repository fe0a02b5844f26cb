"""Issue 8, credentials by the name users expect: one secret is `api_key=` / `<PREFIX>_API_KEY`
(API key, bearer, basic with the key as user name); richer schemes keep their keywords; a spec
without security still takes an optional bearer token. Sync and async, on the wire."""

from __future__ import annotations

import asyncio
import base64
import copy
import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from apigen.diagnostics import Report
from apigen.ir.security import bearer_merges, build_security
from tests.builds import build_into, on_path

OP = {"get": {"operationId": "ping", "responses": {"200": {"description": "ok"}}}}


def _spec(schemes: dict[str, Any] | None, security: list[dict[str, Any]] | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Creds", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/ping": copy.deepcopy(OP)},
    }
    if schemes is not None:
        doc["components"] = {"securitySchemes": schemes}
    if security is not None:
        doc["security"] = security
    return doc


def _keywords(doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    schemes, _ = build_security(doc, Report(), "spec.json")
    return {s.name: s.credentials for s in schemes}


BASIC = {"type": "http", "scheme": "basic"}
BEARER = {"type": "http", "scheme": "bearer"}
KEY = {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
QUERY_KEY = {"type": "apiKey", "in": "query", "name": "key"}
OAUTH = {
    "type": "oauth2",
    "flows": {"clientCredentials": {"tokenUrl": "https://auth.example.com/token", "scopes": {}}},
}


def test_basic_or_bearer_is_one_api_key() -> None:  # Stripe
    doc = _spec({"basicAuth": BASIC, "bearerAuth": BEARER}, [{"basicAuth": []}, {"bearerAuth": []}])
    assert _keywords(doc) == {
        "basicAuth": {"username": "api_key"},
        "bearerAuth": {"credential": "api_key"},
    }


def test_header_or_query_key_is_one_api_key() -> None:
    doc = _spec({"h": KEY, "q": QUERY_KEY}, [{"h": []}, {"q": []}])
    assert _keywords(doc) == {"h": {"credential": "api_key"}, "q": {"credential": "api_key"}}


def test_single_bearer_is_api_key() -> None:
    assert _keywords(_spec({"auth": BEARER}, [{"auth": []}])) == {"auth": {"credential": "api_key"}}


def test_basic_described_as_key_is_one_api_key() -> None:
    basic = {**BASIC, "description": "Use your API key as the user name; no password."}
    assert _keywords(_spec({"b": basic}, [{"b": []}])) == {"b": {"username": "api_key"}}


def test_plain_basic_keeps_username_and_password() -> None:
    assert _keywords(_spec({"b": BASIC}, [{"b": []}])) == {
        "b": {"username": "username", "password": "password"}
    }


def test_two_secrets_together_keep_their_own_keywords() -> None:
    other = {"type": "apiKey", "in": "header", "name": "X-App-Id"}
    doc = _spec({"app_key": KEY, "app_id": other}, [{"app_key": [], "app_id": []}])
    assert _keywords(doc) == {  # the schemes' own names, not `app_key_api_key`
        "app_key": {"credential": "app_key"},
        "app_id": {"credential": "app_id"},
    }


def test_each_secret_is_named_as_the_provider_names_it() -> None:
    """Plaid ANDs three API keys: the client took `client_id_api_key=`, `secret_api_key=`,
    `plaid_version_api_key=`; petstore's `api_key` beside `api_key_query` was
    `api_key_api_key=` (68 such keywords over the shared specs)."""
    version = {"type": "apiKey", "in": "header", "name": "Plaid-Version"}
    plaid = {"clientId": KEY, "secret": QUERY_KEY, "plaidVersion": version}
    assert _keywords(_spec(plaid, [{"clientId": [], "secret": [], "plaidVersion": []}])) == {
        "clientId": {"credential": "client_id"},
        "secret": {"credential": "secret"},
        "plaidVersion": {"credential": "plaid_version"},
    }
    petstore = {"api_key": KEY, "api_key_query": QUERY_KEY, "bearer": BEARER, "jwt": BEARER}
    both = [{"api_key": [], "api_key_query": []}, {"bearer": []}, {"jwt": []}]
    assert _keywords(_spec(petstore, both)) == {
        "api_key": {"credential": "api_key"},
        "api_key_query": {"credential": "api_key_query"},
        "bearer": {"credential": "bearer_token"},  # a name that only starts the type's keyword
        "jwt": {"credential": "jwt"},
    }


def test_a_scheme_name_that_would_collide_keeps_its_prefixed_keyword() -> None:
    # `timeout` is the client's own keyword
    doc = _spec({"timeout": KEY, "x": QUERY_KEY}, [{"timeout": [], "x": []}])
    assert _keywords(doc) == {
        "timeout": {"credential": "timeout_api_key"},
        "x": {"credential": "x"},
    }


def test_oauth_alternative_keeps_richer_keywords() -> None:
    doc = _spec({"key": KEY, "oauth": OAUTH}, [{"key": []}, {"oauth": []}])
    keywords = _keywords(doc)
    assert keywords["key"] == {"credential": "api_key"}
    assert keywords["oauth"]["credential_client_id"] == "client_id"


def test_operation_level_requirements_count() -> None:
    doc = _spec({"key": KEY, "b": BASIC}, [{"key": []}])
    doc["paths"]["/ping"]["get"]["security"] = [{"b": []}]  # a real user/password here
    assert _keywords(doc)["b"] == {"username": "username", "password": "password"}


GOOGLE_IMPLICIT = {
    "type": "oauth2",
    "flows": {"implicit": {"authorizationUrl": "https://auth.example.com/auth", "scopes": {}}},
}
GOOGLE_CODE = {
    "type": "oauth2",
    "flows": {
        "authorizationCode": {
            "authorizationUrl": "https://auth.example.com/auth",
            "tokenUrl": "https://auth.example.com/token",
            "scopes": {},
        }
    },
}


def test_bearer_schemes_required_together_take_one_token() -> None:
    # Google's discovery conversions: every operation needs `{Oauth2: [...], Oauth2c: [...]}`,
    # two flows of the one token a request carries in its one Authorization header. The client
    # asked for `oauth2_access_token` and `oauth2c_access_token`, refused either alone and sent
    # only the first when given both.
    doc = _spec({"Oauth2": GOOGLE_IMPLICIT, "Oauth2c": GOOGLE_CODE}, None)
    doc["paths"]["/ping"]["get"]["security"] = [{"Oauth2": ["s"], "Oauth2c": ["s"]}]
    report = Report()
    schemes, _ = build_security(doc, report, "spec.json")
    # the scheme whose token the runtime can refresh (a tokenUrl) is kept, under plain keywords
    assert {s.name: s.credentials["credential"] for s in schemes} == {"Oauth2c": "access_token"}
    (warning,) = report.warnings
    assert warning.pointer == "#/components/securitySchemes/Oauth2"
    assert bearer_merges(doc) == {("Oauth2", "Oauth2c"): ("Oauth2c",)}


def test_bearer_and_key_together_keep_the_key_and_one_bearer() -> None:
    doc = _spec({"a": BEARER, "b": GOOGLE_IMPLICIT, "k": KEY}, [{"a": [], "b": [], "k": []}])
    assert bearer_merges(doc) == {("a", "b", "k"): ("a", "k")}
    _, default = build_security(doc, Report(), "spec.json")
    assert default == (("a", "k"),)


def test_basic_and_bearer_together_stay_as_they_are() -> None:
    # two different Authorization values: no request can meet them (the spec's problem)
    doc = _spec({"b": BASIC, "o": GOOGLE_CODE}, [{"b": [], "o": []}])
    assert bearer_merges(doc) == {}
    assert set(_keywords(doc)) == {"b", "o"}


def test_no_security_gets_an_optional_bearer() -> None:
    schemes, default = build_security(_spec(None, None), Report(), "spec.json")
    assert [(s.kind, s.credentials, s.implicit) for s in schemes] == [
        ("HTTPBearer", {"credential": "api_key"}, True)
    ]
    assert default == (("bearer",), ())  # the token when given, else anonymous


# --- generated clients, on the wire -------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("creds")
    specs = {
        "onekey": _spec(
            {"basicAuth": BASIC, "bearerAuth": BEARER}, [{"basicAuth": []}, {"bearerAuth": []}]
        ),
        "nosec": _spec(None, None),
        "userpass": _spec({"b": BASIC}, [{"b": []}]),
        "drf": _spec(
            {"tokenAuth": {"type": "http", "scheme": "Token"}, "k": QUERY_KEY},
            [{"tokenAuth": [], "k": []}],
        ),
        "google": _spec(
            {"Oauth2": GOOGLE_IMPLICIT, "Oauth2c": GOOGLE_CODE}, [{"Oauth2": [], "Oauth2c": []}]
        ),
    }
    for name, doc in specs.items():
        path = root / f"{name}.json"
        path.write_text(json.dumps(doc))
        build_into(path, root / name, name=name)
    return root


@pytest.fixture
def onekey(built: Path) -> Iterator[ModuleType]:
    with on_path(built / "onekey", "onekey") as module:
        yield module


@pytest.fixture
def nosec(built: Path) -> Iterator[ModuleType]:
    with on_path(built / "nosec", "nosec") as module:
        yield module


def _call(pkg: ModuleType, mode: str, **kwargs: Any) -> httpx.Request:
    rec = Recorder()
    if mode == "sync":
        with pkg.Client(
            http_client=httpx.Client(transport=httpx.MockTransport(rec)), **kwargs
        ) as c:
            c.ping.retrieve() if hasattr(c, "ping") else c.get("/ping", cast_to=dict)
    else:

        async def run() -> None:
            http = httpx.AsyncClient(transport=httpx.MockTransport(rec))
            async with pkg.AsyncClient(http_client=http, **kwargs) as c:
                await (c.ping.retrieve() if hasattr(c, "ping") else c.get("/ping", cast_to=dict))

        asyncio.run(run())
    assert len(rec.requests) == 1
    return rec.requests[0]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_one_secret_client_takes_api_key_and_env(
    onekey: ModuleType, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = inspect.signature(onekey.Client.__init__).parameters
    assert "api_key" in params and not {"username", "password", "bearer_token"} & set(params)
    sent = _call(onekey, mode, api_key="sk_1")
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"sk_1:").decode()
    monkeypatch.setenv("ONEKEY_API_KEY", "sk_env")
    sent = _call(onekey, mode)
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"sk_env:").decode()


def test_one_secret_missing_names_keyword_and_env(
    onekey: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ONEKEY_API_KEY", raising=False)
    with pytest.raises(onekey.MissingCredentialsError, match=r"api_key=.*ONEKEY_API_KEY"):
        _call(onekey, "sync")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_spec_without_security_sends_a_bearer_only_when_given(
    nosec: ModuleType, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOSEC_API_KEY", raising=False)
    assert "authorization" not in _call(nosec, mode).headers
    assert _call(nosec, mode, api_key="tok").headers["Authorization"] == "Bearer tok"
    monkeypatch.setenv("NOSEC_API_KEY", "envtok")
    assert _call(nosec, mode).headers["Authorization"] == "Bearer envtok"


def test_userpass_client_keeps_its_keywords(built: Path) -> None:
    with on_path(built / "userpass", "userpass") as pkg:
        params = inspect.signature(pkg.Client.__init__).parameters
        assert {"username", "password"} <= set(params) and "api_key" not in params
        sent = _call(pkg, "sync", username="ada", password="pw")
        assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"ada:pw").decode()


def test_readme_documents_the_api_key(built: Path) -> None:
    readme = (built / "onekey" / "README.md").read_text()
    assert "| `api_key` | `ONEKEY_API_KEY` |" in readme
    assert 'api_key=os.environ.get("ONEKEY_API_KEY"),' in readme


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_one_token_meets_bearer_schemes_required_together(
    built: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with on_path(built / "google", "google") as pkg:
        params = inspect.signature(pkg.Client.__init__).parameters
        assert "access_token" in params and "oauth2_access_token" not in params
        assert _call(pkg, mode, access_token="ya29").headers["Authorization"] == "Bearer ya29"
        monkeypatch.delenv("GOOGLE_ACCESS_TOKEN", raising=False)
        with pytest.raises(pkg.MissingCredentialsError, match="access_token="):
            _call(pkg, mode)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_http_scheme_of_another_word_sends_its_word(built: Path, mode: str) -> None:
    """A helper's review: every HTTP scheme but basic was sent as `Authorization: Bearer
    <credential>`: `scheme: Token` (Django REST framework) wants `Token <key>`, and the API
    (and our own sandbox) answered 401."""
    with on_path(built / "drf", "drf") as pkg:
        sent = _call(pkg, mode, token_auth="t-1", k="q-1")
        assert sent.headers["Authorization"] == "Token t-1"
        assert sent.url.params["key"] == "q-1"


@pytest.mark.parametrize("word", ["digest", "OAuth", "Negotiate", "bad word"])
def test_an_http_scheme_computed_per_request_is_left_out_with_a_warning(word: str) -> None:
    """The same review: `digest` or `oauth` (an OAuth 1.0 signature, here.com) was sent as a
    bearer token, even merged with a real bearer scheme into one `api_key`: such a value is
    computed per request, which no fixed credential meets. The scheme is left out, and the
    warning says how to compute it (an httpx auth on the http client)."""
    report = Report()
    doc = _spec(
        {"signed": {"type": "http", "scheme": word}, "bearerAuth": BEARER},
        [{"signed": []}, {"bearerAuth": []}],
    )
    schemes, default = build_security(doc, report, "spec.json")
    assert [s.name for s in schemes] == ["bearerAuth"] and default == (("bearerAuth",),)
    assert schemes[0].credentials == {"credential": "api_key"}
    (warning,) = [d for d in report.items if "signed" in d.pointer]
    assert warning.pointer == "#/components/securitySchemes/signed/scheme"
    assert "computed per request" in warning.message and "httpx" in (warning.action or "")


def test_a_root_requirement_naming_no_scheme_is_pointed_out() -> None:
    """A helper's review: a root `security` naming `apiKey` where the scheme is `apikey` was
    dropped without a word, and every operation went out anonymous (a client given no
    credential at all did not raise either). Operation-level requirements were warned of."""
    report = Report()
    doc = _spec({"apikey": KEY}, [{"apiKey": []}])
    _, default = build_security(doc, report, "spec.json")
    assert default == ()
    messages = {(d.pointer, d.message) for d in report.items}
    assert (
        "#/security/0",
        "security requirement names 'apiKey', which components.securitySchemes does not define",
    ) in messages
    assert ("#/security", "no security requirement names a usable scheme") in messages
    fine = Report()
    assert build_security(_spec({"apikey": KEY}, [{"apikey": []}, {}]), fine, "s")[1] == (
        ("apikey",),
        (),
    )
    assert fine.items == []


def test_schemes_whose_names_snake_alike_get_keywords_of_their_own() -> None:
    """A helper's review: `api_key` (a header key) and `ApiKey` (a query key), required
    together, both took `api_key_api_key`; one value went to both places, without a word."""
    doc = _spec({"api_key": KEY, "ApiKey": QUERY_KEY}, [{"api_key": [], "ApiKey": []}])
    keywords = _keywords(doc)
    assert keywords["api_key"] != keywords["ApiKey"]
    basic = _keywords(_spec({"basic": BASIC, "Basic": BASIC}, [{"basic": [], "Basic": []}]))
    assert set(basic["basic"].values()).isdisjoint(basic["Basic"].values())


def test_a_requirement_with_mutual_tls_keeps_its_other_schemes() -> None:
    """A helper's review: `{mtls, bearerAuth}` required together was dropped whole (mutualTLS
    cannot be sent in a request), so the bearer token was not sent either: a 401 for sure.
    The certificate is the http client's; the requirement keeps its bearer."""
    report = Report()
    doc = _spec(
        {"mtls": {"type": "mutualTLS"}, "bearerAuth": BEARER}, [{"mtls": [], "bearerAuth": []}]
    )
    schemes, default = build_security(doc, report, "spec.json")
    assert [s.name for s in schemes] == ["bearerAuth"] and default == (("bearerAuth",),)
    (warning,) = report.items
    assert "client certificate" in warning.message and "cert=" in (warning.action or "")


def test_an_operation_requirement_with_mutual_tls_keeps_its_other_schemes() -> None:
    from tests.builds import api_of

    doc = _spec({"mtls": {"type": "mutualTLS"}, "bearerAuth": BEARER}, None)
    doc["paths"]["/ping"]["get"]["security"] = [{"mtls": [], "bearerAuth": []}, {"mtls": []}]
    (op,) = api_of(doc).operations
    assert op.security == (("bearerAuth",), ())


@pytest.mark.parametrize("header", ["Host", "content-length", "Transfer-Encoding"])
def test_an_api_key_in_a_transport_header_is_left_out(header: str) -> None:
    """A helper's fuzzing: `name: Host` sent `Host: <key>` with every request (in every
    proxy's access log, and routed by it); `Content-Length` failed every call. A header
    parameter so named was already left out with a warning; the scheme is too."""
    report = Report()
    scheme = {"type": "apiKey", "in": "header", "name": header}
    schemes, default = build_security(
        _spec({"k": scheme, "b": BEARER}, [{"k": []}, {"b": []}]), report, "s"
    )
    assert [s.name for s in schemes] == ["b"] and default == (("b",),)
    assert [d.pointer for d in report.items] == ["#/components/securitySchemes/k/name"]


def test_mutual_tls_beside_two_bearer_schemes_keeps_the_one_token() -> None:
    """A regression sweep of §92's mutualTLS fix: `{tls, bearer, oidc}` (oag's
    all_security_schemes) kept the bearer merge keyed by the whole requirement, which the
    operations looked up without `tls`: the operation went without credentials, or asked for
    a second token it never sent. One bearer token meets both (§39); the certificate is the
    connection's."""
    from tests.builds import api_of

    schemes = {
        "tls": {"type": "mutualTLS"},
        "bearer": BEARER,
        "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example.com/.well-known"},
    }
    doc = _spec(schemes, [{"tls": [], "bearer": [], "oidc": []}])
    doc["paths"]["/ping"]["get"]["security"] = [{"tls": [], "bearer": [], "oidc": []}]
    api = api_of(doc)
    (op,) = api.operations
    assert op.security == (("bearer",),)
    assert api.default_security == (("bearer",),)
    assert [s.name for s in api.security_schemes] == ["bearer"]


def test_an_implicit_flow_takes_an_access_token_only() -> None:
    """A helper's README run: petstore's implicit flow offered `refresh_token`, `client_id` and
    `client_secret` keywords, which nothing could use (there is no token endpoint to refresh
    at); a flow with one keeps them, and is the flow read when a scheme has both."""
    assert _keywords(_spec({"o": GOOGLE_IMPLICIT}, [{"o": []}]))["o"] == {
        "credential": "access_token"
    }
    both = {"type": "oauth2", "flows": {**GOOGLE_IMPLICIT["flows"], **GOOGLE_CODE["flows"]}}
    assert _keywords(_spec({"o": both}, [{"o": []}]))["o"] == {
        "credential": "access_token",
        "refresh_credential": "refresh_token",
        "client_id_credential": "client_id",
        "client_secret_credential": "client_secret",
    }
