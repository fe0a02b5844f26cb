"""An API that documents its own OAuth2 token endpoint as an operation.

Against its sandbox the run answers the token requests of the client's auth flow itself (the
real token server must not be reached), by URL. It answered the `POST /oauth/token` operation's
own calls the same way, so nothing reached the sandbox and every case read "raised NoneType
before sending" against the client (32 client failures on a hand-written spec).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.contract.runner import _is_token_operation
from tests.builds import contract_of

TOKEN = {
    "type": "object",
    "required": ["access_token", "token_type"],
    "properties": {"access_token": {"type": "string"}, "token_type": {"type": "string"}},
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "own token endpoint", "version": "1"},
    "servers": [{"url": "http://localhost/v1"}],
    "components": {
        "securitySchemes": {
            "cc": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {}}},
            }
        }
    },
    "security": [{"cc": []}],
    "paths": {
        "/oauth/token": {
            "post": {
                "operationId": "token",
                "security": [],
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {"grant_type": {"type": "string"}},
                                "additionalProperties": False,
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "a token",
                        "content": {"application/json": {"schema": TOKEN}},
                    }
                },
            }
        },
        "/things": {
            "get": {
                "operationId": "listThings",
                "responses": {"204": {"description": "none"}},
            }
        },
    },
}


@pytest.mark.slow
def test_the_token_operation_reaches_the_sandbox_and_the_flow_still_gets_its_token(
    tmp_path: Path,
) -> None:
    report = contract_of(tmp_path, SPEC, "owntoken")
    by_id = {op.operation_id: op for op in report.operations}
    assert by_id["token"].cases > 0 and by_id["listThings"].cases > 0
    failures = [f for op in report.operations for f in op.failures]
    assert not failures, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in failures)


def test_a_token_operation_is_told_by_its_path_and_method() -> None:
    urls = frozenset({"/oauth/token", "https://auth.example.com/v2/token"})
    assert _is_token_operation("post", "/oauth/token", urls)
    assert _is_token_operation("POST", "/v2/token", urls)
    assert not _is_token_operation("get", "/oauth/token", urls)
    assert not _is_token_operation("post", "/oauth/tokens", urls)
    assert not _is_token_operation("post", "/oauth/{kind}", urls)
    assert not _is_token_operation("post", "/", urls)


@pytest.mark.slow
def test_a_token_endpoint_on_the_api_s_host_is_answered_where_the_client_sends_it(
    tmp_path: Path,
) -> None:
    """The client sends such a token request to its `base_url`'s host (the sandbox's), not to
    the spec's absolute URL: the run answers it there (Lufthansa: every operation read as a
    client failure, "method POST instead of GET", the token request checked as the call)."""
    spec = {
        **SPEC,
        "servers": [{"url": "https://api.partner.example/v1"}],
        "components": {
            "securitySchemes": {
                "cc": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://api.partner.example/v1/partners/oauth/token",
                            "scopes": {},
                        }
                    },
                }
            }
        },
        "paths": {"/things": SPEC["paths"]["/things"]},
    }
    report = contract_of(tmp_path, spec, "hosttoken")
    [things] = report.operations
    assert things.cases > 0
    assert not things.failures, "\n".join(
        f"[{f.klass}/{f.check}] {f.message}" for f in things.failures
    )
