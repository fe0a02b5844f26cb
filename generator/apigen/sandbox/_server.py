"""The sandbox itself: routes, validates and answers requests like the API the spec describes.

`Sandbox.handle` is the whole behaviour as a plain function (tests can drive every operation of
a large spec in-process); the HTTP layer around it is a thin `ThreadingHTTPServer` bound to
127.0.0.1 only, because a mock that answers anything must never be reachable from outside.

Per request, in order (every answer is JSON, never an HTML page):

- URL longer than `MAX_URL` -> 414; no template fits -> 404; the path exists but not the
  method -> 405 with `Allow`. (A canned response set with `respond` wins over 404/405.)
- security requirements unmet -> 401; invalid parameters or body -> the declared client-error
  status (400 if declared, else 422 if declared, else 400; a body that parses but breaks the
  schema is 422 whenever 422 is declared). See `_validate`.
- a canned response (`respond` / `set_response`) for this method and path, if any;
- the `Prefer` request header (Prism's convention; several may be combined with `,`):
    `code=NNN`      answer with that declared status (its example/drawn body), 400 if undeclared;
    `example=NAME`  the named entry of the response's `examples`, 400 if there is none;
    `dynamic=true`  a body drawn from the schema (the default unless `dynamic=False`);
    `dynamic=false` the static body: the spec's example, else the canonical synthesized value.
- otherwise the success response (lowest 2xx), static or drawn.
- a redirect (3xx but 304) always carries `Location`: the declared header's example or drawn
  value, else the same-origin `REDIRECT_PATH`, which answers 200 with an empty body.

Drawn bodies vary from request to request (nulls where nullable, optional properties left out,
unknown properties added where allowed, oneOf/anyOf branches, enum values, lengths) and are
reproducible: the n-th draw for one response of one operation depends only on the seed.
"""

from __future__ import annotations

import contextlib
import http
import json
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import EllipsisType, TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from ._examples import ExampleGenerator
from ._forms import parse_form
from ._next_pages import NextPages, take_page
from ._params import request_json
from ._refs import Resolver, listed
from ._responses import SPEC_PROBLEM_HEADER, TWIN_KEYS, Reply, Responder, UnknownExample
from ._routing import Match, Router, split_path
from ._tokens import token_paths, token_reply
from ._validate import Problem, RequestValidator

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
_NO_BODY = frozenset({204, 205, 304})
#: Longest request target (path + query) accepted; longer ones get a JSON 414. Just under the
#: standard library's 64 KiB request-line limit (so this recorded 414 answers first), not the
#: 8 KiB of a default nginx: a spec may make long queries valid (Stripe's `expand[]` items may
#: each be 5,000 characters, with no cap on their number), and a sandbox that refuses what a
#: client rightly sends tests nothing.
MAX_URL = 60_000
#: Largest request body read (bigger ones get a JSON 413 and the connection is closed).
MAX_BODY = 16 * 1024 * 1024
#: Where a declared redirect without a declared `Location` header points (after the server
#: path): answered 200 with an empty octet-stream body (see `Sandbox._redirect_target`).
REDIRECT_PATH = "/__sandbox__/redirected"
#: Where a `202 Accepted`'s monitor headers point (`Location`, `Operation-Location`,
#: `Azure-AsyncOperation`): `<prefix><MONITOR_PATH><n>` answers GET as the finished operation.
MONITOR_PATH = "/__sandbox__/operations/"
#: Accepted operations remembered for their monitors (the oldest are forgotten).
MONITOR_LIMIT = 1000
_MONITOR_HEADERS = frozenset({"location", "operation-location", "azure-asyncoperation"})
#: Requests kept in `Sandbox.requests` (oldest dropped first).
RECORD_LIMIT = 1000
#: Connections served at once; more are answered 503 and closed (bounded threads and memory).
MAX_CONNECTIONS = 256
#: Entries in the static-body cache and the draw counters (keys include the Accept header).
_CACHE_LIMIT = 4096
#: Seconds an idle kept-alive connection stays open.
IDLE_TIMEOUT = 120.0


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the sandbox received it, plus what it was routed to."""

    method: str
    path: str  # as sent (server prefix included), still percent-encoded, no query
    query_string: str
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes
    template: str | None = None
    operation_id: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    status: int | None = None  # what the sandbox answered
    problem: str | None = None  # why it refused the request (400/401/404/405/414/422), if it did

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, Any]:
        """The body as nested data (Stripe-style `a[b][c]=v` keys)."""
        return parse_form(self.body)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class RequestLog(list[RecordedRequest]):
    """The recorded requests, oldest first: a plain list (slices, `== []`) capped at `maxlen`."""

    def __init__(self, maxlen: int) -> None:
        super().__init__()
        self.maxlen = max(1, maxlen)

    def append(self, item: RecordedRequest) -> None:
        super().append(item)
        if len(self) > self.maxlen:
            del self[: len(self) - self.maxlen]


@dataclass(frozen=True)
class _Override:
    status: int
    body: Any
    headers: dict[str, str]


def _json_reply(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(payload).encode(),
    )


#: Pages a `Link`-paginated list has in the sandbox (see `_own_links`).
LINK_PAGES = 3


def _stream_flag(
    query: list[tuple[str, str]], headers: Mapping[str, str], body: bytes
) -> bool | None:
    """The request's boolean `stream` (a JSON body's member, else a query parameter): OpenAI's
    `stream: true` asks for events where `Accept` says nothing the server reads. None without."""
    if "json" in headers.get("content-type", "").lower() and body[:1] == b"{":
        try:
            value = request_json(body).get("stream")
        except (ValueError, AttributeError):  # (not JSON; JSON but no object)
            value = None
        if isinstance(value, bool):
            return value
    texts = [v for k, v in query if k == "stream"]
    return {"true": True, "false": False}.get(texts[0]) if len(texts) == 1 else None


def _own_links(reply: Reply, pageable: bool, path: str, query: list[tuple[str, str]]) -> Reply:
    """A declared `Link` header (GitHub's pagination) pointing at this sandbox, not at the
    spec's example host (`<https://api.github.com/resource?page=2>`), which a client must not
    follow with its credentials: relative links to the same path with `page` moved on
    (`rel="next"` up to page `LINK_PAGES`, then only `prev`/`first`/`last`), other query
    parameters kept. An operation without a `page` query parameter gets no `Link` at all."""
    headers = {k: v for k, v in reply.headers.items() if k.lower() != "link"}
    if pageable:
        try:
            page = max(1, int(next((v for k, v in query if k == "page"), "1")))
        except ValueError:
            page = 1
        kept = [(k, v) for k, v in query if k != "page"]

        def link(number: int, rel: str) -> str:
            return f'<{path}?{urlencode([*kept, ("page", str(number))])}>; rel="{rel}"'

        links = []
        if page < LINK_PAGES:
            links.append(link(page + 1, "next"))
        if page > 1:
            links += [link(min(page - 1, LINK_PAGES), "prev"), link(1, "first")]
        links.append(link(LINK_PAGES, "last"))
        headers["Link"] = ", ".join(links)
    return Reply(reply.status, headers, reply.body)


def _needs_location(reply: Reply) -> bool:
    """A redirect (3xx but 304 Not Modified) must say where to (RFC 9110 15.4), and the sandbox
    never sends a client elsewhere: a missing or absolute `Location` (a spec example such as
    GitHub's `https://codeload.github.com/...`) is replaced by a same-origin one, so following
    a redirect never leaves 127.0.0.1."""
    if not 300 <= reply.status < 400 or reply.status == 304:
        return False
    location = next((v for k, v in reply.headers.items() if k.lower() == "location"), None)
    return location is None or bool(urlsplit(location).netloc)


def _normal(path: str) -> str:
    """Override keys: decoded, no trailing slash, so `/a/x%20y/` and `/a/x y` are one path."""
    return "/" + "/".join(split_path(unquote(path)))


def parse_prefer(header: str | None) -> dict[str, str]:
    """`Prefer: code=404, dynamic=true` -> {"code": "404", "dynamic": "true"} (names lower-case)."""
    out: dict[str, str] = {}
    for part in (header or "").replace(";", ",").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            out[name.strip().lower()] = value.strip().strip('"')
    return out


def _load(spec: Mapping[str, Any] | str | Path) -> Mapping[str, Any]:
    """A file is loaded as `apigen build` loads it; a mapping is used as it is, a Swagger 2.0
    one upgraded first (it was served as if 3.x: no `basePath`, empty answers, nothing
    validated)."""
    if isinstance(spec, Mapping):
        if "x-ms-paths" in spec:  # AutoRest's: paths too, as `load_spec` reads them
            from ..diagnostics import Report
            from ..spec.load import merge_ms_paths

            spec = dict(spec)
            merge_ms_paths(spec, Report())
        if str(spec.get("swagger", "")).startswith("2."):
            from ..spec.swagger2 import upgrade

            return upgrade(spec)
        return spec
    from ..diagnostics import Report
    from ..spec import load_spec

    return load_spec(Path(spec), report=Report()).document


class Sandbox:
    """A mock server for one OpenAPI 3.x document (a loaded mapping, or a spec file's path).

    `seed` fixes every drawn value; `dynamic=False` serves static bodies unless a request asks
    `Prefer: dynamic=true`; `validate=False` accepts any request (the old behaviour).
    """

    def __init__(
        self,
        document: Mapping[str, Any] | str | Path,
        *,
        seed: int = 0,
        verbose: bool = False,
        dynamic: bool = True,
        validate: bool = True,
        record_limit: int = RECORD_LIMIT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        document = _load(document)
        resolver = Resolver(document)
        self.document = document
        self.router = Router(document, resolver)
        self._token_paths = token_paths(document, resolver)  # OAuth 2 endpoints it answers
        generator = ExampleGenerator(document, seed=seed, resolver=resolver)
        self._next_pages = NextPages(resolver, generator.checker)
        self.responder = Responder(generator)
        self.validator = (
            RequestValidator(document, resolver, generator.checker) if validate else None
        )
        self.seed = seed
        self.dynamic = dynamic
        self.verbose = verbose
        self.max_connections = max_connections
        self.requests = RequestLog(record_limit)
        self.url: str | None = None
        self._overrides: dict[tuple[str, str], _Override] = {}
        self._cache: dict[tuple[str, str], Reply] = {}
        self._draws: dict[str, int] = {}
        # monitor number -> (the accepted operation, whether the monitor reports a status only)
        self._monitors: dict[int, tuple[Match, bool]] = {}
        self._monitor_count = 0
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int | None:
        return self._server.server_address[1] if self._server is not None else None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on a daemon thread; returns the base URL including the spec's server path."""
        if host not in _LOCAL_HOSTS:
            raise ValueError(f"the sandbox only binds 127.0.0.1, not {host!r}")
        if self._server is not None:
            raise RuntimeError("sandbox already started")
        self._server = _Server(("127.0.0.1", port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="apigen-sandbox", daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{self.router.prefix}"
        return self.url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- test controls --------------------------------------------------------------------

    def set_response(
        self,
        method: str,
        path: str,
        status: int,
        body: Any = ...,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer `method path` with `status` from now on.

        `path` is a concrete path or a spec template (`/pets/{petId}`), with or without the
        server prefix. `body` is JSON-encoded unless it is bytes; left out, it is the spec's
        example for that status (empty if the status is not declared).
        """
        with self._lock:
            self._overrides[(method.upper(), _normal(path))] = _Override(
                status, body, dict(headers or {})
            )

    def respond(
        self,
        method: str,
        path: str,
        status: int,
        json: Any = ...,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Per-test canned response: `set_response` (valid requests to `path` get `json`)."""
        self.set_response(method, path, status, json, headers)

    def reset(self) -> None:
        """Forget recorded requests, overrides and draw counters (static bodies stay cached)."""
        with self._lock:
            self.requests.clear()
            self._overrides.clear()
            self._draws.clear()

    def error_reply(
        self, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Reply:
        """A JSON error in the document's usual error shape (for errors outside any operation)."""
        return self.responder.error_reply(None, None, status, message, None, headers)

    # -- behaviour ------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Mapping[str, str] | None = None, body: bytes = b""
    ) -> Reply:
        """Record one request and compute its response (what the HTTP server calls)."""
        method = method.upper()
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        parts = urlsplit(target)
        path = parts.path or "/"
        # (a next-page link the sandbox wrote: its marker is no parameter of the operation)
        query, page = take_page(parse_qsl(parts.query, keep_blank_values=True))
        too_long = len(target) > MAX_URL
        if not too_long and method in ("GET", "HEAD") and path == self._redirect_target():
            return self._record_plain(method, path, parts.query, query, lowered, body)
        monitors = self.router.prefix.rstrip("/") + MONITOR_PATH
        if not too_long and method == "GET" and path.startswith(monitors):
            reply = self._monitor_reply(path.removeprefix(monitors))
            return self._record_plain(method, path, parts.query, query, lowered, body, reply)
        match = None if too_long else self.router.match(method, path, query, lowered)
        operation = match.operation if match else None
        problem: Problem | None = None
        with self._lock:
            override = None if too_long else self._find_override(method, path, match)
        if too_long:
            problem = Problem(414, f"request target longer than {MAX_URL} characters")
            reply = self.error_reply(414, problem.message)
        elif override is not None and (match is None or match.operation is None):
            reply = self._override_reply(override, match, lowered.get("accept"))
        elif (match is None or match.operation is None) and (
            method == "POST" and path in self._token_paths
        ):
            reply = token_reply()  # the spec's token endpoint, not one of its operations
        elif match is None:
            problem = Problem(404, f"no operation for {method} {path}")
            reply = self.error_reply(404, problem.message)
        elif match.operation is None:
            problem = Problem(405, f"{method} is not allowed on {match.route.template}")
            reply = self.error_reply(405, problem.message, {"Allow": ", ".join(match.allowed)})
        else:
            match, twins_note = self._accepting(match, path, query, lowered, body)
            operation = match.operation
            reply, problem = self._operation_reply(
                match, path, query, lowered, body, override, page
            )
            if twins_note is not None and problem is None:
                note = twins_note.encode("ascii", "backslashreplace").decode()[:2000]
                earlier = reply.headers.get(SPEC_PROBLEM_HEADER)
                note = f"{note}; {earlier}" if earlier else note
                reply = replace(reply, headers={**reply.headers, SPEC_PROBLEM_HEADER: note})
        op_id = operation.get("operationId") if operation else None
        record = RecordedRequest(
            method,
            path,
            parts.query,
            query,
            lowered,
            body,
            match.route.template if match else None,
            op_id if isinstance(op_id, str) else None,
            dict(match.params) if match else {},
            reply.status,
            problem.message if problem else None,
        )
        with self._lock:
            self.requests.append(record)
        return reply

    def _record_plain(
        self,
        method: str,
        path: str,
        query_string: str,
        query: list[tuple[str, str]],
        headers: dict[str, str],
        body: bytes,
        reply: Reply | None = None,
    ) -> Reply:
        """Record a request to one of the sandbox's own paths and answer it (by default the
        target of a redirect: 200 with an empty body)."""
        reply = reply or Reply(200, {"Content-Type": "application/octet-stream"}, b"")
        record = RecordedRequest(
            method, path, query_string, query, headers, body, status=reply.status
        )
        with self._lock:
            self.requests.append(record)
        return reply

    def _accepting(
        self,
        match: Match,
        path: str,
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[Match, str | None]:
        """`match`, or the first operation of a key sending the same path that accepts the
        request when `match`'s refuses it (one real operation the spec splits by fragment:
        Box's `PUT /files/{id}?fields=...` is `#add_shared_link`'s, not `PUT /files/{id}`'s);
        and, when another one accepts it too with other responses declared, a note saying so
        (Box's `GET /shared_items` is a file, `#folders` a folder, `#web_links` a web link:
        nothing in the request tells which, so no answer fits all three)."""
        if self.validator is None:
            return match, None
        twins = self.router.twins(match, path, query, headers)
        if not twins:
            return match, None
        accepting: list[Match] = []
        for candidate in (match, *twins):
            assert candidate.operation is not None
            problem = self.validator.validate(
                self._pointer(candidate),
                self._path_item(candidate),
                candidate.operation,
                candidate.params,
                query,
                headers,
                body,
            )
            if problem is None:
                accepting.append(candidate)
        if not accepting:
            return match, None
        chosen = accepting[0]
        others = [
            m.route.template
            for m in accepting[1:]
            if m.operation is not None
            and chosen.operation is not None
            and m.operation.get("responses") != chosen.operation.get("responses")
        ]
        if not others:
            return chosen, None
        keys = ", ".join(f"`{t}`" for t in [chosen.route.template, *others])
        return chosen, f"{TWIN_KEYS}: {match.method.upper()} {keys}"

    def _pointer(self, match: Match) -> str:
        op_method = match.method if match.method in match.route.operations else "get"
        return f"{match.route.pointer}/{match.route.where.get(op_method, op_method)}"

    def _operation_reply(
        self,
        match: Match,
        path: str,
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        override: _Override | None,
        page: int = 1,
    ) -> tuple[Reply, Problem | None]:
        operation = match.operation
        assert operation is not None
        pointer = self._pointer(match)
        if self.validator is not None:
            path_item = self._path_item(match)  # path-level parameters live there
            problem = self.validator.validate(
                pointer, path_item, operation, match.params, query, headers, body
            )
            if problem is not None:
                extra = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
                reply = self.responder.error_reply(
                    operation, pointer, problem.status, problem.message, problem.name, extra
                )
                return reply, problem
        accept = headers.get("accept")
        if override is not None:
            return self._override_reply(override, match, accept), None
        flag = _stream_flag(query, headers, body)
        if flag is not None:  # as a real server: `stream: true` picks the stream, not `Accept`
            accept = self.responder.switched_media(operation, flag) or accept
        prefer = parse_prefer(headers.get("prefer"))
        status: int | None = None
        if "code" in prefer:
            try:
                status = int(prefer["code"])
            except ValueError:
                status = -1
        dynamic = self.dynamic
        if "dynamic" in prefer:
            dynamic = prefer["dynamic"].lower() not in ("false", "0", "no")
        example = prefer.get("example") or None
        try:
            found = self._spec_reply(match, accept, status, dynamic=dynamic, example=example)
        except UnknownExample as exc:
            problem = Problem(400, f"Prefer: {exc}", "header", "prefer")
            return self.responder.error_reply(operation, pointer, 400, problem.message), problem
        if found is None and status is not None:
            problem = Problem(400, f"Prefer: code={prefer['code']} is not a declared response")
            return self.responder.error_reply(operation, pointer, 400, problem.message), problem
        if found is not None and match.method == "get":
            found = self._next_pages.own(
                found, operation, (path, query), page, headers.get("host"), match.route.pointer
            )
        if found is not None and any(k.lower() == "link" for k in found.headers):
            found = _own_links(found, self._pageable(match), path, query)
        if found is not None and found.status == 202:
            found = self._own_monitors(found, match, headers.get("host"))
        if found is not None and _needs_location(found):
            headers = {k: v for k, v in found.headers.items() if k.lower() != "location"}
            found = Reply(
                found.status, {**headers, "Location": self._redirect_target()}, found.body
            )
        return found or Reply(204), None

    def _own_monitors(self, reply: Reply, match: Match, host: str | None) -> Reply:
        """A `202 Accepted` whose monitor headers point at the sandbox: a drawn `Location`
        (`string`, or the spec's example host) sent a client polling a path that does not
        answer GET. Status monitors (Azure's `Azure-AsyncOperation`, any `Operation-Location`,
        Microsoft's) report `Succeeded`; a `Location` answers as the finished operation (its
        first declared 2xx but 202). Absolute on `host` (the request's), as a
        `format: uri` header asks."""
        names = [k for k in reply.headers if k.lower() in _MONITOR_HEADERS]
        if not names:
            return reply
        headers = dict(reply.headers)
        with self._lock:
            for name in names:
                self._monitor_count += 1
                number = self._monitor_count
                # a status monitor, as the generated client polls one (ir/long_running.py):
                # an `Operation-Location` without Azure's extension answered 204 for ever, and
                # `_and_wait()` timed out (helper 212)
                self._monitors[number] = (match, name.lower() != "location")
                while len(self._monitors) > MONITOR_LIMIT:
                    del self._monitors[next(iter(self._monitors))]
                path = self.router.prefix.rstrip("/") + MONITOR_PATH + str(number)
                headers[name] = f"http://{host}{path}" if host else path  # (a `uri`, if asked)
        return Reply(reply.status, headers, reply.body)

    def _monitor_reply(self, number: str) -> Reply:
        with self._lock:
            entry = (
                self._monitors.get(int(number)) if number.isascii() and number.isdigit() else None
            )
        if entry is None:
            return self.error_reply(404, f"no accepted operation {number!r} in this sandbox")
        match, status_only = entry
        if status_only:
            return _json_reply(200, {"status": "Succeeded"})
        responses = (match.operation or {}).get("responses")
        declared = sorted(str(k) for k in responses) if isinstance(responses, Mapping) else []
        status = next(
            (
                int(k)
                for k in declared
                if k.isascii() and k.isdigit() and k[0] == "2" and k != "202"
            ),
            0,
        )
        found = self._spec_reply(match, None, status, dynamic=self.dynamic) if status else None
        return found or Reply(204)

    def _redirect_target(self) -> str:
        """Where a declared 3xx without a declared `Location` points: a same-origin path the
        sandbox answers with 200 and an empty `application/octet-stream` body (GitHub's 302s
        lead to a download), so a client following redirects ends on a response."""
        return self.router.prefix.rstrip("/") + REDIRECT_PATH

    def _pageable(self, match: Match) -> bool:
        """Whether the operation takes a `page` query parameter."""
        operation = match.operation or {}
        declared = [
            *listed(self._path_item(match).get("parameters")),
            *listed(operation.get("parameters")),
        ]
        for raw in declared:
            try:
                param, _ = self.responder.resolver.resolve(raw)
            except (ValueError, KeyError):
                continue
            if isinstance(param, Mapping) and (param.get("name"), param.get("in")) == (
                "page",
                "query",
            ):
                return True
        return False

    def _path_item(self, match: Match) -> Mapping[str, Any]:
        try:
            item, _ = self.responder.resolver.resolve(
                self.responder.resolver.lookup(match.route.pointer)
            )
        except (ValueError, KeyError):
            return {}
        return item if isinstance(item, Mapping) else {}

    def _spec_reply(
        self,
        match: Match,
        accept: str | None,
        status: int | None,
        *,
        dynamic: bool = False,
        example: str | None = None,
    ) -> Reply | None:
        """The spec's response for a routed request: drawn, or synthesized once and cached."""
        if match.operation is None:
            return None
        pointer = self._pointer(match)
        if dynamic and example is None:
            key = f"{pointer} {status} {accept or ''}"
            with self._lock:
                count = self._draws.get(key, 0)
                if len(self._draws) >= _CACHE_LIMIT:  # keys include the client's Accept
                    self._draws.clear()
                self._draws[key] = count + 1
            return self.responder.reply(
                match.operation, pointer, status=status, accept=accept, draw=str(count)
            )
        cache_key = (f"{pointer} {status} {example}", accept or "")
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = self.responder.reply(
                match.operation, pointer, status=status, accept=accept, example=example
            )
            if cached is None:
                return None
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[cache_key] = cached
        return cached

    def _find_override(self, method: str, path: str, match: Match | None) -> _Override | None:
        candidates = [path, *self.router.strip_prefix(path)]
        if match is not None:
            candidates.append(match.route.template)
        for candidate in candidates:
            found = self._overrides.get((method, _normal(candidate)))
            if found is not None:
                return found
        return None

    def _override_reply(
        self, override: _Override, match: Match | None, accept: str | None
    ) -> Reply:
        if isinstance(override.body, EllipsisType):
            spec = (
                self._spec_reply(match, accept, override.status, dynamic=self.dynamic)
                if match
                else None
            )
            base = spec or Reply(override.status)
            headers, body = dict(base.headers), base.body
        elif isinstance(override.body, bytes):
            headers, body = {"Content-Type": "application/octet-stream"}, override.body
        else:
            headers, body = {"Content-Type": "application/json"}, json.dumps(override.body).encode()
        names = {k.lower() for k in override.headers}
        merged = {k: v for k, v in headers.items() if k.lower() not in names} | override.headers
        return Reply(override.status, merged, body)


class _Server(ThreadingHTTPServer):
    """Tracks open connections so `stop` also ends kept-alive ones, and caps how many are open."""

    daemon_threads = True
    request_queue_size = 128  # listen backlog: 50+ clients connecting at once are not refused

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            full = len(self._connections) >= self.sandbox.max_connections
            if not full:
                self._connections.add(request)
        if full:  # answer at once instead of queueing threads without bound
            with contextlib.suppress(OSError):
                reply = self.sandbox.error_reply(503, "too many open connections")
                request.sendall(_encode(reply, close=True, head=False))
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the peer
                connection.shutdown(socket.SHUT_RDWR)


def _encode(reply: Reply, *, close: bool, head: bool) -> bytes:
    """Status line, headers and body as one buffer: a single send, so no Nagle stall."""
    phrase = http.HTTPStatus(reply.status).phrase if reply.status in _PHRASES else ""
    lines = [f"HTTP/1.1 {reply.status} {phrase}"]
    payload = b"" if reply.status in _NO_BODY else reply.body
    lines += [f"{name}: {value}" for name, value in reply.headers.items()]
    if reply.status >= 200 and reply.status not in (204, 304):
        # RFC 9110 §8.6: never on a 204 (nor a 1xx); a 304's would have to be the 200's size
        lines.append(f"Content-Length: {len(payload)}")
    if close:
        lines.append("Connection: close")
    head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    return head_bytes if head else head_bytes + payload


_PHRASES = frozenset(int(s) for s in http.HTTPStatus)


class _TooLarge(Exception):
    """A request body over MAX_BODY (answered 413, never read into memory)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = IDLE_TIMEOUT

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # any method: unknown ones get a JSON 405, not an HTML 501
            return self._dispatch
        raise AttributeError(name)

    def _dispatch(self) -> None:
        try:
            body = self._read_body()
        except _TooLarge:
            self.send_error(413, f"request body larger than {MAX_BODY} bytes")
            return
        except (ValueError, OSError):
            self.send_error(400, "unreadable request body")
            return
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        try:
            reply = self.server.sandbox.handle(self.command, self.path, headers, body)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a sandbox bug must still answer, or the client hangs up
            # (a Rust panic under a validator, pyo3's PanicException, is no `Exception`: a
            # schema `$ref: "#"` made one, and the connection was dropped unanswered)
            self.log_error("sandbox failure on %s %s: %r", self.command, self.path, exc)
            detail = repr(exc)[:500]
            reply = _json_reply(500, {"error": "sandbox failure", "detail": detail})
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        if self.server.sandbox.verbose:
            self.log_request(reply.status)
        self.wfile.write(_encode(reply, close=self.close_connection, head=self.command == "HEAD"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own errors (414, bad request lines, ...) as JSON, not HTML."""
        self.close_connection = True
        text = message or http.HTTPStatus(code).phrase
        try:
            reply = self.server.sandbox.error_reply(code, text)
        except Exception:  # never fail while reporting a failure
            reply = _json_reply(code, {"message": text, "status": code})
        if not hasattr(self, "command") or not self.command:
            self.command = ""
        with contextlib.suppress(OSError):
            self._send(reply)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise _TooLarge
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise _TooLarge
        return self.rfile.read(length) if length > 0 else b""

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.sandbox.verbose:
            super().log_message(format, *args)


def serve(
    document: Mapping[str, Any],
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    seed: int = 0,
    ready: Callable[[str], None] | None = None,
    dynamic: bool = True,
    validate: bool = True,
) -> None:
    """Run a sandbox in the foreground until interrupted (the `apigen sandbox` command).

    `ready` gets the base URL once listening; by default it is printed to stderr.
    """
    sandbox = Sandbox(document, seed=seed, verbose=True, dynamic=dynamic, validate=validate)
    url = sandbox.start(host, port)
    (
        ready
        or (lambda u: print(f"apigen sandbox listening on {u} (Ctrl-C to stop)", file=sys.stderr))
    )(url)
    try:
        while sandbox._thread is not None and sandbox._thread.is_alive():
            sandbox._thread.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
