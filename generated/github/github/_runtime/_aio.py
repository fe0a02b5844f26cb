"""What async clients need of the running async library, asyncio's or trio's: httpx runs
under either, and so does the runtime. Sleeps and locks are anyio's (httpx's own dependency,
loaded by its async pool before a client's first retry or token renewal); state bound to an
event loop (a lock, the connection pool) is keyed by ``running_loop()``."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import anyio

__all__ = ["new_lock", "running_asyncio", "running_loop", "sleep", "stale"]


def running_loop() -> object | None:
    """The running asyncio event loop, else the running trio run's token; None outside both."""
    if "asyncio" in sys.modules:
        import asyncio

        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            pass
    if "trio" in sys.modules:  # imported by whoever runs trio: never by us
        trio = importlib.import_module("trio")
        try:
            token: object = trio.lowlevel.current_trio_token()
        except RuntimeError:
            return None
        return token
    return None


def running_asyncio() -> bool:
    """Whether the running loop is asyncio's (tasks made with ``asyncio.ensure_future``)."""
    if "asyncio" not in sys.modules:
        return False
    import asyncio

    return isinstance(running_loop(), asyncio.AbstractEventLoop)


def stale(previous: object | None, current: object | None) -> bool:
    """Whether state bound to the loop ``previous`` cannot serve ``current``: another loop, and
    ``previous`` is gone, closed (``asyncio.run`` again: pytest-asyncio, notebooks) or idle
    (``run_until_complete`` on a loop left open, then ``asyncio.run``: its connections answered
    "bound to a different event loop"). A loop still running is another thread's: not ours
    to replace."""
    if current is None or previous is current:
        return False
    is_closed = getattr(previous, "is_closed", None)
    is_running = getattr(previous, "is_running", None)
    if not callable(is_closed) or not callable(is_running):
        return True
    return bool(is_closed()) or not is_running()


async def sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)


def new_lock() -> anyio.Lock:
    """A lock for the running loop (asyncio's or trio's)."""
    import anyio

    return anyio.Lock()
