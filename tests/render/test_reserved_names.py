"""What a build knows of the runtime without importing it (written out: importing httpx,
pydantic and the runtime cost ~0.15 s a build): the names it reserves (pipeline.py) are exactly
the public attributes of the runtime's client and resource base classes, and the error classes
it re-exports (render.ERROR_BASES) are exactly the runtime's, each with its base."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from apigen import pipeline
from apigen.bundled import runtime_module
from apigen.render import ERROR_BASES
from tests.conftest import ROOT


def _public(*classes: type) -> set[str]:
    return {n for cls in classes for n in dir(cls) if not n.startswith("_")}


def test_reserved_names_match_the_runtime() -> None:
    rt = runtime_module()
    assert _public(rt.SyncAPIClient, rt.AsyncAPIClient) == pipeline.RESERVED_CLIENT
    resource = _public(rt.SyncResource, rt.AsyncResource)
    assert resource | {"with_raw_response", "with_streaming_response"} == pipeline.RESERVED_RESOURCE


def test_error_bases_match_the_runtime() -> None:
    rt = runtime_module()
    errors = {
        name
        for name in rt.__all__
        if isinstance(getattr(rt, name), type) and issubclass(getattr(rt, name), rt.APIError)
    }
    # WebhookVerificationError: raised by the runtime's `webhooks` module, which clients use
    # from the runtime (`<package>._runtime.webhooks`) and do not re-export
    assert errors - set(ERROR_BASES) == {"WebhookVerificationError"}
    assert set(ERROR_BASES) <= errors
    for name, base in ERROR_BASES.items():
        assert getattr(rt, name).__bases__[0].__name__ == base, name


def test_a_build_does_not_import_the_runtime(tmp_path: Path) -> None:
    """A whole build (vendored runtime, so its files are copied) loads neither httpx, pydantic
    nor the runtime."""
    code = (
        "import sys; from pathlib import Path; from apigen import pipeline;"
        f"pipeline.build({str(ROOT / 'specs' / 'petstore.yaml')!r}, Path(sys.argv[1]));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('httpx', 'apigen_runtime', 'pydantic')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "petstore")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]", out.stdout
    assert (tmp_path / "petstore" / "petstore" / "_exceptions.py").is_file()
