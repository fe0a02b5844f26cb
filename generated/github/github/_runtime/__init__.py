"""Runtime support for apigen-generated API clients: request building, auth, retries, errors."""

import importlib
from typing import TYPE_CHECKING, Any

from ._auth import (
    ApiKey,
    HTTPBasic,
    HTTPBearer,
    InsecureTransportError,
    SecurityScheme,
)
from ._client import (
    AsyncAPIClient,
    AsyncResource,
    SyncAPIClient,
    SyncResource,
)
from ._deprecated import deprecated
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CircuitOpenError,
    ConflictError,
    InternalServerError,
    LongRunningCancelledError,
    LongRunningTimeoutError,
    MissingCredentialsError,
    NotFoundError,
    OAuthError,
    OperationFailedError,
    PaginationLoopError,
    PermissionDeniedError,
    RateLimitBackendError,
    RateLimitError,
    UnprocessableEntityError,
    WebhookVerificationError,
)
from ._hooks import Hooks
from ._limits import DEFAULT_MAX_RESPONSE_BYTES, ResponseDecodingError, ResponseTooLargeError
from ._logging import JSONFormatter, enable_logging
from ._operation import (
    Body,
    Encoding,
    LazyResponses,
    Operation,
    Param,
    Response,
    Webhook,
)
from ._public import publish as _publish
from ._ratelimit import RateLimit, RateLimitBackend
from ._resource import (
    part_attribute,
    part_method,
    raw_async_page,
    raw_page,
    streaming_async_page,
    streaming_page,
)
from ._response import (
    AsyncStreamedResponse,
    RawResponse,
    StreamedResponse,
    with_raw_response,
    with_raw_response_async,
    with_streaming_response,
    with_streaming_response_async,
)
from ._retry import RetryPolicy, RetryStrategy, may_resend, provider_retry
from ._telemetry import RateWarning
from ._types import (
    NOT_GIVEN,
    ExtraBody,
    ExtraHeaders,
    ExtraQuery,
    FileInput,
    NotGiven,
    Omit,
    RequestOptions,
    SequenceNotStr,
    TimeoutOption,
    omit,
    request_options,
)
from ._version import __version__

# Imported on first use (PEP 562): a plain call never loads pagination, event streams, OAuth,
# Redis, circuit breakers or long-running operations.
_LAZY: dict[str, str] = {
    "Cache": "._cache",
    "CacheStore": "._cache",
    "MemoryCacheStore": "._cache",
    "RedisCacheStore": "._cache",
    "cache_status": "._cache",
    "DefaultAsyncHttpxClient": "._http",
    "DefaultHttpxClient": "._http",
    "Model": "._models",
    "discriminator": "._models",
    "later": "._lazy",
    "AWSSigV4": "._aws",
    "AsyncOAuth": "._oauth",
    "AsyncPage": "._pagination",
    "AsyncPaginator": "._pagination",
    "AsyncStream": "._sse",
    "AuthorizationRequest": "._oauth",
    "BodyCursorPagination": "._paging",
    "CircuitBreaker": "._circuit",
    "CursorPagination": "._paging",
    "InMemoryTokenStore": "._oauth",
    "JSONFileTokenStore": "._oauth",
    "LinkHeaderPagination": "._paging",
    "LongRunning": "._lro",
    "NextUrlPagination": "._paging",
    "OAuth": "._oauth",
    "OAuth2AuthorizationCode": "._oauth",
    "OAuth2ClientCredentials": "._oauth",
    "OffsetPagination": "._paging",
    "PageNumberPagination": "._paging",
    "PageRequest": "._pagination",
    "Pagination": "._paging",
    "RedisRateLimit": "._ratelimit_redis",
    "ServerSentEvent": "._sse",
    "ServerVariable": "._servers",
    "Stream": "._sse",
    "SyncPage": "._pagination",
    "Token": "._oauth",
    "TokenStore": "._oauth",
    "webhooks": ".",
    "verify_hmac": "._webhooks",
    "verify_standard_webhook": "._webhooks",
    "verify_stripe": "._webhooks",
}

if TYPE_CHECKING:
    from . import webhooks
    from ._aws import AWSSigV4
    from ._cache import Cache, CacheStore, MemoryCacheStore, RedisCacheStore, cache_status
    from ._circuit import CircuitBreaker
    from ._http import DefaultAsyncHttpxClient, DefaultHttpxClient
    from ._lazy import later
    from ._lro import LongRunning
    from ._models import Model, discriminator
    from ._oauth import (
        AsyncOAuth,
        AuthorizationRequest,
        InMemoryTokenStore,
        JSONFileTokenStore,
        OAuth,
        OAuth2AuthorizationCode,
        OAuth2ClientCredentials,
        Token,
        TokenStore,
    )
    from ._pagination import (
        AsyncPage,
        AsyncPaginator,
        BodyCursorPagination,
        CursorPagination,
        LinkHeaderPagination,
        NextUrlPagination,
        OffsetPagination,
        PageNumberPagination,
        PageRequest,
        Pagination,
        SyncPage,
    )
    from ._ratelimit_redis import RedisRateLimit
    from ._servers import ServerVariable
    from ._sse import AsyncStream, ServerSentEvent, Stream
    from ._webhooks import verify_hmac, verify_standard_webhook, verify_stripe


if not TYPE_CHECKING:  # (seen by a type checker, any name imported from here was `Any`: a
    # misspelt `from pkg._runtime import AsyncRawResponse` passed mypy and pyright)

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = importlib.import_module(module if module != "." else f".{name}", __name__)
        if module != ".":
            value = getattr(value, name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AWSSigV4",
    "ApiKey",
    "AsyncAPIClient",
    "AsyncOAuth",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncResource",
    "AsyncStream",
    "AsyncStreamedResponse",
    "AuthenticationError",
    "AuthorizationRequest",
    "BadRequestError",
    "Body",
    "BodyCursorPagination",
    "Cache",
    "CacheStore",
    "CircuitBreaker",
    "CircuitOpenError",
    "ConflictError",
    "CursorPagination",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "Encoding",
    "ExtraBody",
    "ExtraHeaders",
    "ExtraQuery",
    "FileInput",
    "HTTPBasic",
    "HTTPBearer",
    "Hooks",
    "InMemoryTokenStore",
    "InsecureTransportError",
    "InternalServerError",
    "JSONFileTokenStore",
    "JSONFormatter",
    "LazyResponses",
    "LinkHeaderPagination",
    "LongRunning",
    "LongRunningCancelledError",
    "LongRunningTimeoutError",
    "MemoryCacheStore",
    "MissingCredentialsError",
    "Model",
    "NextUrlPagination",
    "NotFoundError",
    "NotGiven",
    "OAuth",
    "OAuth2AuthorizationCode",
    "OAuth2ClientCredentials",
    "OAuthError",
    "OffsetPagination",
    "Omit",
    "Operation",
    "OperationFailedError",
    "PageNumberPagination",
    "PageRequest",
    "Pagination",
    "PaginationLoopError",
    "Param",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitBackend",
    "RateLimitBackendError",
    "RateLimitError",
    "RateWarning",
    "RawResponse",
    "RedisCacheStore",
    "RedisRateLimit",
    "RequestOptions",
    "Response",
    "ResponseDecodingError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RetryStrategy",
    "SecurityScheme",
    "SequenceNotStr",
    "ServerSentEvent",
    "ServerVariable",
    "Stream",
    "StreamedResponse",
    "SyncAPIClient",
    "SyncPage",
    "SyncResource",
    "TimeoutOption",
    "Token",
    "TokenStore",
    "UnprocessableEntityError",
    "Webhook",
    "WebhookVerificationError",
    "__version__",
    "cache_status",
    "deprecated",
    "discriminator",
    "enable_logging",
    "later",
    "may_resend",
    "omit",
    "part_attribute",
    "part_method",
    "provider_retry",
    "raw_async_page",
    "raw_page",
    "request_options",
    "streaming_async_page",
    "streaming_page",
    "verify_hmac",
    "verify_standard_webhook",
    "verify_stripe",
    "webhooks",
    "with_raw_response",
    "with_raw_response_async",
    "with_streaming_response",
    "with_streaming_response_async",
]


# Show the public classes as living here, like httpx does (`_public.py`); the modules loaded
# on first use publish theirs when they are imported.
_publish([n for n in __all__ if n in globals()], globals(), __name__)
