"""Issue 11: every generated module is one a reviewer can open (at most 3,000 lines), and lines
run past the line length only where nothing can be split (a URL, a long identifier, a table row)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

MAX_LINES = 3_000
LINE_LENGTH = 100  # pyproject.toml [tool.ruff] line-length, which the generated code follows
# A long line is unavoidable when it holds one token ruff cannot break: a URL or a Markdown
# link target, a long word (identifier, path), a string literal, or a Markdown table row.
_UNSPLITTABLE = re.compile(
    r"https?://\S{20,}|\]\([^)\s]{30,}|\S{50,}|\w{40,}|^\s*\|.*\|\s*$|\"[^\" ]{40,}\""
)

_PRAGMA = re.compile(r"\s+# (?:pyright|type): ignore\[[\w, ]+\]$")


def _sources(root: Path, name: str) -> list[Path]:
    return sorted(p for p in (root / name).rglob("*.py") if "_runtime" not in p.parts)


@pytest.mark.parametrize("name", ["petstore", "stripe", "github"])
def test_no_generated_module_over_3000_lines(built: dict[str, Path], name: str) -> None:
    sizes = {p: p.read_text().count("\n") for p in _sources(built[name], name)}
    assert sizes, f"nothing generated for {name}"
    over = {str(p.relative_to(built[name])): n for p, n in sizes.items() if n > MAX_LINES}
    assert not over, over


@pytest.mark.parametrize("name", ["petstore", "stripe", "github"])
def test_long_lines_only_where_nothing_can_be_split(built: dict[str, Path], name: str) -> None:
    total = 0
    splittable: list[str] = []
    for path in _sources(built[name], name):
        lines = path.read_text().split("\n")
        total += len(lines)
        for number, line in enumerate(lines, 1):
            code = _PRAGMA.sub("", line)  # as ruff measures: a pragma comment does not count
            if len(code) > LINE_LENGTH and not _UNSPLITTABLE.search(code):
                splittable.append(f"{path.name}:{number}: {line.strip()[:90]}")
    assert total > 1_000
    assert not splittable, splittable[:10]
