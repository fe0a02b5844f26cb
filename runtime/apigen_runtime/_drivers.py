"""The I/O-free flow protocol and its two tiny drivers.

Request logic is written once as a generator that yields actions (``Send``, ``Sleep``) and is
sent back outcomes (an ``httpx.Response`` or the ``httpx.TransportError`` raised while
sending). ``run_sync`` and ``run_async`` perform the actions; nothing else differs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

import httpx

__all__ = ["Flow", "Outcome", "Send", "Sleep", "run_async", "run_sync"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Send:
    request: httpx.Request


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


Outcome: TypeAlias = httpx.Response | httpx.TransportError | None
Flow: TypeAlias = Generator[Send | Sleep, Outcome, T]


def run_sync(flow: Flow[T], client: httpx.Client, sleep: Callable[[float], object]) -> T:
    outcome: Outcome = None
    try:
        while True:
            try:
                action = flow.send(outcome)
            except StopIteration as stop:
                result: T = stop.value
                return result
            if isinstance(action, Sleep):
                sleep(action.seconds)
                outcome = None
                continue
            try:
                outcome = client.send(action.request)
            except httpx.TransportError as exc:
                outcome = exc
    finally:
        flow.close()


async def run_async(
    flow: Flow[T], client: httpx.AsyncClient, sleep: Callable[[float], Awaitable[object]]
) -> T:
    outcome: Outcome = None
    try:
        while True:
            try:
                action = flow.send(outcome)
            except StopIteration as stop:
                result: T = stop.value
                return result
            if isinstance(action, Sleep):
                await sleep(action.seconds)
                outcome = None
                continue
            try:
                outcome = await client.send(action.request)
            except httpx.TransportError as exc:
                outcome = exc
    finally:
        flow.close()
