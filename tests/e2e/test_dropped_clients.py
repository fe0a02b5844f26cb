"""A client dropped without `close()` while a streamed page is read closes its connections
before their sockets' finalizers can warn (helper 183: `ResourceWarning: unclosed socket` in
19 of 20 rounds under `-X dev` with the pool closed by `__del__`, which the collector ran after
the sockets' own; a `weakref.finalize` runs before any finalizer)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from apigen.sandbox import Sandbox
from tests.builds import build_into
from tests.conftest import ROOT

PETSTORE = ROOT / "specs" / "petstore.yaml"
SCRIPT = """\
import gc, sys, warnings
from pets import Client
warned = []
warnings.showwarning = lambda message, category, *rest, **kw: warned.append(str(message))
warnings.simplefilter("always", ResourceWarning)
for _ in range(20):
    client = Client(base_url=sys.argv[1], api_key="k")
    with client.pets.with_streaming_response.list() as response:
        del client
        gc.collect()
        response.json()
    gc.collect()
port = sys.argv[1].split(":")[2].split("/")[0]
print(len([w for w in warned if f"raddr=('127.0.0.1', {port})" in w]))
"""


def test_a_dropped_client_s_connections_close_before_their_sockets_warn(tmp_path: Path) -> None:
    build_into(PETSTORE, tmp_path / "out", name="pets")
    document = yaml.safe_load(PETSTORE.read_text())
    with Sandbox(document) as sandbox:
        done = subprocess.run(
            [sys.executable, "-X", "dev", "-c", SCRIPT, sandbox.url],
            capture_output=True,
            text=True,
            cwd=tmp_path / "out",
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "0", done.stdout + done.stderr[-2000:]
