"""The byte splitters under event streams and JSON Lines: the same lines and records however
the bytes are cut into chunks, and a long line is not copied again at every chunk.

A helper's sweep: one 8 MiB `data:` line (OpenAI's partial images are 1-3 MB of base64 in one
event) arriving in 64 KiB chunks took 8 s to decode: each chunk was appended to the whole
line so far and the result searched again from its start."""

from __future__ import annotations

import random

import pytest

from apigen_runtime._sse import _LineSplitter, _RecordSplitter

Splitter = type[_LineSplitter] | type[_RecordSplitter]
ALPHABET = [b"a", b"\r", b"\n", b"\xc3\xa9", b"\x1e", b" ", b"{}"]


def _split(cls: Splitter, data: bytes, cuts: list[int]) -> list[str]:
    """`data` fed cut at `cuts` (a cut repeated: an empty chunk there, which a review found
    ending a pending CR, a blank line that split one event in two)."""
    splitter = cls()
    out: list[str] = []
    previous = 0
    for cut in [*cuts, len(data)]:
        out += splitter.feed(data[previous:cut])
        previous = cut
    return out + splitter.flush()


@pytest.mark.parametrize("cls", [_LineSplitter, _RecordSplitter])
def test_chunking_does_not_change_what_comes_out(cls: Splitter) -> None:
    rng = random.Random(7)
    for _ in range(3000):
        bom = b"\xef\xbb\xbf" if rng.random() < 0.2 else b""
        data = bom + b"".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        whole = _split(cls, data, [])
        assert _split(cls, data, list(range(len(data)))) == whole, data  # byte by byte
        cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 8))))
        assert _split(cls, data, cuts) == whole, (data, cuts)
        doubled = sorted(cuts + cuts)  # an empty chunk at every cut
        assert _split(cls, data, doubled) == whole, (data, doubled)


@pytest.mark.parametrize(("cls", "end"), [(_LineSplitter, b"\r\n"), (_RecordSplitter, b"\n")])
def test_a_long_line_s_chunks_are_kept_as_they_came(cls: Splitter, end: bytes) -> None:
    splitter = cls()
    assert splitter.feed(b"data: {") == []
    chunks = [bytes([65 + i % 26]) * 65536 for i in range(64)]
    for chunk in chunks:
        assert splitter.feed(chunk) == []
        assert splitter._pieces[-1] is chunk  # kept, not joined onto what came before
    (line,) = splitter.feed(b"}" + end)
    assert line == "data: {" + b"".join(chunks).decode() + "}"
    assert splitter._pieces == []
