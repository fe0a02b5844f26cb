"""The real specs build into clients whose manifest, modules and calls all hold up."""

from __future__ import annotations

import filecmp
from pathlib import Path
from typing import Any

import pytest

from tests.builds import build_into, check_generated, spec_operation_count
from tests.conftest import ROOT


@pytest.mark.parametrize("name", ["petstore", "github", "stripe"])
def test_manifest_covers_every_operation_and_everything_resolves(
    built: dict[str, Path], specs_dir: Path, name: str
) -> None:
    spec = ROOT / "specs" / "petstore.yaml" if name == "petstore" else specs_dir / f"{name}.json"
    data = check_generated(built[name])
    assert len(data["operations"]) == spec_operation_count(spec)
    calls = [op["call"] for op in data["operations"]]
    assert len(set(calls)) == len(calls)


def test_github_and_stripe_counts(built: dict[str, Path]) -> None:
    from tests.builds import manifest

    github = manifest(built["github"])
    assert len(github["operations"]) == 1223
    assert len(github["models"]) == 969  # every component schema, none dropped
    stripe = manifest(built["stripe"])
    assert len(stripe["operations"]) == 452
    assert len(stripe["models"]) == 775
    assert stripe["client"] == "stripe.Client"
    calls = {op["call"] for op in stripe["operations"]}
    assert {"customers.list", "customers.create", "customers.sources.list"} <= calls


def test_stripe_2022_official_spec_builds(specs_dir: Path, tmp_path: Path) -> None:
    spec = specs_dir / "stripe-spec3-official-2022-04-12.json"
    build_into(spec, tmp_path / "stripe2022")
    data = check_generated(tmp_path / "stripe2022")
    assert len(data["operations"]) == spec_operation_count(spec) == 417


def test_shared_petstore_builds(specs_dir: Path, tmp_path: Path) -> None:
    spec = specs_dir / "petstore.yaml"
    build_into(spec, tmp_path / "shared_petstore")
    data = check_generated(tmp_path / "shared_petstore")
    assert len(data["operations"]) == spec_operation_count(spec)


def _tree_diff(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    stack = [(cmp, Path())]
    diffs: list[str] = []
    while stack:
        c, rel = stack.pop()
        diffs += [str(rel / n) for n in c.left_only + c.right_only + c.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        diffs += [str(rel / n) for n in mismatch + errors]
        stack.extend((sub, rel / n) for n, sub in c.subdirs.items())
    return sorted(diffs)


@pytest.mark.parametrize("name", ["petstore", "github", "stripe"])
def test_committed_generated_matches_a_fresh_build(built: dict[str, Path], name: str) -> None:
    committed = ROOT / "generated" / name
    assert committed.is_dir(), f"generated/{name} is missing: run `make generate`"
    diffs = _tree_diff(committed, built[name])
    assert not diffs, f"generated/{name} is stale (run `make generate`): {diffs[:10]}"


def test_stripe_models_of_a_big_cycle_have_a_complete_json_schema(built: dict[str, Path]) -> None:
    """Stripe's Account reaches most of the spec through lazily named models that name each
    other (decision 23): its JSON schema has every reachable model once, and no dangling $ref."""
    import json
    import re

    from tests.builds import on_path

    with on_path(built["stripe"], "stripe"):
        from stripe.models.account import Account  # type: ignore[import-not-found]

        schema: dict[str, Any] = Account.model_json_schema()
    defs = schema["$defs"]
    assert {"Customer", "Card", "BankAccount", "Person"} <= set(defs)
    refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema)))
    assert refs and refs <= set(defs)


def test_split_types_modules_name_only_parts_that_exist(specs_dir: Path, tmp_path: Path) -> None:
    """A resource split into parts re-exports its parts' inline types for type checkers; a
    part without inline types writes no module, so naming it broke `mypy --strict` (Azure
    web-service's `sites`: `_sites_slots_5`, `_sites_premieraddons`; 2026-12-05)."""
    import re

    out = tmp_path / "azure_web"
    build_into(specs_dir / "corpus" / "azure.com__web-service.json", out, name="azure_web")
    types = out / "azure_web" / "types"
    split = [p for p in types.glob("*.py") if "_PARTS = frozenset(" in p.read_text()]
    assert split, "the spec no longer has a resource split into parts"
    for module in split:
        for name in re.findall(r"from \.(\w+) import \*", module.read_text()):
            assert (types / f"{name}.py").is_file(), f"{module.name} names {name}"
