"""Runtime support for apigen-generated API clients: request building, auth, retries, errors."""

from ._auth import (
    ApiKey,
    HTTPBasic,
    HTTPBearer,
    OAuth2AuthorizationCode,
    OAuth2ClientCredentials,
    SecurityScheme,
)
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
    RateLimitError,
    UnprocessableEntityError,
)
from ._models import Model, discriminator
from ._operation import Body, Encoding, Operation, Param, Response
from ._types import NOT_GIVEN, FileInput, NotGiven, RequestOptions
from ._version import __version__

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ApiKey",
    "AsyncAPIClient",
    "AsyncResource",
    "AuthenticationError",
    "BadRequestError",
    "Body",
    "ConflictError",
    "Encoding",
    "FileInput",
    "HTTPBasic",
    "HTTPBearer",
    "InternalServerError",
    "MissingCredentialsError",
    "Model",
    "NotFoundError",
    "NotGiven",
    "OAuth2AuthorizationCode",
    "OAuth2ClientCredentials",
    "Operation",
    "Param",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "Response",
    "SecurityScheme",
    "SyncAPIClient",
    "SyncResource",
    "UnprocessableEntityError",
    "__version__",
    "discriminator",
]

# Show the public names as living here, like httpx does.
for _name in __all__:
    _obj = globals()[_name]
    if (
        isinstance(_obj, type)
        and _obj is not Model
        and _obj.__module__.startswith("apigen_runtime._")
    ):
        _obj.__module__ = "apigen_runtime"
del _name, _obj
