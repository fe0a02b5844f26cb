"""Issue 11 for any spec shape: one resource with many operations of many parameters (the shape
of AWS query-protocol specs, where every action is on `/`) still gives no module over 3,000
lines, every method is on the client (and its raw/streaming wrappers), and every inline type
imports from `<pkg>.types.<resource>`. The spec is made here."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from apigen.pipeline import build

OPERATIONS = 90
MAX_LINES = 3_000
_SIZES = [f"size{n}.{k}" for n in range(1, 13) for k in ("small", "large", "xlarge", "metal")]


def _spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for n in range(OPERATIONS):
        params: list[dict[str, Any]] = [
            {"name": "Action", "in": "query", "required": True, "schema": {"enum": [f"Op{n}"]}},
            {"name": "InstanceType", "in": "query", "schema": {"enum": _SIZES}},
            {
                "name": "Filter",
                "in": "query",
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            f"Field{k}": {
                                "type": "string",
                                "description": f"Field {k} of a filter of operation {n}. " * 4,
                            }
                            for k in range(40)
                        },
                    },
                },
            },
        ]
        params += [
            {
                "name": f"Param{k}",
                "in": "query",
                "description": f"Parameter {k} of operation {n}. " * 6,
                "schema": {"type": "string"},
            }
            for k in range(40)
        ]
        paths[f"/#Action=Op{n}"] = {
            "get": {
                "operationId": f"GET_Op{n}",
                "description": f"Operation {n}, documented at length. " * 20,
                "parameters": params,
                "responses": {"200": {"description": "OK"}},
            }
        }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Big resource", "version": "1"},
        "servers": [{"url": "https://big.example.com"}],
        "paths": paths,
    }


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bigres")
    spec = root / "spec.json"
    spec.write_text(json.dumps(_spec()))
    out = root / "bigres"  # the package is named after the output directory
    build(spec, out)
    return out


def test_no_module_over_3000_lines(big: Path) -> None:
    sizes = {
        str(p.relative_to(big)): p.read_text().count("\n")
        for p in (big / "bigres").rglob("*.py")
        if "_runtime" not in p.parts
    }
    assert any(name.startswith("bigres/resources/_root_") for name in sizes), "not split"
    assert any(name.startswith("bigres/types/_root_") for name in sizes), "types not split"
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not over, over


def test_every_method_and_type_is_reachable(big: Path) -> None:
    script = f"""
import json, sys
import bigres
from bigres.types import root as types_root
client = bigres.Client(api_key="k") if "api_key" in bigres.Client.__init__.__code__.co_varnames else bigres.Client()
for n in range({OPERATIONS}):
    name = f"op{{n}}"
    assert callable(getattr(client.root, name)), name
    assert callable(getattr(client.root.with_raw_response, name)), name
    assert callable(getattr(client.root.with_streaming_response, name)), name
index = json.load(open(sys.argv[1]))
names = [k for k, v in index.items() if v.startswith("_root")]
assert len(names) >= {OPERATIONS}, len(names)
for k in names:
    assert getattr(types_root, k).__name__ == k
from bigres.types.root import RootOp0FilterItem
print("ok")
"""
    index = big / "bigres" / "types" / "_index.json"
    result = subprocess.run(
        [sys.executable, "-c", script, str(index)],
        capture_output=True,
        text=True,
        check=False,
        cwd=big,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


@pytest.mark.slow
def test_big_resource_is_mypy_strict_clean(big: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "-p", "bigres"],
        capture_output=True,
        text=True,
        check=False,
        cwd=big,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:]


def test_the_estimate_leaves_room() -> None:
    assert importlib.import_module("apigen.ir.parts").MAX_LINES < MAX_LINES
