"""Compile the generated sources on both cores, while they are still being rendered.

Compiling every generated file costs a little more CPU than rendering it, and the second core
idles while this one renders (validation is done by then). So a `Checker` forks a child before
rendering, and each `.py` file goes down a pipe to it as soon as it is rendered; the child
compiles them in turn. The pipe is written without blocking: when the child falls behind, the
files it has not been sent wait here, and once rendering is done this process compiles them
from the last while the child goes on from the first, until they meet. The child answers with
the problems it found in the files it was sent.

Every `.py` file is compiled before anything is written, whatever happens to the child: without
`fork` (Windows, macOS's default), or should the child die, give no answer or answer for fewer
files than it was sent, the files it was sent are compiled here. A file whose exact text
compiled on an earlier build is not compiled again (compile_cache.py): a warm build compiles
only what changed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import struct
from collections import deque
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from . import compile_cache
from .format import compile_problems, raise_problems

_Source = tuple[str, str]  # (relative path, source)
_Problem = tuple[str, str]  # (relative path, message)
_HEAD = struct.Struct("<II")  # a frame: path and source lengths (UTF-8 bytes), then both
# The pipe's capacity (Linux lets an unprivileged process raise it to 1 MiB): the vendored
# runtime (~380 kB) fits, sent before the IR is built; at most this much (~35 ms of compiling)
# is left for the child alone once everything is rendered.
_PIPE_SIZE = 512 * 1024


class _Frame:
    """A source on its way to the child: its bytes and how many of them are in the pipe."""

    __slots__ = ("data", "sent", "source")

    def __init__(self, source: _Source) -> None:
        rel, text = source
        path = rel.encode("utf-8", "surrogatepass")
        body = text.encode("utf-8", "surrogatepass")
        self.source = source
        self.data = memoryview(b"".join((_HEAD.pack(len(path), len(body)), path, body)))
        self.sent = 0


def _serve(requests: int, unused: int, answer: Connection) -> None:
    """Child process body: compile each source read from `requests` until the pipe closes,
    then answer (sources compiled, problems). A stream cut short gets no answer."""
    os.close(unused)  # the parent's end: else the pipe never reports its end
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops this process
    problems: list[_Problem] = []
    count = 0
    with os.fdopen(requests, "rb") as stream:
        while head := stream.read(_HEAD.size):
            if len(head) < _HEAD.size:
                return
            n_path, n_body = _HEAD.unpack(head)
            data = stream.read(n_path + n_body)
            if len(data) < n_path + n_body:
                return
            rel = data[:n_path].decode("utf-8", "surrogatepass")
            problems += compile_problems([(rel, data[n_path:].decode("utf-8", "surrogatepass"))])
            count += 1
    with contextlib.suppress(OSError), answer:  # the parent may be gone
        answer.send((count, problems))


class _Child:
    """The forked compiler: the write end of its request pipe, its answer, the process."""

    def __init__(self) -> None:
        ctx: Any = multiprocessing.get_context("fork")
        read_end, self.fd = os.pipe()
        self.answer, sender = ctx.Pipe(duplex=False)
        self.process: Any = ctx.Process(
            target=_serve, args=(read_end, self.fd, sender), name="apigen-compile", daemon=True
        )
        try:
            self.process.start()
        except BaseException:
            os.close(self.fd)
            self.answer.close()
            raise
        finally:
            os.close(read_end)  # the child's ends
            sender.close()
        _widen(self.fd)
        os.set_blocking(self.fd, False)

    def end_requests(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def close(self) -> None:
        """Stop the child (if it still runs) and release the pipes."""
        self.end_requests()
        self.answer.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _widen(fd: int) -> None:
    """Raise the pipe's capacity to `_PIPE_SIZE` where the system allows (Linux); the default
    (64 KiB) only means the child may run dry more often."""
    import fcntl  # POSIX only, as `fork`

    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)


class Checker:
    """Compiles the `.py` files handed to `add` (the others are ignored), on both cores.

    `finish` raises `GeneratedCodeError` unless every one compiled (or compiled before, byte
    for byte), and remembers those that did; leaving the `with` block stops the child."""

    def __init__(self) -> None:
        self._known = compile_cache.known()
        self._added: dict[str, str] = {}  # path -> the text handed to `add`
        self._digests: list[str] = []
        self._todo: list[_Source] = []  # to compile here (there is no child)
        self._pending: deque[_Frame] = deque()  # not (entirely) in the pipe yet
        self._sent: list[_Source] = []  # entirely in the pipe: the child's to compile
        self._child: _Child | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            self._child = _Child()

    def __enter__(self) -> Checker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._lose()

    def add(self, rel: str, text: str) -> None:
        """Queue one rendered file (sent to the child now if the pipe has room); a path added
        again with the same text is ignored, with another text compiled as well."""
        if not rel.endswith(".py") or self._added.get(rel) == text:
            return  # (the same text: compared by identity first, then memcmp)
        self._added[rel] = text
        digest = compile_cache.digest(text)
        self._digests.append(digest)
        if digest in self._known:
            return
        if self._child is None:
            self._todo.append((rel, text))
            return
        self._pending.append(_Frame((rel, text)))
        self._send()

    def finish(self, files: Mapping[str, str], overlay: Path | None = None) -> None:
        """Raise `GeneratedCodeError` unless every `.py` file of `files` compiles (or compiled
        before, byte for byte); remember the ones that do.

        A file not handed to `add` with this text is added now. Then what the child was not
        sent is compiled here, the last first, while it compiles the rest."""
        for rel, text in files.items():
            self.add(rel, text)
        problems = compile_problems(self._todo)
        while self._child is not None and self._pending:
            self._send()
            if self._child is None or not self._pending or self._pending[-1].sent:
                break  # the child is lost, or all it has not been sent is in its pipe
            problems += compile_problems([self._pending.pop().source])
        if self._child is not None and self._pending:  # the rest of a frame half in the pipe
            os.set_blocking(self._child.fd, True)
            self._send()
        if self._child is not None:
            problems += self._answer(self._child)
        # a lost child: what it was sent without answering for it, and what it never got
        problems += compile_problems([*self._sent, *(frame.source for frame in self._pending)])
        raise_problems(problems, overlay)
        if not self._known.issuperset(self._digests):
            compile_cache.remember(self._digests, self._known)

    def _send(self) -> None:
        """Write pending frames to the pipe until it is full (or the child gone)."""
        child = self._child
        assert child is not None
        while self._pending:
            frame = self._pending[0]
            try:
                frame.sent += os.write(child.fd, frame.data[frame.sent :])
            except BlockingIOError:
                return
            except OSError:  # the child is gone (EPIPE): everything comes back here
                self._lose()
                return
            if frame.sent < len(frame.data):
                return
            self._sent.append(self._pending.popleft().source)

    def _answer(self, child: _Child) -> list[_Problem]:
        """The child's problems once it has compiled all it was sent; on no (full) answer, the
        files it was sent stay in `_sent` for this process to compile."""
        child.end_requests()
        try:
            count, problems = child.answer.recv()
        except (EOFError, OSError):
            count, problems = -1, []
        self._lose()
        if count != len(self._sent):
            return []
        self._sent = []
        return list(problems)

    def _lose(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None


def check_files(files: Mapping[str, str]) -> None:
    """`Checker.finish` of `files` (already rendered), on both cores."""
    with Checker() as checker:
        checker.finish(files)
