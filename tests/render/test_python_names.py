"""A build writes the same bytes whichever supported Python runs apigen (python_names.py).

3.12 made `type` a soft keyword, 3.13 added builtins and dropped standard-library modules; the
generator read those lists from the running interpreter, so on 3.12+ every `type` property
became `type_` (Stripe: 81 files differed from a 3.11 build, GitHub: 209)."""

from __future__ import annotations

import builtins
import keyword
import subprocess
import sys
from pathlib import Path

from apigen import pipeline
from apigen.naming import CLASS_RESERVED
from apigen.python_names import BUILTINS, KEYWORDS, SOFT_KEYWORDS, STDLIB_MODULES
from tests.conftest import ROOT


def test_the_written_lists_hold_this_interpreter_s_names() -> None:
    """Fails on a Python that adds a name: add it to python_names.py (the union)."""
    assert set(keyword.kwlist) <= KEYWORDS
    assert set(keyword.softkwlist) - {"type"} <= SOFT_KEYWORDS
    assert set(dir(builtins)) <= BUILTINS
    assert set(sys.stdlib_module_names) <= STDLIB_MODULES


def test_names_other_versions_have_are_reserved_here_too() -> None:
    assert "PythonFinalizationError" in CLASS_RESERVED  # a builtin since 3.13
    assert pipeline.package_name("cgi") == "cgi_client"  # in the stdlib until 3.13
    assert pipeline.package_name("telnetlib") == "telnetlib_client"


_SPEC = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PythonFinalizationError'}
components:
  schemas:
    PythonFinalizationError:
      type: object
      properties:
        type: {type: string}
        match: {type: string}
"""

# What 3.12 and 3.13 change, applied to this interpreter before apigen is imported.
_AS_IF_3_13 = """
import builtins, keyword, runpy, sys
keyword.softkwlist.append("type")
builtins.PythonFinalizationError = type("PythonFinalizationError", (RuntimeError,), {})
sys.stdlib_module_names = frozenset(sys.stdlib_module_names - {"cgi"})
sys.argv = ["apigen", *sys.argv[1:]]
runpy.run_module("apigen", run_name="__main__")
"""


def _build(tmp_path: Path, name: str, prelude: str | None) -> dict[str, bytes]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_SPEC)
    out = tmp_path / name / "cgi"
    code = (
        prelude
        or "import runpy, sys; sys.argv[0] = 'apigen'; runpy.run_module('apigen', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "build", str(spec), "-o", str(out), "--quiet", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_build_on_a_newer_python_writes_the_same_bytes(tmp_path: Path) -> None:
    here = _build(tmp_path, "here", None)
    newer = _build(tmp_path, "newer", _AS_IF_3_13)
    assert newer.keys() == here.keys()
    assert [f for f in here if here[f] != newer[f]] == []
    model = next(text for f, text in here.items() if f.endswith("python_finalization_error.py"))
    assert b"    type: str | None = None" in model  # not `type_`
    assert b"class PythonFinalizationErrorModel(" in model  # a builtin on 3.13: renamed on all
    assert (tmp_path / "here" / "cgi" / "cgi_client").is_dir()
