"""Fixtures for the spec stage (apigen.spec: parse, bundle, upgrade, validate, locate).

Tests over the real specs need `../shared/specs` beside the checkout (or $APIGEN_SHARED_SPECS);
when it is missing they fail loudly instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "specs"
SHARED = Path(
    os.environ.get("APIGEN_SHARED_SPECS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "specs"
)


def require_shared() -> Path:
    """The shared real-spec folder, or a test failure naming where it was looked for."""
    if not (SHARED / "github.json").is_file():
        pytest.fail(
            f"real specs missing: {SHARED} (tests/spec needs /work/shared/specs or APIGEN_SHARED_SPECS)",
            pytrace=False,
        )
    return SHARED


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs the validator on a large real spec")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Validation results must never leak between tests (or into ~/.cache)."""
    cache = tmp_path_factory.mktemp("apigen-cache")
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(cache))
    return cache
