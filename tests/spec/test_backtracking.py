"""A pattern with a nested quantifier (`^(a+)+$`) backtracks exponentially on a text it does not
match: a spec's `default` checked against it hung validation, and an example padded to its
`minLength` hung the build (a helper's hostile-input sweep). Both are left unjudged as the
sandbox leaves such values (`ecma_regex.costly`). Each case runs in a child process with a
time limit far above its normal run, so a regression fails instead of hanging the suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

NESTED = "^(a+)+$"


def _spec(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [
                        {"name": "q", "in": "query", "required": True, "schema": schema}
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }


def _apigen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,  # the hang took hours; a normal run takes a second
        check=False,
    )


@pytest.mark.parametrize(
    ("schema", "command"),
    [
        ({"type": "string", "pattern": NESTED, "default": "a" * 40 + "!"}, "check"),
        ({"type": "string", "pattern": "(x+)+y", "minLength": 40}, "build"),
        # the filler is `x`s: `re` backtracks on it for hours where the first guard saw nothing
        ({"type": "string", "pattern": r"(x+\s?)+y", "minLength": 40}, "build"),
        ({"type": "string", "pattern": "(x|x?)+y", "minLength": 40}, "build"),
        # no group repeats: twelve runs side by side, polynomial of degree twelve (a helper's
        # fuzzing: the build and the sandbox hung on 30 characters)
        ({"type": "string", "pattern": "x*x*x*x*x*x*x*x*x*x*x*x*y", "minLength": 60}, "build"),
        (
            {"type": "string", "pattern": "^a*a*a*a*a*a*a*a*a*a*a*a*b$", "default": "a" * 44},
            "check",
        ),
    ],
    ids=[
        "default-checked-by-validation",
        "example-padded-to-min-length",
        "example-under-a-quantifier-inside",
        "example-under-an-alternation",
        "example-under-runs-side-by-side",
        "default-under-runs-side-by-side",
    ],
)
def test_a_nested_quantifier_does_not_hang_the_build(
    tmp_path: Path, schema: dict[str, Any], command: str
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec(schema)))
    args = ["build", str(spec), "-o", str(tmp_path / "out" / "pkg"), "--no-cache", "--quiet"]
    done = _apigen(*(args if command == "build" else ["check", str(spec)]), cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_a_default_the_pattern_refuses_cheaply_is_still_found(tmp_path: Path) -> None:
    """The guard only leaves out what could backtrack: a plain pattern still judges."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec({"type": "string", "pattern": "^[0-9]+$", "default": "abc"})))
    done = _apigen("check", str(spec), cwd=tmp_path)
    assert "#/paths/~1things/get/parameters/0/schema/default" in done.stdout + done.stderr


def test_a_default_an_ambiguous_pattern_refuses_is_found_by_the_bounded_engine(
    tmp_path: Path,
) -> None:
    """`re` would backtrack for hours on it; jsonschema-rs's engine tells (`ecma_regex.finds`)."""
    spec = tmp_path / "spec.json"
    schema = {"type": "string", "pattern": r"^(\w+\s?)*$", "default": "a" * 40 + "!"}
    spec.write_text(json.dumps(_spec(schema)))
    done = _apigen("check", str(spec), cwd=tmp_path)
    assert "#/paths/~1things/get/parameters/0/schema/default" in done.stdout + done.stderr
