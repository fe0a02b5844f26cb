"""Every feature example (Swagger 2.0, OpenAPI 3.0, 3.1) builds into a working client."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_specs

from .helpers import build_into, check_generated, spec_operation_count


def _feature_specs() -> list[Path]:
    root = shared_specs() / "features"
    return sorted(p for p in root.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))


def test_there_are_59_feature_specs() -> None:
    assert len(_feature_specs()) == 59


@pytest.mark.parametrize(
    "spec", _feature_specs(), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_feature_spec_builds_and_imports(spec: Path, tmp_path: Path) -> None:
    name = "f_" + spec.stem.replace("-", "_")
    build_into(spec, tmp_path / name)
    data = check_generated(tmp_path / name)
    assert len(data["operations"]) == spec_operation_count(spec)
