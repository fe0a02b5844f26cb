"""Which root server variables become client keywords, named how, and what operation servers
keep of them (ir/servers.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.builds import api_of, build_into


def _doc(server: dict[str, Any], op_servers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    get: dict[str, Any] = {"operationId": "ping", "responses": {"204": {"description": "ok"}}}
    if op_servers is not None:
        get["servers"] = op_servers
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [server],
        "paths": {"/ping": {"get": get}},
        "components": {"securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "K"}}},
        "security": [{"k": []}],
    }
    return doc


def test_keywords_shun_the_client_s_own_and_each_other() -> None:
    server = {
        "url": "https://{timeout}.{api_key}.{base-url}.test/{basePath}/{base_path}/{class}",
        "variables": {
            name: {"default": "x"}
            for name in ("timeout", "api_key", "base-url", "basePath", "base_path", "class")
        },
    }
    api = api_of(_doc(server))
    assert [(v.name, v.keyword) for v in api.server.variables] == [
        ("timeout", "timeout_variable"),  # the client's own keyword
        ("api_key", "api_key_variable"),  # the credential's
        ("base-url", "base_url_variable"),
        ("basePath", "base_path"),
        ("base_path", "base_path_variable"),  # taken by the one before
        ("class", "class_"),  # a Python keyword
    ]
    assert [v.part for v in api.server.variables] == ["host"] * 3 + ["path"] * 3


def test_only_variables_the_url_uses_with_a_default_are_keywords() -> None:
    server = {
        "url": "https://{host}.test:{port}/{v}/{fixed}",
        "variables": {
            "host": {"enum": ["a", "b"]},  # no default: the validator's finding; left to base_url
            "port": {"default": 8443, "enum": [8443, 9443, True]},
            "v": {"default": "v1"},
            "fixed": {"default": "api", "enum": ["api"]},  # nothing to choose
            "unused": {"default": "x"},
        },
    }
    api = api_of(_doc(server))
    assert [(v.keyword, v.default, v.enum) for v in api.server.variables] == [
        ("port", "8443", ("8443", "9443")),  # numbers as the URL spells them; no boolean
        ("v", "v1", ()),
    ]
    assert [v.part for v in api.server.variables] == ["port", "path"]
    assert api.server.template == "https://{host}.test:{port}/{v}/api"
    assert api.base_url == "https://{host}.test:8443/v1/api"


def test_a_variable_glued_to_the_host_that_holds_a_path_is_the_path_s_start() -> None:
    """`https://api.example.com{basePath}` (default `/v1`) read as part of the host refused
    `/v2` and took `x.evil.com`: the credentials went to `api.example.comx.evil.com`."""
    cases = [  # (url, the variable's name and default, its part)
        ("https://api.example.com{basePath}", "basePath", "/v1", "path_start"),
        ("https://api.example.com{suffix}", "suffix", "", "path_start"),  # empty, ends the host
        ("https://h.test{basePath}/x", "basePath", "/v1", "path_start"),
        ("https://api{suffix}.example.com", "suffix", "", "host"),  # inside the host name
        ("https://api-{env}.example.com", "env", "prod", "host"),
        ("https://{tenant}.example.com", "tenant", "acme", "host"),
    ]
    for url, name, default, part in cases:
        api = api_of(_doc({"url": url, "variables": {name: {"default": default}}}))
        assert [v.part for v in api.server.variables] == [part], url


def test_a_relative_root_server_with_variables_is_on_localhost() -> None:
    api = api_of(_doc({"url": "/api/{version}", "variables": {"version": {"default": "v2"}}}))
    assert api.base_url == "http://localhost/api/v2"
    assert api.server.template == "http://localhost/api/{version}"


def test_operation_servers_keep_the_root_s_variables_only_where_relative_to_it() -> None:
    root = {
        "url": "{scheme}://{region}.api.test/{v}",
        "variables": {
            "scheme": {"default": "https"},
            "region": {"default": "eu"},
            "v": {"default": "v1"},
        },
    }

    def server_of(op_server: dict[str, Any]) -> str | None:
        return api_of(_doc(root, [op_server])).operations[0].server

    assert server_of({"url": "/v2"}) == "{scheme}://{region}.api.test/v2"
    assert server_of({"url": "../x"}) == "{scheme}://{region}.api.test/x"
    assert server_of({"url": "//cdn.test/files"}) == "{scheme}://cdn.test/files"
    # absolute: its own variables at their defaults, none of the root's
    absolute = {"url": "https://{region}.up.test", "variables": {"region": {"default": "us"}}}
    assert server_of(absolute) == "https://us.up.test"
    # the root spelled out with its defaults, or relative back to it: nothing to override
    assert server_of({"url": "https://eu.api.test/v1/"}) is None
    assert server_of({"url": "."}) is None
    assert server_of({"url": "ftp://files.test"}) is None


def test_a_server_without_a_host_is_marked_relative_and_the_readme_asks_for_base_url() -> None:
    """`Client()` of such a spec sends to localhost: the README says so and shows a `base_url`
    keeping the server's path (`base_url` replaces the whole server URL, so a user passing only
    the host would lose `/api/v3`)."""
    from apigen.distribution import Distribution
    from apigen.render import render_api

    relative = api_of(_doc({"url": "/api/v3/"}))
    assert relative.server.relative == "/api/v3/"
    no_server = _doc({"url": "https://x.test"})
    del no_server["servers"]
    assert api_of(no_server).server.relative == "/"
    assert api_of(_doc({"url": "https://x.test/v1"})).server.relative is None
    templated = {"url": "{scheme}://x.test", "variables": {"scheme": {"default": "https"}}}
    assert api_of(_doc(templated)).server.relative is None

    def readme(api: Any) -> str:
        files = render_api(api, dist=Distribution("t-apigen-client", "1", "vendored", None))
        return " ".join(files["README.md"].split())

    assert (
        "The spec names no host for the API (its server is `/api/v3/`): a client without "
        "`base_url=` sends to `http://localhost/api/v3`. Pass the API's address, with that "
        'path, since `base_url` replaces the whole server URL: `Client(base_url="'
        'https://api.example.com/api/v3")`, or set `T_BASE_URL`.'
    ) in readme(relative)
    assert 'Client(base_url="https://api.example.com")' in readme(api_of(no_server))
    assert "names no host" not in readme(api_of(_doc({"url": "https://x.test/v1"})))


def test_a_server_url_s_query_and_fragment_are_left_out_with_a_warning() -> None:
    """Joined with a path, a query swallowed it (`/v1?api-version=2/ping`): every request went
    to another endpoint; the runtime now refuses such a base URL, so the IR leaves it out."""
    from apigen.diagnostics import Report

    report = Report()
    api = api_of(_doc({"url": "https://x.test/v1?api-version=2#top"}), report)
    assert api.base_url == "https://x.test/v1"
    (warning,) = [d for d in report.items if d.kind == "servers"]
    assert warning.pointer == "#/servers/0/url" and "default_query" in str(warning.action)
    op_server = api_of(_doc({"url": "https://x.test/v1"}, [{"url": "https://y.test/v2?a=1"}]))
    assert [op.server for op in op_server.operations] == ["https://y.test/v2"]


def test_a_host_variable_s_default_that_ends_the_host_is_none_with_a_warning() -> None:
    """A helper's fuzzing: `https://{env}.example.com` with `default: evil.test#` (outside its
    `enum` too) passed silently, and `Client()` then failed (a base URL with a fragment); with
    `evil.test/` every request would go to `evil.test`. Such a default is none (the client asks
    for `base_url=`), and both faults are warned where they are."""
    from apigen.diagnostics import Report

    for default, breaks in [("evil.test#", "#"), ("evil.test/", "/"), ("a@evil.test", "@")]:
        report = Report()
        server = {
            "url": "https://{env}.example.com",
            "variables": {"env": {"default": default, "enum": ["prod", "staging"]}},
        }
        api = api_of(_doc(server), report)
        assert "evil" not in api.base_url, default
        # nor a keyword's default (the review of this fix: `Client()` still went to evil.test)
        assert all("evil" not in v.default for v in api.server.variables), default
        assert "{env}" in api.server.template
        found = {(d.pointer, d.message) for d in report.items if d.kind == "servers"}
        where = "#/servers/0/variables/env/default"
        assert (
            where,
            f"server variable 'env': default {default!r} is not one of its enum",
        ) in found
        assert any(p == where and f"holds {breaks!r}" in m for p, m in found), found
    report = Report()  # a path after the host: `/` is the path's start, as written
    api = api_of(
        _doc(
            {
                "url": "https://{server}{basePath}",
                "variables": {"server": {"default": "api.test"}, "basePath": {"default": "/v2"}},
            }
        ),
        report,
    )
    assert api.base_url == "https://api.test/v2"
    assert not [d for d in report.items if d.kind == "servers"]


def test_a_path_variable_s_default_no_path_can_hold_is_none_with_a_warning() -> None:
    """Helper 174: `https://api.example.com/{basePath}` with `default: "v1?debug=1"` built
    silently and `Client()` raised (a base URL with a query); with a CR LF every call failed
    with httpx's `InvalidURL`. Such a default is none, warned; a space or `/` stays a path."""
    from apigen.diagnostics import Report

    for default, breaks in [("v1?debug=1", "?"), ("v1#x", "#"), ("v1\r\nX: y", "\r")]:
        report = Report()
        server = {
            "url": "https://api.example.com/{basePath}",
            "variables": {"basePath": {"default": default}},
        }
        api = api_of(_doc(server), report)
        assert api.base_url == "https://api.example.com/{basePath}", default
        assert "{basePath}" in api.server.template and not api.server.variables
        found = [d.message for d in report.items if d.kind == "servers"]
        assert any(
            f"stands in the path, and its default {default!r} holds {breaks!r}" in m for m in found
        ), found
    # a relative server has a path only (the review: `/{base}` was not looked at)
    report = Report()
    api = api_of(_doc({"url": "/{base}", "variables": {"base": {"default": "v1?x=1"}}}), report)
    assert "x=1" not in api.base_url
    assert any("stands in the path" in d.message for d in report.items), report.items
    for default in ("v1/beta", "my api", "v%201"):
        report = Report()
        server = {
            "url": "https://api.example.com/{basePath}",
            "variables": {"basePath": {"default": default}},
        }
        api = api_of(_doc(server), report)
        assert api.base_url == f"https://api.example.com/{default}"
        assert not [d for d in report.items if d.kind == "servers"], default


def test_an_operation_or_path_server_that_is_no_url_is_warned_and_left_out() -> None:
    """A helper's fuzzing: `servers: [{url: "http://[::1/p"}]` on a path item (or a port past
    65535 on an operation) passed silently, and every call failed with httpx's `InvalidURL`;
    the root server's equivalent was warned."""
    from apigen.diagnostics import Report

    for bad in ("http://[::1/p", "https://x.test:99999/v2"):
        report = Report()
        document = _doc({"url": "https://x.test/v1"}, [{"url": bad}])
        document["paths"]["/ping"]["servers"] = [{"url": bad}]  # the operation's wins
        api = api_of(document, report)
        assert [op.server for op in api.operations] == [None], bad
        (warning,) = [d for d in report.items if d.kind == "servers"]
        assert warning.pointer == "#/paths/~1ping/get/servers/0/url" and bad in warning.message
        del document["paths"]["/ping"]["get"]["servers"]
        report = Report()
        api_of(document, report)
        assert [d.pointer for d in report.items if d.kind == "servers"] == [
            "#/paths/~1ping/servers/0/url"
        ]


def test_an_operation_server_s_variable_that_would_end_the_host_is_warned_and_left_out() -> None:
    """The same review: an operation's `https://{env}.upload.test` with `default: evil.test/`
    sent its calls to the literal host `{env}.upload.test`, unwarned."""
    from apigen.diagnostics import Report

    report = Report()
    op_server = {"url": "https://{env}.upload.test", "variables": {"env": {"default": "e.test/"}}}
    api = api_of(_doc({"url": "https://x.test/v1"}, [op_server]), report)
    assert [op.server for op in api.operations] == [None]
    assert [d.pointer for d in report.items if d.kind == "servers"] == [
        "#/paths/~1ping/get/servers/0/url"
    ]


def test_a_client_whose_server_has_no_usable_default_asks_for_base_url(tmp_path: Path) -> None:
    """`Client()` of such a spec sent to the literal `https://{env}.api.test` (a variable
    without a default did the same): it asks for `base_url=` now."""
    import httpx
    import pytest

    from tests.builds import on_path

    server = {"url": "https://{env}.api.test/v1", "variables": {"env": {"default": "evil.test/"}}}
    document = _doc(server)
    document["info"]["title"] = "novar"
    spec = tmp_path / "novar.json"
    spec.write_text(json.dumps(document))
    build_into(spec, tmp_path / "out", name="novar")
    with on_path(tmp_path / "out", "novar") as pkg:
        with pytest.raises(
            ValueError, match="has a variable without a usable default: pass base_url="
        ):
            pkg.Client(api_key="key")
        http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(204)))
        client = pkg.Client(api_key="key", base_url="https://prod.api.test/v1", http_client=http)
        assert client.base_url == "https://prod.api.test/v1"
