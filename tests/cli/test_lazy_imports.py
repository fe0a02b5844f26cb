"""What a build imports: only what its input needs (issue 10: a cache hit and a cold build pay
for their own work, not for PyYAML on a JSON spec, urllib on a local file or the IR on a hit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

# imported by nothing a local JSON spec needs: YAML parsing, URL fetching, `packaging.tags`
_NOT_FOR_A_LOCAL_JSON_SPEC = ("yaml", "urllib.request", "packaging.tags", "apigen.spec.fetch")
# what a cache hit skips: the IR, rendering, Jinja, the validators
_NOT_ON_A_HIT = (
    "apigen.ir",
    "apigen.render",
    "jinja2",
    "jsonschema_rs",
    "apigen.spec.validate",
    "packaging.version",  # (4 % of a warm Stripe build: helper 200)
    "packaging.licenses",
    "tomllib",  # a fresh folder has no previous pyproject to read
)

_BUILD = (
    "import sys; from pathlib import Path; from apigen import pipeline;"
    "r = pipeline.build(sys.argv[1], Path(sys.argv[2]), cache=True);"
    "print(r.cached, sorted(m for m in sys.modules if m in sys.argv[3].split(',')))"
)


def _build(spec: Path, out: Path, cache: Path, watch: tuple[str, ...]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "APIGEN_NO_BUILD_CACHE"}
    env["APIGEN_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(spec), str(out), ",".join(watch)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout.strip()


def _json_petstore(tmp_path: Path) -> Path:
    spec = tmp_path / "petstore.json"
    document = yaml.safe_load((ROOT / "specs" / "petstore.yaml").read_text(encoding="utf-8"))
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


def test_a_local_json_build_imports_no_yaml_urllib_or_packaging_tags(tmp_path: Path) -> None:
    spec = _json_petstore(tmp_path)
    out = _build(spec, tmp_path / "a" / "petstore", tmp_path / "cache", _NOT_FOR_A_LOCAL_JSON_SPEC)
    assert out == "False []"
    assert (tmp_path / "a" / "petstore" / "petstore" / "_client.py").is_file()


def test_a_yaml_spec_still_reads(tmp_path: Path) -> None:
    """The lazily imported YAML reader is the one a YAML spec gets."""
    out = _build(ROOT / "specs" / "petstore.yaml", tmp_path / "petstore", tmp_path / "c", ("yaml",))
    assert out == "False ['yaml']"


def test_a_cache_hit_imports_neither_the_ir_nor_the_renderer(tmp_path: Path) -> None:
    spec = _json_petstore(tmp_path)
    cache = tmp_path / "cache"
    first = _build(spec, tmp_path / "a" / "petstore", cache, _NOT_ON_A_HIT)
    assert first.startswith("False ") and "apigen.ir" in first  # a miss does the work
    second = _build(spec, tmp_path / "b" / "petstore", cache, _NOT_ON_A_HIT)
    assert second == "True []"
    a, b = (tmp_path / d / "petstore" / "petstore" / "_client.py" for d in "ab")
    assert a.read_bytes() == b.read_bytes()
