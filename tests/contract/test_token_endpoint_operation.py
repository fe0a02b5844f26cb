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


def test_a_real_server_s_token_endpoint_is_neither_checked_nor_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's product review: against a real server (`--base-url`) the client's OAuth2
    token request was checked as the operation's request (4 false client failures, exit 1)
    and the report printed the token response, `access_token` and all. The token endpoint is
    reached for real, and neither checked nor kept."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from apigen.contract import ContractConfig, run_contract
    from tests.builds import build_into

    class Api(BaseHTTPRequestHandler):
        def _send(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self._send({"access_token": "at_SECRET_TOKEN", "token_type": "bearer"})

        def do_GET(self) -> None:
            self._send({"ok": True})

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        spec = {
            "openapi": "3.0.3",
            "info": {"title": "real token", "version": "1"},
            "servers": [{"url": url}],
            "components": {
                "securitySchemes": {
                    "cc": {
                        "type": "oauth2",
                        "flows": {
                            "clientCredentials": {"tokenUrl": f"{url}/oauth/token", "scopes": {}}
                        },
                    }
                }
            },
            "security": [{"cc": []}],
            "paths": {
                "/thing": {
                    "get": {
                        "operationId": "getThing",
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "required": ["ok"],
                                            "properties": {"ok": {"type": "boolean"}},
                                        }
                                    }
                                },
                            }
                        },
                    }
                }
            },
        }
        path = tmp_path / "realtoken.json"
        path.write_text(json.dumps(spec))
        build_into(path, tmp_path / "realtoken", name="realtoken")
        monkeypatch.setenv("REALTOKEN_CLIENT_ID", "cid")
        monkeypatch.setenv("REALTOKEN_CLIENT_SECRET", "cs_SECRET")
        report = run_contract(
            ContractConfig(tmp_path / "realtoken", spec=path, base_url=url, max_examples=2)
        )
    finally:
        server.shutdown()
        server.server_close()
    failures = [f for op in report.operations for f in op.failures]
    assert not failures, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in failures)
    assert report.operations[0].calls > 0
    assert "SECRET" not in json.dumps(report.to_json())
