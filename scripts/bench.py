"""`make bench`: every issue #10 ratio against its target, in one run (PASS/FAIL table).

Run by `make bench` in `.venv-bench` (scripts/bench-requirements.txt). Sections: generate (below),
sandbox (scripts/_bench_sandbox.py), imports / first / percall / corpus
(scripts/_bench_targets.py, each measurement a fresh interpreter running
scripts/_bench_client.py). At the end it prints the targets table and rewrites the generated
block of docs/benchmarks.md (machine, date, command, tables) and docs/benchmarks-generation.png.
The harness measures and reports; it never fails because a target is missed.

Generation: apigen against openapi-python-client and datamodel-code-generator.

Why: apigen's pitch includes "fast on big specs and good names"; this script keeps that claim
honest by running every tool as a subprocess on the same big real-world specs (GitHub, Stripe)
and reporting wall time, peak memory and a few cheap output-quality counts. On a small noisy
machine absolute numbers drift run to run, so the table leads with *ratios* (peer / apigen).

Memory is reported two ways, because apigen validates in a forked second process:
  rss_MB   max RSS of any single process in the tree (`/usr/bin/time -v`, or
           getrusage(RUSAGE_CHILDREN) from a fresh wrapper process when time is missing);
  tree_MB  peak of the *summed* PSS of every process in the child's process group, sampled
           from /proc every 0.1 s (PSS so pages a fork shares are not counted twice).

apigen is run COLD (fresh APIGEN_CACHE_DIR: every stage runs, validation included), WARM (cache
shared with the first cold run: the build cache serves the identical earlier build) and
REBUILD (the same primed cache with APIGEN_NO_BUILD_CACHE=1: every stage runs, validation and
compile checks are cache hits; what an edited spec costs, at most).

    .venv-bench/bin/python scripts/bench.py [--specs github,stripe] [--tools apigen,opc,dcg]
        [--repeat N] [--timeout S] [--json OUT] [--sections generate,sandbox,imports,first,
        percall,corpus] [--clients fresh|generated] [--resources N] [--import-samples N]
        [--corpus-limit N] [--calls N] [--no-docs]

The `sandbox` section (scripts/_bench_sandbox.py) serves each spec with `apigen sandbox` and
measures startup, requests/s on one kept-alive connection (drawn bodies, static bodies, 404s),
50 concurrent clients (connection errors and non-2xx counted) and the server's RSS.

Every subprocess has a timeout; on expiry its whole process group is killed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _bench_peers as peers
import _bench_sandbox as sandbox_bench
import _bench_targets as targets

REPO = peers.REPO
TIME_BIN = Path("/usr/bin/time")
SAMPLE_INTERVAL_S = 0.1
ALL_TOOLS = ("apigen", "opc", "dcg")
BASELINE = "apigen-cold"
CLASS_RE = re.compile(r"^class \w+", re.MULTILINE)
NUMBERED_RE = re.compile(r"^class \w*\d+\(", re.MULTILINE)
# Names ending in an HTTP status (`IssuesCreateResponse503`) are descriptive, not collisions.
STATUS_NAME_RE = re.compile(r"^class \w*Response[1-5]\d\d\(", re.MULTILINE)
EXCEPTION_RE = re.compile(r"^[\w.]*(Error|Exception)\b")
OPC_WARNING = "WARNING parsing"

# Used only when /usr/bin/time is missing: a fresh interpreter per run, so RUSAGE_CHILDREN
# covers exactly one measured command.
_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as fh:
    fh.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


# --------------------------------------------------------------------------- data


@dataclass
class Run:
    """One measured subprocess run."""

    wall_s: float
    rss_mb: float | None
    tree_mb: float | None
    exit_code: int | None  # None: killed at the timeout
    note: str = ""
    cpu_s: float | None = None  # user + system CPU of the whole tree (`/usr/bin/time -v`)


@dataclass
class Quality:
    """Cheap counts over the generated .py files."""

    py_files: int
    lines: int
    classes: int
    numbered: int
    numbered_not_status: int


@dataclass
class Result:
    """All runs of one tool on one spec, plus its output counts."""

    spec: str
    tool: str
    flags: str
    runs: list[Run] = field(default_factory=list)
    quality: Quality | None = None

    def median(self, attr: str) -> float | None:
        values = [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]
        return statistics.median(values) if values else None

    @property
    def exit_code(self) -> int | None:
        """The first failing run's code (a flaky crash must not hide behind a median)."""
        codes = [r.exit_code for r in self.runs]
        return next((c for c in codes if c != 0), 0)

    @property
    def status(self) -> str:
        code = self.exit_code
        if code is None:
            return "timeout"
        return "ok" if code == 0 else f"crashed({code})"


# --------------------------------------------------------------------------- measuring


def _pss_kb(pid: str) -> int:
    """PSS of one process in kB (RSS when smaps_rollup is unreadable); 0 once it is gone."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="ascii") as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def _group_members(pgid: int, skip: int) -> list[str]:
    """Pids in process group `pgid` (from /proc/*/stat), except `skip` (the timing wrapper)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == skip:
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # state ppid pgrp ...
        if len(fields) > 2 and fields[2] == str(pgid):
            members.append(entry)
    return members


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process group until stopped; keeps the peak (kB)."""

    def __init__(self, pgid: int) -> None:
        super().__init__(daemon=True)
        self.pgid = pgid
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = sum(_pss_kb(pid) for pid in _group_members(self.pgid, skip=self.pgid))
            self.peak_kb = max(self.peak_kb, total)
            self._halt.wait(SAMPLE_INTERVAL_S)

    def stop(self) -> int:
        self._halt.set()
        self.join(timeout=5)
        return self.peak_kb


def _wrapped(argv: list[str], rss_file: Path) -> list[str]:
    if TIME_BIN.exists():
        return [str(TIME_BIN), "-v", "-o", str(rss_file), *argv]
    return [sys.executable, "-c", _WRAPPER, str(rss_file), *argv]


def _read_cpu_s(rss_file: Path) -> float | None:
    """User + system CPU seconds from `/usr/bin/time -v` (it counts waited-for children)."""
    try:
        text = rss_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)
    return round(sum(float(v) for v in found), 3) if len(found) == 2 else None


def _read_rss_mb(rss_file: Path) -> float | None:
    try:
        text = rss_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if TIME_BIN.exists():
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        return int(found.group(1)) / 1024 if found else None
    return int(text) / 1024 if text.strip().isdigit() else None


def _last_error_line(log: Path) -> str:
    """Why a failing tool failed: its last `...Error: message` (joined if wrapped), else its
    last meaningful line (rich's boxed traceback frames are skipped)."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    useful = [ln.strip() for ln in lines if ln.strip() and not ln.startswith(("│", "╰", "╭"))]
    starts = [i for i, ln in enumerate(useful) if EXCEPTION_RE.match(ln)]
    picked = " ".join(useful[starts[-1] :]) if starts else (useful[-1] if useful else "")
    return picked[:240]


def measure(argv: list[str], env: dict[str, str], log: Path, timeout: float) -> Run:
    """Run argv in its own session; wall time, single-process max RSS and tree peak PSS."""
    rss_file = log.with_suffix(".rss")
    # every tool runs from primed bytecode, as installed by pip (the machine sets
    # PYTHONDONTWRITEBYTECODE: apigen's editable source would otherwise compile on every run)
    full_env = {**targets.bench_env(), **env}
    # the disk settled first: the previous run's files (written, or removed by `_finish`) are
    # flushed now, not while this run creates its own (ext4 charges that to the writer)
    os.sync()
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            _wrapped(argv, rss_file),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=full_env,
            cwd=log.parent,
            start_new_session=True,
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            code: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            code = None
        wall = time.perf_counter() - start
        peak_kb = sampler.stop()
    note = "" if code == 0 else _last_error_line(log)
    if code is None:
        note = f"killed after {timeout:.0f}s timeout"
    tree = peak_kb / 1024 if peak_kb else None
    cpu = _read_cpu_s(rss_file)
    return Run(round(wall, 3), _mb(_read_rss_mb(rss_file)), _mb(tree), code, note, cpu)


def _mb(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def count_quality(output: Path) -> Quality | None:
    """Classes (`^class `) and numbered classes (`^class \\w*\\d+\\(`) in all generated .py."""
    files = [output] if output.is_file() else sorted(output.rglob("*.py"))
    if not files:
        return None
    lines = classes = numbered = status = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines += text.count("\n")
        classes += len(CLASS_RE.findall(text))
        numbered += len(NUMBERED_RE.findall(text))
        status += len(STATUS_NAME_RE.findall(text))
    return Quality(len(files), lines, classes, numbered, numbered - status)


# --------------------------------------------------------------------------- tools


def apigen_argv() -> tuple[list[str], dict[str, str]]:
    """The installed console script, else the source tree via `python -m apigen`."""
    script = Path(sys.executable).with_name("apigen")
    if script.exists():
        return [str(script)], {}
    path = os.pathsep.join(str(REPO / p) for p in ("generator", "runtime"))
    return [sys.executable, "-m", "apigen"], {"PYTHONPATH": path}


def apigen_version(base: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*base, "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        check=False,
    )
    words = done.stdout.split()  # "apigen, version 0.1.0"
    return words[-1] if words else f"unknown (exit {done.returncode})"


def _fresh(parent: Path, name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=parent))


def bench_apigen(
    spec: Path, name: str, work: Path, repeat: int, timeout: float, keep: dict[str, Path]
) -> list[Result]:
    """COLD runs each get a fresh cache dir; WARM runs share the first cold run's cache.

    The last successful warm run's output is moved to `keep[name]` (the clients the import and
    per-call sections measure: built fresh by the current generator)."""
    base, env = apigen_argv()
    cold = Result(name, "apigen-cold", "--quiet, fresh APIGEN_CACHE_DIR")
    warm = Result(name, "apigen-warm", "--quiet, cache primed by cold run 1")
    rebuild = Result(name, "apigen-rebuild", "--quiet, primed cache, APIGEN_NO_BUILD_CACHE=1")
    caches = [_fresh(work, f"cache-{name}-{i}") for i in range(repeat)]
    plans = ((cold, caches), (warm, [caches[0]] * repeat), (rebuild, [caches[0]] * repeat))
    for result, cache_of_run in plans:
        for i, cache in enumerate(cache_of_run):
            run_dir = _fresh(work, f"{result.tool}-{i}")
            out = run_dir / name  # the package is named after the output directory
            argv = [*base, "build", str(spec), "-o", str(out), "--quiet"]
            run_env = {**env, "APIGEN_CACHE_DIR": str(cache)}
            if result is rebuild:
                run_env["APIGEN_NO_BUILD_CACHE"] = "1"
            result.runs.append(measure(argv, run_env, run_dir / "log.txt", timeout))
            _report_run(result)
            if result is warm and result.runs[-1].exit_code == 0 and (out / "apigen.json").exists():
                kept = work / "clients" / name
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(out, kept)
                keep[name] = kept
            _finish(result, out, run_dir, last=i == repeat - 1)
    return [cold, warm, rebuild]


def bench_floor(spec: Path, name: str, output: Path, work: Path, repeat: int) -> Result:
    """The floor of a warm build: `json.load` of the spec plus `ruff format` of apigen's output
    (a copy, formatted with the flags apigen uses), CPU seconds summed."""
    result = Result(name, "floor", "json.load(spec) + ruff format of the output")
    ruff = Path(sys.executable).with_name("ruff")
    load = "import json, sys\nwith open(sys.argv[1], 'rb') as fh: json.load(fh)"
    for i in range(repeat):
        run_dir = _fresh(work, f"floor-{i}")
        copy = run_dir / "x"
        shutil.copytree(output, copy)
        parts = [
            measure([sys.executable, "-c", load, str(spec)], {}, run_dir / "load.txt", 120),
            measure(
                [
                    str(ruff),
                    "format",
                    "--isolated",
                    "--no-cache",
                    "--line-length",
                    "100",
                    "--target-version",
                    "py311",
                    "--extend-exclude",
                    "_runtime",
                    str(copy),
                ],
                {},
                run_dir / "ruff.txt",
                300,
            ),
        ]
        bad = next((p for p in parts if p.exit_code != 0), None)
        cpus = [p.cpu_s for p in parts]
        result.runs.append(
            Run(
                round(sum(p.wall_s for p in parts), 3),
                max((p.rss_mb or 0) for p in parts) or None,
                None,
                bad.exit_code if bad else 0,
                bad.note if bad else "",
                None if None in cpus else round(sum(c or 0 for c in cpus), 3),
            )
        )
        _report_run(result)
        shutil.rmtree(run_dir, ignore_errors=True)
    return result


def bench_opc(spec: Path, name: str, work: Path, repeat: int, timeout: float) -> Result:
    result = Result(name, "opc", "")
    for i in range(repeat):
        run_dir = _fresh(work, f"opc-{i}")
        cmd = peers.opc_command(spec, run_dir)
        result.flags = cmd.flags_note
        run = measure(cmd.argv, cmd.env, run_dir / "log.txt", timeout)
        warnings = (
            (run_dir / "log.txt").read_text(encoding="utf-8", errors="replace").count(OPC_WARNING)
        )
        if run.exit_code == 0 and warnings:
            run.note = f"{warnings} x '{OPC_WARNING}' (opc omitted those parts)"
        result.runs.append(run)
        _report_run(result)
        _finish(result, cmd.output, run_dir, last=i == repeat - 1)
    return result


def bench_dcg(spec: Path, name: str, work: Path, repeat: int, timeout: float) -> Result:
    """Single output file as documented; falls back to an output dir when dcg demands one."""
    result = Result(name, "dcg", "")
    to_dir = False
    i = 0
    while i < repeat:
        run_dir = _fresh(work, f"dcg-{i}")
        cmd = peers.dcg_command(spec, run_dir, to_dir=to_dir)
        run = measure(cmd.argv, cmd.env, run_dir / "log.txt", timeout)
        log_text = (run_dir / "log.txt").read_text(encoding="utf-8", errors="replace")
        if run.exit_code != 0 and not to_dir and peers.DCG_NEEDS_DIR in log_text:
            print(f"  dcg: '{peers.DCG_NEEDS_DIR}' -> retrying with an output dir", flush=True)
            to_dir = True
            shutil.rmtree(run_dir, ignore_errors=True)
            continue
        result.flags = cmd.flags_note
        result.runs.append(run)
        _report_run(result)
        _finish(result, cmd.output, run_dir, last=i == repeat - 1)
        i += 1
    return result


def _report_run(result: Result) -> None:
    r = result.runs[-1]
    rss = f"{r.rss_mb:.0f}" if r.rss_mb is not None else "?"
    tree = f"{r.tree_mb:.0f}" if r.tree_mb is not None else "?"
    extra = f"  [{r.note}]" if r.note else ""
    cpu = f"{r.cpu_s:.2f}" if r.cpu_s is not None else "?"
    print(
        f"  {result.spec:<8} {result.tool:<12} run {len(result.runs)}: {r.wall_s:7.2f}s "
        f"cpu {cpu:>6}s rss {rss:>5} MB tree {tree:>5} MB exit {r.exit_code}{extra}",
        flush=True,
    )


def _finish(result: Result, output: Path, run_dir: Path, *, last: bool) -> None:
    """Count output quality after the last successful run, then free the disk."""
    if last and result.runs[-1].exit_code == 0 and output.exists():
        result.quality = count_quality(output)
    shutil.rmtree(run_dir, ignore_errors=True)


# --------------------------------------------------------------------------- reporting


def _fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def _ratio(peer: float | None, base: float | None) -> str:
    if peer is None or base is None or base == 0:
        return "-"
    return f"{peer / base:.2f}x"


def render_table(results: list[Result]) -> str:
    """Medians, status and ratios vs apigen-cold (time also vs apigen-warm)."""
    head = (
        f"{'spec':<8} {'tool':<12} {'runs':>4} {'wall s':>7} {'cpu s':>7} {'rss MB':>7} {'tree MB':>8} "
        f"{'exit':<11} {'t/cold':>7} {'t/warm':>7} {'rss/cold':>8} {'tree/cold':>9}"
    )
    return "\n".join([head, "-" * len(head), *(_table_row(r, results) for r in results)])


def _table_row(r: Result, results: list[Result]) -> str:
    cold = _baseline(results, r.spec, BASELINE)
    warm = _baseline(results, r.spec, "apigen-warm")
    ok = r.exit_code == 0
    wall, rss, tree = (r.median(a) if ok else None for a in ("wall_s", "rss_mb", "tree_mb"))
    ratios = (
        _ratio(wall, _med(cold, "wall_s")),
        _ratio(wall, _med(warm, "wall_s")),
        _ratio(rss, _med(cold, "rss_mb")),
        _ratio(tree, _med(cold, "tree_mb")),
    )
    return (
        f"{r.spec:<8} {r.tool:<12} {len(r.runs):>4} {_fmt(r.median('wall_s'), '.2f'):>7} "
        f"{_fmt(r.median('cpu_s'), '.2f'):>7} "
        f"{_fmt(r.median('rss_mb'), '.0f'):>7} {_fmt(r.median('tree_mb'), '.0f'):>8} "
        f"{r.status:<11} {ratios[0]:>7} {ratios[1]:>7} {ratios[2]:>8} {ratios[3]:>9}"
    )


def _med(result: Result | None, attr: str) -> float | None:
    return result.median(attr) if result else None


def render_quality(results: list[Result]) -> str:
    head = (
        f"{'spec':<8} {'tool':<12} {'.py files':>9} {'lines':>8} {'classes':>8} "
        f"{'numbered':>9} {'excl.RespNNN':>12}  flags"
    )
    rows = [head, "-" * len(head)]
    for r in results:
        q = r.quality
        if r.tool in ("apigen-warm", "apigen-rebuild"):
            continue  # same output as cold
        cells = astuple(q) if q else ("-",) * 5
        rows.append(
            f"{r.spec:<8} {r.tool:<12} {cells[0]:>9} {cells[1]:>8} {cells[2]:>8} "
            f"{cells[3]:>9} {cells[4]:>12}  {r.flags}"
        )
    return "\n".join(rows)


def render_notes(results: list[Result]) -> str:
    notes = {f"{r.spec}/{r.tool}: {run.note}" for r in results for run in r.runs if run.note}
    return "\n".join(sorted(notes))


def _baseline(results: Iterable[Result], spec: str, tool: str) -> Result | None:
    return next(
        (r for r in results if r.spec == spec and r.tool == tool and r.exit_code == 0), None
    )


# --------------------------------------------------------------------------- main


SECTIONS = ("generate", "sandbox", "imports", "first", "percall", "corpus")
DOCS = REPO / "docs" / "benchmarks.md"
PLOT = REPO / "docs" / "benchmarks-generation.png"
BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument(
        "--specs", default="github,stripe", help="names in the shared specs dir, or paths"
    )
    p.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma list of apigen,opc,dcg")
    p.add_argument(
        "--repeat", type=int, default=None, help="runs per tool (default 3 apigen, 1 peers)"
    )
    p.add_argument(
        "--timeout", type=float, default=300.0, help="seconds per subprocess (default 300)"
    )
    p.add_argument("--json", type=Path, default=None, help="write all runs and medians here")
    p.add_argument(
        "--sections", default=",".join(SECTIONS), help="comma list of " + ",".join(SECTIONS)
    )
    p.add_argument(
        "--clients",
        choices=("fresh", "generated"),
        default="fresh",
        help="clients for imports/first/percall: built now (default) or the committed generated/",
    )
    p.add_argument("--resources", type=int, default=None, help="at most N resources per spec")
    p.add_argument(
        "--import-samples",
        type=int,
        default=3,
        help="fresh interpreters per resource in the imports section (its median counts)",
    )
    p.add_argument("--corpus-limit", type=int, default=None, help="at most N corpus specs")
    p.add_argument("--calls", type=int, default=2000, help="calls per client in the per-call test")
    p.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    p.add_argument(
        "--docs-anyway",
        action="store_true",
        help="rewrite docs/benchmarks.md even when an apigen build failed in this run",
    )
    args = p.parse_args(argv)
    args.sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    if set(args.sections) - set(SECTIONS):
        p.error(f"--sections takes {', '.join(SECTIONS)}")
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - set(ALL_TOOLS)
    if unknown:
        p.error(f"unknown tool(s): {', '.join(sorted(unknown))}")
    if args.repeat is not None and args.repeat < 1:
        p.error("--repeat must be >= 1")
    if args.import_samples < 1:
        p.error("--import-samples must be >= 1")
    return args


def shared_dir() -> Path:
    return Path(os.environ.get("APIGEN_SHARED_SPECS") or REPO.parent / "shared" / "specs")


def resolve_specs(names: str) -> list[tuple[str, Path]]:
    out = []
    for name in (n.strip() for n in names.split(",") if n.strip()):
        path = (
            Path(name)
            if name.endswith((".json", ".yaml", ".yml"))
            else shared_dir() / f"{name}.json"
        )
        if not path.is_file():
            raise SystemExit(f"bench: spec not found: {path} (set APIGEN_SHARED_SPECS)")
        out.append((path.stem, path.resolve()))
    return out


def machine_info() -> dict[str, str]:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": nproc or str(os.cpu_count()),
        "cpu model": model,
        "memory": memory,
        "load average at start": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "rss_source": "/usr/bin/time -v" if TIME_BIN.exists() else "getrusage(RUSAGE_CHILDREN)",
    }


def run_all(args: argparse.Namespace, work: Path, keep: dict[str, Path]) -> list[Result]:
    results: list[Result] = []
    apigen_repeat = args.repeat or 3
    peer_repeat = args.repeat or 1
    for name, spec in resolve_specs(args.specs):
        print(f"bench: {name} ({spec.stat().st_size / 1e6:.1f} MB)", flush=True)
        if "apigen" in args.tools:
            results += bench_apigen(spec, name, work, apigen_repeat, args.timeout, keep)
            if name in keep:
                results.append(bench_floor(spec, name, keep[name], work, apigen_repeat))
        if "opc" in args.tools:
            results.append(bench_opc(spec, name, work, peer_repeat, args.timeout))
        if "dcg" in args.tools:
            results.append(bench_dcg(spec, name, work, peer_repeat, args.timeout))
    return results


# --------------------------------------------------------------------------- targets


@dataclass
class Target:
    """One issue #10 ratio against its target."""

    number: str
    what: str
    measured: float | None
    target: str  # "<= 0.15", ">= 200", "== 0"
    detail: str = ""

    @property
    def verdict(self) -> str:
        if self.measured is None or self.measured != self.measured:  # None or NaN
            return "n/a"
        if self.target == "info":  # shown beside a target, not one itself
            return "info"
        op, bound = self.target.split()
        value = float(bound)
        ok = {
            "<=": self.measured <= value,
            ">=": self.measured >= value,
            "==": self.measured == value,
        }
        return "PASS" if ok[op] else "FAIL"


def _result(results: list[Result], spec: str, tool: str) -> Result | None:
    return next((r for r in results if r.spec == spec and r.tool == tool), None)


def _ok_median(result: Result | None, attr: str) -> float | None:
    return result.median(attr) if result is not None and result.exit_code == 0 else None


def _div(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def evaluate(state: dict[str, Any]) -> list[Target]:
    results: list[Result] = state.get("generate", [])
    rows: list[Target] = []
    gh_cold = _result(results, "github", "apigen-cold")
    gh_opc = _result(results, "github", "opc")
    ratio = _div(_ok_median(gh_cold, "cpu_s"), _ok_median(gh_opc, "cpu_s"))
    rows.append(
        Target(
            "1",
            "GitHub cold build CPU / openapi-python-client CPU",
            ratio,
            "<= 0.15",
            f"{_fmt(_ok_median(gh_cold, 'cpu_s'), '.2f')} s vs {_fmt(_ok_median(gh_opc, 'cpu_s'), '.2f')} s"
            f" (wall ratio {_fmt(_div(_ok_median(gh_cold, 'wall_s'), _ok_median(gh_opc, 'wall_s')), '.2f')})",
        )
    )
    peak = None
    if gh_cold is not None and gh_cold.exit_code == 0:
        peak = max(
            v for v in (gh_cold.median("tree_mb"), gh_cold.median("rss_mb")) if v is not None
        )
    rows.append(
        Target("1", "GitHub cold build peak MB (max of tree PSS, largest RSS)", peak, "<= 300")
    )
    st_cold = _result(results, "stripe", "apigen-cold")
    rows.append(
        Target(
            "1",
            "Stripe cold build wall s",
            _ok_median(st_cold, "wall_s"),
            "<= 1.5",
            f"CPU {_fmt(_ok_median(st_cold, 'cpu_s'), '.2f')} s",
        )
    )
    for spec in ("github", "stripe"):
        warm, floor = _result(results, spec, "apigen-warm"), _result(results, spec, "floor")
        rows.append(
            Target(
                "1",
                f"{spec} warm build CPU / floor (json.load + ruff format)",
                _div(_ok_median(warm, "cpu_s"), _ok_median(floor, "cpu_s")),
                "<= 2",
                f"{_fmt(_ok_median(warm, 'cpu_s'), '.2f')} s vs {_fmt(_ok_median(floor, 'cpu_s'), '.2f')} s"
                " (served by the build cache)",
            )
        )
        rebuild = _result(results, spec, "apigen-rebuild")
        rows.append(
            Target(
                "1",
                f"{spec} rebuild without the build cache CPU / floor",
                _div(_ok_median(rebuild, "cpu_s"), _ok_median(floor, "cpu_s")),
                "info",
                f"{_fmt(_ok_median(rebuild, 'cpu_s'), '.2f')} s: every stage runs, validation"
                " and compile checks cached",
            )
        )
    imports = state.get("imports")
    for spec in ("stripe", "github"):
        ratios = imports.ratios(spec) if imports is not None and imports.floor_cpu else []
        worst = ratios[0] if ratios else None
        median = statistics.median(r for _, r in ratios) if ratios else None
        rows.append(
            Target(
                "2",
                f"{spec}: import + Client() + resolving a resource's methods / floor, worst resource",
                worst[1] if worst else None,
                "<= 1.25",
                (
                    f"worst `{worst[0]}`, median {median:.2f}x over {len(ratios)} resources "
                    f"(each the median of {imports.rounds} samples, the 5 highest of "
                    f"{imports.rounds + imports.confirmed}, every sample over the floor sample "
                    f"taken just before it); floor median {imports.floor * 1000:.0f} ms CPU"
                )
                if worst and imports
                else "",
            )
        )
    first = state.get("first")
    first_labels = {
        "apigen stripe": "stripe `customers.retrieve`, expanded draw (101 models)",
        "apigen stripe default": "stripe `customers.retrieve`, API default shape (unexpanded)",
        "apigen github": "github `repos.get`",
    }
    for key, (_spec, _call, peer) in targets.FIRST_CALLS.items():
        ours = first.wall.get(key) if first else None
        theirs = first.wall.get(peer) if first else None
        ours_cpu = first.cpu.get(key) if first else None
        theirs_cpu = first.cpu.get(peer) if first else None
        body = "same body" if key.startswith("apigen stripe") else "its expanded customer"
        rows.append(
            Target(
                "2",
                f"time to first response, {first_labels.get(key, key)} / `{peer}` ({body})",
                _div(ours, theirs),
                "<= 1.0",
                f"{_fmt(ours and ours * 1000, '.0f')} ms vs {_fmt(theirs and theirs * 1000, '.0f')} ms wall; "
                f"CPU {_fmt(ours_cpu and ours_cpu * 1000, '.0f')} vs "
                f"{_fmt(theirs_cpu and theirs_cpu * 1000, '.0f')} ms"
                if first
                else "",
            )
        )
    if first is not None and targets.FIRST_FLOOR in first.wall:
        floor = first.wall[targets.FIRST_FLOOR]
        peer = first.wall.get("stripe-python default")
        rows.append(
            Target(
                "2",
                "time to first response, floor (import httpx + pydantic, one GET, a one-field "
                "model) / `stripe-python default`",
                _div(floor, peer),
                "info",
                f"{floor * 1000:.0f} ms vs {_fmt(peer and peer * 1000, '.0f')} ms wall; CPU "
                f"{first.cpu[targets.FIRST_FLOOR] * 1000:.0f} ms: what the apigen rows pay before "
                "any code of theirs runs",
            )
        )
    for row in state.get("percall", []):
        label = "sync" if row.mode == "sync" else "async, concurrency 50"
        rows.append(
            Target(
                "3",
                f"per call CPU, {row.spec} ({label}) / httpx + validating the declared type",
                row.ratio,
                "<= 1.05",
                f"{_fmt(row.apigen_us, '.0f')} us vs {_fmt(row.httpx_us, '.0f')} us"
                + (f" [{row.error}]" if row.error else ""),
            )
        )
        if row.mode == "async":
            fast = row.apigen_aiohttp_us
            rows.append(
                Target(
                    "3",
                    f"per call CPU, {row.spec} (async, concurrency 50): the client on httpx / on "
                    "the faster transport (httpx-aiohttp, README 'Faster transport')",
                    row.apigen_us / fast if row.apigen_us and fast else None,
                    ">= 2",
                    f"{_fmt(row.apigen_us, '.0f')} us vs {_fmt(fast, '.0f')} us"
                    if fast
                    else "httpx-aiohttp not installed in the bench venv",
                )
            )
    served = state.get("sandbox", [])
    if served:
        worst_seq = min(served, key=lambda r: r.seq_dynamic_rps)
        rows.append(
            Target(
                "4",
                "sandbox sequential keep-alive req/s (drawn bodies), slowest spec",
                worst_seq.seq_dynamic_rps,
                ">= 200",
                ", ".join(
                    f"{r.spec} {r.seq_dynamic_rps:.0f} (server {r.cpu_ms_dynamic:.2f} ms CPU per "
                    f"response: {1000 / r.cpu_ms_dynamic:.0f}/s on a free core; static bodies "
                    f"{r.seq_static_rps:.0f}/s)"
                    for r in served
                    if r.cpu_ms_dynamic
                ),
            )
        )
        rows.append(
            Target(
                "4",
                "sandbox, 50 concurrent clients: connection errors + non-2xx",
                float(sum(r.conc_errors + r.conc_non_2xx for r in served)),
                "== 0",
                ", ".join(f"{r.spec} {r.conc_rps:.0f} req/s" for r in served),
            )
        )
    corpus = state.get("corpus")
    if corpus is not None:
        good = sum(1 for r in corpus.rows if r.cpu_s is not None)
        rows.append(
            Target(
                "5",
                "corpus: r² of build CPU ~ operations (linear fit)",
                round(corpus.r2, 3),
                ">= 0.9",
                f"{good}/{len(corpus.rows)} specs; {corpus.intercept_s:.2f} s + "
                f"{corpus.slope_ms:.1f} ms/op; r² {corpus.r2_ops_schemas:.3f} with schemas too",
            )
        )
    return rows


def render_targets(rows: list[Target]) -> str:
    out = [
        "| # | ratio | measured | target | verdict | detail |",
        "| --- | --- | ---: | --- | --- | --- |",
    ]
    for row in rows:
        out.append(
            f"| {row.number} | {row.what} | {_fmt(row.measured, '.2f')} | {row.target} "
            f"| {row.verdict} | {row.detail} |"
        )
    return "\n".join(out)


# --------------------------------------------------------------------------- report


def render_report(state: dict[str, Any], rows: list[Target], info: dict[str, str]) -> str:
    """The generated block of docs/benchmarks.md."""
    parts = [
        BEGIN,
        "## Issue #10 targets (`make bench`)",
        "",
        "Written by `scripts/bench.py` (do not edit between the markers). Every ratio comes from "
        "one run on this machine; the harness measures, it never asserts.",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + ".",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in state.get("versions", {}).items()) + ".",
        "",
        "Command: `make bench` = `" + " ".join(state.get("argv", [])) + "` in `.venv-bench` "
        "(created by the Makefile from `scripts/bench-requirements.txt`).",
        "",
        f"Clients for sections 2 and 3: {state.get('clients_note', '-')}.",
        "",
        render_targets(rows),
        "",
    ]
    if state.get("generate"):
        parts += [
            "### Generation (medians; cpu = user + system of the whole process tree)",
            "",
            "```",
            render_table(state["generate"]),
            "",
            render_quality(state["generate"]),
            "```",
            "",
        ]
        notes = render_notes(state["generate"])
        if notes:
            parts += ["Notes:", "", "```", notes, "```", ""]
    imports = state.get("imports")
    if imports is not None and imports.floor_cpu:
        parts += [
            "### Import + `Client()` + resolving every method of one resource (fresh interpreter)",
            "",
            f"Each resource: the median of {imports.rounds} fresh interpreters, rounds interleaved; "
            f"the 5 highest of each spec then sampled {imports.confirmed} times more (the highest "
            f"of many 3-sample medians is biased up by noise alone) "
            f"(section {imports.seconds:.0f} s wall). Every sample is divided by a floor sample "
            f"(`import httpx; from pydantic import BaseModel`) taken in the fresh interpreter "
            f"just before it: this machine runs in phases a minute long, and the floor ranged "
            f"{min(imports.floor_cpu) * 1000:.0f}-{max(imports.floor_cpu) * 1000:.0f} ms CPU "
            f"(median {imports.floor * 1000:.0f} ms over {len(imports.floor_cpu)} samples). "
            "Peers (not targets), paired the same way: "
            + ", ".join(f"{k} {v:.2f}x" for k, v in imports.peers.items())
            + " (`stripe.StripeClient(...).customers.retrieve`, `openai.OpenAI(...).chat.completions.create`).",
            "",
            "| spec | resources | worst | 2nd | 3rd | median | best |",
            "| --- | ---: | --- | --- | --- | ---: | ---: |",
        ]
        for spec in imports.per_resource:
            ratios = imports.ratios(spec)
            if not ratios:
                continue
            top = [f"`{r}` {v:.2f}x" for r, v in ratios[:3]] + ["-"] * 3
            parts.append(
                f"| {spec} | {len(ratios)} | {top[0]} | {top[1]} | {top[2]} "
                f"| {statistics.median(v for _, v in ratios):.2f}x | {ratios[-1][1]:.2f}x |"
            )
        if imports.errors:
            parts += ["", "Errors: " + "; ".join(f"{k}: {v}" for k, v in imports.errors.items())]
        parts.append("")
    first = state.get("first")
    if first is not None:
        parts += [
            "### Time to the first response (fresh interpreter, canned local server, median of 5)",
            "",
            "From interpreter start to the parsed result: import, `Client()`, the call, parsing."
            " Two Stripe bodies, each parsed by apigen and by stripe-python `Customer.retrieve`:"
            " `cus_123`, the seeded sandbox draw, with every expandable field expanded"
            " (`default_source`, `sources`, `subscriptions`, `tax_ids`, `discount`: 101 models in"
            " apigen's graph), and `cus_default`, the customer as Stripe returns it without"
            " `expand[]` (the object in Stripe's API reference). GitHub `repos.get` parses the"
            " seeded draw of a repository and is compared with stripe-python on the expanded"
            " customer, as issue #10 words it. Each row's verdict (targets table) is wall time"
            " against its stripe-python row in the same run.",
            "",
            "| client | wall ms | CPU ms |",
            "| --- | ---: | ---: |",
            *(
                f"| {k} | {first.wall[k] * 1000:.0f} | {first.cpu[k] * 1000:.0f} |"
                for k in first.wall
            ),
            "",
        ]
        if first.errors:
            parts += ["Errors: " + "; ".join(f"{k}: {v}" for k, v in first.errors.items()), ""]
    corpus = state.get("corpus")
    if corpus is not None:
        parts += [
            "### Generation cost across the corpus",
            "",
            f"![build CPU vs operations]({PLOT.name})",
            "",
            f"`apigen build` (cold cache) of every spec in `../shared/specs/corpus`: "
            f"CPU = {corpus.intercept_s:.2f} s + {corpus.slope_ms:.1f} ms x operations, "
            f"r² = {corpus.r2:.3f}. With schemas as a second variable: "
            f"{corpus.coef_ops_schemas[0]:.2f} s + {corpus.coef_ops_schemas[1]:.1f} ms/op + "
            f"{corpus.coef_ops_schemas[2]:.1f} ms/schema, r² = {corpus.r2_ops_schemas:.3f}. "
            "Failed builds: "
            + (", ".join(f"{r.spec} ({r.error})" for r in corpus.rows if r.error) or "none")
            + ".",
            "",
            "Furthest above the line:",
            "",
            "| spec | operations | schemas | CPU s | x predicted |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {r.spec} | {r.operations} | {r.schemas} | {r.cpu_s:.2f} | {x:.2f} |"
                for r, x in corpus.outliers
            ),
            "",
        ]
        if corpus.profile:
            parts += [
                f"Profile of the worst (`{corpus.outliers[0][0].spec}`; main process only: "
                "apigen validates in a forked child):",
                "",
                "```",
                corpus.profile,
                "```",
                "",
            ]
    parts.append(END)
    return "\n".join(parts)


def write_docs(block: str) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        title, _, body = text.partition("\n")
        text = f"{title}\n\n{block}\n{body}"
    DOCS.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    generate = "generate" in args.sections
    versions = peers.ensure_peers(
        generate and "opc" in args.tools, generate and "dcg" in args.tools
    )
    versions.update(targets.library_versions())
    if "apigen" in args.tools:
        versions["apigen"] = apigen_version(*apigen_argv())
    info = machine_info()
    print("bench: " + ", ".join(f"{k} {v}" for k, v in {**versions, **info}.items()), flush=True)
    state: dict[str, Any] = {"versions": versions, "argv": ["scripts/bench.py", *sys.argv[1:]]}
    work = Path(tempfile.mkdtemp(prefix="apigen-bench-"))
    try:
        keep: dict[str, Path] = {}
        if generate:
            targets.prime_pycache([])
            state["generate"] = run_all(args, work, keep)
            print(
                "\n" + render_table(state["generate"]) + "\n\n" + render_quality(state["generate"])
            )
            notes = render_notes(state["generate"])
            if notes:
                print("\nnotes:\n" + notes)
        if "sandbox" in args.sections:
            state["sandbox"] = sandbox_bench.run(resolve_specs(args.specs))
            print(
                "\nsandbox (apigen sandbox SPEC; 1000 sequential requests per column on one "
                "kept-alive connection; 50 clients x 20 requests):\n"
                + sandbox_bench.render(state["sandbox"])
            )
        if {"imports", "first", "percall"} & set(args.sections):
            clients = client_dirs(args, work, keep)
            state["clients_note"] = "; ".join(f"{c.name}: {c.source}" for c in clients.values())
            targets.prime_pycache([c.path for c in clients.values()])
            if "imports" in args.sections:
                wanted = [clients[n] for n in ("stripe", "github") if n in clients]
                state["imports"] = targets.bench_imports(
                    wanted, args.resources, args.import_samples
                )
            if {"first", "percall"} & set(args.sections):
                with targets.canned_server(targets.canned_bodies(shared_dir())) as url:
                    if "first" in args.sections:
                        state["first"] = targets.bench_first(clients, url)
                    if "percall" in args.sections:
                        state["percall"] = targets.bench_percall(clients, url, args.calls, 5)
        if "corpus" in args.sections:
            state["corpus"] = run_corpus(args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info["load average at end"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    rows = evaluate(state)
    print("\nissue #10 targets:\n" + render_targets(rows))
    broken = [
        f"{r.spec}/{r.tool}"
        for r in state.get("generate", [])
        if r.tool.startswith("apigen") and r.exit_code != 0
    ]
    if broken and not args.docs_anyway:  # a half-edited tree: keep the last good report
        print(f"\nbench: NOT writing {DOCS.name}: apigen failed on {', '.join(broken)}")
    elif not args.no_docs:
        write_docs(render_report(state, rows, info))
        print(f"\nbench: wrote {DOCS.relative_to(REPO)}")
    if args.json:
        payload = {
            "machine": info,
            "versions": versions,
            "argv": sys.argv,
            "results": [
                {**asdict(r), "median_wall_s": r.median("wall_s"), "status": r.status}
                for r in state.get("generate", [])
            ],
            "sandbox": sandbox_bench.as_json(state.get("sandbox", [])),
            "targets": [{**asdict(t), "verdict": t.verdict} for t in rows],
            "imports": asdict(state["imports"]) if "imports" in state else None,
            "first": asdict(state["first"]) if "first" in state else None,
            "percall": [asdict(r) for r in state.get("percall", [])],
            "corpus": [asdict(r) for r in state["corpus"].rows] if "corpus" in state else None,
        }
        args.json.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nbench: wrote {args.json}")
    return 0


def client_dirs(
    args: argparse.Namespace, work: Path, keep: dict[str, Path]
) -> dict[str, targets.Client]:
    """Stripe/GitHub: this run's fresh builds when the generate section made them, else a fresh
    build now (`--clients fresh`) or the committed generated/ (`--clients generated`); petstore
    (specs/petstore.yaml, the per-call test) likewise."""
    clients: dict[str, targets.Client] = {}
    base, env = apigen_argv()
    sources = {"stripe": shared_dir() / "stripe.json", "github": shared_dir() / "github.json"}
    sources["petstore"] = REPO / "specs" / "petstore.yaml"
    for name, spec in sources.items():
        committed = REPO / "generated" / name
        if args.clients == "generated":
            clients[name] = targets.Client.of(name, committed, "generated/ (committed)")
            continue
        if name in keep:
            clients[name] = targets.Client.of(name, keep[name], "fresh build (this run)")
            continue
        out = work / "clients" / name
        done = subprocess.run(
            [*base, "build", str(spec), "-o", str(out), "--quiet"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=args.timeout,
            check=False,
        )
        if done.returncode == 0:
            clients[name] = targets.Client.of(name, out, "fresh build (this run)")
        else:  # another engineer's edit in progress: measure the committed client instead
            print(f"bench: building {name} failed; using generated/{name}", flush=True)
            clients[name] = targets.Client.of(
                name, committed, "generated/ (committed; the fresh build failed)"
            )
    return clients


def run_corpus(args: argparse.Namespace) -> targets.CorpusFit:
    corpus = shared_dir() / "corpus"
    base, _ = apigen_argv()
    targets.prime_pycache([])
    rows = targets.bench_corpus(corpus, base, args.corpus_limit, args.timeout)
    fitted = targets.fit(rows)
    targets.plot(fitted, PLOT)
    print(f"bench: corpus r² {fitted.r2:.3f}; wrote {PLOT.relative_to(REPO)}", flush=True)
    if fitted.outliers:
        worst = corpus / fitted.outliers[0][0].spec
        fitted.profile = targets.profile_build(worst, ["-m", "apigen"])
    return fitted


if __name__ == "__main__":
    sys.exit(main())
