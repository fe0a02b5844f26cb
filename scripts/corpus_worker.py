"""One spec, every step: apigen build, import probe, manifest checks, mypy; then the same for
openapi-python-client. Runs inside a worker subprocess started by `scripts/corpus.py`.

Why a worker process per spec: a multi-MB spec can make the spec counter (or anything else in
here) slow or memory-hungry; the orchestrator kills the worker at its deadline and records the
spec as failed, and the run goes on. Every tool is itself a bounded subprocess (run_bounded).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any, TypedDict, cast

from corpus_common import (
    KEEP_ITEMS,
    ApigenResult,
    Done,
    MypyResult,
    OpcResult,
    ProbeResult,
    SpecInfo,
    SpecResult,
    read_text,
    run_bounded,
)
from corpus_spec import spec_info

PROBE = Path(__file__).resolve().with_name("corpus_probe.py")
WARNING_MARK = ": warning: "
MYPY_ERROR = re.compile(r"^\S[^:]*:\d+(?::\d+)?: error: ")
MYPY_FOUND = re.compile(r"^Found (\d+) errors? in (\d+) files?")
MYPY_OK = re.compile(r"^Success: no issues found in (\d+) source files?")
# openapi-python-client 0.29.1 prints one header line per problem (parser/openapi.py, errors.py).
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b:?")
OPC_DROPPED = "Endpoint will not be generated."
OPC_WARNING_HEADS = ("WARNING parsing", "Unable to parse", "Unable to process", "Skipping")


class Job(TypedDict):
    """What the orchestrator hands a worker (as a JSON file)."""

    spec: str  # absolute path
    file: str  # relative name shown in the report
    group: str
    origin: str
    safe: str  # identifier-safe name, unique within the run
    work: str  # the run's work directory
    timeout: float
    mypy: bool
    venv_bin: str  # apigen's venv: apigen, python (probe, mypy)
    opc_bin: str  # "" = no peer run; else the peer venv's bin directory
    result: str  # where to write the SpecResult JSON


def run_job(job: Job) -> SpecResult:
    """Every step for one spec; never raises for a failure of the generated code."""
    spec = Path(job["spec"])
    info = spec_info(spec)
    result = SpecResult(
        file=job["file"],
        group=job["group"],
        origin=job["origin"],
        spec=info,
        apigen=run_apigen(job, info),
        opc=run_opc(job) if job["opc_bin"] else None,
        worker_error="",
    )
    Path(job["result"]).parent.mkdir(parents=True, exist_ok=True)
    Path(job["result"]).write_text(json.dumps(result), encoding="utf-8")
    return result


# --------------------------------------------------------------------------- apigen


def run_apigen(job: Job, info: SpecInfo) -> ApigenResult:
    """Build, then (only if the build succeeded) check the manifest, probe and type-check."""
    work, safe, bin_dir = Path(job["work"]), job["safe"], Path(job["venv_bin"])
    out, logs = work / "apigen" / safe, work / "logs" / safe
    shutil.rmtree(out, ignore_errors=True)
    env = {"APIGEN_CACHE_DIR": str(work / "apigen-cache")}
    argv = [str(bin_dir / "apigen"), "build", job["spec"], "-o", str(out)]
    done = run_bounded(argv, log=logs / "apigen-build", timeout=job["timeout"], env=env)
    stderr = read_text(done.stderr)
    res = ApigenResult(
        build_rc=done.rc,
        build_s=done.seconds,
        warnings=sum(WARNING_MARK in line for line in stderr.splitlines()),
        build_tail="" if done.rc == 0 else _failure_tail(done, job["timeout"]),
        package="",
        ops=0,
        missing_ops=[],
        extra_ops=[],
        duplicate_ops=[],
        duplicate_calls=[],
        manifest_webhooks=0,
        probe=None,
        probe_error="",
        mypy=None,
    )
    if done.rc != 0:
        return res
    try:
        manifest = json.loads((out / "apigen.json").read_text(encoding="utf-8"))
        res["package"] = str(manifest["package"])
        _compare_ops(res, manifest, info)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        res["probe_error"] = f"manifest unreadable: {type(exc).__name__}: {exc}"
        return res
    python = bin_dir / "python"
    res["probe"], res["probe_error"] = probe(
        python, out, res["package"], logs / "apigen-probe", job["timeout"], out / "apigen.json"
    )
    if job["mypy"]:
        res["mypy"] = run_mypy(None, out, res["package"], logs / "apigen-mypy", job)
    return res


def _compare_ops(res: ApigenResult, manifest: dict[str, Any], info: SpecInfo) -> None:
    """Manifest operations vs the spec's own paths x methods (webhooks kept apart)."""
    listed = [f"{op['method'].upper()} {op['path']}" for op in manifest.get("operations", [])]
    in_spec, hooks = set(info["ops"]), set(info["webhook_ops"])
    res["manifest_webhooks"] = sum(op in hooks and op not in in_spec for op in listed)
    res["ops"] = len(listed) - res["manifest_webhooks"]
    res["missing_ops"] = sorted(in_spec - set(listed))
    res["extra_ops"] = sorted(set(listed) - in_spec - hooks)
    res["duplicate_ops"] = sorted(op for op, n in Counter(listed).items() if n > 1)
    calls: dict[str, list[str]] = {}
    for op, entry in zip(listed, manifest.get("operations", []), strict=True):
        calls.setdefault(str(entry["call"]), []).append(op)
    res["duplicate_calls"] = [f"{c}: {', '.join(ops)}" for c, ops in calls.items() if len(ops) > 1]


def _failure_tail(done: Done, timeout: float) -> str:
    if done.rc is None:
        return f"timed out after {timeout:.0f}s\n{done.tail()}".rstrip()
    return done.tail()


# --------------------------------------------------------------------------- shared checks


def probe(
    python: Path, root: Path, package: str, log: Path, timeout: float, manifest: Path | None
) -> tuple[ProbeResult | None, str]:
    """Run corpus_probe.py in a fresh interpreter; (result, "") or (None, why it failed)."""
    out = log.with_suffix(".json")
    out.unlink(missing_ok=True)
    argv = [str(python), str(PROBE), str(root), package, str(out)]
    if manifest is not None:
        argv += ["--manifest", str(manifest)]
    done = run_bounded(argv, log=log, timeout=timeout, cwd=root)
    if done.rc != 0 or not out.exists():
        return None, f"probe rc={done.rc}: {_failure_tail(done, timeout)}"
    return cast(ProbeResult, json.loads(out.read_text(encoding="utf-8"))), ""


def run_mypy(target: Path | None, root: Path, package: str, log: Path, job: Job) -> MypyResult:
    """`mypy --strict` on one package: no config file, no cache, so every spec starts clean.

    mypy always runs from apigen's venv (one mypy version for both tools); `target` is the
    interpreter whose site-packages the package is checked against (None: apigen's venv).
    """
    argv = [str(Path(job["venv_bin"]) / "python"), "-m", "mypy", "--strict", "--no-incremental"]
    argv += ["--cache-dir=/dev/null", "--config-file=", "--no-color-output", "--no-pretty"]
    if target is not None:
        argv += ["--python-executable", str(target)]
    argv += ["-p", package]
    done = run_bounded(argv, log=log, timeout=job["timeout"], cwd=root)
    return parse_mypy(done, job["timeout"])


def parse_mypy(done: Done, timeout: float) -> MypyResult:
    """Error count from mypy's summary line (error lines counted when the summary is absent)."""
    lines = read_text(done.stdout).splitlines()
    errors = [line for line in lines if MYPY_ERROR.match(line)]
    result = MypyResult(
        rc=done.rc, seconds=done.seconds, errors=None, files=None, lines=[], note=""
    )
    result["lines"] = errors[:KEEP_ITEMS]
    for line in lines:
        if found := MYPY_FOUND.match(line):
            result["errors"], result["files"] = int(found[1]), int(found[2])
        elif ok := MYPY_OK.match(line):
            result["errors"], result["files"] = 0, int(ok[1])
    if done.rc is None:
        result["note"] = f"timed out after {timeout:.0f}s"
    elif result["errors"] is None:
        result["errors"] = len(errors) if done.rc == 1 and errors else None
        if result["errors"] is None:
            result["note"] = f"mypy rc={done.rc}: {done.tail(6)}"
    return result


# --------------------------------------------------------------------------- openapi-python-client


def run_opc(job: Job) -> OpcResult:
    """Generate with opc 0.29.1 (`--meta none`: the output dir *is* the package), then judge
    its output with the same probe and mypy settings as apigen's."""
    work, safe, opc_bin = Path(job["work"]), job["safe"], Path(job["opc_bin"])
    parent, package = work / "opc" / safe, f"opc_{safe}"
    logs = work / "logs" / safe
    shutil.rmtree(parent, ignore_errors=True)
    parent.mkdir(parents=True)
    argv = [str(opc_bin / "openapi-python-client"), "generate", "--path", job["spec"]]
    argv += ["--output-path", str(parent / package), "--overwrite", "--meta", "none"]
    env = {
        "PATH": f"{opc_bin}{os.pathsep}{os.environ.get('PATH', '')}"
    }  # its ruff post-hook is looked up on PATH
    done = run_bounded(argv, log=logs / "opc-gen", timeout=job["timeout"], cwd=parent, env=env)
    text = read_text(done.stdout) + "\n" + read_text(done.stderr)
    res = OpcResult(
        rc=done.rc,
        seconds=done.seconds,
        dropped=text.count(OPC_DROPPED),
        warnings=sum(line.startswith(OPC_WARNING_HEADS) for line in text.splitlines()),
        tail="" if done.rc == 0 else _opc_failure(done, text, job["timeout"]),
        ops=0,
        probe=None,
        probe_error="",
        mypy=None,
    )
    if done.rc != 0 or not (parent / package).is_dir():
        return res
    api = parent / package / "api"
    res["ops"] = sum(1 for p in api.rglob("*.py") if p.name != "__init__.py")
    python = opc_bin / "python"
    res["probe"], res["probe_error"] = probe(
        python, parent, package, logs / "opc-probe", job["timeout"], None
    )
    if job["mypy"]:
        res["mypy"] = run_mypy(python, parent, package, logs / "opc-mypy", job)
    return res


def _opc_failure(done: Done, text: str, timeout: float) -> str:
    """opc's own explanation: the lines after its error header, or its traceback's last line."""
    if done.rc is None:
        return f"timed out after {timeout:.0f}s"
    lines = [line.strip(" │╭╮╰╯─") for line in text.splitlines()]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        if line.startswith("Error(s) encountered"):
            return "\n".join(lines[i + 1 : i + 5])
    raised = [i for i, line in enumerate(lines) if EXCEPTION_LINE.match(line)]
    if raised:  # a crash: rich prints the exception after the boxed traceback
        return "\n".join(lines[raised[-1] : raised[-1] + 2])
    return "\n".join(lines[-3:])
