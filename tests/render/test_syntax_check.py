"""The compile check on both cores (syntax_check.py): every generated `.py` file is compiled
before anything is written, by a forked child while rendering goes on and by this process once
it is done, whatever happens to the child."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from multiprocessing.connection import Connection
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


def _broken(files: dict[str, str]) -> set[str]:
    """The paths `check_files` names as not compiling."""
    with pytest.raises(GeneratedCodeError) as info:
        check_files(files)
    return {rel for rel in files if f"{rel} line" in str(info.value)}


def test_a_child_that_gives_no_answer_has_its_files_compiled_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def silent(requests: int, unused: int, answer: Connection) -> None:
        answer.close()  # dies without an answer (and without reading anything)

    monkeypatch.setattr(syntax_check, "_serve", silent)
    files = _many({"pkg/a.py": "def f(:\n", "pkg/b.py": "class X(:\n"})
    assert _broken(files) == {"pkg/a.py", "pkg/b.py"}


def test_a_child_that_answers_for_fewer_files_has_them_compiled_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An answer counts the files the child compiled: "no problem" for fewer than it was sent
    is no answer."""

    def lazy(requests: int, unused: int, answer: Connection) -> None:
        os.close(unused)
        with os.fdopen(requests, "rb") as stream:
            stream.read()  # everything, compiled nothing
        answer.send((0, []))

    monkeypatch.setattr(syntax_check, "_serve", lazy)
    assert _broken(_many({"pkg/a.py": "def f(:\n", "pkg/b.py": "class X(:\n"})) == {
        "pkg/a.py",
        "pkg/b.py",
    }


def test_a_child_killed_while_files_are_rendered_has_them_compiled_here() -> None:
    files = _many({"pkg/a.py": "def f(:\n", "pkg/z.py": "class X(:\n"})
    with syntax_check.Checker() as checker:
        child = checker._child
        assert child is not None
        checker.add("pkg/a.py", files["pkg/a.py"])  # sent before it dies
        os.kill(child.process.pid, signal.SIGKILL)
        child.process.join()
        for rel, text in files.items():
            checker.add(rel, text)  # a broken pipe: kept here
        with pytest.raises(GeneratedCodeError) as info:
            checker.finish(files)
    message = str(info.value)
    assert "pkg/a.py line 1" in message and "pkg/z.py line 1" in message, message


def test_what_a_slow_child_was_not_sent_is_compiled_here_from_the_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More than the pipe holds while the child is busy: this process compiles the files it
    could not send (from the last), the child the rest; problems in both parts are found."""
    serve = syntax_check._serve

    def slow(requests: int, unused: int, answer: Connection) -> None:
        time.sleep(0.3)
        serve(requests, unused, answer)

    here: list[str] = []
    real = syntax_check.compile_problems

    def counting(sources: list[tuple[str, str]]) -> list[tuple[str, str]]:
        here.extend(rel for rel, _ in sources)  # this process's (a forked child's are its own)
        return real(sources)

    monkeypatch.setattr(syntax_check, "_serve", slow)
    big = "x = 1\n" * 20_000  # 120 kB: the pipe (512 kB) holds four
    files = {f"pkg/m{i:02}.py": big for i in range(20)}
    files["pkg/m00.py"] = "def f(:\n" + big
    files["pkg/m19.py"] = big + "class X(:\n"
    monkeypatch.setattr(syntax_check, "compile_problems", counting)
    assert _broken(files) == {"pkg/m00.py", "pkg/m19.py"}
    assert "pkg/m19.py" in here and "pkg/m00.py" not in here, here
    assert len(here) == len(set(here)) < len(files)


def test_the_child_is_stopped_when_the_build_fails_meanwhile() -> None:
    with pytest.raises(RuntimeError), syntax_check.Checker() as checker:
        checker.add("pkg/a.py", "x = 1\n")
        child = checker._child
        raise RuntimeError("rendering failed")
    assert child is not None and not child.process.is_alive()
    assert multiprocessing.active_children() == []


def test_without_fork_everything_is_compiled_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(syntax_check.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with syntax_check.Checker() as checker:
        assert checker._child is None
    assert _broken(_many({"pkg/a.py": "def f(:\n", "pkg/b.py": "class X(:\n"})) == {
        "pkg/a.py",
        "pkg/b.py",
    }
    compiled: list[str] = []
    real = syntax_check.compile_problems

    def counting(sources: list[tuple[str, str]]) -> list[tuple[str, str]]:
        compiled.extend(rel for rel, _ in sources)
        return real(sources)

    monkeypatch.setattr(syntax_check, "compile_problems", counting)
    out = tmp_path / "shapes"
    pipeline.build(SPEC, out)  # a whole build, in this process; the runtime compiled once
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.py"))
    assert sorted(compiled) == written and any("/_runtime/" in rel for rel in written)


def test_a_nul_character_is_a_problem_not_a_crash() -> None:
    with pytest.raises(GeneratedCodeError) as info:
        check_files(_many({"pkg/a.py": "x = '\0'\n"}))
    assert "pkg/a.py" in str(info.value)


def test_a_file_compiled_while_rendering_fails_the_build_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first file rendered does not compile: the child finds it while the others are being
    rendered; the build fails as any, nothing written, no child left."""
    render_files = apigen.render._render_files
    added: list[str] = []
    add = syntax_check.Checker.add

    def broken(*args: Any) -> Any:
        yield "shapes/models/broken.py", "class X(:\n"
        yield from render_files(*args)

    def spy(self: syntax_check.Checker, rel: str, text: str) -> None:
        added.append(rel)
        add(self, rel, text)

    monkeypatch.setattr(apigen.render, "_render_files", broken)
    monkeypatch.setattr(syntax_check.Checker, "add", spy)
    out = tmp_path / "shapes"
    with pytest.raises(GeneratedCodeError) as info:
        pipeline.build(SPEC, out)
    assert "shapes/models/broken.py line 1" in str(info.value)
    rendered = [rel for rel in added if "/_runtime/" not in rel]  # those are added before
    assert rendered[0] == "shapes/models/broken.py" and len(rendered) > 10  # one by one
    assert list(tmp_path.iterdir()) == []  # no output, no staging folder
    assert multiprocessing.active_children() == []


def test_broken_render_fails_the_build_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file `render_api` returns without handing it to `on_file` is compiled all the same."""
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
