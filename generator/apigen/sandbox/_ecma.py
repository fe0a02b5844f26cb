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
Left in Python's reading, both more lenient than ECMA-262 (they accept more, refuse nothing
valid): `.` also matches CR, U+2028 and U+2029; a closing `$` also matches before a final
newline. A pattern Python cannot read (`\\p{L}`, `(?<name>...)` spelled the ECMA way is fine,
`\\cJ` is not) is None here, and callers leave it unchecked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

#: ECMA-262 WhiteSpace + LineTerminator (Unicode Zs as of 6.3 and later), as class contents.
SPACE: Final = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
#: Its complement over all code points, as class contents.
NOT_SPACE: Final = (
    "\\x00-\\x08\\x0e-\\x1f\\x21-\\x9f\\xa1-\\u167f\\u1681-\\u1fff\\u200b-\\u2027"
    "\\u202a-\\u202e\\u2030-\\u205e\\u2060-\\u2fff\\u3001-\\ufefe\\uff00-\\U0010ffff"
)

# A quantified group ending in a quantifier (`([\/\w .-]*)*`, BeezUP's URL patterns) makes
# `re` backtrack exponentially on a text it does not match.
_NESTED_QUANTIFIER: Final = re.compile(r"[*+}]\)[*+{]")
#: Longest text a pattern with nested quantifiers is run on.
NESTED_SAFE_LENGTH: Final = 16


def translate(pattern: str) -> str:
    """`pattern` with `\\s`/`\\S` spelled as ECMA-262's classes; everything else as written."""
    out: list[str] = []
    in_class = False
    class_start = -1  # index in `pattern` just after `[` or `[^`: a `]` there is a literal
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            if escaped in "sS":
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
    """Whether running `pattern` on `text` could backtrack for too long to answer."""
    return len(text) > NESTED_SAFE_LENGTH and _NESTED_QUANTIFIER.search(pattern) is not None
