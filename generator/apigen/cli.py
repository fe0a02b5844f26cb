"""The `apigen` command line: build, check and sandbox.

Every failure a user can cause (bad spec, bad arguments, unwritable output) ends in a message
naming the file and place, and exit status 1; never a traceback.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

import click

from . import __version__
from .diagnostics import Diagnostic, Report, SpecError
from .distribution import OptionError
from .write import OutputError


def _is_terminal() -> bool:
    """Whether stderr is a terminal that can redraw a line (progress is drawn there only; not
    `TERM=dumb`, which shows the escapes as text: helper 213); tests replace this."""
    if os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr is not None and sys.stderr.isatty()  # (None: started with `2>&-`)


def _no_color() -> bool:
    """https://no-color.org: `NO_COLOR` set, and not empty, turns colour off; so does a
    terminal that shows escapes as text (`TERM=dumb`)."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def _columns() -> int:
    """stderr's width; $COLUMNS or 80 when it has none (a test's stream, a fresh pty)."""
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        columns = 0
    return columns or shutil.get_terminal_size().columns


_SPINNER = "|/-\\"
_CLEAR_LINE = "\r\x1b[K"


class Console:
    """What a command prints on stderr while it works.

    On a terminal (and not --quiet): a line per stage (`[  4.5s] rendering ...`) and, below
    them, a status line redrawn in place every `interval` seconds (`/ waiting for validation
    (12s)`), so something moves during every stage, validation included. Piped, or --quiet:
    no progress at all. Warnings print as the build finds them (`warning`, the pipeline's
    `on_diagnostic`), each once; `summary` ends with the `N warning(s): ...` line. Use it as a
    context manager: leaving clears the status line and stops its thread.
    """

    def __init__(self, quiet: bool, *, interval: float = 0.1) -> None:
        self.quiet = quiet
        self.live = not quiet and _is_terminal()
        self.interval = interval
        self.printed: list[Diagnostic] = []  # the warnings printed, in order
        self._seen: set[Diagnostic] = set()
        self._lock = threading.RLock()
        self._start = self._stage_start = time.perf_counter()
        self._stage = ""
        self._frame = 0
        self._shown = False  # the status line is on screen
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Console:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def progress(self, message: str) -> None:
        """A stage begins (the pipeline's `progress`): its line, then the status line."""
        if not self.live:
            return
        with self._lock:
            now = time.perf_counter()
            self._stage, self._stage_start = message, now
            self._write(f"[{now - self._start:6.1f}s] {message}", fg="cyan")
            self._draw()
        if self._thread is None:
            self._thread = threading.Thread(target=self._tick, name="apigen-status", daemon=True)
            self._thread.start()

    def warning(self, d: Diagnostic) -> None:
        """Print a warning now (the pipeline's `on_diagnostic`); errors, repeats and everything
        under --quiet are left out (errors end the command: the caller prints them)."""
        if self.quiet or d.severity != "warning" or d in self._seen:
            return
        self._seen.add(d)
        self.printed.append(d)
        self.echo(d.format())

    def summary(self, items: Sequence[Diagnostic] = ()) -> None:
        """Print the warnings of `items` not printed yet, then the `N warning(s)` line."""
        for d in items:
            self.warning(d)
        if self.quiet or not self.printed:
            return
        kinds = Counter(d.kind for d in self.printed)
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        self.echo(f"{len(self.printed)} warning(s): {counts}")

    def echo(self, text: str, fg: str | None = None) -> None:
        """A line on stderr, above the status line."""
        with self._lock:
            self._write(text, fg=fg)
            self._draw()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._clear()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                self._frame += 1
                self._draw()

    def _draw(self) -> None:
        if not self.live or not self._stage or self._stop.is_set():
            return
        spin = _SPINNER[self._frame % len(_SPINNER)]
        seconds = time.perf_counter() - self._stage_start
        status = f"{spin} {self._stage} ({seconds:.0f}s)"
        width = _columns() - 1  # a wrapped line could not be redrawn in place
        if len(status) > width:
            status = status[: max(width - 3, 0)] + "..."
        click.echo(_CLEAR_LINE + status, err=True, nl=False, color=True)
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            click.echo(_CLEAR_LINE, err=True, nl=False, color=True)
            self._shown = False

    def _write(self, text: str, fg: str | None) -> None:
        self._clear()
        click.secho(
            text, err=True, fg=fg, color=True if self.live and fg and not _no_color() else None
        )


def _fail(message: str) -> None:
    click.secho(message, err=True, fg="red")
    sys.exit(1)


ref_root_option = click.option(
    "--ref-root",
    "ref_root",
    default=None,
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=(
        "Let relative $refs read files anywhere under DIR (the spec's folder or one above it, "
        "e.g. a monorepo's root for `../common/x.yaml`). Default: only the spec's folder and "
        "below. Symlinks and `..` cannot leave DIR; URLs are never fetched. "
        "Config key: ref_root (docs/configuration.md)."
    ),
)


_no_cache_option = click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Build everything anew: neither reuse nor store the files of an identical earlier "
    "build (the build cache, in APIGEN_CACHE_DIR or ~/.cache/apigen; "
    "APIGEN_NO_BUILD_CACHE=1 does the same).",
)


_fresh_names_option = click.option(
    "--fresh-names",
    "--no-lock",
    "fresh_names",
    is_flag=True,
    help="Derive every resource and method name anew, ignoring the names locked by the "
    "apigen.json of the previous output (renames callers' methods when the spec's shape moved).",
)


if TYPE_CHECKING:  # generic from click 8.5 on; the dependency allows 8.1
    _ParamType = click.ParamType[Path | str]
else:
    _ParamType = click.ParamType


class _SpecSource(_ParamType):
    """A spec file (it must exist) or an http(s) URL (fetched with its relative `$ref`s)."""

    name = "SPEC"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path | str:
        from .spec import is_url

        if isinstance(value, Path):
            return value
        text = str(value)
        if is_url(text):
            return text
        path: Path = click.Path(exists=True, dir_okay=False, path_type=Path).convert(
            text, param, ctx
        )
        return path


class _LazyGroup(click.Group):
    """Subcommands that live in other packages are imported when named, not at startup:
    `apigen contract` pulls in the contract runner and its schema validator (half a second),
    which `apigen build` never needs."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {  # name -> (module, attribute)
        # `apigen contract` lives with the contract runner (generator/apigen/contract/).
        "contract": ("apigen.contract.command", "contract"),
        # `apigen generate` lives with the configuration file's loader (generator/apigen/config/).
        "generate": ("apigen.config.command", "generate"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def invoke(self, ctx: click.Context) -> object:
        """Ctrl-C exits 130, as a shell reports an interrupted command (and `apigen contract`
        does): click's own handling printed "Aborted!" and exited 1, as any failure does."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("apigen: interrupted", err=True)
            sys.exit(130)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY and cmd_name not in self.commands:
            module, attribute = self.LAZY[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup)
@click.version_option(__version__, prog_name="apigen")
def main() -> None:
    """Generate typed Python clients from OpenAPI 3.0/3.1/3.2 and Swagger 2.0 specs."""
    _exit_on_sigterm()
    if _no_color():  # every command's messages (click colours a terminal's by default)
        click.get_current_context().color = False


def _exit_on_sigterm() -> None:
    """SIGTERM (a cancelled CI job, `timeout`) exits as Ctrl-C does, through every `finally`:
    killed outright, a build left its hidden staging folder beside the output for good. For
    the command's run only: a program calling `main` in-process gets its own handler back."""
    import signal
    import threading

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGTERM, terminate)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


@main.command()
@click.argument("spec", type=_SpecSource())
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory (the package goes in a folder of its own inside it).",
)
@click.option(
    "--name",
    default=None,
    help="Package import name (default: the output folder's), snake-cased (`my-pets`: "
    "`my_pets`). A keyword, a standard-library module or a non-identifier is refused.",
)
@click.option(
    "--runtime",
    type=click.Choice(["vendored", "shared"]),
    default="vendored",
    show_default=True,
    help="vendored: the runtime is copied into the package (`<name>._runtime`), which needs "
    "only httpx, pydantic and typing-extensions; shared: the package depends on the "
    "`apigen-runtime` distribution (one runtime for many clients).",
)
@click.option(
    "--dist-name",
    default=None,
    metavar="NAME",
    help="Distribution name in pyproject.toml (default: <name>-apigen-client).",
)
@click.option(
    "--package-version",
    default=None,
    metavar="VERSION",
    help="Version of the generated package (default: the spec's info.version when it is a "
    "PEP 440 version, else 0.1.0).",
)
@click.option(
    "--strict", is_flag=True, help="Fail on any problem, even one apigen can work around."
)
@click.option("--quiet", is_flag=True, help="Print errors only.")
@click.option(
    "--timings",
    is_flag=True,
    help="Print each stage's wall and CPU seconds (and its child processes' CPU) at the end.",
)
@_fresh_names_option
@ref_root_option
@_no_cache_option
@click.option(
    "--force",
    is_flag=True,
    help="Write over local edits to the files of OUTPUT and files apigen did not write there "
    "(refused by default: its apigen.json records what apigen wrote).",
)
def build(
    spec: Path | str,
    output: Path,
    name: str | None,
    runtime: Literal["vendored", "shared"],
    dist_name: str | None,
    package_version: str | None,
    strict: bool,
    quiet: bool,
    timings: bool,
    fresh_names: bool,
    ref_root: Path | None,
    no_cache: bool,
    force: bool,
) -> None:
    """Generate a client package from SPEC into OUTPUT.

    Method names already in OUTPUT's apigen.json are kept (see --fresh-names)."""
    from . import build_cache
    from .pipeline import build as run_build

    started = time.perf_counter()
    try:
        # Warnings print as they are found; with --strict they are fatal, listed at the end.
        with Console(quiet) as console:
            result = run_build(
                spec,
                output,
                name=name,
                strict=strict,
                progress=console.progress,
                ref_root=ref_root,
                runtime=runtime,
                dist_name=dist_name,
                version=package_version,
                fresh_names=fresh_names,
                on_diagnostic=None if strict else console.warning,
                cache=build_cache.enabled(no_cache),
                force=force,
            )
    except OptionError as err:
        raise click.UsageError(str(err)) from None
    except SpecError as err:
        console.summary([d for d in err.diagnostics if d.severity == "warning"])
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
    console.summary()  # every warning was printed as it came (none can pass --strict)
    if not quiet:
        click.echo(f"wrote {output}/{result.summary(time.perf_counter() - started)}", err=True)
    if timings:
        click.echo(result.timing_report(), err=True)


@main.command()
@click.argument("spec", type=_SpecSource())
@click.option("--strict", is_flag=True, help="Fail on any problem.")
@click.option("--quiet", is_flag=True, help="Print errors only.")
@click.option(
    "--full",
    is_flag=True,
    help="Validate with openapi-spec-validator itself (slow; the reference the default, fast "
    "validator is tested against).",
)
@ref_root_option
def check(spec: Path | str, strict: bool, quiet: bool, full: bool, ref_root: Path | None) -> None:
    """Validate and read SPEC without generating anything (the warnings `build` gives)."""
    from .pipeline import check as run_check

    try:
        with Console(quiet) as console:
            report: Report = run_check(
                spec,
                strict=strict,
                progress=console.progress,
                ref_root=ref_root,
                on_diagnostic=None if strict else console.warning,
                full=full,
            )
    except SpecError as err:
        for d in err.diagnostics:
            click.secho(d.format(), err=True, fg="red")
        _fail(f"apigen: {spec} is not usable")
        return
    console.summary()  # every warning was printed as it came (none can pass --strict)
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
@ref_root_option
def sandbox(
    spec: Path, port: int, seed: int, static: bool, no_validate: bool, ref_root: Path | None
) -> None:
    """Serve a mock of SPEC's API on 127.0.0.1: validates requests, draws responses.

    Requests may send `Prefer: code=NNN`, `Prefer: example=NAME` or `Prefer: dynamic=false`.
    """
    from .sandbox import serve
    from .spec import load_spec

    try:
        loaded = load_spec(spec, report=Report(), ref_root=ref_root)
    except SpecError as err:
        for d in err.diagnostics:
            click.secho(d.format(), err=True, fg="red")
        _fail(f"apigen: cannot serve {spec}")
        return
    try:
        serve(  # prints its URL; Ctrl-C stops it
            loaded.document,
            host="127.0.0.1",
            port=port,
            seed=seed,
            dynamic=not static,
            validate=not no_validate,
        )
    except OSError as err:  # the port is taken (EADDRINUSE), or below 1024 without the right
        _fail(f"apigen: cannot listen on 127.0.0.1:{port}: {err.strerror or err}")


@main.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@_fresh_names_option
@click.option(
    "--config",
    "config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The configuration OLD's client is generated by (default: apigen.toml or "
    "pyproject.toml [tool.apigen] in the current folder): its client writing to OLD's folder, "
    "else the one whose spec is OLD or NEW, else its only client.",
)
def diff(old: Path, new: Path, fmt: str, fresh_names: bool, config: Path | None) -> None:
    """Breaking changes in the generated Python API between OLD and NEW.

    Each is a spec, an apigen.json manifest or a generated client folder. A NEW spec is named
    with OLD's names as the lock, and with the configured options of the client that writes
    OLD's folder (renames, include/exclude, security), as a regeneration over OLD's output would
    be. Exit status: 1 when anything breaks, 0 otherwise, 2 when an input cannot be read.
    """
    from .diff import DiffInputError, configured_client, diff_paths, format_json, format_text

    try:
        client = configured_client(old, config, new)
        report = diff_paths(old, new, fresh_names=fresh_names, client=client)
    except DiffInputError as err:
        click.secho(f"apigen diff: {err}", err=True, fg="red")
        sys.exit(2)
    except Exception as err:  # a bug met on some spec: say so plainly (2: no verdict)
        if os.environ.get("APIGEN_DEBUG"):
            raise
        click.secho(
            f"apigen diff: internal error ({type(err).__name__}: {err}). "
            "Set APIGEN_DEBUG=1 for a traceback and please report it.",
            err=True,
            fg="red",
        )
        sys.exit(2)
    click.echo(format_json(report) if fmt == "json" else format_text(report), nl=False)
    sys.exit(1 if report.breaking else 0)
