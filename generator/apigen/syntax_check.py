"""Compile the generated sources on both cores: half in a forked child, half here.

Compiling every generated file (format.py) costs about as much CPU as rendering it. The child
is forked once the files are rendered, so it inherits them (nothing is pickled or piped but its
answer); each process compiles half, by size. Without `fork` (Windows, macOS's default), or
should the child give no answer, its half is compiled here: every `.py` file is compiled before
anything is written, whatever happens to the child. A file whose exact text compiled on an
earlier build is not compiled again (compile_cache.py): a warm build compiles only what changed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from . import compile_cache
from .format import compile_problems, raise_problems

_Sources = list[tuple[str, str]]  # (relative path, source)


def _worker(sources: _Sources, conn: Connection) -> None:
    conn.send(compile_problems(sources))
    conn.close()


def _halves(sources: _Sources) -> tuple[_Sources, _Sources]:
    """Two halves of about the same size (largest first, dealt in turn)."""
    sources = sorted(sources, key=lambda item: (-len(item[1]), item[0]))
    return sources[0::2], sources[1::2]


def check_files(files: Mapping[str, str]) -> None:
    """Raise `GeneratedCodeError` unless every `.py` file of `files` compiles (or compiled
    before, byte for byte); remember the ones that do."""
    digests = {
        rel: compile_cache.digest(text) for rel, text in files.items() if rel.endswith(".py")
    }
    known = compile_cache.known()
    _compile([(rel, files[rel]) for rel, d in digests.items() if d not in known])
    if not known.issuperset(digests.values()):
        compile_cache.remember(digests.values(), known)


def _compile(sources: _Sources) -> None:
    """Compile `sources` on both cores; raise when any does not compile."""
    mine, theirs = _halves(sources)
    if not theirs or "fork" not in multiprocessing.get_all_start_methods():
        raise_problems(compile_problems([*mine, *theirs]))
        return
    ctx: Any = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(theirs, sender), name="apigen-compile", daemon=True)
    process.start()
    sender.close()
    answer: list[tuple[str, str]] | None = None
    try:
        problems = compile_problems(mine)
        try:
            answer = receiver.recv()
        except (EOFError, OSError):
            answer = None
    finally:
        receiver.close()
        if answer is None and process.is_alive():
            process.kill()  # interrupted, or the answer was lost
        process.join()
    if answer is None:
        answer = compile_problems(theirs)
    raise_problems([*problems, *answer])
