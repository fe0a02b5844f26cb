"""Servers: the client's default base URL, operation servers, and the root server's variables
as client keyword arguments (`Client(region="us-east-1")`, as a provider's own SDK takes a
region). A variable becomes a keyword when the root server's URL uses it and it has a default;
the URL keeps its `{name}` there (`ServerDef.template`), the runtime fills it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import naming
from ..diagnostics import Report
from ..spec.pointer import escape
from .nodes import JSON_OBJECT, ServerDef, ServerVariableDef

_VAR = re.compile(r"\{([^{}]+)\}")


def _default(var: Any) -> str | None:
    default = var.get("default") if isinstance(var, JSON_OBJECT) else None
    if isinstance(default, str | int | float) and not isinstance(default, bool):
        return str(default)
    return None  # no default, or not a JSON scalar (the validator reports it)


def server_url(server: Mapping[str, Any], keep: frozenset[str] = frozenset()) -> str:
    """A Server Object's URL with each variable replaced by its default (those in `keep` stay
    `{name}`), without a query or fragment: joined with a path, a query would swallow it
    (`/v1?tenant=9/pets`), so the runtime refuses a base URL with one (`base_url` warns). A
    default that would break the part it stands in (`_breaks`) is none: `https://{env}.api.test`
    with `evil.test#` is a request to `evil.test` (`base_url` warns)."""
    url = _without_query(str(server.get("url") or ""))
    variables = server.get("variables")
    variables = variables if isinstance(variables, JSON_OBJECT) else {}

    def substitute(m: re.Match[str]) -> str:
        if m.group(1) in keep:
            return m.group(0)
        default = _default(variables.get(m.group(1)))
        if default is not None and _breaks(url, m.group(1), default) is not None:
            default = None
        return m.group(0) if default is None else default

    return _VAR.sub(substitute, url)


def _breaks(template: str, name: str, default: str) -> tuple[str, str] | None:
    """What in `default` breaks the URL part `name` stands in, and that part (`host` or
    `path`), else None. In the authority (`https://{env}.api.test`): `?`, `#`, `@`, a
    backslash, a space or a control character; a `/` where the host goes on after it
    (`{env}.api.test`, not `{server}{basePath}`). RFC 3986 §3.2: the request would go to
    another host (`evil.test#` makes `https://evil.test`). In the path (`https://api.test/
    {basePath}`): `?`, `#` or a control character: a base URL with a query the runtime refuses,
    a CR LF no request can carry (helper 174: `Client()` raised, or every call `InvalidURL`)."""
    # (a relative URL, `/{basePath}`, has a path only)
    rest = template.split("://", 1)[1] if "://" in template else template
    end = re.search(r"[/?#]", _masked(rest))
    authority = (rest if end is None else rest[: end.start()]) if "://" in template else ""
    for m in _VAR.finditer(authority):
        if m.group(1) != name:
            continue
        tail = _VAR.split(authority[m.end() :], maxsplit=1)[0]  # literal text after it
        found = re.search(r"[?#@\\\s\x00-\x1f\x7f]" + ("|/" if tail else ""), default)
        if found is not None:
            return found.group(0), "host"
    if "{" + name + "}" in rest[len(authority) :]:
        found = re.search(r"[?#\x00-\x1f\x7f]", default)
        if found is not None:
            return found.group(0), "path"
    return None


def _without_query(url: str) -> str:
    end = re.search(r"[?#]", _masked(url))
    return url if end is None else url[: end.start()]


def _masked(url: str) -> str:
    """`url` with each `{variable}` name blanked, same length: a `?`, `#`, `/` or `@` inside a
    name (`https://{a?b}.api.test`) is no part of the URL's shape (helper 208: the base URL
    was cut to `https://{a`, every variable lost)."""
    return _VAR.sub(lambda m: "{" + "v" * (len(m.group(0)) - 2) + "}", url)


def _root(document: Mapping[str, Any]) -> Mapping[str, Any]:
    servers = document.get("servers") or []
    if not (isinstance(servers, list) and servers):
        return {}
    server = servers[root_index(document)]
    return server if isinstance(server, JSON_OBJECT) else {}


def root_index(document: Mapping[str, Any]) -> int:
    """Which server is the client's default: the first an HTTP client can call (http, https or
    relative), not a `ws`/`wss` one listed before it (a Swagger 2.0 `schemes: [wss, http]`)."""
    servers = document.get("servers") or []
    for i, server in enumerate(servers if isinstance(servers, list) else []):
        if isinstance(server, JSON_OBJECT) and not OTHER_SCHEME.match(server_url(server)):
            return i
    return 0


# a URL of a scheme an HTTP client cannot call (`wss://`, `ftp://`)
# (`://`: `localhost:8080/v1`, no scheme at all, is read as before: a relative URL)
OTHER_SCHEME = re.compile(r"^(?!https?:)[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _absolute(url: str, substituted: str) -> str:
    """A relative root server is on localhost (`substituted`: `url` with every variable at its
    default, which says whether it is relative: `{scheme}://host` is not); so is one of
    another scheme (no path of its is ours)."""
    if OTHER_SCHEME.match(substituted):
        return "http://localhost"
    if not re.match(r"^https?://", substituted, re.IGNORECASE):
        url = "http://localhost" + ("/" + url.lstrip("/") if url.strip("/") else "")
    return url.rstrip("/")


def root_server_url(document: Mapping[str, Any]) -> str:
    """The spec's root server as the client's default base URL (relative: on localhost)."""
    url = server_url(_root(document)) or "/"
    return _absolute(url, url)


def _template(document: Mapping[str, Any], keep: frozenset[str]) -> str:
    return _absolute(server_url(_root(document), keep) or "/", server_url(_root(document)) or "/")


def _variable_names(document: Mapping[str, Any]) -> list[str]:
    """The root server's variables its URL uses, with a usable default and some choice (not an
    `enum` of one value), in URL order. A default that would end the host it stands in is no
    usable one (`_breaks`): as a keyword's default it sent `Client()` to `evil.test`."""
    server = _root(document)
    variables = server.get("variables")
    variables = variables if isinstance(variables, JSON_OBJECT) else {}
    url = _without_query(str(server.get("url") or ""))
    names: list[str] = []
    authority = _masked(url).partition("://")[2].partition("/")[0]
    if "@" in authority:  # user info (`https://{user}@host`): httpx sent it as Basic auth in
        return names  # place of the caller's credentials; no keyword fills it (`base_url` warns)
    for m in _VAR.finditer(url):
        name = m.group(1)
        var = variables.get(name)
        enum = var.get("enum") if isinstance(var, JSON_OBJECT) else None
        fixed = isinstance(enum, list) and len(enum) == 1
        default = _default(var)
        if (
            name not in names
            and default is not None
            and not fixed
            and _breaks(url, name, default) is None
            and not _bad_port(url, name, default)
        ):
            names.append(name)
    return names


def _bad_port(template: str, name: str, default: str) -> bool:
    """A default standing for the port that is none (`0`, `65536`): warned of as no URL, and
    then the runtime filled it in all the same (helper 192)."""
    if "://" not in template or _part(template, name, default) != "port":
        return False
    return not (default.isascii() and default.isdigit() and 0 < int(default) < 65536)


def root_server(document: Mapping[str, Any], taken: set[str]) -> ServerDef:
    """The root server's URL template and its variables; `taken`: the client's other keyword
    arguments (credentials), which a variable's keyword must not shadow."""
    server = _root(document)
    names = _variable_names(document)
    template = _template(document, frozenset(names))
    # (a `{scheme}` defaulting to `javascript`: the template is localhost's, without it)
    names = [n for n in names if "{" + n + "}" in template]
    variables = server.get("variables")
    variables = variables if isinstance(variables, JSON_OBJECT) else {}
    used = set(naming.CLIENT_KEYWORDS) | taken
    defs: list[ServerVariableDef] = []
    for name in names:
        raw = variables[name]
        keyword = naming.param_name(name)
        if keyword in used or keyword.rstrip("_") in used:  # `timeout` (`timeout_` as a param)
            keyword = keyword.rstrip("_") + "_variable"
        while keyword in used:
            keyword += "_"
        used.add(keyword)
        enum = raw.get("enum")
        values = tuple(
            str(v)
            for v in (enum if isinstance(enum, list) else [])
            if isinstance(v, str | int | float) and not isinstance(v, bool)
        )
        default = _default(raw)
        assert default is not None  # _variable_names keeps only those with one
        description = raw.get("description")
        defs.append(
            ServerVariableDef(
                name=name,
                keyword=keyword,
                default=default,
                enum=tuple(dict.fromkeys(values)),
                part=_part(template, name, default),
                description=str(description).strip() if isinstance(description, str) else "",
            )
        )
    return ServerDef(template=template, variables=tuple(defs), relative=relative_url(document))


def relative_url(document: Mapping[str, Any]) -> str | None:
    """The root server's URL (variables at their defaults) when it names no host, else None."""
    url = server_url(_root(document)) or "/"
    return None if re.match(r"^https?://", url, re.IGNORECASE) else url


def _part(template: str, name: str, default: str) -> str:
    """Where `{name}` first sits in the URL: `scheme`, `host`, `port` (after the authority's
    `:`), `path`, or `path_start`: the path's start, glued to the host (`https://api.example.com
    {basePath}`, default `/v1`), whose value must begin with `/` (`x.evil.com` there would be
    a host, `https://api.example.comx.evil.com`); the runtime checks a value against it."""
    at = template.index("{" + name + "}")
    scheme_end = template.find("://")
    if scheme_end < 0 or at < scheme_end:
        return "scheme"
    host_end = template.find("/", scheme_end + 3)
    if host_end >= 0 and at >= host_end:
        return "path"
    if template[at - 1] == ":":
        return "port"
    closes_authority = at + len(name) + 2 == (host_end if host_end >= 0 else len(template))
    glued = at > scheme_end + 3 and template[at - 1] not in "./-@"
    if default.startswith("/") or (default == "" and glued and closes_authority):
        return "path_start"
    return "host"


def operation_server(
    document: Mapping[str, Any], servers: Any, no_url: Callable[[str], None] | None = None
) -> str | None:
    """An operation's (or path item's) `servers`: the first http(s) or relative one's URL,
    variables at their defaults, a relative one resolved against the root server with the root's variables kept
    as `{name}` (the client fills them as for the root); None when it is the root server, not
    http(s), or no URL (then handed to `no_url`: every call failed with httpx's `InvalidURL`)."""
    if not isinstance(servers, list):
        return None
    # the first an HTTP client calls, as for the root (`root_index`): a `wss://` one listed
    # first sent the operation to the root server, which its `servers` replace
    callable_servers = [
        s for s in servers if isinstance(s, JSON_OBJECT) and not OTHER_SCHEME.match(server_url(s))
    ]
    if not callable_servers:
        return None
    names = _variable_names(document)
    # resolved with a marker in each `{name}` (`{scheme}://` is no URL to urljoin), then put back
    markers = {f"apigenvar{i}x": "{" + name + "}" for i, name in enumerate(names)}
    root = _template(document, frozenset(names))
    for marker, placeholder in markers.items():
        root = root.replace(placeholder, marker)
    relative = server_url(callable_servers[0]) or "/"
    try:
        if re.match(r"^[a-z][a-z0-9+.-]*:", relative, re.IGNORECASE):
            url = relative.rstrip("/")  # absolute
        else:  # urljoin resolves only schemes it knows: the root's may be a marker
            scheme, _, rest = root.partition("://")
            url = urljoin("https://" + rest + "/", relative).rstrip("/")
            url = scheme + "://" + url.removeprefix("https://")
    except ValueError:  # no URL (`https://[x]/`: a bracketed host that is no IP)
        if no_url is not None:
            no_url(relative)
        return None
    variables = _root(document)["variables"] if names else {}
    defaults = {marker: _default(variables[n]) for marker, n in zip(markers, names, strict=True)}
    if url == root or _fill(url, defaults) == _fill(root, defaults):
        return None  # the root server (spelled out with its defaults): nothing to override
    if not re.match(r"^https?://", _fill(url, defaults), re.IGNORECASE):
        return None
    filled = _fill(url, defaults)
    if not _is_url(filled) or _VAR.search(filled):  # `http://[::1/p`, a port past 65535, a
        if no_url is not None:  # variable of its own with no usable default (`_breaks`)
            no_url(relative)
        return None
    return _fill(url, markers)


def _fill(url: str, values: Mapping[str, Any]) -> str:
    for key, value in values.items():
        url = url.replace(key, str(value))
    return url


def base_url(document: Mapping[str, Any], report: Report, file: str) -> str:
    """The root server (`root_server_url`), warning when it is not absolute."""
    servers = document.get("servers") or []
    at = f"#/servers/{root_index(document)}"
    url = server_url(_root(document)) or "/"
    written = str(_root(document).get("url") or "")
    if _without_query(written) != written:
        report.warn(
            file,
            f"{at}/url",
            f"server URL {written!r} has a query or a fragment",
            kind="servers",
            action="left out of the base URL; pass its parameters with default_query=",
        )
    _warn_defaults(_root(document), at, report, file)
    if OTHER_SCHEME.match(url):
        report.warn(
            file,
            f"{at}/url",
            f"server URL {url!r} is not http(s)",
            kind="servers",
            action="default base URL is http://localhost; pass base_url=",
        )
    elif relative_url(document) is not None:
        report.warn(
            file,
            f"{at}/url" if servers else "#/servers",
            # (without `servers`, OpenAPI's default: the key named is where one would go)
            ("" if servers else "no `servers`: the default ")
            + f"server URL {url!r} is not absolute",
            kind="servers",
            action=f"default base URL is {root_server_url(document)}; pass base_url=",
        )
    elif (left := _VAR.search(url)) is not None or not _is_url(url):
        report.warn(
            file,
            at,
            f"server URL {url!r} is no URL"
            + (f" (variable {left.group(0)} has no usable default)" if left is not None else ""),
            kind="servers",
            action="the client has no usable default base URL; pass base_url=",
        )
        if left is None:  # (a variable without a default: the runtime names it)
            return ""  # every call says `pass base_url=`, not httpx's InvalidURL
    return root_server_url(document)


def _warn_defaults(server: Mapping[str, Any], at: str, report: Report, file: str) -> None:
    """A variable's default outside its `enum` (OpenAPI: it MUST be one of them), and one
    that would break the host or path it stands in (`server_url` leaves such a default out)."""
    variables = server.get("variables")
    template = _without_query(str(server.get("url") or ""))
    for name, var in (variables if isinstance(variables, JSON_OBJECT) else {}).items():
        default = _default(var)
        if default is None:
            continue
        where = f"{at}/variables/{escape(str(name))}/default"
        enum = var.get("enum")
        if isinstance(enum, list) and enum and default not in [str(v) for v in enum]:
            report.warn(
                file,
                where,
                f"server variable {name!r}: default {default!r} is not one of its enum",
                kind="servers",
                action="the default is used as written",
            )
        broken = _breaks(template, str(name), default)
        if broken is not None:
            found, part = broken
            harm = (
                "which would send requests to another host"
                if part == "host"
                else "which no base URL's path can hold"
            )
            report.warn(
                file,
                where,
                f"server variable {name!r} stands in the {part}, and its default {default!r} "
                f"holds {found!r}, {harm}",
                kind="servers",
                action="the client has no usable default base URL; pass base_url=",
            )


def _is_url(url: str) -> bool:
    """A URL a client can send to as written: a host, a port that is a port, no user info
    (`https://api.example.com%2F@evil.example/` reads as one host and is another; httpx sent
    its user info as Basic auth in place of the caller's credentials), no control character
    or backslash (`urlsplit` drops a CR LF without a word), no space in the host (one in the
    path is sent encoded)."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in url):
        return False
    try:
        parts = urlsplit(url)
        return (
            bool(parts.hostname)
            and "@" not in parts.netloc
            and not any(c.isspace() for c in parts.netloc)
            and (parts.port is None or 0 < parts.port < 65536)
        )
    except ValueError:  # a bracketed host that is no IP, a port that is no number
        return False
