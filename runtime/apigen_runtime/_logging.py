"""The ``apigen_runtime`` logger: one structured line per attempt, secrets redacted.

Each record carries ``method``, ``path``, ``status``, ``duration_ms``, ``attempt`` and
``request_id`` attributes (``extra=``), which ``JSONFormatter`` prints as JSON.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Collection
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode

import httpx

__all__ = [
    "JSONFormatter",
    "enable_logging",
    "log_outcome",
    "log_request",
    "logger",
    "redact_body",
    "redact_headers",
    "redact_url",
]

logger = logging.getLogger("apigen_runtime")

REDACTED = "[redacted]"
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
_SENSITIVE_PARTS = ("auth", "token", "secret", "api-key", "apikey", "password", "session")
SENSITIVE_QUERY = frozenset(
    {"api_key", "apikey", "access_token", "token", "client_secret", "key", "password"}
)
SENSITIVE_FIELDS = frozenset(
    {
        "password",
        "client_secret",
        "refresh_token",
        "access_token",
        "id_token",
        "token",
        "api_key",
        "apikey",
        "secret",
        "private_key",
        "code_verifier",
        "cvc",
    }
)
_FIELDS = ("method", "path", "status", "duration_ms", "attempt", "request_id")
_MAX_BODY = 2000


def _secret_header(name: str, extra: Collection[str]) -> bool:
    name = name.lower()
    return name in SENSITIVE_HEADERS or name in extra or any(p in name for p in _SENSITIVE_PARTS)


def redact_headers(headers: httpx.Headers, extra: Collection[str] = ()) -> dict[str, str]:
    hidden = {h.lower() for h in extra}
    return {k: REDACTED if _secret_header(k, hidden) else v for k, v in headers.multi_items()}


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


def _secret_field(name: str) -> bool:
    # The last part of a form key: ``card[cvc]`` -> ``cvc``.
    return name.rstrip("]").rsplit("[", 1)[-1].lower() in SENSITIVE_FIELDS


def _redact_json(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: REDACTED if _secret_field(str(k)) else _redact_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_redact_json(v) for v in data]
    return data


def redact_body(content: bytes, content_type: str) -> str:
    """A loggable, truncated body: JSON and form fields named like secrets are redacted; other
    kinds are summarised by size only."""
    media = content_type.split(";")[0].strip().lower()
    text: str
    if media.endswith(("/json", "+json")):
        try:
            text = json.dumps(_redact_json(json.loads(content)), ensure_ascii=False)
        except ValueError:
            text = f"<{len(content)} bytes of invalid JSON>"
    elif media == "application/x-www-form-urlencoded":
        pairs = parse_qsl(content.decode("utf-8", "replace"), keep_blank_values=True)
        text = urlencode([(k, REDACTED if _secret_field(k) else v) for k, v in pairs])
    else:
        return f"<{len(content)} bytes {media or 'unknown type'}>"
    return text if len(text) <= _MAX_BODY else text[:_MAX_BODY] + "..."


def log_request(
    request: httpx.Request, secret_headers: Collection[str], secret_query: Collection[str]
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    url = redact_url(request.url, secret_query)
    headers = redact_headers(request.headers, secret_headers)
    try:
        body = request.content
    except httpx.RequestNotRead:  # a streamed upload: not ours to read
        body = b""
    shown = redact_body(body, request.headers.get("content-type", "")) if body else ""
    logger.debug(
        "request %s %s headers=%s%s",
        request.method,
        url,
        headers,
        f" body={shown}" if shown else "",
        extra={"method": request.method, "path": request.url.path},
    )


def log_outcome(
    request: httpx.Request, outcome: httpx.Response | Exception, seconds: float, attempt: int
) -> None:
    """One line per attempt: method, path (never the query), status, duration, request id."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    fields: dict[str, object] = {
        "method": request.method,
        "path": request.url.path,
        "status": None,
        "duration_ms": round(seconds * 1000, 1),
        "attempt": attempt,
        "request_id": None,
    }
    if isinstance(outcome, httpx.Response):
        fields["status"] = outcome.status_code
        fields["request_id"] = outcome.headers.get("x-request-id") or outcome.headers.get(
            "request-id"
        )
        result = f"{outcome.status_code} (request id {fields['request_id']})"
    else:
        result = f"failed: {type(outcome).__name__}"
        fields["error"] = type(outcome).__name__
    logger.debug(
        "response %s %s -> %s in %.0f ms, attempt %d",
        request.method,
        request.url.path,
        result,
        seconds * 1000,
        attempt,
        extra=fields,
    )


class JSONFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in (*_FIELDS, "error"):
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def enable_logging(
    level: int | str = logging.DEBUG, *, json: bool = False, stream: IO[str] | None = None
) -> logging.Handler:
    """Send the runtime's log to ``stream`` (stderr): plain text, or JSON lines with ``json``."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JSONFormatter() if json else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler
