"""A string that matches a `pattern`, built from Python's own parse of the regex.

The sandbox's drawn values (after its plain candidates, `sandbox/_scalars`) and the README's
example arguments (`ir/examples`) come from here: a pattern
(`\\/projects\\/(me|[a-z0-9]+)\\/apikeys\\/[a-f\\d]{24}`, readme.com's URIs; Twilio's
`^AC[0-9a-fA-F]{32}$`) is walked: each literal kept, each class answered by a plain member,
each repeat taken its minimum number of times (more when minLength asks for it), the first
(else the last) branch of each choice. Lookarounds and backreferences are approximated; the
result is checked against the pattern, so a miss is None.
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Final

from .ecma_regex import compile_pattern, finds, properties

_parser: Any = importlib.import_module("re._parser")  # no public API; stable since 3.11

#: Characters tried, in order, for a class or a negated literal: readable ones first.
_PLAIN: Final = "a0A_-b1Bz9Z. /:@x"
#: What a varied draw picks among (ASCII letters, digits and a few marks).
_VARIETY: Final = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_."
_CATEGORY: Final[dict[str, str]] = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}
#: Extra repeats tried in turn, so a minLength can be reached through the pattern's repeats.
_EXTRAS: Final = (0, 1, 2, 4, 8, 16, 32, 64)
#: Most repeats one quantifier takes to reach a minLength.
_MAX_FILL: Final = 4096
#: The longest text a repeat may make (an example longer than this is no example).
_MAX_LENGTH: Final = 16384


def example(pattern: str, low: int = 0, high: int | None = None, variant: int = 0) -> str | None:
    """A string `pattern` (read as ECMA-262, `ecma_regex`) finds with a length in [low, high], or
    None. Another `variant` picks other characters of the classes (`[a-c]{2}`: `aa`, `ba`,
    `ca`, `ab`...), for values that must differ (`uniqueItems`); the first string when the
    variant's does not fit."""
    if variant:
        found = _example(pattern, low, high, variant)
        if found is not None:
            return found
    return _example(pattern, low, high, 0)


def _example(pattern: str, low: int, high: int | None, variant: int) -> str | None:
    compiled = compile_pattern(pattern)
    try:
        tree = _parser.parse(properties(pattern))  # `\p{L}`: classes the walker reads
    except (re.error, RecursionError, OverflowError):
        return None
    if compiled is None:
        return None
    for last in (False, True):
        for extra in _EXTRAS:
            try:
                text = _Walker(extra, last, shift=variant).walk(tree)
            except (_NoMatch, RecursionError):
                break
            if high is not None and len(text) > high:
                break
            if len(text) >= low and finds(pattern, text) is True:  # (bounded: `^(a+)+(?=b)$` hung)
                return text
        # the same extra count for every repeat missed the window (`[0-9]+` with a length of
        # exactly 12, AWS account ids): the first repeats that can take more fill the gap
        try:
            short = _Walker(0, last).walk(tree)
            text = _Walker(0, last, need=low - len(short)).walk(tree) if len(short) < low else ""
        except (_NoMatch, RecursionError):
            continue
        fits = text and low <= len(text) <= (high if high is not None else len(text))
        if fits and finds(pattern, text) is True:
            return text
        # a pattern with nothing to repeat, open at its end (AWS's `^arn:aws:gamesparks:` with a
        # minLength of 20): what follows a match is free, so filler reaches the length
        padded = short + "0" * (low - len(short))
        if (
            len(short) < low
            and (high is None or low <= high)
            and finds(pattern, padded)  # filler the pattern did not make may backtrack
        ):
            return padded
    return None


class _NoMatch(Exception):
    """The walker met a construct it cannot answer."""


class _Walker:
    def __init__(self, extra: int, last: bool, need: int = 0, shift: int = 0) -> None:
        self.extra = extra
        self.last = last
        self.need = need  # characters still wanted from repeats that can take more
        self.groups: dict[int, str] = {}
        self.shift = shift  # read digit by digit (mixed radix): which member each class gives

    def _pick(self, choices: str) -> str:
        """The next class's character: the first, or the shift's next digit's."""
        if not self.shift or len(choices) < 2:
            return choices[0]
        self.shift, digit = divmod(self.shift, len(choices))
        return choices[digit]

    def walk(self, items: Any) -> str:
        return "".join(self.one(str(op), av) for op, av in items)

    def one(self, op: str, av: Any) -> str:
        if op == "LITERAL":
            return chr(av)
        if op == "NOT_LITERAL":
            if self.shift:
                return self._pick("".join(c for c in _VARIETY if ord(c) != av))
            return next(c for c in _PLAIN if ord(c) != av)
        if op == "ANY":
            return self._pick(_VARIETY) if self.shift else "a"
        if op == "IN":
            if self.shift:
                return self._pick(_choices(av) or _member(av))
            return _member(av)
        if op == "AT" or op in ("ASSERT", "ASSERT_NOT"):
            return ""
        if op == "BRANCH":
            branches = av[1]
            if self.shift and len(branches) > 1:  # another variant: another alternative
                self.shift, digit = divmod(self.shift, len(branches))
                return self.walk(branches[digit])
            return self.walk(branches[-1 if self.last else 0])
        if op == "SUBPATTERN":
            group, _, _, body = av
            text = self.walk(body)
            if group is not None:
                self.groups[group] = text
            return text
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            least, most, body = av
            if least > _MAX_FILL:  # `a{999999999}`: no example (the build hung, memory growing)
                raise _NoMatch(op)
            count = min(least + self.extra, most)
            parts: list[str] = []
            size = 0
            for _ in range(count):
                parts.append(self.walk(body))
                size += len(parts[-1])
                if size > _MAX_LENGTH:  # nested repeats (`(a{4000}){4000}`) multiply
                    raise _NoMatch(op)
            while self.need > 0 and count < most and count < _MAX_FILL:
                piece = self.walk(body)
                if not piece:
                    break
                parts.append(piece)
                count += 1
                self.need -= len(piece)
            return "".join(parts)
        if op == "GROUPREF":
            return self.groups.get(av, "")
        if op == "GROUPREF_EXISTS":
            group, yes, no = av
            return self.walk(yes if group in self.groups else (no or []))
        if op == "ATOMIC_GROUP":
            return self.walk(av)
        raise _NoMatch(op)


def _member(items: Any) -> str:
    """A character inside a class (`[a-f\\d]`, `[^/]`): a listed one, else a plain one that fits."""
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    if negate:
        return next((c for c in _PLAIN if not _in_class(items[1:], c)), "a")
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return chr(av)
        if name == "RANGE":
            for c in _PLAIN:
                if av[0] <= ord(c) <= av[1]:
                    return c
            return chr(av[0])
        if name == "CATEGORY":
            return _CATEGORY.get(str(av), "a")
    raise _NoMatch("IN")


def _choices(items: Any) -> str:
    """Characters of a class to vary among: the first `_member` gives, then the others of
    `_VARIETY` it holds."""
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    body = items[1:] if negate else items
    first = _member(items)
    others = [c for c in _VARIETY if c != first and _in_class(body, c) is not negate]
    return first + "".join(others)


def _in_class(items: Any, char: str) -> bool:
    code = ord(char)
    for op, av in items:
        name = str(op)
        if name == "LITERAL" and av == code:
            return True
        if name == "RANGE" and av[0] <= code <= av[1]:
            return True
        if name == "CATEGORY" and re.fullmatch(_CATEGORY_RE.get(str(av), "(?!)"), char):
            return True
    return False


_CATEGORY_RE: Final[dict[str, str]] = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
}
