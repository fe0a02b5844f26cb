"""Compile the generated sources in a second process while this one goes on rendering.

Compiling every generated file (format.py) costs as much as rendering it; in a child on the
machine's other core it costs no wall time. Each source goes to the child as soon as it is
rendered (a feeder thread does the blocking pipe writes); the child answers with the problems
it found. Nothing is written before `wait` has seen every `.py` file of the output compile:
files the child did not see (or all of them, without `fork` or should the child die) are
compiled here.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from .format import compile_problems, raise_problems

_Batch = list[tuple[str, str]] | None  # (relative path, source)...; None ends the stream
_BATCH_CHARS = 1 << 18  # sent in batches: fewer thread switches than a message per file


def _worker(conn: Connection) -> None:
    problems: list[tuple[str, str]] = []
    while (batch := conn.recv()) is not None:
        problems.extend(compile_problems(batch))
    conn.send(problems)
    conn.close()


class BackgroundSyntaxCheck:
    """`add` each rendered file, then `wait` for the verdict on all of them; `close` (always,
    e.g. in a `finally`) stops the child of a build that failed before `wait`."""

    def __init__(self) -> None:
        self._sent: dict[str, str] = {}  # what the child was given to compile
        self._queue: queue.SimpleQueue[_Batch] = queue.SimpleQueue()
        self._batch: list[tuple[str, str]] = []
        self._batch_chars = 0
        self._conn: Connection | None = None
        self._process: Any = None
        self._feeder: threading.Thread | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return  # everything is compiled in `wait`
        ctx: Any = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(
            target=_worker, args=(child,), name="apigen-compile", daemon=True
        )
        self._process.start()
        child.close()
        self._feeder = threading.Thread(target=self._feed, name="apigen-compile-feed", daemon=True)
        self._feeder.start()

    def add(self, rel: str, text: str) -> None:
        if self._feeder is not None and rel.endswith(".py"):
            self._sent[rel] = text
            self._batch.append((rel, text))
            self._batch_chars += len(text)
            if self._batch_chars >= _BATCH_CHARS:
                self._queue.put(self._batch)
                self._batch, self._batch_chars = [], 0

    def _feed(self) -> None:
        assert self._conn is not None
        try:
            while True:
                batch = self._queue.get()
                self._conn.send(batch)
                if batch is None:
                    return
        except OSError:  # the child is gone: `wait` compiles what it did not answer for
            return

    def wait(self, files: Mapping[str, str]) -> None:
        """Raise `GeneratedCodeError` unless every `.py` file of `files` compiles."""
        answered = self._answer()
        if answered is None:
            self._sent = {}
            answered = []
        missed = [
            (rel, text)
            for rel, text in files.items()
            if rel.endswith(".py") and self._sent.get(rel) is not text
        ]
        raise_problems([*answered, *compile_problems(missed)])

    def _answer(self) -> list[tuple[str, str]] | None:
        """The child's problems, or None when there is no child or it gave no answer."""
        if self._feeder is None or self._conn is None:
            return None
        if self._batch:
            self._queue.put(self._batch)
        self._queue.put(None)
        self._feeder.join()
        try:
            answer: list[tuple[str, str]] = self._conn.recv()
        except (EOFError, OSError):
            return None
        finally:
            self.close()
        return answer

    def close(self) -> None:
        """Stop the child and the feeder (a no-op once done)."""
        if self._process is not None:
            self._queue.put(None)
            if self._process.is_alive():
                self._process.kill()  # a pending write fails, so the feeder returns
            self._process.join()
            self._process = None
        if self._feeder is not None:
            self._feeder.join()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
