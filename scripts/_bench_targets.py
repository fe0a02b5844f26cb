"""`make bench`, issue #10 sections: client import, first response, per-call cost, corpus fit.

Every measurement runs scripts/_bench_client.py (or `apigen build`) in a fresh subprocess of the
bench venv's python. Imports read byte code from one cache, `.venv-bench/pycache`
(PYTHONPYCACHEPREFIX; the machine sets PYTHONDONTWRITEBYTECODE, which would otherwise make every
import a compile), primed by `compileall` before anything is timed, so nothing measured compiles.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
WORKER = REPO / "scripts" / "_bench_client.py"
PYCACHE = REPO / ".venv-bench" / "pycache"
PYTHON = sys.executable
PET = {"id": 7, "name": "Rex", "kind": "dog", "created_at": "2024-01-02T03:04:05Z", "tags": ["a"]}
#: (canned-server path prefix, sandbox request) per spec: the first-response / per-call targets.
CANNED = {
    "stripe": ("/v1/customers/", "/v1/customers/cus_123", {"Authorization": "Bearer sk_bench"}),
    "github": ("/repos/octocat/", "/repos/octocat/hello-world", {}),
}
#: Stripe's default (unexpanded) customer, as the API reference documents the object: what
#: `customers.retrieve` returns unless the caller asks for `expand[]`. The sandbox draw above
#: expands every expandable field (101 models), the worst case; this is the common case.
STRIPE_DEFAULT_ID = "cus_default"
STRIPE_DEFAULT_CUSTOMER: dict[str, Any] = {
    "id": STRIPE_DEFAULT_ID,
    "object": "customer",
    "address": None,
    "balance": 0,
    "created": 1680893993,
    "currency": None,
    "default_source": None,
    "delinquent": False,
    "description": None,
    "discount": None,
    "email": "jennyrosen@example.com",
    "invoice_prefix": "0759376C",
    "invoice_settings": {
        "custom_fields": None,
        "default_payment_method": None,
        "footer": None,
        "rendering_options": None,
    },
    "livemode": False,
    "metadata": {},
    "name": "Jenny Rosen",
    "next_invoice_sequence": 1,
    "phone": None,
    "preferred_locales": [],
    "shipping": None,
    "tax_exempt": "none",
    "test_clock": None,
}
#: First-response rows: (row key, target spec, call, the stripe-python row it is compared with).
FIRST_CALLS: dict[str, tuple[str, dict[str, Any], str]] = {
    "apigen stripe": (
        "stripe",
        {"call": "customers.retrieve", "args": ["cus_123"]},
        "stripe-python",
    ),
    "apigen stripe default": (
        "stripe",
        {"call": "customers.retrieve", "args": [STRIPE_DEFAULT_ID]},
        "stripe-python default",
    ),
    "apigen github": (
        "github",
        {"call": "repos.get", "kwargs": {"owner": "octocat", "repo": "hello-world"}},
        "stripe-python",
    ),
}
#: stripe-python rows: the customer id each retrieves (the expanded draw, the default shape).
FIRST_PEERS = {"stripe-python": "cus_123", "stripe-python default": STRIPE_DEFAULT_ID}
#: The floor row: `import httpx, pydantic`, one `httpx.Client().get` of the default customer and
#: a one-field model's `model_validate_json`; what any httpx + pydantic client pays at least.
FIRST_FLOOR = "httpx + pydantic floor"
PERCALL: dict[str, dict[str, Any]] = {
    "petstore": {
        "call": "pets.get",
        "kwargs": {"pet_id": 7},
        "model": "Pet",
        "route": "/pets/7",
    },
    "stripe": {
        "call": "customers.retrieve",
        "args": ["cus_123"],
        "model": "Customer | DeletedCustomer",  # the declared return type
        "route": "/v1/customers/cus_123",
    },
}


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def prime_pycache(dirs: list[Path]) -> None:
    """Byte-compile what the workers import (site-packages, runtime, the clients) once."""
    import site
    import sysconfig

    # generator/: apigen's own source (an editable install), which a pip install byte-compiles
    roots = [Path(sysconfig.get_paths()["purelib"]), REPO / "generator", REPO / "runtime", *dirs]
    roots += [Path(p) for p in site.getsitepackages() if Path(p) not in roots]
    argv = [PYTHON, "-m", "compileall", "-q", "-j", "2", *(str(r) for r in roots if r.exists())]
    subprocess.run(argv, env=bench_env(), capture_output=True, check=False, timeout=1800)


def worker(mode: str, spec: dict[str, Any], timeout: float = 300.0) -> dict[str, Any]:
    """One fresh interpreter running `_bench_client.py MODE SPEC`; its JSON line, or an error."""
    argv = [PYTHON, str(WORKER), mode, json.dumps(spec)]
    try:
        done = subprocess.run(
            argv, env=bench_env(), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f}s"}
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        return {"error": (lines[-1] if lines else f"exit {done.returncode}")[:200]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------- canned server


def canned_bodies(shared: Path) -> dict[str, str]:
    """One drawn body per target from the apigen sandbox (seeded), plus the petstore pet."""
    from apigen.sandbox import Sandbox

    bodies = {"/pets/": json.dumps(PET)}
    for name, (prefix, path, headers) in CANNED.items():
        reply = Sandbox(shared / f"{name}.json", seed=1).handle("GET", path, headers, b"")
        if reply.status != 200:
            raise RuntimeError(f"sandbox {name} GET {path}: {reply.status}")
        bodies[prefix] = reply.body.decode()
    bodies[f"/v1/customers/{STRIPE_DEFAULT_ID}"] = json.dumps(STRIPE_DEFAULT_CUSTOMER)
    return bodies


@contextmanager
def canned_server(bodies: dict[str, str]) -> Iterator[str]:
    """A tiny keep-alive server (own process, TCP_NODELAY, one write per response)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(bodies, fh)
    argv = [PYTHON, str(WORKER), "serve", f"@{fh.name}"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=bench_env())
    try:
        assert proc.stdout is not None
        port = proc.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError("canned server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.unlink(fh.name)


# --------------------------------------------------------------------------- imports


@dataclass
class Client:
    """A generated client: the directory on sys.path and its manifest."""

    name: str
    path: Path
    package: str
    source: str  # "fresh build (temp dir)" or "generated/ (committed)"

    @classmethod
    def of(cls, name: str, path: Path, source: str) -> Client:
        """The client in `path`, its import name read from its apigen.json manifest."""
        manifest = json.loads((path / "apigen.json").read_text(encoding="utf-8"))
        return cls(name, path, str(manifest["package"]), source)

    def resources(self) -> dict[str, list[str]]:
        manifest = json.loads((self.path / "apigen.json").read_text(encoding="utf-8"))
        grouped: dict[str, list[str]] = {}
        for op in manifest["operations"]:
            resource, _, method = op["call"].rpartition(".")
            grouped.setdefault(resource, []).append(method)
        return grouped


@dataclass
class ImportBench:
    floor_cpu: list[float] = field(default_factory=list)
    per_resource: dict[str, dict[str, float]] = field(default_factory=dict)  # spec -> res -> ratio
    # every sample of a resource: (its CPU, the CPU of the floor sample taken just before it)
    samples: dict[str, dict[str, list[tuple[float, float]]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    peers: dict[str, float] = field(default_factory=dict)  # stripe-python, openai: ratio to floor
    rounds: int = 1
    confirmed: int = 0  # the highest resources of a spec sampled this many times more
    seconds: float = 0.0  # wall time of the section

    @property
    def floor(self) -> float:
        return statistics.median(self.floor_cpu)

    def ratios(self, spec: str) -> list[tuple[str, float]]:
        """Each resource's median paired ratio, highest first."""
        return sorted(self.per_resource.get(spec, {}).items(), key=lambda item: -item[1])


def bench_imports(
    clients: list[Client], limit: int | None, rounds: int = 3, top: int = 5, confirm: int = 6
) -> ImportBench:
    """Every resource in ROUNDS fresh interpreters: import + Client() + resolving its methods.

    Every sample is PAIRED with a floor sample taken in the fresh interpreter just before it, and
    a resource's figure is the median of its samples' ratios to their own floor. This shared
    machine runs in phases (the floor measured 166-307 ms CPU within one section, for a minute
    at a time), so a sample divided by a floor taken minutes away measures the phase, not the
    client; a pair taken a third of a second apart sees the same phase. The rounds are
    interleaved (every resource once, then every resource again). The TOP resources of each
    spec are then sampled CONFIRM times more: the highest of 124 three-sample medians is biased
    upward by noise alone, and the target is about the worst resource, not the worst luck.
    """
    result = ImportBench(rounds=rounds, confirmed=confirm)
    start = time.perf_counter()

    def floor() -> float | None:
        out = worker("import", {"kind": "floor"})
        if "cpu" not in out:
            return None
        result.floor_cpu.append(out["cpu"])
        return float(out["cpu"])

    def paired(spec: dict[str, Any]) -> tuple[float, float] | dict[str, Any]:
        base = floor()
        out = worker("import", spec)
        if "cpu" not in out or base is None:
            return out if "cpu" not in out else {"error": "the floor sample failed"}
        return float(out["cpu"]), base

    for kind in ("stripe-python", "openai"):
        runs = [paired({"kind": kind}) for _ in range(3)]
        ok = [r for r in runs if isinstance(r, tuple)]
        if ok:
            result.peers[kind] = statistics.median(cpu / base for cpu, base in ok)
        else:
            result.errors[kind] = str(runs[0].get("error", "?"))  # type: ignore[union-attr]
    plan = [(client, list(client.resources().items())[: limit or None]) for client in clients]
    for client, resources in plan:
        print(f"bench: imports {client.name}: {len(resources)} resources x {rounds}", flush=True)

    def sample(client: Client, resource: str, methods: list[str]) -> None:
        key = f"{client.name}.{resource}"
        if key in result.errors:
            return
        spec = {"kind": "apigen", "path": str(client.path), "package": client.package}
        out = paired({**spec, "resource": resource, "methods": methods})
        if isinstance(out, tuple):
            result.samples.setdefault(client.name, {}).setdefault(resource, []).append(out)
        else:
            result.errors[key] = str(out.get("error", "?"))

    for _ in range(rounds):
        for client, resources in plan:
            for resource, methods in resources:
                sample(client, resource, methods)

    def ratio(pairs: list[tuple[float, float]]) -> float:
        return statistics.median(cpu / base for cpu, base in pairs)

    for client, resources in plan:
        samples = result.samples.get(client.name, {})
        methods_of = dict(resources)
        ranked = sorted(samples, key=lambda r: -ratio(samples[r]))
        for _ in range(confirm):
            for resource in ranked[:top]:
                sample(client, resource, methods_of[resource])
    for client, _ in plan:
        found = result.per_resource.setdefault(client.name, {})
        for resource, pairs in result.samples.get(client.name, {}).items():
            if f"{client.name}.{resource}" not in result.errors:
                found[resource] = ratio(pairs)
        failed = sum(1 for key in result.errors if key.startswith(f"{client.name}."))
        if failed:
            first = next(v for k, v in result.errors.items() if k.startswith(f"{client.name}."))
            print(f"bench: imports {client.name}: {failed} failed, e.g. {first}", flush=True)
    result.seconds = time.perf_counter() - start
    print(f"bench: imports: {result.seconds:.0f} s wall, {rounds} samples per resource", flush=True)
    return result


# --------------------------------------------------------------------------- first response


@dataclass
class FirstBench:
    wall: dict[str, float] = field(default_factory=dict)  # kind -> median wall s
    cpu: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def bench_first(clients: dict[str, Client], url: str, repeat: int = 5) -> FirstBench:
    """Interleaved: apigen Stripe customers.retrieve (expanded draw, default shape), GitHub
    repos.get, and stripe-python's Customer.retrieve on each Stripe body."""
    specs: dict[str, dict[str, Any]] = {
        key: {"kind": "stripe-python", "url": url, "args": [cid]}
        for key, cid in FIRST_PEERS.items()
    }
    specs[FIRST_FLOOR] = {
        "kind": "floor",
        "url": url,
        "route": f"/v1/customers/{STRIPE_DEFAULT_ID}",
    }
    for key, (name, call, _peer) in FIRST_CALLS.items():
        if name in clients:
            c = clients[name]
            specs[key] = {
                "kind": "apigen",
                "path": str(c.path),
                "package": c.package,
                "url": url,
                **call,
            }
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in specs}
    for _ in range(repeat):
        for key, spec in specs.items():
            runs[key].append(worker("first", spec))
    result = FirstBench()
    for key, outs in runs.items():
        good = [o for o in outs if "wall" in o]
        if good:
            result.wall[key] = statistics.median(o["wall"] for o in good)
            result.cpu[key] = statistics.median(o["cpu"] for o in good)
        else:
            result.errors[key] = outs[0].get("error", "?")
    return result


# --------------------------------------------------------------------------- per call


@dataclass
class PerCall:
    spec: str
    mode: str
    httpx_us: float | None
    apigen_us: float | None
    error: str = ""
    #: async only: the generated client on httpx-aiohttp's transport (README "Faster transport")
    apigen_aiohttp_us: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.httpx_us and self.apigen_us:
            return self.apigen_us / self.httpx_us
        return None


def bench_percall(clients: dict[str, Client], url: str, calls: int, rounds: int) -> list[PerCall]:
    results = []
    for name, target in PERCALL.items():
        if name not in clients:
            continue
        c = clients[name]
        for mode in ("sync", "async"):
            spec = {
                "mode": mode,
                "path": str(c.path),
                "package": c.package,
                "url": url,
                "n": calls * (2 if mode == "async" else 1),
                # async: twice the interleaved rounds (half as long each): its pool swings
                # more between rounds, and the best of more short rounds is steadier
                "rounds": rounds * (2 if mode == "async" else 1),
                "concurrency": 50,
                **target,
            }
            out = worker("percall", spec, timeout=900)
            results.append(
                PerCall(
                    name,
                    mode,
                    out.get("httpx_us"),
                    out.get("apigen_us"),
                    out.get("error", ""),
                    out.get("apigen_aiohttp_us"),
                )
            )
            print(f"bench: per call {name} {mode}: {out}", flush=True)
    return results


# --------------------------------------------------------------------------- corpus


@dataclass
class CorpusRow:
    spec: str
    operations: int
    schemas: int
    cpu_s: float | None
    wall_s: float
    error: str = ""


@dataclass
class CorpusFit:
    rows: list[CorpusRow]
    slope_ms: float  # CPU ms per operation
    intercept_s: float
    r2: float
    outliers: list[tuple[CorpusRow, float]]  # (row, measured / predicted)
    profile: str = ""
    r2_ops_schemas: float = float("nan")  # CPU ~ a + b*operations + c*schemas
    coef_ops_schemas: tuple[float, float, float] = (0.0, 0.0, 0.0)  # a s, b ms/op, c ms/schema


def run_cpu(
    argv: list[str], env: dict[str, str], timeout: float
) -> tuple[int | None, float, float]:
    """(exit code or None on timeout, CPU s of the process tree it waited for, wall s)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    code = None if proc.returncode == -signal.SIGKILL and wall >= timeout else proc.returncode
    return code, usage.ru_utime + usage.ru_stime, wall


def _manifest_counts(corpus: Path) -> dict[str, tuple[int, int]]:
    import csv

    counts: dict[str, tuple[int, int]] = {}
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            counts[row["file"]] = (int(row["operations"]), int(row["schemas"]))
    return counts


def bench_corpus(
    corpus: Path, apigen: list[str], limit: int | None, timeout: float, jobs: int = 2
) -> list[CorpusRow]:
    """`apigen build` of every corpus spec, cold (fresh cache): CPU seconds and operations."""
    from concurrent.futures import ThreadPoolExecutor

    counts = _manifest_counts(corpus)
    specs = sorted(p for p in corpus.iterdir() if p.name in counts)[: limit or None]
    work = Path(tempfile.mkdtemp(prefix="apigen-bench-corpus-"))

    def one(spec: Path) -> CorpusRow:
        out = work / spec.stem
        env = {**bench_env(), "APIGEN_CACHE_DIR": str(work / f"{spec.stem}.cache")}
        argv = [*apigen, "build", str(spec), "-o", str(out), "--quiet"]
        code, cpu, wall = run_cpu(argv, env, timeout)
        ops, schemas = counts[spec.name]
        manifest = out / "apigen.json"
        if code == 0 and manifest.exists():
            ops = len(json.loads(manifest.read_text(encoding="utf-8"))["operations"])
        error = "" if code == 0 else ("timeout" if code is None else f"exit {code}")
        subprocess.run(["rm", "-rf", str(out), f"{out}.cache"], check=False)
        return CorpusRow(spec.name, ops, schemas, cpu if code == 0 else None, wall, error)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        rows = list(pool.map(one, specs))
    subprocess.run(["rm", "-rf", str(work)], check=False)
    return rows


def fit(rows: list[CorpusRow], outliers: int = 5) -> CorpusFit:
    """Least squares CPU = a + b * operations over the specs that built; r²; worst above."""
    good = [r for r in rows if r.cpu_s is not None]
    if len(good) < 2:
        return CorpusFit(rows, 0.0, 0.0, float("nan"), [])
    xs = [float(r.operations) for r in good]
    ys = [float(r.cpu_s or 0.0) for r in good]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    intercept = my - slope * mx
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    r2 = 1 - ss_res / ss_tot if ss_tot else 1.0
    scored = [
        (r, (r.cpu_s or 0.0) / max(intercept + slope * r.operations, 1e-9))
        for r in good
        if (r.cpu_s or 0.0) - (intercept + slope * r.operations) > 0
    ]
    scored.sort(key=lambda item: -((item[0].cpu_s or 0) - intercept - slope * item[0].operations))
    result = CorpusFit(rows, slope * 1000, intercept, r2, scored[:outliers])
    try:
        import numpy as np
    except ImportError:  # the bench venv has it (matplotlib); the dev venv may not
        return result
    design = np.array([[1.0, float(r.operations), float(r.schemas)] for r in good])
    coef, *_ = np.linalg.lstsq(design, np.array(ys), rcond=None)
    residual = float(((np.array(ys) - design @ coef) ** 2).sum())
    result.r2_ops_schemas = 1 - residual / ss_tot if ss_tot else 1.0
    result.coef_ops_schemas = (float(coef[0]), float(coef[1]) * 1000, float(coef[2]) * 1000)
    return result


def plot(result: CorpusFit, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    good = [r for r in result.rows if r.cpu_s is not None]
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    ax.scatter([r.operations for r in good], [r.cpu_s for r in good], s=14, alpha=0.7)
    top = max((r.operations for r in good), default=1)
    ax.plot(
        [0, top],
        [result.intercept_s, result.intercept_s + result.slope_ms / 1000 * top],
        color="C1",
        label=(
            f"fit: {result.intercept_s:.2f} s + {result.slope_ms:.1f} ms/op  (r² = {result.r2:.3f})"
        ),
    )
    for row, _ in result.outliers[:3]:
        ax.annotate(
            row.spec.removesuffix(".json")[:32], (row.operations, row.cpu_s or 0), fontsize=7
        )
    ax.set_xlabel("operations (apigen.json manifest)")
    ax.set_ylabel("apigen build CPU seconds (cold: validation + generation + ruff)")
    ax.set_title(f"Generation cost across the corpus ({len(good)} specs)")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)


def profile_build(spec: Path, apigen_module: list[str], top: int = 15) -> str:
    """cProfile of an in-process `apigen build` (cold cache), top functions by cumulative time."""
    work = Path(tempfile.mkdtemp(prefix="apigen-bench-prof-"))
    prof = work / "build.prof"
    env = {**bench_env(), "APIGEN_CACHE_DIR": str(work / "cache")}
    argv = [PYTHON, "-m", "cProfile", "-o", str(prof), *apigen_module]
    argv += ["build", str(spec), "-o", str(work / "out"), "--quiet"]
    subprocess.run(argv, env=env, capture_output=True, check=False, timeout=900)
    if not prof.exists():
        return "(no profile: the build failed)"
    sections = []
    for order, restrict in (("cumulative", "apigen/"), ("tottime", "")):
        code = (
            "import pstats, sys\n"
            "s = pstats.Stats(sys.argv[1]); s.sort_stats(sys.argv[2])\n"
            "s.print_stats(*([sys.argv[3]] if sys.argv[3] else []), int(sys.argv[4]))"
        )
        done = subprocess.run(
            [PYTHON, "-c", code, str(prof), order, restrict, str(top)],
            capture_output=True,
            text=True,
            check=False,
        )
        lines = done.stdout.splitlines()
        start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
        header = next((ln.strip() for ln in lines if "function calls" in ln), "")
        title = f"-- by {order}" + (f", {restrict} functions only" if restrict else "")
        body = [
            ln.rstrip().replace(str(REPO) + "/", "")[:160] for ln in lines[start:] if ln.strip()
        ]
        sections.append("\n".join([title + f" ({header})", *body]))
    subprocess.run(["rm", "-rf", str(work)], check=False)
    return "\n\n".join(sections)


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries the client sections compare (this venv)."""
    from importlib import metadata

    found = {}
    for dist in ("stripe", "openai", "httpx", "pydantic", "matplotlib"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "not installed"
    return found
