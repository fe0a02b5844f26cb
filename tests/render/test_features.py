"""Every feature example (Swagger 2.0, OpenAPI 3.0, 3.1) builds into a working, clean client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.builds import build_into, check_generated, spec_operation_count
from tests.conftest import shared_specs


def _feature_specs() -> list[Path]:
    root = shared_specs() / "features"
    return sorted(p for p in root.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))


def _package(spec: Path) -> str:
    return f"f{spec.parent.name.replace('.', '')}_{spec.stem.replace('-', '_')}"


@pytest.fixture(scope="module")
def feature_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All feature specs built side by side (one folder per spec) for the checks below."""
    root = tmp_path_factory.mktemp("features")
    for spec in _feature_specs():
        build_into(spec, root / _package(spec))
    return root


def test_there_are_59_feature_specs() -> None:
    assert len(_feature_specs()) == 59


@pytest.mark.parametrize("spec", _feature_specs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_feature_spec_builds_and_imports(spec: Path, feature_builds: Path) -> None:
    data = check_generated(feature_builds / _package(spec))
    assert len(data["operations"]) == spec_operation_count(spec)


def test_feature_clients_pass_ruff_and_mypy_strict(feature_builds: Path) -> None:
    outs = sorted(p for p in feature_builds.iterdir() if p.is_dir())
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *map(str, outs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    args = [arg for out in outs for arg in ("-p", out.name)]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"MYPYPATH": ":".join(map(str, outs)), "PATH": "/usr/bin:/bin"},
        cwd=feature_builds,
        timeout=1200,
    )
    assert mypy.returncode == 0, mypy.stdout[-5000:]
