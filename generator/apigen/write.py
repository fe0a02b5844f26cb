"""Write a generated tree atomically: build beside the target, then swap it in.

A build that fails at any stage leaves the previous output exactly as it was; a directory that
apigen did not create is never replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

MANIFEST = "apigen.json"


class OutputError(Exception):
    """The output directory cannot be written (exists and is not ours, or I/O failed)."""


def check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise OutputError(
            f"{target}: not empty and has no {MANIFEST}, so apigen did not generate it; "
            "refusing to replace it (choose an empty or new directory)"
        )


def write_tree(
    target: Path, files: Mapping[str, str], finish: Callable[[Path], None] | None = None
) -> None:
    """Write `files` under a temporary sibling of `target`, run `finish` on it, then swap."""
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.apigen-new-", dir=target.parent))
    try:
        for rel in sorted(files):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[rel], encoding="utf-8", newline="\n")
        if finish is not None:
            finish(staging)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.apigen-old-", dir=target.parent))
    old.rmdir()
    os.replace(target, old)
    try:
        os.replace(staging, target)
    except OSError:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
