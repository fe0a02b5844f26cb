"""Retries: which failures, how many attempts, Idempotency-Key stability and Retry-After."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime._request import IDEMPOTENCY_EXTENSION
from apigen_runtime._retry import RetryPolicy

from .conftest import Recorder, op

OK = httpx.Response(200, json={"ok": True})


def client(recorder: Recorder, sleeps: list[float], **kwargs: Any) -> rt.SyncAPIClient:
    c = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        **kwargs,
    )
    c._sleep = sleeps.append
    return c


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses(status: int) -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(status), OK)
    assert client(recorder, sleeps).request(op(), {}) == {"ok": True}
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.5


def test_gives_up_after_max_retries_with_backoff_bounds() -> None:
    sleeps: list[float] = []
    recorder = Recorder(*[httpx.Response(503)] * 5)
    with pytest.raises(rt.InternalServerError):
        client(recorder, sleeps, max_retries=3).request(op(), {})
    assert len(recorder.requests) == 4
    assert [s <= cap for s, cap in zip(sleeps, [0.5, 1.0, 2.0], strict=True)] == [True] * 3


def test_per_call_max_retries_and_non_retryable() -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503))
    with pytest.raises(rt.InternalServerError):
        client(recorder, sleeps).request(op(), {}, {"max_retries": 0})
    assert len(recorder.requests) == 1
    recorder = Recorder(httpx.Response(400))
    with pytest.raises(rt.BadRequestError):
        client(recorder, sleeps).request(op(), {})
    assert len(recorder.requests) == 1 and sleeps == []


def test_post_gets_stable_idempotency_key_across_attempts() -> None:
    # Issue 8: the automatic key is sent only where the API honours it (here: configured).
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(500), httpx.Response(429), OK)
    c = client(recorder, sleeps, idempotency_header="Idempotency-Key")
    c.request(op(method="post"), {})
    keys = {r.headers["Idempotency-Key"] for r in recorder.requests}
    assert len(recorder.requests) == 3 and len(keys) == 1
    c.request(op(method="post"), {}, {"idempotency_key": "mine"})
    assert recorder.last.headers["Idempotency-Key"] == "mine"
    assert recorder.last.headers["Idempotency-Key"] not in keys
    c.request(op(method="get"), {})
    assert "Idempotency-Key" not in recorder.last.headers


def test_non_idempotent_without_key_is_not_retried() -> None:
    # Issue 8: an ``Idempotency-Key`` header alone no longer counts; the request must name the
    # header the API honours (the client sets this extension for declared/configured keys).
    policy = RetryPolicy()
    post = httpx.Request("POST", "https://x")
    assert not policy.should_retry(post, httpx.Response(503))
    assert not policy.should_retry(post, httpx.ReadTimeout("t"))
    assert policy.should_retry(post, httpx.ConnectError("refused"))  # never reached the server
    ignored = httpx.Request("POST", "https://x", headers={"Idempotency-Key": "k"})
    assert not policy.should_retry(ignored, httpx.Response(503))
    keyed = httpx.Request(
        "POST",
        "https://x",
        headers={"Idempotency-Key": "k"},
        extensions={IDEMPOTENCY_EXTENSION: "Idempotency-Key"},
    )
    assert policy.should_retry(keyed, httpx.Response(503))
    assert policy.should_retry(httpx.Request("DELETE", "https://x"), httpx.ReadError("r"))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"X-RateLimit-Reset": "7"}, 7.0),  # small: a delta
        ({"RateLimit-Reset": "2"}, 2.0),
        ({"RateLimit": '"default";r=0;t=4'}, 4.0),
        ({"RateLimit": "limit=10, remaining=0, reset=5"}, 5.0),
    ],
)
def test_retry_after_is_honoured(headers: dict[str, str], expected: float) -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(429, headers=headers), OK)
    client(recorder, sleeps).request(op(), {})
    assert sleeps == [expected]


def test_rate_limit_reset_epoch_and_github_403() -> None:
    sleeps: list[float] = []
    reset = str(int(time.time()) + 5)
    exhausted = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    recorder = Recorder(httpx.Response(403, headers=exhausted), OK)
    client(recorder, sleeps).request(op(), {})
    assert len(sleeps) == 1 and 3 <= sleeps[0] <= 5
    # A plain 403 (no exhausted budget) is final.
    recorder = Recorder(httpx.Response(403, headers={"X-RateLimit-Remaining": "12"}))
    with pytest.raises(rt.PermissionDeniedError):
        client(recorder, sleeps).request(op(), {})
    assert len(recorder.requests) == 1


def test_retry_after_over_the_cap_uses_the_backoff() -> None:
    # Issue 8: a Retry-After beyond ``max_wait`` (60 s) falls back to the backoff instead of
    # failing at once (as Stainless SDKs do); ``max_wait`` still raises the cap.
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "3600"}), OK)
    assert client(recorder, sleeps).request(op(), {}) == {"ok": True}
    assert len(recorder.requests) == 2 and len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5
    sleeps.clear()
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "90"}), OK)
    c = client(recorder, sleeps, retry=rt.RetryPolicy(max_wait=120))
    assert c.request(op(), {}) == {"ok": True} and sleeps == [90.0]


def test_retry_after_http_date() -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": when}), OK)
    client(recorder, sleeps).request(op(), {})
    assert 8 <= sleeps[0] <= 10


@pytest.mark.parametrize("form", ["asctime", "-0000"])
def test_retry_after_http_date_without_a_zone_is_gmt(
    form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """asctime's form (`Sun Nov  6 08:49:37 1994`, RFC 9110 lets a server send it) carries no
    zone: read as local time, in Tokyo a wait of 10 s came out as -32,390 s and was ignored."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        later = time.gmtime(time.time() + 10)
        when = (
            time.strftime("%a %b %d %H:%M:%S %Y", later)
            if form == "asctime"
            else time.strftime("%a, %d %b %Y %H:%M:%S -0000", later)
        )
        sleeps: list[float] = []
        recorder = Recorder(httpx.Response(503, headers={"Retry-After": when}), OK)
        client(recorder, sleeps).request(op(), {})
        assert 8 <= sleeps[0] <= 10
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_connection_errors_and_timeouts() -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.ConnectError("refused"), OK)
    assert client(recorder, sleeps).request(op(), {}) == {"ok": True}
    recorder = Recorder(*[httpx.ReadTimeout("slow")] * 3)
    with pytest.raises(rt.APITimeoutError) as info:
        client(recorder, sleeps).request(op(), {})
    assert len(recorder.requests) == 3
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    recorder = Recorder(httpx.ReadError("reset"))
    with pytest.raises(rt.APIConnectionError) as info2:
        client(recorder, sleeps).request(op(), {}, {"max_retries": 0})
    assert not isinstance(info2.value, rt.APITimeoutError)


def test_per_call_timeout_reaches_transport() -> None:
    sleeps: list[float] = []
    recorder = Recorder()
    c = client(recorder, sleeps, timeout=5.0)
    c.request(op(), {})
    assert recorder.last.extensions["timeout"]["read"] == 5.0
    c.request(op(), {}, {"timeout": httpx.Timeout(1.0, connect=2.0)})
    assert recorder.last.extensions["timeout"] == {
        "connect": 2.0,
        "read": 1.0,
        "write": 1.0,
        "pool": 1.0,
    }


def test_a_declared_idempotency_header_the_caller_sets_is_sent_as_given() -> None:
    """The spec declares `Idempotency-Key` as a header parameter: the caller's value, even
    "", was replaced by an automatic key when falsy (a contract run of a hand-written spec).
    An empty key is sent, but vouches for no retry of the POST."""
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(500), OK, OK)
    c = client(recorder, sleeps, idempotency_header="Idempotency-Key")
    post = op(rt.Param("key", "Idempotency-Key", "header"), method="post")
    with pytest.raises(rt.InternalServerError):
        c.request(post, {"key": ""})
    assert len(recorder.requests) == 1 and recorder.last.headers["Idempotency-Key"] == ""
    c.request(post, {"key": "mine"})
    assert recorder.last.headers["Idempotency-Key"] == "mine"
    recorder = Recorder(httpx.Response(500), OK)  # the per-call option alike
    with pytest.raises(rt.InternalServerError):
        client(recorder, sleeps).request(op(method="post"), {}, {"idempotency_key": ""})
    assert len(recorder.requests) == 1
