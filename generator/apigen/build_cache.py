"""Whole-build cache: the same inputs to the same generator give the same files, so a build
whose inputs were all seen before writes the stored files instead of building them again.

The key covers everything the output depends on: the spec file's path and bytes (an entry
lists every other file the spec's `$ref`s read, with their SHA-256, and is a miss when one of
them changed), every build option (package, distribution, version, runtime mode, strictness,
configured options, the method-name lock of the output folder), the contents of a template
overlay, and the generator itself: the source of the `apigen` package, its templates and the
runtime it vendors (each file's size, inode and modification time), the interpreter, and the
installed packages that render, parse, validate and format (_DEPENDENCIES, ruff). Only builds
that succeeded are stored, after every file compiled and was formatted; a hit still goes
through `write_tree`, so what a build may replace, and how, is unchanged. Each entry records
the findings the build reported, which a hit reports again.

An entry is one file: a JSON header (file names and sizes, findings, summary, the SHA-256 of
the payload) and the files' bytes. A torn, truncated or foreign entry is a miss. The newest
MAX_ENTRIES entries are kept. `APIGEN_CACHE_DIR` moves the folder; `--no-cache`, or
APIGEN_NO_BUILD_CACHE=1 in the environment, bypasses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import mmap
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .cache import cache_dir
from .diagnostics import Diagnostic

__all__ = [
    "MAX_ENTRIES",
    "Entry",
    "build_key",
    "enabled",
    "file_digest",
    "load",
    "load_alias",
    "read_tree",
    "store",
]

MAX_ENTRIES = 8
_MAGIC = b"apigen-build 1\n"
# Installed packages the output or the findings depend on (rendering, YAML, the validators).
_DEPENDENCIES = (
    "jinja2",
    "markupsafe",
    "yaml",
    "html2text",
    "openapi_spec_validator",
    "jsonschema",
    "jsonschema_rs",
)
_SOURCE_SUFFIXES = frozenset({".py", ".jinja", ".typed", ".txt", ".json", ".toml", ".md"})


@dataclass(frozen=True)
class Entry:
    """A stored build: its files (relative path -> bytes as written), what it reported, and its
    summary."""

    files: Mapping[str, bytes | memoryview]
    # every spec file read (path -> sha256), the root first; then those a $ref named that could
    # not be read (-> None: one that appears since is a change)
    sources: dict[str, str | None]
    emitted: list[Diagnostic]  # handed to `on_diagnostic`, in order
    items: list[Diagnostic]  # the report's final list
    package: str
    operations: int
    models: int
    kept: int  # operations that kept a locked name


def enabled(no_cache: bool) -> bool:
    """Whether a command uses the cache: not with `--no-cache` or APIGEN_NO_BUILD_CACHE=1."""
    return not no_cache and os.environ.get("APIGEN_NO_BUILD_CACHE", "") not in ("1", "true")


def _folder() -> Path:
    return cache_dir() / "builds"


def _tree_digest(root: Path, into: Any) -> None:
    """Names and bytes of every file under `root` (a template overlay; compiled bytecode
    left out): Jinja loads an included helper of any name (`_banner.j2`), and an edit to it
    served the build before it."""
    paths = sorted(p for p in root.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:  # an unreadable helper no template uses: "internal error" with
            # the cache on, a build without (helper 213); one a template uses is the render's
            data = f"\0unreadable: {err.errno}".encode()
        into.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        into.update(data)


def _installed(module: str) -> str:
    """Where an output-shaping dependency is installed and when it was written: an upgrade
    rewrites the file, so its stamp changes (cheaper than reading package metadata)."""
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    if not origin:
        return f"{module}: absent"
    st = os.stat(origin)
    return f"{module}: {origin} {st.st_size} {st.st_mtime_ns}"


def _tree_stamp(root: Path, into: Any) -> None:
    """Names, sizes, inodes and modification times of the source files under `root`: an edit or
    an upgrade rewrites a file, so its stamp changes (Python's bytecode cache trusts less: whole
    seconds and the size). A tenth of the CPU of reading them, on every build (decisions §76)."""
    stamps: list[str] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(Path(entry.path))
                elif os.path.splitext(entry.name)[1] in _SOURCE_SUFFIXES:
                    st = entry.stat()
                    rel = Path(entry.path).relative_to(root).as_posix()
                    stamps.append(f"{rel}\0{st.st_size}\0{st.st_ino}\0{st.st_mtime_ns}\0")
    for stamp in sorted(stamps):
        into.update(stamp.encode())


@cache
def generator_fingerprint() -> str:
    """What the generator's output depends on besides the build's own inputs."""
    from . import __version__
    from .bundled import runtime_dir, templates_dir

    h = hashlib.sha256()
    # ruff is stamped by its package, installed beside the binary find_ruff_bin runs
    for part in (
        __version__,
        sys.version,
        sys.implementation.cache_tag,
        *map(_installed, (*_DEPENDENCIES, "ruff")),
    ):
        h.update(part.encode() + b"\0")
    for root in (Path(__file__).resolve().parent, templates_dir(), runtime_dir()):
        h.update(f"{root.name}\0".encode())
        _tree_stamp(root, h)
    return h.hexdigest()


def build_key(spec: Path, inputs: Mapping[str, Any], templates: Path | None) -> str | None:
    """The entry name for one build: the spec file (where it is and its bytes), the other
    inputs (JSON-able, or with a stable `repr`), the template overlay's files, and the
    generator fingerprint. None when the spec cannot be read (loading reports why) or is no
    regular file (a pipe can be read once only: the build reads it, uncached)."""
    try:
        if not spec.is_file():  # a pipe (`/dev/stdin`, `<(curl ...)`): read once, by the load
            return None
        data = spec.read_bytes()
        where = str(spec.resolve())
    except (OSError, RuntimeError):  # (a symlink loop: RuntimeError on 3.11)
        return None
    h = hashlib.sha256(generator_fingerprint().encode())
    h.update(f"{where}\0{hashlib.sha256(data).hexdigest()}\0".encode())
    h.update(json.dumps(inputs, sort_keys=True, default=repr).encode())
    if templates is not None:
        h.update(b"\0templates\0")
        _tree_digest(templates, h)
    return h.hexdigest()


def load(key: str) -> Entry | None:
    """The stored build for `key`, or None (absent, unreadable, torn or not ours).

    The entry is mapped, not read: its files are views of the mapping, written out as they are
    (reading 7.7 MB into fresh memory cost Stripe's warm build 25-80 ms of page faults, the
    mapping 8 ms). Entries are replaced by rename, never rewritten in place, so a mapping stays
    valid while a build writes from it."""
    path = _folder() / f"{key}.bin"
    try:
        with path.open("rb") as fh:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if data[: len(_MAGIC)] != _MAGIC:
            return None
        end = data.find(b"\n", len(_MAGIC))
        if end < 0:
            return None
        header = json.loads(data[len(_MAGIC) : end])
        payload = memoryview(data)[end + 1 :]
        if hashlib.sha256(payload).hexdigest() != header["sha256"]:
            return None
        files: dict[str, bytes | memoryview] = {}
        at = 0
        for rel, size in header["files"]:
            files[rel] = payload[at : at + size]  # written as stored: no copy, no text round trip
            at += size
        if at != len(payload):
            return None
        sources: dict[str, str | None] = header["sources"]
        if any(file_digest(Path(p)) != sha for p, sha in list(sources.items())[1:]):
            return None  # a file the spec's $refs read has changed, or one it missed appeared
        entry = Entry(
            files,
            sources,
            [Diagnostic(**d) for d in header["emitted"]],
            [Diagnostic(**d) for d in header["items"]],
            header["package"],
            header["operations"],
            header["models"],
            header["kept"],
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None
    with contextlib.suppress(OSError):  # a read-only cache still serves hits
        os.utime(path)  # most recently used: the last to be evicted
    return entry


def load_alias(alias: str) -> Entry | None:
    """The entry an alias (`store`'s `aliases`) names, or None (no alias, or its entry gone)."""
    try:
        key = (_folder() / f"{alias}.alias").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        return None  # not one we wrote
    return load(key)


def store(key: str, entry: Entry, aliases: Sequence[str] = ()) -> None:
    """Write `entry` atomically and evict the oldest beyond MAX_ENTRIES; a cache that cannot be
    written only costs the next build its time. Each of `aliases` is another key that finds the
    entry through `load_alias` (a small file naming `key`), evicted with it."""
    names = sorted(entry.files)
    blobs = [entry.files[name] for name in names]
    payload = b"".join(blobs)
    header = {
        "sha256": hashlib.sha256(payload).hexdigest(),
        "files": [[name, len(blob)] for name, blob in zip(names, blobs, strict=True)],
        "sources": entry.sources,
        "emitted": [asdict(d) for d in entry.emitted],
        "items": [asdict(d) for d in entry.items],
        "package": entry.package,
        "operations": entry.operations,
        "models": entry.models,
        "kept": entry.kept,
    }
    folder = _folder()
    data = _MAGIC + json.dumps(header, ensure_ascii=True).encode() + b"\n" + payload
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, folder / f"{key}.bin")
        for alias in aliases:
            tmp.write_text(key, encoding="ascii")
            os.replace(tmp, folder / f"{alias}.alias")
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _evict(folder, keep=MAX_ENTRIES)


def file_digest(path: Path | str) -> str | None:
    """The SHA-256 of a file's bytes; None when it is absent or unreadable."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def _evict(folder: Path, keep: int) -> None:
    try:
        entries = [(p.stat().st_mtime_ns, p) for p in folder.glob("*.bin")]
    except OSError:
        return
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        try:
            path.unlink()
        except OSError:
            continue
    kept = {path.stem for _, path in entries[:keep]}
    for alias in folder.glob("*.alias"):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if alias.read_text(encoding="ascii").strip() not in kept:
                alias.unlink()


def read_tree(root: Path, names: Sequence[str]) -> dict[str, bytes]:
    """The files `names` under `root`, as written (what a hit writes again)."""
    return {name: (root / name).read_bytes() for name in names}
