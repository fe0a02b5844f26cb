"""Session-wide builds of the big real specs (each is built once and shared by tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.config import load_config
from tests.conftest import ROOT, shared_specs

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
