"""Scalar example values: strings (formats, lengths, patterns), integers and numbers.

Values are plain and recognisable ("2024-01-02T03:04:05Z", "user@example.com", the property
name as a string) so demo output reads well; numbers come from the caller's seeded RNG.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from ..ecma_regex import compile_pattern, finds
from ..regex_example import example as regex_example
from ._fits import is_num

Schema = Mapping[str, Any]

FORMATS: Final[dict[str, str]] = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "iri-reference": "https://example.com/",
    "uri-template": "https://example.com/{id}",
    "json-pointer": "/example",
    "relative-json-pointer": "0",
    "regex": "^.*$",
    "byte": "c3RyaW5n",
    "binary": "string",
    "password": "password",
    "int32": "1",
    "int64": "1",
    "decimal": "1.5",
    "double": "1.5",
    "float": "1.5",
}
INT_RANGES: Final[dict[str, tuple[int, int]]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}
#: Tried in order when a string must match a `pattern`, before walking the regex (`regex_example`).
_PATTERN_CANDIDATES: Final = (
    "string",
    "a",
    "A",
    "1",
    "abc",
    "ABC",
    "123",
    "a1",
    "A1",
    "abc123",
    "example",
    "a-b",
    "a_b",
    "a.b",
    "1.0.0",
    "v1.0.0",
    "000000",
    "#000000",
    "example.com",
    "https://example.com/",
    "user@example.com",
    "2024-01-02",
    "2024-01-02T03:04:05Z",
    "a/b",
    "0",
    "true",
    "USD",
    "usd",
    "en",
    "en-US",
    "AA",
    "aa",
    "a" * 40,
    "0" * 40,
)


def string(
    schema: Schema, rng: random.Random, hint: str | None, variant: int, *, vary: bool = False
) -> str:
    """A string honouring format, length and pattern (plain candidates first, then `regex_example`).

    With `vary`, formatted and plain strings differ from draw to draw (random timestamps,
    addresses, suffixes); a drawn value that breaks the pattern falls back to the usual
    candidates.
    """
    fmt = schema.get("format")
    drawn = _drawn(fmt, rng, hint) if vary else None
    if fmt == "uuid":
        value = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    elif drawn is not None:
        value = drawn
    elif isinstance(fmt, str) and fmt in FORMATS:
        value = FORMATS[fmt]
    else:
        value = (hint if hint and hint.isidentifier() else "string") + (
            str(variant) if variant else ""
        )
    low = schema.get("minLength")
    high = schema.get("maxLength")
    low = low if isinstance(low, int) and not isinstance(low, bool) else 0
    high = high if isinstance(high, int) and not isinstance(high, bool) else None
    if high is not None and len(value) > high and fmt in _SHORT:
        value = _SHORT[fmt]  # `{format: email, maxLength: 8}`: a cut address is none
    value = _fit_length(value, low, high)
    pattern = schema.get("pattern")
    compiled = compile_pattern(pattern) if isinstance(pattern, str) else None
    # (`finds`: a long filler under runs side by side, `x*x*...y`, made `re` hang the sandbox)
    if compiled is None or finds(str(pattern), value) is True:
        return value
    top = high if high is not None else 1 << 30
    lead = _literal_lead(str(pattern))
    if isinstance(fmt, str) and fmt in FORMATS and lead:
        # `{format: date, pattern: "^2019-"}`: the pattern's fixed start over the formatted
        # value keeps both (`2019-01-15`), where the pattern's own example breaks the format
        for formatted in (value, FORMATS[fmt]):
            candidate = lead + formatted[len(lead) :]
            if (
                low <= len(candidate) <= top
                and finds(str(pattern), candidate) is True
                and _is_format(candidate, fmt)  # `^2019-1` over a date: `2019-14-02` is none
            ):
                return candidate
    if variant:  # values that must differ (`uniqueItems`): another of the pattern's strings
        built = regex_example(str(pattern), low, high, variant)
        if built is not None:
            return built
    tails = ("", "a", "1", "a1", "abc123")
    for candidate in (hint or "", *_PATTERN_CANDIDATES, *(lead + t for t in tails)):
        if candidate and low <= len(candidate) <= top and finds(str(pattern), candidate) is True:
            return candidate
    built = regex_example(str(pattern), low, high)
    return built if built is not None else value


def _is_format(value: str, fmt: str) -> bool:
    """Whether `value` is a valid `fmt` (the formats a pattern's lead may have broken)."""
    from ._formats import REQUEST_FORMATS

    return bool(REQUEST_FORMATS.conforms(value, fmt))


#: The shortest values of formats whose usual value a `maxLength` would cut into a non-value.
_SHORT: Final[dict[str, str]] = {
    "email": "a@b.co",
    "idn-email": "a@b.co",
    "uri": "a:b",
    "iri": "a:b",
    "url": "a:b",
    "uri-reference": "a",
    "iri-reference": "a",
    "hostname": "a",
    "idn-hostname": "a",
    "ipv4": "1.1.1.1",
    "ipv6": "::1",
}


def _drawn(fmt: Any, rng: random.Random, hint: str | None) -> str | None:
    """A random value for the common formats (and plain strings), or None to use the fixed one."""
    n = rng.randrange(100_000)
    if fmt == "date-time":
        stamp = 1_500_000_000 + rng.randrange(400_000_000)
        return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "date":
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(10_000))
        return day.isoformat()
    if fmt in ("email", "idn-email"):
        return f"user{n}@example.com"
    if fmt in ("uri", "url", "iri", "uri-reference", "iri-reference"):
        return f"https://example.com/{n}"
    if fmt in ("hostname", "idn-hostname"):
        return f"host{n}.example.com"
    if fmt == "ipv4":
        return f"192.0.2.{n % 255}"
    if fmt is None:
        return (hint if hint and hint.isidentifier() else "string") + f"_{n}"
    return None


def _bounds(schema: Schema) -> tuple[float | None, bool, float | None, bool]:
    """(low, low exclusive, high, high exclusive), reading both 3.0 and 3.1 exclusive forms."""
    low = schema.get("minimum") if is_num(schema.get("minimum")) else None
    high = schema.get("maximum") if is_num(schema.get("maximum")) else None
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    low_open = ex_low is True
    high_open = ex_high is True
    if is_num(ex_low) and (low is None or ex_low >= low):
        low, low_open = ex_low, True
    if is_num(ex_high) and (high is None or ex_high <= high):
        high, high_open = ex_high, True
    return low, low_open, high, high_open


def integer(schema: Schema, rng: random.Random, variant: int) -> int:
    """An integer inside the bounds, format range and multipleOf; small and positive if it can be."""
    low_f, low_open, high_f, high_open = _bounds(schema)
    low = None if low_f is None else (math.floor(low_f) + 1 if low_open else math.ceil(low_f))
    high = None if high_f is None else (math.ceil(high_f) - 1 if high_open else math.floor(high_f))
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in INT_RANGES:
        low = max(low, INT_RANGES[fmt][0]) if low is not None else INT_RANGES[fmt][0]
        high = min(high, INT_RANGES[fmt][1]) if high is not None else INT_RANGES[fmt][1]
    if low is not None and high is not None and low > high:
        return low
    if (low is None or low <= 1) and (high is None or high >= 1):
        value = rng.randint(1, 100 if high is None else min(high, 100))
    elif low is None:
        value = rng.randint(max(high - 99, -(2**63)), high) if high is not None else 1
    else:
        value = rng.randint(low, low + 99 if high is None else min(high, low + 99))
    if low is not None and high is not None and variant:
        value = low + (value - low + variant) % (high - low + 1)  # stays inside: values differ
    else:
        value += variant
    step = schema.get("multipleOf")
    if isinstance(step, int) and not isinstance(step, bool) and step > 0:
        value = -(-value // step) * step
        if high is not None and value > high:
            value = (high // step) * step
    if high is not None:
        value = min(value, high)
    return value


def number(schema: Schema, rng: random.Random, variant: int) -> int | float:
    """A number inside the bounds; an exact multiple when multipleOf is given."""
    low, low_open, high, high_open = _bounds(schema)
    step = schema.get("multipleOf")
    if is_num(step) and step > 0:
        if low is not None:
            start = max(
                math.ceil(low / step), 1 if low_open and low == 0 else math.ceil(low / step)
            )
            ks = range(start + variant, start + variant + 4)
        elif high is not None:  # down from a maximum (a negative one: -11 was drawn for 3)
            top = min(1, math.floor(high / step)) - variant
            ks = range(top, top - 4, -1)
        else:
            ks = range(1 + variant, 5 + variant)
        for k in ks:
            # the decimal product (0.1 * 3 is 0.30000000000000004, no multiple of 0.1 as JSON
            # writes it): what the validators read (`_dialect.decimal_multiple`)
            exact = Decimal(k) * Decimal(repr(step))
            candidate: int | float = (
                int(exact) if exact == exact.to_integral_value() else float(exact)
            )
            if (low is None or candidate > low or (candidate == low and not low_open)) and (
                high is None or candidate < high or (candidate == high and not high_open)
            ):
                return candidate
    if low is not None and high is not None:
        # the middle; another variant another point inside (1/4, 3/4, 1/8...): values that
        # must differ (`uniqueItems`) do
        return low + (high - low) * _spread(variant + 1) if low < high else low
    value = rng.randint(1, 100) + 0.5 + variant
    if low is not None:
        return low + value
    if high is not None:
        return min(value, high - 1)
    return value


def _spread(n: int) -> float:
    """The van der Corput point of `n` in (0, 1): 1/2, 1/4, 3/4, 1/8, 5/8..."""
    point, base = 0.0, 0.5
    while n:
        n, bit = divmod(n, 2)
        point += bit * base
        base /= 2
    return point


#: Characters a string gets at most, whatever its `minLength` (`minLength: 100000000` grew the
#: sandbox by 100 MB a value).
MAX_LENGTH = 1 << 14


def _fit_length(value: str, low: int, high: int | None) -> str:
    low = min(low, MAX_LENGTH)
    if len(value) < low:
        value += "x" * (low - len(value))
    return value[:high] if high is not None else value


def _literal_lead(pattern: str) -> str:
    """The literal text a pattern starts with (`^rdme_\\w+` -> `rdme_`), to build candidates on.

    Not regex inversion: just enough for the common "fixed prefix, then word characters" shape.
    """
    body = pattern.removeprefix("^")
    lead: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and not body[index + 1].isalnum():
            lead.append(body[index + 1])
            index += 2
            continue
        if char in "\\.[](){}*+?|^$":
            if char in "*?{" and lead:  # the last literal was optional or repeated
                lead.pop()
            break
        lead.append(char)
        index += 1
    return "".join(lead)
