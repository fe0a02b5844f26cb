"""`make overhead`: what a generated client costs per request on top of plain httpx.

Builds specs/petstore.yaml into a temporary folder and serves one keep-alive HTTP/1.1 server on
127.0.0.1. Then GET /pets/{petId} is called N times (default 2,000) sequentially through

  httpx        a plain ``httpx.Client``: ``get``, ``raise_for_status``, ``json()``
  generated    ``petstore.Client().pets.get_pet``: request building, auth, the retry flow,
               logging checks, tracing hooks and parsing into the ``Pet`` model
  + options    the same client with a rate limit (not binding), a circuit breaker, hooks and a
               rate-spike warning

in interleaved rounds (so machine noise hits all alike), printing microseconds per call, the
ratio to plain httpx and the difference. The server's own time is in every line, so the ratio
understates the client-side difference; the difference is the number to watch.

    .venv/bin/python scripts/overhead.py [-n 2000] [--rounds 4]
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

import apigen_runtime as rt
from apigen.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
PET = json.dumps(
    {"id": 7, "name": "Rex", "kind": "dog", "created_at": "2024-01-02T03:04:05Z", "tags": ["a"]}
).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: connection set-up is not what we measure

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(PET)))
        self.end_headers()
        self.wfile.write(PET)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def timed(call: Callable[[], object], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        call()
    return (time.perf_counter() - started) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per client (default 2000)")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds (default 4)")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="apigen-overhead-") as tmp:
        out = Path(tmp) / "petstore"
        build(ROOT / "specs" / "petstore.yaml", out)
        sys.path.insert(0, str(out))
        petstore: Any = importlib.import_module("petstore")

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
            "generated": lambda: generated.pets.get_pet(pet_id=7),
            "+ options": lambda: full.pets.get_pet(pet_id=7),
        }
        assert generated.pets.get_pet(pet_id=7).name == "Rex"
        for call in clients.values():  # warm up: pools, imports, pydantic schemas
            timed(call, 100)
        per_round = max(1, args.n // args.rounds)
        samples: dict[str, list[float]] = {name: [] for name in clients}
        for _ in range(args.rounds):
            for name, call in clients.items():
                samples[name].append(timed(call, per_round))
        plain.close()
        generated.close()
        full.close()
    server.shutdown()
    server.server_close()

    base = statistics.mean(samples["httpx"])
    tracing = "installed" if importlib.util.find_spec("opentelemetry") else "not installed"
    print(f"{per_round * args.rounds} sequential GETs per client, {args.rounds} interleaved rounds")
    print(f"loopback keep-alive server; opentelemetry-api {tracing}, no SDK configured")
    print(f"{'client':<12}{'us/call':>10}{'ratio':>8}{'+us/call':>10}")
    for name, values in samples.items():
        mean = statistics.mean(values)
        print(f"{name:<12}{mean:>10.0f}{mean / base:>8.2f}{mean - base:>10.0f}")


if __name__ == "__main__":
    main()
