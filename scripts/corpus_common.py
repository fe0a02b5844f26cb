"""Shared pieces of `scripts/corpus.py`: result records and the one bounded subprocess runner.

Results cross a process boundary (worker subprocess -> orchestrator) as JSON, so they are
TypedDicts: plain dicts on the wire, checked shapes in the code on either side.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

# How much of a failing command's output is kept in the JSON results and the report.
TAIL_LINES = 12
# How many individual problems (import errors, unresolved calls, mypy lines) are kept per spec.
KEEP_ITEMS = 20


class SpecInfo(TypedDict):
    """What the spec itself says (counted by the worker, independent of any generator)."""

    version: str
    ops: list[str]  # "METHOD /path", paths x HTTP methods, path-item $refs followed
    webhook_ops: list[str]  # "METHOD name" from 3.1 `webhooks` (not paths; never "dropped")
    problems: list[str]  # path-item $refs that could not be followed, load errors


class ProbeResult(TypedDict):
    """The import/resolve probe's answer (see corpus_probe.py)."""

    modules: int
    import_failures: int
    import_errors: list[str]
    calls_total: int
    calls_resolved: int
    unresolved_calls: list[str]
    models_total: int
    models_resolved: int
    unresolved_models: list[str]
    client_errors: list[str]


class MypyResult(TypedDict):
    """`mypy --strict` over one generated package; `errors` is None when mypy did not finish."""

    rc: int | None
    seconds: float
    errors: int | None
    files: int | None
    lines: list[str]
    note: str


class ApigenResult(TypedDict):
    """Every apigen step for one spec; later steps stay empty when an earlier one failed."""

    build_rc: int | None  # None: killed at the timeout
    build_s: float
    warnings: int
    build_tail: str
    package: str
    ops: int
    missing_ops: list[str]  # in the spec's paths, absent from the manifest
    extra_ops: list[str]  # in the manifest, not in the spec's paths (nor its webhooks)
    duplicate_ops: list[str]
    duplicate_calls: list[str]  # one `call` shared by several operations: all but one shadowed
    manifest_webhooks: int
    probe: ProbeResult | None
    probe_error: str
    mypy: MypyResult | None


class OpcResult(TypedDict):
    """openapi-python-client on one spec, judged with the same probe and mypy as apigen."""

    rc: int | None
    seconds: float
    dropped: int  # "Endpoint will not be generated."
    warnings: int  # every warning header it printed
    tail: str
    ops: int  # modules under <pkg>/api/<tag>/
    probe: ProbeResult | None
    probe_error: str
    mypy: MypyResult | None


class SpecResult(TypedDict):
    """One row of the report."""

    file: str  # relative to the shared specs root, e.g. corpus/stripe.com.json
    group: str  # corpus | features
    origin: str
    spec: SpecInfo
    apigen: ApigenResult | None
    opc: OpcResult | None
    worker_error: str  # set when the worker itself crashed or timed out


@dataclass(frozen=True)
class Done:
    """A finished (or killed) subprocess; output went to files so huge logs never sit in RAM."""

    rc: int | None  # None: killed at the timeout
    seconds: float
    stdout: Path
    stderr: Path

    def tail(self, lines: int = TAIL_LINES) -> str:
        """Last `lines` non-blank lines of stderr, else of stdout: where a tool explains itself."""
        for path in (self.stderr, self.stdout):
            text = read_text(path)
            kept = [line for line in text.splitlines() if line.strip()]
            if kept:
                return "\n".join(kept[-lines:])
        return ""


def read_text(path: Path) -> str:
    """A log file's text, or "" when the step never wrote it."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def run_bounded(
    argv: list[str],
    *,
    log: Path,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Done:
    """Run `argv` with a hard timeout, stdout/stderr to `log`.out/.err.

    The child gets its own session so that on timeout its whole process group (mypy workers,
    opc's ruff post-hooks, ...) is killed, not just the direct child.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    out, err = log.with_suffix(".out"), log.with_suffix(".err")
    full_env = {**os.environ, **(env or {})}
    start = time.monotonic()
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(
            argv, cwd=cwd, env=full_env, stdout=fo, stderr=fe, start_new_session=True
        )
        with _LIVE_LOCK:
            _LIVE.add(proc)
        try:
            rc: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_tree(proc)
            rc = None
        finally:
            if proc.poll() is None:  # interrupted (Ctrl-C): leave nothing behind
                kill_tree(proc)
            with _LIVE_LOCK:
                _LIVE.discard(proc)
    return Done(rc, round(time.monotonic() - start, 2), out, err)


# Children started by run_bounded and still running, so an interrupted run can stop them all.
_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()


def kill_all_live() -> None:
    """Kill every still-running child of this process (and its descendants)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for proc in live:
        kill_tree(proc)


def kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL `proc`, its process group, and every descendant, then reap it.

    Descendants are found through /proc because a step may have started its own session
    (a worker's steps do), which killing the worker's group would not reach. The tree is
    frozen (SIGSTOP) first so nothing can fork between the snapshot and the kill.
    """
    frozen = [proc.pid, *_descendants(proc.pid)]
    for pid in frozen:
        _signal(pid, signal.SIGSTOP)
    for pid in {*frozen, *_descendants(proc.pid)}:
        _signal(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):  # the group may already be empty
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have exited on its own meanwhile
        os.kill(pid, sig)


def _descendants(root: int) -> list[int]:
    """Pids below `root` in the process tree (from /proc/<pid>/stat's ppid field)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited while we looked
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found
