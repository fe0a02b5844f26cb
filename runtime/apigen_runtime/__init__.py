"""Runtime support for apigen-generated API clients: request building, auth, retries, errors."""

from . import webhooks
from ._auth import ApiKey, HTTPBasic, HTTPBearer, InsecureTransportError, SecurityScheme
from ._circuit import CircuitBreaker, CircuitOpenError
from ._client import AsyncAPIClient, AsyncResource, SyncAPIClient, SyncResource
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitBackendError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._hooks import Hooks
from ._limits import DEFAULT_MAX_RESPONSE_BYTES, ResponseDecodingError, ResponseTooLargeError
from ._logging import JSONFormatter, enable_logging
from ._lro import (
    LongRunning,
    LongRunningCancelledError,
    LongRunningTimeoutError,
    OperationFailedError,
)
from ._models import Model, discriminator
from ._oauth import (
    AsyncOAuth,
    AuthorizationRequest,
    InMemoryTokenStore,
    JSONFileTokenStore,
    OAuth,
    OAuth2AuthorizationCode,
    OAuth2ClientCredentials,
    OAuthError,
    Token,
    TokenStore,
)
from ._operation import Body, Encoding, LazyResponses, Operation, Param, Response
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
    PaginationLoopError,
    SyncPage,
)
from ._ratelimit import RateLimit, RateLimitBackend
from ._ratelimit_redis import RedisRateLimit
from ._resource import raw_async_page, raw_page, streaming_async_page, streaming_page
from ._response import (
    AsyncStreamedResponse,
    RawResponse,
    StreamedResponse,
    with_raw_response,
    with_streaming_response,
)
from ._retry import RetryPolicy, RetryStrategy, may_resend
from ._sse import APIStreamError, AsyncStream, ServerSentEvent, Stream
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
    TimeoutOption,
    omit,
    request_options,
)
from ._version import __version__
from ._webhooks import WebhookVerificationError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
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
    "CircuitBreaker",
    "CircuitOpenError",
    "ConflictError",
    "CursorPagination",
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
    "RedisRateLimit",
    "RequestOptions",
    "Response",
    "ResponseDecodingError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RetryStrategy",
    "SecurityScheme",
    "ServerSentEvent",
    "Stream",
    "StreamedResponse",
    "SyncAPIClient",
    "SyncPage",
    "SyncResource",
    "TimeoutOption",
    "Token",
    "TokenStore",
    "UnprocessableEntityError",
    "WebhookVerificationError",
    "__version__",
    "discriminator",
    "enable_logging",
    "may_resend",
    "omit",
    "raw_async_page",
    "raw_page",
    "request_options",
    "streaming_async_page",
    "streaming_page",
    "webhooks",
    "with_raw_response",
    "with_streaming_response",
]


def _relocate() -> None:
    """Show the public names as living here, like httpx does."""
    for name in __all__:
        obj = globals()[name]
        if (
            isinstance(obj, type)
            and obj is not Model
            and obj.__module__.startswith(__name__ + "._")
        ):
            obj.__module__ = __name__  # "apigen_runtime", or "<package>._runtime" when vendored


_relocate()
del _relocate
