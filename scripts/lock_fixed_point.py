"""Check that a build locked by its own manifest is the same build (docs/decisions.md §79).

The build cache serves a build whose `apigen.json` (the method-name lock) is the one a build of
the same inputs wrote, on the ground that such a lock keeps every name as it is. This builds
each spec twice into one folder with the cache off and reports any spec whose second build
wrote other files, reported other findings, or did not keep every operation's name.

    python scripts/lock_fixed_point.py [SPEC|DIR ...]   (default: features/, corpus/, corpus2/)

Files that are not specs (a multi-file tree's fragments) fail their first build and are
skipped; the exit status is the number of specs that differ (capped at 1).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from apigen.diagnostics import SpecError
from apigen.pipeline import build
from apigen.write import MANIFEST, OutputError

SHARED = Path(os.environ.get("APIGEN_SHARED_SPECS", Path(__file__).parents[2] / "shared" / "specs"))
SUFFIXES = frozenset({".json", ".yaml", ".yml"})


def _specs(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [SHARED / d for d in ("features", "corpus", "corpus2")]
    found: list[Path] = []
    for root in roots:
        if not root.exists():
            raise SystemExit(f"{root}: no such file or folder")
        found += (
            sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES) if root.is_dir() else [root]
        )
    return found


def differs(spec: Path, work: Path) -> str | None:
    """Why the locked second build of `spec` is not the first; None when it is (or when the
    first build fails: not a spec this checks)."""
    out = work / "pkg"
    try:
        first = build(spec, out, cache=False)
    except (SpecError, OutputError, ValueError):
        return None
    said: list[str] = []
    second = build(spec, out, cache=False, progress=said.append)
    if not second.unchanged:
        return "the second build wrote other files"
    if [str(d) for d in first.report.items] != [str(d) for d in second.report.items]:
        return "the second build reported other findings"
    kept = f"kept the names of {second.operations} operations from {out / MANIFEST}"
    if kept not in said:
        return f"not every operation kept its name: {[m for m in said if m.startswith('kept')]}"
    return None


def main(argv: list[str]) -> int:
    specs = _specs(argv)
    bad = 0
    for spec in specs:
        work = Path(tempfile.mkdtemp(prefix="apigen-lock-"))
        try:
            why = differs(spec, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if why is not None:
            bad += 1
            print(f"{spec}: {why}", flush=True)
    print(f"{len(specs)} files, {bad} differ")
    return min(bad, 1)


if __name__ == "__main__":
    os.environ.setdefault("APIGEN_NO_BUILD_CACHE", "1")
    sys.exit(main(sys.argv[1:]))
