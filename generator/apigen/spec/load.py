"""Read a spec file into one self-contained OpenAPI 3.x document: the spec stage's entry point.

Stages: bytes -> JSON or YAML (parse.py) -> relative external `$ref`s bundled in and every
internal `$ref` checked (bundle.py; a dangling one degraded where it can be, dangling.py) ->
Swagger 2.0 upgraded to OpenAPI 3.0.3 (swagger2.py). All walks are iterative: 2,000-level
documents are legal input.

The happy path for a JSON file with only internal refs never walks the tree in Python: refs are
found with one regex over the text (github.json, 13 MB, loads in ~0.35 s).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Report, SpecError
from .bundle import EXTERNAL_REF_IN_JSON, BundleFile, Bundler, check_refs, escaped_ref_key
from .dangling import Dangling
from .expansion import MAX_EXPANDED, first_bomb
from .locate import Locator
from .parse import MAX_SPEC_BYTES, TooLarge, decode, fatal, parse, read_capped
from .pointer import escape
from .pointer import join as join_pointer
from .pointer import split as split_pointer
from .swagger2 import upgrade

if TYPE_CHECKING:  # spec/fetch.py imports urllib.request (12 ms): only a URL needs it
    from .fetch import FetchedSpec

__all__ = ["LoadedSpec", "load_spec"]

_OPENAPI_VERSION = re.compile(r"3\.[012](\.\d+.*)?")


@dataclass
class LoadedSpec:
    """A loaded, bundled, ref-checked OpenAPI 3.x document and where it came from.

    `original` is the document before the Swagger 2.0 upgrade (bundled, refs checked); for 3.x it
    is the same object as `document`. Validation runs on it, so its pointers match the file.
    """

    document: dict[str, Any]
    source: Path
    sha256: str
    original_version: str
    original: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    files: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Every file read, as displayed in diagnostics -> sha256 (root first)."""
    origins: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False, compare=False)
    """Pointer of bundled-in content -> (file, pointer in that file)."""
    _paths: dict[str, Path | None] = field(default_factory=dict, repr=False, compare=False)
    _locators: dict[str, Locator | None] = field(default_factory=dict, repr=False, compare=False)
    display: str = ""
    """How diagnostics name the root (a spec fetched from a URL: the URL), if not `source`."""
    missing: list[str] = field(default_factory=list, repr=False, compare=False)
    """Local files a `$ref` named that could not be read (resolved paths)."""

    def __post_init__(self) -> None:
        if not self.original:
            self.original = self.document
        if not self.files:
            self.files = {self.file: self.sha256}
        self._paths.setdefault(self.file, self.source)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_locators"] = {}  # texts and indexes are cheap to rebuild, costly to ship
        return state

    @property
    def file(self) -> str:
        """The root file as the user wrote it (the `file` of diagnostics)."""
        return self.display or str(self.source)

    @property
    def content_hash(self) -> str:
        """sha256 over every file read: changes when any bundled file changes."""
        if len(self.files) == 1:
            return self.sha256
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(f"{name}\0{self.files[name]}\0".encode())
        return h.hexdigest()

    def tree_digest(self) -> str | None:
        """sha256 over every file of a multi-file spec, each named by its path from the root
        file's folder (the same wherever the spec is read from); None for one file, or files
        not all local. `apigen contract` compares it: an edit in a referenced file alone went
        unnoticed (the manifest's `spec_sha256` is the root's)."""
        files = self.local_files()
        if files is None or len(files) < 2:
            return None
        root = Path(next(iter(files))).parent
        digest = hashlib.sha256()
        for path in sorted(files):
            digest.update(f"{os.path.relpath(path, root)}\0{files[path]}\0".encode())
        return digest.hexdigest()

    def local_files(self) -> dict[str, str | None] | None:
        """Every file read, as its path -> sha256 (root first), then every file a `$ref` named
        that could not be read -> None; None when one of them did not come from a local file
        (a spec fetched from a URL)."""
        out: dict[str, str | None] = {}
        for display, sha in self.files.items():
            path = self._paths.get(display)
            if path is None:
                return None
            out[str(path.resolve())] = sha
        for missing in self.missing:
            out.setdefault(missing, None)
        return out

    def locate(self, pointer: str) -> tuple[str, int | None]:
        """(file, 1-based line) of a pointer into `original` (or, best effort, into `document`)."""
        file, _, line = self.place(pointer)
        return file, line

    def place(self, pointer: str) -> tuple[str, str, int | None]:
        """(file, pointer within that file, line): bundled-in content maps to its own file."""
        file, inner = self.map_pointer(pointer)
        locator = self._locator(file)
        return file, inner, (locator.line(inner) if locator is not None else None)

    def map_pointer(self, pointer: str) -> tuple[str, str]:
        """The file and pointer-in-that-file a pointer into the bundled document comes from."""
        try:
            segments: list[str] = split_pointer(pointer)
        except ValueError:
            return self.file, "#"
        if self.original_version.startswith("2") and segments[:1] == ["components"]:
            segments = _components_to_swagger2(segments)
        elif self.original_version.startswith("2") and "servers" in segments:
            segments = self._servers_to_swagger2(segments)
        for i in range(len(segments), 0, -1):
            hit = self.origins.get(join_pointer(segments[:i]))
            if hit is not None:
                file, base = hit
                return file, base + join_pointer(segments[i:])[1:]
        return self.file, join_pointer(segments)

    def _servers_to_swagger2(self, segments: list[str]) -> list[str]:
        """A server the upgrade made, as Swagger 2.0 wrote it: the root's `host` (else its
        `basePath`, else the document), an operation's `schemes` (a warning about the server
        pointed at `#/servers/0/url`, which a 2.0 file does not have: line 1)."""
        at = segments.index("servers")
        if at == 0:
            found: list[str] = [k for k in ("host", "basePath") if k in self.original]
            return found[:1]
        return [*segments[:at], "schemes"]

    def repeated_json_keys(self) -> list[Diagnostic]:
        """A warning for each key written twice in one object of a JSON file read (a YAML
        file's are reported while it is parsed): validation's job, off the critical path."""
        from .duplicate_keys import diagnostic, json_repeats

        out: list[Diagnostic] = []
        for file in self.files:
            locator = self._locator(file)
            if locator is None or locator.text.lstrip()[:1] not in ("{", "["):
                continue
            for pointer, key, _ in json_repeats(locator.text):
                out.append(diagnostic(file, pointer, key, locator.line(pointer)))
        return out

    def _locator(self, file: str) -> Locator | None:
        """The file's locator, or None when it changed or vanished since loading (no line
        beats a wrong one)."""
        if file not in self._locators:
            path = self._paths.get(file)
            locator = None
            if path is not None:
                try:
                    data = path.read_bytes()
                    if hashlib.sha256(data).hexdigest() == self.files.get(file):
                        locator = Locator(decode(data, file))
                except (OSError, SpecError):
                    locator = None
            self._locators[file] = locator
        return self._locators[file]


def _components_to_swagger2(segments: list[str]) -> list[str]:
    """Pointers into the upgraded document, mapped back to where Swagger 2.0 wrote them."""
    mapping = {
        "schemas": "definitions",
        "parameters": "parameters",
        "requestBodies": "parameters",
        "responses": "responses",
        "securitySchemes": "securityDefinitions",
    }
    if len(segments) >= 2 and segments[1] in mapping:
        head = [mapping[segments[1]], *segments[2:3]]
        return head if segments[1] == "requestBodies" else head + segments[3:]
    return segments


# --------------------------------------------------------------------------- entry point


def _version(
    doc: Any, file: str, report: Report, locate: Callable[[str], tuple[str, int | None]]
) -> str:
    """The `openapi`/`swagger` version, which must be one apigen reads (a number is read as a
    string, with a warning); anything that is not an OpenAPI or Swagger document is refused."""
    if not isinstance(doc, dict):
        kind = type(doc).__name__ if doc is not None else "empty"
        raise fatal(
            file,
            "#",
            f"not an OpenAPI or Swagger document: the top level is {kind}, not a mapping",
            "not-openapi",
            1,
        )
    key = "openapi" if "openapi" in doc else "swagger" if "swagger" in doc else None
    if key is None:
        raise fatal(
            file,
            "#",
            "not an OpenAPI or Swagger document: no top-level `openapi` or `swagger` key",
            "not-openapi",
            1,
        )
    paths = doc.get("paths")
    if paths is not None and not isinstance(paths, dict):
        # read as absent, it built a client of no operation, which replaced the one there
        f, line = locate("#/paths")
        raise fatal(
            f, "#/paths", f"paths must be a mapping, not {type(paths).__name__}", "paths", line
        )
    raw = doc[key]
    version = str(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        doc[key] = version
        f, line = locate(f"#/{key}")
        report.add(
            Diagnostic(
                f,
                f"#/{key}",
                f"version written as a number ({version}); quote it",
                "warning",
                "version",
                line,
                "read as a string",
            )
        )
    supported = version == "2.0" if key == "swagger" else bool(_OPENAPI_VERSION.fullmatch(version))
    if not supported:
        _, line = locate(f"#/{key}")
        raise fatal(
            file,
            f"#/{key}",
            f"unsupported {key} version {version!r}: apigen reads Swagger 2.0 and OpenAPI 3.0/3.1/3.2",
            "version",
            line,
        )
    return version


def _check_ref_root(ref_root: Path, spec: Path) -> Path:
    """The resolved folder relative `$ref`s may read from; it must hold the spec itself."""
    shown = str(ref_root)
    try:
        allowed = ref_root.resolve(strict=True)
    except (OSError, RuntimeError):
        raise fatal(str(spec), "#", f"--ref-root {shown}: no such folder", "ref-root") from None
    if not allowed.is_dir():
        raise fatal(str(spec), "#", f"--ref-root {shown} is not a folder", "ref-root")
    if not spec.resolve().is_relative_to(allowed):
        raise fatal(
            str(spec),
            "#",
            f"--ref-root {shown} does not contain the spec (it must be the spec's folder "
            "or one above it)",
            "ref-root",
        )
    return allowed


def load_spec(
    path: Path,
    *,
    report: Report,
    allow_remote: bool = False,
    ref_root: Path | None = None,
    fetched: FetchedSpec | None = None,
    remote_hosts: frozenset[str] = frozenset(),
) -> LoadedSpec:
    """Read, bundle, check and (for Swagger 2.0) upgrade one spec; raises SpecError when no
    correct client can come out of it.

    Relative `$ref`s may read files in the spec's folder and below; `ref_root` widens that to
    a folder above it (a monorepo's `../common/x.yaml`), never further: symlinks are resolved
    and `..` folded before the check. A `$ref` whose target is missing degrades to an untyped
    stand-in with a warning in `report` where one can be made (a schema becomes Any)."""
    display = fetched.url if fetched is not None else str(path)
    if fetched is not None:  # the mirror of a spec fetched from a URL (fetch.py)
        ref_root = fetched.mirror
    if ref_root is not None:
        ref_root = _check_ref_root(Path(ref_root), Path(path))
    try:
        data = read_capped(Path(path))
    except OSError as exc:
        raise fatal(display, "#", f"cannot read spec: {exc.strerror or exc}", "io") from None
    except TooLarge:
        raise fatal(display, "#", f"larger than {MAX_SPEC_BYTES} bytes: refused", "io") from None
    sha = hashlib.sha256(data).hexdigest()
    text = decode(data, display)
    # `found`: a YAML key written twice is reported as it is parsed (JSON's: by validation)
    doc, is_json = parse(
        text, display, json_hint=Path(path).suffix.lower() == ".json", found=report.items
    )
    spec = LoadedSpec(
        document={},
        source=Path(path),
        sha256=sha,
        original_version="",
        display=fetched.url if fetched is not None else "",
    )
    version = _version(doc, display, report, spec.locate)
    swagger2 = version == "2.0"
    spec.document = spec.original = doc
    spec.original_version = version
    merge_ms_paths(doc, report, spec.place)  # before bundling: their refs are paths' refs

    json_text = text if is_json else None  # lets refs be found with a regex, not a walk
    if json_text is not None and "\\u00" in json_text and escaped_ref_key(json_text):
        # `"\u0024ref"` is a `$ref` the regexes do not see (a helper's sweep: an external
        # `pet.yaml` left unbundled, `../outside` unrefused, a dangling ref a `KeyError`)
        json_text = None
    dangling = Dangling(report, swagger2=swagger2)
    if json_text is None or EXTERNAL_REF_IN_JSON.search(json_text):
        root = BundleFile(str(Path(path).resolve()), display, Path(path), None, doc, sha)
        bundler = Bundler(
            root,
            allow_remote=allow_remote,
            swagger2=swagger2,
            ref_root=ref_root,
            dangling=dangling,
            mirror=fetched,
            remote_hosts=remote_hosts,
            found=report.items,
        )
        bundler.run()
        dangling.finish()
        spec.missing = sorted(bundler.missing)
        if len(bundler.files) > 1:
            json_text = None  # the text no longer describes the whole document
            spec.origins = bundler.origins
            for file in bundler.files.values():
                spec.files[file.display] = file.sha256
                spec._paths[file.display] = file.path
    refs = check_refs(doc, json_text, swagger2=swagger2, place=spec.place, dangling=dangling)
    bomb = first_bomb(doc, refs)
    if bomb is not None:
        where, pointer, line = spec.place(bomb[0])
        raise SpecError(
            [
                Diagnostic(
                    where,
                    pointer,
                    f"this schema's allOf/anyOf/oneOf members, their $refs followed, expand to "
                    f"more than {MAX_EXPANDED:,} schemas (the same schemas named many times over,"
                    " nested: a reference bomb?); validators would check a value against each",
                    "error",
                    "ref",
                    line,
                )
            ]
        )
    if swagger2:
        spec.document = upgrade(doc, report=report, locate=spec.locate)
    return spec


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _nowhere(pointer: str) -> tuple[str, str, int | None]:
    return "", pointer, None


def merge_ms_paths(
    doc: dict[str, Any],
    report: Report,
    place: Callable[[str], tuple[str, str, int | None]] | None = None,
) -> None:
    """AutoRest's `x-ms-paths` (Azure): more path items, keyed like `/foo?op=bar` where two
    operations share a path and method (a query-in-path key, decisions 27). They are paths;
    they were left out without a word. One that `paths` has already is left out, with a
    warning."""
    extra = doc.get("x-ms-paths")
    paths = doc.get("paths")
    if place is None:
        place = _nowhere
    if not isinstance(extra, dict) or not extra or not isinstance(paths, dict | type(None)):
        return
    merged = doc["paths"] = dict(paths or {})
    for key, item in extra.items():
        known = merged.get(key)
        if known is None:
            merged[key] = item
            continue
        if not (isinstance(known, dict) and isinstance(item, dict)):
            continue  # (a path item of the wrong type: the validator says so)
        # the same path under both: its methods join, one both declare stays the paths' one
        both = sorted(m for m in item if m in known and m in _METHODS)
        merged[key] = {**item, **known}
        if both:
            file, pointer, line = place(f"#/x-ms-paths/{escape(str(key))}")
            report.add(
                Diagnostic(
                    file,
                    pointer,
                    f"x-ms-paths repeats {', '.join(m.upper() for m in both)} {key} of paths",
                    "warning",
                    "paths",
                    line,
                    "left out (the one under paths is kept)",
                )
            )
