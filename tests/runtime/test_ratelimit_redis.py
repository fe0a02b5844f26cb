"""The Redis rate-limit backend against a real ``redis-server`` on 127.0.0.1 (random port).

``make install`` installs ``redis-server`` and ``apigen-runtime[redis]``. Without them these tests
skip locally and FAIL in CI (``CI=true``), so a missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    exe = shutil.which("redis-server") or missing("redis-server is not installed")
    try:
        import redis
    except ImportError:
        missing("the redis package is not installed (pip install 'apigen-runtime[redis]')")
    folder = tmp_path_factory.mktemp("redis")
    for _ in range(3):  # the port might be taken between picking and binding it
        port = free_port()
        args = [exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        server = subprocess.Popen(
            [*args, "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"redis://127.0.0.1:{port}/0"
        probe = redis.Redis.from_url(url, socket_timeout=1)
        for _ in range(100):
            if server.poll() is not None:
                break
            try:
                probe.ping()
            except redis.ConnectionError:
                time.sleep(0.05)
            else:
                break
        if server.poll() is None:
            break
    else:
        pytest.fail("redis-server did not start", pytrace=False)
    try:
        yield url
    finally:
        probe.close()
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


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
