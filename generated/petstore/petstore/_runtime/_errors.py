"""The exception hierarchy. Messages name the method and path only, never credentials."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import httpx

if TYPE_CHECKING:
    from ._sse import ServerSentEvent

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitBackendError",
    "RateLimitError",
    "UnprocessableEntityError",
]


class APIError(Exception):
    """Base class of every error the runtime raises."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its attributes (the response without its stream, as httpx pickles
        one): a ``NotFoundError`` raised in a process pool or a Celery task reaches the parent
        as itself. The constructors' keyword-only arguments made unpickling fail (openai-python
        #2629). A class made for a package at run time pickles as its nearest importable one."""
        cls: type[APIError] = type(self)
        for candidate in cls.__mro__:
            module = sys.modules.get(candidate.__module__)
            if getattr(module, candidate.__qualname__, None) is candidate:
                cls = cast("type[APIError]", candidate)
                break
        return (_unpickle, (cls, self.args, dict(self.__dict__)))


def _unpickle(cls: type[APIError], args: tuple[Any, ...], state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class MissingCredentialsError(APIError):
    """No security alternative of the operation has all its credentials; nothing was sent."""


class APIConnectionError(APIError):
    """The request never got an HTTP response (DNS, refused connection, reset, ...)."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, request: httpx.Request, message: str | None = None) -> None:
        super().__init__(message or f"Request timed out: {_describe(request)}", request=request)


class RateLimitBackendError(APIError):
    """The shared rate-limit backend (``RedisRateLimit``) failed: unreachable, timed out,
    refused the credentials or the script. Nothing was sent; the backend's own exception is
    ``__cause__``. Not an ``APIConnectionError``: the API itself was never contacted."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class APIResponseValidationError(APIError):
    """A success response could not be read as the declared kind (for example broken JSON)."""

    def __init__(self, message: str, *, response: httpx.Response, body: object = None) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.body = body


# where an API names the request it answered, in the order they are looked for
REQUEST_ID_HEADERS = ("request-id", "x-request-id", "x-github-request-id")


def request_id_of(headers: httpx.Headers) -> str | None:
    """The server's id for a request, from the first of `REQUEST_ID_HEADERS` it sent."""
    return next((v for v in map(headers.get, REQUEST_ID_HEADERS) if v), None)


class APIStatusError(APIError):
    """The server answered with a non-2xx status."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.body = body
        self.status_code = response.status_code
        self.headers = response.headers
        # (the headers a success's ``_request_id`` reads: GitHub's was missed on errors, where
        # its support asks for it)
        self.request_id: str | None = request_id_of(response.headers)


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429."""


class InternalServerError(APIStatusError):
    """HTTP 5xx."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def connection_error(request: httpx.Request, exc: Exception) -> APIConnectionError:
    """Wrap a transport failure, keeping it as ``__cause__``."""
    error: APIConnectionError
    if isinstance(exc, httpx.PoolTimeout):  # never sent: every pooled connection was taken
        error = APITimeoutError(
            request,
            f"Request timed out waiting for a free pooled connection: {_describe(request)}"
            " (an open stream holds its connection until closed)",
        )
    elif isinstance(exc, httpx.TimeoutException):
        error = APITimeoutError(request)
    else:
        # The origin too: with per-operation servers and redirects it is not always base_url.
        url = request.url
        where = f"{request.method} {url.scheme}://{url.netloc.decode('ascii')}{url.path}"
        error = APIConnectionError(f"Connection error: {where}", request=request)
    error.__cause__ = exc
    return error


def _describe(request: httpx.Request) -> str:
    # The path only: query strings may carry API keys.
    return f"{request.method} {request.url.path}"


def _server_message(body: object) -> str | None:
    """Pull a human message out of common error shapes (``message``, ``error.message``, ``detail``)."""
    dump = getattr(body, "model_dump", None)
    data: object = dump() if callable(dump) else body
    if isinstance(data, dict):
        fields = cast("dict[str, object]", data)
        inner = fields.get("error")
        for candidate in (fields.get("message"), inner, fields.get("detail"), fields.get("title")):
            if isinstance(candidate, dict):
                candidate = cast("dict[str, object]", candidate).get("message")
            if isinstance(candidate, str) and candidate:
                return candidate[:500]
    return None


def make_status_error(response: httpx.Response, body: object) -> APIStatusError:
    """Build the ``APIStatusError`` subclass that matches ``response.status_code``."""
    status = response.status_code
    cls = _BY_STATUS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    message = f"{status} {response.reason_phrase} for {_describe(response.request)}".rstrip()
    detail = _server_message(body)
    if detail:
        message = f"{message}: {detail}"
    return cls(message, response=response, body=body)


_DERIVED: dict[tuple[type[APIError], type[APIError]], type[APIError]] = {}


def package_error(exc: APIError, errors: Mapping[type[APIError], type[APIError]]) -> APIError:
    """``exc`` re-classed in place as the generated package's subclass of its class (so
    ``except stripe.NotFoundError`` does not catch another package's); a runtime error class the
    package does not list gets a subclass of it and of the package's nearest listed ancestor."""
    cls = type(exc)
    if not errors or any(c in errors.values() for c in cls.__mro__):
        return exc
    target = errors.get(cls)
    if target is None:
        base = next((errors[c] for c in cls.__mro__[1:] if c in errors), None)
        if base is None:
            return exc
        target = _DERIVED.get((cls, base))
        if target is None:
            target = type(cls.__name__, (cls, base), {"__module__": base.__module__})
            target.__qualname__ = cls.__qualname__
            _DERIVED[(cls, base)] = target
    with contextlib.suppress(TypeError):  # an incompatible layout: keep the runtime's class
        exc.__class__ = target
    return exc


# --- raised by one feature each; defined here so that a package's exception classes
# (generated `_exceptions.py`) do not import every feature's module -----------------------


class CircuitOpenError(APIError):
    """The host failed too often in a row; calls fail fast until the cooldown ends."""

    def __init__(self, host: str, failures: int, retry_in: float) -> None:
        super().__init__(
            f"Circuit open for {host} after {failures} consecutive failures; "
            f"next probe allowed in {retry_in:.1f} s"
        )
        self.host = host
        self.failures = failures
        self.retry_in = retry_in


class ResponseTooLargeError(APIError):
    """The (decoded) response body is larger than the client's ``max_response_bytes``."""

    def __init__(self, message: str, *, response: httpx.Response, limit: int) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.limit = limit


class ResponseDecodingError(APIError):
    """The response body is not valid for its ``Content-Encoding`` (a corrupt gzip, say).

    ``response`` is None when httpx failed to decode while receiving it (an encoding the
    runtime leaves to httpx, such as ``br``, or a transport that decodes, such as aiohttp's):
    no response was handed over; ``request`` is the request sent."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, request=response.request if response is not None else request)
        self.response = response


class OAuthError(APIError):
    """The authorization server refused or the redirect back was wrong (``error=``, bad state)."""


class PaginationLoopError(APIError):
    """The server sent a next-page cursor or URL already visited: following it would never
    end (the items already yielded are all there is)."""


class APIStreamError(APIError):
    """The server reported a failure inside a stream: an ``event: error``, or a record
    ``{"error": ...}`` the declared record type has no ``error`` property for. ``data`` is its
    data as sent, ``body`` that data parsed as JSON (or the text when it is not JSON),
    ``event`` the whole event."""

    def __init__(
        self, event: ServerSentEvent, *, request: httpx.Request | None, response: httpx.Response
    ) -> None:
        try:
            body: Any = json.loads(event.data)
        except ValueError:
            body = event.data
        super().__init__(
            f"The event stream reported an error: {_error_text(body)}", request=request
        )
        self.event = event
        self.data = event.data
        self.body = body
        self.response = response


def _error_text(body: Any) -> str:
    """The most specific message in an error event (``{"error": {"message": ...}}`` etc.)."""
    inner: object = body
    if isinstance(body, dict):
        obj = cast("dict[str, object]", body)
        inner = obj.get("error", obj)
    if isinstance(inner, dict):
        message = cast("dict[str, object]", inner).get("message")
        if isinstance(message, str):
            return message
    if isinstance(inner, str) and inner:
        return inner
    return json.dumps(body) if not isinstance(body, str) else "(no details)"


class WebhookVerificationError(APIError):
    """A webhook's signature or timestamp did not verify: do not trust the payload."""


class InsecureTransportError(APIError):
    """A credential would travel over plain ``http://`` to a host other than this machine."""


class OperationFailedError(APIError):
    """The long-running operation ended in a failed state; ``status`` and ``body`` say why."""

    def __init__(
        self, message: str, *, status: str | None, body: object, response: httpx.Response
    ) -> None:
        super().__init__(message, request=response.request)
        self.status = status
        self.body = body
        self.response = response


class LongRunningTimeoutError(APITimeoutError):
    """The operation was still running when the wait's ``timeout`` ran out."""


class LongRunningCancelledError(APIError):
    """The caller's cancel event was set while waiting."""
