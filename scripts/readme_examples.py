"""Run every ```python block of generated READMEs, in order, against the sandbox of its API.

A generated README says its examples "run as written against the API, or against a local
sandbox of it". This checks that promise over many specs: each spec is built, its sandbox
started (127.0.0.1, stopped when done), `<PREFIX>_BASE_URL` pointed at it, every credential of
the README's table set to a placeholder, and the blocks run in one namespace (a user's session),
each under a time limit. A block that raises is a failure, reported with its call.

    python scripts/readme_examples.py [--specs DIR|FILE ...] [--limit N] [--out report.json]

(`make readme-examples`: the corpus and features/; tests/e2e/test_readme_corpus.py runs a
bounded slice in CI.) Failures the spec itself causes (an operation declaring only errors, an
OAuth token endpoint on another host, a schema no instance satisfies) show up here too: the
report says which, the notes in docs/decisions.md §77 say why they are left.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import signal
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "generator"), str(REPO / "runtime")]

from apigen.pipeline import build  # noqa: E402
from apigen.sandbox import Sandbox  # noqa: E402

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
# `| `keyword` | `ENV_VAR` |`: the credentials table (server variables have more columns)
_CREDENTIAL = re.compile(r"^\| `\w+` \| `([A-Z0-9_]+)` \|$", re.MULTILINE)
_BASE_URL = re.compile(r"`([A-Z][A-Z0-9_]*_BASE_URL)=")
BLOCK_SECONDS = 20  # a block that runs longer (an endless list) fails


@dataclass
class Outcome:
    spec: str
    blocks: int = 0
    failures: list[str] = field(default_factory=list)
    build_error: str | None = None


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _Timeout(f"block ran over {BLOCK_SECONDS} s")


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _forget(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def run_spec(spec: Path, work: Path) -> Outcome:
    """Build `spec` under `work` and run its README's blocks against its sandbox."""
    name = re.sub(r"\W+", "_", spec.stem.lower()).strip("_") or "api"
    name = name if name[0].isalpha() else f"x{name}"
    outcome = Outcome(str(spec))
    out = work / name
    try:
        result = build(spec, out, name=name)
    except Exception as error:  # reported: a spec apigen refuses is not a README failure
        outcome.build_error = f"{type(error).__name__}: {str(error)[:300]}"
        return outcome
    readme = (out / "README.md").read_text(encoding="utf-8")
    blocks = _BLOCK.findall(readme)
    outcome.blocks = len(blocks)
    with Sandbox(spec) as sandbox:
        assert sandbox.url is not None
        env = dict.fromkeys(_BASE_URL.findall(readme), sandbox.url)
        env.update(dict.fromkeys(_CREDENTIAL.findall(readme), "readme-credential"))
        namespace: dict[str, Any] = {"__name__": "__readme__"}
        sys.path.insert(0, str(out))
        previous = signal.signal(signal.SIGALRM, _alarm)
        try:
            with _environment(env), contextlib.chdir(work):
                for number, block in enumerate(blocks, 1):
                    failure = _run_block(block, number, namespace, f"{name}/README.md")
                    if failure is not None:
                        outcome.failures.append(failure)
        finally:
            signal.signal(signal.SIGALRM, previous)
            sys.path.remove(str(out))
            _forget(result.package)
    return outcome


def _run_block(block: str, number: int, namespace: dict[str, Any], where: str) -> str | None:
    call = next((line.strip() for line in block.splitlines() if "client." in line), "")
    signal.alarm(BLOCK_SECONDS)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, f"{where} block {number}", "exec"), namespace)
    except (Exception, _Timeout) as error:  # the report names the block and what it raised
        return f"block {number}: {type(error).__name__}: {str(error)[:300]} | {call[:120]}"
    finally:
        signal.alarm(0)
    return None


def _specs(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
        else:
            found.append(path)
    return found


def main(argv: list[str] | None = None) -> int:
    shared = Path(os.environ.get("APIGEN_SHARED_SPECS", REPO.parent / "shared" / "specs"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--specs",
        type=Path,
        nargs="+",
        default=[shared / "corpus", shared / "features"],
        help="spec files or folders (default: the shared corpus and features)",
    )
    parser.add_argument("--limit", type=int, default=None, help="at most N specs")
    parser.add_argument("--work", type=Path, default=Path("build/readme-examples"))
    parser.add_argument("--out", type=Path, default=None, help="write the outcomes as JSON")
    args = parser.parse_args(argv)
    specs = _specs(args.specs)[: args.limit]
    args.work.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for spec in specs:
        outcome = run_spec(spec, args.work.resolve())
        outcomes.append(outcome)
        if outcome.build_error is None:
            print(f"{spec.name}: {outcome.blocks} blocks, {len(outcome.failures)} failed")
        for failure in outcome.failures:
            print(f"    {failure}")
    built = [o for o in outcomes if o.build_error is None]
    failed = [o for o in built if o.failures]
    blocks = sum(o.blocks for o in built)
    print(
        f"readme-examples: {len(built)} READMEs, {blocks} blocks, "
        f"{sum(len(o.failures) for o in built)} failed in {len(failed)} READMEs"
        f" ({len(outcomes) - len(built)} specs not built)"
    )
    if args.out is not None:
        args.out.write_text(json.dumps([asdict(o) for o in outcomes], indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
