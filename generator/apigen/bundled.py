"""The runtime this generator targets: its source files (vendored into every client built with
`--runtime vendored`) and the module itself (introspected for names while building).

In the generator's wheel the runtime ships as `apigen/_runtime/` (pyproject.toml force-includes
`runtime/apigen_runtime` there), so an installed apigen never needs the `apigen-runtime`
distribution; in a checkout it is read from `runtime/apigen_runtime/`.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path
from types import ModuleType

__all__ = [
    "RUNTIME_DEPENDENCIES",
    "RUNTIME_EXTRAS",
    "TYPING_EXTENSIONS",
    "runtime_dir",
    "runtime_files",
    "runtime_module",
    "runtime_requirement",
    "runtime_version",
    "templates_dir",
]

#: What the runtime imports (runtime/pyproject.toml; tests/install checks they agree), which a
#: vendored client depends on instead of `apigen-runtime`. The lower bounds are the oldest
#: releases the runtime and generated clients are tested on (`make min-deps`): pydantic 2.10
#: types `model_fields` as a method for mypy and 2.7-2.9 recurse building the JSON schema of
#: Stripe's large model cycle; the runtime's TLS context and query encoding are httpx 0.28's.
#: The upper bounds are the next major releases (as openai-python's): the runtime reads httpx
#: internals on its fast path, and a pydantic 3 may change what models are.
#: What generated modules import beyond the runtime (pydantic 2.11 needs 4.12.2 itself); the
#: runtime imports it too (`deprecated`), which pydantic's own requirement had hidden.
TYPING_EXTENSIONS = "typing-extensions>=4.12.2"
RUNTIME_DEPENDENCIES = ("httpx>=0.28,<1", "pydantic>=2.11,<3", TYPING_EXTENSIONS)
RUNTIME_EXTRAS = {
    "redis": ("redis>=5",),
    "otel": ("opentelemetry-api>=1.20",),
    "fast": ("httpx-aiohttp>=0.2",),  # AiohttpTransport: async calls on aiohttp's HTTP stack
}


def runtime_dir() -> Path:
    """The folder of the runtime's `*.py` files and `py.typed`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_runtime", here.parent.parent / "runtime" / "apigen_runtime"):
        if (candidate / "__init__.py").is_file():
            return candidate
    raise FileNotFoundError(f"the apigen runtime is missing from {here} (a broken install?)")


def templates_dir() -> Path:
    """Templates ship inside the wheel as `apigen/templates`; in a checkout they are top-level."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("apigen templates not found")


def runtime_files() -> dict[str, str]:
    """The runtime's files by name (`__init__.py`, ..., `py.typed`), as vendored into a client."""
    folder = runtime_dir()
    names = sorted(p.name for p in folder.iterdir() if p.suffix == ".py" or p.name == "py.typed")
    return {name: (folder / name).read_text(encoding="utf-8") for name in names}


@cache
def runtime_module() -> ModuleType:
    """The runtime imported: the wheel's `apigen._runtime`, else `apigen_runtime` (a checkout)."""
    try:
        return importlib.import_module("apigen._runtime")
    except ModuleNotFoundError as err:
        if err.name != "apigen._runtime":
            raise
    return importlib.import_module("apigen_runtime")


def runtime_version() -> str:
    """The runtime's `__version__`, read from its source (no import needed)."""
    text = (runtime_dir() / "_version.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no __version__ in {runtime_dir() / '_version.py'}")
    return found.group(1)


def runtime_requirement() -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The shared runtime a client generated now needs: a `~=`-style range (same minor while
    0.x, same major after), as a PEP 508 requirement and as the (low, high) bounds the
    generated import check compares `apigen_runtime.__version__` with."""
    version = runtime_version()
    parts = tuple(int(p) for p in re.findall(r"\d+", version.split("+")[0])[:3])
    low = (*parts, 0, 0, 0)[:3]
    high = (0, low[1] + 1) if low[0] == 0 else (low[0] + 1,)
    upper = ".".join(map(str, high))
    return f"apigen-runtime>={'.'.join(map(str, low))},<{upper}", low, high
