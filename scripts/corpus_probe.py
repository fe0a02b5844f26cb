"""Import every module of a generated package and resolve its manifest (run as a script).

Why a separate script: it runs in a fresh interpreter (apigen's venv for apigen output, the
peer venv for openapi-python-client output) with only the output directory added to sys.path,
so nothing cached by an earlier import, and no crash in generated code, can leak into the
corpus run. Standard library only, for the same reason.

    python corpus_probe.py ROOT PACKAGE OUT.json [--manifest apigen.json]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any

KEEP = 20  # problems kept per category (the counts are always complete)


def _describe(exc: BaseException) -> str:
    """`Type: message` plus the innermost frame, enough to find the bad generated line."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" [{Path(frames[-1].filename).name}:{frames[-1].lineno}]" if frames else ""
    message = " ".join(str(exc).split())[:400]
    return f"{type(exc).__name__}: {message}{where}"


def module_names(root: Path, package: str) -> list[str]:
    """Dotted names of every .py file in the package, parents before children."""
    names = []
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return sorted(names, key=lambda n: (n.count("."), n))


def import_all(names: list[str]) -> tuple[int, list[str]]:
    """Import each module; (failure count, first KEEP `module: error` lines)."""
    failures = 0
    errors: list[str] = []
    for name in names:
        try:
            importlib.import_module(name)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # SystemExit / RecursionError in generated code count too
            failures += 1
            if len(errors) < KEEP:
                errors.append(f"{name}: {_describe(exc)}")
    return failures, errors


def resolve_dotted(dotted: str) -> Any:
    """`pkg.mod.Attr.attr` -> object: import the longest importable prefix, getattr the rest."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        candidate = ".".join(parts[:cut])
        try:
            obj: Any = importlib.import_module(candidate)
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            if candidate == missing or candidate.startswith(missing + "."):
                continue  # `candidate` is not a module: try a shorter prefix
            raise  # the module exists but imports something missing: a real failure
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def _resolve_calls(client: Any, label: str, calls: list[str]) -> tuple[int, list[str]]:
    """How many `call` paths lead from `client` to a callable; the first failures."""
    resolved = 0
    problems: list[str] = []
    for call in calls:
        try:
            obj = client
            for attr in call.split("."):
                obj = getattr(obj, attr)
            if not callable(obj):
                raise TypeError(f"{type(obj).__name__} is not callable")
            resolved += 1
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            if len(problems) < KEEP:
                problems.append(f"{label}.{call}: {_describe(exc)}")
    return resolved, problems


def _instantiate(dotted: str) -> Any:
    cls = resolve_dotted(dotted)
    return cls()


def check_manifest(manifest: dict[str, Any], result: dict[str, Any]) -> None:
    """Resolve every operation on Client() and AsyncClient(), and every models entry."""
    calls = [str(op["call"]) for op in manifest.get("operations", [])]
    result["calls_total"] = 2 * len(calls)
    for key, label in (("client", "Client()"), ("async_client", "AsyncClient()")):
        try:
            client = _instantiate(str(manifest[key]))
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            result["client_errors"].append(f"{label} ({manifest.get(key)}): {_describe(exc)}")
            continue
        resolved, problems = _resolve_calls(client, label, calls)
        result["calls_resolved"] += resolved
        result["unresolved_calls"] += problems[: KEEP - len(result["unresolved_calls"])]
    models: dict[str, str] = manifest.get("models", {})
    result["models_total"] = len(models)
    for schema, dotted in models.items():
        try:
            resolve_dotted(dotted)
            result["models_resolved"] += 1
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            if len(result["unresolved_models"]) < KEEP:
                result["unresolved_models"].append(f"{schema} -> {dotted}: {_describe(exc)}")


def main() -> int:
    """Probe one package and write the ProbeResult JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("package")
    parser.add_argument("out", type=Path)
    parser.add_argument("--manifest", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    sys.setrecursionlimit(10_000)
    names = module_names(args.root, args.package)
    failures, errors = import_all(names)
    result: dict[str, Any] = {
        "modules": len(names),
        "import_failures": failures,
        "import_errors": errors,
        "calls_total": 0,
        "calls_resolved": 0,
        "unresolved_calls": [],
        "models_total": 0,
        "models_resolved": 0,
        "unresolved_models": [],
        "client_errors": [],
    }
    if args.manifest:
        check_manifest(json.loads(args.manifest.read_text(encoding="utf-8")), result)
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
