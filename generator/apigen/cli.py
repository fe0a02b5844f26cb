"""The `apigen` command line: build, check and sandbox.

Every failure a user can cause (bad spec, bad arguments, unwritable output) ends in a message
naming the file and place, and exit status 1; never a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click

from . import __version__
from .diagnostics import Diagnostic, Report, SpecError
from .write import OutputError


def _progress(quiet: bool) -> Callable[[str], None]:
    """Stage lines on a terminal; nothing when piped or --quiet."""
    if quiet or not sys.stderr.isatty():
        return lambda _msg: None
    start = time.perf_counter()

    def say(message: str) -> None:
        click.secho(f"[{time.perf_counter() - start:6.1f}s] {message}", err=True, fg="cyan")

    return say


def _print_diagnostics(items: list[Diagnostic], quiet: bool) -> None:
    warnings = [d for d in items if d.severity == "warning"]
    if quiet or not warnings:
        return
    for d in warnings:
        click.echo(d.format(), err=True)
    kinds = Counter(d.kind for d in warnings)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    click.echo(f"{len(warnings)} warning(s): {summary}", err=True)


def _fail(message: str) -> None:
    click.secho(message, err=True, fg="red")
    sys.exit(1)


_ref_root_option = click.option(
    "--ref-root",
    "ref_root",
    default=None,
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=(
        "Let relative $refs read files anywhere under DIR (the spec's folder or one above it, "
        "e.g. a monorepo's root for `../common/x.yaml`). Default: only the spec's folder and "
        "below. Symlinks and `..` cannot leave DIR; URLs are never fetched. "
        "Config key (planned): ref_root."
    ),
)


@click.group()
@click.version_option(__version__, prog_name="apigen")
def main() -> None:
    """Generate typed Python clients from OpenAPI 3.0/3.1 and Swagger 2.0 specs."""


@main.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (the package goes in a folder of its own inside it).",
)
@click.option("--name", default=None, help="Package import name (default: the output folder's).")
@click.option(
    "--strict", is_flag=True, help="Fail on any problem, even one apigen can work around."
)
@click.option("--quiet", is_flag=True, help="Print errors only.")
@_ref_root_option
def build(
    spec: Path, output: Path, name: str | None, strict: bool, quiet: bool, ref_root: Path | None
) -> None:
    """Generate a client package from SPEC into OUTPUT."""
    from .pipeline import build as run_build

    started = time.perf_counter()
    try:
        result = run_build(
            spec,
            output,
            name=name,
            strict=strict,
            progress=_progress(quiet),
            ref_root=ref_root,
        )
    except SpecError as err:
        _print_diagnostics([d for d in err.diagnostics if d.severity == "warning"], quiet)
        for d in err.diagnostics:
            click.secho(d.format(), err=True, fg="red")
        _fail(f"apigen: cannot build a client from {spec}; {output} left unchanged")
        return
    except OutputError as err:
        _fail(f"apigen: {err}")
        return
    except Exception as err:  # a bug met on some spec: say so plainly, keep the output intact
        if os.environ.get("APIGEN_DEBUG"):
            raise
        _fail(
            f"apigen: internal error while building {spec} ({type(err).__name__}: {err}); "
            f"{output} left unchanged. Set APIGEN_DEBUG=1 for a traceback and please report it."
        )
        return
    _print_diagnostics(result.report.items, quiet)
    if not quiet:
        api = result.api
        click.echo(
            f"wrote {output}/{api.package}: {len(api.operations)} operations, "
            f"{len(api.definitions)} models, {result.files} files "
            f"in {time.perf_counter() - started:.1f}s",
            err=True,
        )


@main.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on any problem.")
@click.option("--quiet", is_flag=True, help="Print errors only.")
@_ref_root_option
def check(spec: Path, strict: bool, quiet: bool, ref_root: Path | None) -> None:
    """Validate SPEC without generating anything."""
    from .pipeline import check as run_check

    try:
        report: Report = run_check(
            spec, strict=strict, progress=_progress(quiet), ref_root=ref_root
        )
    except SpecError as err:
        for d in err.diagnostics:
            click.secho(d.format(), err=True, fg="red")
        _fail(f"apigen: {spec} is not usable")
        return
    _print_diagnostics(report.items, quiet)
    if not quiet:
        click.echo(f"{spec}: ok ({len(report.warnings)} warning(s))", err=True)


@main.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--seed", default=0, show_default=True, help="Seed for drawn responses.")
@click.option(
    "--static",
    is_flag=True,
    help="Fixed example bodies unless a request sends Prefer: dynamic=true.",
)
@click.option("--no-validate", is_flag=True, help="Accept any request (no 400/401/422).")
def sandbox(spec: Path, port: int, seed: int, static: bool, no_validate: bool) -> None:
    """Serve a mock of SPEC's API on 127.0.0.1: validates requests, draws responses.

    Requests may send `Prefer: code=NNN`, `Prefer: example=NAME` or `Prefer: dynamic=false`.
    """
    from .load import load_spec
    from .sandbox import serve

    try:
        loaded = load_spec(spec, report=Report())
    except SpecError as err:
        for d in err.diagnostics:
            click.secho(d.format(), err=True, fg="red")
        _fail(f"apigen: cannot serve {spec}")
        return
    serve(  # prints its URL; Ctrl-C stops it
        loaded.document,
        host="127.0.0.1",
        port=port,
        seed=seed,
        dynamic=not static,
        validate=not no_validate,
    )


# `apigen contract` lives with the contract runner (generator/apigen/contract/).
from .contract.command import contract as _contract  # noqa: E402

main.add_command(_contract)
