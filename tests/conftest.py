"""Shared fixtures: where the real specs are, and building clients into temporary folders."""

from __future__ import annotations

import os
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
