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
    assert "client.oauth.authorization_url(" in readme and "exchange_code(" in readme
    block = readme.split("import webbrowser", 1)[1].split("```", 1)[0]
    compile("import webbrowser" + block, "README.md", "exec")  # (it is Python)
    machine = {"clientCredentials": {"tokenUrl": "https://o.example.com/token", "scopes": {}}}
    other = build_document(tmp_path_factory, "machine", _spec(machine))
    assert "client.oauth" not in (other / "README.md").read_text()
