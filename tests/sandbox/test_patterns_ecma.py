"""Schema `pattern`s read as ECMA-262 (`apigen.ecma_regex`), and drawn to their lengths.

AWS IoT (corpus/amazonaws.com__iot.json): the `clientToken` query parameter is `\\S{36,64}`;
Python's `\\s` also takes U+001C-U+001F and U+0085, so a token holding one was refused although
ECMA-262 (the dialect JSON Schema names) reads it as a non-space. `AwsAccountId` is `[0-9]+`
with a length of exactly 12, which the pattern walker could not reach (it drew "previousOwne").
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from apigen.ecma_regex import _ambiguous, compile_pattern, finds
from apigen.regex_example import example
from apigen.sandbox import Sandbox
from apigen.sandbox._scalars import string


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"^\S{4}$", "ab\x1f\x85", True),  # Python: \x1f and \x85 are spaces
        (r"^\S+$", "a\ufeffb", False),  # ECMA: U+FEFF is a space, Python: not
        (r"^\S+$", "a\xa0b", False),
        (r"^\s$", "\u3000", True),
        (r"^[^\s]+$", "a\x1cb", True),  # inside a class too
        (r"^[\S]+$", "a b", False),
        (r"^\d+$", "\u0663", False),  # ECMA: \d is [0-9]
        (r"^\w+$", "\xe9", False),  # ECMA: \w is [A-Za-z0-9_]
        (r"^\\s$", "\\s", True),  # an escaped backslash, then a literal s
        (r"^[]\s]+$", "] ", True),  # Python's `[]...]`: the `]` is a literal
    ],
)
def test_a_pattern_reads_as_ecma_262(pattern: str, text: str, matches: bool) -> None:
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert bool(compiled.search(text)) is matches


def test_a_pattern_python_cannot_read_is_none_and_inline_flags_keep_python_s_reading() -> None:
    assert compile_pattern(r"^\p{Greek}+$") is None  # a script: not read
    assert compile_pattern(r"^\p{Nonsense}$") is None
    assert compile_pattern("[") is None
    unicode_flag = compile_pattern(r"(?u)^\w+$")  # clashes with re.ASCII: Python's reading
    assert unicode_flag is not None and unicode_flag.search("\xe9")


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"^\p{L}+$", "h\xe9\u03a9\u65e5", True),  # letters of any script
        (r"^\p{L}+$", "h1", False),
        (r"^\pL\p{Letter}\p{gc=L}\p{General_Category=Letter}$", "abcd", True),
        (r"^\p{Lu}\p{Ll}+$", "\u03a9mega", True),
        (r"^\p{Lu}$", "a", False),
        (r"^\P{L}+$", "123 -", True),
        (r"^\P{L}+$", "1a", False),
        (r"^\p{Nd}+$", "\u0663", True),  # a category is all of Unicode, unlike \d
        # AWS IoT's Java-style names, inside classes and negated
        (r"^[\p{Graph}\x20]*$", "a \xe9!", True),
        (r"^[\p{Graph}\x20]*$", "a\tb", False),
        (r"^[\p{Upper}\p{Digit}_]+$", "AB_12", True),
        (r"^[\p{Upper}\p{Digit}_]+$", "Ab", False),
        (r"^[^\p{C}]+$", "ab c\xe9", True),
        (r"^[^\p{C}]+$", "ab\x01", False),
        (r"^[^\p{Cntrl}]*$", "\x7f", False),
        (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "Caf\xe9 1:2", True),
        (r"^\\p{L}$", "\\p{L}", True),  # an escaped backslash: a literal `p{L}` follows
    ],
)
def test_unicode_property_escapes_read_as_their_categories(
    pattern: str, text: str, matches: bool
) -> None:
    """`\\p{...}` (ECMA-262's `u` mode, and AWS's Java-style `\\p{Graph}`) has no `re`
    counterpart: such a pattern was left unchecked, and a drawn value ignored it."""
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert bool(compiled.search(text)) is matches


@pytest.mark.parametrize(
    "pattern", [r"^\p{L}+$", r"^\p{Lu}\p{Ll}{2,}$", r"^[\p{Upper}\p{Digit}_]+$", r"^[^\p{C}]+$"]
)
def test_a_string_drawn_for_a_property_escape_matches_it_in_every_reading(pattern: str) -> None:
    """The sandbox drew `uni_27994` for `^\\p{L}+$`, which schemathesis' response check (Latin
    letters only) refused; a plain ASCII letter is a letter in every reading."""
    drawn = example(pattern, 1, 20)
    assert drawn is not None and drawn.isascii()
    compiled = compile_pattern(pattern)
    assert compiled is not None and compiled.search(drawn)
    rng = random.Random(0)
    for variant in range(6):
        value = string({"type": "string", "pattern": pattern}, rng, "name", variant, vary=True)
        assert compiled.search(value), value


def _doc(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/packages": {
                "delete": {
                    "parameters": [
                        {"name": "clientToken", "in": "query", "required": True, "schema": schema}
                    ],
                    "responses": {"204": {"description": "gone"}, "400": {"description": "bad"}},
                }
            }
        },
    }


def test_the_sandbox_accepts_what_ecma_262_accepts_and_refuses_the_rest() -> None:
    sandbox = Sandbox(_doc({"type": "string", "pattern": r"^\S{4,8}$"}), seed=0)
    assert sandbox.handle("DELETE", "/packages?clientToken=ab%1F%C2%85").status == 204
    assert sandbox.handle("DELETE", "/packages?clientToken=ab%C2%A0cd").status == 400


@pytest.mark.parametrize("pattern", [r"^([\w .-]*)*$", r"^(\w+\s?)*$", r"^(a|a?)+$"])
def test_a_pattern_that_could_backtrack_for_long_is_judged_by_the_bounded_engine(
    pattern: str,
) -> None:
    """`re` takes minutes on these (the second is the textbook one, the third alternates); the
    bounded engine (`ecma_regex.finds`) answers both ways at once."""
    sandbox = Sandbox(_doc({"type": "string", "pattern": pattern}), seed=0)
    started = time.process_time()  # CPU: wall time fails on a busy machine
    # 26 characters: `re` alone takes 5-20 s CPU here, so a regression fails rather than hangs
    refused = sandbox.handle("DELETE", "/packages?clientToken=" + "a" * 25 + "%21")
    accepted = sandbox.handle("DELETE", "/packages?clientToken=" + "a" * 40)
    assert time.process_time() - started < 2
    assert (refused.status, accepted.status) == (400, 204)


def test_a_pattern_with_an_exact_length_is_drawn_to_that_length() -> None:
    assert example("[0-9]+", 12, 12) == "000000000000"
    assert example(r"^(ab)+x$", 7, 7) == "abababx"
    assert example(r"^[0-9]{2}$", 3, 3) is None  # no string fits: the caller falls back
    # nothing to repeat, but open at the end: filler after the match (AWS GameSparks' ARNs)
    assert example("^arn:aws:gamesparks:", 20, 2048) == "arn:aws:gamesparks:0"
    assert example("^arn:aws:gamesparks:$", 20) is None
    schema = {"type": "string", "pattern": "[0-9]+", "minLength": 12, "maxLength": 12}
    for seed in range(5):
        value = string(schema, random.Random(seed), "previousOwnedBy", 0, vary=True)
        assert len(value) == 12 and value.isdigit(), value


@pytest.mark.parametrize(
    ("pattern", "ambiguous"),
    [
        (r"^(a+)+$", True),
        (r"^(\w+\s?)*$", True),  # a quantifier that is not the group's last token
        (r"^(a|aa)+$", True),  # an alternation repeated
        (r"^(?:a|b)+$", True),
        (r"^(?<n>a+)+$", True),
        (r"^(.*a){12}$", True),  # an exact count above one repeats too
        (r"^((a+)b)+$", True),  # a choice two groups down
        (r"^(a{2,3}){2}$", True),
        (r"^([a-z0-9]+-)*[a-z0-9]+$", True),
        (r"^(\+|-)?\d+$", False),  # an alternation at most once
        (r"^(\d{3})+$", False),  # an exact count is no choice
        (r"^(a{2}){4}$", False),
        (r"^(?:ab)+$", False),
        (r"^[(]+)*$", False),  # a parenthesis in a class is a character
        (r"^\(a+\)+$", False),  # and so is an escaped one
        (r"^AC[0-9a-fA-F]{32}$", False),
        # three or more open-ended runs, no group: every split tried (a helper's fuzzing hung
        # the sandbox on `^a*a*...a*b$` and 30 characters); two, or bounded ones, are not
        (r"^a*a*a*a*a*a*a*a*a*a*a*a*b$", True),
        (r"x+?x{2,}x*y", True),
        (r"^[a-z]+-[0-9]+$", False),
        (r"^a{1,5}b{1,5}c{1,5}d*$", False),
    ],
)
def test_a_pattern_is_ambiguous_when_a_repeated_group_holds_a_choice(
    pattern: str, ambiguous: bool
) -> None:
    assert _ambiguous(pattern) is ambiguous


def test_finds_answers_an_ambiguous_pattern_on_a_long_text_or_says_it_cannot() -> None:
    assert finds(r"^(a+)+$", "a" * 40) is True
    assert finds(r"^(a+)+$", "a" * 40 + "!") is False
    assert finds(r"^\d+$", "\u0663") is False  # short texts: `re`, read as ECMA-262
    assert finds(r"\p{Greek}", "a") is None  # a pattern Python cannot read
    # a backreference needs backtracking; past the engine's limit nothing is told
    assert finds(r"^(a|a?)+\1$", "a" * 40 + "!") is None


def test_a_huge_repeat_or_length_gives_no_example_rather_than_a_hang() -> None:
    """A helper's hostile specs: `pattern: "^a{999999999}$"` made `apigen build` (and the
    sandbox) run for ever with memory growing; `a{2000000}` and `minLength: 1000000` wrote
    README examples of megabytes; `minimum: 1e400` (JSON read as inf) or `1e308` with a
    `multipleOf` stopped the build with an "internal error" (OverflowError)."""
    from apigen.ir.examples import example_value

    started = time.monotonic()
    for pattern in ("^a{999999999}$", "^a{2000000}$", "^(a{4000}){4000}$", "^(?:ab{3000}){10}$"):
        assert example(pattern) is None, pattern
    assert example("^a{3}$") == "aaa"
    assert time.monotonic() - started < 10

    def same(node: object) -> object:
        return node

    assert example_value({"type": "string", "minLength": 1_000_000}, same) is None
    assert example_value({"type": "string", "minLength": 9}, same) == "stringxxx"
    for minimum in (float("inf"), 1e308):
        for kind, shown in (("integer", 1), ("number", 1.0)):
            schema = {"type": kind, "minimum": minimum, "multipleOf": 0.3}
            assert example_value(schema, same) == shown


@pytest.mark.parametrize(
    "pattern", [r"^(a+)+(?=b)$", r"^(?=(a+)+c)(a+)+$", r"^((a+)+)+$(?<!a)", r"^(a+)+\1b$"]
)
def test_an_example_of_a_pattern_that_backtracks_is_checked_by_the_bounded_engine(
    pattern: str,
) -> None:
    """A helper's hostile specs (187): `apigen build` and `check` hung on a parameter of
    `pattern: "^(a+)+(?=b)$", minLength: 30` (no string matches; each candidate the walker
    made was checked with `re`, which backtracks 2^n times). 24 characters: `re` alone
    takes seconds here, so a regression fails rather than hangs."""
    started = time.process_time()  # CPU: wall time fails on a busy machine
    for low in (24, 25):
        found = example(pattern, low)
        assert found is None or (len(found) >= low and finds(pattern, found) is True)
    assert time.process_time() - started < 2


def test_runs_side_by_side_and_huge_sizes_answer_at_once() -> None:
    """A helper's fuzzing: `^a*a*...a*b$` (twelve runs) held the sandbox on a 30-character
    value, every other request waiting behind it; `minItems: 100000000` (or such a
    `minLength`) grew it to 8 GB, never answering."""
    runs = "^a*a*a*a*a*a*a*a*a*a*a*a*b$"
    sandbox = Sandbox(_doc({"type": "string", "pattern": runs}), seed=0)
    started = time.process_time()
    assert sandbox.handle("DELETE", "/packages?clientToken=" + "a" * 30).status == 400
    assert sandbox.handle("DELETE", "/packages?clientToken=" + "a" * 30 + "b").status == 204
    huge = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "minItems": 100_000_000,
                                        "items": {
                                            "type": "array",
                                            "minItems": 100_000_000,
                                            "items": {"type": "string", "minLength": 100_000_000},
                                        },
                                    }
                                }
                            },
                        }
                    }
                }
            },
            "/text": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "string",
                                        "pattern": "x*x*x*x*x*x*x*x*x*x*x*x*y",
                                        "minLength": 60,
                                    }
                                }
                            },
                        }
                    }
                }
            },
        },
    }
    served = Sandbox(huge, seed=0)
    assert served.handle("GET", "/items").status == 200
    assert served.handle("GET", "/text").status == 200
    assert time.process_time() - started < 30


def test_a_literal_brace_is_read_by_the_bounded_engine_too() -> None:
    """ECMA-262 reads a `{` that is no quantifier as itself (a GUID in braces); the bounded
    engine refused such a pattern, so `finds` could not tell on a long text, and a pattern's
    example (checked by `finds` since helper 187's backtracking patterns) was lost."""
    guid = r"^(?:{[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}}|[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7})$"
    assert finds(guid, "0123" * 8) is True
    assert finds(guid, "{" + "0123" * 8 + "}") is True
    assert finds(guid, "x" * 40) is False
    assert example(guid) is not None


def test_a_dollar_is_the_end_of_the_input_only() -> None:
    """ECMA-262's `$` (no `m` flag) is the input's end; Python's also matches before a final
    newline: the sandbox took `"a\\n"` for `^a$` (helper 192)."""
    assert finds("^a$", "a") is True
    assert finds("^a$", "a\n") is False
    assert finds(r"^a\$$", "a$") is True and finds("[$]", "$") is True
