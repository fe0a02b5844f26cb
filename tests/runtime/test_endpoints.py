"""Requests reach exactly the endpoint the caller meant: operation servers, path segments that
cannot climb or vanish, and credentials only for the origins the client was configured for."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import apigen_runtime as rt

from .conftest import Recorder, op

ROOT = "https://api.test/v1"
FILES = "https://files.test"


def _sync(recorder: Recorder, **kwargs: Any) -> rt.SyncAPIClient:
    kwargs.setdefault("default_base_url", ROOT)
    client = rt.SyncAPIClient(
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **kwargs
    )
    client._sleep = lambda seconds: None
    return client


def _async(recorder: Recorder, **kwargs: Any) -> rt.AsyncAPIClient:
    kwargs.setdefault("default_base_url", ROOT)
    return rt.AsyncAPIClient(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)), **kwargs
    )


async def _both(
    recorder: Recorder, operation: rt.Operation[Any], values: dict[str, Any], **kwargs: Any
) -> list[httpx.Request]:
    """Send through the sync and the async client; the two recorded requests."""
    _sync(recorder, **kwargs).request(operation, values)
    await _async(recorder, **kwargs).request(operation, values)
    assert len(recorder.requests) == 2
    return recorder.requests


_BEARER = {
    "credentials": {"token": "sk_secret"},
    "security_schemes": {
        "bearer": rt.HTTPBearer("token"),
        "key": rt.ApiKey("key", "X-Key", "header"),
    },
    "default_security": (("bearer",),),
}


def _upload() -> rt.Operation[Any]:
    return op(
        rt.Param("body", "body", "body"),
        method="post",
        path="/v1/files",
        body=rt.Body("application/octet-stream"),
        server=FILES,
    )


# --- bug 1: operation servers ----------------------------------------------------------------


async def test_operation_server_is_used_with_the_spec_base_url(recorder: Recorder) -> None:
    for request in await _both(recorder, _upload(), {"body": b"x"}, **_BEARER):
        assert str(request.url) == "https://files.test/v1/files"
        assert request.headers["Authorization"] == "Bearer sk_secret"  # the spec's server


async def test_operations_without_a_server_use_the_root(recorder: Recorder) -> None:
    for request in await _both(recorder, op(path="/things"), {}):
        assert str(request.url) == "https://api.test/v1/things"


@pytest.mark.parametrize("how", ["argument", "environment"])
async def test_user_base_url_replaces_every_server(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A sandbox (or proxy) the caller points the client at gets every operation, and the
    credentials go there and nowhere else."""
    kwargs: dict[str, Any] = dict(_BEARER)
    if how == "argument":
        kwargs["base_url"] = "http://127.0.0.1:4010"
    else:
        monkeypatch.setenv("SHOP_BASE_URL", "http://127.0.0.1:4010")
        kwargs["env_prefix"] = "SHOP"
    for request in await _both(recorder, _upload(), {"body": b"x"}, **kwargs):
        assert str(request.url) == "http://127.0.0.1:4010/v1/files"
        assert request.headers["Authorization"] == "Bearer sk_secret"


def test_base_url_for(recorder: Recorder) -> None:
    client = _sync(recorder)
    assert client.base_url_for(_upload()) == FILES
    assert client.base_url_for(op()) == ROOT
    client.base_url = "http://localhost:9"  # set later: still the caller's choice
    assert client.base_url_for(_upload()) == "http://localhost:9"


def test_next_page_urls_are_checked_against_the_operation_server(recorder: Recorder) -> None:
    listing = op(
        path="/v1/files",
        server=FILES,
        pagination=rt.NextUrlPagination(items="data", next="next"),
        responses={"200": rt.Response(dict[str, Any], "json")},
    )
    recorder.queue = [
        httpx.Response(200, json={"data": [1], "next": "https://files.test/v1/files?page=2"}),
        httpx.Response(200, json={"data": [2], "next": None}),
    ]
    assert list(_sync(recorder, **_BEARER).paginate(listing, {})) == [1, 2]
    assert [str(r.url) for r in recorder.requests] == [
        "https://files.test/v1/files",
        "https://files.test/v1/files?page=2",
    ]
    recorder.requests.clear()
    recorder.queue = [httpx.Response(200, json={"data": [1], "next": "https://evil.test/v1/x"})]
    page = _sync(recorder, **_BEARER).paginate(listing, {})
    with pytest.raises(rt.APIError, match="not under the base URL"):
        page.next_page_request()


# --- bug 2: path parameters stay one segment --------------------------------------------------


_DELETE = op(
    rt.Param("customer", "customer", "path"),
    rt.Param("id", "id", "path"),
    method="delete",
    path="/v1/customers/{customer}/sources/{id}",
)


@pytest.mark.parametrize("value", ["", ".", ".."])
async def test_dot_and_empty_path_values_raise_before_sending(
    recorder: Recorder, value: str
) -> None:
    values = {"customer": "cus_1", "id": value}
    with pytest.raises(ValueError, match="'id'"):
        _sync(recorder).request(_DELETE, values)
    with pytest.raises(ValueError, match="'id'"):
        await _async(recorder).request(_DELETE, values)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("a/b", "a%2Fb"),
        ("../x", "..%2Fx"),
        ("a?b=1", "a%3Fb%3D1"),
        ("a#b", "a%23b"),
        ("50%", "50%25"),
        ("%2E%2E", "%252E%252E"),
        ("a b", "a%20b"),
        ("ünï", "%C3%BCn%C3%AF"),
        ("...", "..."),
        (".a", ".a"),
        ("{id}", "%7Bid%7D"),
        (0, "0"),
    ],
)
async def test_path_values_are_exactly_one_segment(
    recorder: Recorder, value: object, segment: str
) -> None:
    for request in await _both(recorder, _DELETE, {"customer": "cus_1", "id": value}):
        assert request.url.raw_path.decode() == f"/v1/v1/customers/cus_1/sources/{segment}"
        assert request.method == "DELETE"


@pytest.mark.parametrize(
    ("style", "explode", "value"),
    [("label", None, []), (None, None, []), (None, None, {})],
)
async def test_styled_path_values_that_vanish_raise(
    recorder: Recorder, style: str | None, explode: bool | None, value: object
) -> None:
    operation = op(rt.Param("id", "id", "path", style=style, explode=explode), path="/p/{id}")
    with pytest.raises(ValueError, match="changes the endpoint"):
        _sync(recorder).request(operation, {"id": value})
    assert recorder.requests == []


async def test_label_style_value_cannot_form_a_dot_segment(recorder: Recorder) -> None:
    operation = op(rt.Param("a", "a", "path", style="label"), path="/p/{a}/q")
    for request in await _both(recorder, operation, {"a": "x/.."}):
        assert request.url.raw_path.decode() == "/v1/p/.x%2F../q"


async def test_allow_reserved_does_not_apply_to_path_parameters(recorder: Recorder) -> None:
    """OpenAPI: ``allowReserved`` is for query parameters only; a path value never adds a
    segment."""
    operation = op(rt.Param("key", "key", "path", allow_reserved=True), path="/files/{key}")
    for request in await _both(recorder, operation, {"key": "a/../b"}):
        assert request.url.raw_path.decode() == "/v1/files/a%2F..%2Fb"


# --- bug 3: content-encoded parameters ---------------------------------------------------------


@pytest.mark.parametrize("location", ["query", "header", "cookie", "path"])
async def test_json_content_parameters_in_every_location(recorder: Recorder, location: str) -> None:
    operation = op(
        rt.Param(
            "filter",
            "filter",
            location,  # type: ignore[arg-type]
            content_type="application/json",
            style="form",
            explode=True,
        ),
        path="/things/{filter}" if location == "path" else "/things",
    )
    value = {"a": 1, "b": ["x", "é"]}
    for request in await _both(recorder, operation, {"filter": value}):
        if location == "query":
            assert request.url.query.decode() == (
                "filter=%7B%22a%22%3A1%2C%22b%22%3A%5B%22x%22%2C%22%C3%A9%22%5D%7D"
            )
        elif location == "header":
            assert request.headers["filter"] == '{"a":1,"b":["x","\\u00e9"]}'
        elif location == "cookie":
            # cookie-octets (RFC 6265) allow { } [ ] :, not " , or non-ASCII
            assert request.headers["Cookie"] == (
                "filter={%22a%22:1%2C%22b%22:[%22x%22%2C%22%C3%A9%22]}"
            )
        else:
            assert request.url.raw_path.decode() == (
                "/v1/things/%7B%22a%22%3A1%2C%22b%22%3A%5B%22x%22%2C%22%C3%A9%22%5D%7D"
            )


# --- credentials and redirects -----------------------------------------------------------------

_ALL_KEYS = {
    "credentials": {
        "token": "sk_secret",
        "key": "k_secret",
        "qkey": "q_secret",
        "ckey": "c_secret",
    },
    "security_schemes": {
        "bearer": rt.HTTPBearer("token"),
        "key": rt.ApiKey("key", "X-Key", "header"),
        "qkey": rt.ApiKey("qkey", "api_key", "query"),
        "ckey": rt.ApiKey("ckey", "session", "cookie"),
    },
    "default_security": (("bearer", "key", "qkey", "ckey"),),
}
_SECRETS = ("sk_secret", "k_secret", "q_secret", "c_secret")


def _redirecting(*hops: tuple[int, str]) -> Recorder:
    """Answers each request with the next redirect, then 200."""
    return Recorder(
        *(httpx.Response(status, headers={"Location": location}) for status, location in hops)
    )


def _leaks(request: httpx.Request) -> list[str]:
    text = str(request.url) + "\n" + "\n".join(f"{k}: {v}" for k, v in request.headers.items())
    return [s for s in _SECRETS if s in text]


async def _both_following(
    recorder_factory: Any, operation: rt.Operation[Any], values: dict[str, Any]
) -> list[list[httpx.Request]]:
    """Sync and async, each with an httpx client that would follow redirects itself."""
    runs = []
    rec = recorder_factory()
    sync = rt.SyncAPIClient(
        default_base_url=ROOT,
        http_client=httpx.Client(transport=httpx.MockTransport(rec), follow_redirects=True),
        **_ALL_KEYS,
    )
    sync.request(operation, values)
    runs.append(rec.requests)
    rec = recorder_factory()
    async_ = rt.AsyncAPIClient(
        default_base_url=ROOT,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec), follow_redirects=True),
        **_ALL_KEYS,
    )
    await async_.request(operation, values)
    runs.append(rec.requests)
    return runs


async def test_cross_origin_redirect_carries_no_credentials() -> None:
    operation = op(path="/things")
    for requests in await _both_following(
        lambda: _redirecting((302, "https://elsewhere.test/x?y=1")), operation, {}
    ):
        first, second = requests
        assert sorted(_leaks(first)) == sorted(_SECRETS)  # all four schemes applied
        assert str(second.url) == "https://elsewhere.test/x?y=1"
        assert _leaks(second) == []
        assert "cookie" not in second.headers and "x-key" not in second.headers


async def test_same_origin_redirect_keeps_credentials_and_body() -> None:
    operation = op(
        rt.Param("name", "name", "field"),
        method="post",
        path="/things",
        body=rt.Body("application/json"),
    )
    for requests in await _both_following(
        lambda: _redirecting((307, "/v1/other")), operation, {"name": "x"}
    ):
        _first, second = requests
        assert str(second.url) == "https://api.test/v1/other?api_key=q_secret"
        assert second.method == "POST" and second.content == b'{"name":"x"}'
        assert second.headers["Authorization"] == "Bearer sk_secret"
        assert second.headers["X-Key"] == "k_secret"
        assert "session=c_secret" in second.headers["Cookie"]
        # (a helper's review: the key sent in the query was dropped, a 401 after the redirect)
        assert second.url.params.get_list("api_key") == ["q_secret"]


async def test_a_query_key_the_redirect_names_itself_is_not_sent_twice() -> None:
    operation = op(path="/things")
    hop = (301, "https://api.test/v1/b?api_key=q_secret&page=2")
    for requests in await _both_following(lambda: _redirecting(hop), operation, {}):
        assert requests[1].url.params.get_list("api_key") == ["q_secret"]
        assert requests[1].url.params["page"] == "2"


@pytest.mark.parametrize(
    "location", ["/v1/b?page=2", "/v1/b?page=2#frag", "/v1/b?", "/v1/b#frag?x"], ids=str
)
async def test_a_query_key_joins_the_redirects_own_query(location: str) -> None:
    """A same-origin `Location` with a query of its own was followed as `?page=2?api_key=K`:
    the key glued to `page`'s value, the request unauthenticated (helper 185); after a
    `#fragment` the key was lost the same way."""
    operation = op(path="/things")
    for requests in await _both_following(lambda: _redirecting((307, location)), operation, {}):
        second = requests[1].url
        assert second.path == "/v1/b" and second.fragment == ""
        assert second.params.get_list("api_key") == ["q_secret"]
        assert second.params.get_list("page") == (["2"] if "page" in location else [])


async def test_a_query_key_after_a_path_ending_in_an_ampersand_starts_the_query() -> None:
    """The review: a redirect to `/v1/b&` was followed as `/v1/b&api_key=K` (the key in the
    path, the request unauthenticated)."""
    operation = op(path="/things")
    for requests in await _both_following(lambda: _redirecting((307, "/v1/b&")), operation, {}):
        assert requests[1].url.path == "/v1/b&"
        assert requests[1].url.params.get_list("api_key") == ["q_secret"]


def test_a_query_key_already_in_the_query_is_not_added_again(recorder: Recorder) -> None:
    """A next-page or monitor URL that repeats the key (`?api_key=K&page=2`), or the caller's
    own `extra_query`, was followed by a second `api_key=K`; the value already there wins, as
    a caller's header does."""
    client = rt.SyncAPIClient(
        default_base_url=ROOT,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        **_ALL_KEYS,
    )
    client.request(op(path="/things"), {}, {"extra_query": {"api_key": "other", "page": 2}})
    assert recorder.last.url.params.get_list("api_key") == ["other"]
    # spelt otherwise in a followed URL (`api%5Fkey`): the same name (the review)
    from apigen_runtime._params import AsSent

    spelt = {"api_key": AsSent("other", ("api%5Fkey=other",))}
    client.request(op(path="/things"), {}, {"extra_query": spelt})
    assert recorder.last.url.params.get_list("api_key") == ["other"]
    client.request(op(path="/things"), {})
    assert recorder.last.url.params.get_list("api_key") == ["q_secret"]


def test_a_cookie_key_cannot_add_a_cookie(recorder: Recorder) -> None:
    """A key sent in a cookie was written raw: `sid=CK;evil=1` was two cookies."""
    client = rt.SyncAPIClient(
        default_base_url=ROOT,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        credentials={"ckey": "CK;evil=1 x"},
        security_schemes={"ckey": rt.ApiKey("ckey", "session", "cookie")},
        default_security=(("ckey",),),
    )
    client.request(op(path="/things"), {})
    assert recorder.last.headers["Cookie"] == "session=CK%3Bevil=1%20x"


@pytest.mark.parametrize("name", ["lang=en; sid", "a;b", "k=v", "", "a b"])
def test_a_cookie_key_whose_name_is_no_token_is_never_sent(recorder: Recorder, name: str) -> None:
    """The spec's cookie name went as written: `lang=en; sid` sent `Cookie: lang=en;
    sid=SECRET`, a cookie of the spec's choosing and the key under another name (helper
    187). Refused as a header name that is no token is; `apigen build` warns."""
    client = rt.SyncAPIClient(
        default_base_url=ROOT,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        credentials={"ckey": "SECRET"},
        security_schemes={"ckey": rt.ApiKey("ckey", name, "cookie")},
        default_security=(("ckey",),),
    )
    with pytest.raises(ValueError, match="not a cookie name"):
        client.request(op(path="/things"), {})
    assert recorder.requests == []


async def test_see_other_becomes_a_get_without_body() -> None:
    operation = op(
        rt.Param("name", "name", "field"),
        method="post",
        path="/things",
        body=rt.Body("application/json"),
    )
    for requests in await _both_following(
        lambda: _redirecting((303, "https://api.test/v1/result")), operation, {"name": "x"}
    ):
        second = requests[1]
        assert second.method == "GET" and second.content == b""
        assert "content-type" not in second.headers


async def test_credentials_do_not_come_back_after_leaving_the_origin() -> None:
    operation = op(path="/things")
    hops = (
        (302, "https://api.test/v1/a"),
        (302, "https://cdn.test/b"),
        (302, "https://api.test/v1/c"),
    )
    for requests in await _both_following(lambda: _redirecting(*hops), operation, {}):
        assert [str(r.url) for r in requests[1:]] == [
            "https://api.test/v1/a?api_key=q_secret",  # the query key goes along, same origin
            "https://cdn.test/b",
            "https://api.test/v1/c",
        ]
        assert requests[1].headers["Authorization"] == "Bearer sk_secret"
        assert _leaks(requests[2]) == [] and _leaks(requests[3]) == []


@pytest.mark.parametrize("status", [302, 304])
def test_3xx_without_location_is_a_status_error(status: int) -> None:
    # GitHub's migrations/download-archive-for-org declares a bare 302; 304 answers a
    # conditional GET. Neither is followed, neither may escape as a KeyError.
    rec = Recorder(httpx.Response(status))
    with pytest.raises(rt.APIStatusError) as caught:
        _sync(rec).request(op(path="/archive"), {})
    assert caught.value.status_code == status and len(rec.requests) == 1


def test_redirect_loops_end_in_an_error() -> None:
    rec = Recorder(*(httpx.Response(302, headers={"Location": "/v1/loop"}) for _ in range(30)))
    client = _sync(rec)
    with pytest.raises(rt.APIStatusError):
        client.request(op(path="/loop"), {})
    assert len(rec.requests) == 21


@pytest.mark.parametrize(
    "location", ["https:evil.test/x", "https://xn--/", "http://[::1", "/x\tb", "\tfoo", "/x\x00"]
)
async def test_a_location_that_is_no_url_is_an_api_error(location: str) -> None:
    """httpx works out a 3xx's next request even when told to follow none, and raised its own
    `InvalidURL` (or idna's `IDNAError`) past `except APIError`. A Location httpx cannot parse
    at all (`http://[::1`, a control character) is its `RemoteProtocolError`, which was taken
    for a dropped connection: retried, and the server's answer reported as a connection error
    (helper 192). The server answered: not retried."""
    for run_async in (False, True):
        rec = Recorder(httpx.Response(302, headers={"Location": location.encode()}))
        with pytest.raises(rt.APIError, match="not a valid URL") as caught:
            if run_async:
                await _async(rec).request(op(path="/moved"), {})
            else:
                _sync(rec).request(op(path="/moved"), {})
        assert len(rec.requests) == 1, caught.value


@pytest.mark.parametrize("url", ["http://[::1", "https://xn--/v1/files?page=2"])
def test_a_next_page_url_that_is_no_url_is_an_api_error(recorder: Recorder, url: str) -> None:
    listing = op(path="/v1/files", pagination=rt.NextUrlPagination(items="data", next="next"))
    recorder.queue = [httpx.Response(200, json={"data": [1], "next": url})]
    page = _sync(recorder, **_BEARER).paginate(listing, {})
    with pytest.raises(rt.APIError, match="not a valid URL"):
        page.next_page_request()


def test_a_unicode_error_that_is_no_redirect_s_is_not_called_one() -> None:
    """The review: any `UnicodeError` raised while sending (a transport's own) was reported as
    a redirect to an invalid Location."""

    broken = Recorder(UnicodeEncodeError("ascii", "é", 0, 1, "a transport's own"))
    with pytest.raises(UnicodeEncodeError):
        _sync(broken).request(op(path="/x"), {})
