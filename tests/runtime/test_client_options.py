"""Issue 8, first contact: ``copy()``/``with_options()``, ``default_query``, ``is_closed()``,
``omit`` for a default header and ``_request_id`` on parsed models (sync and async)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import apigen_runtime as rt

from .conftest import Pet, Recorder, make_client, op

PET_OP = op(responses={"200": rt.Response(Pet, "json")})


def make_async_client(recorder: Recorder, **kwargs: Any) -> rt.AsyncAPIClient:
    kwargs.setdefault("base_url", "https://api.test/v1")
    return rt.AsyncAPIClient(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)), **kwargs
    )


def schemes() -> dict[str, rt.SecurityScheme]:
    return {"key": rt.ApiKey("key", name="X-Key", location="header")}


# --- copy / with_options ----------------------------------------------------------------------


def test_copy_keeps_the_configuration_but_what_is_overridden() -> None:
    recorder = Recorder()
    client = make_client(
        recorder,
        credentials={"key": "secret"},
        security_schemes=schemes(),
        default_security=[["key"]],
        default_headers={"X-A": "1"},
        default_query={"q": "1"},
        timeout=3.0,
        max_retries=4,
        idempotency_header="X-Idem",
    )
    client.max_stream_reconnects = 3
    copy = client.with_options(timeout=9.0, default_headers={"X-B": "2"})
    assert type(copy) is rt.SyncAPIClient and copy is not client
    assert copy.timeout == httpx.Timeout(9.0) and client.timeout == httpx.Timeout(3.0)
    assert copy.max_retries == 4 and copy.base_url == client.base_url
    assert copy.idempotency_header == "X-Idem" and copy.max_stream_reconnects == 3
    assert copy.default_headers["X-A"] == "1" and copy.default_headers["X-B"] == "2"
    assert "X-B" not in client.default_headers
    assert copy.default_query == {"q": "1"}
    assert copy._http is client._http  # the caller's http_client is shared
    copy.request(op(), {})
    assert recorder.last.headers["X-Key"] == "secret"  # same credentials
    assert recorder.last.headers["X-A"] == "1" and recorder.last.headers["X-B"] == "2"
    assert recorder.last.url.params["q"] == "1"
    assert client.copy is not None and rt.SyncAPIClient.with_options is rt.SyncAPIClient.copy


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_copy_turns_stream_reconnects_off(async_: bool) -> None:
    """`with_options(max_stream_reconnects=0)` of a client made with 3 kept 3: the copy was
    built from the first client's keywords, and 0 (the class default) was taken as no change
    (helper 184)."""
    recorder = Recorder()
    client: rt.SyncAPIClient | rt.AsyncAPIClient = (
        make_async_client(recorder, max_stream_reconnects=3)
        if async_
        else make_client(recorder, max_stream_reconnects=3)
    )
    assert client.with_options(max_stream_reconnects=0).max_stream_reconnects == 0
    assert client.with_options(max_stream_reconnects=5).max_stream_reconnects == 5
    assert client.with_options(timeout=2.0).max_stream_reconnects == 3
    client.max_stream_reconnects = 1  # as set now, not as made
    assert client.with_options(timeout=2.0).max_stream_reconnects == 1
    with pytest.raises(ValueError, match="max_stream_reconnects"):
        client.with_options(max_stream_reconnects=-1)


def test_copy_set_default_headers_and_query_replace() -> None:
    client = make_client(Recorder(), default_headers={"X-A": "1"}, default_query={"a": 1})
    copy = client.copy(set_default_headers={"X-B": "2"}, set_default_query={"b": 2})
    assert "X-A" not in copy.default_headers and copy.default_headers["X-B"] == "2"
    assert copy.default_query == {"b": 2}
    merged = client.copy(default_query={"b": 2})
    assert merged.default_query == {"a": 1, "b": 2}
    with pytest.raises(ValueError, match="not both"):
        client.copy(default_headers={}, set_default_headers={})


def test_default_headers_replace_whatever_their_letter_case() -> None:
    """A dict merge kept `x-tenant` beside `X-Tenant` (and `user-agent` beside apigen's
    `User-Agent`): httpx sent both values, the server read the first, the old one."""
    recorder = Recorder()
    client = make_client(recorder, default_headers={"X-Tenant": "a", "user-agent": "my-app/2"})
    copy = client.with_options(default_headers={"x-tenant": "b"})
    copy.request(op(), {})
    assert recorder.last.headers.get_list("x-tenant") == ["b"]
    assert recorder.last.headers.get_list("user-agent") == ["my-app/2"]
    assert copy.default_headers == {"user-agent": "my-app/2", "x-tenant": "b"}
    client.request(op(), {})
    assert recorder.last.headers.get_list("x-tenant") == ["a"]


def test_a_copy_shares_the_pool_and_the_original_closes_it() -> None:
    """A helper's review: each `with_options(...)` opened a pool (and a TLS context) of its
    own, left open: five per-call copies, five connections. openai's copies share the pool."""
    client = rt.SyncAPIClient(base_url="https://api.test", max_retries=1)
    copies = [client.with_options(max_retries=0, timeout=5) for _ in range(5)]
    assert all(c.max_retries == 0 and c._http is client._http for c in copies)
    assert client.max_retries == 1 and not any(c._owns_http for c in copies)
    copies[0].close()  # the copy leaves the shared pool open
    assert not client._client().is_closed and copies[0].is_closed()
    client.close()
    assert copies[1]._http is not None and copies[1]._http.is_closed


def test_a_copy_whose_pool_was_closed_says_so() -> None:
    """A helper's SDK review: after the original closed the shared pool, a copy said
    `is_closed() == False` and failed as "closed while GET ... was in flight" (nothing was);
    an async copy said the original was closed. Both refuse with the reason now, as does a
    client whose caller-supplied `http_client` was closed."""
    recorder = Recorder()
    client = rt.SyncAPIClient(base_url="https://api.test")  # its own pool, which close() closes
    copy = client.with_options(timeout=3)
    client.close()
    assert copy.is_closed()
    with pytest.raises(RuntimeError, match="sends on is closed: the client it was copied from"):
        copy.request(op(), {})
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    theirs = rt.SyncAPIClient(base_url="https://api.test", http_client=http)
    http.close()
    assert theirs.is_closed()
    with pytest.raises(RuntimeError, match="or the `http_client` passed in was"):
        theirs.request(op(), {})
    assert recorder.requests == []


async def test_an_async_copy_whose_pool_was_closed_says_so() -> None:
    client = rt.AsyncAPIClient(base_url="https://api.test")
    copy = client.with_options(timeout=3)
    await client.close()
    assert copy.is_closed() and client.is_closed()
    with pytest.raises(RuntimeError, match="sends on is closed"):
        await copy.request(op(), {})


def test_a_closed_client_sends_nothing() -> None:
    """It reopened a pool nobody would close (`is_closed()` still True); httpx's own closed
    client refuses too."""
    recorder = Recorder()
    client = make_client(recorder)
    client.request(op(), {})
    client.close()
    with pytest.raises(RuntimeError, match="is closed"):
        client.request(op(), {})
    assert len(recorder.requests) == 1


async def test_a_closed_async_client_sends_nothing() -> None:
    client = rt.AsyncAPIClient(base_url="https://api.test")
    await client.close()
    with pytest.raises(RuntimeError, match="is closed"):
        await client.request(op(), {})


@pytest.mark.parametrize("url", ["https://api.test/v1?tenant=9", "https://api.test/v1#x"])
def test_a_base_url_with_a_query_or_fragment_is_refused(url: str) -> None:
    """Joined with a path, the query took it: `/v1?tenant=9/owners/o1` (another endpoint)."""
    with pytest.raises(ValueError, match="default_query"):
        rt.SyncAPIClient(base_url=url)


async def test_own_pool_keeps_as_many_connections_alive_as_it_opens() -> None:
    """At more concurrent calls than httpx's 20 kept-alive connections, each answered call
    closed one and a later call reconnected: the pools the clients open keep all 100."""
    sync, aio = (
        rt.SyncAPIClient(base_url="https://a.test"),
        rt.AsyncAPIClient(base_url="https://a.test"),
    )
    for pool in (sync._client()._transport._pool, aio._client()._transport._pool):  # type: ignore[attr-defined]
        assert pool._max_connections == 100
        assert pool._max_keepalive_connections == 100
    sync.close()
    await aio.close()


async def test_copy_async() -> None:
    recorder = Recorder()
    client = make_async_client(
        recorder,
        credentials={"key": "secret"},
        security_schemes=schemes(),
        default_security=[["key"]],
        max_retries=5,
    )
    copy = client.with_options(timeout=2.0)
    assert type(copy) is rt.AsyncAPIClient and copy.max_retries == 5
    assert copy.timeout == httpx.Timeout(2.0)
    await copy.request(op(), {})
    assert recorder.last.headers["X-Key"] == "secret"


# --- default_query ----------------------------------------------------------------------------


def test_default_query_on_every_request_extra_query_wins() -> None:
    recorder = Recorder()
    client = make_client(recorder, default_query={"version": "2", "locale": "en"})
    client.request(op(), {})
    assert recorder.last.url.params["version"] == "2" and recorder.last.url.params["locale"] == "en"
    client.request(op(), {}, rt.request_options(extra_query={"version": "3"}))
    assert recorder.last.url.params.get_list("version") == ["3"]


async def test_default_query_async() -> None:
    recorder = Recorder()
    client = make_async_client(recorder, default_query={"version": "2"})
    await client.request(op(), {}, rt.request_options(extra_query={"x": 1}))
    assert recorder.last.url.params["version"] == "2" and recorder.last.url.params["x"] == "1"


# --- is_closed --------------------------------------------------------------------------------


def test_is_closed() -> None:
    client = rt.SyncAPIClient(base_url="https://api.test")
    assert not client.is_closed()  # never opened: not closed
    client.close()
    assert client.is_closed()
    with rt.SyncAPIClient(base_url="https://api.test") as other:
        assert not other.is_closed()
    assert other.is_closed()


async def test_is_closed_async() -> None:
    client = rt.AsyncAPIClient(base_url="https://api.test")
    assert not client.is_closed()
    await client.close()
    assert client.is_closed()
    async with rt.AsyncAPIClient(base_url="https://api.test") as other:
        assert not other.is_closed()
    assert other.is_closed()


# --- omit -------------------------------------------------------------------------------------


def test_omit_drops_a_default_header_for_one_call() -> None:
    recorder = Recorder()
    client = make_client(recorder, default_headers={"X-Default": "1"})
    client.request(op(), {}, rt.request_options(extra_headers={"X-Default": rt.omit}))
    assert "X-Default" not in recorder.last.headers
    ours = client.default_headers["User-Agent"]
    client.request(op(), {}, rt.request_options(extra_headers={"User-Agent": rt.omit}))
    assert recorder.last.headers.get("User-Agent") != ours  # (httpx may add its own)
    assert recorder.last.headers["X-Default"] == "1"
    client.request(op(), {})
    assert recorder.last.headers["X-Default"] == "1" and recorder.last.headers["User-Agent"] == ours
    assert rt.Omit() is rt.omit and not rt.omit and repr(rt.omit) == "omit"


async def test_omit_async() -> None:
    recorder = Recorder()
    client = make_async_client(recorder, default_headers={"X-Default": "1"})
    await client.request(op(), {}, rt.request_options(extra_headers={"X-Default": rt.omit}))
    assert "X-Default" not in recorder.last.headers


def test_omit_drops_the_headers_of_the_callers_own_http_client() -> None:
    """A helper's SDK review: with the caller's ``http_client``, ``omit`` left its headers (its
    ``X-Team``, httpx's ``User-Agent``): building the request merged them back in."""
    recorder = Recorder()
    http = httpx.Client(transport=httpx.MockTransport(recorder), headers={"X-Team": "payments"})
    client = rt.SyncAPIClient(base_url="https://api.test", http_client=http)
    dropped = {"User-Agent": rt.omit, "x-team": rt.omit}
    client.request(op(), {}, rt.request_options(extra_headers=dropped))
    assert "user-agent" not in recorder.last.headers and "x-team" not in recorder.last.headers
    upload = op(
        rt.Param("body", "body", "body"), method="put", body=rt.Body("application/octet-stream")
    )
    client.request(upload, {"body": iter([b"a", b"b"])}, rt.request_options(extra_headers=dropped))
    assert "x-team" not in recorder.last.headers and recorder.last.content == b"ab"
    client.request(op(), {})
    assert recorder.last.headers["x-team"] == "payments"
    # the review of that fix: dropping the body's framing or `Host` broke every such request
    # (h11's LocalProtocolError, no APIError); they stay
    framing = {"Content-Length": rt.omit, "Transfer-Encoding": rt.omit, "Host": rt.omit}
    client.request(upload, {"body": b"abc"}, rt.request_options(extra_headers=framing))
    assert recorder.last.headers["content-length"] == "3" and recorder.last.content == b"abc"
    assert recorder.last.headers["host"] == "api.test"


async def test_omit_drops_the_headers_of_the_callers_own_http_client_async() -> None:
    recorder = Recorder()
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder), headers={"X-Team": "a"})
    client = rt.AsyncAPIClient(base_url="https://api.test", http_client=http)
    await client.request(op(), {}, rt.request_options(extra_headers={"X-Team": rt.omit}))
    assert "x-team" not in recorder.last.headers
    await client.close()


def test_omit_drops_what_auth_a_key_or_the_retry_count_would_add() -> None:
    """A helper's SDK review: ``extra_headers={"Authorization": omit}`` still sent the bearer
    token (auth was applied after the call's headers), as did ``omit`` on the idempotency key
    and the retry count (openai-python drops them). A key the caller dropped vouches for no
    retry: a POST is then sent once."""
    recorder = Recorder(httpx.Response(503), httpx.Response(200, json={}))
    client = make_client(
        recorder,
        credentials={"token": "secret"},
        security_schemes={"token": rt.HTTPBearer("token")},
        default_security=[["token"]],
        idempotency_header="Idempotency-Key",
    )
    dropped = {"Authorization": rt.omit, "Idempotency-Key": rt.omit, "X-Retry-Count": rt.omit}
    with pytest.raises(rt.APIStatusError):
        client.request(op(method="post"), {}, rt.request_options(extra_headers=dropped))
    assert len(recorder.requests) == 1
    sent = recorder.last.headers
    assert "Authorization" not in sent and "Idempotency-Key" not in sent
    assert "X-Retry-Count" not in sent
    client.request(op(method="post"), {})
    sent = recorder.last.headers
    assert sent["Authorization"] == "Bearer secret" and sent["Idempotency-Key"]
    assert sent["X-Retry-Count"] == "0"


@pytest.mark.parametrize("value", [5, b"raw", 1.5, True, None])
def test_a_header_value_that_is_no_str_is_refused(value: object) -> None:
    """It was dropped without a word (as if ``omit``); ``default_headers`` refuse it too."""
    recorder = Recorder()
    client = make_client(recorder)
    options = rt.request_options(extra_headers={"X-Page-Size": value})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"extra_headers\['X-Page-Size'\] must be a str"):
        client.request(op(), {}, options)
    assert recorder.requests == []


def test_a_copy_takes_the_settings_as_they_are_now() -> None:
    """Settings changed on the client after it was made were lost in its copies."""
    client = make_client(Recorder())
    client.retry_count_header = None
    client.idempotency_header = "X-Idem"
    client.strict_response_validation = True
    client.allow_insecure_credentials = True
    client.max_response_bytes = 10
    copy = client.with_options(timeout=5.0)
    assert copy.retry_count_header is None and copy.idempotency_header == "X-Idem"
    assert copy.strict_response_validation and copy.allow_insecure_credentials
    assert copy.max_response_bytes == 10
    assert client.with_options(retry_count_header="X-N").retry_count_header == "X-N"


# --- request id -------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["request-id", "x-request-id", "x-github-request-id"])
def test_request_id_on_parsed_models(header: str) -> None:
    recorder = Recorder(httpx.Response(200, json={"id": 1, "name": "Rex"}, headers={header: "r1"}))
    pet = make_client(recorder).request(PET_OP, {})
    assert isinstance(pet, Pet) and pet._request_id == "r1"
    assert "_request_id" not in pet.model_dump() and "r1" not in pet.model_dump_json()


def test_request_id_none_when_absent() -> None:
    recorder = Recorder(httpx.Response(200, json={"id": 1, "name": "Rex"}))
    pet = make_client(recorder).request(PET_OP, {})
    assert pet._request_id is None


async def test_request_id_async() -> None:
    recorder = Recorder(
        httpx.Response(200, json={"id": 1, "name": "Rex"}, headers={"x-request-id": "a"})
    )
    pet = await make_async_client(recorder).request(PET_OP, {})
    assert pet._request_id == "a"


def test_request_id_through_with_raw_response() -> None:
    recorder = Recorder(
        httpx.Response(200, json={"id": 1, "name": "Rex"}, headers={"request-id": "q"})
    )
    client = make_client(recorder)
    raw = rt.with_raw_response(client.request)(PET_OP, {})
    assert raw.parse()._request_id == "q"


def test_request_id_survives_copies_and_pickling_and_is_no_part_of_equality() -> None:
    import copy
    import pickle

    recorder = Recorder(
        httpx.Response(200, json={"id": 1, "name": "Rex"}, headers={"request-id": "r"})
    )
    pet = make_client(recorder).request(PET_OP, {})
    for twin in (
        copy.copy(pet),
        copy.deepcopy(pet),
        pet.model_copy(),
        pickle.loads(pickle.dumps(pet)),
    ):
        assert twin._request_id == "r" and twin == pet
    other = Pet.model_validate({"id": 1, "name": "Rex"})
    # the request id is the response's, not the data's: equal without it or with another
    # (a pydantic private attribute, as openai's, would make them unequal; decisions §88)
    assert other._request_id is None and other == pet
    other._request_id = "another"
    assert other == pet and other != Pet.model_validate({"id": 2, "name": "Rex"})


def test_validating_a_model_runs_no_private_attribute_hook() -> None:
    """The request id is no pydantic private attribute: pydantic would initialise private
    attributes on every model it validates, nested ones included (~15 % of a Stripe parse)."""

    class Inner(rt.Model):
        n: int

    class Outer(rt.Model):
        inner: list[Inner]

    assert rt.Model.__private_attributes__ == {} and Outer.__pydantic_post_init__ is None
    outer = Outer.model_validate({"inner": [{"n": 1}, {"n": 2}]})
    assert outer.__pydantic_private__ is None and outer.inner[0].__pydantic_private__ is None


# --- strict_response_validation -----------------------------------------------------------------


def _pet_op() -> rt.Operation[Any]:
    return op(responses={"200": rt.Response(Pet, "json")})


def test_strict_response_validation_raises_where_the_default_returns_unvalidated() -> None:
    """openai's `_strict_response_validation`: a body that parses but does not match its type
    is returned unvalidated (with a warning) by default; a strict client raises, body kept."""
    bad = {"id": "not-an-int", "name": 5}
    lenient = make_client(Recorder(httpx.Response(200, json=bad)))
    assert lenient.request(_pet_op(), {}).id == "not-an-int"
    strict = make_client(Recorder(httpx.Response(200, json=bad)), strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError, match="does not match the spec") as err:
        strict.request(_pet_op(), {})
    assert err.value.body == bad and err.value.response.status_code == 200
    good = make_client(
        Recorder(httpx.Response(200, json={"id": 1, "name": "Rex"})),
        strict_response_validation=True,
    )
    assert good.request(_pet_op(), {}).name == "Rex"


def test_strict_response_validation_per_copy() -> None:
    recorder = Recorder(
        httpx.Response(200, json={"id": "x"}), httpx.Response(200, json={"id": "x"})
    )
    client = make_client(recorder)
    with pytest.raises(rt.APIResponseValidationError):
        client.with_options(strict_response_validation=True).request(_pet_op(), {})
    assert client.request(_pet_op(), {}).id == "x"  # the original stays lenient


async def test_strict_response_validation_async() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": "x"}))
    client = rt.AsyncAPIClient(
        base_url="https://api.test/v1",
        http_client=httpx.AsyncClient(transport=transport),
        strict_response_validation=True,
    )
    with pytest.raises(rt.APIResponseValidationError):
        await client.request(_pet_op(), {})


def test_an_argument_wins_over_the_client_s_default_query() -> None:
    """A helper's review: `default_query` was folded into `extra_query`, which overrides
    declared parameters, so `Client(default_query={"limit": 5}).pets.list(limit=50)` sent
    `limit=5`. The order is openai's: the client's defaults, then the call's arguments, then
    the call's `extra_query`."""
    listing = op(rt.Param("limit", "limit", "query"), rt.Param("q", "q", "query"))
    recorder = Recorder()
    client = make_client(recorder, default_query={"limit": 5, "tenant": "t1"})
    client.request(listing, {"limit": 50, "q": rt.NOT_GIVEN})
    assert dict(recorder.last.url.params) == {"limit": "50", "tenant": "t1"}
    client.request(listing, {"limit": rt.NOT_GIVEN, "q": rt.NOT_GIVEN})
    assert dict(recorder.last.url.params) == {"limit": "5", "tenant": "t1"}
    client.request(listing, {"limit": 50}, {"extra_query": {"limit": 7}})
    assert recorder.last.url.params.get_list("limit") == ["7"]
