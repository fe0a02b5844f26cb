"""The build cache (build_cache.py): an identical earlier build's files are reused, and any
change to what the output depends on is a miss."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apigen import build_cache
from apigen.diagnostics import Diagnostic
from apigen.pipeline import build
from tests.builds import load_script
from tests.conftest import FIXTURES, ROOT

PETSTORE = ROOT / "specs" / "petstore.yaml"
RECOVERABLE = FIXTURES / "recoverable.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(folder))
    monkeypatch.delenv("APIGEN_NO_BUILD_CACHE", raising=False)  # tests/conftest.py sets it
    return folder


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "builds").glob("*.bin"))


def test_a_second_identical_build_is_served_from_the_cache(tmp_path: Path, cache: Path) -> None:
    first = build(PETSTORE, tmp_path / "a" / "petstore", cache=True)
    second = build(PETSTORE, tmp_path / "b" / "petstore", cache=True)
    plain = build(PETSTORE, tmp_path / "c" / "petstore")
    assert not first.cached and second.cached and not plain.cached
    assert second.api is None
    assert (second.package, second.operations, second.models, second.files) == (
        first.package,
        first.operations,
        first.models,
        first.files,
    )
    assert tree(tmp_path / "b" / "petstore") == tree(tmp_path / "a" / "petstore")
    assert tree(tmp_path / "c" / "petstore") == tree(tmp_path / "a" / "petstore")
    assert len(entries(cache)) == 1


def test_the_default_library_build_neither_reads_nor_writes_the_cache(
    tmp_path: Path, cache: Path
) -> None:
    build(PETSTORE, tmp_path / "a" / "petstore")
    assert entries(cache) == []


@pytest.mark.parametrize(
    "change",
    [
        {"name": "other"},
        {"version": "9.9.9"},
        {"dist_name": "other-dist"},
        {"runtime": "shared"},
        {"fresh_names": True, "strict": True},
    ],
    ids=["name", "version", "dist_name", "runtime", "strict"],
)
def test_a_changed_option_is_a_miss(tmp_path: Path, cache: Path, change: dict[str, object]) -> None:
    build(PETSTORE, tmp_path / "a" / "petstore", cache=True)
    again = build(PETSTORE, tmp_path / "b" / "petstore", cache=True, **change)  # type: ignore[arg-type]
    assert not again.cached
    assert len(entries(cache)) == 2


def test_a_changed_spec_is_a_miss(tmp_path: Path, cache: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(PETSTORE.read_bytes())
    build(spec, tmp_path / "a" / "petstore", cache=True)
    changed = PETSTORE.read_bytes().replace(b"title: Apigen Petstore", b"title: Apigen Shop", 1)
    assert changed != PETSTORE.read_bytes()
    spec.write_bytes(changed)
    again = build(spec, tmp_path / "b" / "petstore", cache=True)
    assert not again.cached
    assert b"Apigen Shop" in (tmp_path / "b" / "petstore" / "README.md").read_bytes()


def test_the_build_after_a_spec_update_is_served(tmp_path: Path, cache: Path) -> None:
    """A spec update is a miss locked by the old names; the build after it is locked by what
    that build wrote, so it is served (not the second full build in a row it once was)."""
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(PETSTORE.read_bytes())
    out = tmp_path / "a" / "petstore"
    build(spec, out, cache=True)
    spec.write_bytes(PETSTORE.read_bytes().replace(b"title: Apigen Petstore", b"title: Shop", 1))
    updated = build(spec, out, cache=True)
    again = build(spec, out, cache=True)
    assert not updated.cached and again.cached and again.unchanged
    assert b"Shop" in (out / "README.md").read_bytes()


def _multi_file(folder: Path, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schemas.yaml").write_text(
        f"Pet:\n  type: object\n  properties:\n    {title}: {{type: string}}\n",
        encoding="utf-8",
    )
    root = folder / "api.yaml"
    root.write_text(
        "openapi: 3.0.3\ninfo: {title: Multi, version: '1'}\npaths:\n  /pets:\n    get:\n"
        "      operationId: listPets\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: 'schemas.yaml#/Pet'}\n",
        encoding="utf-8",
    )
    return root


def test_a_changed_file_read_through_a_ref_is_a_miss(tmp_path: Path, cache: Path) -> None:
    root = _multi_file(tmp_path / "spec", "nickname")
    build(root, tmp_path / "a" / "multi", cache=True)
    assert build(root, tmp_path / "b" / "multi", cache=True).cached
    _multi_file(tmp_path / "spec", "callsign")  # only the referenced file changes
    again = build(root, tmp_path / "c" / "multi", cache=True)
    assert not again.cached
    models = "".join(p.read_text() for p in (tmp_path / "c" / "multi").rglob("*.py"))
    assert "callsign" in models and "nickname" not in models


def test_a_file_a_ref_missed_that_appears_is_a_miss(tmp_path: Path, cache: Path) -> None:
    """A helper's sweep: built while `later.yaml` was missing (a warning, the schema `Any`),
    the build after the file was written came from the cache, still without the model."""
    root = tmp_path / "spec" / "root.yaml"
    root.parent.mkdir()
    ok = "{description: ok, content: {application/json: {schema: {$ref: 'later.yaml#/Pet'}}}}"
    root.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        f"      operationId: getA\n      responses:\n        '200': {ok}\n"
    )
    first = build(root, tmp_path / "a" / "pets", cache=True)
    assert first.models == 0 and build(root, tmp_path / "b" / "pets", cache=True).cached
    (root.parent / "later.yaml").write_text("Pet: {type: object, properties: {name: {}}}\n")
    again = build(root, tmp_path / "c" / "pets", cache=True)
    assert (again.cached, again.models) == (False, 1)


def test_a_second_build_locked_by_the_first_is_served_as_the_first(
    tmp_path: Path, cache: Path
) -> None:
    """The second build into a folder is locked by the manifest the first wrote there: every
    operation keeps the name it was given, so it is the first build again (served, not
    rebuilt), and says so as a locked build would."""
    out = tmp_path / "a" / "petstore"
    first = build(PETSTORE, out, cache=True)  # no apigen.json yet
    said: list[str] = []
    second = build(PETSTORE, out, cache=True, progress=said.append)
    assert second.cached and second.unchanged
    assert f"kept the names of {first.operations} operations from the existing apigen.json" in said
    rebuilt = tmp_path / "b" / "petstore"
    build(PETSTORE, rebuilt)
    build(PETSTORE, rebuilt)  # the same lock, built for real
    assert tree(out) == tree(rebuilt)


def test_the_method_name_lock_of_the_output_is_part_of_the_key(tmp_path: Path, cache: Path) -> None:
    """A lock that is not what the unlocked build wrote (a name renamed by hand, kept across
    builds) is a miss, and the build keeps that name."""
    out = tmp_path / "a" / "petstore"
    build(PETSTORE, out, cache=True)
    manifest = out / "apigen.json"
    text = manifest.read_text()
    call = json.loads(text)["operations"][0]["call"]
    renamed = call.rpartition(".")[0] + ".renamed_by_hand"
    manifest.write_text(text.replace(f'"{call}"', f'"{renamed}"'))
    second = build(PETSTORE, out, cache=True, force=True)
    assert not second.cached
    assert json.loads(manifest.read_text())["operations"][0]["call"] == renamed
    assert build(PETSTORE, out, cache=True).cached


def test_a_changed_generator_is_a_miss(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(PETSTORE, tmp_path / "a" / "petstore", cache=True)
    monkeypatch.setattr(build_cache, "generator_fingerprint", lambda: "another generator")
    assert not build(PETSTORE, tmp_path / "b" / "petstore", cache=True).cached


def test_the_fingerprint_covers_the_generator_templates_and_runtime() -> None:
    from apigen.bundled import runtime_dir, templates_dir

    fingerprint = build_cache.generator_fingerprint()
    assert len(fingerprint) == 64
    for folder, name in (
        (Path(build_cache.__file__).parent, "pipeline.py"),
        (templates_dir(), "client.py.jinja"),
        (runtime_dir(), "_client.py"),
    ):
        recorder = _Recorder()
        build_cache._tree_stamp(folder, recorder)
        assert any(chunk.startswith(name.encode() + b"\0") for chunk in recorder.seen), folder


def test_a_rewritten_generator_file_changes_its_stamp(tmp_path: Path) -> None:
    """Same name and size, other bytes: the rewrite shows in the stamp (edits, upgrades)."""

    def stamp() -> bytes:
        recorder = _Recorder()
        build_cache._tree_stamp(tmp_path, recorder)
        return b"".join(recorder.seen)

    (tmp_path / "sub").mkdir()
    (tmp_path / "__pycache__").mkdir()
    source = tmp_path / "sub" / "mod.py"
    source.write_text("x = 1\n")
    os.utime(source, ns=(10**18, 10**18))
    (tmp_path / "__pycache__" / "mod.py").write_text("ignored\n")
    (tmp_path / "notes.bin").write_text("ignored\n")
    before = stamp()
    assert before.startswith(b"sub/mod.py\0" + b"6\0") and b"ignored" not in before
    assert b"__pycache__" not in before and b"notes.bin" not in before
    source.write_text("x = 2\n")
    os.utime(source, ns=(10**18 + 1, 10**18 + 1))
    assert stamp() != before
    replacement = tmp_path / "new.py"
    replacement.write_text("x = 1\n")
    os.utime(replacement, ns=(10**18, 10**18))
    os.replace(replacement, source)  # how an installer rewrites: another file, same time
    assert stamp() != before


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[bytes] = []

    def update(self, data: bytes) -> None:
        self.seen.append(data)


def test_findings_are_reported_again_on_a_hit(tmp_path: Path, cache: Path) -> None:
    first: list[Diagnostic] = []
    second: list[Diagnostic] = []
    one = build(RECOVERABLE, tmp_path / "a" / "rec", cache=True, on_diagnostic=first.append)
    two = build(RECOVERABLE, tmp_path / "b" / "rec", cache=True, on_diagnostic=second.append)
    assert two.cached
    assert first and second == first
    assert two.report.items == one.report.items


def test_strict_is_not_served_a_lenient_build(tmp_path: Path, cache: Path) -> None:
    from apigen.diagnostics import SpecError

    build(RECOVERABLE, tmp_path / "a" / "rec", cache=True)
    with pytest.raises(SpecError):
        build(RECOVERABLE, tmp_path / "b" / "rec", cache=True, strict=True)
    assert not (tmp_path / "b" / "rec").exists()


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "empty", "headless"])
def test_a_damaged_entry_is_a_miss_and_is_replaced(
    tmp_path: Path, cache: Path, damage: str
) -> None:
    build(PETSTORE, tmp_path / "a" / "petstore", cache=True)
    [entry] = entries(cache)
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "foreign":
        entry.write_bytes(b"not a cache entry\n" + data)
    elif damage == "empty":  # a mapping of nothing cannot be made
        entry.write_bytes(b"")
    else:  # the magic line, then no end to the header
        entry.write_bytes(data[: data.index(b"\n") + 1] + b'{"sha256": ')
    again = build(PETSTORE, tmp_path / "b" / "petstore", cache=True)
    assert not again.cached
    assert tree(tmp_path / "b" / "petstore") == tree(tmp_path / "a" / "petstore")
    assert build(PETSTORE, tmp_path / "c" / "petstore", cache=True).cached


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(blocker))
    assert not build(PETSTORE, tmp_path / "a" / "petstore", cache=True).cached
    assert not build(PETSTORE, tmp_path / "b" / "petstore", cache=True).cached
    assert (tmp_path / "b" / "petstore" / "apigen.json").is_file()


def _entry(n: int) -> build_cache.Entry:
    return build_cache.Entry(
        {"a.py": f"x = {n}\n".encode()}, {"spec.yaml": "0" * 64}, [], [], "p", 1, 1, 0
    )


def test_only_the_newest_entries_are_kept(cache: Path) -> None:
    keys = [f"{n:064x}" for n in range(build_cache.MAX_ENTRIES + 3)]
    for n, key in enumerate(keys):
        build_cache.store(key, _entry(n))
        os.utime(cache / "builds" / f"{key}.bin", ns=(n * 10**9, n * 10**9))
    assert [p.stem for p in entries(cache)] == sorted(keys[3:])
    loaded = build_cache.load(keys[-1])
    assert loaded is not None and loaded.files == {"a.py": f"x = {len(keys) - 1}\n".encode()}


def test_an_alias_leaves_with_its_entry_and_a_foreign_one_is_a_miss(cache: Path) -> None:
    keys = [f"{n:064x}" for n in range(build_cache.MAX_ENTRIES + 1)]
    for n, key in enumerate(keys):
        build_cache.store(key, _entry(n), aliases=[f"alias{n}"])
        os.utime(cache / "builds" / f"{key}.bin", ns=(n * 10**9, n * 10**9))
    build_cache.store(keys[-1], _entry(len(keys) - 1), aliases=[f"alias{len(keys) - 1}"])
    assert build_cache.load_alias("alias0") is None  # its entry was evicted
    assert not (cache / "builds" / "alias0.alias").exists()
    served = build_cache.load_alias(f"alias{len(keys) - 1}")
    assert served is not None and served.files == {"a.py": f"x = {len(keys) - 1}\n".encode()}
    (cache / "builds" / "foreign.alias").write_text("../../etc/passwd")
    assert build_cache.load_alias("foreign") is None
    assert build_cache.load_alias("absent") is None


def test_the_cli_reuses_a_build_and_no_cache_skips_it(tmp_path: Path, cache: Path) -> None:
    def run(out: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "apigen", "build", str(PETSTORE), "-o", out, *extra],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
            check=False,
            env={**os.environ, "APIGEN_CACHE_DIR": str(cache)},
        )

    first = run("a/petstore")
    second = run("b/petstore")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "reused from the build cache" not in first.stderr
    assert "reused from the build cache" in second.stderr
    assert tree(tmp_path / "a" / "petstore") == tree(tmp_path / "b" / "petstore")
    third = run("c/petstore", "--no-cache")
    assert third.returncode == 0 and "reused from the build cache" not in third.stderr
    assert len(entries(cache)) == 1


def test_the_environment_can_turn_the_cache_off(cache: Path) -> None:
    assert build_cache.enabled(no_cache=False)
    assert not build_cache.enabled(no_cache=True)
    os.environ["APIGEN_NO_BUILD_CACHE"] = "1"
    try:
        assert not build_cache.enabled(no_cache=False)
    finally:
        del os.environ["APIGEN_NO_BUILD_CACHE"]


def test_a_configured_client_is_reused_across_processes(tmp_path: Path, cache: Path) -> None:
    """The key is stable from one process to the next (no set order or id in it), with the
    configuration's options, security schemes and renames."""
    (tmp_path / "apigen.toml").write_text(
        f"""
[clients.pets]
spec = {str(PETSTORE)!r}
output = "out/pets"
idempotency_header = "Idempotency-Key"
headers = {{ "X-Team" = "core" }}

[[clients.pets.security]]
name = "token"
type = "http"
scheme = "bearer"
keyword = "token"
env = "PETS_TOKEN"

[clients.pets.renames.models]
Pet = "Animal"
""",
        encoding="utf-8",
    )

    def generate() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "apigen", "generate"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
            check=False,
            env={**os.environ, "APIGEN_CACHE_DIR": str(cache), "PYTHONHASHSEED": "random"},
        )

    first = generate()
    assert first.returncode == 0, first.stderr
    before = tree(tmp_path / "out" / "pets")
    second = generate()  # the output now holds an apigen.json: a new key, built and stored
    third = generate()
    assert second.returncode == 0 and third.returncode == 0, second.stderr + third.stderr
    assert "reused from the build cache; output unchanged" in third.stderr, third.stderr
    assert tree(tmp_path / "out" / "pets") == before
    models = tmp_path / "out" / "pets" / "pets" / "models"
    assert any("class Animal(" in p.read_text() for p in models.glob("*.py"))


@pytest.mark.parametrize(
    "rel",
    [
        "features/3.0/parameters-extreme.yaml",
        "features/3.0/polymorphism.yaml",
        "features/3.0/petstore-simple-no-tags.yaml",
        "corpus/adyen.com__GrantService-v3.json",
    ],
)
def test_a_build_locked_by_its_own_manifest_is_the_same_build(
    specs_dir: Path, tmp_path: Path, rel: str
) -> None:
    """The ground the alias stands on (a slice of scripts/lock_fixed_point.py, which ran over
    every spec in ../shared/specs: 0 differ)."""
    assert (specs_dir / rel).is_file()  # (differs skips a file that does not build)
    assert load_script("lock_fixed_point").differs(specs_dir / rel, tmp_path) is None


def test_a_spec_from_a_pipe_is_built_uncached(tmp_path: Path, cache: Path) -> None:
    """A helper's hostile-input review: `cat spec.yaml | apigen build /dev/stdin -o out` (and
    `<(curl ...)`) failed with "the top level is empty": the cache key read the pipe first,
    leaving nothing for the load. A spec that is no regular file is not cached."""
    out = tmp_path / "piped"
    done = subprocess.run(
        [sys.executable, "-m", "apigen", "build", "/dev/stdin", "-o", str(out), "--quiet"],
        input=PETSTORE.read_bytes(),
        capture_output=True,
        env={**os.environ, "APIGEN_CACHE_DIR": str(cache)},
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert (out / "apigen.json").is_file() and entries(cache) == []


def test_an_edited_overlay_helper_of_any_name_is_a_miss(tmp_path: Path) -> None:
    """A helper's review: a template overlay's `README.md.jinja` including `_banner.j2`; the
    key hashed only `.jinja`/`.md`/... files, so an edited banner was served the build before
    (only `--no-cache` saw it)."""
    overlay = tmp_path / "tpl"
    overlay.mkdir()
    (overlay / "_banner.j2").write_text("v1")
    first = build_cache.build_key(PETSTORE, {}, overlay)
    (overlay / "_banner.j2").write_text("v2")
    assert build_cache.build_key(PETSTORE, {}, overlay) != first


def test_an_unreadable_overlay_file_is_no_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Helper 213: an unreadable helper file in a template overlay (used by no template)
    failed the cached build with "internal error"; `--no-cache` built. (Simulated: root reads
    any mode.)"""
    overlay = tmp_path / "tpl"
    overlay.mkdir()
    (overlay / "_old.j2").write_text("v1")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "_old.j2":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    first = build_cache.build_key(PETSTORE, {}, overlay)
    monkeypatch.setattr(Path, "read_bytes", real)
    assert build_cache.build_key(PETSTORE, {}, overlay) != first  # readable again: a miss
