"""`make bench`, sandbox section: startup, keep-alive throughput, 50 concurrent clients, RSS.

Each spec's sandbox runs as `python -m apigen sandbox SPEC --port 0` (its own process, as users
run it); the load comes from this process over plain `http.client` (light, so the client side
steals little of the 2 cores). Every count is bounded and every socket has a timeout; the
server is stopped by its PID (SIGINT, then SIGKILL after a timeout).

    .venv/bin/python scripts/_bench_sandbox.py [--specs github,stripe] [--requests 1000]
                                               [--clients 50] [--per-client 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
#: A representative read per spec (a big object, drawn per request) and the headers it needs.
TARGETS: dict[str, tuple[str, dict[str, str]]] = {
    "github": ("/repos/octocat/hello-world", {}),
    "stripe": ("/v1/customers/cus_123", {"Authorization": "Bearer sk_test_bench"}),
    "petstore": ("/pet/1", {"api_key": "bench"}),
}
STARTUP_TIMEOUT_S = 60.0
IO_TIMEOUT_S = 30.0


@dataclass
class SandboxBench:
    spec: str
    startup_s: float
    seq_dynamic_rps: float
    cpu_ms_dynamic: float  # server CPU per drawn response: stable when the machine is busy
    seq_static_rps: float
    seq_invalid_rps: float
    conc_clients: int
    conc_requests: int
    conc_rps: float
    conc_errors: int
    conc_non_2xx: int
    rss_mb: float
    peak_rss_mb: float


def _rss_mb(pid: int) -> tuple[float, float]:
    fields: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return fields.get("VmRSS", float("nan")), fields.get("VmHWM", float("nan"))


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sequential(host: str, port: int, path: str, headers: dict[str, str], count: int) -> float:
    """Requests per second on ONE kept-alive connection (fails loudly on a non-2xx)."""
    connection = http.client.HTTPConnection(host, port, timeout=IO_TIMEOUT_S)
    try:
        for _ in range(min(20, count)):  # warm-up: lazy per-operation compilation
            connection.request("GET", path, headers=headers)
            connection.getresponse().read()
        started = time.perf_counter()
        for _ in range(count):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 500:
                raise RuntimeError(f"GET {path}: {response.status}")
        return count / (time.perf_counter() - started)
    finally:
        connection.close()


def _concurrent(
    host: str, port: int, path: str, headers: dict[str, str], clients: int, per_client: int
) -> tuple[float, int, int]:
    """(req/s, connection errors, non-2xx answers) for `clients` threads, each its own socket."""
    errors = 0
    non_2xx = 0
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client() -> None:
        nonlocal errors, non_2xx
        bad = failed = 0
        try:
            start.wait(timeout=IO_TIMEOUT_S)
            connection = http.client.HTTPConnection(host, port, timeout=IO_TIMEOUT_S)
            try:
                for _ in range(per_client):
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    bad += not 200 <= response.status < 300
            finally:
                connection.close()
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError):
            failed = 1
        with lock:
            errors += failed
            non_2xx += bad

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait(timeout=IO_TIMEOUT_S)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=IO_TIMEOUT_S * 4)
    elapsed = time.perf_counter() - started
    return clients * per_client / elapsed, errors, non_2xx


def bench_one(name: str, spec: Path, requests: int, clients: int, per_client: int) -> SandboxBench:
    path, headers = TARGETS.get(name, ("/", {}))
    argv = [sys.executable, "-m", "apigen", "sandbox", str(spec), "--port", "0", "--seed", "1"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
    started = time.perf_counter()
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        url = None
        while time.perf_counter() - started < STARTUP_TIMEOUT_S:
            line = process.stderr.readline()
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:\d+\S*", line)
            if found:
                url = found.group(0)
                break
        startup = time.perf_counter() - started
        if url is None:
            raise RuntimeError(f"sandbox for {spec} did not start")
        # keep draining stderr (the sandbox logs each request) so the pipe never blocks it
        threading.Thread(target=lambda: [None for _ in process.stderr or ()], daemon=True).start()
        parts = urlsplit(url)
        host, port, prefix = parts.hostname or "127.0.0.1", parts.port or 80, parts.path
        target = prefix + path
        _sequential(host, port, target, headers, 20)  # warm-up outside the CPU window
        cpu_before = _cpu_s(process.pid)
        dynamic = _sequential(host, port, target, headers, requests)
        cpu_dynamic = (_cpu_s(process.pid) - cpu_before) / (requests + min(20, requests)) * 1000
        static = _sequential(host, port, target, {**headers, "Prefer": "dynamic=false"}, requests)
        invalid = _sequential(host, port, prefix + "/no/such/path", headers, requests)
        conc_rps, errors, non_2xx = _concurrent(host, port, target, headers, clients, per_client)
        rss, peak = _rss_mb(process.pid)
        return SandboxBench(
            name,
            round(startup, 2),
            round(dynamic, 1),
            round(cpu_dynamic, 2),
            round(static, 1),
            round(invalid, 1),
            clients,
            clients * per_client,
            round(conc_rps, 1),
            errors,
            non_2xx,
            round(rss, 1),
            round(peak, 1),
        )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def render(results: list[SandboxBench]) -> str:
    header = (
        "| spec | startup s | seq req/s drawn | server CPU ms/drawn | seq req/s static "
        "| seq req/s 404 "
        "| concurrent clients x req | conc req/s | conn errors | non-2xx | RSS MB | peak RSS MB |"
    )
    rule = "|" + "---|" * 12
    rows = [
        f"| {r.spec} | {r.startup_s} | {r.seq_dynamic_rps} | {r.cpu_ms_dynamic} "
        f"| {r.seq_static_rps} "
        f"| {r.seq_invalid_rps} | {r.conc_clients} x {r.conc_requests // r.conc_clients} "
        f"| {r.conc_rps} | {r.conc_errors} | {r.conc_non_2xx} | {r.rss_mb} | {r.peak_rss_mb} |"
        for r in results
    ]
    return "\n".join([header, rule, *rows])


def run(
    specs: list[tuple[str, Path]], requests: int = 1000, clients: int = 50, per_client: int = 20
) -> list[SandboxBench]:
    results = []
    for name, spec in specs:
        print(f"bench: sandbox {name}", flush=True)
        results.append(bench_one(name, spec, requests, clients, per_client))
    return results


def as_json(results: list[SandboxBench]) -> list[dict[str, object]]:
    return [asdict(r) for r in results]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--specs", default="github,stripe")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    args = parser.parse_args(argv)
    shared = Path(os.environ.get("APIGEN_SHARED_SPECS") or REPO.parent / "shared" / "specs")
    specs = []
    for name in (n.strip() for n in args.specs.split(",") if n.strip()):
        path = shared / f"{name}.json"
        if not path.is_file():
            path = shared / f"{name}.yaml"
        specs.append((name, path))
    print(render(run(specs, args.requests, args.clients, args.per_client)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
