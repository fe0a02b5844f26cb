"""Bounds on what a response may cost: its decoded size, and well-formed encoding.

A request built for a body the runtime reads into memory carries ``MAX_BYTES_EXTENSION`` (the
limit in bytes). An httpx response event hook, installed once per ``httpx`` client, wraps the
body stream of such responses: each raw chunk is first decompressed here, into bounded pieces
that are counted and dropped, and only handed on to httpx's own decoder once the total stays
within the limit. A 2 MB gzip that inflates to 2 GB fails after reading about the limit, with
``ResponseTooLargeError``; a corrupt gzip/deflate body fails with ``ResponseDecodingError``
(both ``APIError``s) instead of ``httpx.DecodingError``. Bodies left unread for the caller
(``with_streaming_response``, event streams) carry no limit; an error answered to such a call
is read into memory, so it does.

Header values are checked before anything is sent: a control character (CR, LF, NUL; TAB
is allowed) or non-ASCII in a header (a
pasted API key with a trailing newline, say) is a ``ValueError`` naming the header.
"""

from __future__ import annotations

import importlib
import re
import threading
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

import httpx

from ._build import header_triples, marking
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ResponseDecodingError,
    ResponseTooLargeError,
)
from ._operation import Operation
from ._plan import plan
from ._types import NotGiven, RequestOptions

T = TypeVar("T")

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_BYTES_EXTENSION",
    "ResponseDecodingError",
    "ResponseTooLargeError",
    "check_header_inputs",
    "check_header_name",
    "check_headers",
    "guard_async",
    "guard_sync",
    "header_safe",
    "limit_responses",
    "record_limit",
    "stream_error",
]

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MAX_BYTES_EXTENSION = "apigen.max_response_bytes"
_PIECE = 256 * 1024  # the most one decompression step may produce


# --- request headers ---------------------------------------------------------------------------

# control characters but TAB (RFC 9110 5.5: a field value is visible ASCII, spaces and tabs;
# h11 refused a vertical tab or form feed only while sending: a "connection error")
_BAD_HEADER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\x7f]")
_BAD_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # a header name (RFC 9110 token)
_NOT_TOKEN = re.compile(rb"[^!#$%&'*+.^_`|~0-9A-Za-z-]")


def _bad_header(name: str) -> ValueError:
    return ValueError(
        f"header {name!r} has a value with control (CR, LF, NUL...) or non-ASCII characters:"
        " it cannot be sent (check for a stray newline or a pasted character)"
    )


def _bad_name(name: str) -> ValueError:
    return ValueError(
        f"{name!r} is not a header name (letters, digits and !#$%&'*+.^_`|~- only): it cannot"
        " be sent"
    )


def check_header_name(name: str | None, option: str) -> str | None:
    """``name``, a header name the client is told to send (``retry_count_header``), or
    ``ValueError`` naming the option; None or "" passes (no such header)."""
    if name and not (isinstance(cast("object", name), str) and HEADER_NAME.fullmatch(name)):
        raise ValueError(
            f"{option}={name!r} is not a header name (letters, digits and !#$%&'*+.^_`|~- only)"
        )
    return name


def _bad(value: object) -> bool:
    if isinstance(value, str):
        return _BAD_HEADER.search(value) is not None
    if isinstance(value, list | tuple):
        return any(_bad(v) for v in cast("Iterable[object]", value))
    if isinstance(value, Mapping):
        items = cast("Mapping[object, object]", value).items()
        return any(_bad(k) or _bad(v) for k, v in items)
    return False


def header_safe(texts: Iterable[str]) -> bool:
    """Whether every one of ``texts`` can go in a header or cookie as it is: no control or
    non-ASCII character (what ``check_headers`` refuses)."""
    return not any(_BAD_HEADER.search(text) for text in texts)


def check_header_inputs(
    op: Operation[Any],
    values: Mapping[str, object],
    options: RequestOptions,
    default_headers: Mapping[str, str],
) -> None:
    """The header values a request is about to be built from (default and extra headers,
    header parameters): ``ValueError`` naming the header, rather than httpx's bare
    ``UnicodeEncodeError`` or an h11 error retried as a connection failure."""
    extra = options.get("extra_headers") or {}
    for name, value in [*default_headers.items(), *extra.items()]:
        if not HEADER_NAME.fullmatch(name):
            raise _bad_name(name)  # (h11 refused it after sending began: a "connection error")
        if not isinstance(value, str):  # ``omit``
            continue
        if _bad(value):
            raise _bad_header(name)
    for p in plan(op).header_params:
        given = values.get(p.py_name)
        if not p.content_type and _bad(given):
            raise _bad_header(p.wire_name)
        if (
            given is not None
            and not isinstance(given, NotGiven)
            and not HEADER_NAME.fullmatch(p.wire_name)
        ):
            raise _bad_name(p.wire_name)  # the spec's own name (opc's `header param`)


def check_headers(headers: httpx.Headers, cookies: list[str] | None = None) -> None:
    """``ValueError`` (before sending) for a header value httpx cannot send or a server would
    split: a control character or non-ASCII. Only the header name is shown: values may be secrets."""
    # one scan of all values joined (the common case: clean); then the one to name
    triples = header_triples(headers)  # the encoded values: non-ASCII shows as bytes > 0x7f
    if _NOT_TOKEN.search(b"".join([name for name, _, _ in triples])):  # (a hook's header)
        for raw_name, _, _ in triples:
            if _NOT_TOKEN.search(raw_name) or not raw_name:
                raise _bad_name(raw_name.decode("latin-1"))
    joined = b"".join([value for _, _, value in triples])
    if not joined.isascii() or _BAD_BYTES.search(joined):
        for raw_name, _, value in triples:
            if not value.isascii() or _BAD_BYTES.search(value):
                raise _bad_header(raw_name.decode("latin-1"))
    for cookie in cookies or ():
        if _BAD_HEADER.search(cookie):
            cookie_name = cookie.partition("=")[0]
            raise ValueError(
                f"cookie {cookie_name!r} has control (CR, LF, NUL...) or non-ASCII characters: it"
                " cannot be sent"
            )


# --- response size -----------------------------------------------------------------------------


def limit_responses(
    build_request: Callable[..., httpx.Request], limit: int | None, *, errors_only: bool = False
) -> Callable[..., httpx.Request]:
    """``build_request`` marking each request with ``limit`` (``None``: any size, the encoding
    is still checked); installs the hook on the httpx client ``build_request`` belongs to (once;
    it ignores unmarked requests). ``errors_only``: a stream call, whose 2xx body the caller
    reads as it comes; its error body is read into memory, so it is bounded all the same."""
    client = getattr(build_request, "__self__", None)
    narrow = False
    if isinstance(client, httpx.Client | httpx.AsyncClient):
        _install(client)
        narrow = unbounded_default(client.headers)  # (a caller's client, built by httpx)
    marked = marking(
        build_request, MAX_BYTES_EXTENSION, _ErrorsOnly(limit) if errors_only else limit
    )
    return _narrowed(marked) if narrow else marked


def record_limit(response: httpx.Response) -> int | None:
    """The most one event or record of a stream may hold unfinished: the client's
    ``max_response_bytes`` (a stream's body is unbounded as a whole, but a server that never
    ends a line would grow one event until memory ran out); the default when unmarked."""
    limit = response.request.extensions.get(MAX_BYTES_EXTENSION, DEFAULT_MAX_RESPONSE_BYTES)
    limit = limit.limit if isinstance(limit, _ErrorsOnly) else limit
    return limit if isinstance(limit, int) else None


class _ErrorsOnly:
    """The limit of a stream call: it bounds an error body only."""

    __slots__ = ("limit",)

    def __init__(self, limit: int | None) -> None:
        self.limit = limit


_INSTALL = threading.Lock()


def _install(client: httpx.Client | httpx.AsyncClient) -> None:
    hook: Any = _hook_async if isinstance(client, httpx.AsyncClient) else _hook
    if hook in client.event_hooks.get("response", ()):  # the common case: no lock taken
        return
    with _INSTALL:  # two first calls at once must not add the hook twice
        hooks = client.event_hooks
        responses = list(hooks.get("response", []))
        if hook not in responses:
            client.event_hooks = {**hooks, "response": [*responses, hook]}


BOUNDED_ENCODINGS = "gzip, deflate"  # the encodings whose decoded size is counted here
# httpx's own `Accept-Encoding` (every decoder it has: `br` with `brotli` installed, `zstd`
# with `zstandard`), which a client built without one sends
_HTTPX_ENCODINGS: object = getattr(
    importlib.import_module("httpx._client"), "ACCEPT_ENCODING", None
)


def unbounded_default(headers: httpx.Headers) -> bool:
    """Whether ``headers`` advertise httpx's default encodings, and they include one whose
    decoder has no output bound (`br`: an 818-byte body inflated to 512 MiB in one step past
    ``max_response_bytes``, helper 224). A list the caller chose is theirs (a `br` body is
    then counted as it arrives, compressed)."""
    value = headers.get("accept-encoding")
    return value is not None and value == _HTTPX_ENCODINGS and value != BOUNDED_ENCODINGS


def bounded_encodings(client: httpx.Client | httpx.AsyncClient) -> None:
    """A client of the runtime's own making advertises only ``BOUNDED_ENCODINGS``."""
    if unbounded_default(client.headers):
        client.headers["Accept-Encoding"] = BOUNDED_ENCODINGS


def _narrowed(build_request: Callable[..., httpx.Request]) -> Callable[..., httpx.Request]:
    """``build_request`` whose requests advertise ``BOUNDED_ENCODINGS`` where they would carry
    httpx's default list: a caller's client is not changed (they may use it for their own
    requests, helper 226), each request of ours is."""

    def build(*args: Any, **kwargs: Any) -> httpx.Request:
        request = build_request(*args, **kwargs)
        if unbounded_default(request.headers):
            request.headers["Accept-Encoding"] = BOUNDED_ENCODINGS
        return request

    return build


def _hook(response: httpx.Response) -> None:
    extensions = response.request.extensions
    if MAX_BYTES_EXTENSION not in extensions:
        return
    encoding = response.headers.get("content-encoding")
    if encoding and "x-gzip" in encoding.lower():
        # RFC 9110 8.4.1.3: `x-gzip` is `gzip` (an old Apache's); httpx left it compressed,
        # and the JSON read failed on the gzip bytes
        response.headers["content-encoding"] = _X_GZIP.sub("gzip", encoding)
    limit = extensions[MAX_BYTES_EXTENSION]
    if isinstance(limit, _ErrorsOnly):
        if 200 <= response.status_code < 300:
            # the caller's to read as it arrives, unbounded; a gzip/deflate body is still
            # checked to end (a streamed download cut short came back short without a word:
            # `write_to()`, the path the README gives for large files)
            if _compressed(response.headers):
                _wrap(response, _Ended(response))
            return
        limit = limit.limit
    if isinstance(limit, int) and _within(response.headers, limit):
        return  # identity-encoded with a Content-Length within the limit: nothing to count
    _wrap(response, _Counter(response, limit if isinstance(limit, int) else None))


def _wrap(response: httpx.Response, counter: _Counter) -> None:
    try:
        content = response.content  # already read (a mock transport's ``content=``)
    except httpx.ResponseNotRead:
        response.stream = _Limited(response.stream, counter)
    else:
        counter.count(len(content))


def _compressed(headers: httpx.Headers) -> bool:
    """Whether the body is gzip or deflate encoded (what ``_Counter.finish`` can check)."""
    encodings = headers.get("content-encoding", "").lower()
    return any(e.strip() in _WBITS for e in encodings.split(","))


async def _hook_async(response: httpx.Response) -> None:
    _hook(response)


def _within(headers: httpx.Headers, limit: int) -> bool:
    """Whether the body is sure to fit: no ``Content-Encoding`` (so the decoded size is the
    wire size), no ``Transfer-Encoding`` and a ``Content-Length`` within ``limit``. HTTP/1.1
    (h11), HTTP/2 (h2) and aiohttp never deliver more body than the ``Content-Length`` they
    read such a message by, so it needs no counting stream (the common JSON response)."""
    length = None
    for _, lower, value in header_triples(headers):
        if lower == b"content-encoding":
            if value.strip().lower() not in (b"", b"identity"):
                return False
        elif lower == b"transfer-encoding":  # framed by chunks, whatever the length says
            return False
        elif lower == b"content-length":
            value = value.strip()
            if length is not None or not value.isdigit():
                return False  # repeated or malformed: let the counting stream decide
            length = int(value)
    return length is not None and length <= limit


class _Counter:
    """Decodes raw chunks the way httpx will (gzip, deflate), in bounded pieces that are only
    counted, and raises once the decoded total passes ``limit``."""

    def __init__(self, response: httpx.Response, limit: int | None) -> None:
        self.response = response
        self.limit = limit
        self.total = 0
        encodings = response.headers.get("content-encoding", "").lower()
        names = [e.strip() for e in encodings.split(",") if e.strip() not in ("", "identity")]
        # httpx skips encodings it does not know and decodes the last-applied one first
        self._decoders: list[_Zlib] = [_Zlib(name) for name in reversed(names) if name in _WBITS]
        # optional httpx extras, not advertised by default (``unbounded_default``): counted raw
        self._raw_only = any(name in ("br", "zstd") for name in names)

    def feed(self, chunk: bytes) -> None:
        if self._raw_only or not self._decoders:  # identity (or an encoding httpx keeps as is)
            self.count(len(chunk))
            return
        self._through(0, chunk)

    def finish(self) -> None:
        """The body ended: each gzip/deflate stream that began must have ended too. httpx
        returns what a stream cut short decoded to, without a word (a download 5 KB short)."""
        for decoder in self._decoders:
            if decoder.started and not decoder.ended:
                request = self.response.request
                raise ResponseDecodingError(
                    f"Response body of {request.method} {request.url.path} ends before its"
                    f" {decoder.name} stream does (Content-Encoding): truncated",
                    response=self.response,
                )
            if decoder.trailing:
                raise _more_than_one_stream(self.response, decoder.name)

    def _through(self, level: int, data: bytes) -> None:
        decoder = self._decoders[level]
        try:
            for piece in decoder.decode(data):
                if level + 1 < len(self._decoders):
                    self._through(level + 1, piece)
                else:
                    self.count(len(piece))
        except zlib.error:
            request = self.response.request
            raise ResponseDecodingError(
                f"Response body of {request.method} {request.url.path} is not valid"
                f" {decoder.name} (Content-Encoding)",
                response=self.response,
            ) from None

    def count(self, n: int) -> None:
        self.total += n
        if self.limit is not None and self.total > self.limit:
            request = self.response.request
            raise ResponseTooLargeError(
                f"Response body of {request.method} {request.url.path} is larger than"
                f" max_response_bytes={self.limit} (decoded); use with_streaming_response"
                " for large downloads, or raise the limit",
                response=self.response,
                limit=self.limit,
            )


def _trailing(unused: object) -> bool:
    return isinstance(unused, bytes) and bool(unused.strip(b"\x00"))


def _more_than_one_stream(response: httpx.Response, name: str) -> ResponseDecodingError:
    """Data after the end of a gzip/deflate stream: most often a second gzip member, which
    httpx does not decode; returned, the body would be cut short without a word (helper 209)."""
    request = response.request
    return ResponseDecodingError(
        f"Response body of {request.method} {request.url.path} holds data after its {name}"
        " stream ends (Content-Encoding; a second gzip member?), which httpx does not decode:"
        " the body would be cut short. Read it raw (with_streaming_response, iter_raw) to"
        " decode it yourself",
        response=response,
    )


_WBITS = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}  # what httpx decodes
_X_GZIP = re.compile(r"\bx-gzip\b", re.IGNORECASE)


class _Ended(_Counter):
    """A streamed download's check that its gzip/deflate streams ended, made on the decoders
    httpx itself fed (decoding it again here doubled the CPU of every streamed download);
    where they cannot be reached (the body read raw, the caller's to decode; an httpx that
    keeps them otherwise), nothing is checked."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response, None)

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)

    def finish(self) -> None:
        if not self.total:
            return
        decoder: object = getattr(self.response, "_decoder", None)
        children: object = getattr(decoder, "children", None)
        parts: list[object] = (
            list(cast("list[object]", children)) if isinstance(children, list) else [decoder]
        )
        streams = [getattr(part, "decompressor", None) for part in parts]
        if decoder is None or not streams or any(s is None for s in streams):
            return  # read raw (`iter_raw`: the caller's to decode), or unknown to us
        if not all(getattr(s, "eof", True) for s in streams):
            request = self.response.request
            raise ResponseDecodingError(
                f"Response body of {request.method} {request.url.path} ends before its"
                " compressed stream does (Content-Encoding): truncated",
                response=self.response,
            )
        if any(_trailing(getattr(s, "unused_data", b"")) for s in streams):
            raise _more_than_one_stream(self.response, "compressed")


class _Zlib:
    def __init__(self, name: str) -> None:
        self.name = name
        self._d = zlib.decompressobj(_WBITS[name])
        self._first = name == "deflate"  # like httpx: zlib-wrapped, else raw deflate
        self._started = False
        self._after = b""  # fed once the stream had ended

    @property
    def started(self) -> bool:
        return self._started

    @property
    def ended(self) -> bool:
        return self._d.eof

    def decode(self, data: bytes) -> Iterator[bytes]:
        self._started = self._started or bool(data)
        if self._first and data:
            self._first = False
            try:
                probe = zlib.decompressobj(zlib.MAX_WBITS)
                probe.decompress(data[:64], 1)
            except zlib.error:
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
        while data and not self._d.eof:
            piece = self._d.decompress(data, _PIECE)
            data = self._d.unconsumed_tail
            yield piece
        if self._d.eof and data:
            self._after += data

    @property
    def trailing(self) -> bool:
        """Data after the stream's end (a second gzip member, RFC 1952 §2.2), which httpx
        drops; zero padding aside."""
        return _trailing(self._d.unused_data + self._after)


class _Limited(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body stream checked by a ``_Counter`` before each chunk is passed on."""

    def __init__(
        self, stream: httpx.SyncByteStream | httpx.AsyncByteStream, counter: _Counter
    ) -> None:
        self._stream = stream
        self._counter = counter

    def __iter__(self) -> Iterator[bytes]:
        assert isinstance(self._stream, httpx.SyncByteStream)
        for chunk in self._stream:
            self._counter.feed(chunk)
            yield chunk
        self._counter.finish()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._stream, httpx.AsyncByteStream)
        async for chunk in self._stream:
            self._counter.feed(chunk)
            yield chunk
        self._counter.finish()

    def close(self) -> None:
        if isinstance(self._stream, httpx.SyncByteStream):
            self._stream.close()

    async def aclose(self) -> None:
        if isinstance(self._stream, httpx.AsyncByteStream):
            await self._stream.aclose()


# --- errors while a caller reads a body left unread ------------------------------------------


def stream_error(response: httpx.Response, exc: httpx.HTTPError) -> APIError:
    """The ``APIError`` for an httpx failure while reading ``response``'s body: a dropped
    connection is an ``APIConnectionError``, a broken encoding a ``ResponseDecodingError``."""
    request = response.request
    if isinstance(exc, httpx.DecodingError):
        error: APIError = ResponseDecodingError(
            f"Response body of {request.method} {request.url.path} could not be decoded",
            response=response,
        )
    elif isinstance(exc, httpx.TimeoutException):
        error = APITimeoutError(request, f"Timed out reading {request.method} {request.url.path}")
    else:
        error = APIConnectionError(
            f"Connection lost while reading {request.method} {request.url.path}", request=request
        )
    error.__cause__ = exc
    return error


def guard_sync(response: httpx.Response, chunks: Iterator[T]) -> Iterator[T]:
    """``chunks`` (read from ``response``) with httpx failures turned into ``APIError``s."""
    try:
        yield from chunks
    except httpx.HTTPError as exc:
        raise stream_error(response, exc) from exc


async def guard_async(response: httpx.Response, chunks: AsyncIterator[T]) -> AsyncIterator[T]:
    try:
        async for chunk in chunks:
            yield chunk
    except httpx.HTTPError as exc:
        raise stream_error(response, exc) from exc
