"""Reading responses: pick the declared response by status, parse leniently, or raise; and the
typed ways to get more than the parsed value: ``with_raw_response`` (status and headers),
``with_streaming_response`` (an unread body, e.g. a download) and event streams (SSE).

The wrappers set a context variable that the client's ``request`` reads (and clears) at the
start of the call, so generated methods stay one line and the flow stays the one request path.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import functools
import inspect
import json
import os
import sys
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Collection,
    Coroutine,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from contextvars import ContextVar
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Generic,
    Literal,
    ParamSpec,
    Protocol,
    TypeAlias,
    TypeVar,
    cast,
    get_args,
    overload,
)

import httpx
import pydantic

from ._body import is_json
from ._build import header_triples, marking
from ._errors import (
    REQUEST_ID_HEADERS,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    make_status_error,
    package_error,
    request_id_of,
)
from ._limits import guard_async, guard_sync, stream_error
from ._logging import REDACTED, SENSITIVE_HEADERS, SENSITIVE_QUERY, logger
from ._operation import Operation, Response, success_responses
from ._plan import plan
from ._record import FrozenStruct
from ._types import RequestOptions

if TYPE_CHECKING:  # event streams are imported by the call that reads one
    from ._models import Model
    from ._sse import AsyncStream, Stream

__all__ = [
    "AsyncStreamedResponse",
    "RawResponse",
    "StreamedResponse",
    "error_for",
    "finish",
    "open_async",
    "open_sync",
    "parse_success",
    "pick_response",
    "scrub",
    "sse_options",
    "take_mode",
    "with_raw_response",
    "with_streaming_response",
]

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C", bytes, str)  # a streamed body's chunks
P = ParamSpec("P")
E = TypeVar("E", bound=APIError)
# "page": the parsed result and its response (pagination reads the headers), parsed inside the
# flow as a plain call is (a parse error reaches `Hooks.on_error`)
Mode: TypeAlias = Literal["raw", "stream", "page"] | None
_MODE: ContextVar[Mode] = ContextVar("apigen_runtime_response_mode", default=None)


def pick_response(responses: Mapping[str, Response], status: int) -> Response | None:
    """Exact code, then the ``2XX``-style range, then ``default``."""
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in responses:
            return responses[key]
    return None


def _pick(op: Operation[Any], status: int) -> Response | None:
    """``pick_response`` for ``op``, remembered per status code."""
    by_status = plan(op).by_status
    try:
        return by_status[status]
    except KeyError:
        found = by_status[status] = pick_response(op.responses, status)
        return found


def _undeclared(op: Operation[Any], status: int, picked: Response | None) -> Response | None:
    """The one success ``op`` declares, for a 2xx it does not list (200 where it says 201;
    picked as nothing, or as ``default``, its error): the method's return type. A raw dict
    typed as the model failed far away at ``created.user``, strict validation or not. None
    when the status is listed, or several successes with content are declared (which one is
    unsaid).
    Remembered per status (under its negative, beside ``_pick``'s)."""
    by_status = plan(op).by_status
    try:
        return by_status[-status]
    except KeyError:
        pass
    declared = [(code, r) for code, r in success_responses(op.responses) if code != "default"]
    listed = {code.upper() for code, _ in declared} & {str(status), f"{status // 100}XX"}
    # a success without content (`202` beside `201: Pet`) says nothing of a body's type
    # (none with content: the first declared, as before; `default`'s error model read a 200
    # of an operation declaring only `204` (or `202` and `204`) as the error: two reviews)
    bodies = [r for _, r in declared if r.kind != "empty"] or [r for _, r in declared][:1]
    found = None
    if not listed and len(bodies) == 1 and bodies[0] is not picked:
        found = bodies[0]
    by_status[-status] = found
    return found


def parse_success(op: Operation[Any], response: httpx.Response) -> Any:
    spec = _pick(op, response.status_code)
    kind = spec.kind if spec else _guess_kind(response)
    if spec is not None and spec.type_ is httpx.Response:
        return response  # `client.get(path, cast_to=httpx.Response)`, a 204 too (a review)
    if kind == "empty" or response.status_code == 204:
        return None
    if kind == "text":
        return _text(response)
    if kind == "binary":
        return response.content
    if not response.content:
        return _empty(op, spec, response)
    if spec is None or spec.kind == "json":
        # (a JSON body only: an empty or a text answer the spec did not list stays as before)
        spec = _undeclared(op, response.status_code, spec) or spec
    if spec is not None and _text_type(spec.type_):
        media = response.headers.get("content-type", "")
        if media and not is_json(media):
            # a JSON string declared, text sent and labelled so (OpenAI's file content: every
            # call raised "Expected a JSON body", the bytes only in the error): the text is
            # the string, or the string it spells (`"quoted"`)
            return _text(response, as_json=True)
    return validate_json(op, spec, response.content, response)


def _text_type(type_: Any) -> bool:
    """``str``, or ``str | None``."""
    return type_ is str or (type_ != Any and set(get_args(type_)) == {str, type(None)})


def _text(response: httpx.Response, *, as_json: bool = False) -> str:
    """The body as text; one the server sent as a JSON string (`"abc"`, `Content-Type:
    application/json`: a `*/*` answer; any label with `as_json`) is that string, not its
    quotes."""
    text = response.text
    media = response.headers.get("content-type", "")
    if text.startswith('"') and (as_json or is_json(media)):
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    return text


def _empty(op: Operation[Any], spec: Response | None, response: httpx.Response) -> None:
    """A success without a body: ``None`` when nothing (or ``Any``, or an optional type) was
    declared, or for ``HEAD``; otherwise the spec promised a value: ``APIResponseValidationError``
    (as openai-python and stripe-python fail on an empty JSON body, never a silent ``None``)."""
    if spec is None or spec.type_ is Any or response.request.method == "HEAD":
        return None
    try:
        spec.adapter().validate_python(None)
    except pydantic.ValidationError:
        request = response.request
        raise APIResponseValidationError(
            f"{op.operation_id or op.path}: the {response.status_code} response body was empty, "
            f"but the spec declares a JSON body ({request.method} {request.url.path})",
            response=response,
            body=None,
        ) from None
    return None


@functools.cache
def _models() -> tuple[type[Model], Callable[[Any, Any], Any]]:
    """``Model`` and ``construct``, imported with the first model parsed (import time stays
    low); an import statement per call costs ~1 µs."""
    from ._models import Model, construct

    return Model, construct


STRICT_EXTENSION = "apigen_strict_responses"  # request extension: a mismatch raises


def strict_responses(build_request: Callable[..., httpx.Request]) -> Callable[..., httpx.Request]:
    """``build_request`` marking each request so its JSON answer is validated strictly (the
    client's ``strict_response_validation``): parsing reads the mark off ``response.request``."""
    return marking(build_request, STRICT_EXTENSION, True)


def _strict(response: httpx.Response) -> bool:
    try:
        return response.request.extensions.get(STRICT_EXTENSION) is True
    except RuntimeError:  # a response built without a request (tests, hooks)
        return False


def validate_json(
    op: Operation[Any], spec: Response | None, content: bytes | str, response: httpx.Response
) -> Any:
    """JSON ``content`` validated into the declared type; on a mismatch, returned unvalidated
    with a warning, or, for a client with ``strict_response_validation``, an
    ``APIResponseValidationError``."""
    if spec is None or spec.type_ is Any:
        return _json(content, response)
    adapter = spec.adapter()
    try:
        return adapter.validate_json(content, by_name=False)  # wire names only
    except RecursionError:
        raise _too_deep(response) from None
    except pydantic.ValidationError as exc:
        data = _json(content, response)  # raises if the body is not JSON at all
        failed = exc
    if _unparsed(failed):
        # JSON that `json` reads and pydantic's parser refuses (a UTF-8 byte order mark, UTF-16,
        # a lone surrogate escape) is no spec mismatch: validated again as text, as JSON still,
        # or, where the parser refuses that too, as the parsed data (helper 209)
        try:
            try:
                return adapter.validate_json(_as_text(content), by_name=False)
            except pydantic.ValidationError as exc:
                if not _unparsed(exc):
                    raise
            return adapter.validate_python(data, by_name=False)
        except RecursionError:
            raise _too_deep(response) from None
        except pydantic.ValidationError as exc:
            failed = exc
    return _mismatch(op, spec, failed, data, response)


def _unparsed(exc: pydantic.ValidationError) -> bool:
    return exc.errors(include_url=False, include_input=False)[0]["type"] == "json_invalid"


def _as_text(content: bytes | str) -> str:
    """JSON text decoded as `json.loads` reads it (RFC 8259 §8.1: UTF-8, -16 or -32), without
    a byte order mark."""
    if isinstance(content, bytes):
        content = content.decode(json.detect_encoding(content), "surrogatepass")
    return content.removeprefix("\ufeff")


def _mismatch(
    op: Operation[Any],
    spec: Response,
    exc: pydantic.ValidationError,
    data: Any,
    response: httpx.Response,
) -> Any:
    """A body that does not match the declared type: unvalidated with a warning, or raised
    for a client with ``strict_response_validation``."""
    first = exc.errors(include_url=False, include_input=False, include_context=False)[0]
    where = ".".join(map(str, first["loc"])) or "<root>"
    if _strict(response):
        request = response.request
        raise APIResponseValidationError(
            f"{op.operation_id or op.path}: the response body does not match the spec "
            f"({exc.error_count()} errors, first at {where}: {first['msg']}) from "
            f"{request.method} {request.url.path}",
            response=response,
            body=data,
        ) from exc
    logger.warning(
        "%s: response body does not match the spec (%d errors, first at %s: %s); "
        "returning it unvalidated",
        op.operation_id or op.path,
        exc.error_count(),
        where,
        first["msg"],
    )
    return _models()[1](spec.type_, data)


def error_for(
    op: Operation[Any],
    response: httpx.Response,
    secret_headers: Collection[str] = (),
    secret_query: Collection[str] = (),
) -> APIStatusError:
    """The status error with ``.body`` parsed into the declared error type when possible, and
    any credential the request carried that the server echoed blanked out: the client's own
    key names (``secret_headers``, ``secret_query``: OpenWeatherMap's ``appid``) as well."""
    body: Any = None
    spec = pick_response(op.responses, response.status_code)
    if response.content and spec is not None and spec.kind == "text":
        body = response.text  # a `text/plain` error of `1234` or `null` is that text (helper 209)
    elif response.content:
        try:
            body = response.json()
        except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
            body = response.text
    if body is not None and spec is not None and spec.kind == "json" and spec.type_ is not Any:
        # On mismatch keep the raw JSON: an unexpected error body is still informative.
        with contextlib.suppress(pydantic.ValidationError):
            body = spec.adapter().validate_python(body, by_name=False)
    hidden = _request_secrets(response.request, secret_headers, secret_query)
    return scrub(make_status_error(response, body), hidden)


def scrub(error: E, hidden: Iterable[str]) -> E:
    """Blank out any of the ``hidden`` secrets that a server echoed into the error message."""
    message = error.message
    for secret in sorted({h for h in hidden if len(h) >= 6}, key=len, reverse=True):
        message = message.replace(secret, REDACTED)
    if message != error.message:
        error.message = message
        error.args = (message,)
    return error


def _request_secrets(
    request: httpx.Request, headers: Collection[str] = (), query: Collection[str] = ()
) -> list[str]:
    """Credential values a request carries: auth-like headers, cookies and query parameters,
    and those named ``headers`` and ``query`` (the client's API keys, whatever their names)."""
    found: list[str] = []
    extra_headers = {h.lower() for h in headers}
    extra_query = {q.lower() for q in query}
    for name, value in request.headers.multi_items():
        lower = name.lower()
        if (
            lower in SENSITIVE_HEADERS
            or lower in extra_headers
            or any(w in lower for w in ("key", "token", "secret", "auth"))
        ):
            found += [value, *value.split(" ", 1)[1:]]
            if value.lower().startswith("basic "):
                with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                    found += base64.b64decode(value[6:]).decode().split(":", 1)
        if lower == "cookie":
            found += [part.partition("=")[2].strip() for part in value.split(";")]
    for name, value in request.url.params.multi_items():
        lower = name.lower()
        if (
            lower in SENSITIVE_QUERY
            or lower in extra_query
            or any(w in lower for w in ("key", "token", "secret", "sig"))
        ):
            found.append(value)
    return found


def _guess_kind(response: httpx.Response) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not response.content:
        return "empty"
    if content_type.endswith(("/json", "+json")):
        return "json"
    return "text" if content_type.startswith("text/") else "binary"


def _json(content: bytes | str, response: httpx.Response) -> Any:
    try:
        return json.loads(content)
    except RecursionError:
        raise _too_deep(response) from None
    except ValueError as exc:
        raise APIResponseValidationError(
            f"Expected a JSON body from {response.request.method} {response.request.url.path}",
            response=response,
            # the content itself: an event stream's response body is never read into memory
            body=content if isinstance(content, str) else content.decode("utf-8", "replace"),
        ) from exc


def _too_deep(response: httpx.Response) -> APIResponseValidationError:
    request = response.request
    return APIResponseValidationError(
        f"JSON body from {request.method} {request.url.path} is nested too deeply to parse",
        response=response,
    )


# --- raw, streamed and event-stream responses ---------------------------------------------------


class _ResponseView:
    """What a raw and a streamed response tell about the exchange, each its ``http_response``'s
    (the properties openai-python's responses offer)."""

    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def cache_status(self) -> str | None:
        """`hit`, `revalidated`, `miss` or `bypass` with a response cache (`Client(cache=)`);
        `None` without one."""
        value = self.http_response.extensions.get("apigen.cache")
        return value if isinstance(value, str) else None

    @property
    def retries_taken(self) -> int:
        """How many times the request was retried before this response (0: first attempt)."""
        taken = self.http_response.request.extensions.get("apigen_retries_taken", 0)
        return taken if isinstance(taken, int) else 0

    @property
    def request_id(self) -> str | None:
        """The server's id for the request (`request-id`, `x-request-id`...), for support."""
        return request_id_of(self.headers)

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """From sending the request to the end of the response (httpx's; of a streamed one, once
        its body is read or it is closed)."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}]>"


class RawResponse(_ResponseView, Generic[T]):
    """A call's HTTP status and headers; ``parse()`` returns what the method itself returns."""

    def __init__(self, http_response: httpx.Response, parse: Callable[[], T]) -> None:
        self.http_response = http_response
        self._parse = functools.cache(parse)
        # the generated package's error classes (`adopt_errors`): what `parse()` raises
        self._errors: Mapping[type[APIError], type[APIError]] = {}

    @property
    def content(self) -> bytes:
        """The body's bytes (of a streamed call: once read, `httpx.ResponseNotRead` before)."""
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        """The body as JSON, unvalidated (`parse()` gives the declared type)."""
        return self.http_response.json()

    @overload
    def parse(self) -> T: ...
    @overload
    def parse(self, *, to: type[R]) -> R: ...
    def parse(self, *, to: type[Any] | None = None) -> Any:
        """What the method returns; ``to=``: the body read as that type instead (a model,
        ``dict``, ``str``, ``bytes`` or ``httpx.Response``), e.g. for an undocumented field."""
        try:
            return adopt_errors(self._parse_as(to), self._errors)
        except APIError as exc:
            raise package_error(exc, self._errors) from exc.__cause__

    def _parse_as(self, to: type[Any] | None) -> Any:
        if to is None:
            return self._parse()
        if to is httpx.Response:
            return self.http_response
        if to is bytes:
            return self.http_response.content
        if to is str:
            return self.http_response.text
        from ._models import _adapter  # pyright: ignore[reportPrivateUsage]

        try:
            data = self.http_response.json()
            # (the adapter kept per type: building one took ~3.5 ms a call)
            return _adapter(to).validate_python(data, by_name=False)
        except (ValueError, pydantic.ValidationError) as exc:
            raise APIResponseValidationError(
                f"Response body is not a valid {getattr(to, '__name__', to)}: {exc}",
                response=self.http_response,
            ) from exc


class _StreamedBase(_ResponseView, Generic[T]):
    def __init__(self, op: Operation[Any], http_response: httpx.Response) -> None:
        self._op = op
        self.http_response = http_response
        self._errors: Mapping[type[APIError], type[APIError]] = {}  # (`adopt_errors`)


class StreamedResponse(_StreamedBase[T]):
    """A successful response whose body is not read yet; closed when its ``with`` block ends."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self._guarded(self.http_response.iter_bytes(chunk_size))

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        """The body decoded (the response's charset, else detected) chunk by chunk."""
        return self._guarded(self.http_response.iter_text(chunk_size))

    def iter_lines(self) -> Iterator[str]:
        """The body decoded, line by line (without line endings)."""
        return self._guarded(self.http_response.iter_lines())

    def read(self) -> bytes:
        """The whole body (read once; then `text()`, `json()` and `parse()` use it)."""
        try:
            self.http_response.read()
        except httpx.HTTPError as exc:
            raise package_error(stream_error(self.http_response, exc), self._errors) from exc
        return self.http_response.content

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        """The body as JSON, unvalidated (`parse()` gives the declared type)."""
        self.read()
        return self.http_response.json()

    def _guarded(self, chunks: Iterator[C]) -> Iterator[C]:
        guarded = guard_sync(self.http_response, chunks)
        return _reclassed(guarded, self._errors) if self._errors else guarded

    def write_to(self, file: str | os.PathLike[str] | IO[bytes], chunk_size: int = 65536) -> int:
        """Copy the body to a path or binary file chunk by chunk; returns the bytes written."""
        if isinstance(file, str | os.PathLike):
            with open(file, "wb") as out:
                return self.write_to(out, chunk_size)
        written = 0
        for chunk in self.iter_bytes(chunk_size):
            file.write(chunk)
            written += len(chunk)
        return written

    def parse(self) -> T:
        """Read the whole body and return what the method returns (a stream stays lazy)."""
        try:
            return adopt_errors(self._parse(), self._errors)
        except APIError as exc:
            raise package_error(exc, self._errors) from exc.__cause__

    def _parse(self) -> T:
        if is_stream(self._op):
            result: T = record_stream(self._op, self.http_response, asynchronous=False)
            return result
        try:
            self.http_response.read()
        except httpx.HTTPError as exc:
            raise stream_error(self.http_response, exc) from exc
        return parse_success(self._op, self.http_response)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedResponse(_StreamedBase[T]):
    """Async ``StreamedResponse``: ``aiter_bytes``, ``await write_to(...)``, ``await parse()``."""

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self._guarded(self.http_response.aiter_bytes(chunk_size))

    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body decoded (the response's charset, else detected) chunk by chunk."""
        return self._guarded(self.http_response.aiter_text(chunk_size))

    def aiter_lines(self) -> AsyncIterator[str]:
        """The body decoded, line by line (without line endings)."""
        return self._guarded(self.http_response.aiter_lines())

    async def read(self) -> bytes:
        """The whole body (read once; then `text()`, `json()` and `parse()` use it)."""
        try:
            await self.http_response.aread()
        except httpx.HTTPError as exc:
            raise package_error(stream_error(self.http_response, exc), self._errors) from exc
        return self.http_response.content

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        """The body as JSON, unvalidated (`parse()` gives the declared type)."""
        await self.read()
        return self.http_response.json()

    def _guarded(self, chunks: AsyncIterator[C]) -> AsyncIterator[C]:
        guarded = guard_async(self.http_response, chunks)
        return _areclassed(guarded, self._errors) if self._errors else guarded

    async def write_to(
        self, file: str | os.PathLike[str] | IO[bytes], chunk_size: int = 65536
    ) -> int:
        """Copy the body to a path or binary file chunk by chunk; returns the bytes written."""
        if isinstance(file, str | os.PathLike):
            with open(file, "wb") as out:  # blocking, like any local file write
                return await self.write_to(out, chunk_size)
        written = 0
        async for chunk in self.aiter_bytes(chunk_size):
            file.write(chunk)
            written += len(chunk)
        return written

    async def parse(self) -> T:
        try:
            return adopt_errors(await self._parse(), self._errors)
        except APIError as exc:
            raise package_error(exc, self._errors) from exc.__cause__

    async def _parse(self) -> T:
        if is_stream(self._op):
            result: T = record_stream(self._op, self.http_response, asynchronous=True)
            return result
        try:
            await self.http_response.aread()
        except httpx.HTTPError as exc:
            raise stream_error(self.http_response, exc) from exc
        return parse_success(self._op, self.http_response)  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.http_response.aclose()

    aclose = close  # httpx's name


def adopt_errors(result: R, errors: Mapping[type[APIError], type[APIError]]) -> R:
    """``result`` (a call's raw, streamed or record-stream response) raising the generated
    package's error classes from now on: what its ``parse()``, byte iterators and records
    raise (``except stripe.APIError`` missed a bad body read through ``with_raw_response``)."""
    if not errors:
        return result
    target: object = result
    if isinstance(target, RawResponse | _StreamedBase):
        cast("_Adopting", target)._errors = errors  # pyright: ignore[reportPrivateUsage]
    elif __name__.rpartition(".")[0] + "._sse" in sys.modules:  # else no stream was opened
        from ._sse import AsyncStream, Stream

        if isinstance(target, Stream | AsyncStream):
            cast("_Adopting", target)._errors = errors  # pyright: ignore[reportPrivateUsage]
    return result


class _Adopting(Protocol):
    _errors: Mapping[type[APIError], type[APIError]]


def _reclassed(chunks: Iterator[C], errors: Mapping[type[APIError], type[APIError]]) -> Iterator[C]:
    try:
        yield from chunks
    except APIError as exc:
        raise package_error(exc, errors) from exc.__cause__


async def _areclassed(
    chunks: AsyncIterator[C], errors: Mapping[type[APIError], type[APIError]]
) -> AsyncIterator[C]:
    try:
        async for chunk in chunks:
            yield chunk
    except APIError as exc:
        raise package_error(exc, errors) from exc.__cause__


def is_stream(op: Operation[Any]) -> bool:
    """Whether ``op``'s 2xx body is a stream of records (events or JSON lines)."""
    return plan(op).stream is not None


def record_stream(op: Operation[Any], response: httpx.Response, asynchronous: bool) -> Any:
    """A (sync or async) stream converting each record into the declared type. Of an event
    stream: ``str`` keeps an event's data as is, ``ServerSentEvent`` the whole event, anything
    else reads the data as JSON; of JSON lines, each line (record) is read as JSON."""
    from ._sse import AsyncStream, ServerSentEvent, Stream

    cls: type[Stream[Any]] | type[AsyncStream[Any]] = AsyncStream if asynchronous else Stream
    spec = _pick(op, response.status_code)
    # a 2xx the spec does not list (201 where it says 200): its one stream, not `default`'s
    # error model (each event read as the error: helper 212)
    spec = _undeclared(op, response.status_code, spec) or spec
    type_ = spec.type_ if spec else Any
    lines = plan(op).stream == "jsonl"
    if type_ is ServerSentEvent and not lines:
        return cls(response, lambda event: event, False)
    if type_ is str and not lines:
        return cls(response, lambda event: event.data, False)
    own_error = _declares_error(type_)

    def convert(record: ServerSentEvent) -> Any:
        if not own_error and _reports_error(record.data):
            raise APIStreamError(record, request=response.request, response=response)
        return validate_json(op, spec, record.data, response)

    if lines:
        return cls(response, convert, False, lines=True)
    # an event whose data is empty holds no JSON document: a keep-alive, skipped as a comment
    # is (a server's `event: ping` + `data:`; the stream died at the first one)
    return cls(response, convert, True, skip_empty=True)


def _reports_error(data: str) -> bool:
    """Whether a record is the stream's failure sent as data, ``{"error": {...}}`` without
    ``event: error`` (OpenAI's mid-stream errors, Ollama's JSON lines): read as the declared
    record type it held no field, and the caller's ``chunk.choices[0]`` failed far away."""
    if '"error"' not in data:  # most records: no parse
        return False
    try:
        parsed = json.loads(data)
    except ValueError:
        return False
    return isinstance(parsed, dict) and bool(cast("dict[str, object]", parsed).get("error"))


def _declares_error(type_: Any) -> bool:
    """Whether the declared record type has an ``error`` property of its own (a model or a
    member of a union): then a record holding one is data, not the stream's failure."""
    if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
        return any((f.alias or name) == "error" for name, f in type_.model_fields.items())
    return any(_declares_error(arg) for arg in get_args(type_))


class _Opened(FrozenStruct):
    """What the flow returns for a body left unread; the sync/async caller wraps it."""

    __slots__ = ("mode", "op", "response")
    __match_args__ = ("op", "response", "mode")
    op: Operation[Any]
    response: httpx.Response
    mode: Mode

    def __init__(self, op: Operation[Any], response: httpx.Response, mode: Mode) -> None:
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "response", response)
        object.__setattr__(self, "mode", mode)


# What a JSON Lines operation accepts: the names the format goes by (its declared media type is
# one of them; the generated operation does not carry it).
JSON_LINES_ACCEPT = (
    "application/x-ndjson, application/jsonl, application/json-seq, application/stream+json, "
    "application/x-jsonlines, application/ndjson, application/jsonlines, application/json-lines, "
    "application/x-json-stream"
)


def sse_options(options: RequestOptions | None) -> RequestOptions:
    """``options`` plus ``Accept: text/event-stream`` (a caller's own Accept header wins)."""
    return _with_accept(options, "text/event-stream")


def stream_options(op: Operation[Any], options: RequestOptions | None) -> RequestOptions:
    """``options`` plus the ``Accept`` header of ``op``'s stream (a caller's own one wins)."""
    if plan(op).stream == "jsonl":
        return _with_accept(options, JSON_LINES_ACCEPT)
    return sse_options(options)


def _with_accept(options: RequestOptions | None, accept: str) -> RequestOptions:
    options = options or {}
    headers = {"Accept": accept, **(options.get("extra_headers") or {})}
    return {**options, "extra_headers": headers}


def take_mode() -> Mode:
    """The response mode the caller asked for, cleared so nested requests are not affected."""
    mode = _MODE.get()
    if mode is not None:
        _MODE.set(None)
    return mode


def streams(op: Operation[Any], mode: Mode) -> bool:
    """Whether to leave the success body unread (``Send(stream=...)``)."""
    return mode == "stream" or is_stream(op)


def finish(op: Operation[Any], response: httpx.Response, mode: Mode) -> Any:
    """The flow's result for a 2xx ``response``."""
    if mode == "stream" or plan(op).stream is not None:  # ``streams(op, mode)``
        return _Opened(op, response, mode)
    if mode == "raw":
        return RawResponse(response, functools.partial(_parse_with_id, op, response))
    if mode == "page":
        return _parse_with_id(op, response), response
    return _parse_with_id(op, response)


def _parse_with_id(op: Operation[Any], response: httpx.Response) -> Any:
    return with_request_id(parse_success(op, response), response)


_REQUEST_ID_NAMES = tuple(name.encode() for name in REQUEST_ID_HEADERS)  # in that order


def with_request_id(result: T, response: httpx.Response) -> T:
    """``result``, a parsed model, carrying the response's request id as ``_request_id``."""
    if isinstance(result, _models()[0]):
        # one pass over the raw headers (a ``headers.get`` per name scans them all each time)
        found: dict[bytes, list[bytes]] | None = None
        for _, lower, value in header_triples(response.headers):
            if lower in _REQUEST_ID_NAMES:
                found = found or {}
                found.setdefault(lower, []).append(value)
        if found is not None:
            joined = (b", ".join(found.get(n, ())) for n in _REQUEST_ID_NAMES)  # as headers.get
            first = next((i for i in joined if i), None)
            if first is not None:  # else the default, None, stays (setting it costs ~2 us)
                # a private attribute of Model, never part of model_dump(): set by the runtime
                result._request_id = first.decode(response.headers.encoding)  # pyright: ignore[reportPrivateUsage]
    return result


def open_sync(result: Any) -> Any:
    if not isinstance(result, _Opened):
        return result
    if result.mode == "stream":
        return StreamedResponse[Any](result.op, result.response)
    stream = record_stream(result.op, result.response, asynchronous=False)
    return RawResponse(result.response, lambda: stream) if result.mode == "raw" else stream


def open_async(result: Any) -> Any:
    if not isinstance(result, _Opened):
        return result
    if result.mode == "stream":
        return AsyncStreamedResponse[Any](result.op, result.response)
    stream = record_stream(result.op, result.response, asynchronous=True)
    return RawResponse(result.response, lambda: stream) if result.mode == "raw" else stream


def _expect(result: Any, cls: type[Any], method: Callable[..., Any]) -> Any:
    if not isinstance(result, cls):
        name = getattr(method, "__qualname__", repr(method))
        raise TypeError(
            f"{name} did not return a single response (an async list method's first page: "
            "`await client.<resource>.with_raw_response.<method>(...)`)"
        )
    return result


def _first_page(result: object) -> Any:
    """``result`` when it is a sync list method's first page (already fetched), else None."""
    pagination = sys.modules.get(f"{__package__}._pagination")
    page_class = getattr(pagination, "SyncPage", None) if pagination is not None else None
    return result if page_class is not None and isinstance(result, page_class) else None


def _is_async(method: Callable[..., Any]) -> bool:
    """Whether calling ``method`` gives a coroutine, seen through decorators: on Python 3.11,
    ``typing_extensions.deprecated`` wraps an ``async def`` (a deprecated operation's method)
    in a plain function, which ``inspect.iscoroutinefunction`` alone reads as sync."""
    return inspect.iscoroutinefunction(method) or inspect.iscoroutinefunction(
        inspect.unwrap(method)
    )


@overload  # async methods first: a coroutine function is also a Callable[P, R]
def with_raw_response(  # type: ignore[overload-overlap]
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[R]]]: ...
@overload
def with_raw_response(method: Callable[P, R]) -> Callable[P, RawResponse[R]]: ...
def with_raw_response(method: Callable[P, Any]) -> Callable[P, Any]:
    """``with_raw_response(client.pets.get)(pet_id=1)``: the same call, returning a
    ``RawResponse`` with ``status_code``, ``headers`` and ``parse()``. Errors still raise."""
    if _is_async(method):
        return with_raw_response_async(method)

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> Any:
        token = _MODE.set("raw")
        try:
            result = method(*args, **kwargs)
        finally:
            _MODE.reset(token)
        page = _first_page(result)
        if page is not None:  # a list method: its first page's, as `x.with_raw_response.list()`
            from ._resource import raw_page

            return raw_page(lambda: page)()
        return _expect(result, RawResponse, method)

    return call


def _check_async(method: Callable[..., Any], helper: str) -> None:
    """Refused when wrapped, not after the call it would have sent (a sync method's)."""
    if not _is_async(method):
        name = getattr(method, "__qualname__", repr(method))
        raise TypeError(f"{helper}() takes an async method; {name} is not one")


def with_raw_response_async(
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, RawResponse[R]]]:
    """``with_raw_response`` of an async method, with one signature: through the overloads
    of ``with_raw_response``, mypy lost an overloaded async method (``stream=True``) whose
    parameters mention ``Any`` and typed the wrapper ``function``."""
    _check_async(method, "with_raw_response_async")

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
        token = _MODE.set("raw")
        try:
            result: Any = await method(*args, **kwargs)
        finally:
            _MODE.reset(token)
        return cast("RawResponse[R]", _expect(result, RawResponse, method))

    return call


@overload  # async methods first: a coroutine function is also a Callable[P, R]
def with_streaming_response(  # type: ignore[overload-overlap]
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, AbstractAsyncContextManager[AsyncStreamedResponse[R]]]: ...
@overload
def with_streaming_response(
    method: Callable[P, R],
) -> Callable[P, AbstractContextManager[StreamedResponse[R]]]: ...
def with_streaming_response(method: Callable[P, Any]) -> Callable[P, Any]:
    """``with with_streaming_response(client.files.download)(id=...) as r: r.write_to(path)``:
    the body is not read into memory; the response is closed when the block ends."""
    if _is_async(method):
        return with_streaming_response_async(method)

    @contextlib.contextmanager
    def open_stream(
        *args: P.args, **kwargs: P.kwargs
    ) -> Generator[StreamedResponse[Any], None, None]:
        token = _MODE.set("stream")
        try:
            result = method(*args, **kwargs)
        finally:
            _MODE.reset(token)
        page = _first_page(result)
        if page is not None:  # a list method (its page is read), as `.with_streaming_response`
            from ._resource import streaming_page

            with streaming_page(lambda: page)() as streamed:
                yield streamed
            return
        response = _expect(result, StreamedResponse, method)
        try:
            yield response
        finally:
            response.close()

    return open_stream


def with_streaming_response_async(
    method: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, AbstractAsyncContextManager[AsyncStreamedResponse[R]]]:
    """``with_streaming_response`` of an async method, with one signature (as
    ``with_raw_response_async``)."""
    _check_async(method, "with_streaming_response_async")

    @contextlib.asynccontextmanager
    async def open_stream_async(
        *args: P.args, **kwargs: P.kwargs
    ) -> AsyncGenerator[AsyncStreamedResponse[R], None]:
        token = _MODE.set("stream")
        try:
            result: Any = await method(*args, **kwargs)
            response = cast(
                "AsyncStreamedResponse[R]", _expect(result, AsyncStreamedResponse, method)
            )
        finally:
            _MODE.reset(token)
        try:
            yield response
        finally:
            await response.close()

    return open_stream_async
