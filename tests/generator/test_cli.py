"""The command line: clear errors, warnings with locations, atomic and deterministic output."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

from .helpers import check_generated

SPECS = Path(__file__).parent / "specs"
PETSTORE = ROOT / "specs" / "petstore.yaml"


def apigen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigen", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_unresolvable_ref_fails_cleanly_and_keeps_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "petstore"
    assert apigen("build", PETSTORE, "-o", out).returncode == 0
    before = tree_digest(out)
    result = apigen("build", SPECS / "broken-ref.yaml", "-o", out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "broken-ref.yaml" in result.stderr
    assert "#/components/schemas/Missing" in result.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["petstore"]  # no staging left


def test_not_an_openapi_document(tmp_path: Path) -> None:
    result = apigen("build", SPECS / "not-openapi.yaml", "-o", tmp_path / "x")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not-openapi.yaml" in result.stderr
    assert not (tmp_path / "x").exists()


def test_recoverable_problems_warn_with_locations_and_still_build(tmp_path: Path) -> None:
    out = tmp_path / "recoverable"
    result = apigen("build", SPECS / "recoverable.yaml", "-o", out)
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "warning" in err
    assert "recoverable.yaml:" in err
    assert "#/components/schemas/Item/properties/size/default" in err
    assert "pattern" in err
    data = check_generated(out)
    assert [op["call"] for op in data["operations"]] == ["items.list"]


def test_strict_fails_on_recoverable_problems(tmp_path: Path) -> None:
    result = apigen("build", SPECS / "recoverable.yaml", "-o", tmp_path / "r", "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r").exists()


def test_check_command(tmp_path: Path) -> None:
    assert apigen("check", PETSTORE).returncode == 0
    bad = apigen("check", SPECS / "broken-ref.yaml")
    assert bad.returncode == 1 and "#/components/schemas/Missing" in bad.stderr


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    result = apigen("build", PETSTORE, "-o", out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (out / "notes.txt").read_text() == "precious"


def test_missing_spec_file_is_a_clear_error(tmp_path: Path) -> None:
    result = apigen("build", tmp_path / "nope.yaml", "-o", tmp_path / "x")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_same_spec_same_bytes(tmp_path: Path) -> None:
    apigen("build", PETSTORE, "-o", tmp_path / "a" / "petstore")
    apigen("build", PETSTORE, "-o", tmp_path / "b" / "petstore")
    assert tree_digest(tmp_path / "a" / "petstore") == tree_digest(tmp_path / "b" / "petstore")


def test_importing_and_constructing_is_lazy(built: dict[str, Path]) -> None:
    code = (
        "import sys; import github; c = github.Client(); a = github.AsyncClient();"
        "loaded = [m for m in sys.modules if m.startswith('github.')];"
        "print(','.join(sorted(loaded)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=built["github"],
        check=True,
        timeout=120,
    ).stdout.strip()
    assert out.split(",") == ["github._client"]


@pytest.mark.parametrize("name", ["petstore"])
def test_name_option(tmp_path: Path, name: str) -> None:
    result = apigen("build", PETSTORE, "-o", tmp_path / "out", "--name", "my-pets")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "my_pets" / "__init__.py").is_file()
