"""Check and format generated code: compile every file, then ruff, isolated from any config.

Every generated `.py` file is compiled before ruff sees it, so a rendering bug (a bad escape, an
unterminated string) is reported with the generated file and line rather than as a formatter
failure; when ruff itself fails, its own message is passed on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


class GeneratedCodeError(OutputError):
    """apigen produced code that does not compile or format (a generator bug, clearly located)."""


def check_syntax(root: Path) -> None:
    """Compile every Python file under `root`; the first error names the file and line."""
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        try:
            compile(source, str(path), "exec", dont_inherit=True)
        except SyntaxError as err:
            line = (err.text or "").rstrip("\n")
            problems.append(
                f"{path.relative_to(root).as_posix()} line {err.lineno}: {err.msg}"
                + (f"\n    {line}" if line else "")
            )
    if problems:
        raise GeneratedCodeError(
            "apigen generated invalid Python (a bug in apigen, please report it):\n"
            + "\n".join(problems[:20])
        )


def format_tree(root: Path) -> None:
    """Compile, then sort imports and format every Python file under `root` in place."""
    check_syntax(root)
    ruff = [sys.executable, "-m", "ruff"]
    for command in (
        [
            *ruff,
            "check",
            *_ARGS,
            "--select",
            "I,F401",
            "--fix",
            "--exit-zero",
            str(root),
        ],
        [*ruff, "format", *_ARGS, str(root)],  # not --quiet: it would hide ruff's errors too
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            output = "\n".join(s.strip() for s in (result.stderr, result.stdout) if s.strip())
            raise GeneratedCodeError(
                f"ruff failed on generated code (exit {result.returncode}): "
                f"{output or 'no message'}"
            )
