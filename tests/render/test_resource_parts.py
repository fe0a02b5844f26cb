"""A resource split into parts (more than `ir.parts.MAX_METHODS` methods) that also has a child
resource: the parts render no children, and imported `TYPE_CHECKING` for nothing (ruff F401,
found by a helper's hostile specs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from apigen.ir.parts import MAX_METHODS
from apigen.pipeline import build


def _spec() -> dict[str, Any]:
    answer = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"type": "string"}}},
        }
    }
    # (a helper's hostile spec: paths that all name resource `a`, 16 methods, and `/a/me`)
    methods = {"get": {"responses": answer}, "post": {"responses": answer}}
    paths = {p: methods for p in ("/a", "/a/", "/a//", "/a_", "/a-", "/A", "//a", "/a.")}
    paths["/a/me"] = methods
    assert len(paths) * 2 > MAX_METHODS + 1
    return {
        "openapi": "3.0.3",
        "info": {"title": "Parts", "version": "1"},
        "servers": [{"url": "https://parts.example.com"}],
        "paths": paths,
    }


def test_resource_parts_with_a_child_pass_ruff(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec()))
    out = tmp_path / "parts"
    build(spec, out)
    resources = out / "parts" / "resources"
    assert list(resources.glob("_a_*.py")), "not split into parts"
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
    )
    assert result.returncode == 0, result.stdout[-3000:]
