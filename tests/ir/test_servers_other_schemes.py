"""A `ws`/`wss` server listed before an HTTP one is not the client's default.

A helper's Swagger 2.0 probe: `schemes: [wss, http]` (and a 3.0 `servers: [wss://..., https://...]`)
made the default base URL `http://localhost/wss://api.example.com:8443/v1`: the first server was
taken, and a URL not starting with http(s) was read as a relative path. The default is the first
server an HTTP client can call; with none, localhost (with a warning saying so); the sandbox
serves under that server's path and the contract reads its origin the same way."""

from __future__ import annotations

from typing import Any

from apigen.diagnostics import Report
from apigen.ir.servers import root_index
from apigen.sandbox._refs import Resolver
from apigen.sandbox._routing import Router
from apigen.spec.swagger2 import upgrade
from tests.builds import api_of

PATHS = {"/x": {"get": {"operationId": "getX", "responses": {"204": {"description": "ok"}}}}}


def _v3(*urls: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": u} for u in urls],
        "paths": PATHS,
    }


def test_an_http_server_after_a_websocket_one_is_the_default() -> None:
    document = _v3("wss://stream.example.com/ws", "https://api.example.com/v1")
    report = Report()
    assert api_of(document, report).base_url == "https://api.example.com/v1"
    assert root_index(document) == 1
    assert not [w for w in report.warnings if w.kind == "servers"]
    assert Router(document, Resolver(document)).prefix == "/v1"


def test_swagger2_schemes_put_http_before_websockets() -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "api.example.com:8443",
        "basePath": "/v1",
        "schemes": ["wss", "http"],
        "paths": PATHS,
    }
    upgraded = upgrade(document)
    assert [s["url"] for s in upgraded["servers"]] == [
        "http://api.example.com:8443/v1",
        "wss://api.example.com:8443/v1",
    ]
    assert api_of(upgraded).base_url == "http://api.example.com:8443/v1"


def test_only_a_websocket_server_leaves_localhost_and_says_so() -> None:
    report = Report()
    assert api_of(_v3("wss://stream.example.com/ws"), report).base_url == "http://localhost"
    (warning,) = [w for w in report.warnings if w.kind == "servers"]
    assert warning.pointer == "#/servers/0/url" and "is not http(s)" in warning.message
    assert "http://localhost" in warning.action


def test_a_relative_server_says_what_the_default_became() -> None:
    report = Report()
    assert api_of(_v3("/api/v2"), report).base_url == "http://localhost/api/v2"
    (warning,) = [w for w in report.warnings if w.kind == "servers"]
    assert "default base URL is http://localhost/api/v2" in warning.action


def test_a_host_and_port_without_a_scheme_is_no_other_scheme() -> None:
    """The first version read `localhost:8080` as the scheme `localhost:` (a helper's
    regression sweep): such a URL stays relative, as before."""
    report = Report()
    api_of(_v3("localhost:8080/v1"), report)
    (warning,) = [w for w in report.warnings if w.kind == "servers"]
    assert "is not absolute" in warning.message
