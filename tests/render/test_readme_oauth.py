"""A client whose spec has an OAuth2 authorization-code scheme says in its README how a user
signs in (`client.oauth`): helper 229 found the flow working and never mentioned. The example
defines a function (it needs a browser and a callback), so the README examples still run."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builds import build_document


def _spec(flows: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "O", "version": "1"},
        "servers": [{"url": "https://o.example.com"}],
        "components": {"securitySchemes": {"oa": {"type": "oauth2", "flows": flows}}},
        "security": [{"oa": []}],
        "paths": {
            "/me": {"get": {"operationId": "getMe", "responses": {"204": {"description": "ok"}}}}
        },
    }


def test_the_readme_shows_the_sign_in(tmp_path_factory: pytest.TempPathFactory) -> None:
    code = {
        "authorizationCode": {
            "authorizationUrl": "https://o.example.com/authorize",
            "tokenUrl": "https://o.example.com/token",
            "scopes": {},
        }
    }
    out = build_document(tmp_path_factory, "signin", _spec(code))
    readme = (out / "README.md").read_text()
    assert "oauth = client.oauth" in readme and "oauth.exchange_code(" in readme
    block = readme.split("import webbrowser", 1)[1].split("```", 1)[0]
    compile("import webbrowser" + block, "README.md", "exec")  # (it is Python)
    machine = {"clientCredentials": {"tokenUrl": "https://o.example.com/token", "scopes": {}}}
    other = build_document(tmp_path_factory, "machine", _spec(machine))
    assert "client.oauth" not in (other / "README.md").read_text()


def test_with_several_schemes_the_readme_names_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The last review: with two authorization-code schemes `client.oauth` cannot choose, the
    README sent readers to `OAuth(client, scheme=...)`, which the package did not export."""
    from tests.builds import on_path

    code = {
        "authorizationCode": {
            "authorizationUrl": "https://o.example.com/authorize",
            "tokenUrl": "https://o.example.com/token",
            "scopes": {},
        }
    }
    spec = _spec(code)
    schemes = spec["components"]["securitySchemes"]
    schemes["ob"] = schemes["oa"]
    spec["security"] = [{"oa": []}, {"ob": []}]
    out = build_document(tmp_path_factory, "twosign", spec)
    readme = (out / "README.md").read_text()
    assert 'oauth = OAuth(client, scheme="oa")' in readme and "from twosign import OAuth" in readme
    with on_path(out, "twosign") as pkg:
        client = pkg.Client(oa_client_id="app", ob_client_id="app")
        assert not hasattr(client, "oauth")  # (an AttributeError saying which to pick)
        url = pkg.OAuth(client, scheme="ob").authorization_url(redirect_uri="http://127.0.0.1/cb")
        assert url.url.startswith("https://o.example.com/authorize?")
        assert pkg.AsyncOAuth is pkg._runtime.AsyncOAuth
