"""The build, stage by stage: load -> validate -> IR -> render -> format -> write.

Validation (openapi-spec-validator) is the slowest stage on big specs, so it runs in a second
process while this one builds and renders; its verdict is awaited before anything is written.
"""

from __future__ import annotations

import keyword
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import naming
from .diagnostics import Diagnostic, Report, SpecError
from .format import format_tree
from .ir import Api, build_api
from .load import LoadedSpec, load_spec
from .render import render_api
from .validate import validate_in_background, validate_spec
from .write import check_target, write_tree

Progress = Callable[[str], None]

_TAKEN = {"apigen", "apigen_runtime", "httpx", "pydantic", "pydantic_core", "typing_extensions"}


@dataclass
class BuildResult:
    api: Api
    files: int
    report: Report
    timings: dict[str, float] = field(default_factory=dict)


def package_name(name: str) -> str:
    """A safe import name: snake case, not a keyword, not shadowing stdlib or our dependencies."""
    pkg = naming.snake(name).strip("_") or "client"
    if pkg[0].isdigit():
        pkg = "api_" + pkg
    if keyword.iskeyword(pkg) or pkg in sys.stdlib_module_names or pkg in _TAKEN:
        pkg += "_client"
    return pkg


def _reserved() -> tuple[set[str], set[str]]:
    """Attribute names the runtime's base classes already use (resources must not shadow them)."""
    import apigen_runtime as rt

    client = {n for cls in (rt.SyncAPIClient, rt.AsyncAPIClient) for n in dir(cls)}
    resource = {n for cls in (rt.SyncResource, rt.AsyncResource) for n in dir(cls)}
    resource |= {"with_raw_response", "with_streaming_response"}  # generated on every resource
    return {n for n in client if not n.startswith("_")}, {
        n for n in resource if not n.startswith("_")
    }


def _verdict(report: Report, strict: bool) -> None:
    """Raise when the problems found so far forbid a client (any problem, with --strict)."""
    fatal = [d for d in report.items if d.severity == "error"]
    if strict and not fatal:
        fatal = [replace(d, severity="error") for d in report.items]
    if fatal:
        raise SpecError(fatal)


def _merge(
    spec: LoadedSpec, ours: list[Diagnostic], validator: list[Diagnostic]
) -> list[Diagnostic]:
    """Locate the generator's own findings (file, line) and drop those the validator also made."""
    located: list[Diagnostic] = []
    for d in ours:
        if d.line is None and d.file == spec.source.name:
            file, pointer, line = spec.place(d.pointer)  # a 2.0 spec's own pointers, too
            d = replace(d, file=file, pointer=pointer, line=line)
        located.append(d)
    seen = {(d.file, d.pointer, d.kind) for d in validator}
    return [*validator, *(d for d in located if (d.file, d.pointer, d.kind) not in seen)]


def check(
    spec_path: Path,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    ref_root: Path | None = None,
) -> Report:
    """Load and validate only (`apigen check`). `ref_root`: see `build`."""
    report = Report()
    say = progress or (lambda _msg: None)
    say(f"loading {spec_path}")
    spec = load_spec(spec_path, report=report, ref_root=ref_root)
    say("validating")
    validate_spec(spec, report=report)
    _verdict(report, strict)
    return report


def build(
    spec_path: Path,
    out_dir: Path,
    *,
    name: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    ref_root: Path | None = None,
) -> BuildResult:
    """Generate a client package from `spec_path` into `out_dir`.

    `ref_root`: a folder (the spec's own or one above it) that relative `$ref`s may read files
    from; by default only the spec's folder and below (`--ref-root`; the planned config key
    `ref_root` of issue 9 sets this).
    `strict`: every warning (a dangling `$ref` typed as Any, a parameter left out...) fails.
    """
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    check_target(out_dir)
    report = Report()
    say(f"loading {spec_path}")
    spec: LoadedSpec = load_spec(spec_path, report=report, ref_root=ref_root)
    lap("load")
    say("validating (in the background)")
    wait_for_validation = validate_in_background(spec)
    pkg = package_name(name or out_dir.resolve().name)
    reserved_client, reserved_resource = _reserved()
    api = build_api(
        spec.document,
        package=pkg,
        spec_file=spec_path.name,
        spec_sha256=spec.sha256,
        report=report,
        reserved_client=reserved_client,
        reserved_resource=reserved_resource,
    )
    lap("ir")
    say(f"rendering {len(api.operations)} operations, {len(api.definitions)} models")
    files = render_api(api)
    lap("render")
    say("waiting for validation")
    diags = wait_for_validation()
    lap("validate-wait")
    report.items = _merge(spec, report.items, diags)
    _verdict(report, strict)
    say(f"formatting and writing {len(files)} files")
    write_tree(out_dir, files, finish=format_tree)
    lap("format+write")
    return BuildResult(api=api, files=len(files), report=report, timings=timings)
