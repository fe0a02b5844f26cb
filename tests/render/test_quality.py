"""Generated code passes `ruff check` and `mypy --strict` (the committed clients), and pyright
strict (fresh builds of the current templates)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_pyright


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


@pytest.mark.parametrize("name", ["petstore", "stripe", "github"])
def test_pyright_strict_clean(name: str, built: dict[str, Path], tmp_path: Path) -> None:
    """What a user running pyright in strict mode sees on the client (measured on 2 cores:
    petstore ~3 s, Stripe ~20 s, GitHub ~45 s)."""
    out = built[name]
    config = tmp_path / "pyrightconfig.json"  # beside, not inside, the shared build
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    result = run_pyright("--outputjson", "--project", str(config), str(out), cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["summary"]["filesAnalyzed"] > 0, report["summary"]
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert errors == [], "\n".join(errors[:50])


def test_lazy_package_survives_a_submodule_named_like_its_imports(built: dict[str, Path]) -> None:
    """Stripe's `types.files` module, once imported, is bound as `stripe.types.files`: the lazy
    index must not be read through a global of that name (found by pyright strict)."""
    code = "import stripe.types.files, stripe.types as t; print(len(dir(t)), t.FilesListResponse)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=built["stripe"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "stripe.types.files.FilesListResponse" in result.stdout
