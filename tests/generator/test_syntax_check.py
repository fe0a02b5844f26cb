"""The compile check that runs in a second process while the client renders (syntax_check.py):
every generated `.py` file is compiled before anything is written, whatever the child saw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen import pipeline
from apigen.format import GeneratedCodeError
from apigen.syntax_check import BackgroundSyntaxCheck

SPEC = Path(__file__).parent / "specs" / "model-shapes.yaml"


def test_a_file_that_does_not_compile_is_named_with_its_line() -> None:
    check = BackgroundSyntaxCheck()
    files = {"pkg/ok.py": "x = 1\n", "pkg/bad.py": 'x = 1\ny = """\n', "README.md": "y = (\n"}
    try:
        for rel, text in files.items():
            check.add(rel, text)
        with pytest.raises(GeneratedCodeError) as info:
            check.wait(files)
    finally:
        check.close()
    message = str(info.value)
    assert "pkg/bad.py line 2" in message, message
    assert "ok.py" not in message and "README" not in message, message


def test_files_the_child_never_saw_are_compiled_here() -> None:
    check = BackgroundSyntaxCheck()
    check.add("pkg/a.py", "x = 1\n")
    files = {"pkg/a.py": "x = (\n", "pkg/b.py": "def f(:\n"}  # a.py replaced, b.py never added
    try:
        with pytest.raises(GeneratedCodeError) as info:
            check.wait(files)
    finally:
        check.close()
    message = str(info.value)
    assert "pkg/a.py line 1" in message and "pkg/b.py line 1" in message, message
    assert message.index("pkg/a.py") < message.index("pkg/b.py")  # in path order


def test_valid_files_pass_and_close_stops_the_child() -> None:
    check = BackgroundSyntaxCheck()
    files = {f"pkg/m{i}.py": f"x{i} = {i}\n" * 5000 for i in range(40)}  # several batches
    for rel, text in files.items():
        check.add(rel, text)
    check.wait(files)
    check.close()
    check.close()  # idempotent


def test_a_build_abandoned_before_wait_leaves_no_child() -> None:
    check = BackgroundSyntaxCheck()
    process: Any = check._process  # the child (Linux forks one)
    assert process is not None and process.is_alive()
    check.add("pkg/a.py", "x = 1\n")
    check.close()
    assert not process.is_alive()


def test_broken_render_fails_the_build_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render = pipeline.render_api

    def broken(*args: Any, **kwargs: Any) -> dict[str, str]:
        files = render(*args, **kwargs)
        kwargs["on_file"]("shapes/models/broken.py", "class X(:\n")
        return {**files, "shapes/models/broken.py": "class X(:\n"}

    monkeypatch.setattr(pipeline, "render_api", broken)
    out = tmp_path / "shapes"
    with pytest.raises(GeneratedCodeError) as info:
        pipeline.build(SPEC, out)
    assert "shapes/models/broken.py line 1" in str(info.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder left either
