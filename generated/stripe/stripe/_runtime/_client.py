"""``SyncAPIClient``/``AsyncAPIClient``: configuration plus the one request flow both drive."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import platform
import threading
import time
import weakref
from collections.abc import (
    AsyncIterable,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Mapping,
    Sequence,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Self, TypeVar, cast

import httpx

from ._aio import running_loop, stale  # (tiny: the async pool's loop, every call)
from ._auth import (
    ApiKey,
    AuthContext,
    SecurityScheme,
    check_transport,
    credential_lookup,
    fixed_choice,
    reauthorize,
    select_security,
)
from ._body import StreamBody, is_file, is_json
from ._build import request_builder
from ._drivers import Flow, run_async, run_sync
from ._errors import APIError, package_error
from ._hooks import Hooks, before_request, run_hooks
from ._limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    bounded_encodings,
    check_header_inputs,
    check_header_name,
    check_headers,
    header_safe,
    limit_responses,
)
from ._logging import setup_client_logging
from ._operation import Body, Operation, Param, Response
from ._plan import plan
from ._request import PLACEHOLDER, BuildRequest, Prepared, prepare
from ._response import (
    Mode,
    RawResponse,
    adopt_errors,
    error_for,
    finish,
    is_stream,
    open_async,
    open_sync,
    sse_options,
    stream_options,
    streams,
    strict_responses,
    take_mode,
    with_raw_response,
)
from ._retry import (
    IDEMPOTENT_METHODS,
    Resilience,
    RetryPolicy,
    RetryStrategy,
    check_deadline,
    check_timeout,
)
from ._telemetry import RateWarning, abandon_span
from ._tokens import TokenCache
from ._types import (
    NOT_GIVEN,
    ExtraBody,
    ExtraHeaders,
    ExtraQuery,
    NotGiven,
    RequestOptions,
    TimeoutOption,
    request_options,
)
from ._version import __version__

if TYPE_CHECKING:  # features a plain call never needs are imported where they are used
    from ._cache import Cache
    from ._circuit import CircuitBreaker
    from ._oauth import AsyncOAuth, OAuth
    from ._pagination import AsyncPaginator, SyncPage
    from ._ratelimit import RateLimit
    from ._servers import ServerVariable
    from ._sse import AsyncStream, Stream

__all__ = ["AsyncAPIClient", "AsyncResource", "SyncAPIClient", "SyncResource"]

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
Chosen = list[tuple[SecurityScheme, dict[str, str]]]  # the schemes applied, with credentials

# 60 s to read, write or wait for a pooled connection, 5 s to connect: an unreachable host
# fails fast (and a connect failure is always safe to retry).
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
# httpx's own default (5 s for everything): an `http_client` built without a timeout has it
_HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)
RETRY_COUNT_HEADER = "X-Retry-Count"
# the constructor keywords a client keeps as public attributes: a copy takes their values as
# they are now (``client.max_retries = 5``, then ``client.with_options(...)``), not as given
_CARRIED: Final = (
    "max_retries",
    "timeout",
    "idempotency_header",
    "retry_count_header",
    "max_response_bytes",
    "allow_insecure_credentials",
    "strict_response_validation",
)

# The pool the client opens (a caller's http_client keeps its own): up to 100 connections, all
# kept alive. httpx's default keeps 20: at more concurrent calls than that, every answered call
# closed a connection and a later one opened a new one (at 50 tasks: ~1 connect per 4 calls).
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)


def _merged_headers(*layers: Mapping[str, str] | None) -> dict[str, str]:
    """Header maps merged by name whatever its letter case, a later layer's value (and
    spelling) winning: a dict merge kept `user-agent` beside `User-Agent`, and httpx sent both
    (`with_options(default_headers={"x-tenant": "b"})` sent tenant `a` first)."""
    out: dict[str, str] = {}
    spelt: dict[str, str] = {}
    for layer in layers:
        for name, value in (layer or {}).items():
            before = spelt.get(name.lower())
            if before is not None:
                del out[before]
            spelt[name.lower()] = name
            out[name] = value
    return out


class _BaseClient(Generic[HttpT]):
    """Shared configuration and the single request/retry flow (no I/O happens here)."""

    # Event streams: how many times a dropped stream reconnects (sending ``Last-Event-ID`` and
    # waiting the server's ``retry:``); 0, the default, raises ``APIConnectionError`` instead.
    max_stream_reconnects: int = 0
    _init_kwargs: dict[str, Any]

    def _client(self) -> HttpT:
        """The connection pool, opened on first use (``SyncAPIClient``, ``AsyncAPIClient``)."""
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """Where calls go; set to another URL (checked when set, as when given)."""
        return self._base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        if "?" in value or "#" in value:
            # joined with a path, the query took it (`.../v1?tenant=9/owners/o1`): another
            # endpoint than the caller meant; `client.base_url = ...` skipped the check
            # (helper 211)
            raise ValueError(
                f"base_url {value!r} has a query or a fragment; pass default_query= "
                "for parameters every request sends"
            )
        self._base_url = value

    @property
    def timeout(self) -> httpx.Timeout:
        """The default timeout of a call; set to seconds, an ``httpx.Timeout`` or ``None``
        (checked when set: a call's own ``timeout=`` is checked when given)."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: TimeoutOption) -> None:
        self._timeout = check_timeout(value)

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        # The constructor's keywords (the generated client's own ones: typed credentials...),
        # which ``copy()`` calls ``type(self)`` again with.
        self = super().__new__(cls)
        self._init_kwargs = dict(kwargs)
        return self

    def __init__(
        self,
        *,
        base_url: str | None = None,
        default_base_url: str = "",
        env_prefix: str = "",
        credentials: Mapping[str, str | None] | None = None,
        credential_env: Mapping[str, str] | None = None,
        security_schemes: Mapping[str, SecurityScheme] | None = None,
        default_security: Sequence[Sequence[str]] | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = 2,
        http_client: HttpT | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        retry: RetryStrategy | None = None,
        deadline: float | None = None,
        rate_limit: RateLimit | None = None,
        circuit_breaker: CircuitBreaker | None = None,
        hooks: Hooks | None = None,
        rate_warning: RateWarning | None = None,
        idempotency_header: str | None = None,
        retry_count_header: str | None = RETRY_COUNT_HEADER,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        max_stream_reconnects: int = 0,
        allow_insecure_credentials: bool = False,
        strict_response_validation: bool = False,
        cache: Cache | None = None,
        package: tuple[str, str] | None = None,
        errors: Mapping[type[APIError], type[APIError]] | None = None,
        server_url: str = "",
        server_variables: Mapping[str, ServerVariable] | None = None,
        server_values: Mapping[str, str | None] | None = None,
        client_values: Mapping[str, object] | None = None,
    ) -> None:
        # the root server's variables (`Client(region=...)`): its URL filled with the values
        # given, else the defaults; operation servers relative to it are filled the same way
        self._server_values: dict[str, str] = {}
        self._server_keywords = frozenset(v.keyword for v in (server_variables or {}).values())
        if server_variables:
            from ._servers import fill
            from ._servers import server_values as values_of

            self._server_values = values_of(server_variables, server_values or {}, env_prefix)
            default_base_url = fill(server_url, self._server_values)
        env_url = os.environ.get(f"{env_prefix}_BASE_URL") if env_prefix else None
        self.base_url = base_url or env_url or default_base_url
        if not (base_url or env_url) and PLACEHOLDER.search(default_base_url):
            # a server variable without a usable default (none, or one that would end the
            # host: `evil.test/`): the request went to the literal `{env}.api.test`
            raise ValueError(
                f"the spec's server {default_base_url!r} has a variable without a usable "
                "default: pass base_url="
                + (f" (or set {env_prefix}_BASE_URL)" if env_prefix else "")
            )
        self._default_base_url = default_base_url
        self._check_http_client(http_client)
        self.max_retries = _check_max_retries(max_retries)
        if isinstance(timeout, NotGiven):
            # a caller's http_client keeps a timeout it was given; httpx's own default is no
            # choice of the caller's (a 5 s read timeout broke long calls): ours then, as
            # openai's client does
            given = http_client is not None and http_client.timeout != _HTTPX_DEFAULT_TIMEOUT
            timeout = http_client.timeout if given and http_client is not None else DEFAULT_TIMEOUT
        self.timeout = timeout
        # header names: a `:` or newline in one failed only while sending, retried as a
        # "connection error" (helper 224)
        self.idempotency_header = check_header_name(idempotency_header, "idempotency_header")
        self.retry_count_header = check_header_name(retry_count_header, "retry_count_header")
        self.max_response_bytes = max_response_bytes  # decoded body read into memory; None: any
        if max_stream_reconnects < 0:
            raise ValueError(f"max_stream_reconnects must be >= 0, got {max_stream_reconnects!r}")
        self.max_stream_reconnects = max_stream_reconnects
        # credentials over plain http to a host that is not this machine (refused by default)
        self.allow_insecure_credentials = allow_insecure_credentials
        # a JSON body that does not match its declared type raises instead of being returned
        # unvalidated (openai's ``_strict_response_validation``)
        self.strict_response_validation = strict_response_validation
        self._cache = cache  # opt-in response cache (_cache.py); None: every call is sent
        # who a caller's `http_client` makes the caller, for the cache's keys (`http_identity`)
        self._http_identity = ""
        if cache is not None and http_client is not None:
            from ._cache import http_identity

            self._http_identity = http_identity(http_client)
        self._http: HttpT | None = http_client
        self._owns_http = http_client is None  # a caller-supplied client is never closed by us
        # (the http client, its request builder): worked out once per pool, not per call
        self._builder: tuple[HttpT, Callable[..., httpx.Request]] | None = None
        self._closed = False
        self._lock = threading.Lock()
        self._env_prefix = env_prefix
        # credential keyword -> environment variable, where not `<PREFIX>_<KEYWORD>`
        self._credential_env: Mapping[str, str] = dict(credential_env or {})
        self._lookup = credential_lookup(dict(credentials or {}), env_prefix, self._credential_env)
        # the credentials passed (the lookup finds them before the environment), and the
        # security choices that depend on them alone: requirement -> (choice, sendable); keyed
        # by value (``client.get`` makes a new, equal requirement per call)
        self._given = frozenset(name for name, value in (credentials or {}).items() if value)
        self._fixed_security: dict[object, tuple[Chosen, bool]] = {}
        self._schemes: Mapping[str, SecurityScheme] = dict(security_schemes or {})
        self._default_security = default_security
        self._headers = _merged_headers({"User-Agent": user_agent(package)}, default_headers)
        # ``_headers`` as last checked (every value sendable) and encoded for httpx
        self._checked_headers: dict[str, str] | None = None
        self._http_headers = httpx.Headers()
        self._http_headers_json = httpx.Headers()  # the same plus ``Accept: application/json``
        self._default_query: dict[str, object] = dict(default_query or {})
        # the client parameters' values (`Client(subscription_id=...)`); None: not given
        self._client_values = {k: v for k, v in (client_values or {}).items() if v is not None}
        self._errors: Mapping[type[APIError], type[APIError]] = dict(errors or {})
        self._tokens = TokenCache()  # OAuth2 tokens of this client
        keys = [s for s in self._schemes.values() if isinstance(s, ApiKey)]
        self._secret_headers = {k.name for k in keys if k.location == "header"}
        self._secret_query = {k.name for k in keys if k.location == "query"}
        setup_client_logging(env_prefix, self._secret_query)  # <PREFIX>_LOG; httpx's line redacted
        self._configure(
            retry=retry,
            deadline=deadline,
            rate_limit=rate_limit,
            circuit_breaker=circuit_breaker,
            hooks=hooks,
            rate_warning=rate_warning,
        )

    def _configure(
        self,
        *,
        retry: RetryStrategy | None = None,
        deadline: float | None = None,
        rate_limit: RateLimit | None = None,
        circuit_breaker: CircuitBreaker | None = None,
        hooks: Hooks | None = None,
        rate_warning: RateWarning | None = None,
    ) -> None:
        """Set the resilience and observability options (``__init__`` passes them through)."""
        deadline = check_deadline(deadline)
        given: list[tuple[str, object, type]] = []
        if rate_limit is not None:  # (imported only when used: a plain call never needs them)
            from ._ratelimit import RateLimit

            given.append(("rate_limit", rate_limit, RateLimit))
        if circuit_breaker is not None:
            from ._circuit import CircuitBreaker

            given.append(("circuit_breaker", circuit_breaker, CircuitBreaker))
        for option, value, kind in given:
            if not isinstance(value, kind):
                # another generated package's own copy (its `_runtime`): its actions were not
                # recognised here, and the second call failed with an AttributeError (helper 221)
                raise TypeError(
                    f"{option} must be a {kind.__name__} of the runtime this client uses"
                    f" ({kind.__module__}), got {type(value).__module__}.{type(value).__name__}:"
                    " each generated package carries its own runtime; build it from"
                    " `<package>._runtime` of this client"
                )
        hooks = hooks or Hooks()
        if hooks.is_async() and not isinstance(self, AsyncAPIClient):
            raise TypeError("async hooks need the AsyncClient")
        self._resilience = Resilience(
            strategy=retry or RetryPolicy(),
            deadline=deadline,
            rate_limit=rate_limit,
            breaker=circuit_breaker,
            hooks=hooks,
            rate_warning=rate_warning,
            secret_headers=frozenset(self._secret_headers),
            secret_query=frozenset(self._secret_query),
        )

    @property
    def default_headers(self) -> dict[str, str]:
        """The headers sent with every request (a copy): User-Agent and ``default_headers``."""
        return dict(self._headers)

    @property
    def default_query(self) -> dict[str, object]:
        """The query parameters sent with every request (a copy); ``extra_query`` wins."""
        return dict(self._default_query)

    def is_closed(self) -> bool:
        """True once ``close()`` (or the ``with`` block) ended this client, or the pool it
        sends on was closed: a copy's by the client it was copied from, a caller's
        ``http_client`` by the caller."""
        return self._closed or self._pool_closed()

    def _pool_closed(self) -> bool:
        http = self._http
        return http is not None and not self._owns_http and http.is_closed

    def _refuse_if_closed(self) -> None:
        """A closed client sends nothing (it reopened a pool no one would close, as httpx's
        own closed client refuses too); nor does one whose shared pool was closed (its
        requests failed as "closed while in flight", a copy saying it was open)."""
        if self._closed:
            raise RuntimeError(
                f"this {type(self).__name__} is closed (close() or the end of its `with` "
                "block): make a new one"
            )
        if self._pool_closed():
            raise RuntimeError(
                f"the connection pool this {type(self).__name__} sends on is closed: the client"
                " it was copied from (`with_options`, `copy`) was closed, or the `http_client`"
                " passed in was; make a new one"
            )

    def copy(self, *args: Any, **overrides: Any) -> Self:
        """A new client with this one's configuration except ``overrides`` (any constructor
        keyword: ``timeout=``, ``max_retries=``, ``api_key=``...; ``None`` for a credential or
        ``base_url`` keeps this client's, as in openai-python). ``default_headers=`` and
        ``default_query=`` are merged into this client's; ``set_default_headers=`` and
        ``set_default_query=`` replace them. The copy shares this client's connection pool
        (a caller-supplied ``http_client``, or the one this client opened): closing the copy
        leaves it open, closing this client closes it for both. A generated client overrides
        this with its own keywords, typed (``*args: Any, **overrides: Any`` is the signature
        type checkers let an override narrow)."""
        if args:
            raise TypeError(f"{type(self).__name__}.copy() takes keyword arguments only")
        return self._copy(overrides)

    with_options = copy

    def _copy(self, given: Mapping[str, Any]) -> Self:
        """``copy()``'s work: ``given`` holds the keywords passed, a ``NOT_GIVEN`` one is not
        (the generated ``copy()`` passes every keyword it declares)."""
        keep_on_none = {"base_url", *self._credential_names()}
        overrides: dict[str, Any] = {
            k: v
            for k, v in given.items()
            # `api_key=None`, `base_url=None` keep this client's (openai-python's `api_key or
            # self.api_key`): they read the environment anew, or fell back to the spec's
            # server, sending the copy's calls to production instead of the parent's sandbox
            if not isinstance(v, NotGiven) and not (v is None and k in keep_on_none)
        }
        set_default_headers: Mapping[str, str] | None = overrides.pop("set_default_headers", None)
        set_default_query: Mapping[str, object] | None = overrides.pop("set_default_query", None)
        if "default_headers" in overrides and set_default_headers is not None:
            raise ValueError("pass default_headers= or set_default_headers=, not both")
        if "default_query" in overrides and set_default_query is not None:
            raise ValueError("pass default_query= or set_default_query=, not both")
        reconnects = overrides.pop("max_stream_reconnects", self.max_stream_reconnects)
        kwargs: dict[str, Any] = dict(self._init_kwargs)
        old_headers = dict(kwargs.get("default_headers") or {})
        old_query = dict(kwargs.get("default_query") or {})
        kwargs.update(overrides)
        if set_default_headers is not None:
            kwargs["default_headers"] = dict(set_default_headers)
        elif "default_headers" in overrides:
            kwargs["default_headers"] = _merged_headers(old_headers, overrides["default_headers"])
        if set_default_query is not None:
            kwargs["default_query"] = dict(set_default_query)
        elif "default_query" in overrides:
            kwargs["default_query"] = {**old_query, **(overrides["default_query"] or {})}
        if "http_client" not in overrides:
            # this client's pool (opened now if not yet): `with_options(...)` per call opens no
            # pool of its own; this client closes it, the copy leaves it open
            kwargs["http_client"] = self._client()
        for name in _CARRIED:  # as set on this client now, if changed since it was made
            if name not in overrides:
                kwargs[name] = getattr(self, name)
        if "base_url" not in overrides and not (
            # a server variable changed while on the spec's server: the copy fills it anew
            self.base_url.rstrip("/") == self._default_base_url.rstrip("/")
            and not self._server_keywords.isdisjoint(overrides)
        ):
            kwargs["base_url"] = self.base_url
        new = type(self)(**kwargs)
        if "cache" not in overrides:
            # this client's cache, not a fresh one from the generated default (`apigen.toml`'s
            # `[cache]`): per-call copies always missed, and a write through a copy left the
            # parent's entry stale (helper 211); its keys tell callers apart
            new._cache = self._cache
            given_http = overrides.get("http_client")
            if new._cache is not None and given_http is not None and not new._http_identity:
                from ._cache import http_identity

                new._http_identity = http_identity(given_http)
        if "http_client" not in overrides:
            new._share_pool(self)
        if reconnects != new.max_stream_reconnects:  # the copy's own, 0 included
            if reconnects < 0:
                raise ValueError(f"max_stream_reconnects must be >= 0, got {reconnects!r}")
            new.max_stream_reconnects = reconnects
        if new.base_url == self.base_url and self._credential_names().isdisjoint(overrides):
            # the same credentials at the same place: the same OAuth2 tokens (a per-call
            # `with_options(...)` fetched a token of its own, each time)
            new._tokens = self._tokens
        return new

    def _share_pool(self, source: _BaseClient[Any]) -> None:
        """This copy uses ``source``'s pool (``copy``): passed as ``http_client``, it is; who
        that pool makes the caller is ``source``'s to say (its cookies since are the server's)."""
        if self._cache is not None:
            self._http_identity = source._http_identity

    def _credential_names(self) -> set[str]:
        """The keywords that give this client credentials (``credentials=`` holds them all)."""
        return {
            "credentials",
            "security_schemes",
            *(
                n
                for scheme in self._schemes.values()
                for n in (*scheme.credentials, *scheme.optional)
            ),
        }

    def _check_http_client(self, http_client: object) -> None:
        wanted = httpx.AsyncClient if isinstance(self, AsyncAPIClient) else httpx.Client
        if http_client is not None and not isinstance(http_client, wanted):
            raise TypeError(
                f"{type(self).__name__} needs http_client to be an {wanted.__module__}."
                f"{wanted.__name__}, got {type(http_client).__module__}."
                f"{type(http_client).__name__}"
            )

    def _custom_security(self) -> tuple[tuple[str, ...], ...]:
        """What ``client.get(...)`` & co authenticate with: the spec's default security, or
        else the first scheme whose credentials the client has (or none)."""
        if self._default_security:
            return tuple(tuple(alt) for alt in self._default_security)
        return (*((name,) for name in self._schemes), ())

    def base_url_for(self, op: Operation[Any]) -> str:
        """Where ``op`` is sent: the spec's operation/path server (``op.server``) while the
        client uses the spec's own base URL, else ``base_url`` for every operation (a base URL
        the caller chose replaces all of the spec's servers)."""
        if op.origin is not None:  # a monitor URL outside the base path (``same_origin_path``)
            return op.origin
        if op.server and self.base_url.rstrip("/") == self._default_base_url.rstrip("/"):
            if "{" in op.server and self._server_values:  # relative to a root with variables
                from ._servers import fill

                return fill(op.server, self._server_values)
            return op.server
        return self.base_url

    def _with_client_values(
        self, op: Operation[Any], values: Mapping[str, object]
    ) -> Mapping[str, object]:
        """The call's arguments, with the client's value of each client parameter the call
        left out; a path parameter neither gives is a clear error before anything is sent."""
        filled = dict(values)
        for p in plan(op).client_params:
            if filled.get(p.py_name, NOT_GIVEN) is not NOT_GIVEN:
                continue
            value = self._client_values.get(p.py_name, NOT_GIVEN)
            if value is NOT_GIVEN and p.location == "path":
                raise TypeError(
                    f"{op.operation_id or op.path} needs {p.py_name}: pass it to the call or"
                    f" once to the client, {type(self).__name__}({p.py_name}=...)"
                )
            filled[p.py_name] = value
        return filled

    def _build_request(self, http: HttpT) -> Callable[..., httpx.Request]:
        """``request_builder(http)``, kept while the client uses the same pool."""
        cached = self._builder
        if cached is None or cached[0] is not http:
            cached = self._builder = (http, request_builder(http))
        return cached[1]

    def _flow(
        self,
        op: Operation[Any],
        values: Mapping[str, object],
        options: RequestOptions | None,
        build_request: BuildRequest,
        mode: Mode = None,
    ) -> Flow[Any]:
        """The one request path, shared by both clients: yields ``Send``/``Sleep`` actions and
        returns the parsed result, raising the generated package's own error classes
        (``errors=``). Everything that can fail locally fails before any ``Send``. (One
        generator, not one wrapping another: every layer costs each call its resumes.)"""
        try:
            options = options or {}
            if self._default_query:  # every request's query; an argument and a per-call
                # ``extra_query`` win (openai's order: the client's defaults, then the call's)
                given = {
                    p.wire_name
                    for p in op.params
                    if p.location == "query"
                    and p.py_name in values
                    and not isinstance(values[p.py_name], NotGiven)
                }
                defaults = {k: v for k, v in self._default_query.items() if k not in given}
                query = {**defaults, **(options.get("extra_query") or {})}
                options = {**options, "extra_query": query}
            max_retries = _check_max_retries(options.get("max_retries", self.max_retries))
            if plan(op).client_params:
                values = self._with_client_values(op, values)
            base_url = self.base_url_for(op)
            if not base_url[:8].lower().startswith(("http://", "https://")):  # (`HTTPS://`)
                raise ValueError(
                    f"Need an absolute base URL, got {base_url!r}: pass base_url= to the client"
                    + (f" or set {self._env_prefix}_BASE_URL" if self._env_prefix else "")
                )
            chosen, fixed, sendable = self._select_security(op)
            # clear errors, before sending; the client's own headers only when they changed
            unchecked = self._headers != self._checked_headers
            if unchecked or "extra_headers" in options or plan(op).header_params:
                check_header_inputs(op, values, options, self._headers if unchecked else {})
            if unchecked:
                self._checked_headers = dict(self._headers)
                self._http_headers = httpx.Headers(self._headers)  # copied per call, not re-encoded
                self._http_headers_json = httpx.Headers(self._headers)
                if "accept" not in self._http_headers_json:  # as ``prepare`` would add it
                    self._http_headers_json["Accept"] = "application/json"
            # the client's headers with ``Accept: application/json`` made once; another
            # declared JSON type (``op.accept``) is set by ``prepare``
            accepts_json = plan(op).accepts_json and op.accept is None
            prepared = prepare(
                op,
                values,
                options,
                base_url=base_url,
                headers=self._http_headers_json if accepts_json else self._http_headers,
                idempotency_header=_named(
                    op.idempotency_header or self.idempotency_header, "idempotency_header"
                ),
                has_accept=accepts_json,  # ``_http_headers_json`` has one
            )
            counted = options.get("retry_count_header", self.retry_count_header)
            counted = _named(counted, "retry_count_header")
            if counted and prepared.omitted and counted.lower() in prepared.omitted:
                counted = None  # ``extra_headers={name: omit}``: the caller wants none
            prepared.retry_count_header = counted
            replayable = True
            if isinstance(prepared.content, StreamBody):
                if prepared.content.async_only and not isinstance(self, AsyncAPIClient):
                    raise TypeError("an async iterable request body needs the AsyncClient")
                replayable = prepared.content.replayable
                if not replayable:
                    max_retries = 0  # an iterator is consumed by the first attempt: never resent
            # (the client's own was checked when set: no work on the usual call's path)
            timeout = check_timeout(options["timeout"]) if "timeout" in options else self.timeout
            res = self._resilience
            hooks = res.hooks
            seconds = check_deadline(options.get("deadline", res.deadline))
            deadline = None if seconds is None else time.monotonic() + seconds
            if prepared.cookies or "idempotency_key" in options or hooks.before_request:
                # CR/LF, non-ASCII: before sending (what ``check_header_inputs`` did not see)
                check_headers(prepared.headers, prepared.cookies)
            if hooks.before_request:  # before auth: hooks never see credentials
                request = prepared.build(build_request, timeout)
                yield from before_request(hooks, request, prepared.headers)
            anonymous = prepared.copy()  # what a redirect to another origin may carry
            ctx: AuthContext | None = None
            if chosen:  # credentials about to be applied: never in clear to another machine
                check_transport(base_url, self.allow_insecure_credentials)
                if fixed:  # keys and passwords: set as they are, no token to fetch or renew
                    for scheme, creds in chosen:
                        scheme.apply(prepared, creds)
                else:
                    ctx = AuthContext(
                        build_request,
                        self.base_url,
                        self._tokens,
                        self.allow_insecure_credentials,
                        timeout=timeout,
                        deadline=deadline,
                    )
                    for scheme, creds in chosen:
                        yield from scheme.auth_flow(prepared, creds, ctx)
                if prepared.omitted and prepared.drop_omitted():
                    ctx = None  # the caller omitted the credential's header: no renewal on 401
            if not (sendable and prepared.content is None and not hooks.before_request):
                # credentials too (a pasted newline), what a hook set, the body's Content-Type;
                # a fixed choice's credentials were checked once (a GET adds nothing else)
                check_headers(prepared.headers, prepared.cookies)
            stream = streams(op, mode)  # leave a 2xx body unread (downloads, event streams)
            # downloads and event streams are read by the caller: only an error body is bounded
            build_request = limit_responses(
                build_request, self.max_response_bytes, errors_only=stream
            )
            if self.strict_response_validation:
                build_request = strict_responses(build_request)

            try:
                # the route spans and metrics are named by: a long-running poll's path is the
                # monitor's own (`/ops/<uuid>`), one span name and metric series per operation
                route = op.path if op.origin is None else MONITOR_ROUTE

                def send(request: Prepared) -> Flow[httpx.Response]:
                    return res.exchange(
                        route, request, build_request, timeout, max_retries, deadline, stream
                    )

                # per redirect followed: (whether it had left the origin, its status)
                hops: list[tuple[bool, int]] = []
                if self._cache is None:
                    # the first attempt sent from here: ``_redirects`` only when one is answered
                    response = yield from send(prepared)
                    # (the status first: ``has_redirect_location`` reads five enum members)
                    if response.status_code in _REDIRECTS and response.has_redirect_location:
                        response = yield from self._redirects(
                            prepared, anonymous, send, response, hops
                        )
                else:  # opt-in: imported only by clients created with `cache=` (_cache.py)
                    response = yield from self._through_cache(
                        prepared, anonymous, send, build_request, timeout, stream, hops
                    )
                if (
                    response.status_code == 401
                    and ctx is not None  # (``fixed`` schemes renew nothing)
                    # an upload iterator the first attempt consumed cannot go again: the 401
                    and not (isinstance(prepared.content, StreamBody) and not replayable)
                    and _renewal_may_replay(prepared.method, hops)
                    and (yield from reauthorize(chosen, prepared, ctx))
                ):
                    # replayed once, with the renewed token
                    response = yield from self._redirects(prepared, anonymous, send)
                if hooks.after_response:
                    yield from run_hooks(hooks.after_response, response)
                if not 200 <= response.status_code < 300:  # ``is_success``, inlined
                    raise error_for(op, response, self._secret_headers, self._secret_query)
                return finish(op, response, mode)
            finally:
                abandon_span()  # a request cut short while sending leaves no span current
        except APIError as exc:
            package_error(exc, self._errors)
            # every APIError the call raises: a token endpoint's refusal and credentials
            # missing too (hooks ran only for errors met after the request was sent)
            on_error = self._resilience.hooks.on_error
            if on_error:
                yield from run_hooks(on_error, exc)
            raise

    def _select_security(self, op: Operation[Any]) -> tuple[Chosen, bool, bool]:
        """``select_security`` for ``op``; whether the choice is fixed (see
        ``_auth.fixed_choice``: applied without a flow); and whether it is fixed with every
        credential value sendable in a header. A fixed choice is kept per security
        requirement: it depends only on credentials passed to the client, which never change."""
        security = op.security if op.security is not None else self._default_security
        try:
            kept = self._fixed_security.get(security)
        except TypeError:  # unhashable (lists): worked out on every call
            kept = None
        if kept is not None:
            return kept[0], True, kept[1]
        chosen = select_security(
            security,
            self._schemes,
            self._lookup,
            self._env_prefix,
            op.operation_id,
            self._tokens,
            self._credential_env,
            self._given,
        )
        if not fixed_choice(security, self._schemes, chosen, self._given):
            return chosen, False, False
        texts = [value for _, creds in chosen for value in creds.values()]
        texts += [scheme.name for scheme, _ in chosen if isinstance(scheme, ApiKey)]
        sendable = header_safe(texts)
        with contextlib.suppress(TypeError):  # unhashable: not kept
            self._fixed_security[security] = (chosen, sendable)
        return chosen, True, sendable

    @contextlib.contextmanager
    def _package_errors(self) -> Generator[None, None, None]:
        """Errors met outside the flow (reading the body, parsing) as the package's classes."""
        try:
            yield
        except APIError as exc:
            package_error(exc, self._errors)
            raise

    def _through_cache(
        self,
        prepared: Prepared,
        anonymous: Prepared,
        send: Callable[[Prepared], Flow[httpx.Response]],
        build_request: BuildRequest,
        timeout: httpx.Timeout,
        stream: bool,
        hops: list[tuple[bool, int]],
    ) -> Flow[httpx.Response]:
        """``_redirects`` through the client's cache: GET/HEAD answered or revalidated from it,
        a successful unsafe request dropping its URL's entries."""
        from ._cache import credential_fingerprint, unsafe

        cache = self._cache
        assert cache is not None

        def go(request: Prepared) -> Flow[httpx.Response]:
            return self._redirects(request, anonymous, send, hops=hops)

        if not stream and prepared.method.upper() in ("GET", "HEAD"):
            credential = credential_fingerprint(
                prepared, self._secret_headers, self._secret_query, self._http_identity
            )
            return (yield from cache.fetch(prepared, credential, go, build_request, timeout))
        response = yield from go(prepared)
        if unsafe(prepared.method) and response.is_success:
            yield from cache.invalidate(prepared)
        return response

    def _redirects(
        self,
        prepared: Prepared,
        anonymous: Prepared,
        send: Callable[[Prepared], Flow[httpx.Response]],
        first: httpx.Response | None = None,
        hops: list[tuple[bool, int]] | None = None,
    ) -> Flow[httpx.Response]:
        """Send ``prepared`` (or take ``first``, its response, when it was sent already) and
        follow redirects (at most ``MAX_REDIRECTS``). Credentials go
        along only while the target keeps the origin the request was meant for (or upgrades it
        from http to https); towards any other origin the request is rebuilt from ``anonymous``
        (as it was before auth) without ``Authorization``, cookies or API-key headers, and they
        never come back on later hops. ``hops`` gets, per redirect followed, whether it had
        left the origin and its status."""
        trusted: httpx.URL | None = None  # parsed only when a redirect is followed
        current = prepared
        response = first if first is not None else (yield from send(current))
        left = False  # a hop went to another origin: no credential comes back after it
        for _ in range(MAX_REDIRECTS):
            if not response.has_redirect_location:  # 304, or a 3xx without Location
                break
            if trusted is None:
                trusted = httpx.URL(prepared.url)
            # (no fragment: it is never sent, and the key query would go after it)
            target = response.request.url.join(response.headers["location"])
            target = target.copy_with(fragment=None)
            if target.scheme not in ("http", "https"):
                break
            query: list[str] = []  # the target's own query is in its URL
            if _same_origin(trusted, target):
                nxt = current.copy()
                if not left:  # an API key sent in the query goes along, as a header key does
                    query = _query_credentials(prepared, anonymous, target)
            else:
                left = True
                nxt = (anonymous if current is prepared else current).copy()
                for name in ("authorization", "proxy-authorization", "cookie"):
                    nxt.headers.pop(name, None)
                for name in self._secret_headers:
                    nxt.headers.pop(name, None)
                nxt.foreign = _FOREIGN_STRIPPED | {h.lower() for h in self._secret_headers}
                nxt.cookies = []
                # the pool's jar scopes cookies by host, not port or scheme: the same host on
                # another port, or plain http, gets none of them; another host over https
                # gets what the jar's domain rules give it (a `Domain=.example.com` cookie the
                # API set for its CDN, as browsers and httpx send it)
                if target.host == trusted.host or target.scheme != "https":
                    nxt.jar = False
            nxt.url, nxt.query = str(target), query
            method = _redirect_method(current.method, response.status_code)
            if method != nxt.method:  # 303 (and 301/302 after POST): a GET without the body
                nxt.method, nxt.content = method, None
                for name in ("content-type", "content-length", "transfer-encoding"):
                    nxt.headers.pop(name, None)
            elif isinstance(nxt.content, StreamBody) and not nxt.content.replayable:
                break  # 307/308 would resend an upload iterator that is already consumed
            current = nxt
            if hops is not None:
                hops.append((left, response.status_code))
            response = yield from send(current)
        return response


# what no default of the http client may put back on a hop to another origin
_FOREIGN_STRIPPED = frozenset({"authorization", "proxy-authorization"})


def _renewal_may_replay(method: str, hops: list[tuple[bool, int]]) -> bool:
    """Whether a 401 may renew the token and send the call again. Not after a redirect
    to another origin (the 401 is that host's, which got no credential), nor after a redirect
    that answered a request not idempotent (a 303, or a 301/302 turning a POST into a GET,
    says it was done: sending it again would repeat it); a 307/308 keeps the method and says
    the request was not acted on there (RFC 9110 §15.4.8-9), so it is sent again."""
    if not hops:
        return True
    if any(left for left, _ in hops):
        return False
    return method.upper() in IDEMPOTENT_METHODS or all(code in (307, 308) for _, code in hops)


def resumable(op: Operation[Any]) -> bool:
    """Whether a dropped stream of ``op`` may be reopened: an event stream (JSON lines carry no
    event id to resume from) asked for with GET, as an ``EventSource`` does. Sending a POST
    again would start it over (a second completion, billed, its events joined onto the
    first's), whatever ``Last-Event-ID`` says."""
    return op.method.lower() == "get" and plan(op).stream == "sse"


MONITOR_ROUTE = "{monitor}"  # `url.template` of a long-running operation's polls


def poll_operation(
    target: str,
    security: tuple[tuple[str, ...], ...],
    base_url: str,
    given: RequestOptions | None = None,
    left: float | None = None,
) -> tuple[Operation[Any], dict[str, object], RequestOptions]:
    """The GET of a long-running operation's ``target``: a path under ``base_url`` (the
    operation's: its own server's, when it has one), or an absolute URL on that origin outside
    its base path (``same_origin_path`` checked the origin), requested as the server named it.
    Every poll asks for the current status (``Cache-Control: no-cache``): a client's cache
    answered each one with the first "running", until the wait timed out."""
    url = httpx.URL(target)
    path = url.raw_path.decode("ascii") if url.is_absolute_url else target
    # the call's own headers, query, timeout and retries go with every poll (openai-python's
    # `create_and_poll`, azure-core's pollers): an `X-Tenant` header or an `api-version` the
    # first request needed, the polls need too; its key, body and deadline were the first's
    kept = cast(
        "RequestOptions",
        {
            k: v
            for k, v in (given or {}).items()
            if k in ("extra_headers", "extra_query", "timeout", "max_retries", "retry_count_header")
        },
    )
    op, values, options = custom_operation("get", path, None, NOT_GIVEN, None, kept, security)
    options = options.copy()
    # (not a `Prefer`: RFC 7240's preferences are the request's own, `respond-async` or a
    # mock's `code=202` for the first request)
    headers = {k: v for k, v in (kept.get("extra_headers") or {}).items() if k.lower() != "prefer"}
    options["extra_headers"] = {"Cache-Control": "no-cache", **headers}
    if left is not None:  # what is left of the wait bounds the poll, its retries included
        options["deadline"] = left
    if not url.is_absolute_url:  # under the operation's base URL, not the client's
        return dataclasses.replace(op, origin=base_url), values, options
    origin = str(url.copy_with(raw_path=b"/", fragment=None)).rstrip("/")
    return dataclasses.replace(op, origin=origin), values, options


def _query_credentials(prepared: Prepared, anonymous: Prepared, target: httpx.URL) -> list[str]:
    """The query parameters auth added to ``prepared`` (API keys in the query), less those the
    redirect's target names itself."""
    added = [part for part in prepared.query if part not in anonymous.query]
    if not added:
        return added
    named = {part.split("=", 1)[0] for part in target.query.decode("ascii").split("&")}
    return [part for part in added if part.split("=", 1)[0] not in named]


MAX_REDIRECTS = 20
_REDIRECTS = frozenset({301, 302, 303, 307, 308})  # what ``has_redirect_location`` checks


def resume_options(options: RequestOptions | None, last_event_id: str | None) -> RequestOptions:
    """``options`` for reopening an event stream: ``Accept: text/event-stream`` and, when an
    event id was seen, ``Last-Event-ID`` (an empty id resets it: no header, as the spec says)."""
    options = sse_options(options)
    if last_event_id:
        headers = {**(options.get("extra_headers") or {}), "Last-Event-ID": last_event_id}
        options = {**options, "extra_headers": headers}
    return options


def custom_operation(
    method: str,
    path: str,
    cast_to: type[Any] | None,
    body: object,
    query: Mapping[str, object] | None,
    options: RequestOptions,
    security: tuple[tuple[str, ...], ...] | None = None,
) -> tuple[Operation[Any], dict[str, object], RequestOptions]:
    """An ``Operation`` for ``client.get/post/...(path, cast_to=...)``: an endpoint the spec
    does not describe, sent through the same flow (auth, retries, hooks). Only a path relative
    to the client's base URL is accepted: credentials never go to another origin."""
    url = httpx.URL(path)
    if url.is_absolute_url or path.startswith("//") or url.scheme:
        raise ValueError(
            f"client.{method}() takes a path relative to base_url (like '/v1/things'), not the"
            f" absolute URL {path!r}: credentials are only sent to the client's own origin"
        )
    extra: dict[str, object] = {}
    for key, value in url.params.multi_items():  # a repeated key keeps every value
        had = extra.get(key)
        extra[key] = (
            value if had is None else [*had, value] if isinstance(had, list) else [had, value]
        )
    extra.update(query or {})
    extra.update(options.get("extra_query") or {})
    if extra:
        options = {**options, "extra_query": extra}
    if cast_to is str:
        kind = "text"
    elif cast_to is bytes or cast_to is httpx.Response:  # (the response itself, read)
        kind = "binary"
    elif cast_to is None or cast_to is type(None):
        kind = "empty"
    else:
        kind = "json"
    target = Any if cast_to is None or kind == "empty" else cast_to
    has_body = not isinstance(body, NotGiven)
    media = "application/json"
    if has_body:
        media, options = _custom_media(body, options)
    op: Operation[Any] = Operation(
        method=method,
        path="/" + url.raw_path.decode("ascii").split("?", 1)[0].lstrip("/"),
        operation_id=f"{method.upper()} {path}",
        params=(Param("body", "body", "body"),) if has_body else (),
        body=Body(media, required=True) if has_body else None,
        responses={"2XX": (success := Response(target, kind))},  # type: ignore[arg-type]
        security=security,
    )
    if kind == "json" and target is not Any:
        # a type pydantic cannot validate fails here, before the request is sent (a POST
        # took effect, then `PydanticSchemaGenerationError` came, no APIError; helper 211)
        import pydantic

        try:
            success.adapter()
        except pydantic.PydanticSchemaGenerationError as exc:
            raise TypeError(f"cast_to={cast_to!r} is no type a response can be read as") from exc
    return op, ({"body": body} if has_body else {}), options


def _custom_media(body: object, options: RequestOptions) -> tuple[str, RequestOptions]:
    """The media type ``client.post(path, body=...)`` encodes ``body`` as, and the options to
    send it with. Bytes, a file, a path or an iterator go as they are (labelled with the
    ``Content-Type`` of ``extra_headers``, else ``application/octet-stream``); text as that
    type's charset says (UTF-8 by default); other data
    as the ``Content-Type`` given names it (a form, as stripe-python's raw requests send
    Stripe's v1 API; multipart, whose header the encoder writes with its boundary), else JSON.
    (Everything went as JSON: bytes for a form became a quoted JSON string.)"""
    headers = options.get("extra_headers") or {}
    given = next(
        (v for k, v in headers.items() if k.lower() == "content-type" and isinstance(v, str)), None
    )
    if isinstance(body, str):  # a JSON string, unless another type is named
        media = given.split(";")[0].strip().lower() if given is not None else ""
        if media == "application/x-www-form-urlencoded" or media.startswith("multipart/"):
            # a form or multipart body the caller already wrote (`"amount=100&currency=usd"`):
            # sent as written, under the caller's Content-Type (its boundary included)
            return "application/octet-stream", options
        if given is not None and not is_json(media):
            # encoded as that type says (`text/plain; charset=iso-8859-1`: latin-1 bytes; it
            # went out as UTF-8 under that label)
            return given, options
        return "application/json", options
    if isinstance(body, tuple):  # `(filename, content[, type])`, as an upload takes it
        raw = is_file(body)
    else:
        raw = isinstance(body, bytes | bytearray | memoryview | os.PathLike) or (
            not isinstance(body, Mapping | list | set | frozenset)
            and not hasattr(body, "model_dump")  # (a model iterates over its fields)
            and (hasattr(body, "read") or isinstance(body, Iterable | AsyncIterable))
        )
    if raw:
        return "application/octet-stream", options  # the caller's Content-Type still wins
    if given is None:
        return "application/json", options
    if given.split(";")[0].strip().lower().startswith("multipart/"):
        # the encoder's header names the boundary it used: the caller's, without one, goes
        kept = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        return given, {**options, "extra_headers": kept}
    return given, options


def _weak(loop: object | None) -> Callable[[], object | None] | None:
    """A weak reference to ``loop`` (a closed loop is not kept alive by a client)."""
    if loop is None:
        return None
    try:
        return weakref.ref(loop)
    except TypeError:  # not weakly referable: held, as the pool holds its connections
        return lambda: loop


async def _async_sleep(seconds: float) -> None:
    """asyncio's or trio's sleep (``_aio``), imported on first use: a sync client never loads
    them."""
    from ._aio import sleep

    await sleep(seconds)


def user_agent(package: tuple[str, str] | None = None) -> str:
    """``stripe/0.1.0 apigen/0.1.0 Python/3.11.7``: the generated package (name, version),
    the runtime and the interpreter."""
    own = f"apigen/{__version__} Python/{platform.python_version()}"
    return f"{package[0]}/{package[1]} {own}" if package else own


def _check_max_retries(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"max_retries must be an int (0: no retries), got {value!r}")
    if value < 0:
        raise ValueError(f"max_retries must be 0 or more, got {value}")
    return value


def _same_origin(trusted: httpx.URL, target: httpx.URL) -> bool:
    if (trusted.scheme, trusted.host, trusted.port) == (target.scheme, target.host, target.port):
        return True
    return (  # an http -> https upgrade of the same host on default ports (as httpx allows)
        trusted.scheme == "http"
        and target.scheme == "https"
        and trusted.host == target.host
        and trusted.port in (None, 80)
        and target.port in (None, 443)
    )


def _redirect_method(method: str, status: int) -> str:
    if status == 303 and method != "HEAD":
        return "GET"
    if status in (301, 302) and method == "POST":
        return "GET"
    return method


_NAMES_OK: set[str] = set()  # header names checked (a few per process: the checks' cache)


def _named(name: str | None, option: str) -> str | None:
    """``name``, a header name a client option gives (per call, or set on the client after it
    was built: helper 226), checked once per process."""
    if name and name not in _NAMES_OK:
        check_header_name(name, option)
        if len(_NAMES_OK) < 1024:
            _NAMES_OK.add(name)
    return name


class _OwnPool(httpx.Client):
    """The pool a client opens itself: its connections closed when the last client using it
    (the client, its copies, a stream still being read) is collected. A client dropped without
    ``close()`` left its sockets to the collector (``ResourceWarning: unclosed socket`` under
    ``-X dev``); openai-python closes its pool the same way. A ``weakref.finalize`` of the
    transports, not ``__del__``: the collector runs weak-reference callbacks before any
    finalizer, so the connections close before the sockets' own finalizers could warn (a
    ``__del__`` ran after them in 19 of 20 rounds, helper 183). Async pools are left as they
    are: closing them needs their loop."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        transports = [self._transport, *(t for t in self._mounts.values() if t is not None)]
        weakref.finalize(self, _close_all, transports).atexit = False


def _close_all(transports: list[httpx.BaseTransport]) -> None:
    for transport in transports:
        transport.close()


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Base of generated ``Client`` classes. Cheap to build: the HTTP pool is created lazily."""

    _sleep: Callable[[float], object] = staticmethod(time.sleep)  # tests replace it

    def _client(self) -> httpx.Client:
        http = self._http
        if http is not None and not self._closed and not http.is_closed:  # no lock taken
            return http
        self._refuse_if_closed()
        with self._lock:
            if self._http is None:
                from ._tls import default_tls_context  # ssl: loaded with the pool, not at import

                self._http = _OwnPool(
                    timeout=self.timeout,
                    follow_redirects=True,
                    limits=DEFAULT_LIMITS,
                    verify=default_tls_context(),
                )
                # every request carries the client's own; `extra_headers={"User-Agent": omit}`
                # sent httpx's instead of none
                del self._http.headers["User-Agent"]
                bounded_encodings(self._http)
            return self._http

    def request(
        self, op: Operation[T], values: Mapping[str, object], options: RequestOptions | None = None
    ) -> T:
        """Send ``op`` with ``values`` (keyed by Python name) and return the parsed result."""
        http = self._client()
        mode = take_mode()
        flow = self._flow(op, values, options, self._build_request(http), mode)
        try:  # not ``_package_errors()``: a context manager per call costs more than the call
            result: T = open_sync(run_sync(flow, http, self._sleep))
        except APIError as exc:
            package_error(exc, self._errors)
            raise
        if mode is not None:  # a raw or streamed response: what it raises later too
            adopt_errors(result, self._errors)
        return result

    def stream(
        self, op: Operation[T], values: Mapping[str, object], options: RequestOptions | None = None
    ) -> Stream[T]:
        """Send ``op`` (its 2xx response is an event stream or JSON lines); iterate the parsed
        records. An event stream resumes after a dropped connection (``max_stream_reconnects``)."""
        from ._sse import Reconnect, Stream

        if not is_stream(op):
            raise TypeError(f"{op.operation_id or op.path} does not respond with a stream")
        http = self._client()
        flow = self._flow(
            op, values, stream_options(op, options), self._build_request(http), take_mode()
        )
        # a RawResponse under with_raw_response
        with self._package_errors():
            result = open_sync(run_sync(flow, http, self._sleep))
        adopt_errors(result, self._errors)  # a stream, or the raw response holding one
        resumes = resumable(op)
        if self.max_stream_reconnects and isinstance(result, Stream) and resumes:
            # set by the client only, so it stays off the stream's public surface
            result._reconnect = Reconnect(  # pyright: ignore[reportPrivateUsage]
                self.max_stream_reconnects,
                self._sleep,
                lambda last_id: self._reopen_stream(op, values, options, last_id),
            )
        return cast("Stream[T]", result)

    def wait_for(
        self,
        op: Operation[Any],
        first: RawResponse[Any],
        *,
        options: RequestOptions | None = None,
        timeout: float | None = 600.0,
        interval: float = 1.0,
        max_interval: float = 30.0,
        cancel: threading.Event | None = None,
    ) -> Any:
        """Poll a long-running operation's first response until it is done (``_lro.py``) and
        parse the final body as the operation's result type."""
        from ._lro import parse_final, wait_sync

        base_url = self.base_url_for(op)  # polled there (the operation's own server)
        with self._package_errors():
            final = wait_sync(
                first.http_response,
                op.long_running,
                lambda target, left: self._poll(target, base_url, options, left),
                base_url,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                cancel=cancel,
                sleep=self._sleep,
            )
            return parse_final(op, final)

    def _poll(
        self,
        target: str,
        base_url: str,
        given: RequestOptions | None = None,
        left: float | None = None,
    ) -> httpx.Response:
        op, values, options = poll_operation(target, self._custom_security(), base_url, given, left)
        # mypy picks with_raw_response's coroutine overload here, pyright the sync one
        raw = cast(  # pyright: ignore[reportUnnecessaryCast]
            "RawResponse[Any]", with_raw_response(self.request)(op, values, options)
        )
        return raw.http_response

    def _reopen_stream(
        self,
        op: Operation[Any],
        values: Mapping[str, object],
        options: RequestOptions | None,
        last_event_id: str | None,
    ) -> httpx.Response:
        """The same event-stream request again, resuming after ``last_event_id``."""
        http = self._client()
        flow = self._flow(
            op, values, resume_options(options, last_event_id), self._build_request(http)
        )
        with self._package_errors():
            opened: Any = run_sync(flow, http, self._sleep)
        response: httpx.Response = opened.response
        return response

    def _custom(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        options = request_options(
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )
        op, values, options = custom_operation(
            method, path, cast_to, body, query, options, self._custom_security()
        )
        return self.request(op, values, options)  # type: ignore[no-any-return]

    def get(
        self,
        path: str,
        *,
        cast_to: type[T],
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``GET path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``)."""
        return self._custom(
            "get",
            path,
            cast_to,
            NOT_GIVEN,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    def post(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``POST path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return self._custom(
            "post",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    def put(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``PUT path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return self._custom(
            "put",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    def patch(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``PATCH path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return self._custom(
            "patch",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    def delete(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``DELETE path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return self._custom(
            "delete",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    @property
    def oauth(self) -> OAuth:
        """Authorization-code sign-in (PKCE), refresh and the token store: see ``OAuth``."""
        from ._oauth import OAuth

        try:
            return OAuth(self)
        except ValueError as exc:  # none (or several: `OAuth(client, scheme=...)`, exported
            # by the package): an attribute this client lacks (`hasattr`, `inspect.getmembers`
            # expect an AttributeError: they crashed, helper 229)
            raise AttributeError(str(exc)) from None

    def paginate(
        self,
        op: Operation[Any],
        values: Mapping[str, object],
        options: RequestOptions | None = None,
    ) -> SyncPage[Any]:
        """Fetch the first page of a paginated ``op``; iterating it walks every page."""
        from ._pagination import PageRequest, SyncPage

        return SyncPage[Any].fetch(self, PageRequest(op, values, options or {}))

    def _fetch_page(
        self, op: Operation[Any], values: Mapping[str, object], options: RequestOptions | None
    ) -> tuple[Any, httpx.Response | None]:
        """``request``, also returning the HTTP response (pagination reads its headers); one
        served by a response cache too, which no transport saw."""
        http = self._client()
        flow = self._flow(op, values, options, self._build_request(http), "page")
        with self._package_errors():
            page: tuple[Any, httpx.Response] = run_sync(flow, http, self._sleep)
            return page

    def close(self) -> None:
        """Close the connection pool (a caller-supplied ``http_client`` is left open)."""
        self._closed = True
        if self._owns_http and self._http is not None:
            self._http.close()
            self._http = None
            self._builder = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """Base of generated ``AsyncClient`` classes; same constructor as ``SyncAPIClient``."""

    _sleep: Callable[[float], Awaitable[object]] = staticmethod(_async_sleep)

    # the client whose pool a copy shares (``copy``), and the event loop this client's own pool
    # was last used on (a weak reference): its connections belong to that loop
    _pool_owner: AsyncAPIClient | None = None
    _pool_loop: Callable[[], object | None] | None = None

    def _share_pool(self, source: _BaseClient[Any]) -> None:
        # the pool stays the client's that opened it: renewed there for a new loop
        super()._share_pool(source)
        if isinstance(source, AsyncAPIClient):
            self._pool_owner = source._pool_owner or (source if source._owns_http else None)

    def _pool_closed(self) -> bool:
        owner = self._pool_owner
        return super()._pool_closed() or (owner is not None and owner.is_closed())

    def _client(self) -> httpx.AsyncClient:
        self._refuse_if_closed()
        if self._pool_owner is not None:
            return self._pool_owner._client()
        http = self._http
        if http is not None and self._owns_http:
            loop = running_loop()
            if self._pool_loop is None:  # made outside a loop (``copy``): this one's now
                self._pool_loop = _weak(loop)
            elif stale(previous := self._pool_loop(), loop):
                # `asyncio.run` again (pytest-asyncio, a notebook): the pooled connections
                # belong to the closed loop ("Event loop is closed" on their next use), and
                # cannot be closed from this one; a new pool, the old one left to the collector
                http = self._http = None
            elif previous is not None and loop is not None and previous is not loop:
                # another thread's loop, running: httpcore's connections serve one loop, and
                # calls from both failed with its own errors or hung until the pool timeout
                raise RuntimeError(
                    "this AsyncClient's connections belong to an event loop running in another"
                    " thread: make one AsyncClient per event loop"
                )
        if http is None:
            from ._tls import default_tls_context

            http = self._http = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=True,
                limits=DEFAULT_LIMITS,
                verify=default_tls_context(),
            )
            del http.headers["User-Agent"]  # (as the sync pool's)
            bounded_encodings(http)
            self._pool_loop = _weak(running_loop())
        return http

    async def request(
        self, op: Operation[T], values: Mapping[str, object], options: RequestOptions | None = None
    ) -> T:
        """Send ``op`` with ``values`` (keyed by Python name) and return the parsed result."""
        http = self._client()
        mode = take_mode()
        flow = self._flow(op, values, options, self._build_request(http), mode)
        try:
            result: T = open_async(await run_async(flow, http, self._sleep))
        except APIError as exc:
            package_error(exc, self._errors)
            raise
        if mode is not None:  # a raw or streamed response: what it raises later too
            adopt_errors(result, self._errors)
        return result

    async def stream(
        self, op: Operation[T], values: Mapping[str, object], options: RequestOptions | None = None
    ) -> AsyncStream[T]:
        """Send ``op`` (its 2xx response is an event stream or JSON lines); ``async for`` the
        parsed records. An event stream resumes after a dropped connection."""
        from ._sse import AsyncStream, Reconnect

        if not is_stream(op):
            raise TypeError(f"{op.operation_id or op.path} does not respond with a stream")
        http = self._client()
        flow = self._flow(
            op, values, stream_options(op, options), self._build_request(http), take_mode()
        )
        # a RawResponse under with_raw_response
        with self._package_errors():
            result = open_async(await run_async(flow, http, self._sleep))
        adopt_errors(result, self._errors)  # a stream, or the raw response holding one
        resumes = resumable(op)
        if self.max_stream_reconnects and isinstance(result, AsyncStream) and resumes:
            # set by the client only, so it stays off the stream's public surface
            result._reconnect = Reconnect(  # pyright: ignore[reportPrivateUsage]
                self.max_stream_reconnects,
                self._sleep,
                lambda last_id: self._reopen_stream(op, values, options, last_id),
            )
        return cast("AsyncStream[T]", result)

    async def wait_for(
        self,
        op: Operation[Any],
        first: RawResponse[Any],
        *,
        options: RequestOptions | None = None,
        timeout: float | None = 600.0,
        interval: float = 1.0,
        max_interval: float = 30.0,
    ) -> Any:
        """As the sync client's; cancel the awaiting task to stop waiting."""
        from ._lro import parse_final, wait_async

        base_url = self.base_url_for(op)  # polled there (the operation's own server)
        with self._package_errors():
            final = await wait_async(
                first.http_response,
                op.long_running,
                lambda target, left: self._poll(target, base_url, options, left),
                base_url,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                sleep=self._sleep,
            )
            return parse_final(op, final)

    async def _poll(
        self,
        target: str,
        base_url: str,
        given: RequestOptions | None = None,
        left: float | None = None,
    ) -> httpx.Response:
        op, values, options = poll_operation(target, self._custom_security(), base_url, given, left)
        raw: RawResponse[Any] = await with_raw_response(self.request)(op, values, options)
        return raw.http_response

    async def _reopen_stream(
        self,
        op: Operation[Any],
        values: Mapping[str, object],
        options: RequestOptions | None,
        last_event_id: str | None,
    ) -> httpx.Response:
        """The same event-stream request again, resuming after ``last_event_id``."""
        http = self._client()
        flow = self._flow(
            op, values, resume_options(options, last_event_id), self._build_request(http)
        )
        with self._package_errors():
            opened: Any = await run_async(flow, http, self._sleep)
        response: httpx.Response = opened.response
        return response

    async def _custom(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        options = request_options(
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )
        op, values, options = custom_operation(
            method, path, cast_to, body, query, options, self._custom_security()
        )
        return await self.request(op, values, options)

    async def get(
        self,
        path: str,
        *,
        cast_to: type[T],
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``GET path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``)."""
        return await self._custom(
            "get",
            path,
            cast_to,
            NOT_GIVEN,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    async def post(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``POST path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return await self._custom(
            "post",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    async def put(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``PUT path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return await self._custom(
            "put",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    async def patch(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``PATCH path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return await self._custom(
            "patch",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    async def delete(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = NOT_GIVEN,
        query: ExtraQuery | None = None,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
        timeout: TimeoutOption | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        retry_count_header: str | NotGiven | None = NOT_GIVEN,
    ) -> T:
        """``DELETE path`` (relative to ``base_url``) for an endpoint the spec does not
        describe, with the client's auth, retries and hooks; the response is read as
        ``cast_to`` (a model, ``dict``, ``str``, ``bytes`` or ``None``). ``body`` is sent as JSON,
        or as the ``Content-Type`` of ``extra_headers`` names it (a form, multipart); bytes, a
        file or an iterator as they are."""
        return await self._custom(
            "delete",
            path,
            cast_to,
            body,
            query,
            extra_headers,
            extra_query,
            extra_body,
            timeout,
            max_retries,
            idempotency_key,
            deadline,
            retry_count_header,
        )

    @property
    def oauth(self) -> AsyncOAuth:
        """Authorization-code sign-in (PKCE), refresh and the token store: see ``AsyncOAuth``."""
        from ._oauth import AsyncOAuth

        try:
            return AsyncOAuth(self)
        except ValueError as exc:  # none (or several: `AsyncOAuth(client, scheme=...)`, exported
            # by the package): an attribute this client lacks (`hasattr`, `inspect.getmembers`
            # expect an AttributeError: they crashed, helper 229)
            raise AttributeError(str(exc)) from None

    def paginate(
        self,
        op: Operation[Any],
        values: Mapping[str, object],
        options: RequestOptions | None = None,
    ) -> AsyncPaginator[Any]:
        """A paginator for ``op``: ``await`` it for the first page, or ``async for`` every item."""
        from ._pagination import AsyncPaginator, PageRequest

        return AsyncPaginator(self, PageRequest(op, values, options or {}))

    async def _fetch_page(
        self, op: Operation[Any], values: Mapping[str, object], options: RequestOptions | None
    ) -> tuple[Any, httpx.Response | None]:
        """``request``, also returning the HTTP response (pagination reads its headers); one
        served by a response cache too, which no transport saw."""
        http = self._client()
        flow = self._flow(op, values, options, self._build_request(http), "page")
        with self._package_errors():
            page: tuple[Any, httpx.Response] = await run_async(flow, http, self._sleep)
            return page

    async def aclose(self) -> None:
        """Close the connection pool (a caller-supplied ``http_client`` is left open)."""
        self._closed = True
        if self._owns_http and self._http is not None:
            previous = self._pool_loop() if self._pool_loop is not None else None
            if self._pool_loop is None or not stale(previous, running_loop()):
                await self._http.aclose()
            # else its connections belong to a closed loop (pytest-asyncio's teardown in a
            # loop of its own): closing them from this one raised "Event loop is closed"
            self._http = None
            self._builder = None

    async def close(self) -> None:
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class SyncResource:
    """Base of generated resource classes (``client.customers``)."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    """Base of generated async resource classes."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
