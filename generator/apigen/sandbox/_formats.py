"""The string and integer formats request validation checks, the way a real server reads them.

Checked: `date`, `date-time`, `time`, `uuid`, `email`/`idn-email`, `ipv4`, `ipv6` (jsonschema's
own checkers, which need no extra package, except `date-time` and `time`), `uri` (a cheap syntax
check), and the OpenAPI ranges `int32`/`int64`. Every other format (`byte`, `float`, `decimal`,
`unix-time`, `uri-template`, vendor formats...) is accepted as is: a check that refuses a value a
generated client sends for a valid argument would be the bug, not the client.

Two deliberate leniencies, both for values our generated clients send:
- `date-time` without a UTC offset (`2024-02-29T10:00:00`): what `datetime.isoformat()` gives
  for a naive datetime. The rest of RFC 3339 is enforced (a real calendar date and time of day,
  `T`/`t`/space, fractions of any length, `Z` or `+hh:mm`, leap second 60).
- `time` without a UTC offset (`10:00:00`): what `time.isoformat()` gives. RFC 3339 requires
  one; openapi-schema-validator's own `time` (draft 3's `%H:%M:%S`) refuses any that has one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jsonschema import FormatChecker  # type: ignore[import-untyped, unused-ignore]
from openapi_schema_validator import oas30_format_checker

_BORROWED = ("date", "email", "idn-email", "ipv4", "ipv6", "uuid", "int32", "int64")

_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt ](.*)\Z", re.ASCII | re.DOTALL)
# RFC 3986: a scheme, then no whitespace, controls, or characters that must be escaped.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f<>\"{}|\\^`]*\Z")


def is_date_time(instance: Any) -> bool:
    """RFC 3339 `date-time`: a real calendar date, `T`/`t`/space, then `is_time`'s time."""
    if not isinstance(instance, str):
        return True
    found = _DATE_TIME.match(instance)
    if found is None:
        return False
    try:
        dt.date.fromisoformat(found[1])
    except ValueError:
        return False
    return is_time(found[2])


_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))?\Z", re.ASCII)


def is_time(instance: Any) -> bool:
    """RFC 3339 `full-time` (`14:28:19.1-22:59`, `00:00:00Z`), or its `partial-time` without an
    offset (what `datetime.time.isoformat()` gives): hours < 24, minutes < 60, seconds <= 60."""
    if not isinstance(instance, str):
        return True
    found = _TIME.match(instance)
    if found is None:
        return False
    hour, minute, second, _, off_hour, off_minute = found.groups()
    if int(hour) > 23 or int(minute) > 59 or int(second) > 60:
        return False
    return off_hour is None or (int(off_hour) < 24 and int(off_minute) < 60)


def is_uri(instance: Any) -> bool:
    return not isinstance(instance, str) or _URI.match(instance) is not None


def request_format_checker() -> FormatChecker:
    """A FormatChecker with exactly the formats above (see module docstring)."""
    checker = FormatChecker(formats=())
    for name in _BORROWED:
        func, raises = oas30_format_checker.checkers[name]
        checker.checks(name, raises)(func)
    checker.checks("date-time")(is_date_time)
    checker.checks("time")(is_time)
    checker.checks("uri")(is_uri)
    return checker


REQUEST_FORMATS = request_format_checker()
