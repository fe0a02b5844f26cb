"""``request_builder``: the same ``httpx.Request`` as ``client.build_request``, only cheaper."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from apigen_runtime._build import fast_url, request_builder

TIMEOUT = httpx.Timeout(7.0, connect=2.0)
URLS = [
    "http://127.0.0.1:8000/pets/7",
    "https://api.example.com/v1/customers/cus_123?expand%5B0%5D=x&limit=3",
    "https://API.Example.com:443/a/b%20c/d",
    "http://user:pw@example.com:8080/x?",
    "https://[::1]:9000/v6/path",
    "https://example.com/a/./b/../c",  # dot segments: normalised by httpx
    "https://example.com/caf\u00e9?q=\u00e9",  # non-ASCII: percent-encoded by httpx
    "https://example.com/a b?x=1 2",  # spaces
    "https://example.com/x%zz",  # a stray percent
    "https://example.com/{id}",  # braces: encoded in a path
    "https://example.com/p?a=[1]&b=`",
    "https://example.com/.well-known/x",
    "https://example.com/x#frag",
]


def _same(a: httpx.Request, b: httpx.Request) -> None:
    assert (a.method, str(a.url), a.url.raw_path) == (b.method, str(b.url), b.url.raw_path)
    assert a.headers.raw == b.headers.raw
    assert a.extensions == b.extensions
    assert a.read() == b.read()


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_same_request_as_build_request(url: str, method: str) -> None:
    client = httpx.Client(headers={"X-Client": "1", "user-agent": "theirs"})
    headers = httpx.Headers({"User-Agent": "ours", "Accept": "application/json", "X-A": "b"})
    content = b'{"a": 1}' if method == "POST" else None
    kwargs: dict[str, Any] = {"headers": headers, "content": content, "timeout": TIMEOUT}
    built = request_builder(client)(method, url, **kwargs)
    _same(built, client.build_request(method, url, **kwargs))


@pytest.mark.parametrize("url", URLS[:5])
def test_fast_url_parses_as_httpx(url: str) -> None:
    made = fast_url(url)
    assert made is not None
    assert made == httpx.URL(url)
    assert (made.host, made.port, made.raw_path) == (
        httpx.URL(url).host,
        httpx.URL(url).port,
        httpx.URL(url).raw_path,
    )


@pytest.mark.parametrize("url", URLS[5:])
def test_fast_url_declines_what_httpx_would_rewrite(url: str) -> None:
    assert fast_url(url) is None


def test_extensions_kept_and_timeout_added() -> None:
    client = httpx.Client()
    built = request_builder(client)("GET", URLS[0], timeout=TIMEOUT, extensions={"x": 1})
    assert built.extensions == {"x": 1, "timeout": TIMEOUT.as_dict()}
    _same(built, client.build_request("GET", URLS[0], timeout=TIMEOUT, extensions={"x": 1}))


def test_client_cookies_and_params_go_through_build_request() -> None:
    client = httpx.Client(params={"key": "v"}, cookies={"session": "s"})
    built = request_builder(client)("GET", URLS[0], timeout=TIMEOUT)
    assert built.url.params["key"] == "v"
    assert built.headers["cookie"] == "session=s"
    _same(built, client.build_request("GET", URLS[0], timeout=TIMEOUT))


def test_a_client_with_its_own_build_request_is_used_as_is() -> None:
    class Tagged(httpx.Client):
        def build_request(self, *args: Any, **kwargs: Any) -> httpx.Request:
            request = super().build_request(*args, **kwargs)
            request.headers["X-Tagged"] = "1"
            return request

    client = Tagged()
    assert request_builder(client)("GET", URLS[0], timeout=TIMEOUT).headers["x-tagged"] == "1"


def test_async_client_and_headers_changed_later() -> None:
    client = httpx.AsyncClient()
    build = request_builder(client)
    client.headers["X-Later"] = "yes"
    built = build("GET", URLS[1], headers=httpx.Headers({"X-A": "1"}), timeout=TIMEOUT)
    assert built.headers["x-later"] == "yes"
    _same(built, client.build_request("GET", URLS[1], headers={"X-A": "1"}, timeout=TIMEOUT))


def test_plain_mapping_headers_and_stray_percent() -> None:
    client = httpx.Client(headers={"X-Client": "1"})
    for url, headers in ((URLS[0], {"X-A": "1"}), ("https://h.example/a%2Fb%zz", None)):
        built = request_builder(client)("GET", url, headers=headers, timeout=TIMEOUT)
        _same(built, client.build_request("GET", url, headers=headers, timeout=TIMEOUT))
    assert fast_url("https://h.example/a%2Fb") is not None
    assert fast_url("https://h.example/a%2Fb?x=%") is None


@pytest.mark.parametrize("url", [URLS[0], URLS[5]])  # the fast path, then build_request's
def test_response_limit_marks_every_request_like_a_wrapper(url: str) -> None:
    """``limit_responses`` on the runtime's builder: the size mark on both paths, the caller's
    extensions kept, the hook installed once, the unmarked builder left as it was."""
    from apigen_runtime._limits import MAX_BYTES_EXTENSION, limit_responses

    client = httpx.Client()
    plain = request_builder(client)
    limited = limit_responses(limit_responses(plain, 10), 123)  # the later limit wins
    request = limited("GET", url, headers=httpx.Headers(), timeout=TIMEOUT, extensions={"x": 1})
    assert request.extensions[MAX_BYTES_EXTENSION] == 123
    assert request.extensions["x"] == 1
    assert request.extensions["timeout"] == TIMEOUT.as_dict()
    assert len(client.event_hooks["response"]) == 1
    unmarked = plain("GET", url, headers=httpx.Headers(), timeout=TIMEOUT)
    assert MAX_BYTES_EXTENSION not in unmarked.extensions
    _same(unmarked, client.build_request("GET", url, timeout=TIMEOUT))


def test_check_headers_names_the_bad_header_among_clean_ones() -> None:
    from apigen_runtime._limits import check_headers

    check_headers(httpx.Headers({"A": "1", "B": "2"}))  # clean: no error
    for bad in (b"x\r\ny", "caf\u00e9".encode(), b"nul\x00"):  # as a pasted value encodes
        headers = httpx.Headers({"A": "1", "X-Bad": bad, "C": "3"})
        with pytest.raises(ValueError, match="'X-Bad'"):
            check_headers(headers)


@pytest.mark.parametrize("name", ["X-A: b", "X A", "X-A\n", "", "Caf\u00e9"])
def test_a_header_name_that_is_no_token_is_refused_before_sending(name: str) -> None:
    """A helper's review: `extra_headers={"X A": "1"}` passed the checks, h11 refused it
    while sending, and the caller got `APIConnectionError` (retried as a connection failure).
    A `ValueError` naming it, before anything is sent, as for a bad value."""
    import apigen_runtime as rt
    from apigen_runtime._limits import check_header_inputs

    with pytest.raises(ValueError, match="is not a header name"):
        check_header_inputs(rt.Operation("get", "/x"), {}, {"extra_headers": {name: "1"}}, {})
    sent: list[httpx.Request] = []
    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
        ),
    )
    with pytest.raises(ValueError, match="is not a header name"):
        client.request(rt.Operation("get", "/x"), {}, {"extra_headers": {name: "1"}})
    assert sent == []


def test_a_spec_header_name_that_is_no_token_is_refused_whatever_the_call_holds() -> None:
    """A helper's Prism sweep: a spec's header parameter named `header param` was refused with
    `ValueError` before sending, except on a GET with a fixed API key and no body or cookie (the
    fast path skips the full header check): h11 refused it while sending, an
    `APIConnectionError`. The same `ValueError` on every path; nothing sent."""
    import apigen_runtime as rt

    op = rt.Operation(
        "get",
        "/x",
        params=(rt.Param("header_param", "header param", "header"),),
        security=({"key": []},),
    )
    sent: list[httpx.Request] = []
    client = rt.SyncAPIClient(
        base_url="https://api.test",
        credentials={"api_key": "k"},
        security_schemes={"key": rt.ApiKey("api_key", "X-Key", "header")},
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
        ),
    )
    with pytest.raises(ValueError, match="'header param' is not a header name"):
        client.request(op, {"header_param": "v"})
    assert sent == []
    assert client.request(op, {}) is None  # not given: nothing to refuse
    assert len(sent) == 1


def test_an_httpx_without_the_internals_gets_build_request(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from apigen_runtime import _build

    assert _build._internals_known()  # the installed httpx (0.27/0.28) has them
    # an httpx whose URL keeps its parse under another name: the fast path is off
    other = SimpleNamespace(URL=lambda url: SimpleNamespace(), Headers=httpx.Headers)
    monkeypatch.setattr(_build, "httpx", other)
    assert not _build._internals_known()
    monkeypatch.setattr(_build, "httpx", httpx)
    monkeypatch.setattr(_build, "_FAST", False)
    client = httpx.Client()
    assert request_builder(client) == client.build_request
