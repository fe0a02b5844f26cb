"""Request path -> (path template, operation), the way a real API router would pick it.

Templates compile to one regex per segment (`{name}.{ext}` included). Candidates are ordered
most specific first: per segment, literal beats mixed beats a bare parameter, so `/pets/mine`
wins over `/pets/{id}` whatever order the spec lists them in. A path parameter fills exactly
one segment (RFC 6570 simple expansion escapes `/`): `/pets/a/b` does not match `/pets/{id}`,
unless the parameter is marked `x-multi-segment: true` (GitHub's `/contents/{path}`, its branch
names and refs; RFC 6570's `{+path}`): that one spans segments, `/contents/` included.
Percent-encoded slashes stay inside their segment and are decoded for validation. A segment
with several parameters (`{query}.{ext}`) is split at its literal text before decoding, so a
value's percent-encoded `.` stays in the value; an unencoded one is split where the parameters'
enums or numeric types allow (`a.b.xml` for `{query}.{ext}`, ext in json/xml) before the first
dot is tried (decisions.md 29).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ..ir.servers import root_index
from ..path_keys import spanning, split_key
from ..spec.methods import path_operations
from ._refs import RefError, Resolver, escape_token, listed

_PARAM = re.compile(r"\{([^{}]+)\}")
#: Operations of keys sending one path tried for a request the routed one refuses.
_MAX_TWINS = 16


@dataclass(frozen=True)
class Route:
    """One path template of the spec, compiled."""

    template: str
    pointer: str
    operations: Mapping[str, Mapping[str, Any]]
    patterns: tuple[re.Pattern[str], ...]
    names: tuple[tuple[str, ...], ...]
    rank: tuple[int, ...] = field(compare=False)
    # per method: what a request must carry to be this route's operation when several keys
    # share one path (`/#Action=X`, `/x?mode={m}`): (location, name, value or None for any)
    needs: Mapping[str, tuple[tuple[str, str, str | None], ...]] = field(
        default_factory=dict, compare=False
    )
    # per segment shared by several values: a regex using the parameters' enums and numeric
    # types, tried first, so that an unencoded `a.b.xml` still splits as `a.b` + `xml`
    preferred: tuple[re.Pattern[str] | None, ...] = field(default=(), compare=False)
    # the path sent, parameters unnamed (`/responses/{}`): keys sharing it are told apart by
    # `needs`; `shared` when some key of this shape has needs (a plain key then competes)
    shape: str = field(default="", compare=False)
    shared: bool = field(default=False, compare=False)
    # per path parameter every operation constrains alike (an enum, a number, a uuid): the
    # values it takes, so a route whose parameter cannot be the segment yields to one that fits
    values: Mapping[str, re.Pattern[str]] = field(default_factory=dict, compare=False)
    # per method: its operation's pointer below the path item (`get`; 3.2's
    # `additionalOperations/COPY`)
    where: Mapping[str, str] = field(default_factory=dict, compare=False)
    # the segment a value spanning segments fills (`x-multi-segment`: GitHub's
    # `/contents/{path}` takes `docs/README.md`), -1 for none
    span: int = field(default=-1, compare=False)

    def fits(self, params: Mapping[str, str]) -> bool:
        return all(
            regex.fullmatch(params[name]) for name, regex in self.values.items() if name in params
        )

    def match(self, segments: list[str]) -> PathParams | None:
        """Path parameters (decoded) if `segments` (as sent, one per template segment) fit.

        A segment is split at the template's literal text as sent, before decoding: a value's
        encoded `.` (`a%2Eb.json` for `{query}.{ext}`) is the value's, not the separator. A
        segment that fits only decoded (a client encoding the template's own text) is split
        decoded."""
        if len(segments) != len(self.patterns):
            spanned = self._spanned(segments)
            if spanned is None:
                return None
            segments = spanned
        params = PathParams()
        preferred = self.preferred or (None,) * len(self.patterns)
        for pattern, first, names, segment in zip(
            self.patterns, preferred, self.names, segments, strict=True
        ):
            found = first.fullmatch(segment) if first is not None else None
            found = found or pattern.fullmatch(segment)
            if found is not None:
                params.update(zip(names, map(unquote, found.groups()), strict=True))
                params.raw.update(zip(names, found.groups(), strict=True))
                continue
            found = pattern.fullmatch(unquote(segment))
            if found is None:
                return None
            params.update(zip(names, found.groups(), strict=True))
        return params

    def spans(self, count: int) -> bool:
        """Whether a path of `count` segments may fit through the spanning segment: more than
        the template has, or one fewer when it is the last (`/contents/`: the top folder)."""
        size = len(self.patterns)
        return self.span >= 0 and (count > size or (count == size - 1 == self.span))

    def _spanned(self, segments: list[str]) -> list[str] | None:
        """`segments` with those the spanning value fills joined into one (as sent)."""
        if not self.spans(len(segments)):
            return None
        extra = len(segments) - len(self.patterns)
        if extra < 0:
            return [*segments, ""]
        end = self.span + extra + 1
        return [*segments[: self.span], "/".join(segments[self.span : end]), *segments[end:]]

    def example_path(self, value: str = "1") -> str:
        """The template with every parameter filled in, e.g. to call each operation once."""
        return _PARAM.sub(value, self.template)


class PathParams(dict[str, str]):
    """Path parameters by name, decoded; `raw` holds them as sent where the segment fit before
    decoding, for a styled value (`;id=a%3Bb;id=c`) to be split before its items are decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.raw: dict[str, str] = {}


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
    for pieces in _segments(template):
        regex = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(pieces))
        patterns.append(re.compile(regex, re.DOTALL))
        names.append(tuple(pieces[1::2]))
        literal = "".join(pieces[0::2])
        rank.append(0 if not names[-1] else 2 if not literal else 1)
    return tuple(patterns), tuple(names), tuple(rank)


def _segments(template: str) -> list[list[str]]:
    """Each segment of the path sent as literal, name, literal, name, ..., literal."""
    # Some specs tell operations apart with `/x#variant` or `/x?mode=y`; clients never send those.
    return [_PARAM.split(segment) for segment in split_path(split_key(template).wire)]


def _preferred(template: str, values: Mapping[str, str]) -> tuple[re.Pattern[str] | None, ...]:
    """Per segment holding several values, the regex with `values` (a parameter's own regex,
    from its enum or numeric type) in place of `(.+?)`; None where nothing is known."""
    out: list[re.Pattern[str] | None] = []
    for pieces in _segments(template):
        names = pieces[1::2]
        shared = len(names) > 1 or (names and "".join(pieces[0::2]))
        if not shared or not any(n in values for n in names):
            out.append(None)
            continue
        regex = "".join(
            re.escape(p) if i % 2 == 0 else f"({values.get(p, '.+?')})"
            for i, p in enumerate(pieces)
        )
        out.append(re.compile(regex, re.DOTALL))
    return tuple(out)


_NUMERIC = {"integer": r"[-+]?[0-9]+", "number": r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"}
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def _value_regex(schema: Any) -> str | None:
    """A regex for the values a path parameter's schema allows, when it is a plain enum, a
    number or a uuid; None otherwise (any text)."""
    if not isinstance(schema, Mapping):
        return None
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str | int | float) for v in enum):
        texts = sorted({str(v).lower() if isinstance(v, bool) else str(v) for v in enum}, key=len)
        return "|".join(re.escape(t) for t in reversed(texts))
    kind = schema.get("type")
    if kind == "string" and schema.get("format") == "uuid":
        return _UUID
    return _NUMERIC.get(kind) if isinstance(kind, str) else None


def _path_value_regexes(
    item: Mapping[str, Any], operations: Mapping[str, Mapping[str, Any]], resolver: Resolver
) -> dict[str, str]:
    """Path parameter -> value regex, for the parameters every operation of the path constrains
    alike (an enum or a numeric type); a parameter any operation leaves open is left out."""
    per_op: list[dict[str, str | None]] = []
    for operation in operations.values():
        found: dict[str, str | None] = {}
        for raw in [*listed(item.get("parameters")), *listed(operation.get("parameters"))]:
            try:
                param, _ = resolver.resolve(raw)
                if not isinstance(param, Mapping) or param.get("in") != "path":
                    continue
                schema, _ = resolver.resolve(param.get("schema") or {})
            except RefError:
                continue
            if isinstance(param.get("name"), str):  # the operation's own wins
                # a `label`/`matrix` value carries its prefix (`.5`, `;id=5`): any text
                plain = param.get("style", "simple") == "simple"
                found[param["name"]] = _value_regex(schema) if plain else None
        per_op.append(found)
    if not per_op:
        return {}
    names = set(per_op[0]).intersection(*per_op[1:])
    out: dict[str, str] = {}
    for name in names:
        regexes = {found[name] for found in per_op}
        if len(regexes) == 1 and (regex := regexes.pop()) is not None:
            out[name] = regex
    return out


_ANY = re.compile(r"(.*)", re.DOTALL)


def _spanning_names(
    item: Mapping[str, Any], operations: Mapping[str, Mapping[str, Any]], resolver: Resolver
) -> set[str]:
    """The path parameters some operation of the path marks `x-multi-segment: true`."""
    names: set[str] = set()
    for operation in operations.values():
        for raw in [*listed(item.get("parameters")), *listed(operation.get("parameters"))]:
            try:
                param, _ = resolver.resolve(raw)
            except RefError:
                continue
            if (
                isinstance(param, Mapping)
                and param.get("in") == "path"
                and param.get("x-multi-segment") is True
                and isinstance(param.get("name"), str)
            ):
                names.add(param["name"])
    return names


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
    try:
        path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    except ValueError:  # no URL (`https://[x]/`: a bracketed host that is no IP): no prefix
        return ""
    return "/" + "/".join(split_path(path)) if split_path(path) else ""


# What a path segment may hold unencoded (RFC 3986 `pchar`, less the unreserved `quote` keeps)
_PATH_SAFE = "!$&'()*+,;=:@"


def _literal_head(route: Route) -> str | None:
    """The text of a route's first segment when it holds no parameter, else None."""
    if not route.names or route.names[0]:
        return None
    return next(iter(_segments(route.template)))[0]


def _prefix_segments(prefix: str) -> tuple[str, ...]:
    """A server path prefix as its decoded segments: `/v2%20beta/` -> ("v2 beta",)."""
    return tuple(unquote(s) for s in split_path(prefix))


class Router:
    """All routes of one document, plus the server path prefixes requests may carry."""

    def __init__(self, document: Mapping[str, Any], resolver: Resolver) -> None:
        servers = document.get("servers")
        self.prefix = (
            server_prefix(servers[root_index(document)])
            if isinstance(servers, list) and servers
            else ""
        )
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
            if not template.startswith("/"):  # no operation (ir/operations.collect): a 404
                continue
            found = list(path_operations(item))
            operations = {m: op for m, _, op in found}
            for holder in (item, *operations.values()):
                for server in listed(holder.get("servers")):
                    prefixes.add(server_prefix(server))
            patterns, names, rank = compile_template(template)
            spans = spanning(template, _spanning_names(item, operations, resolver))
            span = next((i for i, held in enumerate(names) if held == (spans,)), -1)
            if span >= 0:  # any text, `/` included, and "" (the top folder)
                patterns = (*patterns[:span], _ANY, *patterns[span + 1 :])
            pointer = "#/paths/" + escape_token(template)
            needs = {m: _needs(template, item, op, resolver) for m, op in operations.items()}
            value_regexes = _path_value_regexes(item, operations, resolver)
            preferred = _preferred(template, value_regexes)
            shape = _PARAM.sub("{}", split_key(template).wire)
            values = {n: re.compile(r, re.DOTALL) for n, r in value_regexes.items()}
            routes.append(
                Route(
                    template,
                    pointer,
                    operations,
                    patterns,
                    names,
                    rank,
                    needs,
                    preferred,
                    shape,
                    values=values,
                    where={m: w for m, w, _ in found},
                    span=span,
                )
            )
        keyed = {r.shape for r in routes if any(r.needs.values())}
        routes = [replace(r, shared=True) if r.shape in keyed else r for r in routes]
        self.routes = sorted(routes, key=lambda r: (r.rank, r.template))
        shapes: dict[str, list[Route]] = {}
        for route in self.routes:
            shapes.setdefault(route.shape, []).append(route)
        #: shape -> the routes of keys sending one path (`/x`, `/x#a`, `/x?b=1`), when several
        self._twins = {shape: found for shape, found in shapes.items() if len(found) > 1}
        self._by_length: dict[int, list[Route]] = {}
        # the longest template first: `/branches/{branch}/protection` takes
        # `/branches/a/b/protection` before `/branches/{branch}` reads `a/b/protection`
        self._spanning = sorted(
            (r for r in self.routes if r.span >= 0), key=lambda r: -len(r.patterns)
        )
        for route in self.routes:  # exact matches need the same segment count: index by it
            self._by_length.setdefault(len(route.patterns), []).append(route)
        # ... and by a literal first segment: GitHub has 86 three-segment templates, and
        # trying each per request was a third of the sandbox's CPU for a cached body
        self._by_head: dict[tuple[int, str], list[Route]] = {}
        self._headless: dict[int, list[Route]] = {}
        for length, bucket in self._by_length.items():
            heads = [_literal_head(r) for r in bucket]
            self._headless[length] = [r for r, h in zip(bucket, heads, strict=True) if h is None]
            for head in {h for h in heads if h is not None}:
                self._by_head[length, head] = [
                    r for r, h in zip(bucket, heads, strict=True) if h is None or h == head
                ]
        # A prefix is compared segment by segment, decoded: a server path may be written raw
        # (`/v2 beta`, as Swagger 2 `basePath`s are) while requests carry it percent-encoded.
        self.prefixes = sorted(
            {_prefix_segments(p) for p in prefixes}, key=lambda s: (len(s), s), reverse=True
        )
        #: the first server's path as a URL spells it (percent-encoded): the sandbox's own base
        self.prefix = "".join(
            "/" + quote(s, safe=_PATH_SAFE) for s in _prefix_segments(self.prefix)
        )

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)

    def strip_prefix(self, path: str) -> Iterator[str]:
        """`path` (percent-encoded) without each server prefix it starts with, longest first,
        then as is."""
        parts = path.split("/")
        for prefix in self.prefixes:
            if not prefix:
                yield path
            elif (
                parts[0] == ""
                and len(parts) > len(prefix)
                and all(unquote(parts[i + 1]) == s for i, s in enumerate(prefix))
            ):
                yield "/" + "/".join(parts[len(prefix) + 1 :])

    def match(
        self,
        method: str,
        raw_path: str,
        query: list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Match | None:
        """The route for a request path (still percent-encoded), or None when no template fits.

        A template that fits the path but not the method yields to a less specific one that
        has the method (specs do declare `/x/{a}` and `/x/{b}` for different methods); only
        when none has it is the first fit returned, with `operation` None (a 405). So does one
        whose parameter cannot take its segment (an enum, a number, a uuid) to one whose
        parameters can (Mist's `/sites/{id}/zones/{zone_id: uuid}` and
        `/sites/{id}/{zone_type: zones|rssizones}/count`, for `.../zones/count`); when none
        fits, the first is taken and its validation says why.
        """
        strict = self._match(method, raw_path, query, headers, strict=True)
        if strict is not None and strict.operation is not None:
            return strict
        return self._match(method, raw_path, query, headers, strict=False)

    def _match(
        self,
        method: str,
        raw_path: str,
        query: list[tuple[str, str]] | None,
        headers: Mapping[str, str] | None,
        strict: bool,
    ) -> Match | None:
        method = method.lower()
        fallback: Match | None = None
        first: Match | None = None
        best: tuple[int, Match] | None = None
        for path in self.strip_prefix(raw_path):
            segments = split_path(path)
            spanning = [r for r in self._spanning if r.spans(len(segments))]
            for route in (*self._candidates(segments), *spanning):
                params = route.match(segments)
                if params is None or (strict and not route.fits(params)):
                    continue
                operation = route.operations.get(method)
                if operation is None and method == "head":
                    operation = route.operations.get("get")
                if operation is None:
                    fallback = fallback or Match(route, method, None, params)
                    continue
                found = Match(route, method, operation, params)
                needs = route.needs.get(method) or route.needs.get("get") or ()
                if not needs and not route.shared:
                    return found
                # keys sharing this path (`/x` and `/x?beta=true`): the one whose constants the
                # request carries, the most specific first (a plain key carries none); else
                # the first (its validation says what is missing). Only keys of the shape
                # first met compete: `/x/me` still wins over `/x/{id}?k=v`.
                met = _meets(needs, query or [], headers or {})
                if met and (
                    best is None or (len(needs) > best[0] and route.shape == best[1].route.shape)
                ):
                    best = (len(needs), found)
                first = first or found
        if best is not None:
            return best[1]
        return first or fallback

    def _candidates(self, segments: list[str]) -> list[Route]:
        """The routes that may fit `segments`, in route order: a template whose first segment
        is literal fits only a path whose first segment is that text, as sent or decoded."""
        if not segments:
            return self._by_length.get(0, [])
        length, raw = len(segments), segments[0]
        found = self._by_head.get((length, raw))
        decoded = unquote(raw)
        if decoded != raw:
            other = self._by_head.get((length, decoded))
            if found is not None and other is not None:
                return self._by_length.get(length, [])  # both texts name routes: try them all
            found = found if found is not None else other
        return found if found is not None else self._headless.get(length, [])

    def twins(
        self,
        match: Match,
        raw_path: str,
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
    ) -> list[Match]:
        """The other operations of `match`'s method on keys that send the same path (Box's
        `/files/{id}`, `/files/{id}#add_shared_link`, `#update_shared_link`...) whose
        constants the request carries, in route order (at most `_MAX_TWINS`): a request one
        of them refuses may be another's (decisions.md)."""
        found: list[Match] = []
        for route in self._twins.get(match.route.shape, ()):
            if route is match.route:
                continue
            operation = route.operations.get(match.method)
            if operation is None and match.method == "head":
                operation = route.operations.get("get")
            needs = route.needs.get(match.method) or route.needs.get("get") or ()
            if operation is None or not _meets(needs, query, headers):
                continue
            if len(found) >= _MAX_TWINS:
                break
            for path in self.strip_prefix(raw_path):
                params = route.match(split_path(path))
                if params is not None:
                    found.append(Match(route, match.method, operation, params))
                    break
        return found


def _needs(
    template: str, item: Mapping[str, Any], operation: Mapping[str, Any], resolver: Resolver
) -> tuple[tuple[str, str, str | None], ...]:
    """What tells this key's operation apart from others on its path (decisions.md 27): the
    key's query (`?a=1` a value, `?b={p}` a presence) and, for a key with a query or fragment,
    its required query and header parameters of one value (AWS's `Action`, `X-Amz-Target`)."""
    key = split_key(template)
    if key.plain:
        return ()
    needs: list[tuple[str, str, str | None]] = [("query", n, v) for n, v in key.constants]
    needs += [("query", n, None) for n, _ in key.bound]
    for raw in [*listed(item.get("parameters")), *listed(operation.get("parameters"))]:
        try:
            param, _ = resolver.resolve(raw)
            schema, _ = resolver.resolve(param.get("schema") if isinstance(param, Mapping) else {})
        except RefError:
            continue
        if not isinstance(param, Mapping) or param.get("required") is not True:
            continue
        where, name = param.get("in"), param.get("name")
        if where not in ("query", "header") or not isinstance(name, str):
            continue
        if any(n == name for _, n, _ in needs):
            continue
        values = (
            [schema["const"]]
            if isinstance(schema, Mapping) and "const" in schema
            else schema.get("enum")
            if isinstance(schema, Mapping)
            else None
        )
        if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
            needs.append((str(where), name.lower() if where == "header" else name, values[0]))
    return tuple(needs)


def _meets(
    needs: tuple[tuple[str, str, str | None], ...],
    query: list[tuple[str, str]],
    headers: Mapping[str, str],
) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    for where, name, value in needs:
        if where == "header":
            got = lowered.get(name)
            if got is None or (value is not None and got != value):
                return False
        else:
            sent = [v for k, v in query if k == name]
            if not sent or (value is not None and value not in sent):
                return False
    return True
