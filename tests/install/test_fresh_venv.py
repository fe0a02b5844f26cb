"""Install anywhere (issue 9): in a fresh virtualenv outside the checkout, with only the package
index, the generator installs from its wheel, builds Stripe, and the client it wrote installs
with plain `pip install DIR` and calls a sandbox of the API.

Needs the package index (pip downloads hatchling and the dependencies; its cache is used):
without it this test fails with pip's message, it does not skip. About 30-60 s warm.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from apigen.sandbox import Sandbox
from tests.conftest import ROOT

pytestmark = pytest.mark.install

_CALL = textwrap.dedent(
    """
    import importlib.util, json, os, sys
    import apigen, stripe_client
    from stripe_client import Client
    from stripe_client.models import Customer, DeletedCustomer

    client = Client(base_url=sys.argv[1], api_key="sk_test_123")
    customer = client.customers.retrieve("cus_123")
    print(json.dumps({
        "apigen": apigen.__file__,
        "client": stripe_client.__file__,
        "runtime": stripe_client._runtime.__file__,
        "shared_runtime": importlib.util.find_spec("apigen_runtime") is not None,
        "type": type(customer).__module__ + "." + type(customer).__qualname__,
        "typed": isinstance(customer, (Customer, DeletedCustomer)),
        "id": customer.id,
        "path": [p for p in sys.path if p.startswith(os.environ["CHECKOUT"])],
    }))
    """
)


def _run(args: list[str | Path], cwd: Path, timeout: float) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "CHECKOUT": str(ROOT)}
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def test_wheel_installs_builds_stripe_and_the_client_calls_the_sandbox(
    tmp_path: Path, specs_dir: Path
) -> None:
    assert not tmp_path.is_relative_to(ROOT)
    work = tmp_path / "work"  # an empty working directory, not the checkout
    work.mkdir()
    dist = tmp_path / "dist"
    env_dir = tmp_path / "venv"
    bin_dir = env_dir / "bin"
    python = bin_dir / "python"

    # the generator's wheel, built from the checkout (build isolation: hatchling from the index)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, ROOT], work, 300)
    (wheel,) = dist.glob("apigen-*.whl")

    venv.create(env_dir, with_pip=True, clear=True)
    _run([python, "-m", "pip", "install", wheel], work, 300)

    out = tmp_path / "stripe_client"
    _run([bin_dir / "apigen", "build", specs_dir / "stripe.json", "-o", out], work, 300)
    assert not (work / ".ruff_cache").exists()
    assert sorted(p.name for p in work.iterdir()) == []  # nothing left in the working directory
    pyproject = (out / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "stripe-apigen-client"' in pyproject
    assert "apigen-runtime" not in pyproject

    _run([python, "-m", "pip", "install", out], work, 300)

    with Sandbox(specs_dir / "stripe.json", seed=1) as sandbox:
        script = work / "call.py"
        script.write_text(_CALL, encoding="utf-8")
        seen = json.loads(_run([python, script, sandbox.url], work, 120))
        requests = [(r.method, r.path) for r in sandbox.requests]

    site = env_dir.resolve()
    assert Path(seen["apigen"]).resolve().is_relative_to(site), seen
    assert Path(seen["client"]).resolve().is_relative_to(site), seen  # installed, not the build dir
    assert Path(seen["runtime"]).resolve().is_relative_to(site), seen  # the vendored runtime
    assert seen["shared_runtime"] is False  # nothing needs the apigen-runtime distribution
    assert seen["path"] == []  # the checkout is nowhere on the fresh venv's sys.path
    assert seen["typed"] is True, seen["type"]
    assert seen["type"].startswith("stripe_client.models."), seen["type"]
    assert isinstance(seen["id"], str) and seen["id"]
    assert ("GET", "/v1/customers/cus_123") in requests
