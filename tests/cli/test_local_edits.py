"""Regenerating never loses what a user put in the output (decisions 60).

`apigen build` over a previous output replaced it whole, on success: an edit to a generated
file and a file of the user's (`NOTES.txt` beside the package) were gone without a word. The
manifest now records the SHA-256 of every file apigen wrote (`files`); a build over an output
whose files differ from that record, or that holds files apigen did not write, is refused and
changes nothing, unless `--force`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apigen.cli import main
from apigen.pipeline import build
from apigen.write import LocalChangesError, OutputError, local_changes
from tests.conftest import ROOT

PETSTORE = ROOT / "specs" / "petstore.yaml"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_manifest_records_every_file_as_written(tmp_path: Path) -> None:
    out = tmp_path / "petstore"
    build(PETSTORE, out)
    recorded = json.loads((out / "apigen.json").read_text())["files"]
    written = {rel: data for rel, data in _tree(out).items() if rel != "apigen.json"}
    assert set(recorded) == set(written)
    assert all(hashlib.sha256(written[r]).hexdigest() == d for r, d in recorded.items())
    assert local_changes(out) == ([], [])


def test_an_edit_or_a_file_of_the_user_s_stops_the_build_and_force_overrides(
    tmp_path: Path,
) -> None:
    out = tmp_path / "petstore"
    build(PETSTORE, out)
    client = out / "petstore" / "_client.py"
    client.write_text(client.read_text() + "# my fix\n")
    (out / "NOTES.txt").write_text("mine")
    (out / "petstore" / "__pycache__").mkdir(exist_ok=True)
    (out / "petstore" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"cache")
    before = _tree(out)
    assert local_changes(out) == (["petstore/_client.py"], ["NOTES.txt"])  # the cache is no one's
    with pytest.raises(LocalChangesError) as err:
        build(PETSTORE, out)
    assert "petstore/_client.py" in str(err.value) and "NOTES.txt" in str(err.value)
    assert _tree(out) == before  # nothing written
    result = CliRunner().invoke(main, ["build", str(PETSTORE), "-o", str(out), "--quiet"])
    assert result.exit_code == 1 and "--force" in result.output
    result = CliRunner().invoke(main, ["build", str(PETSTORE), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    # what --force discards is named (a review: nothing was said)
    assert "--force discards 2 file(s) of yours" in result.output
    assert "petstore/_client.py (edited), NOTES.txt" in result.output
    assert "# my fix" not in client.read_text() and not (out / "NOTES.txt").exists()
    assert local_changes(out) == ([], [])


@pytest.mark.parametrize("damage", ["conflict", "not an object", "not UTF-8", "files a list"])
def test_an_unreadable_manifest_stops_the_build_even_with_fresh_names(
    tmp_path: Path, damage: str
) -> None:
    """A helper's install review: a merge conflict in apigen.json made the build refuse with
    "fix or delete it, or pass --fresh-names", and the build with `--fresh-names` discarded the
    user's file and edit (no record left to tell them by). Only `--force` replaces it now."""
    out = tmp_path / "petstore"
    build(PETSTORE, out)
    client = out / "petstore" / "_client.py"
    client.write_text(client.read_text() + "# my fix\n")
    (out / "petstore" / "myhelpers.py").write_text("x = 1\n")
    manifest = out / "apigen.json"
    if damage == "conflict":
        manifest.write_text("<<<<<<< HEAD\n" + manifest.read_text())
    elif damage == "not an object":
        manifest.write_text("[]")
    elif damage == "files a list":  # (a helper's review: read as no record, files discarded)
        data = json.loads(manifest.read_text())
        data["files"] = list(data["files"])
        manifest.write_text(json.dumps(data))
    else:
        manifest.write_bytes(b"\xff" + manifest.read_bytes())
    before = _tree(out)
    for extra in ([], ["--fresh-names"]):
        args = ["build", str(PETSTORE), "-o", str(out), "--quiet", *extra]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert "apigen.json" in result.output and "--force" in result.output
        assert "--fresh-names" not in result.output and "Traceback" not in result.output
        assert _tree(out) == before
    forced = CliRunner().invoke(main, ["build", str(PETSTORE), "-o", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert local_changes(out) == ([], [])


def test_an_output_without_a_record_is_written_as_before(tmp_path: Path) -> None:
    """A previous apigen's output has no `files`: nothing tells an edit from its own file."""
    out = tmp_path / "petstore"
    build(PETSTORE, out)
    manifest = out / "apigen.json"
    data = json.loads(manifest.read_text())
    del data["files"]
    manifest.write_text(json.dumps(data))
    (out / "NOTES.txt").write_text("mine")
    build(PETSTORE, out)
    assert "files" in json.loads(manifest.read_text())


def test_what_post_generate_commands_write_is_recorded_as_the_build_s(tmp_path: Path) -> None:
    out = tmp_path / "out" / "demo"
    (tmp_path / "apigen.toml").write_text(
        f"""[clients.demo]
spec = "{PETSTORE.as_posix()}"
output = "out/demo"
package = "demo"
post_generate = [["{Path(sys.executable).as_posix()}", "-c", "open('post.txt', 'w').write('ran')"]]
"""
    )
    for _ in range(2):  # the second run is not refused: post.txt is the build's
        result = CliRunner().invoke(
            main, ["generate", "--config", str(tmp_path / "apigen.toml"), "--quiet"]
        )
        assert result.exit_code == 0, result.output
    assert local_changes(out) == ([], [])
    assert "post.txt" in json.loads((out / "apigen.json").read_text())["files"]


def test_a_post_generate_command_that_changes_nothing_leaves_the_manifest_alone(
    tmp_path: Path,
) -> None:
    """Helper 176: `post_generate = [["true"]]` rewrote apigen.json at every no-op run."""
    out = tmp_path / "out" / "demo"
    (tmp_path / "apigen.toml").write_text(
        f"""[clients.demo]
spec = "{PETSTORE.as_posix()}"
output = "out/demo"
package = "demo"
post_generate = [["{Path(sys.executable).as_posix()}", "-c", "pass"]]
"""
    )
    stamps: list[int] = []
    for _ in range(2):
        result = CliRunner().invoke(
            main, ["generate", "--config", str(tmp_path / "apigen.toml"), "--quiet"]
        )
        assert result.exit_code == 0, result.output
        stamps.append((out / "apigen.json").stat().st_mtime_ns)
    assert stamps[0] == stamps[1]


def test_a_post_generate_command_that_removes_the_manifest_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "apigen.toml").write_text(
        f"""[clients.demo]
spec = "{PETSTORE.as_posix()}"
output = "out/demo"
package = "demo"
post_generate = [["{Path(sys.executable).as_posix()}", "-c", "import os; os.remove('apigen.json')"]]
"""
    )
    result = CliRunner().invoke(main, ["generate", "--config", str(tmp_path / "apigen.toml")])
    assert result.exit_code == 1
    assert "post_generate: cannot record the files" in result.output


def test_files_listed_in_apigenignore_are_kept_as_they_are(tmp_path: Path) -> None:
    """`.apigenignore` (as `.fernignore`, `.openapi-generator-ignore`): the user's files and
    edits it lists are carried into every build as they are, and refuse nothing."""
    out = tmp_path / "petstore"
    build(PETSTORE, out)
    client = out / "petstore" / "_client.py"
    listed = "# mine\npetstore/_client.py\npetstore/lib/\nNOTES.txt\napigen.json\n"
    (out / ".apigenignore").write_text(listed)  # the manifest is never the user's
    client.write_text(client.read_text() + "# my fix\n")
    (out / "petstore" / "lib").mkdir()
    (out / "petstore" / "lib" / "extra.py").write_text("VALUE = 1\n")
    (out / "NOTES.txt").write_text("mine")
    assert local_changes(out) == ([], [])
    kept = {rel: data for rel, data in _tree(out).items() if "_client" in rel or "lib" in rel}
    result = build(PETSTORE, out, cache=False)
    assert result.unchanged  # nothing but the user's files differs: nothing rewritten
    edited = (out / "petstore" / "_exceptions.py").read_text()
    (out / "petstore" / "_exceptions.py").write_text(edited + "# not listed\n")
    with pytest.raises(LocalChangesError, match=r"_exceptions\.py.*\.apigenignore"):
        build(PETSTORE, out)
    build(PETSTORE, out, force=True)  # discards the unlisted edit, keeps the listed ones
    tree = _tree(out)
    assert {rel: tree[rel] for rel in kept} == kept
    assert tree["NOTES.txt"] == b"mine" and ".apigenignore" in tree
    assert tree["petstore/_exceptions.py"] == edited.encode()
    assert local_changes(out) == ([], [])  # the manifest was rewritten, not carried


def test_a_first_build_takes_a_folder_holding_only_what_apigenignore_lists(
    tmp_path: Path,
) -> None:
    """Helper 176: a new SDK repository (its LICENSE, the spec, listed) was refused as "not
    empty and has no apigen.json"; one file more than listed still is."""
    out = tmp_path / "sdk"
    (out / "spec").mkdir(parents=True)
    spec = out / "spec" / "petstore.yaml"
    spec.write_bytes(PETSTORE.read_bytes())
    (out / "LICENSE").write_text("MIT")
    (out / ".apigenignore").write_text("LICENSE\nspec/\n")
    (out / "stray.txt").write_text("?")
    with pytest.raises(OutputError, match=r"not empty and has no apigen\.json"):
        build(spec, out)
    (out / "stray.txt").unlink()
    build(spec, out)
    assert (out / "LICENSE").read_text() == "MIT" and spec.read_bytes() == PETSTORE.read_bytes()
    assert (out / "apigen.json").is_file() and local_changes(out) == ([], [])


def test_generate_refuses_an_edited_output_unless_forced(tmp_path: Path) -> None:
    config = tmp_path / "apigen.toml"
    config.write_text(
        f'[clients.demo]\nspec = "{PETSTORE.as_posix()}"\noutput = "out/demo"\npackage = "demo"\n'
    )
    run = ["generate", "--config", str(config), "--quiet"]
    assert CliRunner().invoke(main, run).exit_code == 0
    readme = tmp_path / "out" / "demo" / "README.md"
    readme.write_text("mine")
    result = CliRunner().invoke(main, run)
    assert result.exit_code == 1 and "README.md" in result.output
    assert readme.read_text() == "mine"
    assert CliRunner().invoke(main, [*run, "--force"]).exit_code == 0
    assert readme.read_text() != "mine"


def test_a_link_to_a_folder_is_an_entry_of_its_own(tmp_path: Path) -> None:
    """`os.walk` lists a link to a folder among the folders and does not follow it: it was
    neither reported nor kept, and the swap dropped it without a word."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "helpers.py").write_text("X = 1\n")
    out = tmp_path / "petstore"
    build(PETSTORE, out)
    (out / "petstore" / "helpers").symlink_to(shared, target_is_directory=True)
    assert local_changes(out) == ([], ["petstore/helpers"])
    with pytest.raises(LocalChangesError, match="petstore/helpers"):
        build(PETSTORE, out)
    (out / ".apigenignore").write_text("petstore/helpers\n")
    build(PETSTORE, out, force=True)
    link = out / "petstore" / "helpers"
    assert link.is_symlink() and (link / "helpers.py").read_text() == "X = 1\n"
    assert (shared / "helpers.py").exists()  # what it points at is never touched


@pytest.mark.parametrize("in_place", [False, True], ids=["swapped", "written-inside"])
def test_packaging_artifacts_at_the_top_stay_and_a_folder_so_named_deeper_is_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_place: bool
) -> None:
    """A helper's sweep: `dist/`, `build/` and `*.egg-info` counted as caches at any depth, so
    a user's `petstore/build/mycode.py` was discarded without a word, and the swap dropped the
    top-level ones too (`dist/NOTES.txt`). Packaging tools write them at the top only: there
    they are carried across every build; deeper, a folder of that name is the user's."""
    from apigen import write

    out = tmp_path / "petstore"
    build(PETSTORE, out)
    if in_place:  # a mount point's way
        monkeypatch.setattr(write, "_in_place", lambda target: True)
    artifacts = {"dist/NOTES.txt": b"mine", "build/lib/x.py": b"", "p.egg-info/PKG-INFO": b"m"}
    for rel, data in artifacts.items():
        (out / rel).parent.mkdir(parents=True)
        (out / rel).write_bytes(data)
    assert local_changes(out) == ([], [])
    build(PETSTORE, out, force=True, name="petstore")
    assert {rel: (out / rel).read_bytes() for rel in artifacts} == artifacts
    assert local_changes(out) == ([], [])

    (out / "petstore" / "build").mkdir()
    (out / "petstore" / "build" / "mycode.py").write_text("X = 1\n")
    assert local_changes(out) == ([], ["petstore/build/mycode.py"])
    with pytest.raises(LocalChangesError, match=r"petstore/build/mycode\.py"):
        build(PETSTORE, out)


def test_an_output_that_is_a_link_to_a_folder_is_written_through(tmp_path: Path) -> None:
    """The swap replaced the link by a new folder (the folder it named kept the old output)
    and left a `.link.apigen-old-*` link beside it."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    result = build(PETSTORE, link, name="petstore")
    assert link.is_symlink() and (real / "petstore" / "_client.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]
    client = real / "petstore" / "_client.py"
    client.write_text(client.read_text() + "# mine\n")
    with pytest.raises(LocalChangesError):
        build(PETSTORE, link, name="petstore")
    assert result.package == "petstore"


def test_a_linked_output_names_the_package_after_the_link(tmp_path: Path) -> None:
    """A helper's review: `-o sdk`, `sdk` a link to `releases/v2-20240101`, made a package
    `v2_20240101` (named after where the link led); a dangling link failed with "Not a
    directory (.sdk.apigen-new-...)". The package is named as the folder given; a dangling
    link is a clear error naming where it points."""
    from apigen.write import OutputError

    real = tmp_path / "releases" / "v2-20240101"
    real.mkdir(parents=True)
    link = tmp_path / "sdk"
    link.symlink_to(real, target_is_directory=True)
    assert build(PETSTORE, link).package == "sdk"
    assert (real / "sdk" / "_client.py").is_file()
    dangling = tmp_path / "gone"
    dangling.symlink_to(tmp_path / "nowhere", target_is_directory=True)
    with pytest.raises(OutputError, match=r"a link to .*nowhere, which does not exist"):
        build(PETSTORE, dangling)


def test_force_keeps_version_control_and_never_takes_the_spec(tmp_path: Path) -> None:
    """A helper's hostile-input review: `apigen build out/spec.yaml -o out --force` deleted the
    spec it built from, and `out/.git` (an SDK kept in a repository of its own). A spec inside
    the output folder is refused unless `.apigenignore` keeps it; version control's folders
    are carried across every build."""
    from apigen.write import OutputError

    out = tmp_path / "sdk"
    build(PETSTORE, out)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    spec = out / "spec.yaml"
    spec.write_bytes(PETSTORE.read_bytes())
    with pytest.raises(OutputError, match=r"the spec .* is inside the output folder"):
        build(spec, out, force=True)
    assert spec.read_bytes() == PETSTORE.read_bytes()
    (out / ".apigenignore").write_text("spec.yaml\n")
    build(spec, out, force=True)
    assert spec.read_bytes() == PETSTORE.read_bytes()
    spec.unlink()
    (out / ".apigenignore").unlink()
    build(PETSTORE, out)  # no --force needed: .git is nobody's local change
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert local_changes(out) == ([], [])


def test_a_build_without_name_keeps_the_previous_package_and_distribution(tmp_path: Path) -> None:
    """A helper's review: `apigen build spec -o sdk --name zoo_sdk --dist-name acme-zoo`, then
    `apigen build spec -o sdk`, renamed the package `sdk` (deleting `sdk/zoo_sdk/`) and the
    distribution `sdk-apigen-client`; so did rebuilding a moved folder. The previous output's
    names are kept, as its method names are; `--name` or `--fresh-names` choose anew."""
    out = tmp_path / "sdk"
    build(PETSTORE, out, name="zoo_sdk", dist_name="acme-zoo")
    build(PETSTORE, out)
    assert (out / "zoo_sdk" / "__init__.py").is_file() and not (out / "sdk").exists()
    assert 'name = "acme-zoo"' in (out / "pyproject.toml").read_text()
    moved = tmp_path / "elsewhere"
    out.rename(moved)
    build(PETSTORE, moved)
    assert (moved / "zoo_sdk").is_dir()
    build(PETSTORE, moved, name="other")
    assert (moved / "other").is_dir() and not (moved / "zoo_sdk").exists()
    assert 'name = "other-apigen-client"' in (moved / "pyproject.toml").read_text()
    build(PETSTORE, moved, fresh_names=True)
    assert (moved / "elsewhere").is_dir()


def test_only_apigen_s_own_leftovers_are_taken_for_leftovers(tmp_path: Path) -> None:
    """A helper's review: any name with `.apigen-` in it was a leftover of an interrupted
    write, and a user's `notes.apigen-todo.md` was discarded without a word by the next build;
    and what a killed build left beside the output (`.petstore.apigen-new-*`, SIGKILL cannot
    be held) was never mentioned. It is said now, never deleted: killed mid-swap, such a folder
    holds the user's `.git` or the whole previous output (a review of a first cut that deleted
    them once an hour old)."""
    out = tmp_path / "petstore"
    build(PETSTORE, out)
    (out / "notes.apigen-todo.md").write_text("mine")
    assert local_changes(out) == ([], ["notes.apigen-todo.md"])
    (out / "notes.apigen-todo.md").unlink()
    left = tmp_path / ".petstore.apigen-old-x9y8z7w6"
    other = tmp_path / ".other.apigen-new-abc123_z"
    for leftover in (left, other):
        (leftover / ".git").mkdir(parents=True)
        (leftover / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    client = out / "petstore" / "_client.py"
    client.write_text(client.read_text() + "# changed\n")
    result = CliRunner().invoke(main, ["build", str(PETSTORE), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert f"warning: {left} was left by an interrupted build" in result.output
    assert (left / ".git" / "HEAD").exists() and str(other) not in result.output


def test_a_folder_that_cannot_be_listed_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Helper 213: a folder of the output apigen could not list (mode 000, another user's)
    hid its files from the edit check, and the build deleted them, an edit to a generated
    file and a file of the user's, exit 0. (Simulated: this suite may run as root, whom
    modes do not stop.)"""
    import os

    out = tmp_path / "petstore"
    build(PETSTORE, out)
    client = out / "petstore" / "_client.py"
    client.write_text(client.read_text() + "# my fix\n")
    (out / "petstore" / "mine.py").write_text("x = 1\n")
    hidden = os.fspath(out / "petstore")
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == hidden:
            raise PermissionError(13, "Permission denied", hidden)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(LocalChangesError, match="cannot be listed"):
        build(PETSTORE, out)
    monkeypatch.setattr(os, "scandir", real)
    assert "# my fix" in client.read_text() and (out / "petstore" / "mine.py").is_file()
