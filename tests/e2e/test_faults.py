"""Generated Stripe and GitHub clients, sync and async, against a loopback server that injects
faults: connection resets, 5xx, slow headers, trickling bodies, 429 + Retry-After."""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import itertools
import json
import logging
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import on_path


def runtime(pkg: ModuleType) -> Any:
    """The runtime `pkg` runs on (its vendored copy, or the shared apigen_runtime behind the
    `_runtime` shim): its classes are the ones the client raises and checks."""
    return pkg._runtime


def logger_name(pkg: ModuleType) -> str:
    """The runtime's logger: its package name (`apigen_runtime`, or `<pkg>._runtime`)."""
    return str(pkg.Client.__mro__[1].__module__)


CUSTOMER = {"object": "customer", "created": 1700000000, "livemode": False}


@dataclass
class Seen:
    at: float
    method: str
    path: str
    target: str  # path and query
    headers: dict[str, str]
    body: bytes


class FaultServer:
    """Answers Stripe- and GitHub-shaped requests; ``faults`` scripts the next answers:
    ``reset`` (RST before answering), ``reset-after`` (do the work, then RST), ``500``/``502``/
    ``503``, ``429:<seconds>``, ``429-date:<seconds>``, ``slow:<seconds>`` (headers late),
    ``trickle:<seconds>x<chunks>`` (body a byte at a time), ``ok``. POSTs are deduplicated by
    ``Idempotency-Key``: a replay returns the stored answer without a second side effect."""

    def __init__(self) -> None:
        self.faults: deque[str] = deque()
        self.seen: list[Seen] = []
        self.effects = 0
        self.ok_headers: dict[str, str] = {}
        self._done: dict[str, tuple[str, bytes]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                app.handle(self)

            do_POST = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FaultServer:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def calls(self, method: str = "", path: str = "") -> list[Seen]:
        return [s for s in self.seen if s.method.startswith(method) and s.path.startswith(path)]

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        path = h.path.split("?")[0]
        with self._lock:
            self.seen.append(Seen(time.monotonic(), h.command, path, h.path, dict(h.headers), body))
            fault = self.faults.popleft() if self.faults else "ok"
        kind, _, arg = fault.partition(":")
        if kind == "reset":
            return self._reset(h)
        if kind in ("500", "502", "503"):
            return self._send(h, int(kind), "application/json", b'{"error": {"message": "boom"}}')
        if kind == "429":
            return self._send(h, 429, "application/json", b"{}", {"Retry-After": arg})
        if kind == "429-date":
            when = email.utils.formatdate(time.time() + float(arg), usegmt=True)
            return self._send(h, 429, "application/json", b"{}", {"Retry-After": when})
        if kind == "slow" and self._stop.wait(float(arg)):
            return
        content_type, payload = self._answer(h, path, body)
        if kind == "reset-after":
            return self._reset(h)
        if kind == "trickle":
            seconds, chunks = arg.split("x")
            return self._send(h, 200, content_type, b"x" * int(chunks), trickle=float(seconds))
        self._send(h, 200, content_type, payload, self.ok_headers)

    def _answer(self, h: BaseHTTPRequestHandler, path: str, body: bytes) -> tuple[str, bytes]:
        key = h.headers.get("Idempotency-Key")
        with self._lock:
            if h.command == "POST" and key in self._done:
                return self._done[key]  # a replay: no second side effect
            if h.command == "POST":
                self.effects += 1
            n = self.effects
        if path == "/v1/customers":
            answer = ("application/json", json.dumps({**CUSTOMER, "id": f"cus_{n}"}).encode())
        elif path.startswith("/v1/customers/"):
            customer = {**CUSTOMER, "id": path.rsplit("/", 1)[1]}
            answer = ("application/json", json.dumps(customer).encode())
        elif path == "/markdown":
            answer = ("text/html", f"<p>rendered {n}</p>".encode())
        elif path == "/emojis":
            answer = ("application/json", b'{"+1": "https://github.githubassets.com/+1.png"}')
        else:
            answer = ("text/plain", b"Keep it logically awesome.")
        if h.command == "POST" and key:
            with self._lock:
                self._done[key] = answer
        return answer

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        content_type: str,
        payload: bytes,
        headers: dict[str, str] | None = None,
        trickle: float = 0.0,
    ) -> None:
        h.send_response(status)
        for name, value in {"Content-Type": content_type, **(headers or {})}.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        try:
            if not trickle:
                h.wfile.write(payload)
                return
            h.wfile.flush()
            for byte in payload:
                if self._stop.wait(trickle):
                    return
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
        except OSError:
            pass  # the client gave up

    def _reset(self, h: BaseHTTPRequestHandler) -> None:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as s:
        yield s


@pytest.fixture(scope="module")
def stripe(built: dict[str, Path]) -> Iterator[ModuleType]:
    with on_path(built["stripe"], "stripe") as pkg:
        yield pkg


@pytest.fixture(scope="module")
def github(built: dict[str, Path]) -> Iterator[ModuleType]:
    with on_path(built["github"], "github") as pkg:
        yield pkg


def make(
    cls: type[Any], server: FaultServer, sleeps: list[float] | None = None, **kwargs: Any
) -> Any:
    """Build a generated client pointed at the fault server (options go to its ``__init__``)."""
    client = cls(base_url=server.url, **kwargs)
    if sleeps is not None:  # record back-off waits instead of sleeping
        if inspect.iscoroutinefunction(client.close):

            async def sleep(seconds: float) -> None:
                sleeps.append(seconds)

            client._sleep = sleep
        else:
            client._sleep = sleeps.append
    return client


def assert_under(times: list[float], rate: float, burst: int, slack: float = 0.03) -> None:
    """No stretch of the sorted send times holds more requests than the bucket allows;
    ``slack``: how late a thread or task may reach the wire after its slot on a busy machine."""
    times = sorted(times)
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            assert j - i + 1 <= burst + (times[j] - times[i] + slack) * rate


# --- faults ---------------------------------------------------------------------------------


def test_stripe_create_survives_faults_with_one_side_effect(
    stripe: ModuleType, server: FaultServer
) -> None:
    # Issue 8: Stripe's spec does not declare its Idempotency-Key header, so a POST carries a
    # key (and is resent after it may have arrived) only once the client is told the API
    # honours one.
    sleeps: list[float] = []
    client = make(
        stripe.Client,
        server,
        sleeps,
        api_key="sk_test_1",
        max_retries=4,
        idempotency_header="Idempotency-Key",
    )
    server.faults.extend(["reset-after", "reset", "503", "429:1"])
    customer = client.customers.create(email="jenny@example.com")
    assert isinstance(customer, stripe.models.Customer) and customer.id == "cus_1"
    posts = server.calls("POST", "/v1/customers")
    assert len(posts) == 5 and server.effects == 1
    assert len({p.headers["Idempotency-Key"] for p in posts}) == 1
    assert [p.headers["X-Retry-Count"] for p in posts] == ["0", "1", "2", "3", "4"]
    assert len(sleeps) == 4 and sleeps[3] == 1.0 and all(0 <= s <= 4 for s in sleeps[:3])
    # The next call is a new operation: a new key and its own side effect.
    assert client.customers.create(email="b@example.com").id == "cus_2"
    assert len({p.headers["Idempotency-Key"] for p in server.calls("POST")}) == 2


async def test_async_github_post_is_never_duplicated(
    github: ModuleType, server: FaultServer
) -> None:
    # Issue 8 (this test used to expect the POST resent under an Idempotency-Key GitHub
    # ignores): a POST that may have reached the server is not resent, and carries no key.
    sleeps: list[float] = []
    client = make(github.AsyncClient, server, sleeps)
    async with client:
        server.faults.extend(["reset-after"])
        with pytest.raises(runtime(github).APIConnectionError):
            await client.markdown.render(text="**hi**")
        assert server.effects == 1
        server.faults.extend(["502"])
        with pytest.raises(runtime(github).APIStatusError):
            await client.markdown.render(text="**hi**")  # not resent either
        html = await client.markdown.render(text="**hi**")
    assert html == "<p>rendered 2</p>" and server.effects == 2 and sleeps == []
    posts = server.calls("POST", "/markdown")
    assert len(posts) == 3 and json.loads(posts[0].body) == {"text": "**hi**"}
    assert all(k.lower() != "idempotency-key" for p in posts for k in p.headers)


def test_429_retry_after_http_date(github: ModuleType, server: FaultServer) -> None:
    sleeps: list[float] = []
    client = make(github.Client, server, sleeps)
    server.faults.extend(["429-date:3"])
    assert client.meta.get_zen() == "Keep it logically awesome."
    assert len(server.calls("GET", "/zen")) == 2 and 1 <= sleeps[0] <= 3


def test_gives_up_with_the_typed_error(stripe: ModuleType, server: FaultServer) -> None:
    client = make(stripe.Client, server, [], api_key="sk_test_1")
    server.faults.extend(["500", "502", "503", "ok"])
    with pytest.raises(runtime(stripe).InternalServerError) as info:
        client.customers.retrieve(customer="cus_9")
    assert info.value.status_code == 503 and len(server.seen) == 3
    assert client.customers.retrieve(customer="cus_9").id == "cus_9"  # the server recovered


def test_read_timeout_is_retried(github: ModuleType, server: FaultServer) -> None:
    client = make(github.Client, server, [], timeout=0.3)
    server.faults.extend(["slow:2"])
    started = time.monotonic()
    assert client.meta.get_zen() == "Keep it logically awesome."
    assert len(server.seen) == 2 and time.monotonic() - started < 1.5


async def test_deadline_bounds_a_trickling_body(github: ModuleType, server: FaultServer) -> None:
    for cls in (github.Client, github.AsyncClient):
        client = make(cls, server, [], timeout=5.0, deadline=0.4)
        server.faults.extend(["trickle:0.05x40"] * 3)
        started = time.monotonic()
        with pytest.raises(runtime(github).APITimeoutError):
            result = client.meta.get_zen()
            if inspect.isawaitable(result):
                await result
        assert time.monotonic() - started < 1.8  # the whole body takes 2 s
        server.faults.clear()


def test_circuit_breaker_opens_for_the_host(stripe: ModuleType, server: FaultServer) -> None:
    breaker = runtime(stripe).CircuitBreaker(failure_threshold=3, cooldown=60)
    client = make(stripe.Client, server, [], api_key="sk_test_1", circuit_breaker=breaker)
    server.faults.extend(["500", "reset", "503"])
    with pytest.raises(runtime(stripe).InternalServerError):
        client.customers.retrieve(customer="cus_1")
    with pytest.raises(runtime(stripe).CircuitOpenError, match=r"127\.0\.0\.1"):
        client.customers.retrieve(customer="cus_1")
    assert len(server.seen) == 3


# --- rate limits ----------------------------------------------------------------------------


def test_measured_rate_stays_under_the_limit(github: ModuleType, server: FaultServer) -> None:
    sent: list[float] = []  # when each request left the client, after the limiter

    def on_send(request: httpx.Request) -> None:
        sent.append(time.monotonic())

    client = make(
        github.Client,
        server,
        rate_limit=runtime(github).RateLimit(rate=25, per=1.0, burst=1),
        http_client=httpx.Client(event_hooks={"request": [on_send]}),
    )
    threads = [
        threading.Thread(target=lambda: [client.emojis.get() for _ in range(5)]) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(sent) == 15
    # Threads can reach the wire up to a scheduler slice after their slot on a loaded 2-core
    # machine; an unlimited client would send all 15 at once and still fail by far.
    assert_under(sent, rate=25, burst=1, slack=0.1)
    assert (len(sent) - 1) / (max(sent) - min(sent)) <= 25 * 1.05
    arrived = [s.at for s in server.seen]  # the server's view, with scheduling noise
    assert (len(arrived) - 1) / (max(arrived) - min(arrived)) <= 25 * 1.1


async def test_async_rate_and_concurrency_limits(stripe: ModuleType, server: FaultServer) -> None:
    sent: list[float] = []

    async def on_send(request: httpx.Request) -> None:
        sent.append(time.monotonic())

    limit = runtime(stripe).RateLimit(rate=40, burst=2, max_concurrency=2)
    http = httpx.AsyncClient(event_hooks={"request": [on_send]})
    client = make(
        stripe.AsyncClient, server, api_key="sk_test_1", rate_limit=limit, http_client=http
    )
    async with http:
        customers = await asyncio.gather(
            *(client.customers.retrieve(customer=f"cus_{i}") for i in range(10))
        )
    assert [c.id for c in customers] == [f"cus_{i}" for i in range(10)]
    assert len(server.seen) == 10
    assert_under(sent, rate=40, burst=2)


def test_adaptive_slowdown_before_a_429(github: ModuleType, server: FaultServer) -> None:
    server.ok_headers = {
        "RateLimit-Limit": "60",
        "RateLimit-Remaining": "2",
        "RateLimit-Reset": "0.3",
    }
    times: list[float] = []
    http = httpx.Client(event_hooks={"request": [lambda request: times.append(time.monotonic())]})
    client = make(
        github.Client, server, rate_limit=runtime(github).RateLimit(rate=1000), http_client=http
    )
    for _ in range(4):
        client.meta.get_zen()
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps[1:]) >= 0.12  # 2 left for 0.3 s: one every 0.15 s
    assert max(gaps) < 0.5


# --- logs -----------------------------------------------------------------------------------


def test_debug_logs_carry_no_secrets(
    stripe: ModuleType, github: ModuleType, server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=logger_name(stripe))
    caplog.set_level(logging.DEBUG, logger=logger_name(github))
    secrets = ["sk_live_SECRETKEY", "ghp_SECRETTOKEN", "SECRETQUERY", "SECRETPASSWORD"]
    server.faults.extend(["503"])
    # The POST is resent only because the client is told Stripe honours Idempotency-Key (issue 8).
    client = make(
        stripe.Client, server, [], api_key=secrets[0], idempotency_header="Idempotency-Key"
    )
    client.customers.create(email="a@example.com", extra_body={"password": secrets[3]})
    assert server.seen[0].headers["Authorization"].startswith("Basic ")
    gh = make(github.Client, server, [], default_headers={"Authorization": f"token {secrets[1]}"})
    gh.meta.get_zen(extra_query={"access_token": secrets[2]})
    assert secrets[2] in server.seen[-1].target  # sent, but ...
    formatter = runtime(stripe).JSONFormatter()
    text = caplog.text + "".join(formatter.format(r) for r in caplog.records)
    for secret in secrets:
        assert secret not in text  # ... never logged
    outcomes = [r.__dict__ for r in caplog.records if hasattr(r, "status")]
    assert [(o["method"], o["path"], o["status"], o["attempt"]) for o in outcomes] == [
        ("POST", "/v1/customers", 503, 1),
        ("POST", "/v1/customers", 200, 2),
        ("GET", "/zen", 200, 1),
    ]
