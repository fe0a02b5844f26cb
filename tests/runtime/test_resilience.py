"""Retry strategies, the total deadline, hooks, the circuit breaker and client-side rate limits."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime._ratelimit import read_quota

from .conftest import Recorder, op

OK = httpx.Response(200, json={"ok": True})


def sync_client(handler: Any, sleeps: list[float] | None = None, **kwargs: Any) -> rt.SyncAPIClient:
    kwargs.setdefault("base_url", "https://api.test")
    c = rt.SyncAPIClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)
    c._sleep = (sleeps if sleeps is not None else []).append
    return c


def async_client(handler: Any, **kwargs: Any) -> rt.AsyncAPIClient:
    kwargs.setdefault("base_url", "https://api.test")
    transport = httpx.MockTransport(handler)
    return rt.AsyncAPIClient(http_client=httpx.AsyncClient(transport=transport), **kwargs)


# --- retry strategy -------------------------------------------------------------------------


class RetryTeapots:
    """A custom strategy: retry 418 twice with a fixed pause, nothing else."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, int | str]] = []

    def decide(
        self, attempt: int, request: httpx.Request, outcome: httpx.Response | httpx.TransportError
    ) -> float | None:
        status = (
            outcome.status_code if isinstance(outcome, httpx.Response) else type(outcome).__name__
        )
        self.calls.append((attempt, request.method, status))
        return 0.25 if status == 418 and attempt < 3 else None


def test_custom_retry_strategy_decides() -> None:
    strategy = RetryTeapots()
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(418), httpx.Response(418), OK)
    c = sync_client(recorder, sleeps, retry=strategy, max_retries=5)
    assert c.request(op(), {}) == {"ok": True}
    assert strategy.calls == [(1, "GET", 418), (2, "GET", 418)] and sleeps == [0.25, 0.25]
    recorder = Recorder(httpx.Response(503))
    with pytest.raises(rt.InternalServerError):
        sync_client(recorder, sleeps, retry=strategy).request(op(), {})
    assert len(recorder.requests) == 1  # the strategy said no; the default would have retried


def test_max_retries_bounds_any_strategy() -> None:
    class Always:
        def decide(self, attempt: int, request: httpx.Request, outcome: object) -> float:
            return 0.0

    recorder = Recorder(*[httpx.Response(500)] * 10)
    with pytest.raises(rt.InternalServerError):
        sync_client(recorder, retry=Always(), max_retries=3).request(op(), {})
    assert len(recorder.requests) == 4


# --- deadline -------------------------------------------------------------------------------


def test_deadline_stops_retries_and_raises_timeout() -> None:
    def slow_503(request: httpx.Request) -> httpx.Response:
        time.sleep(0.05)
        return httpx.Response(503)

    c = sync_client(slow_503, retry=rt.RetryPolicy(base_delay=0.0), max_retries=50)
    started = time.monotonic()
    with pytest.raises(rt.APITimeoutError, match="Deadline exceeded after"):
        c.request(op(), {}, {"deadline": 0.2})
    assert time.monotonic() - started < 2.0  # 50 retries take 2.5 s (slack for a loaded CI)


def test_deadline_clips_attempt_timeouts_and_skips_hopeless_waits() -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": "5"}), OK)
    c = sync_client(recorder, sleeps, timeout=30.0, deadline=2.0)  # the client default
    with pytest.raises(rt.InternalServerError):  # waiting 5 s would pass the deadline
        c.request(op(), {})
    assert sleeps == [] and len(recorder.requests) == 1
    assert all(0 < t <= 2.0 for t in recorder.last.extensions["timeout"].values())
    c.request(op(), {}, {"deadline": None})  # per call: no deadline
    assert recorder.last.extensions["timeout"]["read"] == 30.0


def test_deadline_bounds_a_body_that_trickles_in() -> None:
    class Trickle(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            for _ in range(200):  # 4 s in all
                time.sleep(0.02)
                yield b" "

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, stream=Trickle())

    c = sync_client(handler, max_retries=0)
    started = time.monotonic()
    with pytest.raises(rt.APITimeoutError):
        c.request(op(), {}, {"deadline": 0.15})
    assert time.monotonic() - started < 2.0  # slack for a loaded CI machine


def test_a_stream_cut_by_its_deadline_is_not_reopened() -> None:
    """A helper's review: with `max_stream_reconnects` on, an event stream cut by the call's
    deadline was taken for a dropped connection and requested again (every `deadline` seconds,
    without end). The deadline ends the call: `APITimeoutError`, one request."""

    class Ticks(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            for i in range(200):  # 4 s in all
                time.sleep(0.02)
                yield f"id: {i}\ndata: {i}\n\n".encode()

    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/event-stream"}, stream=Ticks())

    events = rt.Operation(method="get", path="/events", responses={"200": rt.Response(str, "sse")})
    c = sync_client(handler, max_retries=0, deadline=0.15)
    c.max_stream_reconnects = 3
    seen: list[str] = []
    with pytest.raises(rt.APITimeoutError):
        for data in c.stream(events, {}):
            seen.append(data)
    assert len(requests) == 1 and seen and len(seen) < 50


# --- hooks ----------------------------------------------------------------------------------


def test_hooks_run_once_per_call_in_order() -> None:
    events: list[str] = []

    def before(request: httpx.Request) -> None:
        assert "authorization" not in request.headers  # auth comes after hooks
        request.headers["X-Trace"] = "t-1"
        events.append(f"before {request.method}")

    hooks = rt.Hooks(
        before_request=[before],
        after_response=lambda r: events.append(f"after {r.status_code}"),
        on_error=[lambda e: events.append(f"error {type(e).__name__}")],
    )
    recorder = Recorder(httpx.Response(503), OK, httpx.Response(404))
    c = sync_client(
        recorder,
        hooks=hooks,
        credentials={"token": "s3cret"},
        security_schemes={"bearer": rt.HTTPBearer("token")},
        default_security=(("bearer",),),
    )
    assert c.request(op(), {}) == {"ok": True}
    assert [r.headers["X-Trace"] for r in recorder.requests] == ["t-1", "t-1"]
    assert recorder.last.headers["Authorization"] == "Bearer s3cret"
    with pytest.raises(rt.NotFoundError):
        c.request(op(), {})
    assert events == ["before GET", "after 200", "before GET", "after 404", "error NotFoundError"]


def test_on_error_sees_connection_errors() -> None:
    errors: list[Exception] = []
    recorder = Recorder(httpx.ConnectError("refused"))
    c = sync_client(recorder, max_retries=0, hooks=rt.Hooks(on_error=[errors.append]))
    with pytest.raises(rt.APIConnectionError) as caught:
        c.request(op(), {})
    assert [type(e) for e in errors] == [rt.APIConnectionError]
    # the origin is named (per-operation servers and redirects: not always base_url)
    assert str(caught.value).startswith(f"Connection error: GET {caught.value.request.url.scheme}")
    assert caught.value.request.url.host in str(caught.value)


async def test_async_client_awaits_async_hooks() -> None:
    events: list[str] = []

    async def before(request: httpx.Request) -> None:
        await asyncio.sleep(0)
        request.headers["X-Async"] = "yes"
        events.append("before")

    async def after(response: httpx.Response) -> None:
        events.append(f"after {response.status_code}")

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    hooks = rt.Hooks(
        before_request=[before], after_response=[after, lambda r: events.append("sync")]
    )
    async with async_client(handler, hooks=hooks) as c:
        assert await c.request(op(), {}) == {"ok": True}
    assert events == ["before", "after 200", "sync"] and seen[0].headers["X-Async"] == "yes"


def test_sync_client_rejects_async_hooks() -> None:
    async def hook(request: httpx.Request) -> None:
        pass

    with pytest.raises(TypeError, match="AsyncClient"):
        rt.SyncAPIClient(base_url="https://x", hooks=rt.Hooks(before_request=[hook]))


# --- circuit breaker ------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_circuit_breaker_states() -> None:
    clock = Clock()
    breaker = rt.CircuitBreaker(failure_threshold=3, cooldown=10, clock=clock)
    for _ in range(2):
        breaker.allow("h")
        breaker.record("h", failed=True)
    breaker.record("h", failed=False)  # a success resets the count
    for _ in range(3):
        breaker.allow("h")
        breaker.record("h", failed=True)
    assert breaker.state("h") == "open" and breaker.state("other") == "closed"
    with pytest.raises(rt.CircuitOpenError, match="after 3 consecutive failures") as info:
        breaker.allow("h")
    assert info.value.host == "h" and info.value.retry_in == 10
    clock.now += 10
    assert breaker.state("h") == "half-open"
    breaker.allow("h")  # the probe
    with pytest.raises(rt.CircuitOpenError):
        breaker.allow("h")  # only one probe at a time
    breaker.record("h", failed=True)  # the probe failed: open for another cooldown
    assert breaker.state("h") == "open"
    clock.now += 10
    breaker.allow("h")
    breaker.record("h", failed=False)
    assert breaker.state("h") == "closed"
    breaker.allow("h")


def test_circuit_breaker_through_the_client() -> None:
    recorder = Recorder(*[httpx.Response(502)] * 4, httpx.Response(404))
    breaker = rt.CircuitBreaker(failure_threshold=4, cooldown=60)
    c = sync_client(recorder, max_retries=1, circuit_breaker=breaker)
    for _ in range(2):
        with pytest.raises(rt.InternalServerError):
            c.request(op(), {})
    with pytest.raises(rt.CircuitOpenError) as info:
        c.request(op(), {})
    assert isinstance(info.value, rt.APIError) and info.value.host == "api.test"
    assert len(recorder.requests) == 4  # nothing sent while open
    assert breaker.state("api.test") == "open"


def test_a_base_url_s_password_stays_out_of_the_circuit_error() -> None:
    """A helper's review: the breaker keyed hosts by the whole netloc, so `CircuitOpenError`'s
    message and `.host` carried `user:PASSWORD@` of the base URL."""
    breaker = rt.CircuitBreaker(failure_threshold=1, cooldown=60)
    c = sync_client(
        Recorder(httpx.Response(502)),
        max_retries=0,
        circuit_breaker=breaker,
        base_url="https://user:PASSWORD123@api.test:8443",
    )
    with pytest.raises(rt.InternalServerError):
        c.request(op(), {})
    with pytest.raises(rt.CircuitOpenError) as info:
        c.request(op(), {})
    assert info.value.host == "api.test:8443" and "PASSWORD123" not in str(info.value)
    # one origin, one breaker, however its URL is spelt (a review of the above)
    from apigen_runtime._retry import _origin_host  # pyright: ignore[reportPrivateUsage]

    spellings = ("HTTPS://API.TEST/v1", "https://api.test:443/x", "https://u:p@Api.Test")
    assert {_origin_host(u) for u in spellings} == {"api.test"}
    assert _origin_host("http://api.test:443/") == "api.test:443"


def test_a_base_url_s_scheme_in_capitals_is_a_scheme() -> None:
    """A helper's review: `HTTPS://api.test` was refused as "Need an absolute base URL"."""
    recorder = Recorder(httpx.Response(200, json={}))
    sync_client(recorder, base_url="HTTPS://api.test/v1").request(op(), {})
    assert str(recorder.requests[0].url).startswith("https://api.test/v1/")


def test_a_retry_the_breaker_refuses_gives_the_server_s_answer() -> None:
    """A helper's async review: with `failure_threshold=2` and `max_retries=5`, the call's own
    two 503s opened the circuit and the call raised `CircuitOpenError`, the 503 (and its body)
    lost. The retry is not made; the last answer is the call's error. A call starting while it
    is open still fails fast with `CircuitOpenError`."""
    recorder = Recorder(*[httpx.Response(503, json={"why": "maintenance"})] * 3)
    breaker = rt.CircuitBreaker(failure_threshold=2, cooldown=60)
    c = sync_client(recorder, max_retries=5, circuit_breaker=breaker)
    with pytest.raises(rt.InternalServerError) as info:
        c.request(op(), {})
    assert info.value.status_code == 503 and info.value.body == {"why": "maintenance"}
    assert len(recorder.requests) == 2
    with pytest.raises(rt.CircuitOpenError):
        c.request(op(), {})
    dropped = Recorder(*[httpx.ConnectError("refused")] * 3)
    c = sync_client(dropped, max_retries=5, circuit_breaker=rt.CircuitBreaker(failure_threshold=2))
    with pytest.raises(rt.APIConnectionError):
        c.request(op(), {})
    assert len(dropped.requests) == 2


def test_client_errors_do_not_open_the_circuit() -> None:
    recorder = Recorder(*[httpx.Response(400)] * 3)
    breaker = rt.CircuitBreaker(failure_threshold=2)
    c = sync_client(recorder, circuit_breaker=breaker)
    for _ in range(3):
        with pytest.raises(rt.BadRequestError):
            c.request(op(), {})
    assert breaker.state("api.test") == "closed"


def test_a_pool_timeout_says_nothing_of_the_host() -> None:
    """A helper's review: with every pooled connection held by open streams, a call's pool
    timeout counted as a host failure and opened the circuit for a healthy host. It counts
    for neither side (a probe it was is freed), and its message says what happened."""

    def pool_full(request: httpx.Request) -> httpx.Response:
        raise httpx.PoolTimeout("no free connection")

    breaker = rt.CircuitBreaker(failure_threshold=1)
    c = sync_client(pool_full, max_retries=0, circuit_breaker=breaker)
    with pytest.raises(rt.APITimeoutError, match="free pooled connection"):
        c.request(op(), {})
    assert breaker.state("api.test") == "closed"
    clock = Clock()
    probing = rt.CircuitBreaker(failure_threshold=1, cooldown=10, clock=clock)
    probing.record("h", failed=True)
    clock.now += 10
    probing.allow("h")  # the probe ...
    probing.record("h", failed=None)  # ... never left the process
    assert probing.state("h") == "half-open"
    probing.allow("h")  # another probe may go


def test_a_probe_ended_by_a_broken_body_frees_the_next_probe() -> None:
    """A helper's review: a half-open probe whose body failed to decode (raised by the driver,
    never returned to the flow), or that was cancelled, was never recorded: every call for
    another cooldown raised `CircuitOpenError ... next probe allowed in 0.0 s`."""
    import gzip

    clock = Clock()
    breaker = rt.CircuitBreaker(failure_threshold=1, cooldown=10, clock=clock)
    broken = gzip.compress(b'{"a": 1}')[:-4]  # the gzip trailer cut off
    answers = iter(
        [
            httpx.Response(500),
            httpx.Response(
                200,
                stream=httpx.ByteStream(broken),
                headers={"content-encoding": "gzip", "content-type": "application/json"},
            ),
            httpx.Response(200, json={}),
        ]
    )
    c = sync_client(lambda request: next(answers), max_retries=0, circuit_breaker=breaker)
    with pytest.raises(rt.InternalServerError):
        c.request(op(), {})
    clock.now += 10
    with pytest.raises(rt.ResponseDecodingError):
        c.request(op(), {})  # the probe: its body is broken
    assert c.request(op(), {}) == {}  # another probe goes (it was refused)
    assert breaker.state("api.test") == "closed"


def test_a_probe_never_sent_frees_the_next_probe() -> None:
    """The review of the fix above: a probe taken before the rate limiter refused it (no
    slot in time) or before its deadline passed was never freed either."""
    clock = Clock()
    breaker = rt.CircuitBreaker(failure_threshold=1, cooldown=10, clock=clock)
    answers = iter([httpx.Response(500), httpx.Response(200, json={})])
    c = sync_client(lambda request: next(answers), max_retries=0, circuit_breaker=breaker)
    with pytest.raises(rt.InternalServerError):
        c.request(op(), {})
    clock.now += 10
    with pytest.raises(rt.APITimeoutError):
        c.request(op(), {}, {"deadline": 0.0})  # the probe: out of time before it is sent
    assert c.request(op(), {}) == {}  # another probe goes
    assert breaker.state("api.test") == "closed"


# --- rate limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": 5, "per": float("nan")},  # limiting silently off
        {"rate": 5, "burst": 0},  # every call waited for ever
        {"rate": 5, "burst": -5},
        {"rate": 5, "burst": 0.5},
        {"rate": float("nan")},
        {"rate": float("inf")},
        {"rate": "5"},  # a TypeError from inside
        {"rate": 5, "max_concurrency": 0},
        {"rate": 5, "low_fraction": 1.5},
        {"rate": 5, "max_pause": float("nan")},
    ],
)
def test_rate_limit_arguments_are_checked_when_given(kwargs: dict[str, Any]) -> None:
    """Helper 224: `RateLimit(per=nan)` switched limiting off, `burst=0` made every call time
    out, `rate="5"` raised a bare TypeError: each a ValueError naming the argument now."""
    name = next(k for k in kwargs if k != "rate") if len(kwargs) > 1 else "rate"
    with pytest.raises(ValueError, match=name):
        rt.RateLimit(**kwargs)
    rt.RateLimit(rate=2.5, per=0.5, burst=1, max_pause=float("inf"))  # (all fine)


def test_a_rate_limit_or_breaker_of_another_runtime_copy_is_refused_when_given() -> None:
    """Helper 221: another generated package's `_runtime.RateLimit` was taken, and the second
    call failed with `'Sleep' object has no attribute 'deadline'`."""

    class RateLimit:  # what another package's copy looks like from here: another class
        pass

    class CircuitBreaker:
        pass

    for option, value in (("rate_limit", RateLimit()), ("circuit_breaker", CircuitBreaker())):
        with pytest.raises(TypeError, match=rf"{option} must be a \w+ of the runtime"):
            rt.SyncAPIClient(base_url="https://api.test", **{option: value})
    # a `Hooks` is a record of callables: another copy's works as this one's (helper 226)
    seen: list[str] = []

    @dataclasses.dataclass
    class Hooks:  # another copy's, as it looks from here
        before_request: list[Any] = dataclasses.field(default_factory=list)
        after_response: list[Any] = dataclasses.field(default_factory=list)
        on_error: list[Any] = dataclasses.field(default_factory=list)

        def is_async(self) -> bool:
            return False

    hooks = Hooks(after_response=[lambda response: seen.append(response.request.url.path)])
    client = sync_client(lambda r: httpx.Response(200, json={}), hooks=hooks)
    client.request(rt.Operation(method="get", path="/a", responses={}), {})
    assert seen == ["/a"]


def test_token_bucket_reservations() -> None:
    limit = rt.RateLimit(rate=10, per=1.0, burst=3)
    waits = [limit.reserve(100.0) for _ in range(6)]
    assert waits == pytest.approx([0, 0, 0, 0.1, 0.2, 0.3])
    assert limit.reserve(100.0, max_wait=0.2) == pytest.approx(0.4)  # too long: not booked
    assert limit.reserve(100.0) == pytest.approx(0.4)
    assert limit.reserve(101.0) == 0  # refilled


def test_a_call_cancelled_while_waiting_gives_its_send_time_back() -> None:
    """A helper's async review: each call cut off by its timeout while waiting for the rate
    limit kept the send time it had booked, and after ten the next call waited 10 s at one call
    a second (two requests had been sent). Closing the flow (a cancel, a timeout) gives it back,
    and the concurrency slot as before."""
    from apigen_runtime._drivers import Sleep

    limit = rt.RateLimit(rate=1, per=1.0, burst=1, max_concurrency=5)
    first = limit.acquire(None)
    with pytest.raises(StopIteration):
        next(first)  # no wait: sent at once
    for _ in range(10):  # each waits ~1 s, and is cancelled there
        waiting = limit.acquire(None)
        action = next(waiting)
        assert isinstance(action, Sleep) and 0.5 < action.seconds <= 1.0
        waiting.close()
    assert limit.reserve(time.monotonic()) <= 1.0  # not 11 s
    assert limit._in_flight == 1  # the first call's slot only: the cancelled ones gave theirs back
    limit.release()


def _waiting(limit: rt.RateLimit) -> tuple[Any, float]:
    """A call's rate-limit flow, stopped where it waits for its send time, and that wait."""
    from apigen_runtime._drivers import Sleep

    flow = limit.acquire(None)
    action = next(flow)
    assert isinstance(action, Sleep)
    return flow, action.seconds


def test_a_send_time_given_back_never_shortens_a_pause_or_doubles_up() -> None:
    """The review of the give-back: a booking is given back only while it is the latest. A
    cancelled call before later ones moved the bucket back, and a new call shared a later
    call's send time (two at once at one a second); after a 429's 30 s pause, a cancelled paced
    booking moved the pause 10 s earlier."""
    limit = rt.RateLimit(rate=1, per=1.0, burst=1)
    with pytest.raises(StopIteration):
        next(limit.acquire(None))
    waiting = [_waiting(limit) for _ in range(3)]  # about 1, 2 and 3 s
    waiting[0][0].close()  # the first is cancelled; the later two keep their times
    _, fourth = _waiting(limit)
    assert fourth > waiting[2][1] + 0.5  # not beside the third's
    paced = rt.RateLimit(adaptive=True, max_pause=60)
    low = {"X-RateLimit-Remaining": "2", "X-RateLimit-Limit": "100", "X-RateLimit-Reset": "20"}
    paced.observe(httpx.Response(200, headers=low))
    with pytest.raises(StopIteration):
        next(paced.acquire(None))
    paced.release()
    call, first_wait = _waiting(paced)
    assert 9 < first_wait <= 10
    paced.observe(httpx.Response(429, headers={"Retry-After": "30"}))
    call.close()
    _, after = _waiting(paced)
    assert after > 29  # the server's 30 s, not 20


def test_calls_cut_off_in_the_order_they_came_give_all_their_times_back() -> None:
    """The second review: giving a time back only while it was the latest gave back almost
    nothing when calls are cut off in the order they came (their timeouts): after nine, the
    next call waited 8.4 s at one call a second. The bucket moves back past every given-back
    time at its end; after a 429's pause the queued calls keep the bucket's spacing (all four
    went at the pause's end)."""
    limit = rt.RateLimit(rate=1, per=1.0, burst=1)
    with pytest.raises(StopIteration):
        next(limit.acquire(None))
    waiting = [_waiting(limit) for _ in range(9)]
    for flow, _ in waiting:  # cut off first come, first
        flow.close()
    _, after = _waiting(limit)
    assert after <= 1.0
    paused = rt.RateLimit(rate=1, per=1.0, burst=1, adaptive=True)
    paused.observe(httpx.Response(429, headers={"Retry-After": "5"}))
    queued = [_waiting(paused) for _ in range(4)]
    assert [round(w) for _, w in queued] == [5, 6, 7, 8]


def test_adaptive_pacing_from_headers() -> None:
    limit = rt.RateLimit(rate=100)
    plenty = httpx.Response(
        200,
        headers={
            "X-RateLimit-Limit": "100",
            "X-RateLimit-Remaining": "50",
            "X-RateLimit-Reset": "10",
        },
    )
    limit.observe(plenty, now=0.0)
    assert [limit.reserve(0.0) for _ in range(3)] == [0, 0, 0]
    low = httpx.Response(200, headers={"RateLimit": "limit=100, remaining=4, reset=8"})
    limit.observe(low, now=1.0)  # 4 left for 8 s: one every 2 s
    assert [limit.reserve(1.0) for _ in range(3)] == pytest.approx([0, 2, 4])
    assert limit.reserve(9.5) == 0  # the window has reset


def test_pacing_never_spaces_sends_more_than_max_pause() -> None:
    """A helper's review: 1 request left of 5,000 with an hour to the reset held the next
    call 3,599 s (2 left: 1,800 s), past `max_pause` and every timeout, without a word."""
    limit = rt.RateLimit(max_pause=60)
    low = httpx.Response(
        200,
        headers={
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "1",
            "X-RateLimit-Reset": "3600",
        },
    )
    limit.observe(low, now=0.0)
    waits = [limit.reserve(0.0) for _ in range(3)]
    assert waits == pytest.approx([0, 60, 120])


def test_429_pauses_everyone_until_retry_after() -> None:
    limit = rt.RateLimit()
    limit.observe(httpx.Response(429, headers={"Retry-After": "3"}), now=0.0)
    assert limit.reserve(1.0) == pytest.approx(2.0)
    limit = rt.RateLimit()  # a success that spends the last request of the window
    limit.observe(
        httpx.Response(200, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": "4"}), now=0.0
    )
    assert limit.reserve(1.0) == pytest.approx(3.0)
    limit = rt.RateLimit(max_pause=30)
    limit.observe(httpx.Response(429, headers={"Retry-After": "3600"}), now=0.0)
    assert limit.reserve(1.0) == 0  # too long to wait for: calls fail fast instead


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "20"}, (None, 3, 20)),
        ({"RateLimit-Limit": "60", "RateLimit-Remaining": "0", "RateLimit-Reset": "5"}, (60, 0, 5)),
        (
            {"RateLimit": '"a";r=9;t=3, "b";r=2;t=30', "RateLimit-Policy": '"a";q=10;w=3'},
            (10, 2, 30),
        ),
        ({"RateLimit": "limit=5, remaining=1, reset=2"}, (5, 1, 2)),
        ({"RateLimit-Remaining": "1", "RateLimit-Policy": "100;w=60"}, (100, 1, None)),
        ({"X-Other": "1"}, None),
    ],
)
def test_read_quota(headers: dict[str, str], expected: tuple[Any, ...] | None) -> None:
    quota = read_quota(httpx.Headers(headers))
    assert (quota and (quota.limit, quota.remaining, quota.reset)) == expected


def test_rate_limit_shared_by_threads() -> None:
    times: list[float] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            times.append(time.monotonic())
        return httpx.Response(200, json={})

    c = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        rate_limit=rt.RateLimit(rate=40, burst=2),
    )
    threads = [
        threading.Thread(target=lambda: [c.request(op(), {}) for _ in range(3)]) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(times) == 12
    # 12 requests, 2 at once then 40/s: the last cannot start before 10/40 s.
    assert max(times) - min(times) >= 10 / 40 * 0.9


async def test_concurrency_cap_across_tasks() -> None:
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json={})

    limit = rt.RateLimit(max_concurrency=3)
    async with async_client(handler, rate_limit=limit) as c:
        await asyncio.gather(*(c.request(op(), {}) for _ in range(12)))
    assert peak == 3 and limit._in_flight == 0


async def test_slots_go_in_the_order_callers_came() -> None:
    """A helper's stress review: waiters polled for a free slot, and whoever polled first took
    it: one caller waited 5 s while 183 that came after it were served. They queue now."""
    order: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        order.append(int(request.url.params["n"]))
        await asyncio.sleep(0.002)
        return httpx.Response(200, json={})

    limit = rt.RateLimit(max_concurrency=1)
    async with async_client(handler, rate_limit=limit) as c:

        async def call(n: int) -> None:
            await asyncio.sleep(n * 0.001)  # came in this order
            await c.request(op(), {}, rt.request_options(extra_query={"n": n}))

        await asyncio.gather(*(call(n) for n in range(30)))
    assert order == list(range(30)) and limit._in_flight == 0 and not limit._line


def test_concurrency_slot_released_on_errors() -> None:
    limit = rt.RateLimit(max_concurrency=1)
    recorder = Recorder(httpx.ConnectError("down"), httpx.Response(500), OK)
    c = sync_client(recorder, rate_limit=limit, max_retries=0)
    for error in (rt.APIConnectionError, rt.InternalServerError):
        with pytest.raises(error):
            c.request(op(), {})
    assert c.request(op(), {}) == {"ok": True} and limit._in_flight == 0


def test_rate_limit_wait_past_deadline_is_a_timeout() -> None:
    c = sync_client(Recorder(OK, OK), rate_limit=rt.RateLimit(rate=1, per=10))
    c.request(op(), {})
    with pytest.raises(rt.APITimeoutError, match="before sending"):
        c.request(op(), {}, {"deadline": 1.0})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"jitter": 2},
        {"jitter": -0.1},
        {"base_delay": -1},
        {"max_delay": float("nan")},
        {"max_wait": 1e12},
        {"base_delay": "1"},
    ],
)
def test_a_retry_policy_out_of_range_is_refused_when_built(kwargs: dict[str, object]) -> None:
    """A helper's review: `RetryPolicy(jitter=2)` or `base_delay=-1` failed only after a
    request had been sent (`sleep length must be non-negative`); a huge delay overflowed
    (sync) or hung (async). `max_retries` was already checked before sending."""
    with pytest.raises(ValueError, match="RetryPolicy"):
        rt.RetryPolicy(**kwargs)  # type: ignore[arg-type]
    assert rt.RetryPolicy(base_delay=0, jitter=0, max_wait=0).base_delay == 0


def _on_error_cases() -> list[tuple[str, Any, dict[str, Any], type[rt.APIError]]]:
    import gzip

    broken = gzip.compress(b'{"a": 1}')[:-4]  # the gzip trailer cut off

    def too_large(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"a": "x" * 100})

    def undecodable(request: httpx.Request) -> httpx.Response:
        headers = {"content-encoding": "gzip", "content-type": "application/json"}
        return httpx.Response(200, stream=httpx.ByteStream(broken), headers=headers)

    def token_refused(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            return httpx.Response(401, json={"error": "invalid_client"})
        return httpx.Response(200, json={})

    oauth = {
        "credentials": {"client_id": "cid", "client_secret": "s"},
        "security_schemes": {
            "oauth": rt.OAuth2ClientCredentials("client_id", "client_secret", "/token")
        },
        "default_security": (("oauth",),),
    }
    return [
        ("too large", too_large, {"max_response_bytes": 20}, rt.ResponseTooLargeError),
        ("undecodable", undecodable, {}, rt.ResponseDecodingError),
        ("token endpoint", token_refused, oauth, rt.AuthenticationError),
    ]


@pytest.mark.parametrize(("name", "handler", "kwargs", "expected"), _on_error_cases())
def test_on_error_sees_every_error_a_call_raises(
    name: str, handler: Any, kwargs: dict[str, Any], expected: type[rt.APIError]
) -> None:
    """An async review: a body past `max_response_bytes`, a broken gzip body and a token
    endpoint's refusal were raised by the driver past the flow, so `on_error` never saw them."""
    seen: list[Exception] = []
    hooks = rt.Hooks(on_error=[seen.append])
    c = sync_client(handler, max_retries=0, hooks=hooks, **kwargs)
    with pytest.raises(expected) as caught:
        c.request(op(), {})
    assert seen == [caught.value], name

    async def run() -> None:
        async with async_client(handler, max_retries=0, hooks=hooks, **kwargs) as ac:
            with pytest.raises(expected) as caught:
                await ac.request(op(), {})
        assert seen[-1] is caught.value and len(seen) == 2

    asyncio.run(run())


def test_an_open_stream_holds_its_concurrency_slot_until_closed() -> None:
    """An async review: the slot was freed once a stream's headers came, so six event streams
    were open at once under `max_concurrency=2` (an LLM API counts each until it ends)."""
    limit = rt.RateLimit(max_concurrency=1)

    class Events(httpx.SyncByteStream):  # received as read, not whole at once
        def __iter__(self) -> Iterator[bytes]:
            yield b"data: {}\n\n"

    answer = httpx.Response(200, stream=Events(), headers={"content-type": "text/event-stream"})
    recorder = Recorder(answer, httpx.Response(500), OK)
    c = sync_client(recorder, rate_limit=limit, max_retries=0)
    streaming = op(responses={"200": rt.Response(dict[str, Any], "sse")})
    stream = c.stream(streaming, {})
    assert limit._in_flight == 1  # open: still in flight
    stream.close()
    assert limit._in_flight == 0
    stream.close()  # closed twice: freed once
    assert limit._in_flight == 0
    with pytest.raises(rt.InternalServerError):  # an error's body is read: freed at once
        c.stream(streaming, {})
    assert limit._in_flight == 0 and c.request(op(), {}) == {"ok": True}


def test_a_stream_dropped_unclosed_frees_its_slot_when_collected() -> None:
    """A review of the fix above: a stream never closed held its slot for good, and with
    `max_concurrency=1` every later call waited forever."""
    import gc

    limit = rt.RateLimit(max_concurrency=1)

    class Events(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"data: {}\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/events"):
            headers = {"content-type": "text/event-stream"}
            return httpx.Response(200, stream=Events(), headers=headers)
        return httpx.Response(200, json={"ok": True})

    c = sync_client(handler, rate_limit=limit, max_retries=0)
    streaming = op(path="/events", responses={"200": rt.Response(dict[str, Any], "sse")})
    c.stream(streaming, {})  # dropped at once, never closed
    gc.collect()
    assert limit._in_flight == 0
    assert c.request(op(), {}, {"deadline": 2.0}) == {"ok": True}


def test_a_sync_hook_wrapping_an_async_function_stays_a_sync_hook() -> None:
    """A review: `functools.wraps(async_fn)` on a sync function made the sync client refuse
    the hook as async."""
    import functools

    async def audit(response: httpx.Response) -> None:
        pass

    @functools.wraps(audit)
    def sync_audit(response: httpx.Response) -> None:
        seen.append(response.status_code)

    seen: list[int] = []
    c = sync_client(Recorder(OK), hooks=rt.Hooks(after_response=[sync_audit]))
    assert c.request(op(), {}) == {"ok": True} and seen == [200]


def test_on_error_sees_a_page_that_fails_to_parse() -> None:
    """A review: a paginated call parsed its page after the flow, so `on_error` missed a body
    strict validation refused."""

    class Page(rt.Model):
        data: list[int]

    listing: rt.Operation[Any] = rt.Operation(
        method="get",
        path="/things",
        params=(rt.Param("page", "page", "query"),),
        responses={"200": rt.Response(Page, "json")},
        pagination=rt.PageNumberPagination(items="data", page_param="page"),
    )
    seen: list[Exception] = []
    c = sync_client(
        Recorder(httpx.Response(200, json={"data": ["not a number"]})),
        hooks=rt.Hooks(on_error=[seen.append]),
        strict_response_validation=True,
    )
    with pytest.raises(rt.APIResponseValidationError) as caught:
        c.paginate(listing, {})
    assert seen == [caught.value]
