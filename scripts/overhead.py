"""`make overhead`: what a generated client costs per request on top of plain httpx.

Builds specs/petstore.yaml into a temporary folder and serves one keep-alive HTTP/1.1 server on
127.0.0.1. Then GET /pets/{petId} is called N times (default 2,000) sequentially through

  httpx        a plain ``httpx.Client``: ``get``, ``raise_for_status``, ``json()``
  generated    ``petstore.Client().pets.get``: request building, auth, the retry flow,
               logging checks, tracing hooks and parsing into the ``Pet`` model
  + options    the same client with a rate limit (not binding), a circuit breaker, hooks and a
               rate-spike warning

in interleaved rounds, so machine noise hits all alike; each client's best round counts. The
server runs in a child process, so besides wall time per call this process's CPU time per call
is the client's own cost, the steadier number on a busy machine. Printed: microseconds per call,
the ratio to plain httpx and the difference. Wall time includes the server's, so its ratio
understates the client's share.

    .venv/bin/python scripts/overhead.py [-n 2000] [--rounds 8]
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from apigen.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
PET = json.dumps(
    {"id": 7, "name": "Rex", "kind": "dog", "created_at": "2024-01-02T03:04:05Z", "tags": ["a"]}
).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: connection set-up is not what we measure

    def setup(self) -> None:
        super().setup()  # headers and body go out in two writes: no Nagle delay between them
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(PET)))
        self.end_headers()
        self.wfile.write(PET)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(server: ThreadingHTTPServer) -> None:
    server.serve_forever()


def timed(call: Callable[[], object], n: int) -> tuple[float, float]:
    """Microseconds per call: wall time and this process's CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        call()
    return (time.perf_counter() - wall) / n * 1e6, (time.process_time() - cpu) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per client (default 2000)")
    parser.add_argument("--rounds", type=int, default=8, help="interleaved rounds (default 8)")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    child = multiprocessing.get_context("fork").Process(target=serve, args=(server,), daemon=True)
    child.start()
    server.socket.close()  # the child serves it
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="apigen-overhead-") as tmp:
        out = Path(tmp) / "petstore"
        build(ROOT / "specs" / "petstore.yaml", out)
        sys.path.insert(0, str(out))
        petstore: Any = importlib.import_module("petstore")
        rt = petstore._runtime  # its runtime (vendored by default): its option classes

        plain = httpx.Client(base_url=url)

        def raw() -> object:
            response = plain.get("/pets/7", headers={"X-API-Key": "k"})
            response.raise_for_status()
            return response.json()

        generated = petstore.Client(base_url=url, api_key="k")
        full = petstore.Client(base_url=url, api_key="k")
        full._configure(  # the options the generated __init__ passes through
            rate_limit=rt.RateLimit(rate=1e6, max_concurrency=64),
            circuit_breaker=rt.CircuitBreaker(),
            hooks=rt.Hooks(before_request=[lambda r: None], after_response=[lambda r: None]),
            rate_warning=rt.RateWarning(requests=10**6, window=1.0),
        )
        clients: dict[str, Callable[[], object]] = {
            "httpx": raw,
            "generated": lambda: generated.pets.get(pet_id=7),
            "+ options": lambda: full.pets.get(pet_id=7),
        }
        assert generated.pets.get(pet_id=7).name == "Rex"
        for call in clients.values():  # warm up: pools, imports, pydantic schemas
            timed(call, 100)
        per_round = max(1, args.n // args.rounds)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in clients}
        for _ in range(args.rounds):
            for name, call in clients.items():
                samples[name].append(timed(call, per_round))
        plain.close()
        generated.close()
        full.close()
    child.terminate()
    child.join(5)

    wall0 = min(w for w, _ in samples["httpx"])
    cpu0 = min(c for _, c in samples["httpx"])
    tracing = "installed" if importlib.util.find_spec("opentelemetry") else "not installed"
    print(
        f"{per_round * args.rounds} sequential GETs per client in {args.rounds} interleaved rounds;"
        " per client the best round (least disturbed by the rest of the machine)"
    )
    print(f"loopback keep-alive server (own process); opentelemetry-api {tracing}, no SDK set up")
    print(f"{'':<12}{'--- wall time (us/call) ---':>30}{'--- client CPU (us/call) ---':>32}")
    print(
        f"{'client':<12}{'best':>10}{'ratio':>10}{'+diff':>10}{'best':>12}{'ratio':>10}{'+diff':>10}"
    )
    for name, values in samples.items():
        wall = min(w for w, _ in values)
        cpu = min(c for _, c in values)
        print(
            f"{name:<12}{wall:>10.0f}{wall / wall0:>10.2f}{wall - wall0:>10.0f}"
            f"{cpu:>12.0f}{cpu / cpu0:>10.2f}{cpu - cpu0:>10.0f}"
        )


if __name__ == "__main__":
    main()
