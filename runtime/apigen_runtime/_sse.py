"""Server-sent events (``text/event-stream``): the line decoder and the sync/async streams."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx

from ._limits import guard_async, guard_sync

__all__ = ["AsyncStream", "SSEDecoder", "ServerSentEvent", "Stream"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched event. ``id`` is the last event id seen so far, as the spec defines it."""

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        return json.loads(self.data)


class SSEDecoder:
    """Feed it lines (without their line ending); it returns an event at each blank line."""

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._last_id: str | None = None
        self._retry: int | None = None
        self._first = True

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
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry = [], "", None
        if not data:
            return None
        return ServerSentEvent(event or "message", "\n".join(data), self._last_id, retry)

    def decode(self, lines: Iterable[str]) -> Iterator[ServerSentEvent]:
        for line in lines:
            event = self.feed(line)
            if event is not None:
                yield event


def _done(event: ServerSentEvent) -> bool:
    return event.data == "[DONE]"  # the end marker many streaming APIs send


class Stream(Generic[T]):
    """Iterate to get each event's data parsed into ``T``; ``events()`` gives the raw events.
    The response closes when the stream is exhausted; use ``with`` (or ``close()``) to stop early.
    """

    def __init__(
        self, response: httpx.Response, convert: Callable[[ServerSentEvent], T], stop_at_done: bool
    ) -> None:
        self.response = response
        self._convert = convert
        self._stop_at_done = stop_at_done

    def events(self) -> Generator[ServerSentEvent, None, None]:
        try:
            lines = guard_sync(self.response, self.response.iter_lines())  # drop: APIError
            yield from SSEDecoder().decode(lines)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[T]:
        events = self.events()
        try:
            for event in events:
                if self._stop_at_done and _done(event):
                    return
                yield self._convert(event)
        finally:
            events.close()

    def close(self) -> None:
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
    """``async for`` gets each event's data parsed into ``T``; ``events()`` gives the raw events.
    The response closes when the stream is exhausted; use ``async with`` to stop early."""

    def __init__(
        self, response: httpx.Response, convert: Callable[[ServerSentEvent], T], stop_at_done: bool
    ) -> None:
        self.response = response
        self._convert = convert
        self._stop_at_done = stop_at_done

    async def events(self) -> AsyncGenerator[ServerSentEvent, None]:
        decoder = SSEDecoder()
        try:
            async for line in guard_async(self.response, self.response.aiter_lines()):
                event = decoder.feed(line)
                if event is not None:
                    yield event
        finally:
            await self.response.aclose()

    async def __aiter__(self) -> AsyncIterator[T]:
        events = self.events()
        try:
            async for event in events:
                if self._stop_at_done and _done(event):
                    return
                yield self._convert(event)
        finally:
            await events.aclose()

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
