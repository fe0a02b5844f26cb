"""Long-running operations: `..._and_wait()` polls until the operation is finished.

Three ways an API says "accepted, not done yet", all driven by one loop (openai-python's
`create_and_poll` is the model):
- the HTTP protocol: `202 Accepted` with `Operation-Location` or `Location`; the monitor URL is
  polled until it answers something other than 202 (or its body's status field is terminal);
- a status field (`LongRunning(status_field="status", done=..., failed=...)`, from the spec's
  `x-apigen-long-running` or configuration): the resource itself, or a configured status path
  (`poll="/jobs/{id}"`, filled from the first body), is fetched until the field is terminal;
- Azure's (`x-ms-long-running-operation`, `LongRunning(final=...)`): an `Azure-AsyncOperation`
  (or `Operation-Location`) monitor polled until its `status` is terminal, else a 202's
  `Location` polled until it stops answering 202, else a PUT/PATCH resource polled until its
  `properties.provisioningState` is terminal; then the result is fetched where
  `final-state-via` says (by default the resource itself for PUT/PATCH, the `Location` for POST).

Waits honour `Retry-After`, otherwise back off from `interval` doubling to `max_interval`; the
whole wait is bounded by `timeout` (`LongRunningTimeoutError`); a sync caller can cancel through
a `threading.Event`, an async one by cancelling its task. A failed terminal status raises
`OperationFailedError` carrying the status and the body. A monitor URL on another origin is
refused: the client's credentials go to its own origin only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, cast
from urllib.parse import quote

import httpx

from ._aio import sleep as _aio_sleep
from ._errors import (
    APIError,
    LongRunningCancelledError,
    LongRunningTimeoutError,
    OperationFailedError,
)
from ._public import publish
from ._ratelimit import retry_after

if TYPE_CHECKING:
    from ._operation import Operation

__all__ = [
    "LongRunning",
    "LongRunningCancelledError",
    "LongRunningTimeoutError",
    "OperationFailedError",
]


@dataclass(frozen=True)
class LongRunning:
    """How an operation finishes later (generated from the spec or configuration)."""

    status_field: str | None = None  # dotted body field holding the status
    done: tuple[str, ...] = ()  # terminal values meaning success
    failed: tuple[str, ...] = ()  # terminal values meaning failure
    poll: str | None = None  # a path to GET while waiting, `{field}` filled from the first body
    result_status: str | None = None  # the declared response whose type the final body has
    # Azure's protocol, and where its result is (`final-state-via`: "original-uri",
    # "location", "azure-async-operation", "operation-location"; "" for the method's default)
    final: str | None = None


def _field(body: object, dotted: str) -> object:
    for part in dotted.split("."):
        if not isinstance(body, Mapping):
            return None
        body = cast("Mapping[str, object]", body).get(part)
    return body


def _json(response: httpx.Response) -> object:
    try:
        return response.json() if response.content else None
    except ValueError:
        return None


def parse_final(op: Operation[Any], response: httpx.Response) -> Any:
    """The finished operation's body, as its declared result (`LongRunning.result_status`)."""
    lro = op.long_running
    spec = op.responses.get(lro.result_status) if lro and lro.result_status else None
    if spec is None or not response.content:
        return _json(response)
    from ._response import validate_json  # a body that breaks the type: kept, with a warning

    return validate_json(op, spec, response.content, response)


def monitor_url(response: httpx.Response) -> str | None:
    """Where to poll, from a 202's `Operation-Location` (Azure's) or `Location` header."""
    if response.status_code != 202:
        return None
    found: str | None = response.headers.get("operation-location") or response.headers.get(
        "location"
    )
    return found


def state(lro: LongRunning | None, response: httpx.Response) -> tuple[str, str | None]:
    """("pending" | "done" | "failed", the status value read, if any)."""
    body = _json(response)
    if lro is not None and lro.status_field:
        value = _field(body, lro.status_field)
        status = None if value is None else str(value)
        if status is not None and status in lro.failed:
            return "failed", status
        if status is not None and status in lro.done:
            return "done", status
        return "pending", status
    return ("pending" if response.status_code == 202 else "done"), None


def same_origin_path(url: str, base_url: str, current: httpx.URL) -> str:
    """`url` (absolute or relative to the response that named it) as a path relative to the
    client's base URL, or, outside the base path, as the absolute URL it is (requested as such:
    `/operations/1` beside a `/v1` base is not `/v1/operations/1`); another origin is refused
    (credentials would follow it)."""
    absolute = current.join(url)
    base = httpx.URL(base_url)
    if (absolute.scheme, absolute.host, absolute.port) != (base.scheme, base.host, base.port):
        raise APIError(
            f"the operation's monitor URL {str(absolute.copy_with(query=None))!r} is on"
            " another origin than the"
            f" client's ({base.scheme}://{base.host}): not polled, credentials stay at the origin",
        )
    base_path = base.raw_path.decode("ascii").split("?", 1)[0].rstrip("/")
    path = absolute.raw_path.decode("ascii")
    under = not base_path or path.startswith(base_path + "/")
    if (path[len(base_path) :] if under else path).startswith("//"):
        # read as a host by every URL parser after it (`client.get()` refuses such paths)
        raise APIError(
            f"the operation's monitor URL {str(absolute.copy_with(query=None))!r} has a path"
            " starting with '//': not polled"
        )
    if under:
        return path[len(base_path) :]
    return str(absolute.copy_with(fragment=None))


def poll_path(lro: LongRunning, first: httpx.Response) -> str:
    """The configured status path with `{field}`s filled from the first response's body."""
    assert lro.poll is not None
    body = _json(first)
    path = lro.poll
    for name in [p.split("}", 1)[0] for p in path.split("{")[1:]]:
        value = _field(body, name)
        if value is None:
            raise APIError(f"cannot poll {lro.poll}: the response has no {name!r}")
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    return path


LAST_LOOK = 1.0  # seconds the poll at the end of a wait may take, retries included


@dataclass
class _Wait:
    timeout: float | None
    interval: float
    max_interval: float

    def __post_init__(self) -> None:
        self.deadline = None if self.timeout is None else time.monotonic() + self.timeout
        self.delay = self.interval

    def next(self, response: httpx.Response) -> float:
        asked = retry_after(response.headers)
        wait = asked if asked is not None and asked > 0 else self.delay
        self.delay = min(self.delay * 2, self.max_interval)
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise LongRunningTimeoutError(
                    response.request,
                    f"the operation did not finish within {self.timeout} s"
                    f" (last status {response.status_code})",
                )
            wait = min(wait, left)
        return max(wait, 0.0)

    def left(self) -> float | None:
        """Seconds the next poll may take, retries included (its request's `deadline`): a
        monitor answering 503 with `Retry-After` made `timeout=1` wait 4 s, then raise the
        503, not `LongRunningTimeoutError`. At least `LAST_LOOK` seconds: a wait that slept to
        its end still asks once more whether the operation is done."""
        if self.deadline is None:
            return None
        return max(self.deadline - time.monotonic(), LAST_LOOK)

    def fail(self, error: APIError, first: httpx.Response) -> NoReturn:
        """Raise what a poll's `error` means (`poll_failed`)."""
        failed = self.poll_failed(error, first)
        if failed is error:
            raise error
        raise failed from error

    def poll_failed(self, error: APIError, first: httpx.Response) -> APIError:
        """What a poll's error means: the wait's time is up (`LongRunningTimeoutError`), or
        the error itself while time is left."""
        if self.deadline is None or time.monotonic() < self.deadline:
            return error
        request = error.request if isinstance(error.request, httpx.Request) else first.request
        return LongRunningTimeoutError(
            request, f"the operation did not finish within {self.timeout} s (last poll: {error})"
        )


def _finish(response: httpx.Response, status: str | None, kind: str) -> None:
    if kind == "failed":
        raise OperationFailedError(
            f"the long-running operation failed (status {status!r})",
            status=status,
            body=_json(response),
            response=response,
        )


# A wait as steps both loops drive: each yields (the path to GET next, the response whose
# `Retry-After` sets the pause before it, or None for no pause) and is sent that GET's response;
# it returns the final response.
Steps = Generator[tuple[str, httpx.Response | None], httpx.Response, httpx.Response]


def wait_sync(
    first: httpx.Response,
    lro: LongRunning | None,
    get: Callable[[str, float | None], httpx.Response],
    base_url: str,
    *,
    timeout: float | None,
    interval: float,
    max_interval: float,
    cancel: threading.Event | None,
    sleep: Callable[[float], object] = time.sleep,
) -> httpx.Response:
    """Poll until done; returns the final response (the caller parses it)."""
    waiting = _Wait(timeout, interval, max_interval)
    steps = _steps(first, lro, base_url)
    try:
        target, after = next(steps)
        while True:
            if after is not None:
                delay = waiting.next(after)
                if cancel is not None:
                    if cancel.wait(delay):
                        raise LongRunningCancelledError("waiting for the operation was cancelled")
                else:
                    sleep(delay)
            if after is None:  # the result's own fetch once done: not bounded by the wait
                polled = get(target, None)
            else:
                try:
                    polled = get(target, waiting.left())
                except APIError as exc:
                    waiting.fail(exc, first)
            target, after = steps.send(polled)
    except StopIteration as done:
        return cast("httpx.Response", done.value)


async def wait_async(
    first: httpx.Response,
    lro: LongRunning | None,
    get: Callable[[str, float | None], Awaitable[httpx.Response]],
    base_url: str,
    *,
    timeout: float | None,
    interval: float,
    max_interval: float,
    sleep: Callable[[float], Awaitable[object]] = _aio_sleep,
) -> httpx.Response:
    """As `wait_sync`; cancelling the awaiting task stops it."""
    waiting = _Wait(timeout, interval, max_interval)
    steps = _steps(first, lro, base_url)
    try:
        target, after = next(steps)
        while True:
            if after is not None:
                await sleep(waiting.next(after))
            if after is None:  # the result's own fetch once done: not bounded by the wait
                polled = await get(target, None)
            else:
                try:
                    polled = await get(target, waiting.left())
                except APIError as exc:
                    waiting.fail(exc, first)
            target, after = steps.send(polled)
    except StopIteration as done:
        return cast("httpx.Response", done.value)


def _steps(first: httpx.Response, lro: LongRunning | None, base_url: str) -> Steps:
    if lro is not None and lro.final is not None:
        return (yield from _azure_steps(first, lro, base_url))
    response = first
    target = _target(lro, first, base_url)
    while True:
        kind, status = state(lro, response)
        _finish(response, status, kind)
        if kind == "done":
            return response
        target = _next_target(response, target, base_url)
        response = yield target, response


_SUCCEEDED = "succeeded"
_FAILED = frozenset({"failed", "canceled", "cancelled"})


def _azure_steps(first: httpx.Response, lro: LongRunning, base_url: str) -> Steps:
    """Azure's long-running protocol (ARM's async operations, as azure-core's pollers follow
    it); every URL polled stays on the client's origin (`same_origin_path`)."""
    method = first.request.method.upper()
    here = first.request.url
    original = same_origin_path(str(here), base_url, here)
    monitor = first.headers.get("azure-asyncoperation") or first.headers.get("operation-location")
    location = first.headers.get("location")  # checked where it is used, not before
    response = first
    if monitor:
        target = same_origin_path(monitor, base_url, here)
        while True:
            response = yield target, response
            if _terminal(response, "status"):
                break
    elif location and first.status_code == 202:
        target = same_origin_path(location, base_url, here)
        while True:  # the Location answers 202 until the result is there
            response = yield target, response
            if response.status_code != 202:
                return response
            moved = response.headers.get("location")
            target = same_origin_path(moved, base_url, response.request.url) if moved else target
    elif method in ("PUT", "PATCH") and not _terminal(first, "properties.provisioningState"):
        while True:  # the resource is created or updated in place: its state says when
            response = yield original, response
            if _terminal(response, "properties.provisioningState"):
                return response
    else:
        return first  # done at once (a 200 or 201 without anything to poll)
    final = lro.final or ("original-uri" if method in ("PUT", "PATCH") else "location")
    if final == "original-uri" and method != "DELETE":
        return (yield original, None)
    if final == "location" and location:
        return (yield same_origin_path(location, base_url, here), None)
    return response  # the monitor's own body (`azure-async-operation`), or a DELETE's


def _terminal(response: httpx.Response, field: str) -> bool:
    """Whether `field` of the body says the operation ended: True when it succeeded (or the
    body has no such field), `OperationFailedError` when it failed or was cancelled."""
    value = _field(_json(response), field)
    if value is None:
        return field != "status"  # a monitor's body must say; a resource without one is done
    status = str(value)
    if status.lower() in _FAILED:
        _finish(response, status, "failed")
    return status.lower() in (_SUCCEEDED, *_FAILED)


def _target(lro: LongRunning | None, first: httpx.Response, base_url: str) -> str | None:
    if lro is not None and lro.poll:
        return poll_path(lro, first)
    return None


def _next_target(response: httpx.Response, target: str | None, base_url: str) -> str:
    """A monitor URL the latest response names wins; else keep polling the known one; else the
    resource the operation acted on (the first request's URL)."""
    named = monitor_url(response)
    if named:
        return same_origin_path(named, base_url, response.request.url)
    if target is not None:
        return target
    if response.request.method == "GET":  # a GET of the resource itself: fetch it again
        return same_origin_path(str(response.request.url), base_url, response.request.url)
    raise APIError(
        f"{response.request.method} {response.request.url.path} answered"
        f" {response.status_code} without a monitor URL (Operation-Location/Location) and no"
        " status path is configured: cannot tell where to poll"
    )


publish(__all__, globals(), __name__.rpartition(".")[0])  # after every class above
