"""`apigen generate [--config FILE] [NAMES...]`: build every configured client (or the named ones).

Each client is built like `apigen build` does (same messages, same exit status 1, the output
left unchanged on failure), then its `post_generate` commands run in its output folder. A
failing client does not stop the others; the exit status is 1 when any failed.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..diagnostics import SpecError
from ..distribution import OptionError
from ..write import OutputError, record_files

if TYPE_CHECKING:
    from . import ClientConfig


class CommandError(Exception):
    """A post-generation command could not run or exited non-zero."""


def run_post_generate(client: ClientConfig) -> None:
    """Run `client.post_generate` in its output folder, in order; stop at the first failure.
    What they changed or added is then recorded as the build's, not a local edit (`files` in
    the manifest, write.record_files): also when one failed after changing files (`ruff check
    --fix` fixing some errors and reporting the rest), or the next build would refuse their
    work as the user's edits."""
    try:
        failed = _run_all(client)
    except KeyboardInterrupt:
        # what the commands finished (and the one cut short) changed is the build's too: the
        # next build refused it as the user's edits (helper 210)
        if client.post_generate:
            with contextlib.suppress(OSError, ValueError):
                record_files(client.output)
        raise
    if client.post_generate:
        try:
            record_files(client.output)
        except (OSError, ValueError) as err:  # the commands removed or broke the manifest
            if failed is not None:
                raise failed from None  # (the command's failure says more)
            raise CommandError(
                f"{client.file}: {client.where}.post_generate: cannot record the files they "
                f"left in {client.output}/apigen.json: {err}"
            ) from None
    if failed is not None:
        raise failed


def _run_all(client: ClientConfig) -> CommandError | None:
    """The commands in order, to the first that fails (its error)."""
    failed: CommandError | None = None
    for i, argv in enumerate(client.post_generate):
        where = f"{client.file}: {client.where}.post_generate[{i}]"
        shown = shlex.join(argv)
        try:
            done = subprocess.run(
                list(argv),
                cwd=client.output,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as err:
            failed = CommandError(f"{where}: cannot run `{shown}`: {err.strerror or err}")
            break
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            tail = "\n".join(output.splitlines()[-20:])
            failed = CommandError(
                f"{where}: `{shown}` exited with status {done.returncode} in {client.output}"
                + (f"\n{tail}" if tail else "")
            )
            break
    return failed


def _build_one(
    client: ClientConfig, quiet: bool, fresh_names: bool, cache: bool, force: bool = False
) -> bool:
    """Build one client and run its commands; print what happened; False on failure."""
    from ..cli import Console

    started = time.perf_counter()
    spec, output = client.spec, client.output
    if not quiet:
        click.echo(f"{client.name}: {spec} -> {output}", err=True)
    try:
        # warnings print as they are found (with strict, all are fatal: listed at the end)
        with Console(quiet) as console:
            result = client.build(
                progress=console.progress,
                fresh_names=fresh_names,
                on_diagnostic=None if client.strict else console.warning,
                cache=cache,
                force=force,
            )
    except SpecError as err:
        console.summary([d for d in err.diagnostics if d.severity == "warning"])
        for d in err.diagnostics:
            click.secho(d.format(), err=True, fg="red")
        click.secho(
            f"apigen: cannot build client {client.name!r} from {spec}; {output} left unchanged",
            err=True,
            fg="red",
        )
        return False
    except OutputError as err:
        click.secho(f"apigen: {err}", err=True, fg="red")
        return False
    except OptionError as err:  # checked when the file is loaded; kept as a safety net
        click.secho(f"{client.file}: {client.where}: {err}", err=True, fg="red")
        return False
    except Exception as err:  # a bug met on some spec: say so plainly, keep the output intact
        if os.environ.get("APIGEN_DEBUG"):
            raise
        click.secho(
            f"apigen: internal error while building {spec} ({type(err).__name__}: {err}); "
            f"{output} left unchanged. Set APIGEN_DEBUG=1 for a traceback and please report it.",
            err=True,
            fg="red",
        )
        return False
    console.summary()  # every warning was printed as it came (none can pass strict)
    try:
        run_post_generate(client)
    except CommandError as err:
        click.secho(f"apigen: {err}", err=True, fg="red")
        return False
    if not quiet:
        click.echo(f"wrote {output}/{result.summary(time.perf_counter() - started)}", err=True)
    return True


@click.command()
@click.argument("names", nargs=-1)
@click.option(
    "--config",
    "config_file",
    default=None,
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="apigen.toml or pyproject.toml (default: ./apigen.toml, else ./pyproject.toml "
    "with [tool.apigen]).",
)
@click.option("--quiet", is_flag=True, help="Print errors only.")
@click.option(
    "--fresh-names",
    "--no-lock",
    is_flag=True,
    help="Derive resource and method names anew instead of keeping those of each output's "
    "apigen.json (as `apigen build --fresh-names`).",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Build every client anew (as `apigen build --no-cache`).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write over local edits and files apigen did not write in the outputs (as "
    "`apigen build --force`).",
)
def generate(
    names: tuple[str, ...],
    config_file: Path | None,
    quiet: bool,
    fresh_names: bool,
    no_cache: bool,
    force: bool,
) -> None:
    """Build every client of the configuration file, or the NAMES given.

    See docs/configuration.md for the file's keys.
    """
    from .. import build_cache
    from . import ConfigError, discover, load_config

    try:
        config = load_config(config_file or discover(Path.cwd()))
    except ConfigError as err:
        for line in err.problems:
            click.secho(line, err=True, fg="red")
        raise SystemExit(1) from None
    try:
        clients = config.select(names)
    except ConfigError as err:  # a name not in the file: bad usage
        raise click.UsageError("\n".join(err.problems)) from None
    failed: list[str] = []
    for client in clients:  # one failing client does not stop the others (its spec missing)
        problems = client.problems()
        for line in problems:
            click.secho(line, err=True, fg="red")
        if problems or not _build_one(
            client, quiet, fresh_names, build_cache.enabled(no_cache), force
        ):
            failed.append(client.name)
    if failed:
        click.secho(
            f"apigen: {len(failed)} of {len(clients)} client(s) failed: {', '.join(failed)}",
            err=True,
            fg="red",
        )
        raise SystemExit(1)
