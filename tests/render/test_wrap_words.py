"""`code._wrap_words`, the docstring wrapper, breaks lines exactly where `textwrap.wrap` (with
the options apigen uses) does: generated docstrings must not change with the faster wrapper."""

from __future__ import annotations

import random
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from apigen.render.code import _wrap_words, wrap_markdown


def _textwrap(text: str, width: int, initial: str, subsequent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=initial,
        subsequent_indent=subsequent,
        break_long_words=False,
        break_on_hyphens=False,
    )


# words of every length (some longer than a line), runs of spaces, tabs, NBSP, \x1c
_PIECES = st.sampled_from(["a", "bb", "word", "x" * 30, "y" * 90, " ", "   ", "\t", "\xa0", "é"])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_PIECES, max_size=60),
    st.integers(min_value=1, max_value=60),
    st.sampled_from(["", " ", "    ", "-" * 30]),
    st.sampled_from(["", "  ", "      ", "+" * 70]),
)
def test_same_lines_as_textwrap(pieces: list[str], width: int, initial: str, sub: str) -> None:
    text = "".join(pieces).strip()
    assert _wrap_words(text, width, initial, sub) == _textwrap(text, width, initial, sub)


def test_same_lines_on_prose() -> None:
    rng = random.Random(10)
    words = ["the", "API", "returns", "https://example.com/" + "p" * 40, "a", "-", "(x)", "  "]
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 80))).strip()
        width = rng.randint(20, 100)
        assert _wrap_words(text, width, "", "  ") == _textwrap(text, width, "", "  ")


def test_markdown_items_hang_under_their_marker() -> None:
    text = "- " + "word " * 30
    lines = wrap_markdown(text.strip(), 40).split("\n")
    assert len(lines) > 1 and all(line.startswith("  word") for line in lines[1:])
