"""load_spec over every real spec in /work/shared/specs (features, the big four, the corpus).

These tests use the shared real specs and fail (never skip) when the folder is missing.
"""

from __future__ import annotations

import time

import pytest

from apigen.diagnostics import Report
from apigen.spec import load_spec
from apigen.spec.refs import canonical_ref

from .conftest import SHARED, require_shared
from .test_refs import all_refs

BIG = ["github.json", "stripe.json", "stripe-spec3-official-2022-04-12.json", "petstore.yaml"]


def names(pattern: str) -> list[str]:
    found = sorted(str(p.relative_to(SHARED)) for p in SHARED.glob(pattern))
    return found or [f"<nothing matches {pattern} in {SHARED}>"]


def check(relative: str) -> None:
    path = require_shared() / relative
    assert path.is_file(), f"missing real spec {path}"
    spec = load_spec(path, report=Report())
    doc = spec.document
    assert str(doc["openapi"]).startswith("3.")
    unresolved = [r for r in set(all_refs(doc)) if canonical_ref(doc, r) != (True, r)]
    assert unresolved == []


@pytest.mark.parametrize("relative", names("features/*/*.yaml") + names("features/*/*.json"))
def test_feature_specs_load(relative: str) -> None:
    check(relative)


@pytest.mark.parametrize("relative", BIG)
def test_big_specs_load(relative: str) -> None:
    check(relative)


@pytest.mark.parametrize("relative", names("corpus/*.json"))
def test_corpus_specs_load(relative: str) -> None:
    check(relative)


def test_github_loads_fast() -> None:
    path = require_shared() / "github.json"
    load_spec(path, report=Report())  # warm the page cache
    start = time.perf_counter()
    spec = load_spec(path, report=Report())
    elapsed = time.perf_counter() - start
    assert len(spec.document["paths"]) > 800
    assert elapsed < 2.0, f"github.json took {elapsed:.2f}s to load (expected ~0.4s)"
