"""Server-sent events (``text/event-stream``) and JSON lines: the decoders and the sync/async
streams.

Lines end only at CR, LF or CRLF (the SSE spec): U+2028, U+0085, form feed and the other
characters ``str.splitlines`` treats as line breaks are data. The byte stream is split before
decoding (UTF-8 never puts a CR or LF byte inside a multi-byte character), so a character cut
between two chunks is reassembled.
"""

from __future__ import annotations

import json
import re
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx

from ._drivers import DeadlinePassed
from ._errors import (
    APIError,
    APIResponseValidationError,
    APIStreamError,
    ResponseTooLargeError,
    package_error,
)
from ._limits import record_limit, stream_error
from ._public import publish

__all__ = [
    "DEFAULT_RECONNECT_DELAY",
    "MAX_RECONNECT_DELAY",
    "APIStreamError",
    "AsyncStream",
    "Reconnect",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "iter_lines",
]

T = TypeVar("T")

# Seconds to wait before reconnecting when the server sent no ``retry:``; a ``retry:`` above
# the maximum is capped (as long ``Retry-After`` waits are).
DEFAULT_RECONNECT_DELAY = 1.0
MAX_RECONNECT_DELAY = 60.0


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched event. ``id`` is the last event id seen so far, as the spec defines it."""

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        return json.loads(self.data)


_LINE_END = re.compile(rb"\r\n|\r|\n")


class _LineSplitter:
    """Bytes in, complete lines out (without their ending). Only CR, LF and CRLF end a line; a
    CR at the end of a chunk waits for the next one, in case an LF follows. A line's pieces are
    kept until its end comes, and only each new chunk is searched: a long line (a base64 image
    in one event) arriving in many chunks was copied and searched again at each, in time
    quadratic in its length (8 MiB took 8 s)."""

    def __init__(self, limit: int | None = None) -> None:
        self._pieces: list[bytes] = []  # the unfinished line so far
        self._size = 0  # their length
        self._limit = limit  # the most an unfinished line may hold (`RecordTooLarge`)
        self._pending_cr = False

    def feed(self, chunk: bytes) -> list[str]:
        if not chunk:  # (an empty chunk between a CR and its LF keeps the CR pending)
            return []
        if self._pending_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the LF of a CRLF split across chunks
        self._pending_cr = False
        if not chunk:
            return []
        lines: list[str] = []
        start = 0
        for match in _LINE_END.finditer(chunk):
            line = chunk[start : match.start()]
            if self._pieces:
                line = b"".join((*self._pieces, line))
                self._pieces = []
            self._size = 0
            lines.append(line.decode("utf-8", errors="replace"))
            start = match.end()
            # a CR ending the chunk may be the first half of a CRLF
            self._pending_cr = match.group() == b"\r" and start == len(chunk)
        if start < len(chunk):
            self._pieces.append(chunk[start:] if start else chunk)
            self._size += len(chunk) - start
            _bound(self._size, self._limit)
        return lines

    def flush(self) -> list[str]:
        """The last, unterminated line (the decoder ignores it unless a blank line follows)."""
        rest, self._pieces, self._size = b"".join(self._pieces), [], 0
        return [rest.decode("utf-8", errors="replace")] if rest else []


_BOM = b"\xef\xbb\xbf"


class _RecordSplitter:
    """Bytes in, JSON records out (as text, blank ones skipped): one per line (JSON Lines,
    NDJSON; a CR before the LF is dropped), or one per RS (0x1E) when the stream opens with one
    (``application/json-seq``, RFC 7464, whose records may span lines). As lines above, an
    unfinished record's pieces wait in a list, and only each new chunk is split."""

    def __init__(self, limit: int | None = None) -> None:
        self._pieces: list[bytes] = []  # the unfinished record so far
        self._size = 0  # their length
        self._limit = limit  # the most an unfinished record may hold (`RecordTooLarge`)
        self._separator: bytes | None = None  # decided by the first byte that is not blank
        # json-seq: the open record's bracket depth, inside a string, a backslash just before
        self._depth = 0
        self._in_string = False
        self._escaped = False

    def feed(self, chunk: bytes) -> list[str]:
        if self._separator is None:
            data = b"".join((*self._pieces, chunk)).removeprefix(_BOM)  # a UTF-8 byte order mark
            opening = data.lstrip(b" \t\r\n")
            if not opening or _BOM.startswith(data):  # blank so far, or a BOM cut short
                self._pieces, self._size = [data], len(data)
                _bound(self._size, self._limit)
                return []
            self._separator = RS if opening.startswith(RS) else b"\n"
            self._pieces, chunk = [], data
        if self._separator == RS:
            return self._feed_seq(chunk)
        if self._separator not in chunk:
            self._pieces.append(chunk)
            self._size += len(chunk)
            _bound(self._size, self._limit)
            return []
        first, *records, rest = chunk.split(self._separator)
        if self._pieces:
            first = b"".join((*self._pieces, first))
        self._pieces, self._size = ([rest], len(rest)) if rest else ([], 0)
        _bound(self._size, self._limit)
        return [text for text in map(_record, (first, *records)) if text]

    def _feed_seq(self, chunk: bytes) -> list[str]:
        """json-seq: a record ends at the next RS, or sooner, at a LF that closes a whole JSON
        text (RFC 7464 ends each record with one): a live stream held each record back until
        the next began (helper 212). Brackets and strings are followed as the bytes come
        (`_scan`, linear), so a record is parsed early only once its brackets close: parsing
        at every LF made a pretty-printed record quadratic (a review: 88 s for 0.43 MB)."""
        out: list[str] = []
        for i, part in enumerate(chunk.split(RS)):
            if i:  # an RS: the record before it ends
                text = _record(b"".join(self._pieces))
                if text:
                    out.append(text)
                self._pieces, self._size = [], 0
                self._depth, self._in_string, self._escaped = 0, False, False
            if not part:
                continue
            self._pieces.append(part)
            self._size += len(part)
            _bound(self._size, self._limit)
            self._scan(part)
            if part.endswith(b"\n") and self._depth == 0 and not self._in_string:
                text = _record(b"".join(self._pieces))
                if text and _parses(text):
                    out.append(text)
                    self._pieces, self._size = [], 0
        return out

    def _scan(self, data: bytes) -> None:
        """Follow `data`'s brackets and strings (their escapes too, across chunks)."""
        depth, in_string = self._depth, self._in_string
        escaped_at = 0 if self._escaped else -1  # where an escaped byte sits
        for mark in _JSON_MARKS.finditer(data):
            at = mark.start()
            if at == escaped_at:
                continue
            byte = data[at]
            if in_string:
                if byte == 0x5C:  # backslash
                    escaped_at = at + 1
                elif byte == 0x22:
                    in_string = False
            elif byte == 0x22:
                in_string = True
            elif byte in (0x7B, 0x5B):
                depth += 1
            elif byte in (0x7D, 0x5D):
                depth -= 1
        self._depth, self._in_string = depth, in_string
        self._escaped = in_string and escaped_at == len(data)

    def flush(self) -> list[str]:
        """The last record (a JSON Lines stream need not end with a newline)."""
        rest, self._pieces, self._size = b"".join(self._pieces), [], 0
        text = _record(rest)
        return [text] if text else []


class RecordTooLarge(Exception):
    """An unfinished line, record or event grew past the limit (the stream turns it into a
    ``ResponseTooLargeError``)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _bound(size: int, limit: int | None) -> None:
    if limit is not None and size > limit:
        raise RecordTooLarge(limit)


def _too_large(response: httpx.Response, exc: RecordTooLarge) -> ResponseTooLargeError:
    request = response.request
    return ResponseTooLargeError(
        f"an event of {request.method} {request.url.path} passed {exc.limit} bytes without"
        " ending (max_response_bytes, per event in a stream)",
        response=response,
        limit=exc.limit,
    )


RS = b"\x1e"  # RFC 7464's record separator
_JSON_MARKS = re.compile(rb'[\\"{}\[\]]')  # the bytes `_scan` follows


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _record(raw: bytes) -> str:
    return raw.strip(b" \t\r\n").decode("utf-8", errors="replace")


def iter_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """The lines of a byte stream, split at CR, LF and CRLF only."""
    splitter = _LineSplitter()
    for chunk in chunks:
        yield from splitter.feed(chunk)
    yield from splitter.flush()


class SSEDecoder:
    """Feed it lines (without their line ending); it returns an event at each blank line.

    ``last_event_id`` and ``reconnection_time`` (seconds, from ``retry:``) outlive the events,
    as the spec's "last event ID buffer" and "reconnection time" do: a reconnect sends the
    former and waits the latter."""

    def __init__(
        self,
        last_event_id: str | None = None,
        reconnection_time: float | None = None,
        limit: int | None = None,
    ) -> None:
        self._event = ""
        self._data: list[str] = []
        self._size = 0  # the data's length so far (`limit`: the most one event may hold)
        self._limit = limit
        # the spec's "last event ID buffer" (an `id:` line) and the stream's "last event ID
        # string", which takes the buffer only when an event is dispatched: a connection lost
        # mid-event resumed after the id of an event that never arrived whole (skipping it)
        self._id_buffer: str | None = last_event_id
        self._last_id: str | None = last_event_id
        self._retry: int | None = None
        self._first = True
        self.reconnection_time = reconnection_time

    @property
    def last_event_id(self) -> str | None:
        return self._last_id

    def feed(self, line: str) -> ServerSentEvent | None:
        if self._first:
            self._first = False
            line = line.removeprefix("\ufeff")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # comment (often a keep-alive)
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
            self._size += len(value) + 1
            _bound(self._size, self._limit)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id_buffer = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
            self.reconnection_time = int(value) / 1000
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry, self._size = [], "", None, 0
        self._last_id = self._id_buffer
        if not data:
            return None
        return ServerSentEvent(event or "message", "\n".join(data), self._last_id, retry)

    def decode(self, lines: Iterable[str]) -> Iterator[ServerSentEvent]:
        for line in lines:
            event = self.feed(line)
            if event is not None:
                yield event


def _not_events(response: httpx.Response) -> str | None:
    """A JSON document (`"json"`: read for the error), or bytes of another kind (`"other"`:
    `audio/mpeg`, left unread), where events were asked for: the server chose not to stream
    (it reads a flag in the request, not `Accept`); read as events it would be a stream of
    nothing. Text of any `text/*` type, or of none, is read as events (None)."""
    header: str = response.headers.get("content-type", "")
    media = header.split(";")[0].strip().lower()
    if not media or media.startswith("text/"):
        return None
    return "json" if media.endswith(("/json", "+json")) else "other"


def _not_events_error(response: httpx.Response, kind: str) -> APIResponseValidationError:
    body: Any = None
    if kind == "json":  # read by the caller
        text = response.text
        try:
            body = json.loads(text)
        except ValueError:
            body = text
    request = response.request
    return APIResponseValidationError(
        f"Expected an event stream from {request.method} {request.url.path}, got "
        f"{response.headers.get('content-type')}",
        response=response,
        body=body,
    )


def _done(event: ServerSentEvent) -> bool:
    return event.data == "[DONE]"  # the end marker many streaming APIs send


def _sendable(last_event_id: str | None) -> bool:
    """Whether a reconnect can say where it left off: ``Last-Event-ID`` is a header, and header
    values are ASCII (an id of other text raised a bare ``ValueError`` at the reconnect; the
    drop is the stream's error instead, as without reconnects). Nor a control character or
    whitespace at either end, which h11 refuses as a header value: the reconnect failed as a
    misleading ``APIConnectionError`` (helper 212)."""
    return last_event_id is None or _HEADER_VALUE.fullmatch(last_event_id) is not None


# a header value h11 sends as given: printable ASCII, spaces and tabs inside only (or none)
_HEADER_VALUE = re.compile(r"(?:[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?)?")


def _reconnect_delay(decoder: SSEDecoder) -> float:
    seconds = decoder.reconnection_time
    return DEFAULT_RECONNECT_DELAY if seconds is None else min(seconds, MAX_RECONNECT_DELAY)


@dataclass(frozen=True, slots=True)
class Reconnect:
    """How a stream resumes after its connection drops (opt-in): at most ``limit`` times, each
    after ``sleep(seconds)``, by ``reopen(last_event_id)``: a fresh request sending
    ``Last-Event-ID`` that returns the new response (async: coroutine functions)."""

    limit: int
    sleep: Callable[[float], Any]
    reopen: Callable[[str | None], Any]


class Stream(Generic[T]):
    """An iterator of each event's data parsed into ``T`` (``for``, or ``next(stream)``);
    ``events()`` gives the raw events instead. An ``event: error`` raises ``APIStreamError``, as
    does a record ``{"error": ...}`` of a JSON type that declares no ``error`` property.
    With ``lines=True`` the body is JSON lines: each record is an event whose ``data`` is the
    record; with ``skip_empty=True`` an event of empty data (a keep-alive) yields nothing. The
    response closes when the stream is exhausted; use ``with`` (or ``close()``) to stop early."""

    def __init__(
        self,
        response: httpx.Response,
        convert: Callable[[ServerSentEvent], T],
        stop_at_done: bool,
        reconnect: Reconnect | None = None,
        *,
        lines: bool = False,
        skip_empty: bool = False,
    ) -> None:
        self.response: httpx.Response = response
        self._convert = convert
        self._stop_at_done = stop_at_done
        self._reconnect = reconnect
        self._lines = lines
        self._skip_empty = skip_empty
        # the generated package's error classes (``package_error``); set by the client
        self._errors: Mapping[type[APIError], type[APIError]] = {}
        self._closed = False  # ``close()``: the read it cuts short is no drop to resume from
        self._iterator = self.__stream__()

    def events(self) -> Generator[ServerSentEvent, None, None]:
        """The raw events (resuming after a dropped connection when enabled)."""
        if self._lines:
            yield from self._records()
            return
        limit = record_limit(self.response)
        decoder = SSEDecoder(limit=limit)
        reconnects = 0
        while True:
            response = self.response
            # the first response and each reopened one (a reconnect answered with JSON ended
            # the stream without a word)
            if kind := _not_events(response):
                if kind == "json":
                    response.read()
                response.close()
                raise _not_events_error(response, kind)
            try:
                splitter = _LineSplitter(limit)
                for chunk in response.iter_bytes():
                    yield from decoder.decode(splitter.feed(chunk))
                yield from decoder.decode(splitter.flush())
                return
            except RecordTooLarge as exc:
                raise _too_large(response, exc) from None
            except httpx.StreamError:  # read after `close()` (httpx's StreamClosed)
                if self._closed:
                    return
                raise
            except httpx.HTTPError as exc:
                if self._closed:  # the caller's `close()` (another thread's): the end
                    return
                again = self._reconnect
                if (
                    again is None
                    or reconnects >= again.limit
                    or not isinstance(exc, httpx.TransportError)
                    or isinstance(exc, DeadlinePassed)  # the call's time is up: no new call
                    or not _sendable(decoder.last_event_id)
                ):
                    raise stream_error(response, exc) from exc
            finally:
                response.close()
            reconnects += 1
            assert self._reconnect is not None
            self._reconnect.sleep(_reconnect_delay(decoder))
            if self._closed:  # closed while waiting to reconnect
                return
            self.response = self._reconnect.reopen(decoder.last_event_id)
            # an event cut by the drop is discarded; the id and reconnection time carry over
            decoder = SSEDecoder(decoder.last_event_id, decoder.reconnection_time, limit)

    def _records(self) -> Generator[ServerSentEvent, None, None]:
        response = self.response
        try:
            splitter = _RecordSplitter(record_limit(response))
            for chunk in response.iter_bytes():
                for record in splitter.feed(chunk):
                    yield ServerSentEvent(data=record)
            for record in splitter.flush():
                yield ServerSentEvent(data=record)
        except RecordTooLarge as exc:
            raise _too_large(response, exc) from None
        except httpx.HTTPError as exc:
            raise stream_error(response, exc) from exc
        finally:
            response.close()

    def __stream__(self) -> Iterator[T]:
        events = self.events()
        try:
            for event in events:
                if event.event == "error":
                    raise APIStreamError(
                        event, request=self.response.request, response=self.response
                    )
                if self._stop_at_done and _done(event):
                    return
                if self._skip_empty and not event.data.strip():
                    continue  # a keep-alive (`event: ping` + `data:`): no record to read
                yield self._convert(event)
        finally:
            events.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._closed:
            raise StopIteration  # a closed stream has nothing more (it reconnected to read on)
        try:
            return next(self._iterator)
        except APIError as exc:  # the generated package's class, as for the call itself
            package_error(exc, self._errors)
            raise

    def close(self) -> None:
        """Stop reading: the response is closed, and the stream ends (never resumed)."""
        self._closed = True
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """An async iterator of each event's data parsed into ``T`` (``async for``, or
    ``await anext(stream)``); ``events()`` gives the raw events. An ``event: error`` raises
    ``APIStreamError``, as does a record ``{"error": ...}`` its JSON type declares no ``error``
    for. With ``lines=True`` the body is JSON lines, each record an event whose
    ``data`` is the record. The response closes when the stream is exhausted; use
    ``async with`` to stop early."""

    def __init__(
        self,
        response: httpx.Response,
        convert: Callable[[ServerSentEvent], T],
        stop_at_done: bool,
        reconnect: Reconnect | None = None,
        *,
        lines: bool = False,
        skip_empty: bool = False,
    ) -> None:
        self.response: httpx.Response = response
        self._convert = convert
        self._stop_at_done = stop_at_done
        self._reconnect = reconnect
        self._lines = lines
        self._skip_empty = skip_empty
        # the generated package's error classes (``package_error``); set by the client
        self._errors: Mapping[type[APIError], type[APIError]] = {}
        self._closed = False  # ``close()``: the read it cuts short is no drop to resume from
        self._iterator = self.__stream__()

    async def events(self) -> AsyncGenerator[ServerSentEvent, None]:
        """The raw events (resuming after a dropped connection when enabled)."""
        if self._lines:
            async for record in self._records():
                yield record
            return
        limit = record_limit(self.response)
        decoder = SSEDecoder(limit=limit)
        reconnects = 0
        while True:
            response = self.response
            if kind := _not_events(response):  # (each reopened response too: `Stream`)
                if kind == "json":
                    await response.aread()
                await response.aclose()
                raise _not_events_error(response, kind)
            try:
                splitter = _LineSplitter(limit)
                async for chunk in response.aiter_bytes():
                    for event in decoder.decode(splitter.feed(chunk)):
                        yield event
                for event in decoder.decode(splitter.flush()):
                    yield event
                return
            except RecordTooLarge as exc:
                raise _too_large(response, exc) from None
            except httpx.StreamError:  # read after `close()` (httpx's StreamClosed)
                if self._closed:
                    return
                raise
            except httpx.HTTPError as exc:
                if self._closed:  # the caller's `close()` (another task's): the end
                    return
                again = self._reconnect
                if (
                    again is None
                    or reconnects >= again.limit
                    or not isinstance(exc, httpx.TransportError)
                    or isinstance(exc, DeadlinePassed)  # the call's time is up: no new call
                    or not _sendable(decoder.last_event_id)
                ):
                    raise stream_error(response, exc) from exc
            finally:
                await response.aclose()
            reconnects += 1
            assert self._reconnect is not None
            await self._reconnect.sleep(_reconnect_delay(decoder))
            if self._closed:  # closed while waiting to reconnect
                return
            self.response = await self._reconnect.reopen(decoder.last_event_id)
            decoder = SSEDecoder(decoder.last_event_id, decoder.reconnection_time, limit)

    async def _records(self) -> AsyncGenerator[ServerSentEvent, None]:
        response = self.response
        try:
            splitter = _RecordSplitter(record_limit(response))
            async for chunk in response.aiter_bytes():
                for record in splitter.feed(chunk):
                    yield ServerSentEvent(data=record)
            for record in splitter.flush():
                yield ServerSentEvent(data=record)
        except RecordTooLarge as exc:
            raise _too_large(response, exc) from None
        except httpx.HTTPError as exc:
            raise stream_error(response, exc) from exc
        finally:
            await response.aclose()

    async def __stream__(self) -> AsyncIterator[T]:
        events = self.events()
        try:
            async for event in events:
                if event.event == "error":
                    raise APIStreamError(
                        event, request=self.response.request, response=self.response
                    )
                if self._stop_at_done and _done(event):
                    return
                if self._skip_empty and not event.data.strip():
                    continue  # a keep-alive (`event: ping` + `data:`): no record to read
                yield self._convert(event)
        finally:
            # the response, not `events.aclose()`: when the event loop finalizes an abandoned
            # stream it closes `events` itself ("aclose(): asynchronous generator is already
            # running", logged as a task exception never retrieved)
            await self.response.aclose()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        if self._closed:
            raise StopAsyncIteration  # a closed stream has nothing more
        try:
            return await self._iterator.__anext__()
        except APIError as exc:  # the generated package's class, as for the call itself
            package_error(exc, self._errors)
            raise

    async def close(self) -> None:
        """Stop reading: the response is closed, and the stream ends (never resumed)."""
        self._closed = True
        await self.response.aclose()

    aclose = close  # an async iterator's name (`contextlib.aclosing(stream)`)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


publish(__all__, globals(), __name__.rpartition(".")[0])  # after every class above
