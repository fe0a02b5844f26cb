"""Check and format generated code: compile every file, then ruff, isolated from any config.

Every generated `.py` file is compiled before ruff sees it, so a rendering bug (a bad escape,
an unterminated string) is reported with the generated file and line rather than as a formatter
failure; when ruff itself fails, its own message is passed on. A build compiles the rendered
text before writing anything (syntax_check.py, on both cores) and then only runs ruff here.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .write import OutputError

# --no-cache: no `.ruff_cache/` left in the user's working directory. The vendored runtime
# (`<package>/_runtime/`) stays a verbatim copy of runtime/apigen_runtime.
_ARGS = (
    "--isolated",
    "--no-cache",
    "--extend-exclude",
    "_runtime",
    "--line-length",
    "100",
    "--target-version",
    "py311",
)

# The import pass: sort imports, drop unused ones, nothing else.
_IMPORTS = (*_ARGS, "--select", "I,F401", "--fix", "--exit-zero")


class GeneratedCodeError(OutputError):
    """apigen produced code that does not compile or format (a generator bug, clearly located)."""


def compile_problems(sources: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(relative path, message) for each source that does not compile."""
    problems: list[tuple[str, str]] = []
    for rel, source in sources:
        try:
            compile(source, rel, "exec", dont_inherit=True)
        except SyntaxError as err:
            line = (err.text or "").rstrip("\n")
            problems.append(
                (rel, f"{rel} line {err.lineno}: {err.msg}" + (f"\n    {line}" if line else ""))
            )
        except ValueError as err:  # a NUL character (a SyntaxError from Python 3.12 on)
            problems.append((rel, f"{rel}: {err}"))
    return problems


def raise_problems(problems: Iterable[tuple[str, str]], overlay: Path | None = None) -> None:
    """A `GeneratedCodeError` listing the problems (in path order), if there are any; with a
    template `overlay` in use, its templates are the first suspects (a helper's review: an
    overlay's own typo was reported as apigen's bug, naming no overlay)."""
    ordered = sorted(problems, key=lambda p: (PurePosixPath(p[0]), p[1]))
    if ordered:
        who = (
            f"with the template overlay {overlay} (check its templates; without it, a bug in"
            " apigen: please report it)"
            if overlay is not None
            else "(a bug in apigen, please report it)"
        )
        raise GeneratedCodeError(
            f"apigen generated invalid Python {who}:\n"
            + "\n".join(message for _, message in ordered[:20])
        )


def check_syntax(root: Path) -> None:
    """Compile every Python file under `root`; the first error names the file and line."""
    sources = (
        (path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
        for path in root.rglob("*.py")
    )
    raise_problems(compile_problems(sources))


def _ruff() -> list[str]:
    """The ruff executable itself: `python -m ruff` would start an interpreter only to exec it."""
    try:
        from ruff import find_ruff_bin  # type: ignore[import-untyped, unused-ignore]

        return [find_ruff_bin()]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "ruff"]


def _run(command: list[str]) -> None:
    """Run ruff; its own message when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = "\n".join(s.strip() for s in (result.stderr, result.stdout) if s.strip())
        raise GeneratedCodeError(
            f"ruff failed on generated code (exit {result.returncode}): {output or 'no message'}"
        )


def format_tree(root: Path, *, compiled: bool = False, sort_imports: bool = True) -> None:
    """Compile, then sort imports and format every Python file under `root` in place.

    `compiled`: every file has been compiled already (syntax_check.py), so ruff alone runs.
    `sort_imports=False`: the files' imports are already in isort's order and all used (the
    built-in templates write them so, render/isort.py), so only the formatter runs."""
    if not compiled:
        check_syntax(root)
    ruff = _ruff()
    if sort_imports:
        _run([*ruff, "check", *_IMPORTS, str(root)])
    _run([*ruff, "format", *_ARGS, str(root)])  # not --quiet: it would hide ruff's errors too
