"""The I/O-free flow protocol and its two tiny drivers.

Request logic is written once as a generator that yields actions (``Send``, ``Sleep``) and is
sent back outcomes (an ``httpx.Response`` or the ``httpx.TransportError`` raised while
sending). ``run_sync`` and ``run_async`` perform the actions; nothing else differs. Redirects
are never followed here: the request flow follows them itself, so that credentials reach only
the origins the client was configured for. ``Await`` (an async hook or backend call) is only
valid under ``run_async``. ``Exclusive`` runs a sub-flow holding a ``FlowLock`` (a
``threading.Lock`` under ``run_sync``, an anyio lock per event loop, asyncio's or trio's, under
``run_async``): single-flight token renewal.
"""

from __future__ import annotations

import inspect
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, TypeAlias, TypeVar

import httpx

from ._errors import APIError
from ._record import FrozenStruct, Struct
from ._request import ANONYMOUS_EXTENSION

POOL_EXTENSION = "apigen.pool"  # a streamed response's: the http client it came from

if TYPE_CHECKING:  # imported when an async flow runs: a sync client never loads anyio
    import anyio

__all__ = [
    "Await",
    "DeadlinePassed",
    "Exclusive",
    "Flow",
    "FlowLock",
    "Outcome",
    "Send",
    "Sleep",
    "run_async",
    "run_sync",
]

T = TypeVar("T")
_DEFAULT = httpx.USE_CLIENT_DEFAULT


# These classes are written out rather than ``@dataclass``es: a dataclass is compiled when its
# module is imported (~0.4 ms each), which every client import paid (see ``_record``).


class Send(Struct):  # not frozen: a frozen class's __init__ costs every call ~0.3 us
    """Send ``request``; ``deadline`` is a ``time.monotonic()`` by which the whole body must be
    in; ``stream`` leaves a 2xx body unread (the caller streams it, then closes it)."""

    __slots__ = ("deadline", "request", "stream")
    __match_args__ = ("request", "deadline", "stream")

    def __init__(
        self, request: httpx.Request, deadline: float | None = None, stream: bool = False
    ) -> None:
        self.request = request
        self.deadline = deadline
        self.stream = stream


class Sleep(FrozenStruct):
    __slots__ = ("seconds",)
    __match_args__ = ("seconds",)
    seconds: float

    def __init__(self, seconds: float) -> None:
        object.__setattr__(self, "seconds", seconds)


class Await(Struct):
    """Await ``awaitable`` (an async hook or rate-limit backend) and store its ``result``."""

    __slots__ = ("awaitable", "result")
    __match_args__ = ("awaitable", "result")

    def __init__(self, awaitable: Awaitable[object], result: object = None) -> None:
        self.awaitable = awaitable
        self.result = result


class FlowLock:
    """A lock both drivers can hold across I/O: a ``threading.Lock`` for sync callers and one
    anyio lock per event loop (asyncio's or trio's) for async ones."""

    def __init__(self) -> None:
        self.sync = threading.Lock()
        self._guard = threading.Lock()
        self._loops: weakref.WeakKeyDictionary[object, anyio.Lock] = weakref.WeakKeyDictionary()

    def for_running_loop(self) -> anyio.Lock:
        from ._aio import new_lock, running_loop

        loop = running_loop()
        if loop is None:
            raise RuntimeError("an async client runs under asyncio or trio")
        with self._guard:
            lock = self._loops.get(loop)
            if lock is None:
                lock = self._loops[loop] = new_lock()
            return lock


class Exclusive(FrozenStruct):
    """Run ``flow`` to completion while holding ``lock``; the outcome sent back is ``None``.
    ``deadline`` (a ``time.monotonic()``): the call's; waiting for the lock past it (another
    call renewing a token slowly) raises ``late()`` in the flow instead of running ``flow``."""

    __slots__ = ("deadline", "flow", "late", "lock")
    __match_args__ = ("lock", "flow", "deadline", "late")
    lock: FlowLock
    flow: Flow[None]
    deadline: float | None
    late: Callable[[], APIError] | None

    def __init__(
        self,
        lock: FlowLock,
        flow: Flow[None],
        deadline: float | None = None,
        late: Callable[[], APIError] | None = None,
    ) -> None:
        object.__setattr__(self, "lock", lock)
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "deadline", deadline)
        object.__setattr__(self, "late", late)

    def too_late(self) -> APIError:
        if self.late is not None:
            return self.late()
        return APIError("Deadline exceeded waiting for another call's token renewal")


Outcome: TypeAlias = httpx.Response | httpx.TransportError | None
Flow: TypeAlias = Generator[Send | Sleep | Await | Exclusive, Outcome, T]


def run_sync(flow: Flow[T], client: httpx.Client, sleep: Callable[[float], object]) -> T:
    outcome: Outcome = None
    last: Outcome = None  # the latest attempt's outcome (a close between attempts says it)
    opened: httpx.Response | None = None  # a 2xx left unread for the caller (a stream)
    # An error of the request sent (a body too large or undecodable, the client closed) or of
    # a token renewal: raised inside the flow, at the action that met it, so the flow's own
    # handlers run (`Hooks.on_error`, the package's classes); raised past it, they did not.
    failed: APIError | None = None
    try:
        while True:
            try:
                action = flow.send(outcome) if failed is None else flow.throw(failed)
            except StopIteration as stop:
                opened = None  # handed to the caller, who reads and closes it
                result: T = stop.value
                return result
            failed = None
            if not isinstance(action, Send):  # (one check for the common action)
                if isinstance(action, Sleep):
                    sleep(action.seconds)
                elif isinstance(action, Await):
                    if inspect.iscoroutine(action.awaitable):
                        action.awaitable.close()  # never awaited, by design: no warning
                    raise TypeError("an async hook or backend needs the async client")
                else:  # Exclusive
                    wait = _wait(action.deadline)
                    if not action.lock.sync.acquire(timeout=-1 if wait is None else wait):
                        action.flow.close()
                        failed = action.too_late()
                    else:
                        try:
                            run_sync(action.flow, client, sleep)
                        except APIError as exc:
                            failed = exc
                        finally:
                            action.lock.sync.release()
                last, outcome = outcome or last, None
                continue
            try:
                # (a hop to another origin goes without the http client's own `auth=`)
                auth = None if ANONYMOUS_EXTENSION in action.request.extensions else _DEFAULT
                if action.deadline is None and not action.stream:
                    outcome = client.send(action.request, auth=auth, follow_redirects=False)
                else:
                    outcome = client.send(
                        action.request, auth=auth, stream=True, follow_redirects=False
                    )
                    if action.deadline is not None:
                        outcome.stream = _Bounded(outcome.stream, action)
                    if not (action.stream and outcome.is_success):
                        try:
                            outcome.read()
                        finally:
                            outcome.close()
                    else:
                        opened = outcome
                        # the body is read later, through a `Stream` or a streamed response
                        # that holds the response only: the pool stays with it (a client
                        # collected meanwhile closed its own pool under the stream)
                        outcome.extensions = {**outcome.extensions, POOL_EXTENSION: client}
            except httpx.TransportError as exc:
                if _in_redirect(exc):  # httpx's `RemoteProtocolError` for a Location holding
                    # a control character: the server answered, nothing to retry (helper 192)
                    failed = _caused(_bad_location(action.request, exc), exc)
                else:
                    outcome = exc
            except httpx.DecodingError as exc:
                failed = _caused(_undecodable(action.request), exc)
            except (httpx.InvalidURL, UnicodeError) as exc:  # a 3xx's Location
                if not _in_redirect(exc):
                    raise
                failed = _caused(_bad_location(action.request, exc), exc)
            except APIError as exc:  # the body past `max_response_bytes`, a truncated gzip
                failed = exc
            except RuntimeError as exc:
                if not client.is_closed:
                    raise
                failed = _caused(_closed(action.request, outcome or last), exc)
    finally:
        flow.close()
        if opened is not None:  # the flow failed after opening it (a hook raised): released
            opened.close()


async def run_async(
    flow: Flow[T], client: httpx.AsyncClient, sleep: Callable[[float], Awaitable[object]]
) -> T:
    outcome: Outcome = None
    last: Outcome = None  # the latest attempt's outcome (a close between attempts says it)
    opened: httpx.Response | None = None  # a 2xx left unread for the caller (a stream)
    failed: APIError | None = None  # raised inside the flow (`run_sync`)
    try:
        while True:
            try:
                action = flow.send(outcome) if failed is None else flow.throw(failed)
            except StopIteration as stop:
                opened = None  # handed to the caller, who reads and closes it
                result: T = stop.value
                return result
            failed = None
            if not isinstance(action, Send):  # (one check for the common action)
                if isinstance(action, Sleep):
                    await sleep(action.seconds)
                elif isinstance(action, Await):
                    action.result = await action.awaitable
                else:  # Exclusive
                    lock = action.lock.for_running_loop()
                    if not await _acquire(lock, _wait(action.deadline)):
                        action.flow.close()
                        failed = action.too_late()
                    else:
                        try:
                            await run_async(action.flow, client, sleep)
                        except APIError as exc:
                            failed = exc
                        finally:
                            lock.release()
                last, outcome = outcome or last, None
                continue
            try:
                # (a hop to another origin goes without the http client's own `auth=`)
                auth = None if ANONYMOUS_EXTENSION in action.request.extensions else _DEFAULT
                if action.deadline is None and not action.stream:
                    outcome = await client.send(action.request, auth=auth, follow_redirects=False)
                else:
                    outcome = await client.send(
                        action.request, auth=auth, stream=True, follow_redirects=False
                    )
                    if action.deadline is not None:
                        outcome.stream = _Bounded(outcome.stream, action)
                    if not (action.stream and outcome.is_success):
                        try:
                            await outcome.aread()
                        finally:
                            await outcome.aclose()
                    else:
                        opened = outcome
                        # the body is read later, through a `Stream` or a streamed response
                        # that holds the response only: the pool stays with it (a client
                        # collected meanwhile closed its own pool under the stream)
                        outcome.extensions = {**outcome.extensions, POOL_EXTENSION: client}
            except httpx.TransportError as exc:
                if _in_redirect(exc):  # httpx's `RemoteProtocolError` for a Location holding
                    # a control character: the server answered, nothing to retry (helper 192)
                    failed = _caused(_bad_location(action.request, exc), exc)
                else:
                    outcome = exc
            except httpx.DecodingError as exc:
                failed = _caused(_undecodable(action.request), exc)
            except (httpx.InvalidURL, UnicodeError) as exc:  # a 3xx's Location
                if not _in_redirect(exc):
                    raise
                failed = _caused(_bad_location(action.request, exc), exc)
            except APIError as exc:  # the body past `max_response_bytes`, a truncated gzip
                failed = exc
            except RuntimeError as exc:
                if not client.is_closed:
                    raise
                failed = _caused(_closed(action.request, outcome or last), exc)
    finally:
        flow.close()
        if opened is not None:  # the flow failed after opening it (a hook raised): released
            await opened.aclose()


def _caused(error: APIError, cause: BaseException) -> APIError:
    """``error`` as ``raise error from cause`` would leave it."""
    error.__cause__ = cause
    return error


def _closed(request: httpx.Request, previous: Outcome) -> APIError:
    """The http client was closed while a call was in flight (``client.close()`` from another
    thread or task, between two attempts): an ``APIConnectionError`` saying so, and what the
    attempt before met, not httpx's bare ``RuntimeError``."""
    from ._errors import APIConnectionError

    before = ""
    if isinstance(previous, httpx.Response):
        before = f"; the attempt before was answered {previous.status_code}"
    elif isinstance(previous, BaseException):
        before = f"; the attempt before failed: {type(previous).__name__}: {previous}"
    return APIConnectionError(
        f"the client was closed while {request.method} {request.url.path} was in flight{before}",
        request=request,
    )


def _bad_location(request: httpx.Request, exc: Exception) -> APIError:
    """httpx works out a 3xx's next request even when it follows none (``next_request``), and
    a ``Location`` that is no URL (``https:evil.com/x``, an invalid IDNA label) raised httpx's
    or idna's own exception from ``send``: an ``APIError`` instead; nothing is followed."""
    return APIError(
        f"the answer to {request.method} {request.url.path} redirects to a Location that is not"
        f" a valid URL ({type(exc).__name__}: {str(exc)[:200]}); not followed",
        request=request,
    )


def _in_redirect(exc: BaseException) -> bool:
    """Whether ``exc`` came from httpx working out a redirect's next request (and not, say,
    from a transport's own encoding)."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name in ("_build_redirect_request", "_redirect_url"):
            return True
        tb = tb.tb_next
    return False


def _undecodable(request: httpx.Request) -> APIError:
    """httpx could not decode the body while receiving it (the runtime's own check of gzip and
    deflate, in ``_limits``, raises first): an ``APIError``, never httpx's own exception."""
    from ._errors import ResponseDecodingError

    return ResponseDecodingError(
        f"Response body of {request.method} {request.url.path} could not be decoded"
        " (Content-Encoding)",
        request=request,
    )


def _wait(deadline: float | None) -> float | None:
    """Seconds left until ``deadline`` (None: no deadline, or one too far to wait for: a
    ``threading.Lock`` refuses a timeout past ``TIMEOUT_MAX``, ``deadline=float("inf")``)."""
    if deadline is None:
        return None
    left = max(0.0, deadline - time.monotonic())
    return None if left >= threading.TIMEOUT_MAX else left


async def _acquire(lock: anyio.Lock, wait: float | None) -> bool:
    """Acquire ``lock``, giving up after ``wait`` seconds (None: never); whether it is held.
    A free lock is taken even when no time is left, as the sync driver does."""
    if wait is None:
        await lock.acquire()
        return True
    import anyio

    try:
        lock.acquire_nowait()
    except anyio.WouldBlock:
        pass
    else:
        return True
    with anyio.move_on_after(wait):
        await lock.acquire()
        return True
    return False


class DeadlinePassed(httpx.ReadTimeout):
    """The call's deadline passed while its body was read (an ``APITimeoutError`` to the
    caller); a stream does not reconnect after it."""


class _Bounded(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body stream that fails with ``ReadTimeout`` once ``send.deadline`` passes, so
    a body that trickles in (each read within the read timeout) cannot outlast a deadline."""

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream, send: Send) -> None:
        self._stream = stream
        self._send = send

    def _check(self) -> None:
        assert self._send.deadline is not None
        if time.monotonic() > self._send.deadline:
            raise DeadlinePassed(
                "deadline passed while reading the body", request=self._send.request
            )

    def __iter__(self) -> Iterator[bytes]:
        assert isinstance(self._stream, httpx.SyncByteStream)
        for chunk in self._stream:
            self._check()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._stream, httpx.AsyncByteStream)
        async for chunk in self._stream:
            self._check()
            yield chunk

    def close(self) -> None:
        if isinstance(self._stream, httpx.SyncByteStream):
            self._stream.close()

    async def aclose(self) -> None:
        if isinstance(self._stream, httpx.AsyncByteStream):
            await self._stream.aclose()
