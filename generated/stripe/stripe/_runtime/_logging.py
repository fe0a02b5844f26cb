"""The ``apigen_runtime`` logger: one structured line per attempt, secrets redacted.

Each record carries ``method``, ``path``, ``status``, ``duration_ms``, ``attempt`` and
``request_id`` attributes (``extra=``), which ``JSONFormatter`` prints as JSON.

Turning it on: ``<PREFIX>_LOG=debug|info`` in the environment (``PETSTORE_LOG=debug``), read when
a client is built (``configure_from_env``); or ``enable_logging()``; or the standard
``logging.getLogger("apigen_runtime")``. Secrets are redacted in every line (headers, query
parameters, JSON and form body fields), and in httpx's own ``HTTP Request:`` INFO line
(``HttpxRedactFilter``, installed on the ``httpx`` logger by the first client built).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Collection
from typing import IO, Any, cast
from urllib.parse import parse_qsl, unquote_plus, urlencode

import httpx

__all__ = [
    "HttpxRedactFilter",
    "JSONFormatter",
    "configure_from_env",
    "enable_logging",
    "install_httpx_filter",
    "log_outcome",
    "log_request",
    "logger",
    "redact_body",
    "redact_headers",
    "redact_url",
    "redact_userinfo",
    "setup_client_logging",
]

#: "apigen_runtime"; "<package>._runtime" in a client that vendors the runtime (a child of the
#: package's logger, and one per client).
LOGGER_NAME = __name__.rpartition(".")[0]
logger = logging.getLogger(LOGGER_NAME)

REDACTED = "[redacted]"
# Secret wherever they are given (a header, the query, a body field): a name redacted in one
# place was logged in clear in another (helper 224: `authorization` in a query, `jwt` in a body)
_SECRET_ANYWHERE = frozenset(
    {"authorization", "cookie", "jwt", "session_id", "sessionid", "pwd", "passwd"}
)
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
    | _SECRET_ANYWHERE
)
_SENSITIVE_PARTS = (
    *("auth", "token", "secret", "api-key", "apikey", "password", "session", "jwt"),
    *("credential", "signature", "passphrase", "private-key", "passwd"),
)
SENSITIVE_QUERY = _SECRET_ANYWHERE | frozenset(
    {
        "api_key",
        "apikey",
        "api-key",
        "key",
        "token",
        "access_token",
        "client_secret",
        "password",
        "secret",
        "signature",
        "sig",
        "auth",
        "jwt",
        "subscription-key",  # Azure API Management's key, in a query
    }
)
# Logged as redacted, but not scrubbed from error messages: common words too (Stripe's
# `promotion_codes?code=SUMMER`), whose value a server's message may well repeat.
_LOGGED_QUERY = frozenset({"code", "session"})  # (an OAuth authorization code: RFC 6749 4.1.2)
SENSITIVE_FIELDS = _SECRET_ANYWHERE | frozenset(
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
        # Payment and identity data: ``card[number]`` is checked as ``card_number``.
        "card_number",
        "cvc",
        "cvc2",
        "cvv",
        "cvv2",
        "exp",
        "exp_month",
        "exp_year",
        "ssn",
        "account_number",
        "routing_number",
        "iban",
        "pin",
    }
)
# A name whose last word (camelCase, kebab-case and snake_case read alike: ``clientSecret``,
# ``X-Amz-Signature``, ``refresh_token``) is one of these is secret; so is ``<word>_key`` for
# these words (``privateKey``, ``secret_key``, ``api-key``). ``prompt_tokens`` is not.
_SECRET_WORDS = frozenset(
    {"password", "passwd", "secret", "token", "signature", "credential", "credentials"}
    | {"passphrase", "apikey"}
)
_KEY_WORDS = frozenset(
    {"api", "private", "secret", "access", "signing", "encryption", "client", "subscription"}
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_FIELDS = ("method", "path", "status", "duration_ms", "attempt", "request_id")
_MAX_BODY = 2000


def _secret_header(name: str, extra: Collection[str]) -> bool:
    """Besides the names and parts above, any ``...-key``/``..._key`` header but the
    idempotency key: a header named a key is one (``Ocp-Apim-Subscription-Key``,
    ``X-Client-Key``, ``api_key``), and a spec's undeclared ones reach us as ``extra_headers``."""
    name = name.lower()
    if name in SENSITIVE_HEADERS or name in extra or any(p in name for p in _SENSITIVE_PARTS):
        return True
    words = [w for w in name.replace("_", "-").split("-") if w]
    if not words or words[-1] not in ("key", "keys"):
        return False
    return len(words) == 1 or words[-2] not in _PLAIN_KEYS


# `<word>-Key` headers that name no credential (a review: `X-Cache-Key`, `X-Public-Key`,
# `Sec-WebSocket-Key` and `X-Idempotency-Key` were redacted, hiding what traces need)
_PLAIN_KEYS = frozenset(
    {"idempotency", "cache", "partition", "public", "event", "websocket", "sort", "routing"}
    | {"correlation", "dedup", "deduplication", "lookup", "object", "primary", "foreign"}
)


def redact_headers(headers: httpx.Headers, extra: Collection[str] = ()) -> dict[str, str]:
    hidden = {h.lower() for h in extra}
    return {k: REDACTED if _secret_header(k, hidden) else v for k, v in headers.multi_items()}


def redact_userinfo(url: httpx.URL) -> httpx.URL:
    """``url`` without the password its ``user:password@`` holds (httpx sends it as Basic
    auth: a live credential), spelt as OpenTelemetry asks (``REDACTED:REDACTED@``)."""
    return url.copy_with(userinfo=b"REDACTED:REDACTED") if url.userinfo else url


def redact_url(url: httpx.URL, extra: Collection[str] = ()) -> str:
    url = redact_userinfo(url)
    if not url.query:
        return str(url)
    hidden = {q.lower() for q in extra}
    pairs = url.query.decode("ascii", "replace").split("&")
    safe = [
        f"{p.split('=', 1)[0]}={REDACTED}"
        if _secret_query(unquote_plus(p.split("=", 1)[0]), hidden)
        else p
        for p in pairs
    ]
    return str(url.copy_with(query=None)) + "?" + "&".join(safe)


def _secret_query(name: str, extra: Collection[str]) -> bool:
    lowered = name.lower()
    return (
        lowered in SENSITIVE_QUERY
        or lowered in _LOGGED_QUERY
        or lowered in extra
        or _secret_words(name)
    )


def _secret_words(name: str) -> bool:
    """Whether ``name`` reads as a secret's by its words (``_SECRET_WORDS``)."""
    words = [w for w in _CAMEL.sub("_", name).lower().replace("-", "_").split("_") if w]
    if not words:
        return False
    last = words[-1]
    return last in _SECRET_WORDS or (last == "key" and len(words) > 1 and words[-2] in _KEY_WORDS)


def _is_secret_name(name: str) -> bool:
    snake = _CAMEL.sub("_", name).lower().replace("-", "_")  # ``cardNumber``: ``card_number``
    return name.lower() in SENSITIVE_FIELDS or snake in SENSITIVE_FIELDS or _secret_words(name)


def _secret_field(name: str, parent: str = "") -> bool:
    """Whether a body field is secret, judged on its last key segment (case-insensitive):
    ``card[cvc]`` -> ``cvc``; with its parent segment too, so ``card[number]`` (or JSON
    ``{"card": {"number": ...}}``) is checked as ``card_number``."""
    # List indexes are skipped: ``cards[0][cvc]`` -> ``cards``, ``cvc``.
    parts = [p for p in name.replace("]", "").split("[") if p and not p.isdigit()]
    if not parts:
        return False
    last = parts[-1]
    parent = parts[-2] if len(parts) > 1 else parent
    return _is_secret_name(last) or (bool(parent) and _is_secret_name(f"{parent}_{last}"))


def _redact_json(data: Any, parent: str = "") -> Any:
    if isinstance(data, dict):
        return {
            k: REDACTED if _secret_field(str(k), parent) else _redact_json(v, str(k))
            for k, v in cast("dict[str, Any]", data).items()
        }
    if isinstance(data, list):
        return [_redact_json(v, parent) for v in cast("list[object]", data)]
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
    """One line per attempt, at INFO (``<PREFIX>_LOG=info``): method, path (never the query),
    status, duration, request id."""
    if not logger.isEnabledFor(logging.INFO):
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
    logger.info(
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


_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_env_handler: logging.Handler | None = None  # the one stderr handler ``<PREFIX>_LOG`` installs
_warned: set[str] = set()


def configure_from_env(env_prefix: str) -> None:
    """Honour ``<env_prefix>_LOG=debug|info``: the runtime's logger at that level, with one
    stderr handler per process (building more clients adds none). Other values are ignored with
    a one-line warning. Called by every client's constructor."""
    global _env_handler
    if not env_prefix:
        return
    var = f"{env_prefix}_LOG"
    raw = os.environ.get(var)
    if raw is None or not raw.strip():
        return
    level = _LEVELS.get(raw.strip().lower())
    if level is None:
        if var not in _warned:
            _warned.add(var)
            logger.warning("ignoring %s=%r: expected 'debug' or 'info'", var, raw)
        return
    if _env_handler is None:
        _env_handler = logging.StreamHandler(sys.stderr)
        _env_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(_env_handler)
    if logger.level == logging.NOTSET or level < logger.level:
        logger.setLevel(level)  # the most verbose asked for wins; never quietened by a later one


class HttpxRedactFilter(logging.Filter):
    """Rewrites the URL in httpx's ``HTTP Request: GET <url> "HTTP/1.1 200 OK"`` record with the
    same query redaction as ours; every other record passes untouched."""

    def __init__(self) -> None:
        super().__init__("httpx")
        self.secret_query: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            isinstance(record.msg, str)
            and record.msg.startswith("HTTP Request:")
            and isinstance(args, tuple)
            and len(args) > 1
            and isinstance(args[1], httpx.URL | str)
        ):
            try:
                url = args[1] if isinstance(args[1], httpx.URL) else httpx.URL(args[1])
                record.args = (args[0], redact_url(url, self.secret_query), *args[2:])
            except Exception:  # a filter must never break logging
                return True
        return True


_httpx_filter: HttpxRedactFilter | None = None


def install_httpx_filter(secret_query: Collection[str] = ()) -> HttpxRedactFilter:
    """Add ``HttpxRedactFilter`` to the ``httpx`` logger, once per process; ``secret_query``
    (a client's API-key query names) is added to what it redacts."""
    global _httpx_filter
    if _httpx_filter is None:
        _httpx_filter = HttpxRedactFilter()
        logging.getLogger("httpx").addFilter(_httpx_filter)
    _httpx_filter.secret_query.update(q.lower() for q in secret_query)
    return _httpx_filter


def setup_client_logging(env_prefix: str, secret_query: Collection[str] = ()) -> None:
    """What a client's constructor calls: ``configure_from_env`` and ``install_httpx_filter``."""
    configure_from_env(env_prefix)
    install_httpx_filter(secret_query)


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
