"""Mutation fuzz of real specs: no broken document may crash `apigen build` or the sandbox.

Each case takes a small spec from ../shared/specs (features/ and petstore), breaks it at one to
three random places (a key deleted, a value of the wrong JSON type, a dangling or self `$ref`, a
hostile string) and builds it in-process. apigen's own errors (a `SpecError` naming the file and
pointer, an `OptionError`, an `OutputError`) are the expected outcomes; any other exception is a
crash and is counted by where it was raised, with the first document that raised it kept.
With `--import-check` (as `make fuzz-specs` runs it), each client that built is imported in a
fresh interpreter: every module, both clients, every call, every model's validator built (a
class builds it only on first use). The sandbox is then built on the same document and asked
for each operation once.

    python scripts/fuzz_specs.py [--seed N] [--cases N] [--keep DIR] [--import-check]
    (exit 1 on a crash)

Deterministic for a seed. `make fuzz-specs` runs 400 cases; tests/spec/test_fuzz_specs.py a
bounded slice in CI.
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from apigen.diagnostics import SpecError
from apigen.pipeline import OptionError, OutputError, build

SHARED = Path(
    os.environ.get("APIGEN_SHARED_SPECS", Path(__file__).resolve().parents[2] / "shared" / "specs")
)
WRONG: list[Any] = [
    None,
    0,
    -1,
    1.5,
    True,
    "",
    "x",
    "{id}",
    "../../etc/passwd",
    "\u0000",
    "a" * 300,
    [],
    [1],
    {},
    {"type": "string"},
    {"type": ["string", "null"]},
    {"$ref": "#/components/schemas/Nope"},
    {"$ref": "#"},
    {"allOf": []},
    {"oneOf": [{}]},
    "#/components/schemas/Nope",
]
KEYS = [
    "$ref",
    "type",
    "required",
    "items",
    "properties",
    "enum",
    "nullable",
    "discriminator",
    "in",
    "style",
    "explode",
    "content",
    "schema",
    "allOf",
    "format",
    "default",
    "additionalProperties",
    "collectionFormat",
    "mapping",
    "propertyName",
    "operationId",
    "name",
    "security",
    "servers",
    "flows",
    "encoding",
    "headers",
    "const",
    "prefixItems",
]


def sources(shared: Path) -> list[Path]:
    found = sorted(
        p for p in (shared / "features").rglob("*") if p.suffix in (".yaml", ".yml", ".json")
    )
    return [*found, shared / "petstore.yaml"]


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _nodes(value, (*path, index))


def mutate(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """`doc` broken at one to three random places."""
    for _ in range(rng.randint(1, 3)):
        places = list(_nodes(doc))[1:]
        if not places:
            break
        path = rng.choice(places)
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        key, roll = path[-1], rng.random()
        if roll < 0.3 and isinstance(parent, dict):
            del parent[key]
        elif roll < 0.45 and isinstance(parent, dict):
            parent[rng.choice(KEYS)] = copy.deepcopy(rng.choice(WRONG))
        else:
            parent[key] = copy.deepcopy(rng.choice(WRONG))
    return doc


def _signature(exc: BaseException, stage: str) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{stage}: {type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"


def _sandbox(doc: dict[str, Any]) -> None:
    from apigen.sandbox import Sandbox

    box = Sandbox(doc, seed=0)
    paths = doc.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        for method in item if isinstance(item, dict) else ():
            if method in ("get", "post", "put", "patch", "delete"):
                box.handle(method.upper(), str(path), {}, b"")


#: Run in a fresh interpreter on a built client: every module imports, the clients construct,
#: every call resolves and every model builds its validator (models defer that to first use).
_IMPORT_CHECK = """
import importlib, json, pathlib, sys
from pydantic import TypeAdapter

def check(out):
    data = json.loads((out / "apigen.json").read_text())
    sys.path.insert(0, str(out))
    pkg = importlib.import_module(data["package"])
    for path in sorted((out / data["package"]).rglob("*.py")):
        parts = list(path.relative_to(out).with_suffix("").parts)
        importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    url = "http://127.0.0.1:9"
    for client in (pkg.Client(base_url=url), pkg.AsyncClient(base_url=url)):
        for op in data["operations"]:
            target = client
            for attr in op["call"].split("."):
                target = getattr(target, attr)
            assert callable(target), op["call"]
    for dotted in data["models"].values():
        module, _, name = dotted.rpartition(".")
        TypeAdapter(getattr(importlib.import_module(module), name)).json_schema()

try:
    check(pathlib.Path(sys.argv[1]))
except BaseException as exc:
    sys.exit(f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
"""


class ImportCheckError(Exception):
    """The built client failed to import, construct or build a model: the exception's type and
    first line."""


def _import_check(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK, str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["(no output)"]
        raise ImportCheckError(lines[-1])


def run(
    seed: int, cases: int, keep: Path | None, import_check: bool = False
) -> dict[str, tuple[int, str, str]]:
    """Crash signature -> (count, source spec, message of the first). `import_check`: also
    import each client that built, in a fresh interpreter (`_IMPORT_CHECK`)."""
    rng = random.Random(seed)
    files = sources(SHARED)
    if len(files) < 2:
        raise SystemExit(f"no specs under {SHARED}/features: set APIGEN_SHARED_SPECS")
    crashes: dict[str, tuple[int, str, str]] = {}
    counts: collections.Counter[str] = collections.Counter()
    for case in range(cases):
        source = rng.choice(files)
        text = source.read_text()
        doc = json.loads(text) if source.suffix == ".json" else yaml.safe_load(text)
        if not isinstance(doc, dict) or any(".yaml#" in t or ".json#" in t for t in [text]):
            continue  # multi-file specs: a mutation would not see the other files
        doc = mutate(doc, rng)
        with tempfile.TemporaryDirectory() as tmp:
            spec = Path(tmp) / "spec.json"
            spec.write_text(json.dumps(doc, default=str))
            out = Path(tmp) / "out" / "pkg"
            for stage in ("build", "import", "sandbox"):
                try:
                    if stage == "build":
                        build(spec, out)
                    elif stage == "import":
                        if import_check and (out / "apigen.json").exists():
                            _import_check(out)
                    else:
                        _sandbox(json.loads(spec.read_text()))
                except (SpecError, OptionError, OutputError):
                    pass
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as exc:  # the crash this fuzzer looks for: counted, kept
                    # (a Rust panic under a validator, pyo3's PanicException, is no Exception:
                    # it ended a whole run without its summary)
                    sig = f"import: {exc}"[:160] if isinstance(exc, ImportCheckError) else ""
                    sig = sig or _signature(exc, stage)
                    counts[sig] += 1
                    if sig not in crashes and keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        (keep / f"crash-{len(crashes)}.json").write_text(spec.read_text())
                    crashes.setdefault(sig, (0, str(source), f"{exc}"[:200]))
        if (case + 1) % 50 == 0:
            print(
                f"fuzz-specs: {case + 1}/{cases} cases, {sum(counts.values())} crashes", flush=True
            )
    return {sig: (counts[sig], src, msg) for sig, (_, src, msg) in crashes.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--keep", type=Path, default=None, help="write each crash's document here")
    parser.add_argument(
        "--import-check",
        action="store_true",
        help="also import each built client in a fresh interpreter and build every model",
    )
    args = parser.parse_args()
    crashes = run(args.seed, args.cases, args.keep, args.import_check)
    for sig, (count, source, message) in sorted(crashes.items(), key=lambda kv: -kv[1][0]):
        print(f"{count:4} {sig}  (first from {source}: {message})")
    print(f"fuzz-specs: seed {args.seed}, {args.cases} cases, {len(crashes)} crash signature(s)")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
