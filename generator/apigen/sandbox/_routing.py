"""Request path -> (path template, operation), the way a real API router would pick it.

Templates compile to one regex per segment (`{name}.{ext}` included). Candidates are ordered
most specific first: per segment, literal beats mixed beats a bare parameter, so `/pets/mine`
wins over `/pets/{id}` whatever order the spec lists them in. A path parameter fills exactly
one segment (RFC 6570 simple expansion escapes `/`): `/pets/a/b` does not match `/pets/{id}`,
even for GitHub's `/contents/{path}` (clients must send `a%2Fb`, as ours do; Prism agrees).
Percent-encoded slashes stay inside their segment and are decoded for validation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ._refs import RefError, Resolver, escape_token

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAM = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Route:
    """One path template of the spec, compiled."""

    template: str
    pointer: str
    operations: Mapping[str, Mapping[str, Any]]
    patterns: tuple[re.Pattern[str], ...]
    names: tuple[tuple[str, ...], ...]
    rank: tuple[int, ...] = field(compare=False)

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """Path parameters if `segments` (percent-decoded, one per template segment) fit."""
        if len(segments) != len(self.patterns):
            return None
        params: dict[str, str] = {}
        for pattern, names, segment in zip(self.patterns, self.names, segments, strict=True):
            found = pattern.fullmatch(segment)
            if found is None:
                return None
            params.update(zip(names, found.groups(), strict=True))
        return params

    def example_path(self, value: str = "1") -> str:
        """The template with every parameter filled in, e.g. to call each operation once."""
        return _PARAM.sub(value, self.template)


@dataclass(frozen=True)
class Match:
    """Routing outcome: `operation` is None when the path exists but the method does not."""

    route: Route
    method: str
    operation: Mapping[str, Any] | None
    params: dict[str, str]

    @property
    def allowed(self) -> list[str]:
        return sorted(m.upper() for m in self.route.operations)


def compile_template(
    template: str,
) -> tuple[tuple[re.Pattern[str], ...], tuple[tuple[str, ...], ...], tuple[int, ...]]:
    """Per-segment regexes, parameter names and specificity rank (0 literal, 1 mixed, 2 bare)."""
    patterns: list[re.Pattern[str]] = []
    names: list[tuple[str, ...]] = []
    rank: list[int] = []
    # Some specs tell operations apart with `/x#variant` or `/x?mode=y`; clients never send those.
    path = template.split("#", 1)[0].split("?", 1)[0]
    for segment in split_path(path):
        pieces = _PARAM.split(segment)  # literal, name, literal, name, ..., literal
        regex = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(pieces))
        patterns.append(re.compile(regex, re.DOTALL))
        names.append(tuple(pieces[1::2]))
        literal = "".join(pieces[0::2])
        rank.append(0 if not names[-1] else 2 if not literal else 1)
    return tuple(patterns), tuple(names), tuple(rank)


def split_path(path: str) -> list[str]:
    """'/a/b/' -> ['a', 'b']; '/' -> [] (a trailing slash is not significant)."""
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


def server_prefix(server: Any) -> str:
    """The path part of one Server Object's URL, variables replaced by their defaults."""
    if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
        return ""
    url: str = server["url"]
    variables = server.get("variables")
    if isinstance(variables, Mapping):
        for name, spec in variables.items():
            default = spec.get("default", "") if isinstance(spec, Mapping) else ""
            url = url.replace("{" + str(name) + "}", str(default))
    path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    return "/" + "/".join(split_path(path)) if split_path(path) else ""


class Router:
    """All routes of one document, plus the server path prefixes requests may carry."""

    def __init__(self, document: Mapping[str, Any], resolver: Resolver) -> None:
        servers = document.get("servers")
        self.prefix = server_prefix(servers[0]) if isinstance(servers, list) and servers else ""
        prefixes = {self.prefix, ""}
        routes: list[Route] = []
        paths = document.get("paths")
        for template, raw_item in paths.items() if isinstance(paths, Mapping) else ():
            try:
                item, _ = resolver.resolve(raw_item)
            except RefError:
                continue
            if not isinstance(template, str) or not isinstance(item, Mapping):
                continue
            operations = {
                m: op for m, op in item.items() if m in METHODS and isinstance(op, Mapping)
            }
            for holder in (item, *operations.values()):
                for server in holder.get("servers") or ():
                    prefixes.add(server_prefix(server))
            patterns, names, rank = compile_template(template)
            pointer = "#/paths/" + escape_token(template)
            routes.append(Route(template, pointer, operations, patterns, names, rank))
        self.routes = sorted(routes, key=lambda r: (r.rank, r.template))
        self._by_length: dict[int, list[Route]] = {}
        for route in self.routes:  # exact matches need the same segment count: index by it
            self._by_length.setdefault(len(route.patterns), []).append(route)
        self.prefixes = sorted(prefixes, key=len, reverse=True)

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)

    def strip_prefix(self, path: str) -> Iterator[str]:
        """`path` without each server prefix it starts with, longest first, then as is."""
        for prefix in self.prefixes:
            if not prefix:
                yield path
            elif path == prefix or path.startswith(prefix + "/"):
                yield path[len(prefix) :] or "/"

    def match(self, method: str, raw_path: str) -> Match | None:
        """The route for a request path (still percent-encoded), or None when no template fits.

        A template that fits the path but not the method yields to a less specific one that
        has the method (specs do declare `/x/{a}` and `/x/{b}` for different methods); only
        when none has it is the first fit returned, with `operation` None (a 405).
        """
        method = method.lower()
        fallback: Match | None = None
        for path in self.strip_prefix(raw_path):
            segments = [unquote(s) for s in split_path(path)]
            for route in self._by_length.get(len(segments), []):
                params = route.match(segments)
                if params is None:
                    continue
                operation = route.operations.get(method)
                if operation is None and method == "head":
                    operation = route.operations.get("get")
                if operation is not None:
                    return Match(route, method, operation, params)
                fallback = fallback or Match(route, method, None, params)
        return fallback
