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


# (`{}` left out for json-seq: a record holding two JSON texts on lines of their own, which
# RFC 7464 has no room for, is given in two when a chunk ends between them; one at once)
_SEQ_ALPHABET = [c for c in ALPHABET if c != b"{}"]


@pytest.mark.parametrize("cls", [_LineSplitter, _RecordSplitter])
def test_chunking_does_not_change_what_comes_out(cls: Splitter) -> None:
    rng = random.Random(7)
    alphabet = ALPHABET if cls is _LineSplitter else _SEQ_ALPHABET
    for _ in range(3000):
        bom = b"\xef\xbb\xbf" if rng.random() < 0.2 else b""
        data = bom + b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
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


def test_chunking_a_well_formed_json_seq_changes_nothing() -> None:
    """RFC 7464 records (RS, one JSON text, maybe over several lines, LF), cut anywhere: the
    same records, however early each LF lets one out (helper 212)."""
    import json

    rng = random.Random(11)
    values: list[object] = [1, "a\u00e9", [1, [2, {}]], {"k": [True, None]}, {}, [], 2.5]
    for _ in range(1500):
        chosen = [rng.choice(values) for _ in range(rng.randint(0, 5))]
        data = b"".join(
            b"\x1e" + json.dumps(v, indent=rng.choice([None, 1])).encode() + b"\n" for v in chosen
        )
        expected = [json.dumps(v, indent=None) for v in chosen]
        some = sorted(rng.sample(range(len(data) + 1), min(3, len(data) + 1)))
        for cuts in ([], list(range(len(data))), some):
            got = [json.dumps(json.loads(t)) for t in _split(_RecordSplitter, data, cuts)]
            assert got == expected, (data, cuts)
