"""A spec's security scheme cannot choose what the client sends beyond its own credential.

A helper's hostile specs (187): an API key cookie named `lang=en; sid` set a cookie of the
spec's choosing (`Cookie: lang=en; sid=SECRET`), and OAuth URLs were taken as given (`file:`
token endpoints, a `javascript:` authorization URL, an empty token URL that posted the client
secret to the API's root), all without a word, even under `--strict`. Each is now warned of at
build, with the JSON pointer, and refused by the runtime (tests/runtime/test_endpoints.py,
tests/runtime/test_hardening_oauth.py)."""

from __future__ import annotations

from typing import Any

import pytest

from apigen.diagnostics import Report
from tests.builds import api_of


def _spec(schemes: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/x": {"get": {"operationId": "g", "responses": {"204": {"description": "none"}}}}
        },
        "components": {"securitySchemes": schemes},
        "security": [{name: []} for name in schemes],
    }


def _warned(schemes: dict[str, Any]) -> dict[str, str]:
    report = Report()
    api_of(_spec(schemes), report)
    return {d.pointer: d.message for d in report.items if d.kind == "security"}


@pytest.mark.parametrize("name", ["lang=en; sid", "a;b", "k=v", "", "a b"])
def test_a_cookie_key_name_that_is_no_token_is_warned_of(name: str) -> None:
    warned = _warned({"k": {"type": "apiKey", "in": "cookie", "name": name}})
    assert warned == {
        "#/components/securitySchemes/k/name": f"cookie name {name!r} is not an HTTP token"
        " (RFC 9110)"
    }


def test_a_cookie_key_name_that_is_a_token_is_not() -> None:
    assert _warned({"k": {"type": "apiKey", "in": "cookie", "name": "session_id"}}) == {}


def _oauth(**urls: str) -> dict[str, Any]:
    return {
        "type": "oauth2",
        "flows": {"authorizationCode": {**urls, "scopes": {}}},
    }


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://a.test/x\r\nX: 1",
        "https:///x",
        "https://id:sec@auth.test/token",
        "https://auth.test@evil.test/token",
        " https://auth.test/token",
        "https://[::1/token",  # (it stopped the build: "internal error")
        "https://auth.test:99999/token",
        "https:\\\\evil.test\\token",
    ],
)
def test_an_oauth_url_that_is_no_web_url_is_warned_of(url: str) -> None:
    good = "https://auth.example.com/token"
    warned = _warned(
        {"o": _oauth(authorizationUrl=url, tokenUrl=good, refreshUrl=url)},
    )
    base = "#/components/securitySchemes/o/flows/authorizationCode/"
    assert sorted(warned) == [base + "authorizationUrl", base + "refreshUrl"]
    assert f"{url!r} is not an http(s) URL" in warned[base + "refreshUrl"]


def test_an_empty_token_url_is_warned_of_an_empty_refresh_url_is_none() -> None:
    """The review: `refreshUrl: ""` was warned "refused", yet it is dropped and refreshing goes
    to the token URL; an empty token URL does leave the client without one."""
    warned = _warned({"o": _oauth(authorizationUrl="https://a.test/a", tokenUrl="", refreshUrl="")})
    assert list(warned) == ["#/components/securitySchemes/o/flows/authorizationCode/tokenUrl"]


def test_openid_connect_url_is_checked_too_and_web_urls_are_not_warned_of() -> None:
    oidc = {"type": "openIdConnect", "openIdConnectUrl": "file:///etc/passwd"}
    assert list(_warned({"c": oidc})) == ["#/components/securitySchemes/c/openIdConnectUrl"]
    fine = _oauth(authorizationUrl="https://a.test/authorize", tokenUrl="/oauth/token")
    assert _warned({"o": fine}) == {}
    other_host = _oauth(authorizationUrl="//auth.test/a", tokenUrl="//auth.test/token")
    assert _warned({"o": other_host}) == {}  # (relative to the scheme: an auth server's host)
