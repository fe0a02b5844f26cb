"""Security schemes to client keyword arguments.

Credential keyword names come from the scheme's type (`api_key`, `username`/`password`,
`bearer_token`, `client_id`/`client_secret`, `access_token`/`refresh_token`); when a spec has two
schemes that would claim the same keyword, each is prefixed with its scheme name in snake case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .. import naming
from ..diagnostics import Report
from .nodes import JsonScalar, SecuritySchemeDef


def _plan(
    name: str, scheme: Mapping[str, Any]
) -> tuple[str, dict[str, str], dict[str, Any]] | None:
    """(runtime class, runtime argument -> keyword, options) for one scheme."""
    kind = str(scheme.get("type", "")).lower()
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
        http = str(scheme.get("scheme", "")).lower()
        if http == "basic":
            return "HTTPBasic", {"username": "username", "password": "password"}, {}
        return "HTTPBearer", {"credential": "bearer_token"}, {}
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
                    "scopes": tuple(sorted(str(s) for s in (cc.get("scopes") or {}))),
                },
            )
        # Any other flow (authorization code, implicit, password, OpenID Connect): the caller
        # holds an access token; refreshing it is the runtime's business.
        flow = next((f for f in flows.values() if isinstance(f, Mapping)), {})
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
        credentials = {
            "credential": "access_token",
            "refresh_credential": "refresh_token",
            "client_id_credential": "client_id",
            "client_secret_credential": "client_secret",
        }
        return "OAuth2AuthorizationCode", credentials, options
    return None


def build_security(
    document: Mapping[str, Any], report: Report, file: str
) -> tuple[list[SecuritySchemeDef], tuple[tuple[str, ...], ...]]:
    raw = (document.get("components") or {}).get("securitySchemes") or {}
    plans: dict[str, tuple[str, dict[str, str], dict[str, Any]]] = {}
    for name, scheme in raw.items() if isinstance(raw, Mapping) else ():
        if isinstance(scheme, Mapping) and "$ref" in scheme:
            continue
        plan = _plan(str(name), scheme) if isinstance(scheme, Mapping) else None
        if plan is None:
            report.warn(
                file,
                f"#/components/securitySchemes/{name}",
                f"security scheme type {scheme.get('type') if isinstance(scheme, Mapping) else scheme!r} is not supported",
                kind="security",
                action="scheme left out; pass credentials through default_headers",
            )
            continue
        plans[str(name)] = plan
    used = Counter(kw for _, creds, _ in plans.values() for kw in set(creds.values()))
    schemes: list[SecuritySchemeDef] = []
    for name, (kind, creds, options) in plans.items():
        renamed = {
            arg: (f"{naming.snake(name)}_{kw}" if used[kw] > 1 else kw) for arg, kw in creds.items()
        }
        renamed = {arg: naming.param_name(kw) for arg, kw in renamed.items()}
        opts: dict[str, JsonScalar | tuple[str, ...]] = dict(options)
        desc = raw[name].get("description") if isinstance(raw[name], Mapping) else None
        schemes.append(SecuritySchemeDef(name, kind, renamed, opts, str(desc or "").strip()))
    known = {s.name for s in schemes}
    default: list[tuple[str, ...]] = []
    for req in document.get("security") or []:
        if isinstance(req, Mapping):
            names = tuple(sorted(str(k) for k in req))
            if all(n in known for n in names):
                default.append(names)
    return schemes, tuple(default)
