"""Issue 8, "Retries and timeouts": what is retried, how long to wait, no duplicated side effects,
timeouts and construction checks. Every behaviour runs through both clients (``mode``)."""

from __future__ import annotations

import asyncio
import email.utils
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import _retry
from apigen_runtime._retry import RetryPolicy

from .conftest import Recorder, op

BASE = "https://api.test"
MODES = ["sync", "async"]


def ok() -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


def fresh(item: httpx.Response | Exception) -> httpx.Response | Exception:
    """A new copy of a parametrized outcome: a response or error is never reused across calls
    (a response once sent through a sync transport cannot go through an async one)."""
    if isinstance(item, httpx.Response):
        return httpx.Response(item.status_code, headers=item.headers)
    return type(item)(str(item))


Client = rt.SyncAPIClient | rt.AsyncAPIClient


def make(
    mode: str, handler: Any, sleeps: list[float], *, http: Any = None, **kwargs: Any
) -> Client:
    transport = httpx.MockTransport(handler)
    kwargs.setdefault("base_url", BASE)
    if mode == "sync":
        client = rt.SyncAPIClient(http_client=http or httpx.Client(transport=transport), **kwargs)
        client._sleep = sleeps.append
        return client

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    aclient = rt.AsyncAPIClient(
        http_client=http or httpx.AsyncClient(transport=transport), **kwargs
    )
    aclient._sleep = sleep
    return aclient


def call(client: Client, operation: rt.Operation[Any], options: Any = None) -> Any:
    if isinstance(client, rt.AsyncAPIClient):
        return asyncio.run(client.request(operation, {}, options))
    return client.request(operation, {}, options)


# --- 1. what is retried ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "status", [408, 409, 429, 500, 501, 502, 503, 504, 520, 521, 522, 523, 524, 529, 599]
)
def test_retried_statuses(mode: str, status: int) -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(status), ok())
    assert call(make(mode, recorder, sleeps), op()) == {"ok": True}
    assert len(recorder.requests) == 2 and len(sleeps) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_final_statuses(mode: str, status: int) -> None:
    recorder = Recorder(httpx.Response(status), ok())
    with pytest.raises(rt.APIStatusError):
        call(make(mode, recorder, []), op())
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_x_should_retry_overrides_the_status_rule(mode: str) -> None:
    recorder = Recorder(httpx.Response(400, headers={"x-should-retry": "true"}), ok())
    assert call(make(mode, recorder, []), op()) == {"ok": True}
    assert len(recorder.requests) == 2
    for status in (503, 429, 408):
        recorder = Recorder(httpx.Response(status, headers={"X-Should-Retry": "false"}), ok())
        with pytest.raises(rt.APIStatusError):
            call(make(mode, recorder, []), op())
        assert len(recorder.requests) == 1
    recorder = Recorder(httpx.Response(404, headers={"x-should-retry": "maybe"}), ok())
    with pytest.raises(rt.NotFoundError):  # anything else: the status rule
        call(make(mode, recorder, []), op())


def test_should_retry_header_name_is_configurable() -> None:
    """Issue 9: the provider's own hint header (Stripe's `Stripe-Should-Retry`), or none."""
    request = httpx.Request("GET", BASE + "/x")
    stripe = RetryPolicy(should_retry_header="Stripe-Should-Retry")
    told = httpx.Response(400, headers={"stripe-should-retry": "true"})
    assert stripe.should_retry(request, told) and not RetryPolicy().should_retry(request, told)
    stop = httpx.Response(503, headers={"Stripe-Should-Retry": "false", "x-should-retry": "true"})
    assert not stripe.should_retry(request, stop)
    deaf = RetryPolicy(should_retry_header=None)  # the status rule only
    assert deaf.should_retry(request, httpx.Response(503, headers={"x-should-retry": "false"}))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("connect"),
        httpx.ReadTimeout("read"),
        httpx.ReadError("reset"),
        httpx.WriteError("broken pipe"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
)
def test_connection_errors_are_retried(mode: str, error: Exception) -> None:
    recorder = Recorder(fresh(error), ok())
    assert call(make(mode, recorder, []), op()) == {"ok": True}
    assert len(recorder.requests) == 2


# --- 2. how long to wait; the retry-count header ---------------------------------------------


def _date(offset: float) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"Retry-After": "3"}, 3.0, 3.0),
        ({"Retry-After": "60"}, 60.0, 60.0),  # up to 60 s: honoured
        ({"retry-after-ms": "250"}, 0.25, 0.25),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5, 1.5),  # ms is the precise one
        ({"Retry-After": "date:10"}, 8.0, 10.0),
        # <= 0 or over 60 s: the backoff (first retry: 0.5 s less up to 25 %)
        ({"Retry-After": "0"}, 0.375, 0.5),
        ({"Retry-After": "-3"}, 0.375, 0.5),
        ({"retry-after-ms": "0"}, 0.375, 0.5),
        ({"Retry-After": "date:-30"}, 0.375, 0.5),
        ({"Retry-After": "61"}, 0.375, 0.5),
        ({"retry-after-ms": "3600000"}, 0.375, 0.5),
        ({"Retry-After": "date:7200"}, 0.375, 0.5),
        ({"Retry-After": "soon"}, 0.375, 0.5),
    ],
)
def test_retry_after_forms(mode: str, headers: dict[str, str], low: float, high: float) -> None:
    headers = {k: _date(float(v[5:])) if v.startswith("date:") else v for k, v in headers.items()}
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503, headers=headers), ok())
    assert call(make(mode, recorder, sleeps), op()) == {"ok": True}
    assert len(sleeps) == 1 and low <= sleeps[0] <= high


def test_backoff_doubles_to_8s_with_at_most_25_percent_jitter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = RetryPolicy()
    nominal = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    monkeypatch.setattr(_retry.random, "random", lambda: 0.0)
    assert [policy.delay(n, None) for n in range(7)] == nominal
    monkeypatch.setattr(_retry.random, "random", lambda: 1.0)
    assert [policy.delay(n, None) for n in range(7)] == [0.75 * s for s in nominal]
    monkeypatch.undo()
    for _ in range(200):  # never the old full jitter (waits of 0.1 s after a 503)
        wait = policy.delay(0, httpx.Response(503))
        assert wait is not None and 0.375 <= wait <= 0.5


@pytest.mark.parametrize("mode", MODES)
def test_backoff_schedule_through_the_client(mode: str) -> None:
    sleeps: list[float] = []
    recorder = Recorder(*[httpx.Response(503)] * 7)
    with pytest.raises(rt.InternalServerError):
        call(make(mode, recorder, sleeps, max_retries=6), op())
    assert len(recorder.requests) == 7
    for wait, nominal in zip(sleeps, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0], strict=True):
        assert 0.75 * nominal <= wait <= nominal


@pytest.mark.parametrize("mode", MODES)
def test_retry_count_header(mode: str) -> None:
    def counts(recorder: Recorder) -> list[str | None]:
        return [r.headers.get("X-Retry-Count") for r in recorder.requests]

    recorder = Recorder(httpx.Response(503), httpx.ReadError("reset"), ok())
    call(make(mode, recorder, []), op())
    assert counts(recorder) == ["0", "1", "2"]
    # Overridden per call (the caller's value wins) ...
    recorder = Recorder(httpx.Response(503), ok())
    call(make(mode, recorder, []), op(), {"extra_headers": {"x-retry-count": "7"}})
    assert counts(recorder) == ["7", "7"]
    # ... renamed or removed per call ...
    recorder = Recorder(httpx.Response(503), ok())
    call(make(mode, recorder, []), op(), {"retry_count_header": None})
    assert counts(recorder) == [None, None]
    recorder = Recorder(httpx.Response(503), ok())
    call(make(mode, recorder, []), op(), {"retry_count_header": "X-Attempt"})
    assert [r.headers.get("X-Attempt") for r in recorder.requests] == ["0", "1"]
    # ... or for the whole client.
    recorder = Recorder(httpx.Response(503), ok())
    call(make(mode, recorder, [], retry_count_header=None), op())
    assert counts(recorder) == [None, None]


# --- 3. no duplicated side effects -----------------------------------------------------------


MAY_HAVE_ARRIVED = [
    httpx.ReadTimeout("read"),
    httpx.WriteTimeout("write"),
    httpx.ReadError("connection reset by peer"),
    httpx.RemoteProtocolError("Server disconnected without sending a response."),
    httpx.Response(500),
    httpx.Response(503, headers={"Retry-After": "1"}),
    httpx.Response(429),
    httpx.Response(409),
    httpx.Response(503, headers={"x-should-retry": "true"}),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", ["post", "patch"])
@pytest.mark.parametrize("outcome", MAY_HAVE_ARRIVED)
def test_unkeyed_write_that_may_have_arrived_is_not_retried(
    mode: str, method: str, outcome: httpx.Response | Exception
) -> None:
    recorder = Recorder(fresh(outcome), ok())
    with pytest.raises(rt.APIError):
        call(make(mode, recorder, []), op(method=method))
    assert len(recorder.requests) == 1
    assert "idempotency-key" not in recorder.last.headers  # no key the API would ignore


@pytest.mark.parametrize("mode", MODES)
def test_a_key_the_api_does_not_honour_does_not_make_a_retry(mode: str) -> None:
    recorder = Recorder(httpx.ReadTimeout("read"), ok())
    options = {"extra_headers": {"Idempotency-Key": "k-1"}}
    with pytest.raises(rt.APITimeoutError):
        call(make(mode, recorder, []), op(method="post"), options)
    assert len(recorder.requests) == 1 and recorder.last.headers["Idempotency-Key"] == "k-1"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("declared", ["Idempotency-Key", "idempotency-key", "X-Idempotency-Key"])
def test_write_keyed_by_the_declared_header_is_retried(mode: str, declared: str) -> None:
    recorder = Recorder(httpx.ReadTimeout("read"), httpx.Response(503), ok())
    operation = op(method="post", idempotency_header=declared)
    assert call(make(mode, recorder, []), operation) == {"ok": True}
    keys = {r.headers[declared] for r in recorder.requests}
    assert len(recorder.requests) == 3 and len(keys) == 1 and len(keys.pop()) == 36
    assert "idempotency-key" not in recorder.last.headers or declared.lower() == "idempotency-key"


@pytest.mark.parametrize("mode", MODES)
def test_declared_key_given_as_an_argument_is_kept(mode: str) -> None:
    recorder = Recorder(httpx.ReadError("reset"), ok())
    operation = op(
        rt.Param("idempotency_key", "Idempotency-Key", "header"),
        method="post",
        idempotency_header="Idempotency-Key",
    )
    client = make(mode, recorder, [])
    if isinstance(client, rt.AsyncAPIClient):
        asyncio.run(client.request(operation, {"idempotency_key": "order-42"}))
    else:
        client.request(operation, {"idempotency_key": "order-42"})
    assert [r.headers["Idempotency-Key"] for r in recorder.requests] == ["order-42"] * 2


@pytest.mark.parametrize("mode", MODES)
def test_client_option_enables_the_key(mode: str) -> None:
    recorder = Recorder(httpx.RemoteProtocolError("disconnected"), httpx.Response(500), ok())
    client = make(mode, recorder, [], idempotency_header="Idem-Key")
    assert call(client, op(method="patch")) == {"ok": True}
    assert (
        len(recorder.requests) == 3 and len({r.headers["Idem-Key"] for r in recorder.requests}) == 1
    )
    call(client, op(method="get"))
    assert "Idem-Key" not in recorder.last.headers  # reads need none


@pytest.mark.parametrize("mode", MODES)
def test_per_call_idempotency_key_vouches_for_the_retry(mode: str) -> None:
    recorder = Recorder(httpx.ReadTimeout("read"), ok())
    call(make(mode, recorder, []), op(method="post"), {"idempotency_key": "mine"})
    assert [r.headers["Idempotency-Key"] for r in recorder.requests] == ["mine", "mine"]


@pytest.mark.parametrize("mode", MODES)
def test_an_empty_per_call_key_sends_no_key_and_no_retry(mode: str) -> None:
    """A helper's review: `idempotency_key=""` sent `Idempotency-Key:` empty (a key to some
    servers); it now sends none, and still vouches for no retry."""
    recorder = Recorder(httpx.ReadTimeout("read"), ok())
    client = make(mode, recorder, [], idempotency_header="Idempotency-Key")
    with pytest.raises(rt.APIError):
        call(client, op(method="post"), {"idempotency_key": ""})
    assert len(recorder.requests) == 1 and "idempotency-key" not in recorder.last.headers


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", ["put", "delete", "get"])
def test_idempotent_methods_are_retried_without_a_key(mode: str, method: str) -> None:
    recorder = Recorder(httpx.ReadTimeout("read"), httpx.Response(502), ok())
    call(make(mode, recorder, []), op(method=method))
    assert len(recorder.requests) == 3


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectError("[Errno -2] Name or service not known"),  # DNS
        httpx.ConnectTimeout("connect"),
        httpx.PoolTimeout("pool"),
    ],
)
def test_a_write_that_never_left_is_retried(mode: str, error: Exception) -> None:
    recorder = Recorder(fresh(error), ok())
    assert call(make(mode, recorder, []), op(method="post")) == {"ok": True}
    assert len(recorder.requests) == 2


class _Counting(httpx.HTTPTransport):
    count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return super().handle_request(request)


class _AsyncCounting(httpx.AsyncHTTPTransport):
    count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return await super().handle_async_request(request)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_refused_connection_retries_a_post_sync() -> None:
    transport = _Counting()
    url = f"http://127.0.0.1:{_closed_port()}"
    sleeps: list[float] = []
    client = make("sync", None, sleeps, http=httpx.Client(transport=transport), base_url=url)
    with pytest.raises(rt.APIConnectionError):
        call(client, op(method="post"))
    assert transport.count == 3 and len(sleeps) == 2


async def test_refused_connection_retries_a_post_async() -> None:
    transport = _AsyncCounting()
    url = f"http://127.0.0.1:{_closed_port()}"
    sleeps: list[float] = []
    client = make("async", None, sleeps, http=httpx.AsyncClient(transport=transport), base_url=url)
    assert isinstance(client, rt.AsyncAPIClient)
    with pytest.raises(rt.APIConnectionError):
        await client.request(op(method="post"), {})
    assert transport.count == 3 and len(sleeps) == 2


class OrderServer:
    """An API that ignores ``Idempotency-Key``: every POST that arrives makes an order. The
    script says how each answers: ``503`` (after making the order), ``drop`` (make it, then
    close the connection without answering), ``ok``."""

    def __init__(self) -> None:
        self.orders = 0
        self.keys: list[str | None] = []
        self.script: list[str] = []
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                app.orders += 1
                app.keys.append(self.headers.get("Idempotency-Key"))
                answer = app.script.pop(0) if app.script else "ok"
                if answer == "drop":
                    self.close_connection = True
                    return
                status = 503 if answer == "503" else 201
                data = json.dumps({"order": app.orders}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def orders() -> Iterator[OrderServer]:
    app = OrderServer()
    thread = threading.Thread(target=app.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield app
    app.server.shutdown()
    app.server.server_close()


CREATE_ORDER = op(method="post", path="/orders", responses={"201": rt.Response(dict, "json")})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("answer", ["503", "drop"])
def test_one_create_makes_one_order_on_an_api_that_ignores_keys(
    mode: str, answer: str, orders: OrderServer
) -> None:
    orders.script = [answer, "ok", "ok"]
    http = httpx.Client(timeout=5) if mode == "sync" else httpx.AsyncClient(timeout=5)
    client = make(mode, None, [], http=http, base_url=orders.url)
    with pytest.raises(rt.APIError):
        call(client, CREATE_ORDER)
    assert orders.orders == 1 and orders.keys == [None]


# --- 4. timeouts and construction checks -----------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_default_connect_timeout_is_5s(mode: str) -> None:
    default = {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}
    client = rt.SyncAPIClient(base_url=BASE) if mode == "sync" else rt.AsyncAPIClient(base_url=BASE)
    assert client.timeout.as_dict() == default
    assert client._client().timeout.as_dict() == default  # the pool the client creates
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)
    # the pool swapped for a recording one (the client itself stays open)
    if isinstance(client, rt.AsyncAPIClient):
        asyncio.run(client._client().aclose())
        client._http = httpx.AsyncClient(transport=transport)
    else:
        client._client().close()
        client._http = httpx.Client(transport=transport)
    call(client, op())
    assert recorder.last.extensions["timeout"] == default  # sent with every request


@pytest.mark.parametrize("mode", MODES)
def test_http_client_keeps_its_own_timeout_unless_one_is_passed(mode: str) -> None:
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)

    def http() -> Any:
        if mode == "sync":
            return httpx.Client(transport=transport, timeout=httpx.Timeout(12.0, connect=2.0))
        return httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(12.0, connect=2.0))

    client = make(mode, recorder, [], http=http())
    call(client, op())
    assert recorder.last.extensions["timeout"] == {
        "connect": 2.0,
        "read": 12.0,
        "write": 12.0,
        "pool": 12.0,
    }
    call(client, op(), {"timeout": 1.5})  # per call
    assert recorder.last.extensions["timeout"]["read"] == 1.5
    call(make(mode, recorder, [], http=http(), timeout=3.0), op())  # on the client
    assert recorder.last.extensions["timeout"] == httpx.Timeout(3.0).as_dict()
    call(make(mode, recorder, [], http=http(), timeout=None), op())  # explicitly none
    assert recorder.last.extensions["timeout"] == httpx.Timeout(None).as_dict()


@pytest.mark.parametrize("mode", MODES)
def test_an_http_client_built_without_a_timeout_gets_the_runtime_s(mode: str) -> None:
    """A helper's review: `http_client=httpx.Client(transport=...)` made every call use httpx's
    default, 5 s to read; openai's client swaps that default for its own, as this one now does."""
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)
    http: Any = (
        httpx.Client(transport=transport)
        if mode == "sync"
        else httpx.AsyncClient(transport=transport)
    )
    call(make(mode, recorder, [], http=http), op())
    default = {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}
    assert recorder.last.extensions["timeout"] == default


def test_wrong_kind_of_http_client_fails_at_construction() -> None:
    with httpx.Client() as sync_http, pytest.raises(TypeError, match=r"httpx\.Client"):
        rt.AsyncAPIClient(base_url=BASE, http_client=sync_http)  # type: ignore[arg-type]
    async_http = httpx.AsyncClient()
    with pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        rt.SyncAPIClient(base_url=BASE, http_client=async_http)  # type: ignore[arg-type]
    asyncio.run(async_http.aclose())


@pytest.mark.parametrize("cls", [rt.SyncAPIClient, rt.AsyncAPIClient])
def test_bad_max_retries_fails_at_construction(cls: type[Client]) -> None:
    with pytest.raises(TypeError, match="max_retries"):
        cls(base_url=BASE, max_retries=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_retries"):
        cls(base_url=BASE, max_retries="2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_retries"):
        cls(base_url=BASE, max_retries=-1)
    assert cls(base_url=BASE, max_retries=0).max_retries == 0


@pytest.mark.parametrize("mode", MODES)
def test_bad_per_call_max_retries_fails_before_sending(mode: str) -> None:
    recorder = Recorder()
    with pytest.raises(ValueError, match="max_retries"):
        call(make(mode, recorder, []), op(), {"max_retries": -1})
    with pytest.raises(TypeError, match="max_retries"):
        call(make(mode, recorder, []), op(), {"max_retries": None})
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_custom_strategy_can_keep_the_no_duplicate_rule(mode: str) -> None:
    class Eager:
        def decide(self, attempt: int, request: httpx.Request, outcome: Any) -> float | None:
            return 0.0 if rt.may_resend(request, outcome) else None

    recorder = Recorder(httpx.ReadTimeout("read"), ok())
    with pytest.raises(rt.APITimeoutError):
        call(make(mode, recorder, [], retry=Eager()), op(method="post"))
    assert len(recorder.requests) == 1
    recorder = Recorder(httpx.ReadTimeout("read"), ok())
    call(
        make(mode, recorder, [], retry=Eager(), idempotency_header="Idempotency-Key"),
        op(method="post"),
    )
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("cls", [rt.SyncAPIClient, rt.AsyncAPIClient])
def test_bad_timeout_or_deadline_fails_at_construction(cls: type[Client]) -> None:
    """Helper 175: `timeout=-1`, `"abc"` or NaN were taken, and the first call failed deep in
    httpcore with a bare ValueError or TypeError (infinity: an OverflowError). A deadline of
    0 (out of time) or infinity (none) stays one."""
    for bad in (-1, float("nan"), 1e12):
        with pytest.raises(ValueError, match="timeout"):
            cls(base_url=BASE, timeout=bad)
    # infinity is no limit, as for a deadline; httpx's own 4-tuple is taken (the review)
    assert cls(base_url=BASE, timeout=float("inf")).timeout == httpx.Timeout(None)
    four = cls(base_url=BASE, timeout=(1.0, 2.0, 3.0, 4.0))  # type: ignore[arg-type]
    assert four.timeout == httpx.Timeout(connect=1.0, read=2.0, write=3.0, pool=4.0)
    for bad in (-1, float("nan")):
        with pytest.raises(ValueError, match="deadline"):
            cls(base_url=BASE, deadline=bad)
    for fine in (0, float("inf")):
        cls(base_url=BASE, deadline=fine)
    with pytest.raises(TypeError, match="timeout"):
        cls(base_url=BASE, timeout="30")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout's read"):
        cls(base_url=BASE, timeout=httpx.Timeout(5.0, read=-1))
    assert cls(base_url=BASE, timeout=None).timeout == httpx.Timeout(None)
    assert cls(base_url=BASE, timeout=2).timeout == httpx.Timeout(2)
    with pytest.raises(ValueError, match="timeout"):
        cls(base_url=BASE).with_options(timeout=-5)


@pytest.mark.parametrize("mode", MODES)
def test_bad_per_call_timeout_or_deadline_fails_before_sending(mode: str) -> None:
    recorder = Recorder()
    for options in ({"timeout": -1}, {"timeout": float("nan")}, {"deadline": -0.5}):
        with pytest.raises(ValueError, match=r"timeout|deadline"):
            call(make(mode, recorder, []), op(), options)
    with pytest.raises(TypeError, match="timeout"):
        call(make(mode, recorder, []), op(), {"timeout": "abc"})
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("wait", [-1.0, float("nan"), 1e12])
def test_a_custom_strategy_s_impossible_wait_is_a_clear_error(mode: str, wait: float) -> None:
    """Helper 175: the wait went straight to `time.sleep` (a bare ValueError or
    OverflowError, the 500 lost) or, async and without a deadline, hung."""

    class Broken:
        def decide(self, attempt: int, request: httpx.Request, outcome: Any) -> float | None:
            return wait

    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(500), ok())
    with pytest.raises(ValueError, match=r"Broken\.decide\(\) returned"):
        call(make(mode, recorder, sleeps, retry=Broken()), op())
    assert len(recorder.requests) == 1 and sleeps == []


def test_an_endless_deadline_leaves_an_unlimited_timeout_unlimited() -> None:
    """The review: `timeout=None, deadline=inf` made every part of the timeout the infinite time
    left, and the sync client's first call raised a bare OverflowError from the socket."""
    endless = httpx.Timeout(None)
    assert _retry.clip_timeout(endless, float("inf")) == endless
    assert _retry.clip_timeout(endless, 1e10) == endless
    assert _retry.clip_timeout(endless, 2.0) == httpx.Timeout(2.0)


@pytest.mark.parametrize("cls", [rt.SyncAPIClient, rt.AsyncAPIClient])
def test_a_timeout_set_on_the_client_is_checked_too(cls: type[Client]) -> None:
    """The per-call path skips checking the client's own timeout: so it is checked when set."""
    client = cls(base_url=BASE)
    client.timeout = 30
    assert client.timeout == httpx.Timeout(30)
    with pytest.raises(ValueError, match="timeout"):
        client.timeout = -1
