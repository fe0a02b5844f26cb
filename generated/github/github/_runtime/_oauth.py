"""OAuth2: tokens and token stores, the client-credentials and authorization-code (PKCE) schemes,
and the ``client.oauth`` helpers.

Tokens live in the client's ``TokenCache``. Both schemes renew a token single-flight: the flow
yields ``Exclusive(cache.lock, renew)``, which the sync driver runs under a ``threading.Lock``
and the async driver under one lock per event loop (asyncio's or trio's); ``renew`` re-checks
the cache first, so N concurrent callers cause one token request. A 401 renews the token once and replays once.
"""

# This module is a friend of the client and of the auth schemes: ``client.oauth`` drives the
# client's token cache and transport, whose members stay underscored so that they never collide
# with generated resource names (``client.tokens`` could be an API resource).
# pyright: reportPrivateUsage=false

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import random
import secrets
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process token file lock
    fcntl = None  # type: ignore[assignment]

from ._auth import AuthContext, SecurityScheme, _basic, _set_header, check_transport
from ._drivers import Exclusive, Flow, FlowLock, Outcome, Send, Sleep, run_async, run_sync
from ._errors import (
    APIError,
    APITimeoutError,
    MissingCredentialsError,
    OAuthError,
    connection_error,
    make_status_error,
)
from ._logging import logger
from ._public import publish
from ._request import Prepared
from ._response import scrub
from ._retry import NOT_SENT, clip_timeout, late
from ._tokens import TokenCache  # pyright: ignore[reportPrivateUsage]

if TYPE_CHECKING:
    from ._client import AsyncAPIClient, SyncAPIClient, _BaseClient

__all__ = [
    "AsyncOAuth",
    "AuthorizationRequest",
    "InMemoryTokenStore",
    "JSONFileTokenStore",
    "OAuth",
    "OAuth2AuthorizationCode",
    "OAuth2ClientCredentials",
    "OAuthError",
    "Token",
    "TokenCache",
    "TokenStore",
]

_now: Callable[[], float] = time.time  # wall clock: stored tokens outlive the process


# --- tokens and where they are kept -------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """An OAuth2 token response. The secrets never appear in ``repr``."""

    access_token: str = field(repr=False)
    token_type: str = "Bearer"
    expires_at: float | None = None  # seconds since the epoch; None: unknown, never renewed early
    refresh_token: str | None = field(default=None, repr=False)
    scope: str | None = None
    issued_at: float | None = None

    def expires_soon(self) -> bool:
        """True within the renewal margin: 10% of the lifetime, at most 30 seconds."""
        if self.expires_at is None:
            return False
        lifetime = self.expires_at - self.issued_at if self.issued_at is not None else 300.0
        return _now() >= self.expires_at - min(30.0, max(lifetime, 0.0) / 10)

    @classmethod
    def from_response(cls, data: Mapping[str, Any], previous: Token | None = None) -> Token:
        """Read a token endpoint's JSON; a refresh that returns no new refresh token keeps the old."""
        now = _now()
        try:
            lifetime: float | None = float(data["expires_in"])
        except (KeyError, TypeError, ValueError):
            lifetime = None
        refresh = data.get("refresh_token") or (previous.refresh_token if previous else None)
        return cls(
            access_token=str(data["access_token"]),
            token_type=str(data.get("token_type") or "Bearer"),
            expires_at=None if lifetime is None else now + lifetime,
            refresh_token=None if refresh is None else str(refresh),
            scope=None if data.get("scope") is None else str(data["scope"]),
            issued_at=now,
        )

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Token:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


class TokenStore(Protocol):
    """Where authorization-code tokens persist (after a code exchange and every refresh)."""

    def load(self) -> Token | None: ...

    def save(self, token: Token) -> None: ...


class InMemoryTokenStore:
    """Keeps one token in memory; share one instance to share a sign-in between clients."""

    def __init__(self, token: Token | None = None) -> None:
        self._token = token

    def load(self) -> Token | None:
        return self._token

    def save(self, token: Token) -> None:
        self._token = token


class JSONFileTokenStore:
    """Keeps one token in a JSON file, written atomically (temp file + rename) with mode 0600."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()

    def __repr__(self) -> str:
        return f"JSONFileTokenStore({str(self.path)!r})"

    def load(self) -> Token | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Token.from_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            logger.warning("ignoring unreadable token file %s (%s)", self.path, type(exc).__name__)
            return None

    def save(self, token: Token) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(token.to_json(), file)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(tmp, 0o600)  # mkstemp already uses 0600; say so explicitly
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


# --- serialising renewals on a shared store ------------------------------------------------------

_STORE_LOCKS: weakref.WeakKeyDictionary[object, FlowLock] = weakref.WeakKeyDictionary()
_STORE_LOCKS_BY_ID: dict[int, FlowLock] = {}  # stores that cannot be weakly referenced
_STORE_LOCKS_GUARD = threading.Lock()
FILE_LOCK_WAIT = 60.0  # seconds to wait for another process's renewal before going ahead


def _late_renewal(method: str, url: str) -> Callable[[], APIError]:
    """The error of a call whose deadline passed while another call renewed the token."""

    def late() -> APIError:
        request = httpx.Request(method, url)
        return APITimeoutError(
            request,
            "Deadline exceeded waiting for another call's token renewal:"
            f" {method} {request.url.path}",
        )

    return late


def _store_lock(store: TokenStore) -> FlowLock:
    """One lock per store object, shared by every client of this process that uses it."""
    with _STORE_LOCKS_GUARD:
        try:
            lock = _STORE_LOCKS.get(store)
            if lock is None:
                lock = _STORE_LOCKS[store] = FlowLock()
        except TypeError:
            lock = _STORE_LOCKS_BY_ID.setdefault(id(store), FlowLock())
        return lock


def _file_lock(
    store: TokenStore,
    deadline: float | None = None,
    late: Callable[[], APIError] | None = None,
) -> Flow[int | None]:
    """For a ``JSONFileTokenStore`` on POSIX, an exclusive ``flock`` on ``<path>.lock`` (other
    processes renew one at a time), polled so that async callers never block the loop, until
    the call's ``deadline`` (then ``late()``) or ``FILE_LOCK_WAIT``.
    Returns the locked file descriptor (``None``: no file lock)."""
    if not isinstance(store, JSONFileTokenStore) or fcntl is None:
        return None
    store.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(f"{store.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    waited = 0.0
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                pass
            if deadline is not None and late is not None and time.monotonic() >= deadline:
                raise late()
            if waited >= FILE_LOCK_WAIT:
                raise OAuthError(
                    f"Another process has held the token file lock {store.path}.lock for"
                    f" {FILE_LOCK_WAIT:g} s"
                )
            yield Sleep(0.02)
            waited += 0.02
    except BaseException:
        os.close(fd)
        raise


def _file_unlock(fd: int | None) -> None:
    if fd is not None and fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


# --- the token endpoint -------------------------------------------------------------------------


def _web_url(url: str, base: str, what: str) -> str:
    """``url`` (a spec's OAuth URL) resolved against ``base``, refused unless it is an http(s)
    URL with a host: a `file:` token endpoint failed as a connection error after three tries;
    a `javascript:` authorization URL was handed back for an app to send its user to
    (`apigen build` warns of both). A relative one is the API's."""
    target = url
    try:
        given = urlsplit(url)
        target = urljoin(base.rstrip("/") + "/", url) if base else url
        parts = given if given.scheme else urlsplit(target)
        parts.port  # noqa: B018  # (a port that is none raises here: `:99999`, `:abc`)
    except ValueError:  # `https://[::1/token`
        parts = given = urlsplit("")
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        # the spec's own user info (httpx sends it as Basic auth in place of the client's
        # secret, or it hides the host: `auth.example.com@evil.example`); what `urlsplit`
        # drops or reads otherwise than a server (`\t`, a space, `\\`)
        or "@" in given.netloc
        or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in url)
    ):
        shown = url if len(url) <= 100 else url[:100] + "..."
        raise OAuthError(f"the {what} {shown!r} is not an http(s) URL: nothing is sent to it")
    return target


def _token_flow(
    ctx: AuthContext,
    url: str,
    form: dict[str, str],
    client_id: str | None,
    client_secret: str | None,
    previous: Token | None = None,
) -> Flow[Token]:
    """POST ``form`` to the token endpoint. A client secret goes as HTTP Basic
    (client_secret_basic); a public client sends just ``client_id`` in the form."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if client_secret is not None:
        headers["Authorization"] = _basic(client_id or "", client_secret)
    elif client_id:
        form = {**form, "client_id": client_id}
    if not url.strip():  # (joined, it was the API's own root: the secret posted there)
        raise OAuthError(
            "no token endpoint URL: the spec gives none (a client-credentials client takes"
            " token_url=)"
        )
    target = _web_url(url, ctx.base_url, "token endpoint")
    check_transport(target, ctx.allow_insecure, "the client secret or refresh token")
    hidden = [
        client_secret or "",
        *(v for k, v in form.items() if k not in ("grant_type", "scope")),
    ]
    # a refresh token that rotates and an authorization code are good for one use (RFC 6749
    # §4.1.2, §10.4): sent twice, the second is refused (invalid_grant) and a server detecting
    # reuse revokes every token of the grant; such a request goes again only if it never left
    single_use = form.get("grant_type") in ("refresh_token", "authorization_code")
    attempt = 0
    content = urlencode(form).encode()
    while True:  # never redirected (the driver does not follow): the secrets stay at ``target``
        attempt += 1
        # within the call's timeout and deadline: a slow token endpoint held a `deadline=1`
        # call for as long as it took, then failed it with the token in hand. Not a single-use
        # grant's: cut short, its answer (a rotated refresh token) would be lost, and the one
        # sent is spent (a review: every later call `invalid_grant`, the user signed out)
        deadline = None if single_use else ctx.deadline
        left = None if deadline is None else deadline - time.monotonic()
        extra: dict[str, Any] = {}
        if ctx.timeout is not None and not single_use:
            extra["timeout"] = clip_timeout(ctx.timeout, left)
        request = ctx.build_request("POST", target, content=content, headers=headers, **extra)
        if left is not None and left <= 0:
            raise late(request, attempt)
        outcome = yield Send(request, deadline)
        if single_use:
            retryable = isinstance(outcome, NOT_SENT)
        else:
            retryable = not isinstance(outcome, httpx.Response) or outcome.status_code >= 500
        delay = TOKEN_BACKOFF * 2 ** (attempt - 1) * random.uniform(0.75, 1.0)
        hopeless = deadline is not None and time.monotonic() + delay >= deadline
        if not retryable or attempt > TOKEN_RETRIES or hopeless:
            return _read_token(request, outcome, hidden, previous)
        yield Sleep(delay)


TOKEN_RETRIES = 2  # a 5xx or connection error at the token endpoint: two more tries (a
# single-use grant: only a connection that never opened)
TOKEN_BACKOFF = 0.5  # seconds before the first retry, doubling


def _read_token(
    request: httpx.Request, outcome: Outcome, hidden: Sequence[str], previous: Token | None
) -> Token:
    if not isinstance(outcome, httpx.Response):
        assert outcome is not None
        raise connection_error(request, outcome)
    where = f"token endpoint {request.method} {request.url.path}"
    if outcome.is_redirect:
        location = httpx.URL(outcome.headers.get("location", ""))
        raise OAuthError(
            f"The {where} answered {outcome.status_code} (a redirect to"
            f" {location.scheme}://{location.host or request.url.host}): not followed, since it"
            " would carry the client secret or refresh token; configure the final token URL",
            request=request,
        )
    try:
        data: Any = outcome.json()
    except (ValueError, RecursionError):
        data = outcome.text
        if outcome.is_success:
            kind = outcome.headers.get("content-type", "no content type").split(";")[0]
            raise OAuthError(
                f"The {where} answered {outcome.status_code} with a body that is not JSON ({kind})",
                request=request,
            ) from None
    if not outcome.is_success:
        raise scrub(make_status_error(outcome, data), hidden)
    if not isinstance(data, dict):
        raise OAuthError(
            f"The {where} answered with JSON {type(data).__name__}, not an object", request=request
        )
    body = cast("dict[str, Any]", data)
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        problem = "no access_token" if token is None else "an empty or non-string access_token"
        fields = ", ".join(sorted(body)) or "none"
        raise OAuthError(f"The {where} response has {problem} (fields: {fields})", request=request)
    return Token.from_response(body, previous)


# --- the schemes --------------------------------------------------------------------------------


class _TokenScheme(SecurityScheme):
    """Shared by both OAuth2 flows: send the cached token, renewing it single-flight when it is
    about to expire or when the server answers 401."""

    def _key(self, creds: Mapping[str, str]) -> Hashable:
        raise NotImplementedError

    def _initial(self, creds: Mapping[str, str], cache: TokenCache) -> Token | None:
        return None

    def _fetch(
        self, creds: Mapping[str, str], ctx: AuthContext, current: Token | None
    ) -> Flow[Token | None]:
        raise NotImplementedError

    def _save(self, cache: TokenCache, token: Token) -> None:
        pass

    def current(self, creds: Mapping[str, str], cache: TokenCache) -> Token | None:
        return cache.get(self._key(creds), lambda: self._initial(creds, cache))

    def _shared_store(self, cache: TokenCache) -> TokenStore | None:
        """A store other clients (or processes) may share: renewals are serialised on it."""
        return None

    def _renew(
        self,
        creds: Mapping[str, str],
        ctx: AuthContext,
        used: str | None,
        late: Callable[[], APIError] | None = None,
    ) -> Flow[None]:
        """Runs under the cache lock: fetch unless another caller already replaced ``used``.
        With a shared token store, also under the store's lock (other clients of this process,
        and for ``JSONFileTokenStore`` other processes: ``flock``), re-reading the store first:
        a rotated refresh token another client already used is never presented again."""
        store = self._shared_store(ctx.tokens)
        if store is None:
            yield from self._renew_locked(creds, ctx, used, None)
            return
        lock = _store_lock(store)
        flow = self._renew_with_file_lock(creds, ctx, used, store, late)
        yield Exclusive(lock, flow, ctx.deadline, late)

    def _renew_with_file_lock(
        self,
        creds: Mapping[str, str],
        ctx: AuthContext,
        used: str | None,
        store: TokenStore,
        late: Callable[[], APIError] | None,
    ) -> Flow[None]:
        held = yield from _file_lock(store, ctx.deadline, late)
        try:
            yield from self._renew_locked(creds, ctx, used, store)
        finally:
            _file_unlock(held)

    def _renew_locked(
        self,
        creds: Mapping[str, str],
        ctx: AuthContext,
        used: str | None,
        store: TokenStore | None,
    ) -> Flow[None]:
        if store is not None:
            stored = store.load()  # another client may have refreshed (and rotated) meanwhile
            if stored is not None:
                ctx.tokens.put(self._key(creds), stored)
        current = self.current(creds, ctx.tokens)
        if current is not None and current.access_token != used and not current.expires_soon():
            return
        token = yield from self._fetch(creds, ctx, current)
        if token is not None:
            ctx.tokens.put(self._key(creds), token)
            self._save(ctx.tokens, token)

    def auth_flow(
        self, request: Prepared, creds: Mapping[str, str], ctx: AuthContext
    ) -> Flow[None]:
        token = self.current(creds, ctx.tokens)
        if token is None or token.expires_soon():
            used = token.access_token if token else None
            late = _late_renewal(request.method, request.url)
            renew = self._renew(creds, ctx, used, late)
            yield Exclusive(ctx.tokens.lock, renew, ctx.deadline, late)
            token = self.current(creds, ctx.tokens)
        if token is None or not token.access_token:
            raise MissingCredentialsError("No OAuth2 access token and no way to obtain one.")
        if _set_header(request, "Authorization", f"Bearer {token.access_token}"):
            ctx.applied[self] = token.access_token

    def reauth_flow(
        self, request: Prepared, creds: Mapping[str, str], ctx: AuthContext
    ) -> Flow[bool]:
        used = ctx.applied.get(self)
        if used is None:  # the caller sent their own Authorization header
            return False
        late = _late_renewal(request.method, request.url)
        yield Exclusive(ctx.tokens.lock, self._renew(creds, ctx, used, late), ctx.deadline, late)
        token = self.current(creds, ctx.tokens)
        if token is None or token.access_token == used:
            return False
        request.headers["Authorization"] = f"Bearer {token.access_token}"
        ctx.applied[self] = token.access_token
        return True


class OAuth2ClientCredentials(_TokenScheme):
    """Fetches a token from ``token_url`` (client_secret_basic), cached per client until shortly
    before it expires. A credential named ``token_url``, when given, overrides the URL."""

    def __init__(
        self,
        credential_client_id: str,
        credential_client_secret: str,
        token_url: str,
        scopes: Sequence[str] = (),
    ) -> None:
        self.credentials = (credential_client_id, credential_client_secret)
        self.optional = ("token_url",)
        self.token_url = token_url
        self.scopes = tuple(scopes)

    def _key(self, creds: Mapping[str, str]) -> Hashable:
        return ("cc", self, creds.get("token_url"), creds[self.credentials[0]])

    def _fetch(
        self, creds: Mapping[str, str], ctx: AuthContext, current: Token | None
    ) -> Flow[Token | None]:
        form = {"grant_type": "client_credentials"}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        client_id, secret = (creds[c] for c in self.credentials)
        url = creds.get("token_url") or self.token_url
        return (yield from _token_flow(ctx, url, form, client_id, secret))


class OAuth2AuthorizationCode(_TokenScheme):
    """A user's token: from the token store, else the access/refresh token credentials. Refreshed
    with the refresh token when it is about to expire or on a 401; ``client.oauth`` signs in."""

    def __init__(
        self,
        credential: str,
        *,
        authorization_url: str = "",
        token_url: str = "",
        refresh_url: str = "",
        scopes: Sequence[str] = (),
        refresh_credential: str | None = None,
        client_id_credential: str | None = None,
        client_secret_credential: str | None = None,
        token_store: TokenStore | None = None,
    ) -> None:
        self.access_credential = credential
        self.refresh_credential = refresh_credential
        self.client_id_credential = client_id_credential
        self.client_secret_credential = client_secret_credential
        self.credentials = ()  # any of: a stored token, an access token, a refresh token
        self.optional = tuple(
            c
            for c in (
                credential,
                refresh_credential,
                client_id_credential,
                client_secret_credential,
            )
            if c
        )
        self.authorization_url = authorization_url
        self.token_url = token_url
        self.refresh_url = refresh_url
        self.scopes = tuple(scopes)
        self.token_store = token_store

    def missing(self, found: Mapping[str, str], tokens: TokenCache | None) -> list[str]:
        """Usable with a stored token, an access token or a refresh token (or after
        ``client.oauth.exchange_code``)."""
        return [] if self.current(found, tokens or TokenCache()) else [self.access_credential]

    def store(self, cache: TokenCache) -> TokenStore | None:
        return cache.store or self.token_store

    def _key(self, creds: Mapping[str, str]) -> Hashable:
        return ("code", self)

    def _initial(self, creds: Mapping[str, str], cache: TokenCache) -> Token | None:
        store = self.store(cache)
        token = store.load() if store else None
        if token is not None:
            return token
        access = creds.get(self.access_credential)
        refresh = creds.get(self.refresh_credential) if self.refresh_credential else None
        if access is None and refresh is None:
            return None
        # A refresh token alone: an empty, already expired access token, renewed on first use.
        return Token(access or "", expires_at=None if access else 0.0, refresh_token=refresh)

    def _client_auth(self, creds: Mapping[str, str]) -> tuple[str | None, str | None]:
        cid = creds.get(self.client_id_credential) if self.client_id_credential else None
        secret = creds.get(self.client_secret_credential) if self.client_secret_credential else None
        return cid, secret

    def _fetch(
        self, creds: Mapping[str, str], ctx: AuthContext, current: Token | None
    ) -> Flow[Token | None]:
        url = self.refresh_url or self.token_url
        if current is None or not current.refresh_token or not url:
            return None
        form = {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
        return (yield from _token_flow(ctx, url, form, *self._client_auth(creds), current))

    def _save(self, cache: TokenCache, token: Token) -> None:
        store = self.store(cache)
        if store is not None:
            store.save(token)

    def _shared_store(self, cache: TokenCache) -> TokenStore | None:
        return self.store(cache)


# --- authorization code with PKCE ---------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the user, and what the code exchange needs afterwards."""

    url: str
    state: str
    redirect_uri: str
    code_verifier: str = field(repr=False)

    def code_from_callback(self, callback_url: str) -> str:
        """The ``code`` from the URL the user was redirected back to, after checking ``state``."""
        params = dict(parse_qsl(urlsplit(callback_url).query))
        if "error" in params:
            detail = params.get("error_description", "")
            raise OAuthError(
                f"Authorization failed: {params['error']}" + (f": {detail}" if detail else "")
            )
        if not hmac.compare_digest(params.get("state", "").encode(), self.state.encode()):
            raise OAuthError("Authorization callback state does not match: refusing the code.")
        if not params.get("code"):
            raise OAuthError("Authorization callback carries no code.")
        return params["code"]


def authorization_request(
    authorization_url: str,
    *,
    client_id: str,
    redirect_uri: str,
    scopes: Sequence[str] = (),
    state: str | None = None,
    extra_params: Mapping[str, str] | None = None,
) -> AuthorizationRequest:
    """Build an authorization URL with a fresh PKCE verifier (S256 challenge) and state."""
    _web_url(authorization_url, "", "authorization URL")
    verifier = secrets.token_urlsafe(64)  # 86 unreserved characters (RFC 7636 allows 43-128)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    state = state or secrets.token_urlsafe(24)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        **({"scope": " ".join(scopes)} if scopes else {}),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **(extra_params or {}),
    }
    separator = "&" if urlsplit(authorization_url).query else "?"
    url = authorization_url + separator + urlencode(params)
    return AuthorizationRequest(url, state, redirect_uri, verifier)


class _OAuthHelper:
    """Authorization-code sign-in for one client; ``scheme`` names the security scheme when the
    API declares several authorization-code schemes."""

    def __init__(self, client: _BaseClient[Any], scheme: str | None = None) -> None:
        found = {n: s for n, s in client._schemes.items() if isinstance(s, OAuth2AuthorizationCode)}
        if scheme is not None:
            found = {scheme: found[scheme]} if scheme in found else {}
        if len(found) != 1:
            raise ValueError(
                "this client has no OAuth2 authorization-code security scheme"
                if not found
                else f"pick one of the OAuth2 schemes {sorted(found)}: OAuth(client, scheme=...)"
            )
        self._client = client
        self.scheme: OAuth2AuthorizationCode = next(iter(found.values()))

    def _creds(self) -> dict[str, str]:
        lookup = self._client._lookup
        return {c: v for c in self.scheme.optional if (v := lookup(c)) is not None}

    def _ctx(self, build_request: Callable[..., httpx.Request]) -> AuthContext:
        client = self._client
        return AuthContext(
            build_request,
            client.base_url,
            client._tokens,  # pyright: ignore[reportPrivateUsage]
            client.allow_insecure_credentials,
        )

    @property
    def token_store(self) -> TokenStore | None:
        """Where this client keeps its authorization-code token (set it to persist sign-ins)."""
        return self.scheme.store(self._client._tokens)

    @token_store.setter
    def token_store(self, store: TokenStore | None) -> None:
        self._client._tokens.store = store

    @property
    def token(self) -> Token | None:
        """The current token (from memory, the store, or the credentials), if any."""
        return self.scheme.current(self._creds(), self._client._tokens)

    def set_token(self, token: Token) -> None:
        """Use ``token`` from now on (and save it to the token store)."""
        self._client._tokens.put(self.scheme._key({}), token)
        self.scheme._save(self._client._tokens, token)

    def authorization_url(
        self,
        *,
        redirect_uri: str,
        scopes: Sequence[str] | None = None,
        state: str | None = None,
        extra_params: Mapping[str, str] | None = None,
    ) -> AuthorizationRequest:
        """Step 1: the URL to send the user to (``scopes`` default to the scheme's)."""
        client_id, _ = self.scheme._client_auth(self._creds())
        if not client_id or not self.scheme.authorization_url:
            raise MissingCredentialsError(
                "Signing in needs the scheme's authorization URL and a client id"
                + (
                    f": pass {self.scheme.client_id_credential}= to the client."
                    if not client_id and self.scheme.client_id_credential
                    else "."
                )
            )
        return authorization_request(
            # a relative one is the API's (as a token endpoint's is), not the app's own host
            _web_url(self.scheme.authorization_url, self._client.base_url, "authorization URL"),
            client_id=client_id,
            redirect_uri=redirect_uri,
            scopes=self.scheme.scopes if scopes is None else scopes,
            state=state,
            extra_params=extra_params,
        )

    def _exchange(
        self, request: AuthorizationRequest, code: str, build: Callable[..., httpx.Request]
    ) -> Flow[Token]:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": request.redirect_uri,
            "code_verifier": request.code_verifier,
        }
        creds = self._creds()
        token = yield from _token_flow(
            self._ctx(build), self.scheme.token_url, form, *self.scheme._client_auth(creds)
        )
        self.set_token(token)
        return token

    def _refresh(self, build: Callable[..., httpx.Request]) -> Flow[Token]:
        creds, ctx = self._creds(), self._ctx(build)
        token = self.scheme.current(creds, ctx.tokens)
        if token is None or not token.refresh_token:
            raise OAuthError("No refresh token: sign in again.")
        yield Exclusive(ctx.tokens.lock, self.scheme._renew(creds, ctx, token.access_token))
        renewed = self.scheme.current(creds, ctx.tokens)
        assert renewed is not None
        return renewed


class OAuth(_OAuthHelper):
    """``client.oauth``: sign a user in with the authorization-code flow and PKCE.

    ``request = client.oauth.authorization_url(redirect_uri=...)``; send the user to
    ``request.url``; then ``client.oauth.exchange_code(request, request.code_from_callback(url))``.
    """

    def __init__(self, client: SyncAPIClient, scheme: str | None = None) -> None:
        super().__init__(client, scheme)
        self._sync = client

    def exchange_code(self, request: AuthorizationRequest, code: str) -> Token:
        """Step 2: trade the code for tokens; they are used and stored from now on."""
        http = self._sync._client()
        with self._sync._package_errors():  # (`except <package>.APIError` catches them)
            flow = self._exchange(request, code, http.build_request)
            return run_sync(flow, http, self._sync._sleep)

    def refresh(self) -> Token:
        """Refresh now (normally automatic: before expiry and after a 401)."""
        http = self._sync._client()
        with self._sync._package_errors():
            return run_sync(self._refresh(http.build_request), http, self._sync._sleep)


class AsyncOAuth(_OAuthHelper):
    """``client.oauth`` of an async client: like ``OAuth``, with coroutine methods."""

    def __init__(self, client: AsyncAPIClient, scheme: str | None = None) -> None:
        super().__init__(client, scheme)
        self._async = client

    async def exchange_code(self, request: AuthorizationRequest, code: str) -> Token:
        """Step 2: trade the code for tokens; they are used and stored from now on."""
        http = self._async._client()
        with self._async._package_errors():  # (`except <package>.APIError` catches them)
            flow = self._exchange(request, code, http.build_request)
            return await run_async(flow, http, self._async._sleep)

    async def refresh(self) -> Token:
        """Refresh now (normally automatic: before expiry and after a 401)."""
        http = self._async._client()
        with self._async._package_errors():
            return await run_async(self._refresh(http.build_request), http, self._async._sleep)


publish(__all__, globals(), __name__.rpartition(".")[0])  # after every class above
