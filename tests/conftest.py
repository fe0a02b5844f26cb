"""Shared fixtures: where the real specs are, and building clients into temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apigen.config import load_config

ROOT = Path(__file__).resolve().parents[1]
# Small specs written for the IR, render, CLI and end-to-end tests (the spec stage's own are in
# tests/spec/specs).
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _hermetic_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """apigen's caches in a folder of this test session, not the user's; and no whole-build
    cache (the CLI's default): every test that builds runs the stages it tests, monkeypatched
    or not. tests/cli/test_build_cache.py turns it back on."""
    os.environ.setdefault("APIGEN_CACHE_DIR", str(tmp_path_factory.mktemp("apigen-cache")))
    os.environ["APIGEN_NO_BUILD_CACHE"] = "1"


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


# --- `make test-fast`: everything but the slow tests (`-m "not slow"`) -----------------------

# Folders and modules whose tests each take seconds: real-spec builds, contract and Prism runs,
# type checkers and linters over generated packages, a fresh virtualenv, corpus slices.
_SLOW_DIRS = {"contract", "prism", "install"}
_SLOW_MODULES = {
    "test_quality",  # pyright over generated clients
    "test_features",  # 59 feature specs built, ruff + mypy --strict
    "test_pagination_detect",  # mypy over paginated clients
    "test_corpus2_slice",
    "test_validator_oracle",
    "test_real_specs",
    "test_lint",  # ruff, mypy and pyright over the repository
    # a build (or several) per test, through the CLI or a subprocess
    "test_write",
    "test_runtime_modes",
    "test_cli_console",
    "test_spec_url",
    "test_long_running",
    "test_config",
    "test_cli",  # `apigen` in subprocesses
    "test_ratelimit_redis",  # real redis-server processes
}
# Session fixtures that build Stripe and GitHub (or serve them): any test using one is slow.
_SLOW_FIXTURES = {"built", "specs_dir", "stripe_sandbox", "github_sandbox", "fuzz_builds"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tests (the stages' fast unit tests stay unmarked): `make test-fast`
    deselects them, `make test` runs everything."""
    slow = pytest.mark.slow
    for item in items:
        path = Path(str(item.fspath))
        fixtures = set(getattr(item, "fixturenames", ()))
        if (
            _SLOW_DIRS & set(path.parts)
            or path.stem in _SLOW_MODULES
            or fixtures & _SLOW_FIXTURES
            or "mypy" in item.name
            or "stripe" in item.name.lower()  # builds or serves a real provider spec
            or "github" in item.name.lower()
        ):
            item.add_marker(slow)


# --- session-wide builds of the big real specs (each built once, shared by tests) -----------

# name in generated/ -> spec file (relative to ../shared/specs, or to the repo for our own)
BIG = {
    "github": "github.json",
    "stripe": "stripe.json",
}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """generated/-style builds of petstore (ours), GitHub and Stripe into a temporary folder,
    configured by the repository's apigen.toml exactly as `make generate` builds them."""
    root = tmp_path_factory.mktemp("built")
    out: dict[str, Path] = {}
    specs = shared_specs()  # fails loudly when ../shared/specs is missing
    clients = {c.name: c for c in load_config(ROOT / "apigen.toml").clients}
    assert set(clients) == {"petstore", *BIG}
    for name, file in BIG.items():
        assert clients[name].spec == (specs / file).resolve()
    for name, client in clients.items():
        client.build(root / name)
        out[name] = root / name
    return out
