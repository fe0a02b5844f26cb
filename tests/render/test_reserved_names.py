"""The names a build reserves (pipeline.py, written out so a build need not import the runtime)
are exactly the public attributes of the runtime's client and resource base classes."""

from __future__ import annotations

import subprocess
import sys

from apigen import pipeline
from apigen.bundled import runtime_module


def _public(*classes: type) -> set[str]:
    return {n for cls in classes for n in dir(cls) if not n.startswith("_")}


def test_reserved_names_match_the_runtime() -> None:
    rt = runtime_module()
    assert _public(rt.SyncAPIClient, rt.AsyncAPIClient) == pipeline.RESERVED_CLIENT
    resource = _public(rt.SyncResource, rt.AsyncResource)
    assert resource | {"with_raw_response", "with_streaming_response"} == pipeline.RESERVED_RESOURCE


def test_a_build_does_not_import_the_runtime() -> None:
    """Importing the pipeline and asking for the reserved names loads neither httpx nor the
    runtime (they cost ~0.15 s a build)."""
    code = (
        "import sys; from apigen import pipeline; pipeline._reserved();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('httpx', 'apigen_runtime', 'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
