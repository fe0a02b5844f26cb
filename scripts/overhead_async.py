"""`make overhead-async`: CPU per async call at a concurrency, on httpx and on a faster transport.

The server and the spec are `make overhead`'s (scripts/overhead.py): specs/petstore.yaml built
into a temporary folder, GET /pets/{petId} against a keep-alive loopback server in a child
process. ``--concurrency`` tasks (default 50) share one client and call it until ``-n`` calls
are done, for four clients, in interleaved rounds (each client's best round counts):

  httpx                plain ``httpx.AsyncClient``: ``get``, ``raise_for_status``,
                       ``Pet.model_validate_json``
  generated            ``petstore.AsyncClient().pets.get`` on httpx's own transport
  httpx + aiohttp      the plain client on httpx-aiohttp's ``AiohttpTransport``
  generated + aiohttp  the generated client with ``http_client=`` that client

Printed: this process's CPU microseconds per call (the server runs elsewhere), and the ratios
docs/decisions.md quotes: generated / httpx on each transport, and httpx's transport / aiohttp's.

    .venv/bin/python scripts/overhead_async.py [-n 2000] [--rounds 5] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from httpx_aiohttp import AiohttpTransport

from apigen.pipeline import build

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overhead import ROOT, Handler, serve  # the sibling script's server

Call = Callable[[], Awaitable[object]]


async def timed(call: Call, n: int, concurrency: int) -> float:
    """CPU microseconds per call, ``n`` calls spread over ``concurrency`` tasks."""

    async def worker(count: int) -> None:
        for _ in range(count):
            await call()

    per_task = max(1, n // concurrency)
    cpu = time.process_time()
    await asyncio.gather(*(worker(per_task) for _ in range(concurrency)))
    return (time.process_time() - cpu) / (per_task * concurrency) * 1e6


async def run(url: str, petstore: Any, args: argparse.Namespace) -> dict[str, float]:
    pet = petstore.models.Pet
    limits = httpx.Limits(max_connections=100)  # httpx's default; aiohttp's own is 100 too
    plain = httpx.AsyncClient(base_url=url, limits=limits)
    plain_fast = httpx.AsyncClient(base_url=url, transport=AiohttpTransport(limits=limits))
    http_gen = httpx.AsyncClient(limits=limits)
    http_fast = httpx.AsyncClient(transport=AiohttpTransport(limits=limits))
    generated = petstore.AsyncClient(base_url=url, api_key="k", http_client=http_gen)
    fast = petstore.AsyncClient(base_url=url, api_key="k", http_client=http_fast)

    def raw_on(client: httpx.AsyncClient) -> Call:
        async def call() -> object:
            response = await client.get("/pets/7", headers={"X-API-Key": "k"})
            response.raise_for_status()
            return pet.model_validate_json(response.content)

        return call

    clients: dict[str, Call] = {
        "httpx": raw_on(plain),
        "generated": lambda: generated.pets.get(pet_id=7),
        "httpx + aiohttp": raw_on(plain_fast),
        "generated + aiohttp": lambda: fast.pets.get(pet_id=7),
    }
    try:
        for call in clients.values():  # warm up: pools at full size, pydantic schemas
            await timed(call, 5 * args.concurrency, args.concurrency)
        best = dict.fromkeys(clients, float("inf"))
        for _ in range(args.rounds):
            for name, call in clients.items():
                best[name] = min(best[name], await timed(call, args.n, args.concurrency))
    finally:
        for http in (plain, plain_fast, http_gen, http_fast):
            await http.aclose()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per client and round")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--concurrency", type=int, default=50, help="tasks (default 50)")
    args = parser.parse_args()

    ThreadingHTTPServer.request_queue_size = 128  # 2 x 50 connections may open at once
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    child = multiprocessing.get_context("fork").Process(target=serve, args=(server,), daemon=True)
    child.start()
    server.socket.close()  # the child serves it
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory(prefix="apigen-overhead-async-") as tmp:
            out = Path(tmp) / "petstore"
            build(ROOT / "specs" / "petstore.yaml", out)
            sys.path.insert(0, str(out))
            petstore: Any = importlib.import_module("petstore")
            importlib.import_module("petstore.models")
            best = asyncio.run(run(url, petstore, args))
    finally:
        child.terminate()
        child.join(5)

    print(
        f"async, {args.concurrency} concurrent tasks, {args.n} GETs per client and round,"
        f" best of {args.rounds} interleaved rounds; client CPU us/call"
    )
    for name, value in best.items():
        print(f"  {name:<22}{value:8.0f}")
    print(f"generated / httpx, on httpx:    {best['generated'] / best['httpx']:.3f}")
    print(
        f"generated / httpx, on aiohttp:  {best['generated + aiohttp'] / best['httpx + aiohttp']:.3f}"
    )
    print(f"generated: httpx / aiohttp:     {best['generated'] / best['generated + aiohttp']:.2f}x")


if __name__ == "__main__":
    main()
