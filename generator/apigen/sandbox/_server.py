"""The sandbox itself: routes requests to spec operations and answers with example data.

`Sandbox.handle` is the whole behaviour as a plain function (tests can drive every operation of
a large spec in-process); the HTTP layer around it is a thin `ThreadingHTTPServer` bound to
127.0.0.1 only, because a mock that answers anything must never be reachable from outside.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import EllipsisType, TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

from ._examples import ExampleGenerator
from ._forms import parse_form
from ._refs import Resolver
from ._responses import Reply, Responder
from ._routing import Match, Router, split_path

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
_NO_BODY = frozenset({204, 205, 304})


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

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, Any]:
        """The body as nested data (Stripe-style `a[b][c]=v` keys)."""
        return parse_form(self.body)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


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


def _normal(path: str) -> str:
    """Override keys: decoded, no trailing slash, so `/a/x%20y/` and `/a/x y` are one path."""
    return "/" + "/".join(split_path(unquote(path)))


class Sandbox:
    """A mock server for one OpenAPI 3.x document (already loaded; internal `$ref`s only)."""

    def __init__(
        self, document: Mapping[str, Any], *, seed: int = 0, verbose: bool = False
    ) -> None:
        resolver = Resolver(document)
        self.router = Router(document, resolver)
        self.responder = Responder(ExampleGenerator(document, seed=seed, resolver=resolver))
        self.verbose = verbose
        self.requests: list[RecordedRequest] = []
        self.url: str | None = None
        self._overrides: dict[tuple[str, str], _Override] = {}
        self._cache: dict[tuple[str, str], Reply] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

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

    def reset(self) -> None:
        """Forget recorded requests and overrides (generated responses stay cached)."""
        with self._lock:
            self.requests.clear()
            self._overrides.clear()

    # -- behaviour ------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Mapping[str, str] | None = None, body: bytes = b""
    ) -> Reply:
        """Record one request and compute its response (what the HTTP server calls)."""
        method = method.upper()
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        parts = urlsplit(target)
        path = parts.path or "/"
        match = self.router.match(method, path)
        operation = match.operation if match else None
        op_id = operation.get("operationId") if operation else None
        with self._lock:
            self.requests.append(
                RecordedRequest(
                    method,
                    path,
                    parts.query,
                    parse_qsl(parts.query, keep_blank_values=True),
                    lowered,
                    body,
                    match.route.template if match else None,
                    op_id if isinstance(op_id, str) else None,
                    dict(match.params) if match else {},
                )
            )
            override = self._find_override(method, path, match)
        accept = lowered.get("accept")
        if override is not None:
            return self._override_reply(override, match, accept)
        if match is None:
            return _json_reply(404, {"error": "no such operation"})
        if match.operation is None:
            allowed = ", ".join(match.allowed)
            return _json_reply(
                405, {"error": "method not allowed", "allowed": match.allowed}, {"Allow": allowed}
            )
        return self._spec_reply(match, accept, None) or Reply(204)

    def _spec_reply(self, match: Match, accept: str | None, status: int | None) -> Reply | None:
        """The spec's response for a routed request, synthesized once and then cached."""
        if match.operation is None:
            return None
        op_method = match.method if match.method in match.route.operations else "get"
        pointer = f"{match.route.pointer}/{op_method}"
        key = (f"{pointer} {status}", accept or "")
        cached = self._cache.get(key)
        if cached is None:
            cached = self.responder.reply(match.operation, pointer, status=status, accept=accept)
            if cached is None:
                return None
            self._cache[key] = cached
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
            spec = self._spec_reply(match, accept, override.status) if match else None
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
    """Tracks open connections so `stop` also ends kept-alive ones (no answers after stop)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self._connections_lock:
            self._connections.add(connection)
        return connection, address

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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _dispatch(self) -> None:
        body = self._read_body()
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        try:
            reply = self.server.sandbox.handle(self.command, self.path, headers, body)
        except Exception as exc:  # a sandbox bug must still answer, or the client just hangs up
            self.log_error("sandbox failure on %s %s: %r", self.command, self.path, exc)
            reply = _json_reply(500, {"error": "sandbox failure", "detail": repr(exc)})
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        payload = b"" if reply.status in _NO_BODY else reply.body
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD" and payload:
            self.wfile.write(payload)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = _dispatch

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
) -> None:
    """Run a sandbox in the foreground until interrupted (the `apigen sandbox` command).

    `ready` gets the base URL once listening; by default it is printed to stderr.
    """
    sandbox = Sandbox(document, seed=seed, verbose=True)
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
