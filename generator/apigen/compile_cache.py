"""Remember which exact sources compiled: a warm build need not compile them again.

The rule is "every generated file is compiled before it is written". A file whose exact text
(its SHA-256, with the interpreter's version) compiled without error on an earlier build
satisfies it without compiling again: the same bytes compile the same way on the same Python.
Only successes are recorded, in one file of the validation cache folder (`APIGEN_CACHE_DIR`),
replaced atomically; a missing, unreadable or unwritable cache only costs the time to compile.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

from .cache import cache_dir, write_entry

# Bounds the file (~65 bytes an entry): the newest build's digests come first, older ones are
# kept up to this count (several large clients).
MAX_ENTRIES = 40_000
_SALT = f"{sys.implementation.cache_tag}\0{sys.version}\0".encode()


def _cache_file() -> Path:
    return cache_dir() / f"compiled-{sys.implementation.cache_tag}.txt"


def digest(source: str) -> str:
    """The key of one source: its text and the interpreter that compiles it."""
    return hashlib.sha256(_SALT + source.encode("utf-8", "surrogatepass")).hexdigest()


def known() -> set[str]:
    """The digests of sources that compiled before (empty when there is no readable cache)."""
    try:
        return set(_cache_file().read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return set()


def remember(digests: Iterable[str], previous: Iterable[str]) -> None:
    """Record `digests` (this build's, all compiled OK) before up to MAX_ENTRIES `previous`."""
    entries = dict.fromkeys(digests)
    for d in previous:
        if len(entries) >= MAX_ENTRIES:
            break
        entries.setdefault(d)
    write_entry(_cache_file(), "\n".join(entries) + "\n", encoding="ascii")
