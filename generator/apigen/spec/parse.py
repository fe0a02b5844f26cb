"""Bytes -> text -> JSON or YAML data, chosen by content, with a file and line on every failure.

YAML is read with a loader that resolves only JSON types (dates stay strings, keys are strings,
`0777` is 777), iteratively (2,000-level documents are legal), and an alias bomb or a recursive
alias is refused before the tree is built.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, SpecError
from .locate import deep_recursion
from .pointer import join

__all__ = ["decode", "fatal", "parse", "parse_document"]


def decode(data: bytes, file: str) -> str:
    """Text of a spec file: UTF-8 (BOM optional) or BOM-marked UTF-16/32, as JSON and YAML allow."""
    for bom, bom_codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            codec = bom_codec
            break
    else:
        codec = "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fatal(
            file, "#", f"not UTF-8 text ({exc.reason} at byte {exc.start})", "syntax", line
        ) from None


def fatal(file: str, pointer: str, message: str, kind: str, line: int | None = None) -> SpecError:
    """The error that stops loading: one located diagnostic."""
    return SpecError([Diagnostic(file, pointer, message, "error", kind, line)])


def _parse_yaml(text: str, file: str, found: list[Diagnostic] | None) -> Any:
    from .yaml_load import parse_yaml  # PyYAML and the loaders: 10 ms a JSON spec never needs

    return parse_yaml(text, file, found)


#: The most a spec file (or a file its `$ref`s read) may hold: GitHub's is 13 MB. A device that
#: never ends (`/dev/zero`, `/dev/urandom`) would otherwise be read until memory runs out.
MAX_SPEC_BYTES = 256 * 1024 * 1024


class TooLarge(Exception):
    """A file past MAX_SPEC_BYTES."""


def read_capped(path: Path, limit: int = MAX_SPEC_BYTES) -> bytes:
    """A file's bytes, at most `limit` of them (`TooLarge` past it); a pipe is read once."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path)
    return data


def parse_document(
    text: str, file: str, *, json_hint: bool = False, found: list[Diagnostic] | None = None
) -> Any:
    """JSON (fast path) when the text looks like JSON, else YAML; SpecError with a line on failure."""
    return parse(text, file, json_hint=json_hint, found=found)[0]


#: Python's default cap on the decimal digits of an int it converts from or to text
#: (`sys.get_int_max_str_digits`): a larger number in a spec could be read but not rendered.
MAX_INT_DIGITS = 4300
_INT_LIMIT: int = 10**MAX_INT_DIGITS
_LONG_INT = re.compile(rf"\d{{{MAX_INT_DIGITS + 1},}}")


def int_too_long(value: int) -> bool:
    return abs(value) >= _INT_LIMIT


def parse(
    text: str, file: str, *, json_hint: bool, found: list[Diagnostic] | None = None
) -> tuple[Any, bool]:
    """The document, and whether it was read as JSON (then the text itself can be searched).

    `found` receives the warnings parsing YAML has at no extra cost (a key written twice in
    one mapping); a JSON text's repeated keys are looked for by validation (duplicate_keys)."""
    if text.lstrip()[:1] in ("{", "["):
        try:
            with deep_recursion():
                document = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
            if _SURROGATE_ESCAPE.search(text) and _LONE_ESCAPE.search(text):
                _refuse_lone_surrogates(document, file)
            return document, True
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON: {exc.msg} (column {exc.colno})"
            if json_hint:
                raise fatal(file, "#", problem, "syntax", exc.lineno) from None
            try:
                return _parse_yaml(text, file, found), False  # YAML flow style also starts with `{`
            except SpecError:
                raise fatal(file, "#", problem, "syntax", exc.lineno) from None
        except RecursionError:
            raise fatal(file, "#", "document nested too deeply to parse", "depth") from None
        except _TooLarge as exc:
            at = _number_at(text, str(exc))
            line = text.count("\n", 0, at) + 1 if at is not None else None
            raise fatal(file, "#", f"{exc}: {TOO_LARGE}", "syntax", line) from None
        except _NotJson as exc:
            spot = _CONSTANT.search(text)
            line = text.count("\n", 0, spot.start()) + 1 if spot else None
            problem = f"invalid JSON: {exc} is no JSON value (RFC 8259)"
            raise fatal(file, "#", problem, "syntax", line) from None
        except ValueError:  # (after JSONDecodeError, its subclass): an int Python will not read
            long = _LONG_INT.search(text)
            if long is None:
                raise
            line = text.count("\n", 0, long.start()) + 1
            problem = f"an integer of more than {MAX_INT_DIGITS} digits"
            raise fatal(file, "#", problem, "syntax", line) from None
    return _parse_yaml(text, file, found), False


class _NotJson(ValueError):
    """`NaN`, `Infinity` or `-Infinity`: Python's reader takes them, JSON has no such value."""


def _no_constant(name: str) -> Any:
    raise _NotJson(name)


class _TooLarge(ValueError):
    """A number past a double's range (`1e400`), which Python reads as infinity."""


TOO_LARGE = "a number past the range of a double (it would be read as infinity)"


_QUOTE = re.compile(r'(?<!\\)(?:\\\\)*"')  # an unescaped `"`


def _number_at(text: str, number: str) -> int | None:
    """Where `number` stands as a number in JSON `text` (after `:`, `[` or `,`), not inside a
    string (`"description": "[1e999]"`: a JSON string holds no raw line break, so a place is
    in one when an odd number of quotes precede it on its line)."""
    pattern = r"[:\[,]\s*" + re.escape(number) + r"(?![\w.+-])"
    for spot in re.finditer(pattern, text):
        line_start = text.rfind("\n", 0, spot.start()) + 1
        if len(_QUOTE.findall(text, line_start, spot.start())) % 2 == 0:
            return spot.end()
    return None


def _finite(text: str) -> float:
    """A JSON number with a fraction or an exponent; `1e400` was read as `inf` without a word
    (the sandbox then answered `Infinity`, which is no JSON; a model defaulted to it)."""
    value = float(text)
    if math.isinf(value):
        raise _TooLarge(text)
    return value


# where such a value stands (after `:`, `[` or `,`), for the line of the error
_CONSTANT = re.compile(r"[:\[,]\s*(-?Infinity|NaN)\b")


# A `\ud800`-`\udfff` escape (11 ms over GitHub's 13 MB), then, only where there is one, a
# high half not followed by a low one or the other way round: JSON may spell half a UTF-16 pair
# alone, which `json.loads` keeps as a lone surrogate no file can be written in (YAML refuses it
# while parsing). A pair (an emoji) is one character and passes.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_LONE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(document: Any, file: str) -> None:
    """SpecError at the first string (or key) holding a lone surrogate: the build writes the
    spec's text into README, manifest and docstrings as UTF-8, which cannot encode one. Only
    looked for when the text has such an escape (a pair is joined into one character)."""
    stack: list[tuple[Any, list[str | int]]] = [(document, [])]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            _lone(node, where, file)
        elif isinstance(node, dict):
            for key, value in node.items():
                _lone(key, [*where, key], file)
                stack.append((value, [*where, key]))
        elif isinstance(node, list):
            stack.extend((value, [*where, i]) for i, value in enumerate(node))


def _lone(text: str, where: list[str | int], file: str) -> None:
    found = _LONE.search(text)
    if found is None:
        return
    printable = [
        s.encode("utf-8", "backslashreplace").decode("ascii") if isinstance(s, str) else s
        for s in where
    ]
    raise fatal(
        file,
        join(printable),
        f"invalid JSON string: a lone UTF-16 surrogate (\\u{ord(found.group()):04x}) is no "
        "Unicode character (write the pair, or the character itself)",
        "syntax",
    )
