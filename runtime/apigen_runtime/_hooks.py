"""User hooks around each call: ``before_request``, ``after_response``, ``on_error``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, TypeVar

import httpx

from ._drivers import Await, Outcome, Send, Sleep
from ._errors import APIError

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # every client makes one: no class compiled at import (see _record)
    from ._record import record as dataclass

__all__ = ["Hooks", "run_hooks"]

X = TypeVar("X")


@dataclass(frozen=True)
class Hooks:
    """Callables run once per call, in order:

    - ``before_request(request)``: before auth is applied, so it never sees credentials. Header
      changes it makes to the ``httpx.Request`` are sent with every attempt; other changes are
      ignored.
    - ``after_response(response)``: with the final response (after retries), success or not,
      before it is parsed.
    - ``on_error(error)``: with the ``APIError`` about to be raised.

    An exception from a hook propagates. Hooks of an ``AsyncAPIClient`` may be ``async def``.
    """

    before_request: Sequence[Callable[[httpx.Request], object]] = ()
    after_response: Sequence[Callable[[httpx.Response], object]] = ()
    on_error: Sequence[Callable[[APIError], object]] = ()

    def __post_init__(self) -> None:
        for name in ("before_request", "after_response", "on_error"):
            value = getattr(self, name)
            if callable(value):  # a lone callable is fine too
                object.__setattr__(self, name, (value,))
            elif not all(callable(h) for h in value):
                raise TypeError(f"Hooks.{name} needs callables, got {value!r}")

    def is_async(self) -> bool:
        hooks = (*self.before_request, *self.after_response, *self.on_error)
        return any(inspect.iscoroutinefunction(h) for h in hooks)


def run_hooks(
    hooks: Sequence[Callable[[X], object]], arg: X
) -> Generator[Send | Sleep | Await, Outcome, None]:
    """Flow step: call each hook, awaiting (through the async driver) what an async one returns."""
    for hook in hooks:
        result = hook(arg)
        if inspect.isawaitable(result):
            yield Await(result)


def before_request(
    hooks: Hooks, request: httpx.Request, headers: httpx.Headers
) -> Generator[Send | Sleep | Await, Outcome, None]:
    """Run ``before_request`` hooks on ``request`` and copy their header edits into ``headers``."""
    seen = dict(request.headers.items())
    yield from run_hooks(hooks.before_request, request)
    for name, value in request.headers.items():
        if seen.get(name) != value:
            headers[name] = value
    for name in seen:
        if name not in request.headers:
            headers.pop(name, None)
