"""Bearer-token schemes ANDed in one requirement (Google's discovery conversions require
`{Oauth2, Oauth2c}` on every operation): one `Authorization: Bearer` token meets them all, so the
contract checks that the client sends it instead of calling the requirement unmeetable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.contract.spec import SpecView
from apigen.contract.wire import UNMEETABLE_SECURITY, check_request
from tests.builds import contract_of

AUTH = "https://accounts.example.com/o/oauth2/auth"
SCHEMES: dict[str, Any] = {
    "Oauth2": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": AUTH, "scopes": {}}}},
    "Oauth2c": {
        "type": "oauth2",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": AUTH,
                "tokenUrl": "https://accounts.example.com/o/oauth2/token",
                "scopes": {},
            }
        },
    },
    "basic": {"type": "http", "scheme": "basic"},
    "mtls": {"type": "mutualTLS"},
}


def _spec(requirement: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "passes", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {
            "/classes": {
                "get": {
                    "operationId": "listClasses",
                    "security": [requirement],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            }
        },
        "components": {"securitySchemes": SCHEMES},
    }


def _problems(requirement: dict[str, list[str]], authorization: str | None) -> list[str]:
    base = "http://127.0.0.1:9/v1"
    headers = {"Authorization": authorization} if authorization else {}
    request = httpx.Request("GET", f"{base}/classes", headers=headers)
    view = SpecView(_spec(requirement))
    return check_request(view, "GET", "/classes", base, request, {}, None, False)


def test_one_bearer_token_meets_two_oauth2_schemes() -> None:
    both = {"Oauth2": ["s"], "Oauth2c": ["s"]}
    assert _problems(both, "Bearer ya29") == []
    assert _problems(both, None) == ["no credentials sent (the operation needs Oauth2+Oauth2c)"]
    # basic and bearer cannot share the one header: that requirement stays the spec's problem
    (problem,) = _problems({"basic": [], "Oauth2c": []}, "Bearer ya29")
    assert problem.startswith(UNMEETABLE_SECURITY)


@pytest.mark.slow
def test_the_generated_client_meets_two_oauth2_schemes(tmp_path: Path) -> None:
    report = contract_of(tmp_path, _spec({"Oauth2": ["s"], "Oauth2c": ["s"]}), "passes")
    failures = [f for op in report.operations for f in op.failures]
    assert [op.cases for op in report.operations] != [0]
    assert not failures, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in failures)


def test_a_requirement_naming_mutual_tls_asks_the_request_for_its_other_schemes() -> None:
    """A `mutualTLS` scheme is the connection's (a client certificate shows in no header): the
    generator keeps a requirement naming it, with its other schemes (decisions §92; it
    dropped the whole requirement, and the bearer ANDed with it was never sent)."""
    both = {"Oauth2": [], "Oauth2c": [], "mtls": []}
    assert _problems(both, "Bearer ya29") == []
    assert _problems(both, None) == [
        "no credentials sent (the operation needs Oauth2+Oauth2c+mtls)"
    ]
    assert _problems({"mtls": []}, None) == []  # a client certificate alone shows in no header


def test_an_api_key_in_a_transport_header_is_the_spec_s() -> None:
    """A review: the generator leaves out an API key named `Content-Length` (or `Host`), and
    the check still expected it: a client failure, exit 1."""
    SCHEMES["lenKey"] = {"type": "apiKey", "in": "header", "name": "Content-Length"}
    try:
        (problem,) = _problems({"lenKey": []}, None)
    finally:
        del SCHEMES["lenKey"]
    assert problem.startswith(UNMEETABLE_SECURITY) and "transport" in problem
