"""Shared fixtures: where the real specs are, and building clients into temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_specs() -> Path:
    """`../shared/specs` beside the checkout (or $APIGEN_SHARED_SPECS); a missing one fails."""
    path = Path(os.environ.get("APIGEN_SHARED_SPECS", ROOT.parent / "shared" / "specs"))
    if not (path / "github.json").is_file():
        pytest.fail(f"the real specs are missing: {path} (set APIGEN_SHARED_SPECS)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def specs_dir() -> Path:
    return shared_specs()


PYRIGHT = ROOT / "node_modules" / ".bin" / "pyright"


def run_pyright(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """pyright (pinned in package.json; `make install` runs `npm ci`) on this interpreter's
    packages; a missing pyright fails: type checking is part of CI, not optional."""
    if not PYRIGHT.exists():
        pytest.fail(f"{PYRIGHT} is missing: run `make install` (npm ci)", pytrace=False)
    return subprocess.run(
        [str(PYRIGHT), "--pythonpath", sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
