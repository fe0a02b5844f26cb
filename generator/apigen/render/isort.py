"""Import statements in the order ruff's isort rules (`I001`, default settings) put them.

A build used to run `ruff check --select I,F401 --fix` over every generated file before
`ruff format` (~0.25 s CPU on GitHub): the templates now write each import block already in
that order, so only the formatter runs (format.py). The rules, as ruff applies them:

- straight imports (`import x`) before from-imports (`from x import y`);
- modules: relative ones furthest first (`..` before `.`), then by name case-insensitively,
  then case-sensitively, in natural order (`part_2` before `part_10`);
- a from-import's names: constants (`TYPE_CHECKING`), then classes (`Any`), then the rest;
  each group case-insensitively then case-sensitively, in natural order;
- from-imports of one module are one statement, except `as` imports (their own statements).

tests/render/test_isort.py checks rendered clients against ruff itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

__all__ = ["member_key", "module_order", "sort_block"]

_STRAIGHT = re.compile(r"import ([\w.]+)(?: as (\w+))?(\s+#.*)?")
_FROM = re.compile(r"from (\.*)([\w.]*) import ([\w ,]+?)(\s+#.*)?")
_DIGITS = re.compile(r"\d+")
_HAS_DIGIT = re.compile(r"\d")

_Key = tuple[object, ...]


@cache
def _natural(text: str) -> str:
    """A string that sorts as natord (ruff's natural order) orders `text`. natord compares two
    digit runs as numbers (the longer run, then the first different digit) unless either
    starts with `0`; then it compares them left-aligned, digit by digit, the run that ends
    first being the smaller (`A00` < `A01` < `A1` < `A2` < `A10`). So a run starting with `0`
    becomes `00`, its digits and `/` (below any digit), and any other run `0`, a character for
    its length and its digits: every `0`-run sorts before every other run. Runs start with
    `0` either way, and digits sort below letters and `_` and above `.`, so a run keeps its
    place against any other character."""
    if not _HAS_DIGIT.search(text):
        return text
    return _DIGITS.sub(_run, text)


def _run(match: re.Match[str]) -> str:
    digits = match.group()
    if digits[0] == "0":
        return "00" + digits + "/"
    return "0" + chr(0x30 + len(digits)) + digits


def export_key(name: str) -> tuple[int, str]:
    """Where `name` goes in an `__all__` list, as ruff's RUF022 sorts one: constants, then
    classes, then the rest, each in natural order, case kept (`AA` before `A_`)."""
    return _member_type(name), _natural(name)


def _member_type(name: str) -> int:
    """0 constant (`TYPE_CHECKING`, `V2`), 1 class (`Any`), 2 anything else (`field`)."""
    if len(name) > 1 and not any(c.islower() for c in name) and any(c.isupper() for c in name):
        return 0
    return 1 if name[:1].isupper() else 2


@cache
def member_key(name: str) -> _Key:
    """Where `name` goes among the names of one from-import (`x as y`: by `x`, then `y`)."""
    base, _, alias = name.partition(" as ")
    return (
        base != "*",
        _member_type(base),
        _natural(base.lower()),
        _natural(base),
        (0,) if not alias else (1, _natural(alias)),
    )


def _module_key(level: int, module: str, first: _Key | None, alias: str | None) -> _Key:
    return (
        -level,
        bool(module),
        _natural(module.lower()),
        _natural(module),
        (0,) if first is None else (1, first),
        (0,) if alias is None else (1, _natural(alias)),
    )


def sort_block(lines: Iterable[str]) -> list[str]:
    """The import statements of one section (or of one `if TYPE_CHECKING:` block), one per
    line, in isort's order: from-imports of one module merged, names sorted. Only the forms the
    templates write are understood; any other line is a bug in apigen (ValueError)."""
    straight: list[tuple[_Key, str]] = []
    merged: dict[tuple[str, str], set[str]] = {}
    single: list[tuple[_Key, str]] = []  # `as` imports and commented lines stay as they are
    for line in lines:
        if m := _STRAIGHT.fullmatch(line):
            straight.append((_module_key(0, m.group(1), None, m.group(2)), line))
        elif m := _FROM.fullmatch(line):
            dots, module, names, comment = m.groups()
            parts = [n.strip() for n in names.split(",") if n.strip()]
            if comment or any(" as " in n for n in parts):
                ordered = sorted(parts, key=member_key)
                key = _module_key(len(dots), module, member_key(ordered[0]), None)
                single.append(
                    (key, f"from {dots}{module} import {', '.join(ordered)}{comment or ''}")
                )
            else:
                merged.setdefault((dots, module), set()).update(parts)
        else:
            raise ValueError(f"not an import apigen writes: {line!r}")
    froms = list(single)
    for (dots, module), names in merged.items():
        ordered = sorted(names, key=member_key)
        key = _module_key(len(dots), module, member_key(ordered[0]), None)
        froms.append((key, f"from {dots}{module} import {', '.join(ordered)}"))
    return [line for _, line in sorted(straight)] + [line for _, line in sorted(froms)]


def module_order(modules: Iterable[str], level: int = 1) -> list[str]:
    """Module names (relative, `level` dots) in the order isort puts `from <dots><module>
    import *` lines (the lazy packages' `TYPE_CHECKING` block)."""
    star = member_key("*")
    return sorted(modules, key=lambda m: _module_key(level, m, star, None))
