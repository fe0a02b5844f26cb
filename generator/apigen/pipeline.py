"""The build, stage by stage: load -> validate -> IR -> render -> compile -> format -> write.

Validation (openapi-spec-validator) is the slowest stage on big specs, so it runs in a second
process while this one builds the IR; a third compiles each file as soon as it is rendered
(syntax_check.py). Both verdicts are awaited before anything is written.
"""

from __future__ import annotations

import gc
import hashlib
import keyword
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import build_cache, naming
from .diagnostics import Diagnostic, Report, SpecError
from .distribution import (
    DEFAULT_RUNTIME,
    RUNTIME_MODES,
    Distribution,
    OptionError,
    RuntimeMode,
    check_dist_name,
    check_version,
    default_dist_name,
    default_version,
    spec_license,
)
from .python_names import STDLIB_MODULES
from .write import (
    ARTIFACTS,
    MANIFEST,
    LocalChangesError,
    OutputError,
    Snapshot,
    check_target,
    digests,
    guard_local_changes,
    guard_spec_inside,
    local_changes,
    write_tree,
)

# The stages are imported where they run: a build served from the cache (build_cache.py) needs
# none of them, and importing them (jinja2, the IR, the validators) was most of its time.
if TYPE_CHECKING:
    from .ir import Api
    from .ir.lock import NameLock
    from .ir.options import ApiOptions
    from .spec import LoadedSpec

Progress = Callable[[str], None]
OnDiagnostic = Callable[[Diagnostic], None]

# Top-level modules a generated client imports, directly or through its dependencies (httpx:
# httpcore, h11, anyio, sniffio, idna, certifi and its optional decoders and HTTP/2; pydantic:
# pydantic_core, annotated_types, typing_inspection) and the runtime's optional ones (redis,
# opentelemetry): a package of that name on sys.path is imported in their place.
_TAKEN = frozenset(
    {
        *("apigen", "apigen_runtime", "httpx", "pydantic", "pydantic_core", "typing_extensions"),
        *("httpcore", "h11", "anyio", "sniffio", "idna", "certifi", "exceptiongroup", "socksio"),
        *("h2", "hpack", "hyperframe", "brotli", "brotlicffi", "zstandard"),
        *("annotated_types", "typing_inspection", "redis", "opentelemetry"),
    }
)


@dataclass
class BuildResult:
    api: Api | None  # None when the files came from the build cache (build_cache.py)
    files: int
    report: Report
    package: str
    operations: int
    models: int
    timings: dict[str, float] = field(default_factory=dict)
    cached: bool = False
    unchanged: bool = False  # the output already held exactly these files: none was written
    #: CPU seconds of apigen's own process per stage (the keys of `timings`), and of the
    #: processes it waited for (validation, the compile check, ruff) as "children"
    cpu: dict[str, float] = field(default_factory=dict)

    def timing_report(self) -> str:
        """One line per stage, wall and CPU seconds (`apigen build --timings`)."""
        lines = [
            f"  {stage:<14} {wall:6.2f} s wall {self.cpu.get(stage, 0.0):6.2f} s CPU"
            for stage, wall in self.timings.items()
        ]
        if "children" in self.cpu:
            lines.append(
                f"  {'children':<14} {'':13} {self.cpu['children']:6.2f} s CPU "
                "(validation, compile check, ruff)"
            )
        return "\n".join(["timings:", *lines])

    def summary(self, seconds: float) -> str:
        """`<package>: N operations, M models, K files in 1.2s` (what the CLI prints)."""
        notes = [
            *(["reused from the build cache"] if self.cached else []),
            *(["output unchanged"] if self.unchanged else []),
        ]
        return (
            f"{self.package}: {self.operations} operations, {self.models} models, "
            f"{self.files} files in {seconds:.1f}s" + (f" ({'; '.join(notes)})" if notes else "")
        )


def package_name(name: str) -> str:
    """A safe import name: snake case, not a keyword, not shadowing stdlib or our dependencies.

    For names apigen derives (the output folder's); a name the user gives goes through
    `checked_package_name`, which refuses instead of renaming."""
    pkg = naming.snake(name).strip("_") or "client"
    if pkg[0].isdigit():
        pkg = "api_" + pkg
    if keyword.iskeyword(pkg) or pkg in STDLIB_MODULES or pkg in _TAKEN or pkg in ARTIFACTS:
        pkg += "_client"
    return pkg


def checked_package_name(name: str) -> str:
    """`--name`: snake-cased (`my-pets` -> `my_pets`), but a keyword, a standard-library module,
    one of the client's own dependencies or a non-identifier is an `OptionError`."""
    if not any(c.isalnum() for c in name):  # `''`; `-` or `_` were spelled `minus`, `value`
        raise OptionError(f"invalid package name {name!r}: no letter or digit; choose a --name")
    pkg = naming.snake(name).strip("_")
    why = ""
    spelled = name.replace("-", "_")
    if not pkg or not spelled.isidentifier() or not spelled.isascii() or not pkg.isidentifier():
        why = "not a Python identifier"
    elif keyword.iskeyword(pkg):
        why = "a Python keyword"
    elif pkg in STDLIB_MODULES:
        why = "a standard-library module it would shadow"
    elif pkg in _TAKEN:
        why = "a module the generated client imports"
    elif pkg in ARTIFACTS:
        why = "a folder packaging tools write in the output"
    if why:
        raise OptionError(
            f"invalid package name {name!r}"
            + (f" ({pkg!r})" if pkg and pkg != name else "")
            + f": {why}; choose another --name (e.g. {package_name(name)!r})"
        )
    return pkg


# Public attribute names of the runtime's clients (their settings, which `__init__` sets on
# the instance, too: a tag `timeout` made a resource the setting hid) and resource base
# classes, which generated resources must not shadow. Written out rather than read by `dir()`:
# that would import the whole runtime (httpx, pydantic) into every build.
# tests/render/test_reserved_names.py checks these against the runtime itself.
RESERVED_CLIENT = frozenset(
    {
        "aclose",
        "allow_insecure_credentials",
        "base_url",
        "base_url_for",
        "close",
        "copy",
        "default_headers",
        "default_query",
        "delete",
        "get",
        "idempotency_header",
        "is_closed",
        "max_response_bytes",
        "max_retries",
        "max_stream_reconnects",
        "oauth",
        "paginate",
        "patch",
        "post",
        "put",
        "request",
        "retry_count_header",
        "stream",
        "strict_response_validation",
        "timeout",
        "wait_for",
        "with_options",
        "with_raw_response",  # `client.with_raw_response.<resource>.<method>(...)`
        "with_streaming_response",
    }
)
# Generated on every resource; the base classes have no public attribute of their own.
RESERVED_RESOURCE = frozenset({"with_raw_response", "with_streaming_response"})
# Module names the client's and resources' class bodies use after their attributes are
# defined: an attribute of that name hides the module's for every line after it (a tag
# `cached_property` broke the import of the package, an operation `overload` the stream
# switch's overloads, a resource `httpx` the `http_client: httpx.Client` annotations).
CLASS_BODY_NAMES = frozenset({"cached_property", "overload", "httpx", "threading"})


def _reserved() -> tuple[set[str], set[str]]:
    """Attribute names the runtime's base classes already use (resources must not shadow them)."""
    return set(RESERVED_CLIENT | CLASS_BODY_NAMES), set(RESERVED_RESOURCE | CLASS_BODY_NAMES)


def _build_api(
    spec: LoadedSpec,
    package: str,
    spec_name: str,
    report: Report,
    options: ApiOptions | None,
    lock: NameLock | None,
) -> Api:
    """The IR of `spec`, the runtime's own attribute names reserved (`build` and `build_ir`)."""
    from .ir import build_api

    reserved_client, reserved_resource = _reserved()
    return build_api(
        spec.document,
        package=package,
        spec_file=spec_name,
        spec_sha256=spec.sha256,
        spec_tree_sha256=spec.tree_digest(),
        report=report,
        reserved_client=reserved_client,
        reserved_resource=reserved_resource,
        options=options,
        lock=lock,
    )


@contextmanager
def _reading(
    spec: LoadedSpec, report: Report, validation: Callable[[], list[Diagnostic]]
) -> Iterator[None]:
    """Reading the document (IR, render): a crash on a document that breaks the OpenAPI schema
    is reported as that document's problems, not as an internal error.

    The IR reads every shape it knows and steps over what it does not, but an invalid document
    can hold a shape no reader expects (`responses: "x"`). When that raises, the validator's
    findings say where the document is wrong; they are the error, with one line naming what
    apigen could not read. A document without findings that still crashes is apigen's bug and
    propagates as one (the CLI's "internal error").
    """
    try:
        yield
    except (SpecError, OptionError, OutputError):
        raise
    except Exception as err:
        found = _merge(spec, report.items, validation())
        if not found:
            raise
        unreadable = Diagnostic(
            spec.source.name,
            "#",
            f"apigen could not read this document ({type(err).__name__}: {err}); it breaks "
            "the OpenAPI schema at the places listed",
            "error",
            "unreadable",
            None,
            "fix those first",
        )
        raise SpecError([*found, unreadable]) from err


def _verdict(report: Report, strict: bool) -> None:
    """Raise when the problems found so far forbid a client (any problem, with --strict)."""
    fatal = [d for d in report.items if d.severity == "error"]
    if strict and not fatal:
        fatal = [replace(d, severity="error") for d in report.items]
    if fatal:
        raise SpecError(fatal)


def _locate(spec: LoadedSpec, d: Diagnostic) -> Diagnostic:
    """One of the generator's own findings with its file and line."""
    if d.line is None and d.file == spec.source.name:
        file, pointer, line = spec.place(d.pointer)  # a 2.0 spec's own pointers, too
        d = replace(d, file=file, pointer=pointer, line=line)
    return d


def _merge(
    spec: LoadedSpec, ours: list[Diagnostic], validator: list[Diagnostic]
) -> list[Diagnostic]:
    """Locate the generator's own findings (file, line) and drop those the validator also made."""
    located = [_locate(spec, d) for d in ours]
    seen = {(d.file, d.pointer, d.kind) for d in validator}
    return [*validator, *(d for d in located if (d.file, d.pointer, d.kind) not in seen)]


class _Emitter:
    """Hands each finding to `on_diagnostic` once, at the end of the stage that found it (load,
    IR, validation), so a caller can print warnings as they come. A validator finding at a
    place and of a kind already handed on (the generator's own) is not handed on again."""

    def __init__(self, spec: LoadedSpec, sink: OnDiagnostic | None) -> None:
        self.spec, self.sink = spec, sink
        self.done = 0  # report.items[:done] were handed on
        self.seen: set[tuple[str, str, str]] = set()

    def ours(self, report: Report) -> None:
        fresh, self.done = report.items[self.done :], len(report.items)
        self._hand_on(_locate(self.spec, d) for d in fresh)

    def validator(self, diags: list[Diagnostic]) -> None:
        self._hand_on(d for d in diags if (d.file, d.pointer, d.kind) not in self.seen)

    def _hand_on(self, items: Iterable[Diagnostic]) -> None:
        for d in items:
            self.seen.add((d.file, d.pointer, d.kind))
            if self.sink is not None:
                self.sink(d)


def open_spec(
    source: Path | str, *, report: Report, ref_root: Path | None = None
) -> tuple[LoadedSpec, str]:
    """Load a spec from a file or an http(s) URL (fetched with its relative `$ref`s, spec/fetch.py);
    returns it and its file name (what the manifest and the README call it)."""
    from .spec import is_url, load_spec

    if is_url(source):
        from .spec import fetch_spec  # urllib.request: 12 ms a local file never needs

        fetched = fetch_spec(str(source))
        name = Path(urlsplit(fetched.url).path).name or "openapi"
        return load_spec(fetched.root, report=report, fetched=fetched), name
    path = Path(source)
    return load_spec(path, report=report, ref_root=ref_root), path.name


def _with_source(options: ApiOptions | None, spec: LoadedSpec) -> ApiOptions | None:
    """A spec fetched from a URL records it (the manifest's `spec_url`) unless configured."""
    from .ir.options import ApiOptions
    from .spec import is_url

    if not is_url(spec.file):
        return options
    if options is None:
        return ApiOptions(spec_url=spec.file)
    return options if options.spec_url else replace(options, spec_url=spec.file)


def check(
    spec_path: Path | str,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    ref_root: Path | None = None,
    on_diagnostic: OnDiagnostic | None = None,
    full: bool = False,
) -> Report:
    """Load, validate and read (`apigen check`): what `build` would warn about before it
    renders anything, so `check --strict` refuses what `build --strict` refuses (it passed a
    spec whose server URL the IR finds relative). `ref_root`, `on_diagnostic`, `full`: see
    `build`."""
    from .spec import validate_in_background

    report = Report()
    say = progress or (lambda _msg: None)
    say(f"loading {spec_path}")
    spec, spec_name = open_spec(spec_path, report=report, ref_root=ref_root)
    emit = _Emitter(spec, on_diagnostic)
    emit.ours(report)
    say("validating")
    # in a child process, as `build` validates: a validator crashing on a document (the Rust
    # one on properties nested 10,000 deep) ended `check` with a bare SIGSEGV; it is a warning
    for diagnostic in validate_in_background(spec, full=full)():
        report.add(diagnostic)
    emit.ours(report)
    _verdict(report, strict=False)  # a document with errors is not read further
    say("reading operations and schemas")
    read = Report()
    with _reading(spec, report, list):
        _build_api(spec, package_name(Path(spec_name).stem), spec_name, read, None, None)
    # as `build` merges them: a finding the validator made already is not repeated
    report.items = _merge(spec, read.items, report.items)
    emit.ours(report)
    _verdict(report, strict)
    return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A build allocates millions of objects that live to its end (the document, the IR, the
    rendered text) and little cyclic garbage: the cycle collector's passes over them took a
    fifth of GitHub's build CPU and freed nothing (peak RSS unchanged). Paused while building
    (and in the children forked meanwhile), then restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def build(
    spec_path: Path | str,
    out_dir: Path,
    *,
    name: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    ref_root: Path | None = None,
    options: ApiOptions | None = None,
    templates: Path | None = None,
    runtime: RuntimeMode = DEFAULT_RUNTIME,
    dist_name: str | None = None,
    version: str | None = None,
    fresh_names: bool = False,
    on_diagnostic: OnDiagnostic | None = None,
    full: bool = False,
    cache: bool = False,
    force: bool = False,
) -> BuildResult:
    """Generate a client package from `spec_path` into `out_dir`.

    Method names are locked: an `apigen.json` already in `out_dir` gives every operation it
    lists its previous call path (ir/lock.py); `fresh_names` ignores it (`--fresh-names`).

    `runtime`: "vendored" copies the runtime into the package as `<package>._runtime`;
    "shared" makes it depend on the `apigen-runtime` distribution (docs/decisions.md).
    `dist_name`: the distribution name (default `<package>-apigen-client`); `version`: its
    version (default the spec's `info.version` when PEP 440, else 0.1.0). Invalid values (and
    an invalid `name`) raise `OptionError` before anything is read.

    `options`: a configured client's filters, renames and client settings (ir/options.py);
    `templates`: a folder of templates replacing the built-in ones of the same name.

    `ref_root`: a folder (the spec's own or one above it) that relative `$ref`s may read files
    from; by default only the spec's folder and below (`--ref-root`; config key `ref_root`).
    `strict`: every warning (a dangling `$ref` typed as Any, a parameter left out...) fails.
    `on_diagnostic`: called with each finding (located) once, at the end of the stage that found
    it, while the build goes on (the CLI prints warnings as they come); the result's report
    still lists them all.
    `full`: validate with openapi-spec-validator itself (slow; the oracle the default fast
    validator is tested against, spec/validate.py) instead of the fast path.
    `cache`: reuse the files of an earlier build of exactly the same inputs by the same
    generator, and store this one (build_cache.py; the CLI's default, `--no-cache` to skip).
    `force`: write over local edits to the previous output and files apigen did not write
    there, which are otherwise refused (`LocalChangesError`; the manifest's `files` record
    what apigen wrote, write.local_changes).
    """
    from .spec import is_url

    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    clock, cpu_clock, children = time.perf_counter(), time.process_time(), _children_cpu()

    def lap(stage: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu_now = time.perf_counter(), time.process_time()
        timings[stage], cpu[stage] = now - clock, cpu_now - cpu_clock
        clock, cpu_clock = now, cpu_now

    if runtime not in RUNTIME_MODES:
        raise OptionError(f"invalid runtime {runtime!r}: one of {', '.join(RUNTIME_MODES)}")
    check_target(out_dir)
    locked_pkg, locked_dist = (None, None) if fresh_names else _locked_names(out_dir)
    if name is not None:  # (`--name ''` is refused, not read as no name)
        pkg = checked_package_name(name)
    else:  # the previous output's, as its methods' names: a moved folder renames nothing
        # the folder as named (`.`, `..` resolved), not where a link leads: `-o sdk` linked to
        # `releases/v2-20240101` made a package `v2_20240101`
        pkg = locked_pkg or package_name(Path(os.path.abspath(out_dir)).name)
        if dist_name is None and locked_dist != default_dist_name(pkg):
            dist_name = locked_dist
    if dist_name is not None:
        check_dist_name(dist_name)
    if version is not None:
        version = check_version(version)
    if not is_url(spec_path):
        guard_spec_inside(Path(spec_path), out_dir)  # even with --force: the input is no output
    # the output as found: an edit made while this build runs is looked for before the swap
    found = None if force else guard_local_changes(out_dir)
    if force:
        _say_discarded(out_dir)
    key = base = None
    if cache and not is_url(spec_path):
        locked_by = None if fresh_names else _manifest_digest(out_dir / MANIFEST)
        inputs = {
            "spec": str(spec_path),
            "package": pkg,
            "dist_name": dist_name,
            "version": version,
            "runtime": runtime,
            "strict": strict,
            "full": full,
            "ref_root": str(ref_root),
            "options": repr(options),
        }
        base = build_cache.build_key(Path(spec_path), inputs, templates)
        # the method-name lock: the previous manifest's bytes (parsed only on a miss, which
        # reports an unreadable one)
        key = _keyed(base, "lock", locked_by) if base is not None else None
        hit = build_cache.load(key) if key is not None else None
        if hit is None and base is not None and locked_by not in (None, "unreadable"):
            # locked by the manifest a build of these inputs wrote: that build (`_keyed`)
            hit = build_cache.load_alias(_keyed(base, "wrote", locked_by))
            if hit is not None:  # every operation kept its name
                hit = replace(hit, kept=hit.operations)
        if hit is not None:
            lap("cache-lookup")
            result = _from_cache(hit, out_dir, strict, on_diagnostic, say, timings, found)
            result.cpu = {**cpu, "cache-write": time.process_time() - cpu_clock}
            return result
    from .ir.lock import LockError, read_lock  # (apigen.ir: 19 ms a cache hit does not need)

    try:  # read before anything is written: the lock of method names
        lock = None if fresh_names else read_lock(out_dir)
    except LockError as err:
        if not force:
            raise OutputError(
                f"{err}; restore it, or pass --fresh-names to name methods anew"
            ) from None
        lock = None  # everything is replaced: the names too
        say(f"{err}: method names chosen anew (--force)")
    report = Report()
    say(f"loading {spec_path}")
    spec, spec_name = open_spec(spec_path, report=report, ref_root=ref_root)
    options = _with_source(options, spec)
    lap("load")
    from .format import format_tree
    from .render import render_api, vendored_runtime
    from .render.manifest import with_file_digests
    from .spec import validate_in_background
    from .syntax_check import Checker

    capture = _Capture(on_diagnostic)
    emit = _Emitter(spec, capture)
    emit.ours(report)
    say("reading operations and schemas (validating in the background)")
    wait_for_validation = validate_in_background(spec, full=full)
    # forked after the validation child (which would otherwise hold its pipe open): it compiles
    # each file as soon as it is rendered, on the core validation leaves free
    with Checker() as checker:
        if runtime == "vendored":  # known already: compiled while the IR is built
            for rel, text in vendored_runtime(pkg).items():
                checker.add(rel, text)
        with _reading(spec, report, wait_for_validation):
            api = _build_api(spec, pkg, spec_name, report, options, lock)
        lap("ir")
        emit.ours(report)
        if lock is not None:
            say(f"kept the names of {lock.kept} operations from {lock.source}")
        say(f"rendering {len(api.operations)} operations, {len(api.definitions)} models")
        dist = Distribution(
            dist_name or default_dist_name(pkg),
            version or default_version(api.version),
            runtime,
            spec_license(spec.document),
        )
        with _reading(spec, report, wait_for_validation):
            files = render_api(api, templates=templates, dist=dist, on_file=checker.add)
        lap("render")
        say("waiting for validation")
        diags = wait_for_validation()
        lap("validate-wait")
        emit.ours(report)  # anything rendering added
        emit.validator(diags)
        report.items = _merge(spec, report.items, diags)
        _verdict(report, strict)
        checker.finish(files, templates)  # every .py file compiles: only now is anything written
        lap("compile")
    say(f"formatting and writing {len(files)} files")
    formatted: dict[str, bytes] = {}

    def finish(staging: Path) -> None:
        # a template overlay may import anything, in any order: ruff's import pass tidies it
        format_tree(staging, compiled=True, sort_imports=templates is not None)
        manifest = staging / MANIFEST  # records what was written, as formatted
        written = digests(staging, [rel for rel in files if rel != MANIFEST])
        text = with_file_digests(manifest.read_text(encoding="utf-8"), written)
        manifest.write_bytes(text.encode("utf-8"))
        if key is not None:
            formatted.update(build_cache.read_tree(staging, list(files)))

    swapped = write_tree(out_dir, files, finish=finish, unchanged_since=found)
    lap("format+write")
    sources = spec.local_files()
    if key is not None and base is not None and sources is not None:
        entry = build_cache.Entry(
            formatted,
            sources,
            capture.emitted,
            report.items,
            api.package,
            len(api.operations),
            len(api.definitions),
            lock.kept if lock is not None else 0,
        )
        wrote = hashlib.sha256(formatted[MANIFEST]).hexdigest()
        build_cache.store(key, entry, aliases=[_keyed(base, "wrote", wrote)])
        lap("cache-store")
    if children is not None:
        cpu["children"] = _children_cpu_since(children)
    return BuildResult(
        api,
        len(files),
        report,
        api.package,
        len(api.operations),
        len(api.definitions),
        timings,
        unchanged=not swapped,
        cpu=cpu,
    )


def _say_discarded(out_dir: Path) -> None:
    """What `--force` discards, named (a review: it listed nothing, and a user learnt of a
    lost edit from `git status`, if at all)."""
    try:
        edited, added = local_changes(out_dir)
    except LocalChangesError:  # an unreadable manifest: nothing tells the files apart
        sys.stderr.write(
            f"apigen: --force replaces all of {out_dir} (its manifest is unreadable)\n"
        )
        return
    names = [*(f"{name} (edited)" for name in edited), *added]
    if names:
        more = f" and {len(names) - 20} more" if len(names) > 20 else ""
        sys.stderr.write(
            f"apigen: --force discards {len(names)} file(s) of yours in {out_dir}: "
            f"{', '.join(names[:20])}{more}\n"
        )


def _keyed(base: str, kind: str, value: str | None) -> str:
    """A cache key from the key of a build's inputs (`base`) and one more: `lock`, the digest
    of the output's previous manifest (the method-name lock), or, for an alias, `wrote`, the
    digest of the manifest that build wrote. A build locked by a manifest a build of the same
    inputs wrote is that build again: the lock lists every operation with the name it was
    given, so each keeps it (a fixed point; the second build into a folder, or the first after
    a spec update, is served instead of built again). The spec is read and hashed once."""
    return hashlib.sha256(f"{base}\0{kind}\0{value}".encode()).hexdigest()


def _children_cpu() -> tuple[float, float] | None:
    """(user, system) CPU seconds of the child processes waited for so far; None where the
    platform cannot tell (no `resource` module)."""
    try:
        import resource
    except ImportError:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def _children_cpu_since(start: tuple[float, float]) -> float:
    now = _children_cpu()
    return sum(now) - sum(start) if now is not None else 0.0


def _locked_names(out_dir: Path) -> tuple[str | None, str | None]:
    """The import and distribution names of the previous output in `out_dir` (its manifest's
    `package`, its pyproject's `project.name`), each None when absent or no longer valid: a
    build without `--name` keeps them, as it keeps method names (`--fresh-names` does not)."""
    import json

    package = dist = None
    try:
        recorded = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")).get("package")
        package = checked_package_name(recorded) if isinstance(recorded, str) else None
    except (OSError, ValueError, AttributeError, OptionError):
        package = None
    if package is None:
        return None, None
    import tomllib  # only for a previous output (a fresh folder has no pyproject to read)

    try:
        with (out_dir / "pyproject.toml").open("rb") as fh:
            named = tomllib.load(fh).get("project", {}).get("name")
        if isinstance(named, str):
            check_dist_name(named)
            dist = named
    except (OSError, ValueError, AttributeError, OptionError):
        dist = None
    return package, dist


def _manifest_digest(path: Path) -> str | None:
    if not path.is_file():
        return None  # as read_lock: no lock
    return build_cache.file_digest(path) or "unreadable"


class _Capture:
    """Passes findings on to `on_diagnostic` and keeps them: a build served from the cache
    hands the same ones on again."""

    def __init__(self, sink: OnDiagnostic | None) -> None:
        self.sink = sink
        self.emitted: list[Diagnostic] = []

    def __call__(self, d: Diagnostic) -> None:
        self.emitted.append(d)
        if self.sink is not None:
            self.sink(d)


def _from_cache(
    hit: build_cache.Entry,
    out_dir: Path,
    strict: bool,
    on_diagnostic: OnDiagnostic | None,
    say: Progress,
    timings: dict[str, float],
    found: Snapshot | None,
) -> BuildResult:
    """Report what the stored build reported, then write its files as a build would (`found`:
    the output as `guard_local_changes` found it)."""
    if on_diagnostic is not None:
        for d in hit.emitted:
            on_diagnostic(d)
    report = Report(list(hit.items))
    _verdict(report, strict)
    if hit.kept:
        say(f"kept the names of {hit.kept} operations from the existing apigen.json")
    say(f"writing the {len(hit.files)} files of an identical earlier build (the build cache)")
    clock = time.perf_counter()
    swapped = write_tree(out_dir, hit.files, unchanged_since=found)
    timings["cache-write"] = time.perf_counter() - clock
    return BuildResult(
        None,
        len(hit.files),
        report,
        hit.package,
        hit.operations,
        hit.models,
        timings,
        cached=True,
        unchanged=not swapped,
    )


@_collector_paused()
def build_ir(
    spec_path: Path | str,
    *,
    name: str | None = None,
    lock: NameLock | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    ref_root: Path | None = None,
    options: ApiOptions | None = None,
) -> tuple[Api, Report]:
    """The IR `build` would render from `spec_path` (validated, method names locked by `lock`),
    with nothing rendered, formatted or written: what `apigen diff` compares."""
    from .spec import validate_in_background

    say = progress or (lambda _msg: None)
    report = Report()
    say(f"loading {spec_path}")
    spec, spec_name = open_spec(spec_path, report=report, ref_root=ref_root)
    options = _with_source(options, spec)
    wait_for_validation = validate_in_background(spec)
    with _reading(spec, report, wait_for_validation):
        api = _build_api(
            spec, package_name(name or Path(spec_name).stem), spec_name, report, options, lock
        )
    say("waiting for validation")
    report.items = _merge(spec, report.items, wait_for_validation())
    _verdict(report, strict)
    return api, report
