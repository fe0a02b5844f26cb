"""Write a generated tree atomically: build beside the target, then swap it in.

A build that fails at any stage leaves the previous output exactly as it was; a directory that
apigen did not create is never replaced. A target that cannot be swapped (a mount point, or a
folder whose parent is not writable) is written inside instead: the new tree is staged in a
hidden folder within it and its entries are moved in one by one (each move atomic, the whole
not). New folders get the user's umask, not `tempfile.mkdtemp`'s 0700.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import functools
import json
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from .build_cache import file_digest

# A file's content: text (written as UTF-8) or bytes as they are (a view of a build cache entry)
Content = str | bytes | memoryview

MANIFEST = "apigen.json"
#: the manifest's record of what apigen wrote: relative path -> SHA-256 of the bytes
FILES_KEY = "files"
# Entries no one writes by hand, wherever they are: interpreters' and tools' caches, staging
# folders of an interrupted write, file managers' folder metadata.
_CACHES = frozenset(
    {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".DS_Store", "Thumbs.db"}
)
# ...and at the output's top only, where packaging tools write them (`python -m build`, an
# editable install) and a file system puts `lost+found`: deeper, a folder so named is content
# (a user's `pkg/build/`). Carried across a build as they are (`_swap`, `_entries`).
# Version control's own folders there too (an SDK kept in a repository of its own): never
# the build's to replace, `--force` or not.
ARTIFACTS = frozenset({"build", "dist", "lost+found", ".git", ".hg", ".svn"})


def _artifact(name: str) -> bool:
    return name in ARTIFACTS or name.endswith(".egg-info")


class OutputError(Exception):
    """The output directory cannot be written (exists and is not ours, or I/O failed)."""


def check_target(target: Path) -> None:
    """Refuse, before any work, an output apigen must not or cannot write."""
    try:
        target.resolve()
    except (RuntimeError, OSError) as exc:  # a symlink loop (3.11 raises RuntimeError)
        raise OutputError(f"cannot use the output {target}: {exc}") from None
    if target.is_symlink() and not target.exists():
        raise OutputError(f"{target}: a link to {os.readlink(target)}, which does not exist")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a directory")
    probe = target
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"cannot create the output {target}: {probe} is not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write the output {target}: {probe} is not writable")
    if target.is_dir() and any(_entries(target)) and not (target / MANIFEST).is_file():
        patterns = kept_patterns(target) if (target / KEEP_FILE).is_file() else None
        if patterns is not None and all(is_kept(rel, patterns) for rel in _contents(target)):
            return  # a new SDK repository: its LICENSE (or spec) listed, carried as it is
        raise OutputError(
            f"{target}: not empty and has no {MANIFEST}, so apigen did not generate it; "
            "refusing to replace it (choose an empty or new directory)"
        )


#: a file in the output listing the paths that are the user's (kept across builds as they are)
KEEP_FILE = ".apigenignore"


def kept_patterns(target: Path) -> list[str]:
    """The patterns of `target`'s `.apigenignore`: one per line, `#` starts a comment; a path
    relative to the output (`mypkg/custom.py`), globs (`mypkg/lib/*`), a folder with a trailing
    `/` (`mypkg/lib/`). Empty when there is none."""
    try:
        text = (target / KEEP_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line.lstrip("/") for line in lines if line]


def is_kept(rel: str, patterns: list[str]) -> bool:
    """Whether the output's file `rel` is the user's: `.apigenignore` itself, or matched (never
    the manifest: the build's record of what it wrote, and the lock of method names)."""
    if rel == KEEP_FILE:
        return True
    if rel == MANIFEST:
        return False
    for pattern in patterns:
        if pattern.endswith("/"):
            if rel.startswith(pattern):
                return True
        elif fnmatch.fnmatchcase(rel, pattern):
            return True
    return False


def _kept_files(target: Path) -> list[str]:
    """The files of a previous output that `.apigenignore` keeps (relative POSIX paths)."""
    if not (target / KEEP_FILE).is_file():
        return []
    patterns = kept_patterns(target)
    return [rel for rel in _contents(target) if is_kept(rel, patterns)]


def _contents(target: Path) -> list[str]:
    """Every file under `target` as a relative POSIX path, caches and leftovers left out
    (`_generated`); a link to a folder is one entry (not followed), as a file is. String paths,
    not `Path` objects: a warm build lists a thousand files twice (a third of its CPU as `Path`)."""
    out: list[str] = []
    base = os.fspath(target)

    def unlistable(err: OSError) -> None:
        # a folder it cannot list hid its files from the edit check, and the swap deleted
        # them, edits and all, without a word (helper 213)
        where = err.filename or base
        raise LocalChangesError(
            f"{where}: cannot be listed ({err.strerror or err}), so apigen cannot tell whether"
            " it holds your edits; make it readable, or pass --force to replace the whole output"
        )

    for top, dirs, names in os.walk(base, onerror=unlistable):
        prefix = _relative_prefix(base, top)
        skip = _generated if prefix else _generated_at_top
        links = [d for d in dirs if os.path.islink(os.path.join(top, d))]
        dirs[:] = sorted(d for d in dirs if not skip(d) and d not in links)
        out += [prefix + n for n in sorted([*names, *links]) if not skip(n)]
    return out


def _relative_prefix(base: str, top: str) -> str:
    """`top` (a folder `os.walk(base)` reached) as the POSIX prefix of its entries' relative
    paths: "" for `base` itself, else "a/b/"."""
    rel = os.path.relpath(top, base)
    return "" if rel == os.curdir else rel.replace(os.sep, "/") + "/"


def _carry_kept(target: Path, staging: Path) -> None:
    """Copy the files `.apigenignore` keeps from the previous output into the staged one, over
    what the build wrote there: they are the user's, as they are."""
    if not target.is_dir():
        return
    for rel in _kept_files(target):
        source, dest = target / rel, staging / rel
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest, follow_symlinks=False)


class LocalChangesError(OutputError):
    """The output holds edits to files apigen wrote, or files it did not write."""


# The staging and swapped-out folders a write makes (`_make_dir`: mkdtemp's 8 characters), in
# the output (`.apigen-new-*`) or beside it (`.<out>.apigen-new-*`): any name with `.apigen-` in
# it was taken for one, and a user's `notes.apigen-todo.md` was discarded as a leftover
_LEFTOVER = re.compile(r"\.(?:.+\.)?apigen-(?:new|old)-[a-z0-9_]{8}")


def _generated(name: str) -> bool:
    """Whether an entry is a cache or leftover rather than anybody's content (`_CACHES`)."""
    return name in _CACHES or bool(_LEFTOVER.fullmatch(name)) or name.endswith((".pyc", ".pyo"))


def _generated_at_top(name: str) -> bool:
    return _generated(name) or _artifact(name)


def local_changes(target: Path, seen: Snapshot | None = None) -> tuple[list[str], list[str]]:
    """(edited, added): the files of a previous output whose bytes differ from what apigen
    wrote there (its manifest's `files`), and the files it did not write at all. Both empty
    when the output has no such record (none yet, or written by an apigen before it kept one):
    nothing to tell them by. Caches and an editable install's metadata are nobody's edits, and
    what `.apigenignore` lists is the user's to keep (carried into every build as it is)."""
    try:
        text = (target / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, ValueError) as exc:  # (a UnicodeDecodeError is a ValueError)
        raise _unreadable(target, exc) from None
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise _unreadable(target, exc) from None
    if not isinstance(manifest, dict):
        raise _unreadable(target, "not a JSON object")
    recorded = cast("dict[str, Any]", manifest).get(FILES_KEY)
    if recorded is None:  # an apigen from before the record: nothing to go by
        return [], []
    if not isinstance(recorded, dict) or not all(
        isinstance(v, str) for v in cast("dict[str, object]", recorded).values()
    ):  # (a bad merge made it a list: read as no record, the user's files were discarded)
        raise _unreadable(target, f"its {FILES_KEY!r} is not an object of file digests")
    edited: list[str] = []
    added: list[str] = []
    patterns = kept_patterns(target)
    base = os.fspath(target)
    for rel in _contents(target):
        if seen is not None:  # (`snapshot`, in the same walk)
            with contextlib.suppress(OSError):
                st = os.lstat(os.path.join(base, rel))
                seen[rel] = (st.st_size, st.st_mtime_ns)
        if rel == MANIFEST or is_kept(rel, patterns):
            continue
        want = recorded.get(rel)
        if want is None:
            added.append(rel)
        else:
            path = os.path.join(base, rel)
            if os.path.islink(path) or file_digest(path) != want:
                edited.append(rel)
    return edited, added


# What a folder's files look like from outside: relative path -> (size, mtime in ns)
Snapshot = dict[str, tuple[int, int]]


def snapshot(target: Path) -> Snapshot:
    """Every file's size and modification time (`_contents`): a cheap look for edits made while
    a build ran (`write_tree`'s `unchanged_since`), hashing only when one shows."""
    base = os.fspath(target)
    found: Snapshot = {}
    for rel in _contents(target) if target.is_dir() else ():
        try:
            st = os.lstat(os.path.join(base, rel))
        except OSError:
            continue
        found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def _unreadable(target: Path, why: object) -> LocalChangesError:
    """An output whose manifest cannot be read (a merge conflict in it): what apigen wrote cannot
    be told from the user's edits, so nothing may be replaced; `--force` replaces it all (the
    error once suggested `--fresh-names`, and that build discarded the user's files)."""
    return LocalChangesError(
        f"{target / MANIFEST}: cannot be read ({why}), so apigen cannot tell the files it wrote"
        " from your edits; restore it (e.g. resolve the merge conflict in it), or pass --force to"
        " replace the whole output"
    )


def guard_local_changes(target: Path) -> Snapshot | None:
    """Raise `LocalChangesError` when writing over `target` would lose a local edit to a
    generated file or a file apigen did not write (`local_changes`); `--force` skips this.
    The folder as it was found (`snapshot`), or None when there is none."""
    if not target.is_dir():
        return None
    seen: Snapshot = {}
    edited, added = local_changes(target, seen)
    if not edited and not added:
        return seen or snapshot(target)  # (no record to compare with: the walk was not made)
    parts = []
    for what, names in (("edited since apigen wrote them", edited), ("not apigen's", added)):
        if names:
            shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
            parts.append(f"{what}: {shown}")
    raise LocalChangesError(
        f"{target}: regenerating would discard files {'; '.join(parts)}. List the ones to keep "
        f"in {target / KEEP_FILE} (kept as they are across builds), keep your code outside the "
        "output folder, or pass --force to discard them"
    )


def guard_spec_inside(spec: Path, target: Path) -> None:
    """Refuse to build into a folder holding the spec itself (`apigen build out/spec.yaml -o
    out`): the build replaces the folder's contents, `--force` included, and the input would be
    gone. Unless `.apigenignore` keeps it, as it keeps any of the user's files there."""
    try:
        where, folder = spec.resolve(), target.resolve()
    except (OSError, RuntimeError):
        return  # (the load reports an unreadable spec, check_target an unusable output)
    if not where.is_relative_to(folder) or where == folder:
        return
    rel = where.relative_to(folder).as_posix()
    if target.is_dir() and is_kept(rel, kept_patterns(target)):
        return
    raise OutputError(
        f"{target}: the spec {spec} is inside the output folder, and a build replaces what the "
        f"folder holds: keep the spec outside it, or list {rel!r} in {target / KEEP_FILE}"
    )


def record_files(target: Path) -> None:
    """Record in `target`'s manifest every file now in it as apigen's: after the configured
    `post_generate` commands changed or added files, so the next build does not take their
    work for local edits."""
    from .render.manifest import dumps, with_file_digests

    manifest = target / MANIFEST
    before = manifest.read_bytes()
    data = json.loads(before.decode("utf-8"))
    data.pop(FILES_KEY, None)
    names = [rel for rel in _contents(target) if rel != MANIFEST]
    text = with_file_digests(dumps(data), digests(target, names)).encode("utf-8")
    if text != before:  # (a no-op `apigen generate` touches nothing: helper 176)
        manifest.write_bytes(text)


def digests(root: Path, names: Iterable[str]) -> dict[str, str]:
    """The SHA-256 of each file `names` under `root` (the manifest's `files`)."""
    out: dict[str, str] = {}
    for rel in names:
        found = file_digest(root / rel)
        if found is not None:
            out[rel] = found
    return out


def _entries(folder: Path) -> list[Path]:
    """The output's own entries: not the staging folders an interrupted in-place write left,
    nor `ARTIFACTS` (a file system's `lost+found`, what packaging tools wrote), which a build
    leaves where they are."""
    return [p for p in folder.iterdir() if _ours(p.name)]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _make_dir(prefix: str, parent: Path) -> Path:
    """`tempfile.mkdtemp` with the permissions `mkdir` would give (umask, not 0700)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    path.chmod(0o777 & ~_umask())
    return path


def _in_place(target: Path) -> bool:
    """The target must be written inside: a mount point, the current folder, or its parent
    cannot take a sibling."""
    if not target.is_dir():
        return False
    if _is_cwd(target):  # swapped, the shell is left in a deleted folder (helper 210)
        return True
    return os.path.ismount(target) or not os.access(target.parent, os.W_OK | os.X_OK)


def _say_cwd_inside(target: Path) -> None:
    """The current folder is inside the output (`cd out/pkg`, then a build of `out`): the
    folder is replaced, and the shell is left in a deleted one (a review); said, as the
    output is the user's to place."""
    try:
        here = Path(os.getcwd())
    except OSError:  # (already in a deleted folder)
        return
    if here != target and target in here.parents:
        sys.stderr.write(
            f"apigen: warning: the current folder {here} is inside the output {target}: it is"
            " replaced by this build; `cd` out of it and back in to see the new files\n"
        )


def _is_cwd(target: Path) -> bool:
    try:
        return os.path.samefile(os.getcwd(), target)
    except OSError:
        return False


def _os_error(target: Path, err: OSError) -> OutputError:
    where = err.filename or target
    return OutputError(f"cannot write the output {target}: {err.strerror or err} ({where})")


def write_tree(
    target: Path,
    files: Mapping[str, Content],
    finish: Callable[[Path], None] | None = None,
    unchanged_since: Snapshot | None = None,
) -> bool:
    """Write `files` (`Content`) under a temporary sibling of `target`, run `finish` on it, then
    swap. `unchanged_since`: the output as `guard_local_changes` found it; a file edited or
    added since (while the build ran) is looked at again just before the swap, and a local
    change stops it (it was discarded without a word).

    False when `target` already held exactly the files that would be swapped in: nothing is
    replaced, so their modification times stay (make-style tools and editors see no change).

    A `target` that is a link to a folder is written through: the folder it names gets the
    files, the link stays (swapping the link itself left the folder stale)."""
    # absolute: `-o .` has no name and `.` for a parent, so the staging folder went inside
    # the output and every later build refused it as the user's files (helper 210)
    target = Path(os.path.abspath(target))
    if target.is_symlink() and target.is_dir():
        target = Path(os.path.realpath(target))
    check_target(target)
    if finish is None and _holds(target, files, lambda rel: _encoded(files[rel])):
        return False
    in_place = _in_place(target)
    _say_leftovers(target, in_place)
    _say_cwd_inside(target)
    try:
        if not in_place:
            target.parent.mkdir(parents=True, exist_ok=True)
        staging = _make_dir(
            ".apigen-new-" if in_place else f".{target.name}.apigen-new-",
            target if in_place else target.parent,
        )
    except OSError as err:
        raise _os_error(target, err) from err
    try:
        _write_files(staging, files)
        if finish is not None:
            finish(staging)
        _carry_kept(target, staging)  # after the formatter: the user's files as they are
        if finish is not None and _holds(target, files, lambda rel: (staging / rel).read_bytes()):
            return False
        if unchanged_since is not None and snapshot(target) != unchanged_since:
            guard_local_changes(target)
        if in_place:
            _move_in(staging, target)
        elif not _swap(staging, target):  # the target itself cannot move: write inside it
            inner = _make_dir(".apigen-new-", target)
            try:
                shutil.copytree(staging, inner, symlinks=True, dirs_exist_ok=True)
                _move_in(inner, target)
            finally:
                _remove(inner)
    except OSError as err:
        raise _os_error(target, err) from err
    finally:
        _remove(staging)
    return True


def _say_leftovers(target: Path, in_place: bool = False) -> None:
    """Say which staging and swapped-out folders beside `target` a killed build left (SIGKILL
    cannot be held: GitHub's ~1,200 files stayed hidden, no later build mentioned them, and
    `git add -A` took them in). Said, never deleted: killed mid-swap, one holds the user's
    `.git` or the whole previous output, edits and all. Written in place (a mount point, the
    current folder), they are inside it (helper 210: never said)."""
    folder = target if in_place else target.parent
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    prefix = "." if in_place else f".{target.name}."
    for entry in entries:
        if (
            entry.name.startswith(prefix)
            and _LEFTOVER.fullmatch(entry.name)
            and entry.name[len(prefix) :].startswith("apigen-")
            and entry.is_dir(follow_symlinks=False)
        ):
            sys.stderr.write(
                f"apigen: warning: {entry.path} was left by an interrupted build (or belongs to"
                f" one running now): see whether it holds anything of yours (.git, your files),"
                " then delete it\n"
            )


def _remove(folder: Path) -> None:
    """Delete a staging or swapped-out tree, Ctrl-C and SIGTERM held meanwhile: interrupted,
    `rmtree` left a hidden `.<out>.apigen-new-*` of ~1,000 files beside the output, which no
    later build removed and `git add -A` took in."""
    with _uninterrupted():
        shutil.rmtree(folder, onerror=functools.partial(_writable_and_retry, str(folder)))
        # (a folder the user made read-only in the previous output failed the whole delete,
        # exit 0, and left the hidden tree behind; what no retry removes is said, not hidden)
    if os.path.lexists(folder):
        sys.stderr.write(
            f"apigen: warning: could not delete {folder} (a copy of a previous output or an"
            " unfinished one); delete it by hand\n"
        )


def _writable_and_retry(
    root: str, func: Callable[..., object], path: str | os.PathLike[str], _exc: object
) -> None:
    """`rmtree`'s error handler: an entry of a read-only folder (the user's `chmod a-w` in a
    previous output) is deleted once its folder is writable again; anything else is left.
    Only folders inside `root` (the tree being deleted) are touched, never a link's target."""
    path = os.fspath(path)  # (the root itself, as given, when it is already gone)
    if not os.path.lexists(path):
        return
    parent = os.path.dirname(path)
    inside = root.rstrip(os.sep) + os.sep
    try:
        for folder in (parent, path) if func is not os.rmdir else (parent,):
            if not folder.startswith(inside) and folder != root:
                continue  # the tree's own parent (the user's folder): left as it is
            if os.path.isdir(folder) and not os.path.islink(folder):
                os.chmod(folder, os.stat(folder).st_mode | stat.S_IRWXU)
        if func in (os.unlink, os.remove, os.rmdir):
            func(path)
        elif os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
    except OSError:
        return  # left: `_remove` says so


# O_BINARY: Windows would otherwise write "\r\n" for "\n"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _encoded(content: Content) -> bytes | memoryview:
    return content.encode("utf-8") if isinstance(content, str) else content


def _write_files(root: Path, files: Mapping[str, Content]) -> None:
    """Write `files` (relative POSIX paths) under `root`: each folder made once, each file by
    `os` calls (half the CPU of `Path.mkdir` + `Path.write_text` a file)."""
    made: set[str] = set()
    base = str(root)
    for rel in sorted(files):
        folder = rel.rpartition("/")[0]
        if folder not in made:
            os.makedirs(os.path.join(base, folder), exist_ok=True)
            made.add(folder)
        data = _encoded(files[rel])
        fd = os.open(os.path.join(base, rel), _CREATE, 0o666)
        try:
            view = memoryview(data)
            while view:  # a write may be partial
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


def _holds(target: Path, names: Iterable[str], new: Callable[[str], bytes | memoryview]) -> bool:
    """`target` (a previous output) has exactly the files `names`, byte for byte as `new`
    gives them, and no other file or folder (Python's `__pycache__` folders aside). The
    manifest is compared first: a build that changed anything has changed it."""
    kept = kept_patterns(target)  # the user's files: carried as they are, not compared
    wanted = {rel for rel in names if not is_kept(rel, kept)}
    if MANIFEST not in wanted or not (target / MANIFEST).is_file():
        return False
    try:
        if not _same((target / MANIFEST).read_bytes(), new(MANIFEST)):
            return False
        folders = {rel.rpartition("/")[0] for rel in wanted}
        found: set[str] = set()
        base = os.fspath(target)
        for top, dirs, filenames in os.walk(base):
            prefix = _relative_prefix(base, top)
            at_top = not prefix
            skip = {
                d
                for d in dirs
                if d == "__pycache__" or (at_top and not _ours(d)) or is_kept(f"{prefix}{d}/", kept)
            }
            dirs[:] = sorted(set(dirs) - skip)
            if not at_top and prefix[:-1] not in folders:
                return False  # a folder the new output does not have
            found.update(
                prefix + f
                for f in filenames
                if (not at_top or _ours(f)) and not is_kept(prefix + f, kept)
            )
        if found != wanted:
            return False
        for rel in sorted(wanted - {MANIFEST}):
            path = os.path.join(base, rel)
            if os.path.islink(path):
                return False
            with open(path, "rb") as f:
                if not _same(f.read(), new(rel)):
                    return False
        return True
    except OSError:
        return False  # unreadable: write it as before


def _same(old: bytes, new: bytes | memoryview) -> bool:
    """Equal bytes. A memoryview (a build cache entry's file) is copied first: comparing one
    with bytes goes item by item, 60x slower than the copy and a `bytes` comparison."""
    return len(old) == len(new) and old == (new if isinstance(new, bytes) else bytes(new))


def _ours(name: str) -> bool:
    """A top-level entry that counts as output (`_entries`)."""
    return not _LEFTOVER.fullmatch(name) and not _artifact(name)


# Renaming these folders fails although writing inside them works: a mount point (EBUSY), and
# on some systems a folder whose parent refuses renames (EACCES, EPERM).
_IMMOVABLE = frozenset({errno.EBUSY, errno.EXDEV, errno.EACCES, errno.EPERM})


def _swap(staging: Path, target: Path) -> bool:
    """Replace `target` by `staging`; False (nothing changed) when the target cannot move.

    The output's `ARTIFACTS` (`.git`, `dist/`...) move into the staged tree first, so the
    tree swapped out (deleted after) holds nothing of the user's; the moves and the swap are
    one uninterrupted step (`_uninterrupted`: a Ctrl-C or SIGTERM there deleted `.git` with the
    old tree). Where the system can exchange two names in one step (Linux's `renameat2`), it
    does: the output is the old tree or the new one at every instant, a kill included.
    Elsewhere, two renames: for a moment between them there is no output folder (the old one
    beside it)."""
    if not target.exists():
        os.replace(staging, target)
        return True
    swapped: Path | None = None
    try:
        with _one_writer(target.parent), _uninterrupted():
            swapped = _swap_held(staging, target)
            if swapped is not None:
                _rescue_artifacts(swapped, target)
    finally:
        if swapped is not None:  # (also when a signal held meanwhile exits now)
            _remove(swapped)
    return swapped is not None


def _rescue_artifacts(old: Path, target: Path) -> None:
    """Move back into the output any `.git`, `dist/`... left in the tree swapped out (about
    to be deleted): another build swapping in at the same moment had listed the output while
    this one held them (helper 210: two builds at once deleted `.git`, both exiting 0)."""
    for entry in _entries_named(old):
        if _artifact(entry.name) and not os.path.lexists(target / entry.name):
            os.replace(entry, target / entry.name)


def _entries_named(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


@contextlib.contextmanager
def _one_writer(folder: Path) -> Iterator[None]:
    """One apigen swap at a time in `folder` (an advisory lock on the folder itself, where the
    system has `flock`): two builds into one output interleaved their moves of `.git`."""
    try:
        import fcntl
    except ImportError:  # (Windows: the rescue above still holds)
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        # (NFS emulates flock with a lock a folder opened to read cannot take: advisory, the
        # swap goes on unlocked, as before; the rescue of `.git` still holds)
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)


def _swap_held(staging: Path, target: Path) -> Path | None:
    """`_swap`'s moves: where the previous output went, or None when the target cannot move."""
    carried: list[str] = []
    try:
        for entry in sorted(target.iterdir()):
            # the user's `dist/`, an editable install's metadata (unless `.apigenignore`
            # carried it)
            if _artifact(entry.name) and not (staging / entry.name).exists():
                os.replace(entry, staging / entry.name)
                carried.append(entry.name)
        # (after an exchange the staging name holds the previous output)
        old = staging if _exchange(staging, target) else _two_renames(staging, target)
    except OSError:
        for name in carried:  # back into the output, which is still the previous one
            os.replace(staging / name, target / name)
        raise
    if old is None:  # the target cannot move: its artifacts stay where they were
        for name in carried:
            os.replace(staging / name, target / name)
    return old


def _two_renames(staging: Path, target: Path) -> Path | None:
    """`target` moved aside, `staging` put in its place: where the previous output went, or
    None when the target cannot move (nothing changed)."""
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.apigen-old-", dir=target.parent))
    old.rmdir()
    try:
        os.replace(target, old)
    except OSError as err:
        if err.errno in _IMMOVABLE:
            return None
        raise
    try:
        os.replace(staging, target)
    except OSError:
        os.replace(old, target)
        raise
    return old


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on them (a step half done leaves
    the user's files in a folder the cleanup deletes). Only the main thread takes signals'
    handlers; elsewhere nothing is held (no `KeyboardInterrupt` reaches another thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, hold) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if caught:
            signal.raise_signal(caught[0])


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names `a` and `b` in one step (`renameat2(..., RENAME_EXCHANGE)`); False when
    this system, its C library or the file system cannot (the caller renames twice)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # a C library without it (glibc < 2.28, musl < 1.2.?)
        return False
    at_fdcwd = -100
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)


def _move_in(staging: Path, target: Path) -> None:
    """Replace the target's entries by the staged ones, moving the old ones aside first; on a
    failure the staged ones go back to `staging` and the old ones back in place (uninterrupted:
    a signal mid-way deleted the entries moved aside)."""
    old = _make_dir(".apigen-old-", target)
    done = False
    try:
        with _one_writer(target), _uninterrupted():
            _move_in_held(staging, target, old)
            done = True
    finally:
        if done:  # (also when a signal held meanwhile exits now)
            shutil.rmtree(old, ignore_errors=True)


def _move_in_held(staging: Path, target: Path, old: Path) -> None:
    """`_move_in`'s moves, the previous entries into `old`."""
    moved: list[str] = []
    placed: list[str] = []
    try:
        for entry in _entries(target):
            os.replace(entry, old / entry.name)
            moved.append(entry.name)
        for entry in sorted(staging.iterdir()):
            os.replace(entry, target / entry.name)
            placed.append(entry.name)
    except OSError:
        for name in placed:  # only what this write put there: the rest is the user's
            os.replace(target / name, staging / name)
        for name in moved:
            os.replace(old / name, target / name)
        old.rmdir()
        raise
