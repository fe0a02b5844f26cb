"""A token endpoint on the API's own origin moves with `base_url`; the sandbox answers it.

Lufthansa's and Paylocity's specs put the client-credentials `tokenUrl` on the API's host. The
client kept it absolute, so a client pointed at a staging host or a local sandbox still sent
its client secret to production for a token (and every README example against the sandbox
failed to connect). Now such an endpoint is kept as its path and resolved against `base_url`;
one on another host (Zoom's `https://zoom.us/oauth/token` beside `https://api.zoom.us/v2`)
stays absolute. The sandbox answers the spec's token endpoints with a bearer token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.ir.nodes import SecuritySchemeDef
from apigen.ir.security import token_endpoints_on_the_server
from apigen.sandbox import Sandbox
from tests.builds import build_document, on_path

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "partner", "version": "1"},
    "servers": [{"url": "https://api.partner.example/v1"}],
    "security": [{"cc": []}],
    "paths": {
        "/offers": {
            "get": {
                "operationId": "listOffers",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
    },
    "components": {
        "securitySchemes": {
            "cc": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://api.partner.example/v1/oauth/token",
                        "scopes": {},
                    }
                },
            }
        }
    },
}


@pytest.mark.parametrize(
    ("token_url", "kept"),
    [
        ("https://api.partner.example/v1/oauth/token", "/v1/oauth/token"),
        ("https://API.partner.example:443/oauth/token?x=1", "/oauth/token?x=1"),
        ("https://auth.partner.example/oauth/token", "https://auth.partner.example/oauth/token"),
        ("http://api.partner.example/oauth/token", "http://api.partner.example/oauth/token"),
        ("https://api.partner.example:8443/token", "https://api.partner.example:8443/token"),
    ],
)
def test_only_an_endpoint_on_the_server_s_origin_becomes_a_path(token_url: str, kept: str) -> None:
    scheme = SecuritySchemeDef("cc", "OAuth2ClientCredentials", {}, {"token_url": token_url})
    token_endpoints_on_the_server([scheme], "https://api.partner.example/v1")
    assert scheme.options["token_url"] == kept


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "partner", SPEC)


def test_a_client_fetches_its_token_from_the_sandbox_it_is_pointed_at(out: Path) -> None:
    readme = (out / "README.md").read_text()
    assert "exchanged for a token at `/v1/oauth/token` on the host of `base_url`" in readme
    with Sandbox(SPEC) as sandbox, on_path(out, "partner") as partner:
        assert sandbox.url is not None
        with partner.Client(base_url=sandbox.url, client_id="id", client_secret="s3cret") as client:
            client.offers.list()
            client.offers.list()  # the token is reused
        token, first, second = sandbox.requests
        assert (token.method, token.path, token.status) == ("POST", "/v1/oauth/token", 200)
        assert token.headers["authorization"].startswith("Basic ")
        assert first.headers["authorization"].startswith("Bearer sandbox-token-")
        assert second.headers["authorization"] == first.headers["authorization"]
        assert (first.status, second.status) == (200, 200)


@pytest.mark.parametrize(
    ("server", "token_url"),
    [("https://[x]/v1", "https://[x]/token"), ("https://api.example", "https://[x]/token")],
)
def test_urls_that_do_not_parse_are_left_as_they_are(server: str, token_url: str) -> None:
    scheme = SecuritySchemeDef("cc", "OAuth2ClientCredentials", {}, {"token_url": token_url})
    token_endpoints_on_the_server([scheme], server)
    assert scheme.options["token_url"] == token_url
