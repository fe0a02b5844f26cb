"""Security schemes and per-operation selection of the first usable alternative."""

from __future__ import annotations

import base64
import functools
import ipaddress
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, unquote_plus, urlsplit

from ._build import default_header
from ._drivers import Flow
from ._errors import InsecureTransportError, MissingCredentialsError
from ._limits import HEADER_NAME
from ._record import Struct
from ._request import BuildRequest, Prepared

if TYPE_CHECKING:
    import httpx

    from ._tokens import TokenCache

__all__ = ["ApiKey", "HTTPBasic", "HTTPBearer", "InsecureTransportError", "SecurityScheme"]


class AuthContext(Struct):
    """Per request: what token-fetching schemes need from the client, and what they applied
    (``applied``: scheme -> token sent). ``allow_insecure``: credentials over plain http to
    another host (opted in). ``timeout`` and ``deadline`` (a ``time.monotonic()``): the call's,
    which bound a token request made for it too."""

    __match_args__ = (
        "build_request",
        "base_url",
        "tokens",
        "allow_insecure",
        "applied",
        "timeout",
        "deadline",
    )

    def __init__(
        self,
        build_request: BuildRequest,
        base_url: str,
        tokens: TokenCache,
        allow_insecure: bool = False,
        applied: dict[SecurityScheme, str] | None = None,
        timeout: httpx.Timeout | None = None,
        deadline: float | None = None,
    ) -> None:
        self.build_request = build_request
        self.base_url = base_url
        self.tokens = tokens
        self.allow_insecure = allow_insecure
        self.applied: dict[SecurityScheme, str] = {} if applied is None else applied
        self.timeout = timeout
        self.deadline = deadline


class SecurityScheme:
    """Base class. ``credentials`` names the client keyword arguments holding the secrets."""

    credentials: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()  # credentials used when given, never required

    def missing(self, found: Mapping[str, str], tokens: TokenCache | None) -> list[str]:
        """The credentials still needed, given those ``found`` (empty: the scheme is usable)."""
        return [c for c in self.credentials if c not in found]

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        raise NotImplementedError

    def auth_flow(
        self, request: Prepared, creds: Mapping[str, str], ctx: AuthContext
    ) -> Flow[None]:
        """Like httpx's auth flow: may yield ``Send`` to fetch tokens before amending ``request``."""
        self.apply(request, creds)
        yield from ()

    def reauth_flow(
        self, request: Prepared, creds: Mapping[str, str], ctx: AuthContext
    ) -> Flow[bool]:
        """After a 401: renew the credentials in ``request``; True means replay it (once)."""
        yield from ()
        return False


def _set_header(request: Prepared, name: str, value: str) -> bool:
    return default_header(request.headers, name, value)  # an explicit header from the caller wins


# a cookie-octet (RFC 6265) kept as it is, and `%` (a server-issued value may be encoded)
_COOKIE_VALUE_SAFE = "!#$%&'()*+-./:<=>?@[]^_`{|}~"


class ApiKey(SecurityScheme):
    def __init__(
        self, credential: str, name: str, location: Literal["header", "query", "cookie"]
    ) -> None:
        self.credentials = (credential,)
        self.name = name
        self.location = location
        # a header name is an RFC 9110 token, and so is a cookie's (RFC 6265: `lang=en; sid`
        # set a cookie of the spec's choosing and sent the key under another name)
        self._token = HEADER_NAME.fullmatch(name) is not None

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        value = creds[self.credentials[0]]
        if self.location == "header":
            if not self._token:  # (h11 refused it while sending: retried as a connection
                # error, the server reached by nothing; `apigen build` warns)
                raise ValueError(
                    f"the spec's API key header name {self.name!r} is not an HTTP header name"
                    " (RFC 9110 token): no request can carry it"
                )
            _set_header(request, self.name, value)
        elif self.location == "query":
            # as for a header, a value already there wins: the caller's `extra_query`, or the
            # key a followed next-page or monitor URL repeats (sent twice, `?key=K&key=K`)
            # (names compared decoded: a next URL may spell it `api%5Fkey`)
            if not any(unquote_plus(part.partition("=")[0]) == self.name for part in request.query):
                request.query.append(f"{quote(self.name, safe='')}={quote(value, safe='')}")
        else:  # what a cookie value cannot hold (`;` would start another cookie) is encoded
            if not self._token:
                raise ValueError(
                    f"the spec's API key cookie name {self.name!r} is not a cookie name"
                    " (RFC 6265 token): no request can carry it"
                )
            request.cookies.append(f"{self.name}={quote(value, safe=_COOKIE_VALUE_SAFE)}")


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
    """A fixed credential in ``Authorization: <scheme> <credential>``: a bearer token, or a key
    under the spec's own scheme word (``Token``, as Django REST framework's)."""

    def __init__(self, credential: str, scheme: str = "Bearer") -> None:
        self.credentials = (credential,)
        self.scheme = scheme

    def apply(self, request: Prepared, creds: Mapping[str, str]) -> None:
        _set_header(request, "Authorization", f"{self.scheme} {creds[self.credentials[0]]}")


def _loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    # `localhost` itself (resolved from /etc/hosts), not `api.localhost`: RFC 6761 asks resolvers
    # to keep such names on loopback, but Python's `getaddrinfo` asks DNS for them (helper 224)
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=1024)  # once per base URL, not per call
def _exposed(url: str) -> tuple[bool, str | None]:
    """Whether ``url`` goes over plain http to another machine, and its host."""
    parts = urlsplit(url)
    return parts.scheme.lower() == "http" and not _loopback(parts.hostname), parts.hostname


def check_transport(url: str, allow_insecure: bool, what: str = "credentials") -> None:
    """Refuse to send ``what`` over plain http, except to loopback or when the client opted in
    (``allow_insecure_credentials=True``): anyone on the path could read them."""
    if allow_insecure:
        return
    exposed, hostname = _exposed(url)
    if not exposed:
        return
    raise InsecureTransportError(
        f"Refusing to send {what} over plain http to {hostname}: anyone on the network"
        " path could read them. Use an https:// base URL, or pass"
        " allow_insecure_credentials=True to the client if this network is trusted."
    )


def env_var(env_prefix: str, credential: str, names: Mapping[str, str] | None = None) -> str | None:
    """The environment variable read for ``credential``: a configured name (``GITHUB_TOKEN``)
    or ``<PREFIX>_<CREDENTIAL>``."""
    if names and credential in names:
        return names[credential]
    return f"{env_prefix}_{credential.upper()}" if env_prefix else None


def select_security(
    alternatives: Sequence[Sequence[str]] | None,
    schemes: Mapping[str, SecurityScheme],
    lookup: Callable[[str], str | None],
    env_prefix: str,
    operation_id: str,
    tokens: TokenCache | None = None,
    env_names: Mapping[str, str] | None = None,
    given: Collection[str] = (),
) -> list[tuple[SecurityScheme, dict[str, str]]]:
    """The schemes of the first alternative whose credentials are all present, those the
    caller passed (``given``) before those found in the environment (``_preferred``).

    ``None`` or no alternatives means no security; an empty alternative allows anonymous access,
    taken only when no other alternative can be met.
    """
    if not alternatives:
        return []
    problems: list[str] = []
    for alternative in _preferred(alternatives, schemes, given):
        chosen: list[tuple[SecurityScheme, dict[str, str]]] = []
        missing: dict[str, None] = {}  # ordered set
        for scheme_name in alternative:
            scheme = schemes.get(scheme_name)
            if scheme is None:
                problems.append(f"security scheme {scheme_name!r} is not configured")
                break
            names = (*scheme.credentials, *scheme.optional)
            found = {c: v for c in names if (v := lookup(c)) is not None}
            missing.update(dict.fromkeys(scheme.missing(found, tokens)))
            chosen.append((scheme, found))
        else:
            if not missing:
                return chosen
            problems.append(_describe(list(missing), env_prefix, env_names))
    raise MissingCredentialsError(
        f"Missing credentials for {operation_id or 'this operation'}: "
        + "; or ".join(problems)
        + "."
    )


def fixed_choice(
    alternatives: Sequence[Sequence[str]] | None,
    schemes: Mapping[str, SecurityScheme],
    chosen: Sequence[tuple[SecurityScheme, Mapping[str, str]]],
    given: Collection[str],
) -> bool:
    """Whether ``select_security`` is sure to make ``chosen`` again, and its schemes need no
    flow: no security at all, or the first alternative, all of whose credentials (optional
    ones too) were passed to the client (``given``: looked up before the environment), made
    of schemes that only set them (``apply``: no token to fetch, check or renew)."""
    if not alternatives:
        return True
    first = [schemes.get(name) for name in _preferred(alternatives, schemes, given)[0]]
    if len(first) != len(chosen) or any(
        s is not c for s, (c, _) in zip(first, chosen, strict=False)
    ):
        return False
    for scheme, _ in chosen:
        kind = type(scheme)
        if (
            kind.auth_flow is not SecurityScheme.auth_flow
            or kind.reauth_flow is not SecurityScheme.reauth_flow
            or kind.missing is not SecurityScheme.missing
            or any(name not in given for name in (*scheme.credentials, *scheme.optional))
        ):
            return False
    return True


def _preferred(
    alternatives: Sequence[Sequence[str]],
    schemes: Mapping[str, SecurityScheme] | None = None,
    given: Collection[str] = (),
) -> Sequence[Sequence[str]]:
    """The alternatives in the order they are tried (OpenAPI gives the list no order of
    preference): first those whose credentials were all passed to the client (``given``),
    then the others in the spec's order, and an empty one (anonymous access, as in
    ``security: [{}, {apiKey: []}]``) after every other, so that credentials the caller gave
    are sent wherever the operation takes them. (An environment variable of an earlier
    alternative, read as well, won over the credentials passed in code: openai-python's and
    stripe-python's arguments win over their environment.)"""
    if given and schemes and len(alternatives) > 1:

        def passed(alternative: Sequence[str]) -> bool:
            found = [schemes.get(name) for name in alternative]
            return bool(found) and all(s is not None and _passed(s, given) for s in found)

        first = [a for a in alternatives if passed(a)]
        if first and len(first) < len(alternatives):
            alternatives = [*first, *(a for a in alternatives if not passed(a))]
    if all(alternatives) or not any(alternatives):
        return alternatives
    return [*(a for a in alternatives if a), *(a for a in alternatives if not a)]


def _passed(scheme: SecurityScheme, given: Collection[str]) -> bool:
    """Whether the caller passed ``scheme``'s credentials: all it requires, or, for one that
    requires none by name (an OAuth2 user token: stored, access or refresh), any it takes
    (with none required, it counted as passed, and the environment's token won again)."""
    if scheme.credentials:
        return all(c in given for c in scheme.credentials)
    return any(c in given for c in scheme.optional)


def reauthorize(
    chosen: Sequence[tuple[SecurityScheme, Mapping[str, str]]], request: Prepared, ctx: AuthContext
) -> Flow[bool]:
    """After a 401: let each chosen scheme renew its credentials; True if any did."""
    renewed = False
    for scheme, creds in chosen:
        renewed = (yield from scheme.reauth_flow(request, creds, ctx)) or renewed
    return renewed


def _describe(
    missing: Sequence[str], env_prefix: str, env_names: Mapping[str, str] | None = None
) -> str:
    text = "pass " + ", ".join(f"{n}=" for n in missing) + " to the client"
    envs = [e for e in (env_var(env_prefix, n, env_names) for n in missing) if e]
    return f"{text} (or set {', '.join(envs)})" if envs else text


def credential_lookup(
    given: Mapping[str, str | None], env_prefix: str, env_names: Mapping[str, str] | None = None
) -> Callable[[str], str | None]:
    def lookup(name: str) -> str | None:
        value = given.get(name)
        if value is not None:  # passed to the client, no environment name to work out; an
            return value or None  # empty one is none, and the environment's is not read
        env = env_var(env_prefix, name, env_names)
        return (os.environ.get(env) if env else None) or None

    return lookup
