"""The sandbox answers the OAuth 2 token endpoints the spec names on the API's own origin.

A generated client keeps such an endpoint as a path (`ir/security.py`), resolved against its
`base_url`: pointed at the sandbox, a client-credentials client fetches its token here before
its first call. Any client id and secret get a bearer token (the sandbox checks that a
credential is present, never which). Endpoints on another host stay the client's business.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

from ..ir.security import on_the_server
from ..ir.servers import root_index
from ._refs import RefError, Resolver
from ._responses import Reply

#: How long a sandbox token lives, in seconds (as a real endpoint's `expires_in`).
TOKEN_LIFETIME = 3600


def token_paths(document: Mapping[str, Any], resolver: Resolver) -> frozenset[str]:
    """The paths of the `tokenUrl`s and `refreshUrl`s of the document's OAuth 2 flows that are
    relative or on the origin of its first server (the IR's rule: `ir.security.on_the_server`)."""
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    servers = document.get("servers")
    first = servers[root_index(document)] if isinstance(servers, list) and servers else {}
    server = str(first.get("url", "")) if isinstance(first, Mapping) else ""
    found: set[str] = set()
    for raw in schemes.values() if isinstance(schemes, Mapping) else ():
        try:
            scheme, _ = resolver.resolve(raw)
        except RefError:
            continue
        flows = scheme.get("flows") if isinstance(scheme, Mapping) else None
        for flow in flows.values() if isinstance(flows, Mapping) else ():
            for key in ("tokenUrl", "refreshUrl"):
                url = flow.get(key) if isinstance(flow, Mapping) else None
                if not isinstance(url, str) or not url:
                    continue
                path = url if url.startswith("/") else on_the_server(url, server)
                if path is not None:
                    found.add(path.partition("?")[0])
    return frozenset(found)


_issued = itertools.count(1)


def token_reply() -> Reply:
    """A bearer token, as RFC 6749 section 5.1 spells it."""
    body = {
        "access_token": f"sandbox-token-{next(_issued)}",
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME,
    }
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    return Reply(200, headers, json.dumps(body).encode())
