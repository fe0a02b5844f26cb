"""The Redis rate-limit backend against a real ``redis-server`` on 127.0.0.1 (random port).

``make install`` installs ``redis-server`` and ``apigen-runtime[redis]``. Without them these tests
skip locally and FAIL in CI (``CI=true``), so a missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest

import apigen_runtime as rt

from .conftest import op


def missing(what: str) -> NoReturn:
    message = f"{what}; `make install` sets it up"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_redis(folder: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """A ``redis-server`` on a free port of 127.0.0.1 that answers ``PING`` (``extra``: options)."""
    exe = shutil.which("redis-server") or missing("redis-server is not installed")
    try:
        import redis
    except ImportError:
        missing("the redis package is not installed (pip install 'apigen-runtime[redis]')")
    for _ in range(3):  # the port might be taken between picking and binding it
        port = free_port()
        args = [exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        server = subprocess.Popen(
            [*args, "--dir", str(folder), *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        probe = redis.Redis.from_url(url, socket_timeout=1)
        try:
            for _ in range(100):
                if server.poll() is not None:
                    break
                try:
                    probe.ping()
                except (redis.AuthenticationError, redis.ResponseError):  # --requirepass: it is up
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
                else:
                    break
        finally:
            probe.close()
        if server.poll() is None:
            return server, url
    pytest.fail("redis-server did not start", pytrace=False)


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.kill(server.pid, signal.SIGCONT)  # in case a test left it stopped
        server.terminate()
    try:
        server.wait(5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(5)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server, url = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield url
    finally:
        stop(server)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A server of the test's own, to stop or freeze by its PID."""
    server, url = start_redis(tmp_path)
    try:
        yield server, url
    finally:
        stop(server)


def assert_under(times: list[float], rate: float, burst: int, slack: float = 0.03) -> None:
    """No stretch of the sorted send times holds more requests than the bucket allows;
    ``slack``: how late a thread or task may reach the wire after its slot on a busy machine."""
    times = sorted(times)
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            allowed = burst + (times[j] - times[i] + slack) * rate
            assert j - i + 1 <= allowed, f"{j - i + 1} sends in {times[j] - times[i]:.3f} s"


def test_two_budgets_share_one_redis_key(redis_url: str) -> None:
    key = f"test:{uuid.uuid4()}"
    times: list[float] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            times.append(time.monotonic())
        return httpx.Response(200, json={})

    def client() -> rt.SyncAPIClient:  # as if in its own process: its own RateLimit and pool
        backend = rt.RedisRateLimit.from_url(redis_url, key)
        return rt.SyncAPIClient(
            base_url="https://api.test",
            http_client=httpx.Client(transport=httpx.MockTransport(handler)),
            rate_limit=rt.RateLimit(rate=50, per=1.0, burst=2, backend=backend),
        )

    clients = [client(), client()]
    threads = [
        threading.Thread(target=lambda c=c: [c.request(op(), {}) for _ in range(5)])
        for c in clients
        for _ in range(2)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(times) == 20
    assert_under(times, rate=50, burst=2)
    assert time.monotonic() - started >= (20 - 2) / 50 * 0.9


def test_processes_share_one_budget(redis_url: str) -> None:
    key = f"test:{uuid.uuid4()}"
    script = (
        "import sys, time\n"
        "from apigen_runtime import RedisRateLimit\n"
        "backend = RedisRateLimit.from_url(sys.argv[1], sys.argv[2])\n"
        "for _ in range(8):\n"
        "    print(time.time() + backend.reserve(0.02, 2, 1e9))\n"
    )
    cmd = [sys.executable, "-c", script, redis_url, key]
    children = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    backend = rt.RedisRateLimit.from_url(redis_url, key)
    mine = [time.time() + float(backend.reserve(0.02, 2, 1e9)) for _ in range(8)]  # type: ignore[arg-type]
    theirs = [float(line) for c in children for line in c.communicate(timeout=30)[0].split()]
    assert len(theirs) == 16
    assert_under(mine + theirs, rate=50, burst=2, slack=0.02)


def test_wait_beyond_max_wait_takes_nothing(redis_url: str) -> None:
    backend = rt.RedisRateLimit.from_url(redis_url, f"test:{uuid.uuid4()}")
    assert backend.reserve(10.0, 1, 1e9) == 0  # the one token
    assert 9 < backend.reserve(10.0, 1, 1.0) <= 10  # would wait ~10 s: refused, not booked
    assert 9 < backend.reserve(10.0, 1, 1e9) <= 10  # so the next caller still gets that slot


async def test_async_client_with_async_redis(redis_url: str) -> None:
    times: list[float] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        return httpx.Response(200, json={})

    backend = rt.RedisRateLimit.from_url(redis_url, f"test:{uuid.uuid4()}", asyncio=True)
    client = rt.AsyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        rate_limit=rt.RateLimit(rate=40, burst=1, backend=backend),
    )
    async with client:
        await asyncio.gather(*(client.request(op(), {}) for _ in range(8)))
    await backend.redis.aclose()
    assert len(times) == 8
    assert_under(times, rate=40, burst=1)


def test_async_backend_needs_the_async_client(redis_url: str) -> None:
    backend: Any = rt.RedisRateLimit.from_url(redis_url, f"test:{uuid.uuid4()}", asyncio=True)
    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))),
        rate_limit=rt.RateLimit(rate=10, backend=backend),
    )
    with pytest.raises(TypeError, match="async client"):
        client.request(op(), {})


# --- Redis failing: every call raises RateLimitBackendError (an APIError), sync and async ----


def closed_port_url() -> str:
    """A port that was just bound and closed: nothing listens there."""
    return f"redis://127.0.0.1:{free_port()}/0"


def call_sync(backend: rt.RedisRateLimit) -> list[httpx.Request]:
    """One call through a sync client limited by ``backend``; the requests that reached the wire."""
    sent: list[httpx.Request] = []
    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))
        ),
        rate_limit=rt.RateLimit(rate=100, backend=backend),
        max_retries=0,
    )
    with client:
        client.request(op(), {})
    return sent


async def call_async(backend: rt.RedisRateLimit) -> list[httpx.Request]:
    sent: list[httpx.Request] = []
    client = rt.AsyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.AsyncClient(
            transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))
        ),
        rate_limit=rt.RateLimit(rate=100, backend=backend),
        max_retries=0,
    )
    async with client:
        await client.request(op(), {})
    return sent


MakeBackend = Callable[..., rt.RedisRateLimit]


@pytest.fixture
async def backend_for() -> AsyncIterator[MakeBackend]:
    """``backend_for(url, is_async, **options)``: a backend with 0.5 s timeouts, closed after."""
    made: list[rt.RedisRateLimit] = []

    def make(url: str, is_async: bool, **kwargs: Any) -> rt.RedisRateLimit:
        key = f"test:{uuid.uuid4()}"
        made.append(rt.RedisRateLimit.from_url(url, key, asyncio=is_async, timeout=0.5, **kwargs))
        return made[-1]

    yield make
    for backend in made:
        closing = backend.redis.aclose() if hasattr(backend.redis, "aclose") else None
        if closing is not None:
            await closing
        else:
            backend.redis.close()


async def raises_backend_error(backend: rt.RedisRateLimit, is_async: bool) -> BaseException:
    """The call fails with RateLimitBackendError, quickly, having sent nothing."""
    sent: list[httpx.Request] = []
    started = time.monotonic()
    with pytest.raises(rt.RateLimitBackendError) as info:
        if is_async:
            sent = await call_async(backend)
        else:
            sent = call_sync(backend)
    assert time.monotonic() - started < 5
    assert sent == []
    assert isinstance(info.value, rt.APIError)
    assert "nothing was sent" in str(info.value)
    cause = info.value.__cause__
    assert cause is not None
    assert type(cause).__module__.startswith("redis"), repr(cause)  # the Redis error, kept
    return cause


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_nothing_listening_raises_api_error(
    backend_for: MakeBackend, redis_url: str, is_async: bool
) -> None:
    import redis

    backend = backend_for(closed_port_url(), is_async)
    assert isinstance(await raises_backend_error(backend, is_async), redis.ConnectionError)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_server_killed_mid_run_raises_api_error(
    backend_for: MakeBackend, own_redis: tuple[subprocess.Popen[bytes], str], is_async: bool
) -> None:
    import redis

    server, url = own_redis
    backend = backend_for(url, is_async)
    assert len(await call_async(backend) if is_async else call_sync(backend)) == 1
    os.kill(server.pid, signal.SIGKILL)
    server.wait(5)
    for _ in range(2):  # the pooled connection dies, then reconnecting is refused
        assert isinstance(await raises_backend_error(backend, is_async), redis.ConnectionError)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_frozen_server_times_out_as_api_error(
    backend_for: MakeBackend, own_redis: tuple[subprocess.Popen[bytes], str], is_async: bool
) -> None:
    import redis

    server, url = own_redis
    backend = backend_for(url, is_async)
    assert len(await call_async(backend) if is_async else call_sync(backend)) == 1
    os.kill(server.pid, signal.SIGSTOP)  # accepts nothing, answers nothing: only a timeout ends it
    try:
        cause = await raises_backend_error(backend, is_async)
    finally:
        os.kill(server.pid, signal.SIGCONT)
    assert isinstance(cause, redis.TimeoutError | redis.ConnectionError)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_wrong_password_raises_api_error(
    backend_for: MakeBackend, tmp_path: Path, is_async: bool
) -> None:
    import redis

    server, url = start_redis(tmp_path, "--requirepass", "s3cret")
    try:
        bad = url.replace("redis://", "redis://:wrong@")
        cause = await raises_backend_error(backend_for(bad, is_async), is_async)
        assert isinstance(cause, redis.AuthenticationError | redis.ResponseError)
        cause = await raises_backend_error(backend_for(url, is_async), is_async)  # no password
        assert isinstance(cause, redis.AuthenticationError | redis.ResponseError)
    finally:
        stop(server)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_script_error_raises_api_error(
    backend_for: MakeBackend, redis_url: str, is_async: bool
) -> None:
    import redis

    backend = backend_for(redis_url, is_async)
    with redis.Redis.from_url(redis_url) as r:
        r.hset(backend.key, "not", "a bucket")  # the script's GET fails: WRONGTYPE
    assert isinstance(await raises_backend_error(backend, is_async), redis.ResponseError)


def test_from_url_bounds_every_redis_call() -> None:
    """A Redis that stops answering must not hold calls forever: ``from_url`` sets timeouts."""
    for is_async in (False, True):
        backend = rt.RedisRateLimit.from_url(closed_port_url(), asyncio=is_async)
        options = backend.redis.connection_pool.connection_kwargs
        assert options["socket_timeout"] == options["socket_connect_timeout"] == 2.0


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_fail_open_sends_unlimited_and_warns_once(
    backend_for: MakeBackend,
    own_redis: tuple[subprocess.Popen[bytes], str],
    is_async: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, url = own_redis
    backend = backend_for(url, is_async, fail_open=True)
    caplog.set_level(logging.INFO, logger="apigen_runtime")
    assert len(await call_async(backend) if is_async else call_sync(backend)) == 1
    os.kill(server.pid, signal.SIGSTOP)
    try:
        for _ in range(2):  # each waits out the 0.5 s timeout, then sends unlimited
            assert len(await call_async(backend) if is_async else call_sync(backend)) == 1
    finally:
        os.kill(server.pid, signal.SIGCONT)
    warnings = [r for r in caplog.records if "without the shared rate limit" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING  # once per outage
    assert len(await call_async(backend) if is_async else call_sync(backend)) == 1
    assert any("answers again" in r.getMessage() for r in caplog.records)
