"""render/isort.py orders import statements exactly as ruff's isort rules do, so a build can
skip ruff's import pass: checked against ruff itself, on drawn and on rendered imports."""

from __future__ import annotations

import keyword
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apigen.format import _ARGS, _ruff
from apigen.render.isort import export_key, member_key, module_order, sort_block
from tests.builds import build_into
from tests.conftest import FIXTURES, ROOT


def ruff_sorted(lines: list[str], tmp: Path) -> list[str]:
    """What `ruff check --select I --fix` makes of `lines` (one block of a module)."""
    path = tmp / "block.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(
        [*_ruff(), "check", *_ARGS, "--select", "I", "--fix", "--exit-zero", str(path)],
        capture_output=True,
        check=True,
    )
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if out and out[-1].endswith(("(", ",")) and line.startswith(("    ", ")")):
            # a statement ruff wrapped (too long for a line): the order is what is compared
            # (`sort_block` never wraps; the formatter does, after), so join it back
            glue = "" if out[-1].endswith("(") or line == ")" else " "
            out[-1] += glue + line.strip()
        elif line:
            out.append(line)
    return [
        line.replace("import (", "import ").replace(",)", "") if line.endswith(",)") else line
        for line in out
    ]


_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and not n.startswith("__")
)
_MODULES = st.from_regex(r"[a-z_][a-z0-9_]{0,5}(\.[a-z_][a-z0-9_]{0,5})?", fullmatch=True).filter(
    lambda m: not any(keyword.iskeyword(part) for part in m.split("."))
)


def test_digit_runs_with_leading_zeros_as_ruff(tmp_path: Path) -> None:
    """natord compares runs starting with `0` left-aligned (`A00` < `A01` < `A1` < `A10`);
    hypothesis found `A1, A00` once."""
    names = ["A1", "A00", "A01", "A10", "A2", "A0_x", "A05", "A0", "B007", "B07", "B7", "b0"]
    lines = [f"from .m1 import {', '.join(names)}", "from .m01 import X", "from .m00x import Y"]
    assert sort_block(lines) == ruff_sorted(lines, tmp_path)
    shuffled = [*lines[::-1]]
    assert sort_block(shuffled) == ruff_sorted(shuffled, tmp_path)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(  # one section: relative imports (the local-folder section the templates write)
        st.tuples(
            st.integers(1, 3), st.just("") | _MODULES, st.lists(_NAMES, min_size=1, max_size=4)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_same_order_as_ruff(
    tmp_path_factory: pytest.TempPathFactory, drawn: list[tuple[int, str, list[str]]]
) -> None:
    lines = [
        f"from {'.' * level}{module} import {', '.join(names)}" for level, module, names in drawn
    ]
    ours = sort_block(lines)
    assert ours == ruff_sorted(lines, tmp_path_factory.mktemp("isort"))


@pytest.mark.parametrize(
    "lines",
    [
        ["from typing import Literal, TYPE_CHECKING, Any, cast"],
        ["from .part_10 import B", "from .part_2 import A", "from .Part_3 import C"],
        [
            "from . import _runtime as _rt  # pyright: ignore[reportPrivateUsage]",
            "from .x import Y",
        ],
        [
            "from ..models.a import A",
            "from .b import B",
            "from ..models.a import Z",
            "from .. import c",
        ],
        ["import uuid as _uuid", "from functools import cached_property", "import datetime as _dt"],
        ["from .m import V2, v2, Value10, Value9, value, VALUE, _private, X"],
    ],
    ids=["member-types", "natural", "as-comment", "levels-merge", "straight-first", "mixed"],
)
def test_cases_the_templates_write(tmp_path: Path, lines: list[str]) -> None:
    assert sort_block(lines) == ruff_sorted(lines, tmp_path)


def test_star_imports_of_a_lazy_package(tmp_path: Path) -> None:
    modules = ["s_max64", "s_max128", "s_max32", "a", "B_x", "b_y"]
    lines = [f"from .{m} import *" for m in module_order(modules)]
    assert lines == ruff_sorted(lines[::-1], tmp_path)


def test_member_order() -> None:
    names = ["value", "Value", "VALUE", "V2", "Part10", "Part9", "A"]
    assert sorted(names, key=member_key) == [
        "V2",
        "VALUE",
        "A",
        "Part9",
        "Part10",
        "Value",
        "value",
    ]


def test_a_line_it_does_not_write_is_refused() -> None:
    with pytest.raises(ValueError, match="not an import apigen writes"):
        sort_block(["x = 1"])


@pytest.mark.slow
@pytest.mark.parametrize(
    "spec",
    [
        ROOT / "specs" / "petstore.yaml",
        FIXTURES / "model-shapes.yaml",
        FIXTURES / "long-running.yaml",
    ],
)
def test_rendered_clients_need_no_import_pass(spec: Path, tmp_path: Path) -> None:
    """A built client (formatter only) has nothing for ruff's `I` and `F401` rules to fix."""
    out = tmp_path / "client"
    build_into(spec, out)
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "I,F401",
            "--line-length",
            "100",
            "--extend-exclude",
            "_runtime",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stdout[-2000:]


def _ruff_all_order(names: list[str], tmp: Path) -> list[str]:
    """What ruff's RUF022 fix makes of `__all__ = names`."""
    path = tmp / "exports.py"
    path.write_text(f"__all__ = {names!r}\n", encoding="utf-8")
    subprocess.run(
        [*_ruff(), "check", *_ARGS, "--select", "RUF022", "--fix", "--exit-zero", str(path)],
        capture_output=True,
        check=True,
    )
    namespace: dict[str, list[str]] = {}
    exec(path.read_text(encoding="utf-8"), namespace)  # a list literal ruff wrote back
    return namespace["__all__"]


@settings(max_examples=60, deadline=None)
@given(names=st.lists(_NAMES.filter(lambda n: n[0].isalpha()), min_size=2, max_size=6, unique=True))
def test_exports_are_in_ruffs_order(
    names: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A model module's and a resource module's `__all__` (a helper's hostile specs: `["Block",
    "TOC"]` failed RUF022, which puts `TOC` first). Class names start with a letter (ruff
    ranks `_A` after `A0`, an import's member order before)."""
    tmp = tmp_path_factory.mktemp("exports")
    assert sorted(names, key=export_key) == _ruff_all_order(names, tmp)


ALL_ORDER = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /blocks:
    get:
      operationId: getBlock
      tags: [API]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Block"}}}
components:
  schemas:
    Block:
      oneOf: [{$ref: "#/components/schemas/TOC"}, {$ref: "#/components/schemas/Para"}]
    TOC:
      type: object
      properties: {entries: {type: array, items: {$ref: "#/components/schemas/Block"}}}
    Para: {type: object, properties: {text: {type: string}}}
"""


def test_a_client_with_upper_case_names_passes_ruffs_export_order(tmp_path: Path) -> None:
    spec = tmp_path / "order.yaml"
    spec.write_text(ALL_ORDER)
    out = tmp_path / "client"
    build_into(spec, out, name="order")
    found = subprocess.run(
        [*_ruff(), "check", *_ARGS, "--select", "RUF022", "--extend-exclude", "_runtime", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 0, found.stdout[-2000:]
