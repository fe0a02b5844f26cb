"""Opt-in HTTP response caching for GET and HEAD: `Client(cache=Cache(...))`.

A private cache with HTTP semantics: `Cache-Control` (`max-age`, `no-store`, `no-cache`,
`private`), `Expires`, `Vary`, validators (`ETag` -> `If-None-Match`, `Last-Modified` ->
`If-Modified-Since`; a 304 refreshes the entry and the call returns the stored body, parsed as
always), and a client-side `ttl` for APIs that send no freshness information. Entries are kept
per caller and request headers (a fingerprint of every header the request carried but the
transport's, the retry count and trace context, its cookies and query keys: two API keys, two
`X-Auth-Token`s or two `Stripe-Account`s never see each other's entries), and a successful unsafe request (POST, PUT, PATCH, DELETE) drops the
entries of its URL. A caller skips the cache for one call with
`extra_headers={"Cache-Control": "no-cache"}` (revalidate) or `"no-store"` (neither read nor
written). Stores: `MemoryCacheStore` (LRU bounded by entries and bytes) and `RedisCacheStore`
(sync or asyncio Redis, shared by processes). Each response says what happened:
`response.extensions["apigen.cache"]` is `hit`, `revalidated`, `miss` or `bypass`
(`RawResponse.cache_status`), logged at INFO and set on the current OpenTelemetry span.

Written here rather than using hishel (an httpx caching transport): the runtime follows
redirects and applies credentials itself, so only this layer knows which credential a request
carried; and a store must serve the sync and the async client through one request flow.
This module is imported only by clients created with `cache=`.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import functools
import hashlib
import inspect
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import httpx

from ._drivers import Await, Flow
from ._logging import logger, redact_userinfo
from ._public import publish
from ._request import BuildRequest, Prepared

__all__ = ["Cache", "CacheStore", "MemoryCacheStore", "RedisCacheStore", "cache_status"]

CACHE_EXTENSION = "apigen.cache"
_STORABLE = {200, 203, 204, 300, 301, 308, 404, 410}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class CacheStore(Protocol):
    """Bytes by key. A method may return an awaitable (an asyncio Redis client): the async
    client awaits it; the sync client needs a store that answers directly."""

    def get(self, key: str) -> bytes | Awaitable[bytes | None] | None: ...

    def set(self, key: str, value: bytes, ttl: float | None) -> object: ...

    def delete(self, key: str) -> object: ...


class MemoryCacheStore:
    """In-process LRU bounded by the number of entries and their total size in bytes."""

    def __init__(self, max_entries: int = 1000, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._data: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            value, until = item
            if until is not None and until <= time.monotonic():
                self._drop(key)
                return None
            self._data.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl: float | None) -> None:
        with self._lock:
            self._drop(key)  # (an entry too large to keep replaces the old one all the same)
            if len(value) > self.max_bytes:
                return
            until = None if ttl is None else time.monotonic() + ttl
            self._data[key] = (value, until)
            self._size += len(value)
            while len(self._data) > self.max_entries or self._size > self.max_bytes:
                self._drop(next(iter(self._data)))

    def delete(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: str) -> None:
        item = self._data.pop(key, None)
        if item is not None:
            self._size -= len(item[0])


class RedisCacheStore:
    """Entries in Redis (`redis.Redis`, or `redis.asyncio.Redis` for async clients), shared by
    every process using the same `prefix`; needs `apigen-runtime[redis]` like the shared rate
    limiter. Entries expire in Redis after their stored lifetime (or `max_age` seconds)."""

    def __init__(
        self, redis_client: Any, prefix: str = "apigen:cache:", max_age: float = 86400
    ) -> None:
        self.redis = redis_client
        self.prefix = prefix
        self.max_age = max_age

    def get(self, key: str) -> Any:
        return self.redis.get(self.prefix + key)

    def set(self, key: str, value: bytes, ttl: float | None) -> Any:
        seconds = max(1, int(ttl if ttl is not None else self.max_age))
        return self.redis.set(self.prefix + key, value, ex=seconds)

    def delete(self, key: str) -> Any:
        return self.redis.delete(self.prefix + key)


@dataclass
class Cache:
    """`Client(cache=Cache())`: what to cache and where.

    `ttl`: seconds a response without freshness information (no `max-age`, no `Expires`) is
    served from the cache (`None`: such responses are only revalidated, when they carry an
    `ETag` or `Last-Modified`). `max_ttl` bounds any lifetime."""

    store: CacheStore | None = None
    ttl: float | None = None
    max_ttl: float = 86400.0

    _failing: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.store is None:
            self.store = MemoryCacheStore()

    # -- the request flow ---------------------------------------------------------------------

    def fetch(
        self,
        request: Prepared,
        credential: str,
        send: Callable[[Prepared], Flow[httpx.Response]],
        build_request: BuildRequest,
        timeout: httpx.Timeout,
    ) -> Flow[httpx.Response]:
        """GET/HEAD through the cache: a fresh entry answers without sending; a stale one with
        validators is revalidated (304 -> the stored body); anything storable is stored."""
        asked = _directives(request.headers.get("cache-control"))
        if "no-store" in asked:
            response = yield from send(request)
            return _mark(response, "bypass", request)
        key = _key(request)
        entry = _load((yield from self._call(lambda: self.store_().get(key), "read")))
        variant = _match(entry, credential, request.headers)
        now = time.time()
        if variant is not None and "no-cache" not in asked and variant.get("until", 0) > now:
            return _mark(_rebuild(variant, request, build_request, timeout), "hit", request)
        sent = request
        if variant is not None:
            sent = request.copy()
            headers = dict(variant["headers"])
            if "etag" in headers:
                sent.headers["If-None-Match"] = headers["etag"]
            if "last-modified" in headers:
                sent.headers["If-Modified-Since"] = headers["last-modified"]
        response = yield from send(sent)
        if response.status_code == 304 and variant is not None:
            refreshed = _refresh(variant, response, self)
            yield from self._store(key, entry, credential, request, refreshed)
            return _mark(
                _rebuild(refreshed, request, build_request, timeout), "revalidated", request
            )
        # a redirect's end is another URI's answer (and a 3xx without freshness is not
        # storable): kept under this URL, it answered for it after the redirect moved on
        stored = None if _redirected(response, request) else _variant(response, request, self)
        if stored is not None:
            yield from self._store(key, entry, credential, request, stored)
        elif variant is not None and response.is_success:
            # newer content that cannot be kept (`no-store`, too large): the older entry must
            # not answer the next call as a hit (a cache that went back in time)
            yield from self._forget(key, entry, variant)
        return _mark(response, "miss", request)

    def invalidate(self, request: Prepared) -> Flow[None]:
        """After a successful unsafe request: forget the URL's GET and HEAD entries."""
        store = self.store_()
        for key in (_key(request, "GET"), _key(request, "HEAD")):
            yield from self._call(functools.partial(store.delete, key), "clear")

    # -- helpers ------------------------------------------------------------------------------

    def store_(self) -> CacheStore:
        assert self.store is not None
        return self.store

    def _call(self, call: Callable[[], object], what: str) -> Flow[Any]:
        """The store's answer to ``call``; None when the store fails (Redis down, timed out):
        the call goes to the network, as without a cache, rather than raising the store's own
        error (or, clearing after a POST the server performed, inviting a resend). One warning
        per outage, an info line when the store answers again."""
        try:
            result = call()
        except Exception as exc:  # a store is any object (Redis, a user's): its errors, any
            self._failed(what, exc)
            return None
        if inspect.isawaitable(result):
            action = Await(self._guarded(result, what))
            yield action
            return action.result
        self._recovered()
        return result

    async def _guarded(self, awaitable: Awaitable[object], what: str) -> object:
        try:
            result = await awaitable
        except Exception as exc:  # (as in ``_call``; cancellation is no Exception)
            self._failed(what, exc)
            return None
        self._recovered()
        return result

    def _failed(self, what: str, exc: Exception) -> None:
        if not self._failing:
            self._failing = True
            logger.warning(
                "cache store failed to %s (%s: %s): calls go to the network until it answers",
                what,
                type(exc).__name__,
                exc,
            )

    def _recovered(self) -> None:
        if self._failing:
            self._failing = False
            logger.info("cache store answers again")

    def _store(
        self,
        key: str,
        entry: dict[str, Any],
        credential: str,
        request: Prepared,
        variant: dict[str, Any],
    ) -> Flow[None]:
        variant["cred"] = credential
        kept = [v for v in entry.get("variants", []) if not _same_variant(v, variant)]
        entry = {"variants": [*kept, variant][-8:]}  # a few Vary variants per URL
        ttl = max(1.0, max(v.get("keep", 0) for v in entry["variants"]) - time.time())
        data = json.dumps(entry).encode()
        yield from self._call(lambda: self.store_().set(key, data, ttl), "write")

    def _forget(self, key: str, entry: dict[str, Any], variant: dict[str, Any]) -> Flow[None]:
        kept = [v for v in entry.get("variants", []) if not _same_variant(v, variant)]
        store = self.store_()
        if not kept:
            yield from self._call(functools.partial(store.delete, key), "clear")
            return
        ttl = max(1.0, max(v.get("keep", 0) for v in kept) - time.time())
        data = json.dumps({"variants": kept}).encode()
        yield from self._call(lambda: store.set(key, data, ttl), "write")


def unsafe(method: str) -> bool:
    return method.upper() in _UNSAFE


# Request headers that do not change who asks or what is asked for: the transport's, the cache's
# own validators and directives, the retry count, trace context and correlation ids (new on
# every call: kept in, nothing would ever hit)
_NOT_IDENTITY = frozenset(
    {"accept-encoding", "connection", "content-length", "host", "te", "user-agent"}
    | {"cache-control", "pragma", "if-none-match", "if-modified-since"}
    | {"x-retry-count", "traceparent", "tracestate", "baggage", "x-request-id", "request-id"}
)


def http_identity(http: httpx.Client | httpx.AsyncClient) -> str:
    """Who a caller's `http_client` makes the caller, taken when the client is made (httpx adds
    its headers, cookies and `auth` after the runtime built a request, so the fingerprint saw
    none: `alice.with_options(http_client=bob_http)` got alice's entries). The cookies the
    server sets later (a load balancer's) do not count: they would make every call a miss. An
    `auth` other than Basic is opaque: a token of its own per client (its object's `id` is
    reused once the object is freed: one user's entry went to another). Its own query
    parameters count (`params={"key": ...}`); a request hook may add anything (an
    `Authorization` header): such a client is opaque too (a helper's review: Bob's first call
    returned Alice's body, a hit, through each of them)."""
    skipped = _NOT_IDENTITY
    parts = [
        f"{k.lower()}\0{v}" for k, v in sorted(http.headers.items()) if k.lower() not in skipped
    ]
    parts += [f"jar\0{c.domain}\0{c.path}\0{c.name}\0{c.value}" for c in http.cookies.jar]
    if http.params:
        parts.append(f"params\0{http.params}")
    auth = http.auth
    if isinstance(auth, httpx.BasicAuth) and isinstance(getattr(auth, "_auth_header", None), str):
        parts.append(f"basic\0{auth._auth_header}")  # pyright: ignore[reportPrivateUsage]
    elif auth is not None:
        parts.append(f"auth\0{uuid.uuid4().hex}")
    if http.event_hooks.get("request"):  # (Basic auth beside one too: a review)
        parts.append(f"hooks\0{uuid.uuid4().hex}")
    return hashlib.sha256("\0\0".join(parts).encode()).hexdigest() if parts else ""


def credential_fingerprint(
    request: Prepared,
    secret_headers: Collection[str],
    secret_query: Collection[str],
    identity: str = "",
) -> str:
    """A hash of who asks and how (every request header but `_NOT_IDENTITY`'s, so an
    `X-Auth-Token` in `default_headers` or a `Stripe-Account` in `extra_headers` counts as the
    API key does; cookies; API keys in the query; and `identity`, what the caller's
    `http_client` adds: `http_identity`): the cache never serves one caller's entry to another,
    nor one account's to another. `secret_headers` are hashed whatever their name."""
    h = hashlib.sha256()
    skipped = _NOT_IDENTITY - {n.lower() for n in secret_headers}
    retry_count = (request.retry_count_header or "").lower()
    for name, value in sorted((k.lower(), v) for k, v in request.headers.items()):
        if name not in skipped and name != retry_count:
            h.update(f"{name}\0{value}\0".encode())
    for cookie in request.cookies:
        h.update(f"cookie\0{cookie}\0".encode())
    if identity:
        h.update(f"client\0{identity}\0".encode())
    keys = {n.lower() for n in secret_query}
    for pair in request.query:
        if pair.split("=", 1)[0].lower() in keys:
            h.update(f"query\0{pair}\0".encode())
    return h.hexdigest()[:32]


def cache_status(response: httpx.Response) -> str | None:
    """`hit`, `revalidated`, `miss`, `bypass`, or `None` (no cache on this client)."""
    value = response.extensions.get(CACHE_EXTENSION)
    return value if isinstance(value, str) else None


def _key(request: Prepared, method: str | None = None) -> str:
    url = f"{request.url}?{'&'.join(request.query)}" if request.query else request.url
    return hashlib.sha256(f"{method or request.method.upper()} {url}".encode()).hexdigest()


def _directives(value: str | None) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for part in (value or "").split(","):
        name, _, arg = part.strip().partition("=")
        if name:
            out[name.lower()] = arg.strip().strip('"') or None
    return out


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _lifetime(headers: httpx.Headers, cache: Cache) -> float | None:
    """Seconds the response is fresh for (`None`: no freshness information)."""
    cc = _directives(headers.get("cache-control"))
    if "no-cache" in cc:
        return 0.0
    age = _seconds(headers.get("age")) or 0.0
    if (max_age := _seconds(cc.get("max-age"))) is not None:
        return max(0.0, max_age - age)
    expires = headers.get("expires")
    if expires is not None:
        try:
            when = email.utils.parsedate_to_datetime(expires).timestamp()
        except (TypeError, ValueError):
            return 0.0  # an invalid Expires means "already expired"
        date = headers.get("date")
        try:
            base = email.utils.parsedate_to_datetime(date).timestamp() if date else time.time()
        except (TypeError, ValueError):
            base = time.time()
        return max(0.0, when - base - age)  # (RFC 9111 4.2: its age counts, as for max-age)
    return cache.ttl


def _variant(response: httpx.Response, request: Prepared, cache: Cache) -> dict[str, Any] | None:
    """A storable copy of `response`, or `None` when HTTP says not to keep it."""
    cc = _directives(response.headers.get("cache-control"))
    vary = [v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()]
    if response.status_code not in _STORABLE or "no-store" in cc or "*" in vary:
        return None
    try:
        body = response.content
    except httpx.ResponseNotRead:
        return None  # a streamed download: never buffered for the cache
    lifetime = _lifetime(response.headers, cache)
    validators = "etag" in response.headers or "last-modified" in response.headers
    if not lifetime and not validators:
        return None  # nothing to serve it by, nothing to revalidate it with
    now = time.time()
    lifetime = min(lifetime or 0.0, cache.max_ttl)
    return {
        "status": response.status_code,
        "headers": [[k.lower(), v] for k, v in response.headers.items()],
        "body": base64.b64encode(body).decode(),
        "vary": {name: _vary_digest(request.headers.get(name)) for name in vary},
        "until": now + lifetime,
        "keep": now + max(lifetime, cache.max_ttl if validators else lifetime),
    }


def _redirected(response: httpx.Response, request: Prepared) -> bool:
    """Whether ``response`` answered another URL than ``request``'s (a redirect was followed;
    the query is not compared: an http client's default params join it when it is sent)."""
    try:
        sent = response.request.url
    except RuntimeError:  # a response built without a request: nothing was followed
        return False
    meant = httpx.URL(request.url)
    return (sent.scheme, sent.host, sent.port, sent.path) != (
        meant.scheme,
        meant.host,
        meant.port,
        meant.path,
    )


def _vary_digest(value: str | None) -> str | None:
    """What an entry keeps of a request header its response varies on: a hash, never the
    value (`Vary: Authorization, X-API-Key`, GitHub's `Vary: Accept, Authorization, Cookie`
    put every caller's key in the store, a shared Redis one too)."""
    return None if value is None else hashlib.sha256(value.encode()).hexdigest()[:32]


def _refresh(variant: dict[str, Any], response: httpx.Response, cache: Cache) -> dict[str, Any]:
    """A 304: the stored variant with the new headers (freshness, validators) merged in. The
    stored `Age` goes unless the 304 gives one: the response is as old as this answer says
    (an `Age: 59` of the first answer with `max-age=60` left every refresh already stale)."""
    headers = dict(variant["headers"])
    headers.pop("age", None)
    for k, v in response.headers.items():
        if k.lower() not in ("content-length", "content-encoding", "transfer-encoding"):
            headers[k.lower()] = v
    merged = httpx.Headers(list(headers.items()))
    lifetime = min(_lifetime(merged, cache) or 0.0, cache.max_ttl)
    now = time.time()
    return {
        **variant,
        "headers": [[k, v] for k, v in headers.items()],
        "until": now + lifetime,
        "keep": now + max(lifetime, cache.max_ttl),
    }


def _load(data: object) -> dict[str, Any]:
    if not isinstance(data, bytes | str):
        return {}
    try:
        loaded = json.loads(data)
    except ValueError:
        return {}
    return cast("dict[str, Any]", loaded) if isinstance(loaded, dict) else {}


def _match(
    entry: dict[str, Any], credential: str, headers: httpx.Headers | dict[str, str]
) -> dict[str, Any] | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    for variant in reversed(entry.get("variants", [])):
        if variant.get("cred") != credential:
            continue
        vary = variant.get("vary", {})
        if all(_vary_digest(lowered.get(name)) == value for name, value in vary.items()):
            return dict(variant)
    return None


def _same_variant(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.get("cred") == b.get("cred") and a.get("vary") == b.get("vary")


def _rebuild(
    variant: dict[str, Any], request: Prepared, build_request: BuildRequest, timeout: httpx.Timeout
) -> httpx.Response:
    headers = [
        (k, v) for k, v in variant["headers"] if k not in ("content-encoding", "transfer-encoding")
    ]
    response = httpx.Response(
        variant["status"],
        headers=headers,
        content=base64.b64decode(variant["body"]),
        request=request.build(build_request, timeout),
    )
    # nothing was sent: no time elapsed (httpx sets it when a sent response closes, and
    # `RawResponse.elapsed` raised on a cache hit)
    response.elapsed = datetime.timedelta(0)
    return response


def _mark(response: httpx.Response, status: str, request: Prepared) -> httpx.Response:
    response.extensions = {**response.extensions, CACHE_EXTENSION: status}
    if logger.isEnabledFor(logging.INFO):  # (an URL parsed per call only when shown)
        shown = redact_userinfo(httpx.URL(request.url.split("?", 1)[0]))
        logger.info("cache %s: %s %s", status, request.method.upper(), shown)
    from ._telemetry import annotate_current_span

    annotate_current_span("apigen.cache", status)
    return response


publish(__all__, globals(), __name__.rpartition(".")[0])  # after every class above
