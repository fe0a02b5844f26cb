"""httpx clients with the generated client's own defaults, for a custom ``http_client=``.

A caller passing ``http_client=httpx.Client(proxy=...)`` (a proxy, a transport, event hooks)
lost the pool the client opens for itself: 100 kept-alive connections instead of httpx's 20,
the shared TLS context, and (when built without one) the 60 s timeout. ``DefaultHttpxClient``
is ``httpx.Client`` with those as its defaults, as openai-python's of the same name; any
keyword given wins. Redirects need nothing here: the client follows them itself.
"""

from __future__ import annotations

from typing import Any

import httpx

from ._client import DEFAULT_LIMITS, DEFAULT_TIMEOUT
from ._limits import bounded_encodings

__all__ = ["DefaultAsyncHttpxClient", "DefaultHttpxClient"]


def _defaults(kwargs: dict[str, Any]) -> dict[str, Any]:
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", DEFAULT_LIMITS)
    if "verify" not in kwargs:
        from ._tls import default_tls_context  # ssl: loaded with a pool, not at import

        kwargs["verify"] = default_tls_context(trust_env=kwargs.get("trust_env", True))
    return kwargs


class DefaultHttpxClient(httpx.Client):
    """``httpx.Client`` with the client's defaults: ``DefaultHttpxClient(proxy=...)``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_defaults(kwargs))
        bounded_encodings(self)


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` with the client's defaults, for ``AsyncClient(http_client=...)``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_defaults(kwargs))
        bounded_encodings(self)
