"""`apigen contract CLIENT_DIR`: the click command (thin: the work is in `runner`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ..cli import ref_root_option

if TYPE_CHECKING:
    from .report import Klass

__all__ = ["contract"]


@click.command()
@click.argument(
    "client_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="CLIENT_DIR",
)
@click.option(
    "--spec",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The spec (default: the file the client was built from, found by name and SHA-256 "
    "next to the client, in ./specs or $APIGEN_SHARED_SPECS).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Send to this API (credentials from the environment, like the client). "
    "Default: an in-process sandbox on 127.0.0.1.",
)
@click.option(
    "--sandbox-port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port of the in-process sandbox on 127.0.0.1 (0: any free one); not with --base-url.",
)
@click.option(
    "--mock",
    is_flag=True,
    help="--base-url is a mock server (e.g. Prism): dummy credentials, and its wrong answers "
    "are classified sandbox, not spec.",
)
@click.option(
    "--fail-on",
    default="client",
    show_default=True,
    metavar="CLASSES",
    help="Comma-separated failure classes that fail the run (exit 1): client, spec, sandbox. "
    "Against your own API (--base-url), `client,spec` also fails on answers the spec does not "
    "allow (an undeclared status, a body that breaks its schema, no answer).",
)
@click.option(
    "--operation",
    "operations",
    multiple=True,
    metavar="GLOB",
    help="operation_id or call (repeatable).",
)
@click.option("--tag", "tags", multiple=True, metavar="GLOB", help="Spec tag (repeatable).")
@click.option(
    "--max-examples",
    default=10,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Drawn cases per operation.",
)
@click.option("--seed", default=0, show_default=True, type=int)
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop starting operations after this long.",
    callback=lambda ctx, param, value: _no_nan(value),
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON list of accepted known failures.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report here.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    help="Report format (default: by the --report extension: .json, .xml, else text); "
    "without --report, the format printed.",
)
@click.option("--sync", "mode", flag_value="sync", help="Only the sync client.")
@click.option("--async", "mode", flag_value="async", help="Only the async client.")
@click.option("--both", "mode", flag_value="both", default=True, help="Sync and async (default).")
@click.option("--no-edge-cases", is_flag=True, help="Only schemathesis' cases.")
@click.option("-v", "--verbose", is_flag=True, help="Every failure, not one per kind.")
@ref_root_option
def contract(
    client_dir: Path,
    spec: Path | None,
    base_url: str | None,
    sandbox_port: int,
    mock: bool,
    fail_on: str,
    operations: tuple[str, ...],
    tags: tuple[str, ...],
    max_examples: int,
    seed: int,
    time_budget: float | None,
    baseline: Path | None,
    report_path: Path | None,
    fmt: str | None,
    mode: str,
    no_edge_cases: bool,
    verbose: bool,
    ref_root: Path | None,
) -> None:
    """Contract-test the generated client in CLIENT_DIR against its spec.

    Cases drawn by schemathesis (plus edge values) are sent through the client, sync and async;
    the request on the wire, the strict parse of every response and schemathesis' response checks
    are verified. Exit 1 on a failure of a --fail-on class (default: the client's) not accepted
    by --baseline.
    """
    from .report import Baseline, BaselineError

    if mock and base_url is None:
        click.secho("apigen contract: --mock needs --base-url", err=True, fg="red")
        sys.exit(2)
    if sandbox_port and base_url is not None:
        click.secho(
            "apigen contract: --sandbox-port is the in-process sandbox's; with --base-url there"
            " is none",
            err=True,
            fg="red",
        )
        sys.exit(2)
    from .report import KLASSES

    classes = tuple(dict.fromkeys(c.strip() for c in fail_on.split(",") if c.strip()))
    unknown = [c for c in classes if c not in KLASSES]
    if unknown or not classes:
        click.secho(
            f"apigen contract: --fail-on takes {', '.join(KLASSES)}, got {fail_on!r}",
            err=True,
            fg="red",
        )
        sys.exit(2)
    if report_path is not None:  # checked before the run, not after it (a run's work lost)
        folder = report_path.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            click.secho(
                f"apigen contract: cannot write {report_path}: {folder} is not a writable folder",
                err=True,
                fg="red",
            )
            sys.exit(2)
        for given, what in ((spec, "--spec"), (baseline, "--baseline")):
            # the run's report over its own input (helper 213: `--report petstore.yaml`
            # replaced the spec under test, without a word)
            if given is not None and _same_file(given, report_path):
                click.secho(
                    f"apigen contract: --report {report_path} is the {what} file: pick another"
                    " name (the report would replace it)",
                    err=True,
                    fg="red",
                )
                sys.exit(2)
    from .runner import ContractConfig, ContractError, run_contract

    variants = ("sync", "async") if mode == "both" else (mode,)
    config = ContractConfig(
        client_dir=client_dir,
        spec=spec,
        base_url=base_url,
        sandbox_port=sandbox_port,
        mock=mock,
        fail_on=cast("tuple[Klass, ...]", classes),
        operations=operations,
        tags=tags,
        max_examples=max_examples,
        seed=seed,
        time_budget=time_budget,
        baseline=baseline,
        variants=variants,
        edge_cases=not no_edge_cases,
        ref_root=ref_root,
        progress=(lambda m: click.echo(m, err=True)) if verbose and sys.stderr.isatty() else None,
    )
    if spec is not None and _built_from_another(client_dir, spec, ref_root):
        click.secho(
            f"apigen contract: warning: {spec} is not the spec {client_dir} was built from (its"
            " apigen.json records another SHA-256): failures may be only the difference;"
            " regenerate the client from it to test this spec",
            err=True,
            fg="yellow",
        )
    try:
        report = run_contract(config)
    except (ContractError, BaselineError) as err:
        click.secho(f"apigen contract: {err}", err=True, fg="red")
        sys.exit(2)
    except KeyboardInterrupt:  # before the first operation or while stopping the sandbox
        click.secho("apigen contract: interrupted; no report", err=True, fg="red")
        sys.exit(130)
    if report_path is None and fmt in ("json", "junit"):
        # printed as asked (helper 229: `--format json` alone printed text, without a word)
        click.echo(report.render(fmt))
    else:
        click.echo(report.text(verbose=verbose))
    if report.interrupted:
        click.secho(
            "apigen contract: interrupted: the report holds the operations checked before",
            err=True,
            fg="yellow",
        )
    if baseline is not None:
        selected = bool(operations or tags)
        for e in Baseline.load(baseline).unused(report, selected):
            click.secho(
                f"apigen contract: warning: baseline entry {e['operation_id']} {e['check']}"
                f" [{e['class']}] matched no failure of this run (fixed? then remove it: kept,"
                " it would accept the failure should it come back)",
                err=True,
                fg="yellow",
            )
    if report_path is not None:
        try:
            report.write(report_path, fmt)
        except OSError as err:
            click.secho(
                f"apigen contract: cannot write {report_path}: {err.strerror}", err=True, fg="red"
            )
            sys.exit(2)
    sys.exit(report.exit_code())


def _built_from_another(client_dir: Path, spec: Path, ref_root: Path | None = None) -> bool:
    """Whether the client's manifest names a spec whose SHA-256 is not `spec`'s, or, for a
    multi-file spec, whose files are not `spec`'s tree as it is now (False when either cannot
    be read: the run itself reports that)."""
    import hashlib
    import json

    try:
        recorded = json.loads((client_dir / "apigen.json").read_text(encoding="utf-8"))
        digest = hashlib.sha256(spec.read_bytes()).hexdigest()
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict):
        return False
    wanted = recorded.get("spec_sha256")
    if isinstance(wanted, str) and wanted and wanted != digest:
        return True
    from .client import same_tree

    return not same_tree(recorded, spec, ref_root)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # (one of them does not exist yet)
        return False


def _no_nan(value: float | None) -> float | None:
    """`--time-budget nan` passed the range (NaN compares false) and meant no budget."""
    if value is not None and value != value:
        raise click.BadParameter("a number of seconds, not nan", param_hint="'--time-budget'")
    return value
