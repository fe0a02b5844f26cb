"""``SyncAPIClient``/``AsyncAPIClient``: configuration plus the one request flow both drive."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx

from ._auth import ApiKey, AuthContext, SecurityScheme, credential_lookup, select_security
from ._drivers import Flow, Send, Sleep, run_async, run_sync
from ._errors import connection_error
from ._logging import log_outcome, log_request
from ._operation import Operation
from ._request import BuildRequest, prepare
from ._response import error_for, parse_success
from ._retry import RetryPolicy
from ._types import RequestOptions
from ._version import __version__

__all__ = ["AsyncAPIClient", "AsyncResource", "SyncAPIClient", "SyncResource"]

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


class _BaseClient(Generic[HttpT]):
    """Shared configuration and the single request/retry flow (no I/O happens here)."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        default_base_url: str = "",
        env_prefix: str = "",
        credentials: Mapping[str, str | None] | None = None,
        security_schemes: Mapping[str, SecurityScheme] | None = None,
        default_security: Sequence[Sequence[str]] | None = None,
        timeout: float | httpx.Timeout | None = 60.0,
        max_retries: int = 2,
        http_client: HttpT | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        env_url = os.environ.get(f"{env_prefix}_BASE_URL") if env_prefix else None
        self.base_url: str = base_url or env_url or default_base_url
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self._http: HttpT | None = http_client
        self._owns_http = http_client is None  # a caller-supplied client is never closed by us
        self._lock = threading.Lock()
        self._env_prefix = env_prefix
        self._lookup = credential_lookup(dict(credentials or {}), env_prefix)
        self._schemes: Mapping[str, SecurityScheme] = dict(security_schemes or {})
        self._default_security = default_security
        self._headers = {"User-Agent": f"apigen-runtime/{__version__}", **(default_headers or {})}
        self._tokens: dict[tuple[str, ...], tuple[str, float]] = {}
        self._retry = RetryPolicy(max_retries=max_retries)
        keys = [s for s in self._schemes.values() if isinstance(s, ApiKey)]
        self._secret_headers = {k.name for k in keys if k.location == "header"}
        self._secret_query = {k.name for k in keys if k.location == "query"}

    def _flow(
        self,
        op: Operation[Any],
        values: Mapping[str, object],
        options: RequestOptions | None,
        build_request: BuildRequest,
    ) -> Flow[Any]:
        """The one request path, shared by both clients: yields ``Send``/``Sleep`` actions and
        returns the parsed result. Everything that can fail locally fails before any ``Send``."""
        options = options or {}
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"Need an absolute base URL, got {self.base_url!r}: pass base_url= to the client"
                + (f" or set {self._env_prefix}_BASE_URL" if self._env_prefix else "")
            )
        security = op.security if op.security is not None else self._default_security
        chosen = select_security(
            security, self._schemes, self._lookup, self._env_prefix, op.operation_id
        )
        prepared = prepare(op, values, options, base_url=self.base_url, headers=self._headers)
        timeout = options.get("timeout", self.timeout)
        timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        ctx = AuthContext(build_request, self.base_url, self._tokens)
        for scheme, creds in chosen:
            yield from scheme.auth_flow(prepared, creds, ctx)

        max_retries = options.get("max_retries", self.max_retries)
        retries = 0
        while True:
            request = prepared.build(build_request, timeout)
            log_request(request, self._secret_headers, self._secret_query)
            started = time.monotonic()
            outcome = yield Send(request)
            assert outcome is not None
            log_outcome(request, outcome, time.monotonic() - started, retries + 1)
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                return parse_success(op, outcome)
            if retries < max_retries and self._retry.should_retry(request, outcome):
                response = outcome if isinstance(outcome, httpx.Response) else None
                yield Sleep(self._retry.delay(retries, response))
                retries += 1
                continue
            if isinstance(outcome, httpx.Response):
                raise error_for(op, outcome)
            raise connection_error(request, outcome)


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Base of generated ``Client`` classes. Cheap to build: the HTTP pool is created lazily."""

    _sleep: Callable[[float], object] = staticmethod(time.sleep)  # tests replace it

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._http is None:
                self._http = httpx.Client(timeout=self.timeout, follow_redirects=True)
            return self._http

    def request(
        self, op: Operation[T], values: Mapping[str, object], options: RequestOptions | None = None
    ) -> T:
        """Send ``op`` with ``values`` (keyed by Python name) and return the parsed result."""
        http = self._client()
        result: T = run_sync(self._flow(op, values, options, http.build_request), http, self._sleep)
        return result

    def close(self) -> None:
        """Close the connection pool (a caller-supplied ``http_client`` is left open)."""
        if self._owns_http and self._http is not None:
            self._http.close()
            self._http = None

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

    _sleep: Callable[[float], Awaitable[object]] = staticmethod(asyncio.sleep)

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self.timeout, follow_redirects=True)
        return self._http

    async def request(
        self, op: Operation[T], values: Mapping[str, object], options: RequestOptions | None = None
    ) -> T:
        """Send ``op`` with ``values`` (keyed by Python name) and return the parsed result."""
        http = self._client()
        flow = self._flow(op, values, options, http.build_request)
        result: T = await run_async(flow, http, self._sleep)
        return result

    async def aclose(self) -> None:
        """Close the connection pool (a caller-supplied ``http_client`` is left open)."""
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

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
