"""A schema `pattern` read as ECMA-262, the dialect JSON Schema and OpenAPI name, with Python's `re`.

The two dialects spell most patterns alike but read some escapes differently:
- `\\d`, `\\w`, `\\b` are ASCII in ECMA-262 (`[0-9]`, `[A-Za-z0-9_]`); Python reads them over
  all of Unicode. Compiled with `re.ASCII`.
- `\\s` is ECMA-262's WhiteSpace and LineTerminator set (tab, LF, VT, FF, CR, space, U+00A0,
  U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF). Python's `\\s` also
  takes U+001C-U+001F and U+0085 and leaves out U+FEFF, so `\\S{36,64}` (AWS IoT's `clientToken`)
  refused a token holding `\\x1f`, which ECMA-262 reads as a non-space. `\\s` and `\\S` are
  rewritten as explicit classes (inside a class too), which keeps the pattern's structure, so
  no backtracking is added.
- `\\p{...}`/`\\P{...}` (Unicode property escapes, ECMA-262's `u` mode; `\\pL` and Java's
  POSIX names such as `\\p{Graph}` too, which AWS's specs use) have no counterpart in `re`. A
  General_Category (`L`, `Lu`, `Letter`, `gc=Nd`...) is spelled as the explicit ranges of that
  category in the interpreter's Unicode database; `ASCII`, `Any`, `Assigned` and the POSIX
  names (`Alpha`, `Upper`, `Digit`, `Graph`, `Cntrl`...) as their Unicode readings, the widest
  in use, so a value any reader accepts is accepted. Scripts (`\\p{Greek}`) stay unread.
Left in Python's reading, both more lenient than ECMA-262 (they accept more, refuse nothing
valid): `.` also matches CR, U+2028 and U+2029; a closing `$` also matches before a final
newline. A pattern Python cannot read (`\\p{Greek}`, `\\cJ`; `(?<name>...)` spelled the ECMA
way is fine) is None here, and callers leave it unchecked.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache, lru_cache
from typing import Any, Final

#: ECMA-262 WhiteSpace + LineTerminator (Unicode Zs as of 6.3 and later), as class contents.
SPACE: Final = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
#: Its complement over all code points, as class contents.
NOT_SPACE: Final = (
    "\\x00-\\x08\\x0e-\\x1f\\x21-\\x9f\\xa1-\\u167f\\u1681-\\u1fff\\u200b-\\u2027"
    "\\u202a-\\u202e\\u2030-\\u205e\\u2060-\\u2fff\\u3001-\\ufefe\\uff00-\\U0010ffff"
)

#: Longest text `re` runs an ambiguous pattern (`_ambiguous`) on; past it the text goes to a
#: backtracking-bounded engine (`_bounded`).
NESTED_SAFE_LENGTH: Final = 16
#: Steps the bounded engine may backtrack before it gives up (a few milliseconds).
_BACKTRACK_LIMIT: Final = 100_000
_BOUNDED_FAILURE: Final = "Error executing regex"  # jsonschema-rs's message for a given-up run
_QUANTIFIER: Final = re.compile(r"[*+?]|\{(\d+)(,(\d*))?\}")
#: Unbounded repeats (`*`, `+`, `{n,}`) from which a pattern counts as ambiguous (`_ambiguous`).
_UNBOUNDED_RUNS: Final = 3


# General_Category long names (UAX #44) -> the short ones `unicodedata.category` gives
_CATEGORY_NAMES: Final = {
    "Letter": "L",
    "Cased_Letter": "LC",
    "Uppercase_Letter": "Lu",
    "Lowercase_Letter": "Ll",
    "Titlecase_Letter": "Lt",
    "Modifier_Letter": "Lm",
    "Other_Letter": "Lo",
    "Mark": "M",
    "Combining_Mark": "M",
    "Nonspacing_Mark": "Mn",
    "Spacing_Mark": "Mc",
    "Enclosing_Mark": "Me",
    "Number": "N",
    "Decimal_Number": "Nd",
    "digit": "Nd",
    "Letter_Number": "Nl",
    "Other_Number": "No",
    "Punctuation": "P",
    "punct": "P",
    "Connector_Punctuation": "Pc",
    "Dash_Punctuation": "Pd",
    "Open_Punctuation": "Ps",
    "Close_Punctuation": "Pe",
    "Initial_Punctuation": "Pi",
    "Final_Punctuation": "Pf",
    "Other_Punctuation": "Po",
    "Symbol": "S",
    "Math_Symbol": "Sm",
    "Currency_Symbol": "Sc",
    "Modifier_Symbol": "Sk",
    "Other_Symbol": "So",
    "Separator": "Z",
    "Space_Separator": "Zs",
    "Line_Separator": "Zl",
    "Paragraph_Separator": "Zp",
    "Other": "C",
    "Control": "Cc",
    "cntrl": "Cc",
    "Format": "Cf",
    "Surrogate": "Cs",
    "Private_Use": "Co",
    "Unassigned": "Cn",
}
# Java/PCRE POSIX-style names, read over Unicode (Java's UNICODE_CHARACTER_CLASS): categories
# joined, `!` marking the complement of what follows
_POSIX_NAMES: Final = {
    "Alpha": ("L", "Nl"),
    "IsLetter": ("L",),
    "IsAlphabetic": ("L", "Nl"),
    "Alphabetic": ("L", "Nl"),
    "Upper": ("Lu", "Lt"),
    "Uppercase": ("Lu", "Lt"),
    "Lower": ("Ll",),
    "Lowercase": ("Ll",),
    "Digit": ("Nd",),
    "IsDigit": ("Nd",),
    "Alnum": ("L", "Nl", "Nd"),
    "Punct": ("P", "S"),  # POSIX punct is ASCII's symbols too ($+<=>^`|~)
    "Graph": ("!", "Z", "Cc", "Cs", "Cn"),
    "Print": ("!", "Zl", "Zp", "Cc", "Cs", "Cn"),
    "Cntrl": ("Cc",),
    "Space": ("Z", "space"),
    "White_Space": ("Z", "space"),
    "Blank": ("Zs", "tab"),
    "XDigit": ("xdigit",),
    "ASCII_Hex_Digit": ("xdigit",),
    "ASCII": ("ascii",),
    "Any": ("any",),
    "Assigned": ("!", "Cn"),
}
_EXTRA_RANGES: Final = {
    "space": ((0x09, 0x0D),),
    "tab": ((0x09, 0x09),),
    "xdigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
    "ascii": ((0x00, 0x7F),),
    "any": ((0x00, sys.maxunicode),),
}


@cache
def _category_ranges() -> dict[str, list[tuple[int, int]]]:
    """Every code point's General_Category as ranges, `L`, `LC`... (the first letters) too:
    computed once, on the first pattern that names a property (~0.3 s)."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    category = unicodedata.category
    start, current = 0, category("\x00")
    for code in range(1, sys.maxunicode + 2):
        found = category(chr(code)) if code <= sys.maxunicode else ""
        if found != current:
            for name in (current, current[0]):
                ranges.setdefault(name, []).append((start, code - 1))
            if current in ("Lu", "Ll", "Lt"):
                ranges.setdefault("LC", []).append((start, code - 1))
            start, current = code, found
    return ranges


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    next_low = 0
    for low, high in _merged(ranges):
        if low > next_low:
            out.append((next_low, low - 1))
        next_low = high + 1
    if next_low <= sys.maxunicode:
        out.append((next_low, sys.maxunicode))
    return out


def _spelled(ranges: list[tuple[int, int]]) -> str:
    """Ranges as class contents (`\\u0041-\\u005a...`)."""

    def one(code: int) -> str:
        return f"\\U{code:08x}"

    return "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in ranges)


@lru_cache(maxsize=256)
def property_class(name: str, negated: bool) -> str | None:
    """Class contents (no brackets) for `\\p{name}` (`\\P{name}` when `negated`), or None for a
    property this module does not know (a script, an ECMA binary property such as `Emoji`)."""
    key = name.strip()
    for prefix in ("General_Category=", "gc="):
        key = key.removeprefix(prefix)
    table = _category_ranges()
    parts: tuple[str, ...] | None = None
    for candidate in (key, key[2:] if key.startswith("Is") else ""):
        candidate = _CATEGORY_NAMES.get(candidate, candidate)
        if candidate in _POSIX_NAMES:
            parts = _POSIX_NAMES[candidate]
        elif candidate in table:
            parts = (candidate,)
        if parts is not None:
            break
    if parts is None:
        return None
    complement = bool(parts) and parts[0] == "!"
    ranges: list[tuple[int, int]] = []
    for part in parts[1:] if complement else parts:
        ranges += _EXTRA_RANGES[part] if part in _EXTRA_RANGES else table.get(part, [])
    if complement != negated:
        return _spelled(_complement(ranges))
    return _spelled(_merged(ranges))


def _property_at(pattern: str, index: int) -> tuple[str, int] | None:
    """(name, end) of a property escape whose `p`/`P` is at `index`: `\\p{L}` or `\\pL`."""
    if pattern.startswith("{", index + 1):
        end = pattern.find("}", index + 2)
        return (pattern[index + 2 : end], end + 1) if end > 0 else None
    if index + 1 < len(pattern) and pattern[index + 1].isalpha():
        return pattern[index + 1], index + 2
    return None


def properties(pattern: str) -> str:
    """`pattern` with its Unicode property escapes spelled as classes (`translate` without the
    rewriting of `\\s`); as written when it names none."""
    return translate(pattern, spaces=False) if "\\p" in pattern or "\\P" in pattern else pattern


def translate(pattern: str, *, spaces: bool = True) -> str:
    """`pattern` with `\\s`/`\\S` (unless not `spaces`) and property escapes spelled as classes,
    `$` as the input's end (`\\Z`); everything else as written."""
    out: list[str] = []
    in_class = False
    class_start = -1  # index in `pattern` just after `[` or `[^`: a `]` there is a literal
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            prop = _property_at(pattern, index + 1) if escaped in "pP" else None
            inner = property_class(prop[0], escaped == "P") if prop is not None else None
            if prop is not None and inner is not None:
                out.append(inner if in_class else f"[{inner}]")
                index = prop[1]
                continue
            if spaces and escaped in "sS":
                inner = SPACE if escaped == "s" else NOT_SPACE
                out.append(inner if in_class else f"[{inner}]")
            else:
                out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            if char == "]" and index != class_start:
                in_class = False
        elif char == "[":
            in_class = True
            class_start = index + 1
            if pattern.startswith("^", class_start):
                class_start += 1
        elif char == "$":  # the input's end only (Python's `$` also matches before a final
            char = r"\Z"  # newline: `^a$` took `"a\n"`, helper 192)
        out.append(char)
        index += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """`pattern` read as ECMA-262 (module docstring), or None when Python's `re` cannot read
    it. A pattern whose own inline flags clash with `re.ASCII` (`(?u)`) keeps Python's
    reading."""
    for text, flags in ((translate(pattern), re.ASCII), (pattern, 0)):
        try:
            return re.compile(text, flags)
        except (re.error, RecursionError, OverflowError, ValueError):
            continue
    return None


def costly(pattern: str, text: str) -> bool:
    """Whether `re` running `pattern` on `text` could backtrack for too long to answer."""
    return len(text) > NESTED_SAFE_LENGTH and _ambiguous(pattern)


def finds(pattern: str, text: str) -> bool | None:
    """Whether `pattern` (ECMA-262) matches somewhere in `text`; None when it cannot be told:
    Python cannot read the pattern, or it is ambiguous (`_ambiguous`) and the bounded engine
    gave up or cannot read it either. A text `re` could backtrack on for hours (`^(\\w+\\s?)*$`
    on 40 characters) is judged by jsonschema-rs's regex engine instead: automaton-based, with
    a backtracking limit where the pattern needs one (decisions.md)."""
    compiled = compile_pattern(pattern)
    if compiled is None:
        return None
    if not costly(pattern, text):
        return compiled.search(text) is not None
    return _bounded(pattern, text)


def _bounded(pattern: str, text: str) -> bool | None:
    check = _bounded_validator(pattern)
    if check is None:
        return None
    if check.is_valid(text):
        return True
    messages = [error.message for error in check.iter_errors(text)]
    return None if any(m.startswith(_BOUNDED_FAILURE) for m in messages) else False


@lru_cache(maxsize=256)
def _bounded_validator(pattern: str) -> Any:
    import jsonschema_rs  # only for ambiguous patterns on long texts: rare, and 10 ms to import

    try:
        return jsonschema_rs.validator_for(
            {"pattern": _braces_escaped(pattern)},
            pattern_options=jsonschema_rs.FancyRegexOptions(backtrack_limit=_BACKTRACK_LIMIT),
        )
    except (ValueError, jsonschema_rs.ValidationError):
        return None  # a pattern it cannot read


_BRACE_QUANTIFIER = re.compile(r"\{\d+(?:,\d*)?\}")
_BRACED_ESCAPE = re.compile(r"\\[pPuk]\{[^}]*\}|\\.", re.DOTALL)


def _braces_escaped(pattern: str) -> str:
    """`pattern` with each `{` or `}` that is no quantifier escaped: ECMA-262 (Annex B) reads
    them as literal characters (`^{[0-9a-f]{8}}$`, a GUID in braces), the bounded engine
    refuses the pattern, and `finds` could not tell."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escape = _BRACED_ESCAPE.match(pattern, index)
            end = escape.end() if escape else len(pattern)
            out.append(pattern[index:end])
            index = end
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "{":
            quantifier = _BRACE_QUANTIFIER.match(pattern, index)
            if quantifier is not None:
                out.append(quantifier.group())
                index = quantifier.end()
                continue
            char = "\\{"
        elif char == "}":
            char = "\\}"
        out.append(char)
        index += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def _ambiguous(pattern: str) -> bool:
    """Whether a group that repeats holds a choice, a quantifier or an alternation (`(a+)+`,
    `(\\w+\\s?)*`, `(a|aa)+`, `(.*a){12}`): the shapes `re` backtracks on for exponential (or
    high-polynomial) time over a text it does not match. Read off the text: escapes and
    classes skipped, `(?:`, `(?=`, `(?<name>` openers not read as quantifiers.

    Also `_UNBOUNDED_RUNS` or more unbounded repeats anywhere (`x*x*x*...y`, `^a*a*a*b$`):
    no group repeats, yet `re` tries every split of a text among them, polynomial time of a
    high degree (a helper's fuzzing: 12 of them hung the build and the sandbox on 30
    characters). Over-counting is safe: a text past `NESTED_SAFE_LENGTH` then goes to the
    bounded engine, which reads the pattern the same way."""
    stack: list[bool] = []  # per open group: whether its body so far holds a choice
    unbounded = 0
    i, end = 0, len(pattern)
    while i < end:
        char = pattern[i]
        if char == "\\":
            i += 2
        elif char == "[":
            i = _class_end(pattern, i + 1)
        elif char == "(":
            stack.append(False)
            i += 2 if pattern.startswith("?", i + 1) else 1
        elif char == ")":
            body = stack.pop() if stack else False
            repeats, choice, width = _quantifier(pattern, i + 1)
            if body and repeats:
                return True
            if stack and (body or choice):
                stack[-1] = True
            i += 1 + width
        elif char == "|":
            if stack:
                stack[-1] = True
            i += 1
        else:
            repeats, choice, width = _quantifier(pattern, i)
            if choice and stack:
                stack[-1] = True
            if repeats and choice and _open_ended(pattern, i, width):
                unbounded += 1
                if unbounded >= _UNBOUNDED_RUNS:
                    return True
            i += max(width, 1)
    return False


def _open_ended(pattern: str, i: int, width: int) -> bool:
    """Whether the quantifier at `i` has no upper bound (`*`, `+`, `{n,}`)."""
    text = pattern[i : i + width].rstrip("?") if width > 1 else pattern[i : i + width]
    return text in ("*", "+") or (text.startswith("{") and text.endswith(",}"))


def _class_end(pattern: str, i: int) -> int:
    """The index past the `]` that closes the class whose contents start at `i`."""
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _quantifier(pattern: str, i: int) -> tuple[bool, bool, int]:
    """The quantifier at `i`: whether it repeats more than once, whether it is a choice (an
    exact `{n}` is none), and its width with a lazy `?` after it (0: no quantifier)."""
    found = _QUANTIFIER.match(pattern, i)
    if found is None:
        return False, False, 0
    width = found.end() - i + (1 if pattern.startswith("?", found.end()) else 0)
    text = found.group()
    if text in ("*", "+"):
        return True, True, width
    if text == "?":
        return False, True, width
    low, comma, high = int(found.group(1)), found.group(2), found.group(3)
    if comma is None:
        return low > 1, False, width
    return (not high or int(high) > 1), (not high or int(high) != low), width
