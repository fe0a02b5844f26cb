"""The ``apigen_runtime`` logger and redaction of secrets in what it prints."""

from __future__ import annotations

import logging
from collections.abc import Collection

import httpx

__all__ = ["log_outcome", "log_request", "logger", "redact_headers", "redact_url"]

logger = logging.getLogger("apigen_runtime")

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
SENSITIVE_QUERY = frozenset({"api_key", "apikey", "access_token", "token", "client_secret", "key"})
REDACTED = "[redacted]"


def redact_headers(headers: httpx.Headers, extra: Collection[str] = ()) -> dict[str, str]:
    hidden = SENSITIVE_HEADERS | {h.lower() for h in extra}
    return {k: REDACTED if k.lower() in hidden else v for k, v in headers.multi_items()}


def redact_url(url: httpx.URL, extra: Collection[str] = ()) -> str:
    if not url.query:
        return str(url)
    hidden = SENSITIVE_QUERY | {q.lower() for q in extra}
    pairs = url.query.decode("ascii", "replace").split("&")
    safe = [
        f"{p.split('=', 1)[0]}={REDACTED}" if p.split("=", 1)[0].lower() in hidden else p
        for p in pairs
    ]
    return str(url.copy_with(query=None)) + "?" + "&".join(safe)


def log_request(
    request: httpx.Request, secret_headers: Collection[str], secret_query: Collection[str]
) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        url = redact_url(request.url, secret_query)
        headers = redact_headers(request.headers, secret_headers)
        logger.debug("request %s %s headers=%s", request.method, url, headers)


def log_outcome(
    request: httpx.Request, outcome: httpx.Response | Exception, seconds: float, attempt: int
) -> None:
    """One line per attempt: method, path (never the query), status, duration, request id."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    if isinstance(outcome, httpx.Response):
        request_id = outcome.headers.get("x-request-id") or outcome.headers.get("request-id")
        result = f"{outcome.status_code} (request id {request_id})"
    else:
        result = f"failed: {type(outcome).__name__}"
    logger.debug(
        "response %s %s -> %s in %.0f ms, attempt %d",
        request.method,
        request.url.path,
        result,
        seconds * 1000,
        attempt,
    )
