"""Build every spec of `shared/specs/corpus2` with `apigen build`, one at a time, and tabulate.

    .venv/bin/python scripts/corpus2.py [--shared DIR] [--work DIR] [--filter SUBSTR]
        [--ref-root] [--json PATH]

Each spec runs `apigen build SPEC -o WORK/<n>/client --quiet` in a subprocess (one at a time:
the machine is shared); the table printed at the end lists every failure with apigen's last
error line. `--ref-root` passes `--ref-root` = the spec's own top folder in corpus2 (the
monorepo case: `../common/x.yaml`). Exit code 0 whenever the table was printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "specs")
    parser.add_argument("--work", type=Path, default=Path("/tmp/apigen-corpus2"))
    parser.add_argument("--filter", default="")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--ref-root", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    corpus = args.shared / "corpus2"
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = [r["file"] for r in csv.DictReader(fh, delimiter="\t")]
    apigen = str(Path(sys.executable).with_name("apigen"))
    results: list[dict[str, object]] = []
    for i, rel in enumerate(rows):
        if args.filter and args.filter not in rel:
            continue
        out = args.work / f"{i:03d}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [apigen, "build", str(corpus / rel), "-o", str(out / "client"), "--quiet"]
        if args.ref_root:
            cmd += ["--ref-root", str(corpus / rel.split("/")[0])]
        started = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=args.timeout, env=dict(os.environ)
            )
            code, err = proc.returncode, proc.stderr
        except subprocess.TimeoutExpired:
            code, err = -1, f"timeout after {args.timeout:.0f}s"
        seconds = time.perf_counter() - started
        lines = [ln for ln in err.splitlines() if ln.strip()]
        errors = [ln for ln in lines if ": error: " in ln] or lines[-1:]
        results.append({"file": rel, "ok": code == 0, "seconds": round(seconds, 1),
                        "errors": errors[:5], "stderr": err[-4000:]})  # fmt: skip
        mark = "ok  " if code == 0 else "FAIL"
        print(f"{mark} {seconds:6.1f}s {rel}", flush=True)
        if code != 0:
            for ln in errors[:3]:
                print(f"        {ln[:300]}", flush=True)
        shutil.rmtree(out, ignore_errors=True)
    built = sum(1 for r in results if r["ok"])
    print(f"\nbuilt {built} of {len(results)}")
    for r in results:
        if not r["ok"]:
            print(f"  {r['file']}: {(r['errors'] or ['?'])[0]}")  # type: ignore[index]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
