"""The generator and the runtime pass `mypy --strict` and `ruff check` (as `make lint` runs)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


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
