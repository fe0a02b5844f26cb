"""Issue 8, first contact, in the runtime: per-call option keywords (``request_options``), the
User-Agent, per-package error classes, ``RawResponse.retries_taken``/``parse(to=)``, the list
method wrappers and ``client.get/post/...`` for undocumented endpoints (sync and async)."""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime._client import package_error, user_agent
from tests.conftest import ROOT

from .conftest import Recorder, make_client, op


class Thing(rt.Model):
    id: int


def make_async_client(recorder: Recorder, **kwargs: Any) -> rt.AsyncAPIClient:
    kwargs.setdefault("base_url", "https://api.test/v1")
    client = rt.AsyncAPIClient(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)), **kwargs
    )

    async def sleep(seconds: float) -> None:
        return None

    client._sleep = sleep
    return client


# --- per-call options -------------------------------------------------------------------------


def test_request_options_leaves_out_what_was_not_given() -> None:
    assert rt.request_options() == {}
    assert rt.request_options(timeout=None, max_retries=0, retry_count_header=None) == {
        "timeout": None,
        "max_retries": 0,
        "retry_count_header": None,
    }
    options = rt.request_options(
        {"X-A": "1"}, {"q": 1}, {"b": 2}, 3.0, 1, "key-1", 9.0, "X-Attempt"
    )
    assert options == {
        "extra_headers": {"X-A": "1"},
        "extra_query": {"q": 1},
        "extra_body": {"b": 2},
        "timeout": 3.0,
        "max_retries": 1,
        "idempotency_key": "key-1",
        "deadline": 9.0,
        "retry_count_header": "X-Attempt",
    }


def test_request_options_reach_the_wire() -> None:
    recorder = Recorder()
    client = make_client(recorder)
    client.request(
        op(),
        {},
        rt.request_options(extra_headers={"X-A": "1"}, extra_query={"q": 1}, timeout=4.0),
    )
    assert recorder.last.headers["X-A"] == "1" and recorder.last.url.params["q"] == "1"
    assert recorder.last.extensions["timeout"]["read"] == 4.0


# --- User-Agent -------------------------------------------------------------------------------


def test_user_agent_names_package_apigen_and_python() -> None:
    python = platform.python_version()
    assert (
        user_agent(("stripe", "1.2.3")) == f"stripe/1.2.3 apigen/{rt.__version__} Python/{python}"
    )
    assert user_agent() == f"apigen/{rt.__version__} Python/{python}"
    recorder = Recorder()
    make_client(recorder, package=("petstore", "0.1.0")).request(op(), {})
    assert recorder.last.headers["User-Agent"].startswith("petstore/0.1.0 apigen/")
    assert "apigen-runtime" not in recorder.last.headers["User-Agent"]


async def test_user_agent_async() -> None:
    recorder = Recorder()
    await make_async_client(recorder, package=("petstore", "0.1.0")).request(op(), {})
    assert recorder.last.headers["User-Agent"].startswith("petstore/0.1.0 apigen/")


# --- per-package errors -----------------------------------------------------------------------


class PkgAPIError(rt.APIError):
    pass


class PkgAPIStatusError(PkgAPIError, rt.APIStatusError):
    pass


class PkgNotFoundError(PkgAPIStatusError, rt.NotFoundError):
    pass


ERRORS: dict[type[rt.APIError], type[rt.APIError]] = {
    rt.APIError: PkgAPIError,
    rt.APIStatusError: PkgAPIStatusError,
    rt.NotFoundError: PkgNotFoundError,
}


def test_runtime_raises_the_package_error_classes() -> None:
    recorder = Recorder(httpx.Response(404, json={"message": "gone"}))
    with pytest.raises(PkgNotFoundError) as info:
        make_client(recorder, errors=ERRORS).request(op(), {})
    assert isinstance(info.value, rt.NotFoundError) and info.value.status_code == 404
    # a client without the mapping keeps raising the runtime's own classes
    with pytest.raises(rt.NotFoundError) as plain:
        make_client(Recorder(httpx.Response(404))).request(op(), {})
    assert not isinstance(plain.value, PkgAPIError)


async def test_runtime_raises_the_package_error_classes_async() -> None:
    recorder = Recorder(httpx.Response(422, json={}))
    with pytest.raises(PkgAPIStatusError) as info:  # 422: not mapped: the nearest ancestor
        await make_async_client(recorder, errors=ERRORS).request(op(), {})
    assert isinstance(info.value, rt.UnprocessableEntityError) and isinstance(
        info.value, PkgAPIError
    )


def test_package_error_derives_unlisted_classes_once() -> None:
    request = httpx.Request("GET", "https://api.test/")
    first = package_error(rt.APIConnectionError(request=request), ERRORS)
    second = package_error(rt.APIConnectionError(request=request), ERRORS)
    assert type(first) is type(second) and type(first).__name__ == "APIConnectionError"
    assert isinstance(first, PkgAPIError) and isinstance(first, rt.APIConnectionError)
    already = PkgNotFoundError("x", response=httpx.Response(404, request=request), body=None)
    assert type(package_error(already, ERRORS)) is PkgNotFoundError


# --- raw responses ----------------------------------------------------------------------------


def test_raw_response_retries_taken_and_parse_to() -> None:
    recorder = Recorder(httpx.Response(503), httpx.Response(200, json={"id": 7, "x": 1}))
    client = make_client(recorder)

    def get() -> dict[str, Any]:
        result: dict[str, Any] = client.request(op(), {})
        return result

    raw = rt.with_raw_response(get)()
    assert raw.retries_taken == 1 and raw.parse() == {"id": 7, "x": 1}
    assert raw.parse(to=Thing).id == 7 and raw.parse(to=str) == '{"id":7,"x":1}'
    assert raw.parse(to=httpx.Response) is raw.http_response
    with pytest.raises(rt.APIResponseValidationError):
        raw.parse(to=list[int])
    # the adapter is kept per type (a helper's stress review: ~3.5 ms a call, built each time)
    from apigen_runtime import _models

    before = _models._cached_adapter.cache_info().hits
    assert raw.parse(to=Thing).id == 7 and raw.parse(to=Thing).id == 7
    assert _models._cached_adapter.cache_info().hits >= before + 2
    assert rt.with_raw_response(get)().retries_taken == 0


async def test_raw_response_retries_taken_async() -> None:
    recorder = Recorder(httpx.Response(502), httpx.Response(500), httpx.Response(200, json={}))
    client = make_async_client(recorder)

    async def get() -> Any:
        return await client.request(op(), {})

    raw = await rt.with_raw_response(get)()
    assert raw.retries_taken == 2


# --- client.get/post/... ----------------------------------------------------------------------

SECURED: dict[str, Any] = {
    "security_schemes": {"key": rt.ApiKey("api_key", "X-Key", "header")},
    "credentials": {"api_key": "secret"},
}


def test_escape_hatch_uses_the_request_path() -> None:
    recorder = Recorder(httpx.Response(500), httpx.Response(200, json={"id": 3}))
    client = make_client(recorder, **SECURED)
    assert client.get("/things/3", cast_to=Thing) == Thing(id=3)
    assert len(recorder.requests) == 2 and recorder.last.headers["X-Key"] == "secret"
    assert str(recorder.last.url) == "https://api.test/v1/things/3"
    assert client.post("/things", cast_to=dict, body={"a": [1]}) == {}
    assert recorder.last.content == b'{"a":[1]}'
    assert client.delete("/things/3", cast_to=type(None)) is None
    assert client.put("/t", cast_to=bytes) == b"{}" and client.patch("/t", cast_to=str) == "{}"
    with pytest.raises(rt.NotFoundError):
        make_client(Recorder(httpx.Response(404))).get("/nope", cast_to=dict)


def test_escape_hatch_takes_every_per_call_option() -> None:
    """The README: every method also takes the per-call options; `client.get/post/...` had
    no `deadline=` or `retry_count_header=` (a TypeError). Sync and async, every verb."""
    import asyncio
    import inspect

    recorder = Recorder(httpx.Response(503), httpx.Response(200, json={"id": 3}))
    client = make_client(recorder, **SECURED)
    got = client.get("/things/3", cast_to=Thing, deadline=30, retry_count_header="X-Attempt")
    assert got == Thing(id=3) and recorder.last.headers["X-Attempt"] == "1"
    aclient = make_async_client(Recorder(), **SECURED)
    for name in ("get", "post", "put", "patch", "delete"):
        for method in (getattr(client, name), getattr(aclient, name)):
            assert {"deadline", "retry_count_header"} <= set(inspect.signature(method).parameters)
    assert asyncio.run(aclient.delete("/t", cast_to=dict, retry_count_header=None)) == {}


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    ("body", "headers", "content", "content_type"),
    [
        # Stripe's v1 API takes forms only (stripe-python's raw requests)
        ({"email": "a@b.c", "n": 2}, FORM, b"email=a%40b.c&n=2", FORM["Content-Type"]),
        (b"email=a%40b.c", FORM, b"email=a%40b.c", FORM["Content-Type"]),  # was '"email=..."'
        ("<a/>", {"Content-Type": "application/xml"}, b"<a/>", "application/xml"),
        (b"\x00\x01", {}, b"\x00\x01", "application/octet-stream"),
        (iter([b"ab", b"c"]), {}, b"abc", "application/octet-stream"),
        ("plain", {}, b'"plain"', "application/json"),  # a JSON string, as before
        (Thing(id=1), {}, b'{"id":1}', "application/json"),
        ({"a": 1}, {"Content-Type": "application/merge-patch+json"}, b'{"a":1}', None),
        # a review: the file tuple went as the JSON array `["f.txt","hi","text/plain"]`, and a
        # set was labelled octet-stream over its JSON
        (("f.txt", b"hi", "text/plain"), {}, b"hi", "text/plain"),
        ({1, 2}, {}, b"[1,2]", "application/json"),
        # text in the charset the caller's type names (a docs check: UTF-8 under that label)
        ("h\u00e9", {"Content-Type": "text/plain; charset=iso-8859-1"}, b"h\xe9", None),
        (["a", 1], {}, b'["a",1]', "application/json"),
        # a form or multipart body already written goes as written (a sweep: refused as "must
        # be an object" once text was encoded by its type)
        ("amount=100&currency=usd", FORM, b"amount=100&currency=usd", FORM["Content-Type"]),
        (
            "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz--\r\n",
            {"Content-Type": "multipart/form-data; boundary=xyz"},
            b"--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz--\r\n",
            None,
        ),
        # any type naming a charset, not text/* only
        (
            "<a>h\u00e9</a>",
            {"Content-Type": "application/xml; charset=iso-8859-1"},
            b"<a>h\xe9</a>",
            None,
        ),
    ],
)
def test_escape_hatch_sends_the_body_as_its_content_type_names_it(
    body: object, headers: dict[str, str], content: bytes, content_type: str | None
) -> None:
    """A helper's review: `client.post(path, body=...)` sent everything as JSON: a form for
    Stripe's v1 API could not be sent, and bytes with a form `Content-Type` went out as a
    quoted JSON string."""
    recorder = Recorder(httpx.Response(200, json={}))
    client = make_client(recorder, **SECURED)
    assert client.post("/things", cast_to=dict, body=body, extra_headers=headers) == {}
    assert recorder.last.read() == content
    expected = content_type or headers["Content-Type"]
    assert recorder.last.headers["Content-Type"] == expected


def test_escape_hatch_multipart_names_its_own_boundary() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    client = make_client(recorder, **SECURED)
    given = {"Content-Type": "multipart/form-data"}
    client.post("/files", cast_to=dict, body={"purpose": "x", "file": b"hi"}, extra_headers=given)
    sent = recorder.last.headers["Content-Type"]
    assert sent.startswith("multipart/form-data; boundary=")
    boundary = sent.split("boundary=", 1)[1].encode()
    assert recorder.last.read().count(b"--" + boundary) == 3  # two parts and the end


@pytest.mark.parametrize(
    "path", ["https://evil.test/x", "//evil.test/x", "http://api.test/v1/x", "ftp://x/y"]
)
def test_escape_hatch_refuses_absolute_urls(path: str) -> None:
    recorder = Recorder()
    with pytest.raises(ValueError, match="relative to base_url"):
        make_client(recorder, **SECURED).get(path, cast_to=dict)
    assert recorder.requests == []


async def test_escape_hatch_async() -> None:
    recorder = Recorder(httpx.Response(503), httpx.Response(200, json={"id": 4}))
    client = make_async_client(recorder, **SECURED)
    assert await client.get("/things/4", cast_to=Thing) == Thing(id=4)
    assert len(recorder.requests) == 2 and recorder.last.headers["X-Key"] == "secret"
    assert await client.post("/things", cast_to=dict, body={"b": 1}) == {}
    with pytest.raises(ValueError, match="relative"):
        await client.get("https://evil.test/x", cast_to=dict)


def test_a_name_the_runtime_lacks_is_a_type_checker_s_error(tmp_path: Path) -> None:
    """A helper's typing review: the runtime's lazy `__getattr__ -> Any` was visible to type
    checkers, so `from <pkg>._runtime import AsyncRawResponse` (no such name) passed mypy
    and pyright and raised ImportError at run time. Lazy names still type as themselves."""
    from tests.ir.test_strict_enums import _mypy_errors  # pyright: ignore[reportPrivateUsage]

    snippet = tmp_path / "use_runtime.py"
    snippet.write_text(
        "from apigen_runtime import AsyncRawResponse, Cache, SyncPage, cache_status\n\n"
        "print(AsyncRawResponse, Cache, SyncPage, cache_status)\n"
    )
    errors, output = _mypy_errors(ROOT / "runtime", snippet)
    assert (
        len(errors) == 1
        and 'Module "apigen_runtime" has no attribute "AsyncRawResponse"' in errors[0]
    ), output
