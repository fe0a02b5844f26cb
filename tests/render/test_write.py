"""Output robustness (issue 9 item 5): unwritable targets are user errors, a folder that cannot
be swapped (an empty mount point) is written inside, permissions follow the umask, `--name`
refuses keywords, and no `.ruff_cache/` is left behind."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from apigen import write
from apigen.write import OutputError, write_tree
from tests.conftest import ROOT

PETSTORE = ROOT / "specs" / "petstore.yaml"
FILES = {"apigen.json": "{}\n", "pkg/__init__.py": "X = 1\n", "pkg/sub/m.py": "Y = 2\n"}


def apigen(
    *args: str | Path, cwd: Path, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    def preexec() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "apigen", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
        preexec_fn=preexec,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# ------------------------------------------------------------------------------ unwritable


def test_a_file_in_the_way_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = apigen("build", PETSTORE, "-o", tmp_path / "afile" / "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot create the output" in result.stderr and "is not a directory" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/proc/1").is_dir(), reason="Linux /proc")
def test_an_unwritable_parent_is_a_clear_error_before_any_work(tmp_path: Path) -> None:
    result = apigen("build", PETSTORE, "-o", "/proc/1/apigen-out", cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot write the output /proc/1/apigen-out: /proc/1 is not writable" in result.stderr
    assert "internal error" not in result.stderr and "please report" not in result.stderr


def test_an_os_error_while_writing_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What root (for whom os.access says yes) meets: the staging folder cannot be made."""

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(write.tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError, match=r"cannot write the output .*Permission denied"):
        write_tree(tmp_path / "out", FILES)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = apigen("build", PETSTORE, "-o", locked / "out", cwd=tmp_path)
    finally:
        locked.chmod(0o700)
    assert result.returncode == 1
    assert f"cannot write the output {locked / 'out'}" in result.stderr


# ------------------------------------------------------------------ folders that cannot move


def _immovable(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Renaming `target` fails as renaming a mount point does (EBUSY)."""
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(src) == target:
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        real(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)  # (renameat2: EBUSY too)


def test_an_empty_mount_point_is_written_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "mnt"
    target.mkdir()
    (target / "lost+found").mkdir()  # an ext4 mount point's, kept
    inode = target.stat().st_ino
    monkeypatch.setattr(write.os.path, "ismount", lambda p: Path(p) == target)
    _immovable(monkeypatch, target)

    write_tree(target, FILES)
    assert target.stat().st_ino == inode  # the folder itself was not replaced
    assert sorted(p.name for p in target.iterdir()) == ["apigen.json", "lost+found", "pkg"]
    assert (target / "pkg" / "sub" / "m.py").read_text() == "Y = 2\n"

    # regenerating replaces the previous output inside it, stale files included
    (target / "pkg" / "stale.py").write_text("")
    write_tree(target, {**FILES, "pkg/__init__.py": "X = 3\n"})
    assert target.stat().st_ino == inode
    assert (target / "pkg" / "__init__.py").read_text() == "X = 3\n"
    assert not (target / "pkg" / "stale.py").exists()
    assert sorted(p.name for p in target.iterdir()) == ["apigen.json", "lost+found", "pkg"]


def test_a_folder_that_refuses_to_move_is_written_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not detected as a mount point beforehand: the failed rename falls back to writing inside."""
    target = tmp_path / "out"
    target.mkdir()
    _immovable(monkeypatch, target)
    write_tree(target, FILES)
    assert (target / "pkg" / "__init__.py").read_text() == "X = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left beside it
    assert sorted(p.name for p in target.iterdir()) == ["apigen.json", "pkg"]


def test_a_failed_build_leaves_an_in_place_target_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "mnt"
    target.mkdir()
    monkeypatch.setattr(write.os.path, "ismount", lambda p: Path(p) == target)
    write_tree(target, FILES)

    def broken(root: Path) -> None:
        raise OutputError("formatter failed")

    with pytest.raises(OutputError):
        write_tree(target, {"apigen.json": "new\n"}, finish=broken)
    assert (target / "apigen.json").read_text() == "{}\n"
    assert sorted(p.name for p in target.iterdir()) == ["apigen.json", "pkg"]


# ------------------------------------------------------------------------------ permissions


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_output_follows_the_umask_not_0700(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "petstore"
    result = apigen("build", PETSTORE, "-o", out, cwd=tmp_path, umask=umask)
    assert result.returncode == 0, result.stderr
    assert _mode(out) == 0o777 & ~umask
    assert _mode(out / "petstore") == 0o777 & ~umask
    assert _mode(out / "pyproject.toml") == 0o666 & ~umask
    assert _mode(out / "petstore" / "_client.py") == 0o666 & ~umask


def test_in_place_output_keeps_the_folder_and_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    target = tmp_path / "mnt"
    target.mkdir(mode=0o751)
    target.chmod(0o751)
    monkeypatch.setattr(write.os.path, "ismount", lambda p: Path(p) == target)
    write_tree(target, FILES)
    assert _mode(target) == 0o751  # the mount point's own mode is not touched
    assert _mode(target / "pkg") == 0o755
    assert _mode(target / "apigen.json") == 0o644


# ------------------------------------------------------------------------ --name and ruff


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("class", "a Python keyword"),
        ("json", "a standard-library module"),
        # not in `sys.stdlib_module_names`, yet on the stdlib path: the client never imported
        ("test", "a standard-library module"),
        ("httpx", "a module the generated client imports"),
        # dependencies of its dependencies: a package of that name broke the first call
        ("h11", "a module the generated client imports"),
        ("typing_inspection", "a module the generated client imports"),
        # where `python -m build` writes: its `build/` would land in the package
        ("build", "a folder packaging tools write in the output"),
        ("9lives", "not a Python identifier"),
        ("", "no letter or digit"),  # (a review: read as no --name, the folder's name taken)
        ("-", "no letter or digit"),  # (spelled `minus`)
        ("_", "no letter or digit"),  # (spelled `value`)
    ],
)
def test_a_bad_package_name_is_refused_not_renamed(tmp_path: Path, name: str, why: str) -> None:
    result = apigen("build", PETSTORE, "-o", tmp_path / "out", "--name", name, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"invalid package name {name!r}" in result.stderr and why in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_name_is_still_made_safe(tmp_path: Path) -> None:
    """Only an explicit --name is refused; a derived one keeps the `_client` suffix rule."""
    result = apigen("build", PETSTORE, "-o", tmp_path / "class", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "class" / "class_client" / "__init__.py").is_file()


def test_build_leaves_no_ruff_cache_in_the_working_directory(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = apigen("build", PETSTORE, "-o", tmp_path / "out", cwd=work)
    assert result.returncode == 0, result.stderr
    assert list(work.iterdir()) == []
    assert not list((tmp_path / "out").rglob(".ruff_cache"))


# ------------------------------------------------------------------------------ unchanged


def _times(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_an_unchanged_output_is_left_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert write_tree(out, FILES)
    before = _times(out)
    assert not write_tree(out, FILES)  # the same files: nothing replaced
    assert _times(out) == before
    assert not write_tree(out, dict(FILES), finish=lambda staging: None)  # after a finish too
    assert _times(out) == before


def test_pycache_does_not_count_and_stays(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / "pkg" / "__pycache__").mkdir()
    (out / "pkg" / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"x")
    assert not write_tree(out, FILES)
    assert (out / "pkg" / "__pycache__" / "m.cpython-311.pyc").is_file()


@pytest.mark.parametrize("change", ["edited", "extra-file", "extra-folder", "missing", "symlink"])
def test_any_difference_rewrites_the_whole_output(tmp_path: Path, change: str) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    if change == "edited":
        (out / "pkg" / "sub" / "m.py").write_text("Y = 3\n")
    elif change == "extra-file":
        (out / "pkg" / "stale.py").write_text("Z = 0\n")
    elif change == "extra-folder":
        (out / "pkg" / "old").mkdir()
    elif change == "missing":
        (out / "pkg" / "sub" / "m.py").unlink()
    else:
        (tmp_path / "elsewhere.py").write_text("X = 1\n")
        (out / "pkg" / "__init__.py").unlink()
        (out / "pkg" / "__init__.py").symlink_to(tmp_path / "elsewhere.py")
    assert write_tree(out, FILES)
    found = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert found == set(FILES)
    assert not (out / "pkg" / "old").exists()
    assert not (out / "pkg" / "__init__.py").is_symlink()
    assert all((out / rel).read_text() == text for rel, text in FILES.items())


def test_a_rebuild_of_the_same_spec_keeps_modification_times(tmp_path: Path) -> None:
    from apigen.pipeline import build

    out = tmp_path / "petstore"
    assert not build(PETSTORE, out).unchanged
    before = _times(out)
    assert build(PETSTORE, out).unchanged  # formatted in staging, found identical, not swapped
    assert _times(out) == before


def test_the_output_is_swapped_in_one_step_where_the_system_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's review: the old output was moved aside, then the new one moved in: a kill
    between the two renames left no output folder (the next build lost the name lock and the
    `.apigenignore`d files). On Linux the names are exchanged in one step; the previous tree
    ends where the staging was and is removed; artifacts (`dist/`) are carried as before."""
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    target = tmp_path / "out"
    write_tree(target, {**FILES, "a.txt": "1"})
    (target / "dist").mkdir()
    (target / "dist" / "x.whl").write_text("w")
    renames: list[tuple[str, str]] = []
    real = os.replace

    def spy(a: str | Path, b: str | Path) -> None:
        renames.append((str(a), str(b)))
        real(a, b)

    monkeypatch.setattr(write.os, "replace", spy)
    exchanged: list[bool] = []
    original = write._exchange

    def watch(a: Path, b: Path) -> bool:
        exchanged.append(original(a, b))
        return exchanged[-1]

    monkeypatch.setattr(write, "_exchange", watch)
    assert write_tree(target, {**FILES, "a.txt": "2"})
    assert exchanged == [True]
    assert not any(b == str(target) for _, b in renames if "dist" not in b)  # no 2nd rename
    assert (target / "a.txt").read_text() == "2" and (target / "dist" / "x.whl").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it


# ------------------------------------------------------------------------------ interrupted


@pytest.mark.parametrize("exchange", [True, False])
def test_a_signal_during_the_swap_keeps_the_user_s_git_and_dist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    """A helper's review: SIGTERM (as the CLI turns it into an exit) landing after the trees
    were exchanged but before `.git`/`dist/` were moved back out of the old one: the cleanup
    deleted the old tree, the repository with it. The artifacts now move into the new tree
    first, in a step signals wait for; the signal acts after it. Both ways of swapping."""
    if exchange and not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    target = tmp_path / "out"
    write_tree(target, {**FILES, "a.txt": "1"})
    (target / ".git").mkdir()
    (target / ".git" / "HEAD").write_text("ref")
    (target / "dist").mkdir()
    (target / "dist" / "x.whl").write_text("w")

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(143)

    previous = write.signal.signal(write.signal.SIGTERM, terminate)
    try:
        original = write._exchange

        def exchange_then_term(a: Path, b: Path) -> bool:
            done = original(a, b) if exchange else False
            os.kill(os.getpid(), write.signal.SIGTERM)
            return done

        monkeypatch.setattr(write, "_exchange", exchange_then_term)
        with pytest.raises(SystemExit):
            write_tree(target, {**FILES, "a.txt": "2"})
    finally:
        write.signal.signal(write.signal.SIGTERM, previous)
    assert (target / "a.txt").read_text() == "2"  # the swap finished, then the signal acted
    assert (target / ".git" / "HEAD").read_text() == "ref"
    assert (target / "dist" / "x.whl").read_text() == "w"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it


def test_a_signal_while_writing_in_place_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's review: in place (a mount point), a SIGTERM after some previous entries
    were moved aside exited through a cleanup that deleted them: the output was left half
    empty, a module `.apigenignore` kept gone for good."""
    target = tmp_path / "mnt"
    target.mkdir()
    monkeypatch.setattr(write.os.path, "ismount", lambda p: Path(p) == target)
    files = {**FILES, "a.txt": "1", "b.txt": "1", "c.txt": "1"}
    write_tree(target, files)
    (target / ".apigenignore").write_text("pkg/mine.py\n")
    (target / "pkg" / "mine.py").write_text("# mine\n")
    real = os.replace
    moved: list[str] = []

    def replace(a: str | Path, b: str | Path) -> None:
        real(a, b)
        if ".apigen-old-" in str(b):
            moved.append(str(b))
            if len(moved) == 2:
                os.kill(os.getpid(), write.signal.SIGTERM)

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(143)

    monkeypatch.setattr(write.os, "replace", replace)
    previous = write.signal.signal(write.signal.SIGTERM, terminate)
    try:
        with pytest.raises(SystemExit):
            write_tree(target, {**files, "a.txt": "2"})
    finally:
        write.signal.signal(write.signal.SIGTERM, previous)
    assert (target / "a.txt").read_text() == "2" and (target / "c.txt").read_text() == "1"
    assert (target / "pkg" / "mine.py").read_text() == "# mine\n"
    assert sorted(p.name for p in target.iterdir()) == [
        ".apigenignore",
        "a.txt",
        "apigen.json",
        "b.txt",
        "c.txt",
        "pkg",
    ]


def test_a_failed_in_place_move_puts_the_previous_output_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's review: an in-place write whose move-aside failed on one entry (a read-only
    folder, another user's) "rolled back" by deleting every entry not yet moved, then failed
    removing the unmovable one, and the folder holding the moved ones was deleted: 70 files
    before, 65 after. Now what the write moved in goes back out, what it moved aside comes back,
    and the error names the output."""
    target = tmp_path / "mnt"
    target.mkdir()
    monkeypatch.setattr(write.os.path, "ismount", lambda p: Path(p) == target)
    files = {**FILES, "a.txt": "1", "z.txt": "1"}
    write_tree(target, files)
    before = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    real = os.replace

    def replace(a: str | Path, b: str | Path) -> None:
        if Path(a) == target / "pkg" and ".apigen-old-" in str(b):
            raise OSError(errno.EACCES, "Permission denied", str(a))
        real(a, b)

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(OutputError, match="Permission denied"):
        write_tree(target, {**files, "a.txt": "2", "z.txt": "2"})
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == before
    assert (target / "a.txt").read_text() == "1" and (target / "z.txt").read_text() == "1"


def test_an_edit_made_while_the_build_ran_stops_the_swap(tmp_path: Path) -> None:
    """A helper's review: the local-changes check ran once, when the build began; an edit to
    `_client.py` and a new `mine.py` made two seconds into a Stripe rebuild were discarded
    without a word (exit 0). The output is looked at again before the swap (sizes and times;
    hashed only when one moved): an edit then stops the build, the output left as it is."""
    from apigen.write import LocalChangesError, guard_local_changes, record_files

    target = tmp_path / "out"
    write_tree(target, {**FILES, "apigen.json": '{"package": "pkg"}\n'})
    record_files(target)
    found = guard_local_changes(target)
    assert found is not None and "pkg/__init__.py" in found

    def edit_meanwhile(staging: Path) -> None:
        (target / "pkg" / "__init__.py").write_text("X = 1  # my hot fix\n")
        (target / "pkg" / "mine.py").write_text("print('mine')\n")

    new = {**FILES, "apigen.json": '{"package": "pkg", "v": 2}\n'}
    with pytest.raises(LocalChangesError, match=r"mine\.py"):
        write_tree(target, new, finish=edit_meanwhile, unchanged_since=found)
    assert (target / "pkg" / "__init__.py").read_text() == "X = 1  # my hot fix\n"
    assert (target / "pkg" / "mine.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left
    (target / "pkg" / "mine.py").unlink()
    (target / "pkg" / "__init__.py").write_text("X = 1\n")
    assert write_tree(target, new, unchanged_since=guard_local_changes(target))  # as before
    assert (target / "apigen.json").read_text() == new["apigen.json"]


_ARMED: list[int] = []  # the signal to send when a staging tree's removal starts (once)


def _interrupt_removal(event: str, args: tuple[object, ...]) -> None:
    if event == "shutil.rmtree" and _ARMED and ".apigen-" in str(args[0]):
        os.kill(os.getpid(), _ARMED.pop())


@pytest.mark.parametrize("change", [False, True])
def test_an_interrupt_while_a_staging_tree_is_removed_leaves_nothing_behind(
    tmp_path: Path, change: bool
) -> None:
    """A helper's interrupt sweep: Ctrl-C (or SIGTERM) while the staging or swapped-out tree
    was deleted left a hidden `.<out>.apigen-new-*` beside the output (`rmtree`'s
    `ignore_errors` does not catch KeyboardInterrupt), which no later build removed and
    `git add -A` took in. The removal holds the signal, which acts once it is done."""
    import signal

    target = tmp_path / "out"
    write_tree(target, FILES)
    sys.addaudithook(_interrupt_removal)  # (hooks stay for the process: armed once here)
    # Ctrl-C as a terminal delivers it, whatever this process inherited (a shell's background
    # job starts with SIGINT ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    _ARMED.append(signal.SIGINT)
    files = {**FILES, "pkg/__init__.py": "X = 3\n"} if change else FILES
    try:
        with pytest.raises(KeyboardInterrupt):
            write_tree(target, files, finish=lambda staged: None)
    finally:
        _ARMED.clear()
        signal.signal(signal.SIGINT, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (target / "pkg" / "__init__.py").read_text() == files["pkg/__init__.py"]


def _denying_unlink(monkeypatch: pytest.MonkeyPatch, always: bool = False) -> Callable[..., None]:
    """`os.unlink` refusing an entry of a folder without the owner's write bit, as for any user
    but root (the tests may run as root, which the mode does not stop); `always`: every entry
    of a swapped-out tree."""
    real = os.unlink

    def unlink(path: str, *, dir_fd: int | None = None) -> None:
        parent = (
            os.readlink(f"/proc/self/fd/{dir_fd}")
            if dir_fd is not None
            else (os.path.dirname(os.path.abspath(path)))
        )
        refused = not os.stat(parent).st_mode & stat.S_IWUSR
        if refused or (always and ".apigen-new-" in parent):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        real(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    return unlink


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd (Linux)")
def test_a_read_only_folder_in_the_previous_output_is_deleted_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: a folder the user made read-only in the previous output failed the delete of
    the swapped-out tree, silently (`ignore_errors`), exit 0, and left a hidden
    `.out.apigen-new-*` beside the output for `git add -A`. Now the folder is made writable
    and the delete goes on; what still cannot be deleted is said."""
    target = tmp_path / "out"
    write_tree(target, FILES)
    (target / "pkg" / "sub").chmod(0o555)
    _denying_unlink(monkeypatch)
    assert write_tree(target, {**FILES, "pkg/__init__.py": "X = 3\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (target / "pkg" / "__init__.py").read_text() == "X = 3\n"
    assert capsys.readouterr().err == ""
    _denying_unlink(monkeypatch, always=True)
    assert write_tree(target, FILES)
    left = [p for p in tmp_path.iterdir() if p.name != "out"]
    assert len(left) == 1 and left[0].name.startswith(".out.apigen-new-")
    assert f"apigen: warning: could not delete {left[0]}" in capsys.readouterr().err
    monkeypatch.undo()
    import shutil

    shutil.rmtree(left[0])


def test_the_delete_retry_never_touches_a_folder_outside_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`_remove`'s retry makes folders writable: only those inside the tree it deletes, never a
    link's target nor the tree's own parent (the user's folders); a tree already gone is no
    error."""
    outside = tmp_path / "outside"
    outside.mkdir()
    outside.chmod(0o555)
    parent = tmp_path / "parent"
    tree = parent / ".out.apigen-new-x"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "link").symlink_to(outside, target_is_directory=True)
    parent.chmod(0o555)
    real_unlink, real_rmdir = os.unlink, os.rmdir
    failed: list[str] = []

    def unlink(path: str, *, dir_fd: int | None = None) -> None:
        if path == "link" and not failed:
            failed.append(path)
            raise PermissionError(errno.EACCES, "Permission denied", path)
        real_unlink(path, dir_fd=dir_fd)

    def rmdir(path: str, *, dir_fd: int | None = None) -> None:
        if os.fspath(path) == str(tree):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        real_rmdir(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "rmdir", rmdir)
    write._remove(tree)  # pyright: ignore[reportPrivateUsage]
    assert failed == ["link"] and not (tree / "sub").exists() and tree.is_dir()
    assert _mode(outside) == 0o555 and _mode(parent) == 0o555
    assert f"could not delete {tree}" in capsys.readouterr().err
    monkeypatch.undo()
    parent.chmod(0o755)
    real_rmdir(tree)
    write._remove(tree)  # pyright: ignore[reportPrivateUsage]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("locked", [True, False])
def test_two_writes_at_once_keep_the_users_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locked: bool
) -> None:
    """Helper 210: two builds into one output at once lost `.git` in 12 of 40 trials, both
    exiting 0. A moved `.git` into its staged tree; B listed the output meanwhile (no `.git`),
    swapped after A and deleted the tree it swapped out: A's, `.git` inside. Swaps in one
    folder now take turns (`locked`), and a `.git` found in the tree swapped out goes back
    into the output before that tree is deleted (without the lock too)."""
    import contextlib
    import threading
    import time

    out = tmp_path / "out"
    write_tree(out, {"apigen.json": "{}\n", "x.py": "X = 0\n"})
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    if not locked:
        nolock = lambda folder: contextlib.nullcontext()  # noqa: E731
        monkeypatch.setattr(write, "_one_writer", nolock, raising=False)
    real = write._exchange
    delays = {"A": 0.4, "B": 0.5}  # B lists the output while A waits, then swaps after it

    def slow_exchange(a: Path, b: Path) -> bool:
        time.sleep(delays[threading.current_thread().name])
        return real(a, b)

    monkeypatch.setattr(write, "_exchange", slow_exchange)
    errors: list[BaseException] = []

    def build(tag: str) -> None:
        try:
            write_tree(out, {"apigen.json": "{}\n", "x.py": f"X = {tag!r}\n"})
        except BaseException as err:  # (reported below, with the thread's name)
            errors.append(err)

    a = threading.Thread(target=build, args=("A",), name="A")
    b = threading.Thread(target=build, args=("B",), name="B")
    a.start()
    time.sleep(0.15)  # A holds `.git` in its staged tree, sleeping before its swap
    b.start()
    a.join(10)
    b.join(10)
    assert errors == []
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (out / "x.py").read_text() in ("X = 'A'\n", "X = 'B'\n")
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # nothing left beside it


@pytest.mark.parametrize("spelled", ["dot", "absolute"])
def test_the_current_folder_as_the_output_rebuilds(tmp_path: Path, spelled: str) -> None:
    """Helper 210: `-o .` staged the new tree inside the output (`Path(".")` has no name, and
    `.` for a parent), so every later real build refused it as the user's files; the current
    folder spelled another way was swapped out from under the process (the shell left in a
    deleted folder, then "internal error" though the output was written)."""
    spec = tmp_path / "petstore.yaml"
    spec.write_text(PETSTORE.read_text())
    here = tmp_path / "sdk"
    here.mkdir()
    target = "." if spelled == "dot" else str(here)
    env_cache = {"APIGEN_CACHE_DIR": str(tmp_path / "cache")}
    for extra in ([], ["--no-cache"]):
        result = subprocess.run(
            [sys.executable, "-m", "apigen", "build", "../petstore.yaml", "-o", target,
             "--name", "pets", "--quiet", *extra],
            capture_output=True, text=True, cwd=here, timeout=300, check=False,
            env={**os.environ, **env_cache},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "internal error" not in result.stderr
    spec.write_text(PETSTORE.read_text().replace("title:", "title: Changed", 1))
    result = apigen("build", "../petstore.yaml", "-o", target, "--name", "pets", cwd=here)
    assert result.returncode == 0, result.stderr
    assert (here / "pets" / "__init__.py").is_file() and (here / "apigen.json").is_file()
    assert not [p for p in here.iterdir() if "apigen-" in p.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "petstore.yaml", "sdk"]


def test_a_leftover_inside_an_output_written_in_place_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Helper 210: a build killed while writing in place (a mount point, the current folder)
    left its hidden staging folder inside the output; later builds never said so."""
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / ".apigen-new-abcd1234" / "pkg").mkdir(parents=True)
    monkeypatch.chdir(out)  # the current folder: written in place
    write_tree(out, {**FILES, "pkg/__init__.py": "X = 2\n"})
    err = capsys.readouterr().err
    assert ".apigen-new-abcd1234 was left by an interrupted build" in err
    assert (out / ".apigen-new-abcd1234").is_dir()  # said, never deleted
    assert (out / "pkg" / "__init__.py").read_text() == "X = 2\n"


def test_a_lock_the_file_system_refuses_leaves_the_swap_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: on NFS, `flock` of a folder opened to read fails (EBADF); that failed every
    rebuild ("cannot write the output"). The lock is advisory: the swap goes on."""
    import fcntl

    def refuse(fd: int, operation: int) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    out = tmp_path / "out"
    write_tree(out, FILES)
    monkeypatch.setattr(fcntl, "flock", refuse)
    assert write_tree(out, {**FILES, "pkg/__init__.py": "X = 3\n"})
    assert (out / "pkg" / "__init__.py").read_text() == "X = 3\n"


def test_a_current_folder_inside_the_output_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: `cd out/pkg`, then a build of `out`, left the shell in a deleted folder."""
    out = tmp_path / "out"
    write_tree(out, FILES)
    monkeypatch.chdir(out / "pkg")
    write_tree(out, {**FILES, "pkg/__init__.py": "X = 4\n"})
    assert "is inside the output" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
