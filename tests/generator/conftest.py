"""Session-wide builds of the big real specs (each is built once and shared by tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_specs

from .helpers import build_into

# name in generated/ -> spec file (relative to ../shared/specs, or to the repo for our own)
BIG = {
    "github": "github.json",
    "stripe": "stripe.json",
}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """generated/-style builds of petstore (ours), GitHub and Stripe into a temporary folder."""
    root = tmp_path_factory.mktemp("built")
    out: dict[str, Path] = {}
    specs = shared_specs()
    build_into(ROOT / "specs" / "petstore.yaml", root / "petstore")
    out["petstore"] = root / "petstore"
    for name, file in BIG.items():
        build_into(specs / file, root / name)
        out[name] = root / name
    return out
