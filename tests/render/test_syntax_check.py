"""The compile check on both cores (syntax_check.py): every generated `.py` file is compiled
before anything is written, half in a forked child, whatever happens to the child."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import apigen.render
from apigen import compile_cache, pipeline, syntax_check
from apigen.format import GeneratedCodeError
from apigen.syntax_check import check_files
from tests.conftest import FIXTURES

SPEC = FIXTURES / "model-shapes.yaml"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh compile cache: what compiled in other tests is compiled again here."""
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _many(bad: dict[str, str]) -> dict[str, str]:
    files = {f"pkg/m{i}.py": f"x{i} = {i}\n" * (i + 1) for i in range(30)}
    return {**files, **bad, "README.md": "y = (\n"}


def test_every_file_that_does_not_compile_is_named_in_path_order() -> None:
    files = _many({"pkg/b.py": 'x = 1\ny = """\n', "pkg/a.py": "def f(:\n" * 50})
    sources = list(files.items())
    assert sorted(r for half in syntax_check._halves(sources) for r, _ in half) == sorted(files)
    with pytest.raises(GeneratedCodeError) as info:
        check_files(files)
    message = str(info.value)
    assert "pkg/a.py line 1" in message and "pkg/b.py line 2" in message, message
    assert message.index("pkg/a.py") < message.index("pkg/b.py")
    assert "m1.py" not in message and "README" not in message, message


def test_valid_files_pass() -> None:
    check_files(_many({}))
    check_files({"one.py": "x = 1\n"})  # too few to share: compiled here
    check_files({})


def test_a_child_that_gives_no_answer_has_its_half_compiled_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def silent(sources: Any, conn: Any) -> None:
        conn.close()  # dies without an answer

    monkeypatch.setattr(syntax_check, "_worker", silent)
    files = _many({"pkg/a.py": "def f(:\n", "pkg/b.py": "class X(:\n"})
    with pytest.raises(GeneratedCodeError) as info:
        check_files(files)
    message = str(info.value)
    assert "pkg/a.py line 1" in message and "pkg/b.py line 1" in message, message


def test_without_fork_everything_is_compiled_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syntax_check.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pytest.raises(GeneratedCodeError) as info:
        check_files(_many({"pkg/a.py": "def f(:\n", "pkg/b.py": "class X(:\n"}))
    assert "pkg/a.py line 1" in str(info.value) and "pkg/b.py line 1" in str(info.value)


def test_broken_render_fails_the_build_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render = apigen.render.render_api

    def broken(*args: Any, **kwargs: Any) -> dict[str, str]:
        return {**render(*args, **kwargs), "shapes/models/broken.py": "class X(:\n"}

    monkeypatch.setattr(apigen.render, "render_api", broken)  # the build imports it when it runs
    out = tmp_path / "shapes"
    with pytest.raises(GeneratedCodeError) as info:
        pipeline.build(SPEC, out)
    assert "shapes/models/broken.py line 1" in str(info.value)
    assert list(tmp_path.iterdir()) == []  # no output, no staging folder


def test_only_sources_that_never_compiled_are_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm build compiles only what changed: the exact text of every file that compiled is
    remembered (compile_cache.py); a file that did not compile never is."""
    compiled: list[str] = []
    real = syntax_check.compile_problems

    def counting(sources: list[tuple[str, str]]) -> list[tuple[str, str]]:
        compiled.extend(rel for rel, _ in sources)
        return real(sources)

    monkeypatch.setattr(syntax_check, "compile_problems", counting)
    monkeypatch.setattr(syntax_check.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    files = _many({})
    check_files(files)
    assert sorted(compiled) == sorted(r for r in files if r.endswith(".py"))
    compiled.clear()
    check_files(files)
    assert compiled == []  # nothing new
    with pytest.raises(GeneratedCodeError):
        check_files({**files, "pkg/m3.py": "x = (\n", "pkg/new.py": "y = 2\n"})
    assert sorted(compiled) == ["pkg/m3.py", "pkg/new.py"]
    compiled.clear()
    with pytest.raises(GeneratedCodeError):  # the failure was not remembered
        check_files({**files, "pkg/m3.py": "x = (\n"})
    assert compiled == ["pkg/m3.py"]
    compiled.clear()
    check_files({**files, "pkg/new.py": "y = 2\n"})  # compiled (not written) the first time
    assert compiled == ["pkg/new.py"]


def test_the_cache_is_keyed_by_the_exact_text_and_interpreter() -> None:
    assert compile_cache.digest("x = 1\n") != compile_cache.digest("x = 1 \n")
    assert compile_cache.digest("x = 1\n") == compile_cache.digest("x = 1\n")
    compile_cache.remember(["a" * 64], [])
    assert compile_cache.known() == {"a" * 64}
    compile_cache.remember([str(i) for i in range(compile_cache.MAX_ENTRIES + 5)], ["old"])
    assert len(compile_cache.known()) == compile_cache.MAX_ENTRIES + 5  # this build's, all


def test_an_unreadable_cache_compiles_everything() -> None:
    compile_cache._cache_file().mkdir()  # a folder where the file should be: unreadable
    assert compile_cache.known() == set()
    check_files(_many({}))  # compiled, and the cache cannot be written: no error
