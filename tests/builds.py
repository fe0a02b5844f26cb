"""Helpers for tests that build clients: build into a folder, import it, read its manifest."""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from apigen.distribution import RuntimeMode
from apigen.pipeline import BuildResult, build

if TYPE_CHECKING:
    import pytest

    from apigen.contract import RunReport
    from apigen.diagnostics import Report
    from apigen.ir import Api


def build_into(
    spec: Path, out: Path, name: str | None = None, runtime: RuntimeMode = "vendored"
) -> BuildResult:
    """`runtime="shared"`: for tests that hand the generated client `apigen_runtime` objects or
    expect its exception classes (the runtime seam itself)."""
    return build(spec, out, name=name, runtime=runtime)


def build_document(factory: pytest.TempPathFactory, name: str, document: dict[str, Any]) -> Path:
    """The client of an inline `document` (package `name`) built into a fresh folder: that
    folder (for `on_path`), for a module-scoped fixture."""
    root = factory.mktemp(name)
    spec = root / f"{name}.json"
    spec.write_text(json.dumps(document))
    build_into(spec, root / "out", name=name)
    return root / "out"


def build_yaml(factory: pytest.TempPathFactory, name: str, text: str) -> Path:
    """`build_document` for a spec written as YAML text."""
    root = factory.mktemp(name)
    spec = root / f"{name}.yaml"
    spec.write_text(text)
    build_into(spec, root / "out", name=name)
    return root / "out"


def api_of(
    document: dict[str, Any],
    report: Report | None = None,
    reserved_resource: set[str] | None = None,
) -> Api:
    """The IR of an inline `document` (package `t`, no reserved names unless given): for IR
    tests."""
    from apigen.diagnostics import Report
    from apigen.ir import build_api

    return build_api(
        document,
        package="t",
        spec_file="t.yaml",
        spec_sha256="",
        report=Report() if report is None else report,
        reserved_client=set(),
        reserved_resource=set() if reserved_resource is None else reserved_resource,
    )


def calls_of(ops: list[tuple[str, str, str, str | None]]) -> dict[str, str]:
    """`{operationId: "resource.method"}` of an inline spec whose operations are given as
    (method, path, id, tag): for naming tests."""
    paths: dict[str, dict[str, Any]] = {}
    for method, path, op_id, tag in ops:
        op: dict[str, Any] = {"operationId": op_id, "responses": {"204": {"description": "ok"}}}
        if tag:
            op["tags"] = [tag]
        paths.setdefault(path, {})[method] = op
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    api = api_of(document, reserved_resource={"with_raw_response", "with_streaming_response"})
    return {op.operation_id: ".".join([*op.resource, op.name]) for op in api.operations}


def contract_of(tmp_path: Path, spec: dict[str, Any], package: str) -> RunReport:
    """Write `spec` as JSON, build `package` from it and run `apigen contract` on the build
    (5 examples a case, seed 0: the small inline specs of the contract tests)."""
    from apigen.contract import ContractConfig, run_contract

    path = tmp_path / f"{package}.json"
    path.write_text(json.dumps(spec))
    out = tmp_path / package
    build_into(path, out, name=package)
    return run_contract(ContractConfig(out, spec=path, max_examples=5, seed=0))


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "apigen.json").read_text())
    return data


@contextmanager
def on_path(out: Path, package: str) -> Iterator[ModuleType]:
    """Import `package` from `out`, and forget it afterwards so builds do not leak; a module of
    the same name an earlier test left imported (another build's `stripe`) is forgotten first."""
    _forget(package)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(out))
        _forget(package)


def _forget(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def import_all_modules(out: Path, package: str) -> list[str]:
    """Import every generated module; returns their names."""
    names = []
    root = out / package
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(out).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        importlib.import_module(name)
        names.append(name)
    return names


def resolve_call(client: object, call: str) -> object:
    target = client
    for attr in call.split("."):
        target = getattr(target, attr)
    return target


def resolve_dotted(path: str) -> object:
    module, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def check_generated(out: Path) -> dict[str, Any]:
    """The manifest's promises hold: every module imports, every call and model resolves."""
    data = manifest(out)
    package = data["package"]
    with on_path(out, package) as pkg:
        import_all_modules(out, package)
        client, aclient = pkg.Client(), pkg.AsyncClient()
        for op in data["operations"]:
            for c in (client, aclient):
                method = resolve_call(c, op["call"])
                assert callable(method), f"{op['call']} is not callable on {type(c).__name__}"
        for name, dotted in data["models"].items():
            assert resolve_dotted(dotted) is not None, name
        client.close()
    return data


def spec_operation_count(spec: Path) -> int:
    import yaml

    text = spec.read_text()
    doc = json.loads(text) if spec.suffix == ".json" else yaml.safe_load(text)
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    count = 0
    for item in (doc.get("paths") or {}).values():
        if isinstance(item, dict) and str(item.get("$ref", "")).startswith("#/paths/"):
            key = item["$ref"][len("#/paths/") :].replace("~1", "/").replace("~0", "~")
            item = doc["paths"][key]
        if isinstance(item, dict):
            count += sum(1 for m in item if m in methods)
    return count


def ir_of(tmp_path: Path, spec: dict[str, Any], package: str) -> Api:
    """Write `spec` as YAML, load it as a build does and return its IR (no rendering)."""
    import yaml

    from apigen.diagnostics import Report
    from apigen.ir import build_api
    from apigen.pipeline import _reserved, open_spec

    path = tmp_path / f"{package}.yaml"
    path.write_text(yaml.safe_dump(spec))
    report = Report()
    loaded, name = open_spec(path, report=report)
    reserved_client, reserved_resource = _reserved()
    return build_api(
        loaded.document,
        package=package,
        spec_file=name,
        spec_sha256="",
        report=report,
        reserved_client=reserved_client,
        reserved_resource=reserved_resource,
    )


def assert_strict_mypy(out: Path, snippet: Path) -> None:
    """`mypy --strict` on `snippet`, the generated packages in `out` importable: no error
    (strict also reports an unused `# type: ignore`, so a snippet can assert an error)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        cwd=out,
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(out), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stdout


def pyright_error_lines(out: Path, snippet: Path, workdir: Path) -> tuple[list[int], str]:
    """pyright strict on `snippet`, the generated packages in `out` importable: the lines it
    reports errors on (sorted, once each) and its output."""
    from tests.conftest import run_pyright

    config = workdir / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {"typeCheckingMode": "strict", "pythonVersion": "3.11", "extraPaths": [str(out)]}
        )
    )
    result = run_pyright("--outputjson", "--project", str(config), str(snippet), cwd=workdir)
    lines = {
        d["range"]["start"]["line"] + 1
        for d in json.loads(result.stdout)["generalDiagnostics"]
        if d["severity"] == "error"
    }
    return sorted(lines), result.stdout[-3000:]


SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_script(name: str) -> ModuleType:
    """`scripts/<name>.py` as a module (registered under its name: dataclasses look it up)."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
