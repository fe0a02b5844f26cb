"""Security schemes to client keyword arguments.

Where the spec's security boils down to one secret (every requirement is a single API-key,
bearer or key-as-user-name basic scheme, as Stripe's basic-or-bearer), every scheme takes it as
`api_key` (`<PREFIX>_API_KEY`), like the SDKs users know. Otherwise keyword names come from the
scheme's type (`api_key`, `username`/`password`, `bearer_token`, `client_id`/`client_secret`,
`access_token`/`refresh_token`); when two schemes would claim the same keyword, each is prefixed
with its scheme name in snake case. A spec that declares no security at all gets an optional
bearer token (`api_key`), sent only when given, so users never hand-write an auth header.
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

from .. import naming
from ..diagnostics import Report
from ..spec.header_params import AWS_SIGNATURE, HTTP_TOKEN, aws_signed, transport_header
from ..spec.methods import path_operations
from ..spec.pointer import escape as escape_token
from .nodes import JsonScalar, OperationDef, SecuritySchemeDef, as_object


def usable(name: str, scheme: Any) -> bool:
    """Whether the generated client can send credentials for this scheme (`mutualTLS`, unknown
    types, schemes computed per request and API keys in a transport header are left out: a
    requirement naming one is dropped, with a warning)."""
    return (
        isinstance(scheme, Mapping)
        and _plan(name, scheme) is not None
        and not transport_key(scheme)
    )


def transport_key(scheme: Mapping[str, Any]) -> bool:
    """An API key in a header the transport writes (`Host`, `Content-Length`): left out."""
    key_name = scheme.get("name")
    return (
        str(scheme.get("type", "")).lower() == "apikey"
        and scheme.get("in", "header") == "header"
        and isinstance(key_name, str)
        and transport_header(key_name)
    )


# HTTP authentication schemes (the IANA registry's, and the usual unregistered ones) whose
# `Authorization` value is computed per request, from a server challenge or the request itself:
# no fixed credential meets them (an httpx `auth=` on the http client can: `httpx.DigestAuth`).
COMPUTED_HTTP_SCHEMES = frozenset(
    {
        "aws4-hmac-sha256",
        "concealed",
        "digest",
        "dpop",
        "hoba",
        "hmac",
        "mutual",
        "negotiate",
        "ntlm",
        "oauth",  # OAuth 1.0: a signature of the request (RFC 5849)
        "privatetoken",
        "scram-sha-1",
        "scram-sha-256",
        "signature",
        "vapid",
    }
)


def computed_http(scheme: Mapping[str, Any]) -> bool:
    """Whether `scheme` is an HTTP one no fixed credential meets: computed per request, or a
    word that is no HTTP token (RFC 9110 §11.1), which no header can carry."""
    if str(scheme.get("type", "")).lower() != "http":
        return False
    word = str(scheme.get("scheme", "")).strip()
    if word.lower() in ("", "basic", "bearer"):
        return False
    return word.lower() in COMPUTED_HTTP_SCHEMES or not HTTP_TOKEN.fullmatch(word)


def _plan(
    name: str, scheme: Mapping[str, Any]
) -> tuple[str, dict[str, str], dict[str, Any]] | None:
    """(runtime class, runtime argument -> keyword, options) for one scheme."""
    kind = str(scheme.get("type", "")).lower()
    if aws_signed(scheme):
        # AWS's specs (APIs.guru's `hmac` scheme): the `Authorization` value is a signature of
        # each request, made from the caller's keys (runtime `_aws.py`)
        return "AWSSigV4", dict(_AWS_CREDENTIALS), {}
    if kind == "apikey":
        location = str(scheme.get("in", "header"))
        return (
            "ApiKey",
            {"credential": "api_key"},
            {
                "name": str(scheme.get("name", "")),
                "location": location if location in ("header", "query", "cookie") else "header",
            },
        )
    if kind == "http":
        word = str(scheme.get("scheme", "")).strip()
        if word.lower() == "basic":
            return "HTTPBasic", {"username": "username", "password": "password"}, {}
        if word.lower() in ("", "bearer"):
            return "HTTPBearer", {"credential": "bearer_token"}, {}
        if computed_http(scheme):
            return None
        # a fixed credential under the scheme's own word (`Authorization: Token <key>`, as
        # Django REST framework's): it was sent as `Bearer <key>`, which such a server refuses
        return "HTTPBearer", {"credential": "api_key"}, {"scheme": word}
    if kind in ("oauth2", "openidconnect"):
        flows = scheme.get("flows") if isinstance(scheme.get("flows"), Mapping) else {}
        assert isinstance(flows, Mapping)
        cc = flows.get("clientCredentials")
        if isinstance(cc, Mapping) and set(flows) == {"clientCredentials"}:
            return (
                "OAuth2ClientCredentials",
                {"credential_client_id": "client_id", "credential_client_secret": "client_secret"},
                {
                    "token_url": str(cc.get("tokenUrl", "")),
                    "scopes": tuple(sorted(str(s) for s in as_object(cc.get("scopes")))),
                },
            )
        # Any other flow (authorization code, implicit, password, OpenID Connect): the caller
        # holds an access token; refreshing it is the runtime's business, at the token
        # endpoint of a flow that has one (an implicit flow has none)
        usable = [f for f in flows.values() if isinstance(f, Mapping)]
        flow = next((f for f in usable if isinstance(f.get("tokenUrl"), str)), None)
        flow = flow or next(iter(usable), {})
        options: dict[str, Any] = {}
        for spec_key, arg in (
            ("authorizationUrl", "authorization_url"),
            ("tokenUrl", "token_url"),
            ("refreshUrl", "refresh_url"),
        ):
            if isinstance(flow.get(spec_key), str):
                options[arg] = flow[spec_key]
        scopes = flow.get("scopes")
        if isinstance(scopes, Mapping) and scopes:
            options["scopes"] = tuple(sorted(str(s) for s in scopes))
        credentials = {"credential": "access_token"}
        if "token_url" in options:  # a refresh token needs an endpoint to take it (a helper's
            # README run: petstore's implicit flow offered `refresh_token`, `client_id` and
            # `client_secret`, which nothing could use)
            credentials |= {
                "refresh_credential": "refresh_token",
                "client_id_credential": "client_id",
                "client_secret_credential": "client_secret",
            }
        return "OAuth2AuthorizationCode", credentials, options
    return None


_AWS_CREDENTIALS = {
    "access_key_id": "aws_access_key_id",
    "secret_access_key": "aws_secret_access_key",
    "session_token": "aws_session_token",
}
# the variables every AWS SDK reads
_AWS_ENV = {keyword: keyword.upper() for keyword in _AWS_CREDENTIALS.values()}
_KEY_WORDS = re.compile(r"api[ _-]?key|secret[ _-]?key|token", re.IGNORECASE)
IMPLICIT_SCHEME = "bearer"
ONE_SECRET = "api_key"


def _own_keywords(
    plans: Mapping[str, tuple[str, dict[str, str], dict[str, Any]]],
    collapsed: set[str],
    used: Counter[str],
) -> dict[str, str]:
    """The keyword of each one-credential scheme (an API key, a bearer token) whose type's
    keyword others claim too: the scheme's own name, as the provider names the secret (Plaid's
    `clientId`, `secret`, `plaidVersion`: `client_id`, `secret`, `plaid_version`, not
    `client_id_api_key`...; `api_key` beside `api_key_query`, not `api_key_api_key`), or the
    type's keyword when the name is only its start (a `bearer` scheme: `bearer_token`). Names
    that collide, with each other or the client's own keywords, keep `<scheme>_<keyword>`."""
    found: dict[str, str] = {}
    for name, (_, creds, _) in plans.items():
        keywords = set(creds.values())
        if name in collapsed or len(keywords) != 1:
            continue
        (kw,) = keywords
        if used[kw] <= 1:
            continue
        candidate = naming.snake(name)
        if kw.startswith(f"{candidate}_"):
            candidate = kw
        found[name] = candidate
    taken = {  # the other schemes' keywords, as `build_security` spells them
        kw if name in collapsed or used[kw] <= 1 else f"{naming.snake(name)}_{kw}"
        for name, (_, creds, _) in plans.items()
        if name not in found
        for kw in creds.values()
    }
    counts = Counter(found.values())
    return {
        name: kw
        for name, kw in found.items()
        if counts[kw] == 1
        and kw.isidentifier()
        and not keyword.iskeyword(kw)
        and kw not in naming.CLIENT_KEYWORDS | taken
    }


def _requirements(document: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Every security requirement of the document: its root one and each operation's, less
    their `mutualTLS` schemes (the connection's: kept, a bearer merge keyed by the whole
    requirement matched no requirement the operations looked up without them)."""
    tls = tls_schemes(document)
    security = document.get("security")
    found: list[Any] = list(security) if isinstance(security, list) else []
    paths = document.get("paths")
    for item in paths.values() if isinstance(paths, Mapping) else ():
        for _, _, op in path_operations(item) if isinstance(item, Mapping) else ():
            if isinstance(op.get("security"), list):
                found.extend(op["security"])
    return [
        tuple(sorted(str(k) for k in req if str(k) not in tls))
        for req in found
        if isinstance(req, Mapping)
    ]


def _bearer_rank(scheme: Any) -> int:
    """How a scheme sends its credential, when it is a bearer token in the Authorization header:
    2 an OAuth2 flow the runtime can renew or fetch a token with (a token or refresh URL), 1 any
    other OAuth2 or OpenID Connect scheme or HTTP bearer; 0 another kind of Authorization value
    (basic, digest...): -1 anything else (API keys, mutual TLS)."""
    if not isinstance(scheme, Mapping):
        return -1
    kind = str(scheme.get("type", "")).lower()
    if kind == "http":
        return 1 if str(scheme.get("scheme", "")).lower() == "bearer" else 0
    if kind == "openidconnect":
        return 1
    if kind != "oauth2":
        return -1
    flows = scheme.get("flows")
    for flow in flows.values() if isinstance(flows, Mapping) else ():
        if isinstance(flow, Mapping) and (flow.get("tokenUrl") or flow.get("refreshUrl")):
            return 2
    return 1


def bearer_merges(document: Mapping[str, Any]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Requirements (sorted scheme names) that AND several bearer-token schemes, each mapped to
    the requirement with one of them only.

    A request carries one `Authorization` header, so one bearer token meets every OAuth2 /
    OpenID Connect / HTTP bearer scheme of the requirement (Google's `{Oauth2, Oauth2c}`, the
    implicit and authorization-code flows of one token). The scheme kept is the one the runtime
    can renew its token with (a token or refresh URL), else the first by name. A requirement
    that also names basic or another HTTP scheme cannot be met and is left as it is."""
    raw = as_object(as_object(document.get("components")).get("securitySchemes"))
    if not isinstance(raw, Mapping):
        return {}
    merges: dict[tuple[str, ...], tuple[str, ...]] = {}
    for requirement in _requirements(document):
        ranks = {name: _bearer_rank(raw.get(name)) for name in requirement}
        bearers = [name for name in requirement if ranks[name] > 0]
        if len(bearers) < 2 or 0 in ranks.values():
            continue
        keep = max(bearers, key=lambda name: ranks[name])  # the first of the best
        merges[requirement] = tuple(n for n in requirement if n == keep or n not in bearers)
    return merges


def _one_secret(
    plans: Mapping[str, tuple[str, dict[str, str], dict[str, Any]]],
    raw: Mapping[str, Any],
    requirements: list[tuple[str, ...]],
) -> set[str]:
    """The schemes to collapse onto `api_key`: empty unless the spec's security is one secret.

    Basic counts only when it carries a key as user name: its description says so, or a bearer
    alternative exists (the same secret, two spellings: Stripe)."""
    used = {name for req in requirements for name in req if name in plans}
    if not used or any(len(req) > 1 for req in requirements):
        return set()
    kinds = {name: plans[name][0] for name in used}
    if any(kind not in ("ApiKey", "HTTPBearer", "HTTPBasic") for kind in kinds.values()):
        return set()
    has_bearer = "HTTPBearer" in kinds.values()
    for name, kind in kinds.items():
        desc = raw[name].get("description") if isinstance(raw[name], Mapping) else None
        if kind == "HTTPBasic" and not (has_bearer or _KEY_WORDS.search(str(desc or ""))):
            return set()
    return used


def _check_oauth_urls(name: str, scheme: Mapping[str, Any], report: Report, file: str) -> None:
    """Warn of an OAuth2 or OpenID Connect URL that is no http(s) URL (`file:`, `javascript:`,
    a CR LF, an empty one): the runtime refuses to send to it, or to hand it to a user."""
    found: list[tuple[str, object]] = [("openIdConnectUrl", scheme.get("openIdConnectUrl"))]
    flows = scheme.get("flows")
    for flow_name, flow in flows.items() if isinstance(flows, Mapping) else ():
        for key in ("authorizationUrl", "tokenUrl", "refreshUrl"):
            if isinstance(flow, Mapping) and key in flow:
                found.append((f"flows/{escape_token(str(flow_name))}/{key}", flow[key]))
    for key, url in found:
        if (url is None and key == "openIdConnectUrl") or (
            url == "" and key.endswith("/refreshUrl")
        ):
            continue  # (an empty refresh URL is none: refreshing goes to the token URL)
        if not (isinstance(url, str) and _web_url(url)):
            report.warn(
                file,
                f"#/components/securitySchemes/{escape_token(name)}/{key}",
                f"{url!r} is not an http(s) URL (nor a path on the API's server)",
                kind="security",
                action="the client refuses to send to it or to hand it to a user (OAuthError)",
            )


def _web_url(url: str) -> bool:
    """An http(s) URL, or a relative one the runtime resolves against the API's server."""
    if not url or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F or c == "\\" for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # (a port that is none raises here: `:99999`, `:abc`)
    except ValueError:  # `https://[::1/token`: no URL (it stopped the build: "internal error")
        return False
    if "@" in parts.netloc:  # user info: httpx sends it as Basic auth, in place of the client's
        return False
    if parts.scheme:
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    return bool(parts.netloc) or not url.startswith("//")  # (`//auth.example/token`: another host)


def build_security(
    document: Mapping[str, Any], report: Report, file: str
) -> tuple[list[SecuritySchemeDef], tuple[tuple[str, ...], ...]]:
    raw = as_object(as_object(document.get("components")).get("securitySchemes"))
    plans: dict[str, tuple[str, dict[str, str], dict[str, Any]]] = {}
    for name, scheme in raw.items() if isinstance(raw, Mapping) else ():
        if isinstance(scheme, Mapping) and "$ref" in scheme:
            continue
        plan = _plan(str(name), scheme) if isinstance(scheme, Mapping) else None
        if isinstance(scheme, Mapping) and scheme.get("type") == "mutualTLS":
            report.warn(
                file,
                f"#/components/securitySchemes/{name}",
                "a mutualTLS scheme is met by the TLS connection's client certificate, not by a"
                " request",
                kind="security",
                action="give the http client the certificate (http_client=httpx.Client(cert=...));"
                " a requirement naming the scheme keeps its other schemes",
            )
            continue
        if plan is None and isinstance(scheme, Mapping) and computed_http(scheme):
            word = str(scheme.get("scheme", "")).strip()
            report.warn(
                file,
                f"#/components/securitySchemes/{name}/scheme",
                f"HTTP authentication scheme {word!r} is computed per request (from a challenge"
                " or the request itself), not a credential the client can send as given",
                kind="security",
                action="scheme left out; give the http client an httpx auth that computes it"
                " (http_client=httpx.Client(auth=...), httpx.DigestAuth for digest)",
            )
            continue
        if plan is None:
            report.warn(
                file,
                f"#/components/securitySchemes/{name}",
                f"security scheme type {scheme.get('type') if isinstance(scheme, Mapping) else scheme!r} is not supported",
                kind="security",
                action="scheme left out; pass credentials through default_headers",
            )
            continue
        where = scheme.get("in")
        key_name = (
            scheme.get("name") if plan[0] == "ApiKey" and where in ("header", "cookie") else None
        )
        if transport_key(scheme):
            # `Host: <key>` (in every proxy's log, and the request routed by it), or a
            # `Content-Length` no server reads: a header parameter so named is left out too
            report.warn(
                file,
                f"#/components/securitySchemes/{name}/name",
                f"header {key_name!r} is the transport's to write (RFC 9110), not an API key's",
                kind="security",
                action="scheme left out; pass the key through default_headers if it is meant",
            )
            continue
        plans[str(name)] = plan
        if isinstance(key_name, str) and not HTTP_TOKEN.fullmatch(key_name):
            # (a cookie's name too, RFC 6265: `lang=en; sid` set a cookie of the spec's choosing)
            report.warn(
                file,
                f"#/components/securitySchemes/{name}/name",
                f"{where} name {key_name!r} is not an HTTP token (RFC 9110)",
                kind="security",
                action="a call using this scheme raises ValueError: no client can send it",
            )
        _check_oauth_urls(str(name), scheme, report, file)
    requirements = _requirements(document)
    if not raw and not any(requirements):
        return [_implicit_bearer()], ((IMPLICIT_SCHEME,), ())
    merges = bearer_merges(document)
    if merges:
        requirements = [merges.get(req, req) for req in requirements]
        left = {name for req in requirements for name in req}
        for name in sorted({n for req in merges for n in req} - left):
            kept = sorted({n for req, merged in merges.items() if name in req for n in merged})
            report.warn(
                file,
                f"#/components/securitySchemes/{name}",
                f"every requirement naming {name} also names {', '.join(kept)}, and both send a"
                " bearer token in the one Authorization header",
                kind="security",
                action=f"one token meets both: the client takes {', '.join(kept)}'s",
            )
            plans.pop(name, None)
    collapsed = _one_secret(plans, raw, requirements)
    for name in collapsed:
        kind, _, options = plans[name]
        arg = "username" if kind == "HTTPBasic" else "credential"
        plans[name] = (kind, {arg: ONE_SECRET}, options)
    used = Counter(
        kw
        for name, (_, creds, _) in plans.items()
        if name not in collapsed
        for kw in set(creds.values())
    )
    if collapsed:  # one shared keyword for the collapsed schemes
        used[ONE_SECRET] += 1
    own = _own_keywords(plans, collapsed, used)
    claimed: dict[str, str] = dict.fromkeys([ONE_SECRET] if collapsed else [], "")
    schemes: list[SecuritySchemeDef] = []
    for name, (kind, creds, options) in plans.items():
        renamed = {
            arg: own.get(name)
            or (kw if name in collapsed or used[kw] <= 1 else f"{naming.snake(name)}_{kw}")
            for arg, kw in creds.items()
        }
        renamed = {arg: naming.param_name(kw) for arg, kw in renamed.items()}
        if name not in collapsed:
            # two scheme names of one snake case (`api_key` and `ApiKey`) made one keyword, and
            # one value went to both places: the later scheme's is numbered
            for arg, kw in renamed.items():
                unique, n = kw, 2
                while claimed.get(unique, name) != name:
                    unique, n = f"{kw}_{n}", n + 1
                renamed[arg] = unique
                claimed[unique] = name
        opts: dict[str, JsonScalar | tuple[str, ...]] = dict(options)
        desc = raw[name].get("description") if isinstance(raw[name], Mapping) else None
        env: dict[str, str] = {}
        if kind == "AWSSigV4":
            signing = as_object(document.get("info")).get("x-aws-signingName")
            if isinstance(signing, str) and signing:
                opts["service"] = signing
            env = {kw: _AWS_ENV[kw] for kw in renamed.values() if kw in _AWS_ENV}
        schemes.append(
            SecuritySchemeDef(name, kind, renamed, opts, str(desc or "").strip(), env=env)
        )
    known = {s.name for s in schemes}
    default: list[tuple[str, ...]] = []
    root = document.get("security") or []
    tls = tls_schemes(document)
    for i, req in enumerate(root if isinstance(root, list) else []):
        if isinstance(req, Mapping):
            names = tuple(sorted(str(k) for k in req if str(k) not in tls))
            names = merges.get(names, names)
            if all(n in known for n in names):
                default.append(names)
                continue
            # (a scheme left out above was warned of there; a name no scheme has was not)
            for name in (n for n in names if not (isinstance(raw, Mapping) and n in raw)):
                report.warn(
                    file,
                    f"#/security/{i}",
                    f"security requirement names {name!r}, which components.securitySchemes"
                    " does not define",
                    kind="security",
                    action="requirement left out",
                )
    if root and not default:
        report.warn(
            file,
            "#/security",
            "no security requirement names a usable scheme",
            kind="security",
            action="operations without their own security are sent without credentials",
        )
    return schemes, tuple(default)


def tls_schemes(document: Mapping[str, Any]) -> frozenset[str]:
    """The `mutualTLS` schemes: met by the connection's client certificate (the http
    client's), so a requirement naming one asks the request for its other schemes only (with a
    bearer token, the token was dropped too, and every call went out without it)."""
    raw = as_object(as_object(document.get("components")).get("securitySchemes"))
    return frozenset(
        str(name)
        for name, scheme in raw.items()
        if isinstance(scheme, Mapping) and scheme.get("type") == "mutualTLS"
    )


def _implicit_bearer() -> SecuritySchemeDef:
    return SecuritySchemeDef(
        IMPLICIT_SCHEME,
        "HTTPBearer",
        {"credential": ONE_SECRET},
        doc="The spec declares no security: a key given here is sent as "
        "`Authorization: Bearer <key>`, and requests go without one when none is given.",
        implicit=True,
    )


def drop_signature_params(
    ops: list[OperationDef],
    schemes: list[SecuritySchemeDef],
    default: tuple[tuple[str, ...], ...],
) -> None:
    """Leave the AWS signature's header parameters out of the methods of operations signed
    by an `AWSSigV4` scheme: the signer writes them for each request."""
    signed = {s.name for s in schemes if s.kind == "AWSSigV4"}
    if not signed:
        return
    for op in ops:
        alternatives = op.security if op.security is not None else default
        if any(signed & set(alt) for alt in alternatives):
            op.params = [
                p
                for p in op.params
                if not (p.location == "header" and p.wire_name.lower() in AWS_SIGNATURE)
            ]


def credential_params(
    ops: list[OperationDef],
    schemes: list[SecuritySchemeDef],
    default: tuple[tuple[str, ...], ...],
) -> None:
    """A parameter that is also an API key scheme's (`in: query, name: key` beside an `apiKey`
    scheme `key` in query; header names alike in any case) is optional: left out, the client's
    credential fills it (the runtime sends a value already there instead of the key), so a
    call need not pass the key the client holds (it had to, and the credential was never
    sent). Swagger 2.0 specs often declare both."""
    keys = {
        s.name: (
            str(s.options.get("location")),
            str(s.options.get("name")),
            next(iter(s.credentials.values()), "api_key"),
        )
        for s in schemes
        if s.kind == "ApiKey"
    }
    if not keys:
        return
    for op in ops:
        alternatives = op.security if op.security is not None else default
        # only a key every alternative sends: with `[{h: []}, {k: []}]` the runtime may choose
        # `h`, and the parameter `k` fills would go unsent (the regression sweep)
        each = [{keys[n] for n in alt if n in keys} for alt in alternatives]
        held = set.intersection(*each) if each else set()
        for location, name, argument in held:
            for p in op.params:
                same = (
                    p.wire_name.lower() == name.lower()
                    if location == "header"
                    else (p.wire_name == name)
                )
                if p.location == location and same and p.required and not p.has_const:
                    # (a one-value enum is always sent as it is: the credential never is)
                    p.required = False
                    note = f"Left out, the client's `{argument}` credential is sent."
                    p.doc = f"{p.doc} {note}".strip()


def token_endpoints_on_the_server(schemes: list[SecuritySchemeDef], server_url: str) -> None:
    """A token (or refresh) endpoint on the API's own origin is kept as its path: the runtime
    resolves it against the client's `base_url`, so a client pointed at a staging host or a
    local sandbox fetches its token there, where the API's other credentials go too, and not
    from the production host (Lufthansa's `https://api.lufthansa.com/v1/partners/oauth/token`
    beside its `https://api.lufthansa.com/v1`). An endpoint on another host stays absolute
    (`token_url=` overrides it)."""
    for scheme in schemes:
        for key in ("token_url", "refresh_url"):
            url = scheme.options.get(key)
            if isinstance(url, str):
                scheme.options[key] = on_the_server(url, server_url) or url


def on_the_server(url: str, server_url: str) -> str | None:
    """`url` as a path (and query) when it is on `server_url`'s origin, else None: where the
    client sends a token request once its `base_url` is another host (the contract run
    answers it there too)."""
    try:
        server, parts = urlsplit(server_url), urlsplit(url)
    except ValueError:  # not a URL (reported by the server checks)
        return None
    if not server.hostname or "{" in server_url or "{" in url:
        return None
    if _origin(parts) == _origin(server) and parts.path.startswith("/"):
        return urlunsplit(("", "", parts.path, parts.query, ""))
    return None


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return (scheme, "", -1)
    default = {"http": 80, "https": 443}.get(scheme)
    return (scheme, (parts.hostname or "").lower(), default if port is None else port)
