"""A server URL a client cannot send to as written is no default base URL.

A helper's hostile specs (187): `https://api.example.com%2F@evil.example/v1` reads as
api.example.com and is evil.example, and httpx sent its user info as Basic auth in place of the
caller's bearer token; `https://api.example.com/v1\r\nX-Evil: 1` (which `urlsplit` reads with
the CR LF dropped) and a port past 65535 passed `--strict` and every call failed with httpx's
bare `InvalidURL`. Each is now warned of, with its pointer, and the client has no default base
URL: a call says `pass base_url=` and sends nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from apigen.diagnostics import Report
from tests.builds import api_of, build_document, on_path

UNUSABLE = [
    "https://api.example.com%2F@evil.example/v1",
    "https://user:pass@api.example.com/v1",
    "https://api.example.com\\@evil.example/v1",
    "https://api.example.com/v1\r\nX-Evil: 1",
    "https://api.example.com:99999/v1",
    "https://api.example.com:443:80/v1",
]


def _spec(root: str, operation: str | None = None) -> dict[str, Any]:
    get: dict[str, Any] = {"operationId": "g", "responses": {"204": {"description": "none"}}}
    if operation is not None:
        get["servers"] = [{"url": operation}]
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": root}],
        "paths": {"/things": {"get": get}},
    }


@pytest.mark.parametrize("url", UNUSABLE)
def test_an_unusable_root_server_is_warned_of_and_no_default(url: str) -> None:
    report = Report()
    api = api_of(_spec(url), report)
    assert api.base_url == ""
    warned = [(d.pointer, d.message) for d in report.items if d.kind == "servers"]
    assert warned == [("#/servers/0", f"server URL {url!r} is no URL")]


@pytest.mark.parametrize("url", UNUSABLE)
def test_an_unusable_operation_server_is_warned_of_and_not_used(url: str) -> None:
    report = Report()
    api = api_of(_spec("https://api.example.com/v1", url), report)
    assert api.base_url == "https://api.example.com/v1"
    assert [op.server for op in api.operations] == [None]
    pointers = [d.pointer for d in report.items if d.kind == "servers"]
    assert pointers == ["#/paths/~1things/get/servers/0/url"]


def test_usable_urls_stay_as_they_are() -> None:
    for url in ("https://api.example.com/v1", "http://[::1]:8080/x", "https://h.test:443"):
        report = Report()
        assert api_of(_spec(url), report).base_url == url
        assert not [d for d in report.items if d.kind == "servers"], url


def test_a_call_without_a_default_base_url_says_so_and_sends_nothing(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    out: Path = build_document(tmp_path_factory, "userinfo", _spec(UNUSABLE[0]))
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    with on_path(out, "userinfo") as pkg:
        client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        with pytest.raises(ValueError, match="pass base_url="):
            client.things.retrieve()
        assert sent == []
        fine = client.with_options(base_url="https://api.example.com/v1")
        fine.things.retrieve()
        assert [str(r.url) for r in sent] == ["https://api.example.com/v1/things"]


def _server(url: str, **defaults: str) -> dict[str, Any]:
    spec = _spec(url)
    spec["servers"][0]["variables"] = {k: {"default": v} for k, v in defaults.items()}
    return spec


def test_a_variable_in_the_user_info_is_no_keyword_and_no_default() -> None:
    """helper 192: `https://{u}@api.example.com/v1` (default `attacker:pw`) was warned of, then
    filled by the runtime all the same: httpx sent `Basic attacker:pw` in place of the
    caller's token (and `u="x"` passed the host check)."""
    report = Report()
    api = api_of(_server("https://{u}@api.example.com/v1", u="attacker:pw"), report)
    assert api.base_url == "" and api.server.variables == ()
    assert [d.pointer for d in report.items if d.kind == "servers"] == ["#/servers/0"]


def test_a_port_default_that_is_no_port_is_no_keyword() -> None:
    for port in ("0", "65536", "http"):
        api = api_of(_server("https://api.example.com:{port}/v1", port=port), Report())
        assert api.base_url == "" and api.server.variables == (), port
    api = api_of(_server("https://api.example.com:{port}/v1", port="8443"), Report())
    assert [v.keyword for v in api.server.variables] == ["port"]


def test_a_scheme_variable_of_another_scheme_is_no_internal_error() -> None:
    """helper 192: `{scheme}://api.example.com` defaulting to `javascript` stopped the build
    with "internal error" (`_part` looked for `{scheme}` in localhost's template)."""
    report = Report()
    api = api_of(_server("{scheme}://api.example.com/v1", scheme="javascript"), report)
    assert api.base_url == "http://localhost" and api.server.variables == ()
    assert any("is not http(s)" in d.message for d in report.items)
