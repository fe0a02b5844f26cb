"""Generated code passes `ruff check` and `mypy --strict` (the committed clients)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("name", ["petstore", "stripe", "github"])
def test_ruff_clean(name: str) -> None:
    out = ROOT / "generated" / name
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
    )
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("name", ["petstore", "stripe", "github"])
def test_mypy_strict_clean(name: str, tmp_path: Path) -> None:
    out = ROOT / "generated" / name
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            "-p",
            name,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:]
