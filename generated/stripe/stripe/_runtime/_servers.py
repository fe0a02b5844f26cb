"""Server variables: the spec's root server URL filled with the values a client was given
(`Client(region="us-east-1")`), each checked before anything is sent, so that a value can pick
a region or a version but never a different host than the URL's shape says (a `/`, `@` or
`#` in a host name would move the request elsewhere)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

_HOST_LABELS = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?").fullmatch
# what a path segment may hold unescaped (RFC 3986 pchar and `/`), no query, fragment or `\`
_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]*").fullmatch


@dataclass(frozen=True)
class ServerVariable:
    """A variable of the spec's root server URL, taken by the client as ``keyword``."""

    keyword: str
    default: str
    enum: tuple[str, ...] = ()
    # `path_start`: the path's start glued to the host (`https://host{basePath}`): empty or `/...`
    part: Literal["scheme", "host", "port", "path", "path_start"] = "path"


def _check(var: ServerVariable, value: str, source: str) -> None:
    if var.enum and value not in var.enum:
        raise ValueError(f"{source}={value!r} is not one of: {', '.join(var.enum)}")
    if var.part == "scheme":
        ok = value.lower() in ("http", "https")
    elif var.part == "host":
        ok = _HOST_LABELS(value) is not None
    elif var.part == "port":
        ok = value.isascii() and value.isdigit() and 0 < int(value) < 65536
    else:
        # (decoded too: `%2e%2e`, `acme%2F..%2F..`, which servers that normalise read as `..`)
        ok = _PATH(value) is not None and not climbs(value)
        # glued to the host, anything but a `/` first would extend the host name
        ok = ok and (var.part == "path" or value[:1] in ("", "/"))
    if not ok:
        where = {
            "scheme": "a URL scheme",
            "host": "a host name",
            "port": "a port number",
            "path": "a URL path",
            "path_start": "a URL path, right after the host (so it must begin with `/`)",
        }[var.part]
        raise ValueError(
            f"{source}={value!r} cannot be used in the server URL: it sits in {where}"
            " there, and this value would change what the URL points to"
        )


def climbs(path: str) -> bool:
    """Whether a server may read a `..` (or `.`) segment in `path`: decoded (`%2e%2e`, `%2f`,
    twice encoded too), with `\\` read as `/` (IIS) and a `;` segment parameter dropped
    (`..;/`: Tomcat, Jetty)."""
    for text in (path, unquote(path), unquote(unquote(path))):
        for segment in text.replace("\\", "/").split("/"):
            if segment.split(";", 1)[0] in (".", ".."):
                return True
    return False


def server_values(
    variables: Mapping[str, ServerVariable],
    given: Mapping[str, str | None],
    env_prefix: str = "",
) -> dict[str, str]:
    """Each variable's value: the one given, else ``<PREFIX>_<KEYWORD>`` from the environment
    (as credentials and the base URL are read), else its default; a value from either is
    checked (the message names the environment variable it came from)."""
    values: dict[str, str] = {}
    for name, var in variables.items():
        value = given.get(name)
        source = var.keyword
        if value is None and env_prefix:
            source = f"{env_prefix}_{var.keyword.upper()}"
            value = os.environ.get(source) or None
        if value is None:
            values[name] = var.default
            continue
        value = str(value)  # a port given as a number
        _check(var, value, source)
        values[name] = value
    return values


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{name}`` of ``values`` replaced."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template
