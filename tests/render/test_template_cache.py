"""Compiled templates are kept (`render._TemplateCache`, Jinja's bytecode cache), as Python keeps
`__pycache__`: a fresh process's build compiled the 11 templates again (~90 ms on the main
process's path). An edited template is compiled again; a folder that cannot be written costs
only the time."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from apigen.render import _template_cache, _TemplateCache  # pyright: ignore[reportPrivateUsage]


def _environment(templates: Path, cache: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=_TemplateCache(str(cache))
    )


def test_a_compiled_template_is_reused_and_an_edited_one_recompiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "t.jinja").write_text("{{ a }}-1")
    assert _environment(templates, cache).get_template("t.jinja").render(a="x") == "x-1"
    assert len(list(cache.iterdir())) == 1
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, *args: object, **kwargs: object) -> object:
        compiled.append(source)
        return original(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert _environment(templates, cache).get_template("t.jinja").render(a="y") == "y-1"
    assert compiled == []  # read back, not compiled
    (templates / "t.jinja").write_text("{{ a }}-2")
    assert _environment(templates, cache).get_template("t.jinja").render(a="z") == "z-2"
    assert compiled == ["{{ a }}-2"]


def test_an_unwritable_folder_only_costs_the_time(tmp_path: Path) -> None:
    templates, blocker = tmp_path / "templates", tmp_path / "a-file"
    templates.mkdir()
    blocker.write_text("")  # the cache folder's parent is a file: nothing can be written
    (templates / "t.jinja").write_text("{{ a }}")
    env = _environment(templates, blocker / "cache")
    assert env.get_template("t.jinja").render(a="x") == "x"


def test_the_cache_sits_beside_the_templates_not_in_them(tmp_path: Path) -> None:
    """A wheel built from a checkout ships the templates folder whole."""
    templates = tmp_path / "templates"
    templates.mkdir()
    assert Path(_template_cache(templates).directory) == tmp_path / "__jinjacache__"
