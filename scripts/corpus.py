"""Run apigen (and openapi-python-client, for reference) over the shared spec corpus.

Why: the unit tests prove apigen on specs we chose; this proves it on 120 real specs from
APIs.guru plus the 59 feature specs, and says exactly where it breaks. For every spec it builds,
imports every generated module, resolves every manifest call and model, compares operation
counts with the spec's own, and runs `mypy --strict`; then it does the same with
openapi-python-client 0.29.1. It writes docs/corpus.md (totals first) and prints the totals.

    .venv/bin/python scripts/corpus.py [--only corpus|features] [--jobs N] [--timeout S]
        [--limit N] [--filter SUBSTR] [--no-peer] [--no-mypy] [--out docs/corpus.md]
        [--json PATH] [--work DIR]

Each spec runs in its own worker subprocess (killed at a deadline), and every tool inside it
is a bounded subprocess, so one crashing or hanging spec costs one row, never the run. The exit
code is 0 whenever the report was written, however many specs failed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from types import FrameType
from typing import cast

from corpus_common import SpecInfo, SpecResult, kill_all_live, run_bounded
from corpus_report import apigen_problems, apigen_totals, opc_totals, render, totals_rows
from corpus_worker import Job, run_job

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent  # run with apigen's venv python (the Makefile does)
OPC_PIN = "openapi-python-client==0.29.1"
OPC_VERSION = "0.29.1"
# The generated opc client needs httpx, attrs and python-dateutil; mypy needs dateutil's stubs.
OPC_EXTRAS = ("python-dateutil", "types-python-dateutil")
OPC_VENV = REPO / ".bench" / "venv-opc"
SHARED_BENCH_VENV = REPO / ".venv-bench"  # `make bench` creates it (scripts/bench-requirements.txt)
INSTALL_TIMEOUT_S = 900.0
# Steps per spec with their own timeout: apigen build/probe/mypy, opc generate/probe/mypy.
STEPS_PER_SPEC = 6
WORKER_SLACK_S = 120.0


# --------------------------------------------------------------------------- specs


def shared_root() -> Path:
    """The shared specs directory (the Makefile passes APIGEN_SHARED_SPECS)."""
    env = os.environ.get("APIGEN_SHARED_SPECS")
    return Path(env) if env else REPO.parent / "shared" / "specs"


def _origins(corpus: Path) -> dict[str, str]:
    """file -> origin_format from the corpus MANIFEST.tsv (how APIs.guru got the spec)."""
    manifest = corpus / "MANIFEST.tsv"
    if not manifest.exists():
        return {}
    with manifest.open(encoding="utf-8", newline="") as fh:
        return {row["file"]: row["origin_format"] for row in csv.DictReader(fh, delimiter="\t")}


def discover(root: Path, only: str | None) -> list[tuple[Path, str, str]]:
    """(path, group, origin) for every spec in the chosen sets, in a stable order."""
    found: list[tuple[Path, str, str]] = []
    if only in (None, "corpus"):
        origins = _origins(root / "corpus")
        for path in sorted((root / "corpus").glob("*.json")):
            found.append((path, "corpus", origins.get(path.name, "?")))
    if only in (None, "features"):
        features = root / "features"
        paths = [p for p in features.rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
        for path in sorted(paths):
            found.append((path, "features", f"features/{path.parent.name}"))
    return found


def safe_name(rel: str, group: str) -> str:
    """A lowercase identifier, prefixed so it can never shadow a real module (`json`, `http`)."""
    path = Path(rel)
    prefix = "c" if group == "corpus" else "f" + re.sub(r"\W", "", path.parent.name)
    stem = re.sub(r"[^0-9a-z]+", "_", path.stem.lower()).strip("_")
    return f"{prefix}_{stem}"


# --------------------------------------------------------------------------- the peer venv


def _dist_version(python: Path, dist: str) -> str | None:
    code = "import importlib.metadata as m, sys\nprint(m.version(sys.argv[1]))"
    done = subprocess.run(
        [str(python), "-c", code, dist], capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else None


def _usable(venv: Path) -> bool:
    """opc at the pinned version, plus what its generated code and its type check need."""
    python = venv / "bin" / "python"
    if not python.exists() or _dist_version(python, "openapi-python-client") != OPC_VERSION:
        return False
    return all(_dist_version(python, dist) for dist in OPC_EXTRAS)


def ensure_opc_venv() -> Path:
    """The bin directory of a venv with opc 0.29.1; created in .bench/venv-opc when needed.

    Reuses .venv-bench (`make bench`'s) only if it already has everything, because a venv
    without python-dateutil would make every opc client with a date field "fail to import".
    """
    for venv in (OPC_VENV, SHARED_BENCH_VENV):
        if _usable(venv):
            return venv / "bin"
    print(f"corpus: installing {OPC_PIN} into {OPC_VENV}", flush=True)
    if not (OPC_VENV / "bin" / "python").exists():
        base = shutil.which("python3") or sys.executable
        subprocess.run([base, "-m", "venv", str(OPC_VENV)], check=True, timeout=300)
    pip = [str(OPC_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    done = subprocess.run(
        [*pip, OPC_PIN, *OPC_EXTRAS], capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S
    )
    if done.returncode != 0:  # pip's chatter is only worth showing when it failed
        raise RuntimeError(f"pip install failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if not _usable(OPC_VENV):
        raise RuntimeError(f"{OPC_VENV} still lacks {OPC_PIN} or {OPC_EXTRAS} after pip install")
    return OPC_VENV / "bin"


# --------------------------------------------------------------------------- running


def _worker_failure(job: Job, info: SpecInfo, why: str) -> SpecResult:
    return SpecResult(
        file=job["file"],
        group=job["group"],
        origin=job["origin"],
        spec=info,
        apigen=None,
        opc=None,
        worker_error=why,
    )


def run_worker(job: Job, work: Path) -> SpecResult:
    """Run one spec's job in a worker subprocess with a deadline; a dead worker is a result."""
    job_file = work / "jobs" / f"{job['safe']}.json"
    job_file.parent.mkdir(parents=True, exist_ok=True)
    job_file.write_text(json.dumps(job), encoding="utf-8")
    result_file = Path(job["result"])
    result_file.unlink(missing_ok=True)
    deadline = job["timeout"] * STEPS_PER_SPEC + WORKER_SLACK_S
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", str(job_file)]
    done = run_bounded(argv, log=work / "logs" / job["safe"] / "worker", timeout=deadline)
    if done.rc == 0 and result_file.exists():
        return cast(SpecResult, json.loads(result_file.read_text(encoding="utf-8")))
    empty = SpecInfo(version="?", ops=[], webhook_ops=[], problems=[])
    if done.rc is None:
        return _worker_failure(job, empty, f"worker timed out after {deadline:.0f}s")
    return _worker_failure(job, empty, f"worker exit {done.rc}:\n{done.tail()}")


def _progress(i: int, n: int, r: SpecResult) -> str:
    a, o = r["apigen"], r["opc"]
    if a is None:
        return f"[{i}/{n}] {r['file']}: WORKER {r['worker_error'].splitlines()[0]}"
    state = "ok" if not apigen_problems(a) else "PROBLEM"
    bits = [
        f"build={a['build_rc']}",
        f"{a['build_s']:.1f}s",
        f"ops={a['ops']}/{len(r['spec']['ops'])}",
    ]
    if a["probe"] is not None:
        bits.append(f"import_fail={a['probe']['import_failures']}")
    if a["mypy"] is not None:
        bits.append(f"mypy={a['mypy']['errors']}")
    if o is not None:
        bits.append(f"| opc={o['rc']} ops={o['ops']}")
    return f"[{i}/{n}] {r['file']}: {state} " + " ".join(bits)


def run_all(jobs: list[Job], work: Path, parallel: int) -> list[SpecResult]:
    """Run every job, `parallel` at a time, biggest spec first so the tail of the run is short."""
    ordered = sorted(jobs, key=lambda j: Path(j["spec"]).stat().st_size, reverse=True)
    results: list[SpecResult] = []
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = [pool.submit(run_worker, job, work) for job in ordered]
        try:
            for i, future in enumerate(as_completed(futures), 1):
                result = future.result()
                results.append(result)
                print(_progress(i, len(jobs), result), flush=True)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            kill_all_live()
            raise
    return sorted(results, key=lambda r: (r["group"], r["file"]))


# --------------------------------------------------------------------------- report


def _version(argv: list[str]) -> str:
    """First line a `--version`-style command prints; "unknown" rather than a broken report."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return lines[0] if done.returncode == 0 and lines else "unknown"


def _git_state() -> str:
    """Commit and whether the tree had local changes (read-only git commands)."""
    head = _version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    try:
        status = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        status = ""
    return head + (" + uncommitted changes" if status.strip() else "")


def header(args: argparse.Namespace, opc_bin: Path | None, n_specs: int) -> list[str]:
    """Date, command, tool versions: what a reader needs to reproduce the numbers."""
    command = "python scripts/corpus.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    opc = _dist_version(opc_bin / "python", "openapi-python-client") if opc_bin else None
    return [
        f"- date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- command: `{command.strip()}` ({n_specs} specs, jobs={args.jobs}, "
        f"timeout={args.timeout:.0f}s per step)",
        f"- apigen: {_version([str(VENV_BIN / 'apigen'), '--version'])} at {_git_state()}",
        f"- openapi-python-client: {opc or 'not run'}"
        + (f" ({opc_bin.parent.relative_to(REPO)})" if opc_bin else ""),
        f"- {_version([sys.executable, '-m', 'mypy', '--version'])}"
        + ("" if args.mypy else " (not run: --no-mypy)"),
        f"- Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs",
        f"- specs: `{shared_root()}` (corpus: APIs.guru, see corpus/MANIFEST.tsv)",
    ]


def print_totals(results: list[SpecResult], mypy: bool) -> None:
    """The totals table on stdout, aligned as plain text."""
    rows = totals_rows(apigen_totals(results), opc_totals(results), mypy)
    width = max(len(m) for m, _, _ in rows)
    print(f"\n{'':{width}}  {'apigen':<28}  openapi-python-client")
    for metric, ours, theirs in rows:
        print(f"{metric:{width}}  {ours:<28}  {theirs}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The CLI of the brief; `--worker JOB` is internal (one spec, in a subprocess)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--only", choices=("corpus", "features"))
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per spec per step")
    p.add_argument("--limit", type=int)
    p.add_argument("--filter", dest="substr", help="only specs whose path contains SUBSTR")
    p.add_argument("--no-peer", dest="peer", action="store_false")
    p.add_argument("--no-mypy", dest="mypy", action="store_false")
    p.add_argument("--out", type=Path, default=REPO / "docs" / "corpus.md")
    p.add_argument("--json", type=Path, help="also write every raw result here")
    p.add_argument("--work", type=Path, default=REPO / ".corpus", help="generated output")
    p.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.jobs < 1 or args.timeout <= 0:
        p.error("--jobs must be >= 1 and --timeout > 0")
    return args


def make_jobs(args: argparse.Namespace, opc_bin: Path | None) -> list[Job]:
    """One Job per selected spec, with a unique safe name."""
    root, work = shared_root(), args.work.resolve()
    specs = discover(root, args.only)
    if args.substr:
        specs = [s for s in specs if args.substr in str(s[0].relative_to(root))]
    jobs: list[Job] = []
    for path, group, origin in specs[: args.limit]:
        rel = str(path.relative_to(root))
        safe = safe_name(rel, group)
        while any(j["safe"] == safe for j in jobs):
            safe += "_"
        jobs.append(
            Job(
                spec=str(path),
                file=rel,
                group=group,
                origin=origin,
                safe=safe,
                work=str(work),
                timeout=args.timeout,
                mypy=args.mypy,
                venv_bin=str(VENV_BIN),
                opc_bin=str(opc_bin) if opc_bin else "",
                result=str(work / "results" / f"{safe}.json"),
            )
        )
    return jobs


def _sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # same clean-up path as Ctrl-C: kill every child, then exit


def main(argv: list[str]) -> int:
    """Orchestrate the run (or, with --worker, run one spec's job)."""
    args = parse_args(argv)
    if args.worker is not None:
        run_job(cast(Job, json.loads(args.worker.read_text(encoding="utf-8"))))
        return 0
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _sigterm)
    opc_bin = ensure_opc_venv() if args.peer else None
    jobs = make_jobs(args, opc_bin)
    if not jobs:
        print("corpus: no specs matched", file=sys.stderr)
        return 2
    work = args.work.resolve()
    shutil.rmtree(work / "apigen-cache", ignore_errors=True)  # every build validates cold
    print(f"corpus: {len(jobs)} specs, output in {work}", flush=True)
    head = header(args, opc_bin, len(jobs))
    try:
        results = run_all(jobs, work, args.jobs)
    except KeyboardInterrupt:
        print("corpus: interrupted; no report written", file=sys.stderr)
        return 130
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(results, head, args.peer, args.mypy), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print_totals(results, args.mypy)
    print(f"\ncorpus: report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
