"""A bounded slice of `make fuzz-specs` (scripts/fuzz_specs.py): broken variants of real specs
never crash `apigen build` or the sandbox; each ends in a client or in apigen's own error."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.builds import load_script


def _fuzzer() -> ModuleType:
    return load_script("fuzz_specs")


def test_mutated_specs_build_or_fail_cleanly(specs_dir: Path, tmp_path: Path) -> None:
    fuzz = _fuzzer()
    fuzz.SHARED = specs_dir
    crashes = fuzz.run(seed=0, cases=25, keep=tmp_path)
    assert crashes == {}, "\n".join(f"{sig}: {info}" for sig, info in crashes.items())


def test_the_mutation_breaks_the_document(specs_dir: Path) -> None:
    import random

    import yaml

    fuzz = _fuzzer()
    original = yaml.safe_load((specs_dir / "petstore.yaml").read_text())
    rng = random.Random(1)
    changed = sum(
        fuzz.mutate(yaml.safe_load((specs_dir / "petstore.yaml").read_text()), rng) != original
        for _ in range(10)
    )
    assert changed >= 9


@pytest.mark.parametrize("stage", ["build", "sandbox"])
def test_a_crash_is_counted_by_where_it_was_raised(stage: str) -> None:
    fuzz = _fuzzer()
    try:
        {}["missing"]
    except KeyError as exc:
        assert fuzz._signature(exc, stage).startswith(f"{stage}: KeyError at test_fuzz_specs.py:")


def test_mutated_specs_that_build_import_and_build_their_models(
    specs_dir: Path, tmp_path: Path
) -> None:
    fuzz = _fuzzer()
    fuzz.SHARED = specs_dir
    crashes = fuzz.run(seed=2, cases=6, keep=tmp_path, import_check=True)
    assert crashes == {}, "\n".join(f"{sig}: {info}" for sig, info in crashes.items())


def test_the_import_check_fails_on_a_model_that_cannot_build(tmp_path: Path) -> None:
    from apigen.pipeline import build

    fuzz = _fuzzer()
    spec = tmp_path / "spec.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"Thing": {"type": "object",'
        ' "properties": {"a": {"type": "string"}}}}}}'
    )
    out = tmp_path / "out" / "pkg"
    build(spec, out)
    fuzz._import_check(out)  # the client as built passes
    model = out / "pkg" / "models" / "thing.py"
    # a field typed by a name nothing defines: the module imports, the validator cannot build
    model.write_text(model.read_text().replace("a: str | None", "a: 'Missing | None'"))
    with pytest.raises(fuzz.ImportCheckError, match=r"Thing.* is not fully defined"):
        fuzz._import_check(out)
