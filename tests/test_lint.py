"""The generator and the runtime pass `mypy --strict` and `ruff check` (as `make lint` runs); the
runtime passes pyright strict too (generated clients: tests/render/test_quality.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, run_pyright


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_mypy_strict_on_generator_and_runtime() -> None:
    result = _run("mypy")  # packages and strictness come from pyproject.toml
    assert result.returncode == 0, result.stdout[-4000:]


def test_ruff_on_project_sources() -> None:
    result = _run("ruff", "check", "--no-cache", "generator", "runtime", "scripts")
    assert result.returncode == 0, result.stdout[-4000:]


def test_pyright_strict_on_runtime() -> None:
    """Users run pyright as often as mypy: the runtime (shipped with every client) is clean under
    strict mode ([tool.pyright] in pyproject.toml: include and strictness)."""
    result = run_pyright("--outputjson", cwd=ROOT)
    report = json.loads(result.stdout)
    assert report["summary"]["filesAnalyzed"] >= 20, report["summary"]  # the whole package
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr[-2000:]
