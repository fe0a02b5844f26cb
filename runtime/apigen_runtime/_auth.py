"""Security schemes and per-operation selection of the first usable alternative."""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlencode, urljoin

import httpx

from ._drivers import Outcome, Send, Sleep
from ._errors import MissingCredentialsError, connection_error, make_status_error
from ._request import BuildRequest, Prepared

__all__ = [
    "ApiKey",
    "HTTPBasic",
    "HTTPBearer",
    "OAuth2AuthorizationCode",
    "OAuth2ClientCredentials",
    "SecurityScheme",
]

AuthFlow = Generator[Send | Sleep, Outcome, None]


@dataclass
class AuthContext:
    """What schemes that talk to a token endpoint need from the client."""

    build_request: BuildRequest
    base_url: str
    tokens: dict[tuple[str, ...], tuple[str, float]] = field(default_factory=dict)


class SecurityScheme:
    """Base class. ``credentials`` names the client keyword arguments holding the secrets."""

    credentials: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()  # credentials used when given, never required

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        raise NotImplementedError

    def auth_flow(self, request: Prepared, creds: Mapping[str, str], ctx: AuthContext) -> AuthFlow:
        """Like httpx's auth flow: may yield ``Send`` to fetch tokens before amending ``request``."""
        self.apply(request, creds)
        yield from ()


def _set_header(request: Prepared, name: str, value: str) -> None:
    if name not in request.headers:  # an explicit header from the caller wins
        request.headers[name] = value


class ApiKey(SecurityScheme):
    def __init__(
        self, credential: str, name: str, location: Literal["header", "query", "cookie"]
    ) -> None:
        self.credentials = (credential,)
        self.name = name
        self.location = location

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        value = creds[self.credentials[0]]
        if self.location == "header":
            _set_header(request, self.name, value)
        elif self.location == "query":
            request.query.append(f"{quote(self.name, safe='')}={quote(value, safe='')}")
        else:
            request.cookies.append(f"{self.name}={value}")


class HTTPBasic(SecurityScheme):
    """The password is optional: an empty one is common (Stripe sends its secret key as user)."""

    def __init__(self, username: str, password: str | None = None) -> None:
        self.credentials = (username,)
        self.optional = () if password is None else (password,)

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        user = creds[self.credentials[0]]
        password = creds.get(self.optional[0], "") if self.optional else ""
        _set_header(request, "Authorization", _basic(user, password))


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class HTTPBearer(SecurityScheme):
    def __init__(self, credential: str) -> None:
        self.credentials = (credential,)

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        _set_header(request, "Authorization", f"Bearer {creds[self.credentials[0]]}")


class OAuth2AuthorizationCode(HTTPBearer):
    """Sends an access token the caller obtained (refresh and PKCE helpers come later)."""

    def __init__(
        self,
        credential: str,
        *,
        authorization_url: str = "",
        token_url: str = "",
        refresh_url: str = "",
        scopes: Sequence[str] = (),
    ) -> None:
        super().__init__(credential)
        self.authorization_url = authorization_url
        self.token_url = token_url
        self.refresh_url = refresh_url
        self.scopes = tuple(scopes)


class OAuth2ClientCredentials(SecurityScheme):
    """Fetches a token from ``token_url`` (client_secret_basic), cached until shortly before expiry."""

    def __init__(
        self,
        credential_client_id: str,
        credential_client_secret: str,
        token_url: str,
        scopes: Sequence[str] = (),
    ) -> None:
        self.credentials = (credential_client_id, credential_client_secret)
        self.token_url = token_url
        self.scopes = tuple(scopes)

    def auth_flow(self, request: Prepared, creds: Mapping[str, str], ctx: AuthContext) -> AuthFlow:
        client_id, secret = (creds[c] for c in self.credentials)
        url = urljoin(ctx.base_url.rstrip("/") + "/", self.token_url)
        key = (url, client_id, *self.scopes)
        cached = ctx.tokens.get(key)
        if cached is None or cached[1] <= time.monotonic():
            form = {"grant_type": "client_credentials"}
            if self.scopes:
                form["scope"] = " ".join(self.scopes)
            token_request = ctx.build_request(
                "POST",
                url,
                content=urlencode(form).encode(),
                headers={
                    "Authorization": _basic(client_id, secret),
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
            )
            outcome = yield Send(token_request)
            cached = _read_token(token_request, outcome)
            ctx.tokens[key] = cached
        _set_header(request, "Authorization", f"Bearer {cached[0]}")


def _read_token(request: httpx.Request, outcome: Outcome) -> tuple[str, float]:
    if not isinstance(outcome, httpx.Response):
        assert outcome is not None
        raise connection_error(request, outcome)
    try:
        data: Any = outcome.json()
    except ValueError:
        data = outcome.text
    if not outcome.is_success or not isinstance(data, dict) or "access_token" not in data:
        raise make_status_error(outcome, data)
    lifetime = float(data.get("expires_in") or 3600)
    return str(data["access_token"]), time.monotonic() + max(lifetime - 30, lifetime / 2)


def env_var(env_prefix: str, credential: str) -> str | None:
    return f"{env_prefix}_{credential.upper()}" if env_prefix else None


def select_security(
    alternatives: Sequence[Sequence[str]] | None,
    schemes: Mapping[str, SecurityScheme],
    lookup: Callable[[str], str | None],
    env_prefix: str,
    operation_id: str,
) -> list[tuple[SecurityScheme, dict[str, str]]]:
    """The schemes of the first alternative whose credentials are all present.

    ``None`` or no alternatives means no security; an empty alternative allows anonymous access.
    """
    if not alternatives:
        return []
    problems: list[str] = []
    for alternative in alternatives:
        chosen: list[tuple[SecurityScheme, dict[str, str]]] = []
        missing: dict[str, None] = {}  # ordered set
        for scheme_name in alternative:
            scheme = schemes.get(scheme_name)
            if scheme is None:
                problems.append(f"security scheme {scheme_name!r} is not configured")
                break
            found = {c: lookup(c) for c in scheme.credentials}
            missing.update((c, None) for c, v in found.items() if v is None)
            found.update((c, lookup(c)) for c in scheme.optional)
            chosen.append((scheme, {c: v for c, v in found.items() if v is not None}))
        else:
            if not missing:
                return chosen
            problems.append(_describe(list(missing), env_prefix))
    raise MissingCredentialsError(
        f"Missing credentials for {operation_id or 'this operation'}: "
        + "; or ".join(problems)
        + "."
    )


def _describe(missing: Sequence[str], env_prefix: str) -> str:
    text = "pass " + ", ".join(f"{n}=" for n in missing) + " to the client"
    envs = [e for e in (env_var(env_prefix, n) for n in missing) if e]
    return f"{text} (or set {', '.join(envs)})" if envs else text


def credential_lookup(
    given: Mapping[str, str | None], env_prefix: str
) -> Callable[[str], str | None]:
    def lookup(name: str) -> str | None:
        value = given.get(name)
        env = env_var(env_prefix, name)
        if not value and env:
            value = os.environ.get(env)
        return value or None

    return lookup
