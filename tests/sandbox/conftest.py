"""The real specs (../shared/specs, see tests/conftest.py), loaded once per session.

A missing spec is a broken test environment, so it fails loudly instead of skipping.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tests.conftest import shared_specs


def load_spec(relative: str) -> dict[str, Any]:
    path = shared_specs() / relative
    if not path.is_file():
        pytest.fail(f"required spec {path} is missing", pytrace=False)
    with path.open(encoding="utf-8") as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10x faster on big specs
        data = json.load(handle) if path.suffix == ".json" else yaml.load(handle, Loader=loader)
    assert isinstance(data, dict)
    return data


def feature_specs(version: str) -> list[str]:
    """`features/<version>/*.yaml`, relative to the specs folder (evaluated at collection)."""
    root = shared_specs() / "features"
    found = sorted(p.relative_to(root.parent).as_posix() for p in (root / version).glob("*.yaml"))
    if not found:
        pytest.fail(f"no feature specs under {root / version}", pytrace=False)
    return found


@pytest.fixture(scope="session")
def github_doc() -> dict[str, Any]:
    return load_spec("github.json")


@pytest.fixture(scope="session")
def stripe_doc() -> dict[str, Any]:
    return load_spec("stripe.json")


@pytest.fixture(scope="session")
def petstore_doc() -> dict[str, Any]:
    return load_spec("petstore.yaml")
