"""Format generated code with ruff, isolated from any configuration around the output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_ARGS = ("--isolated", "--line-length", "100", "--target-version", "py311")


def format_tree(root: Path) -> None:
    """Sort imports and format every Python file under `root` in place (two ruff runs)."""
    ruff = [sys.executable, "-m", "ruff"]
    for command in (
        [
            *ruff,
            "check",
            *_ARGS,
            "--select",
            "I,F401",
            "--fix",
            "--quiet",
            "--exit-zero",
            str(root),
        ],
        [*ruff, "format", *_ARGS, "--quiet", str(root)],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"ruff failed on generated code:\n{result.stderr or result.stdout}")
