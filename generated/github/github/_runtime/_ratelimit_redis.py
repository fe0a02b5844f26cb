"""A rate-limit budget in Redis, shared by every process that uses the same key.

Needs ``apigen-runtime[redis]``. The bucket is one atomic Lua script (GCRA on the Redis
server's clock, so the processes' clocks need not agree); each send costs one round trip.

When Redis fails (refused, timed out, wrong password, script error) the call raises
``RateLimitBackendError`` (an ``APIError``) without sending: fail closed. ``fail_open=True``
sends without the shared limit instead, logging one warning per outage.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from ._errors import RateLimitBackendError
from ._public import publish

__all__ = ["RedisRateLimit"]

logger = logging.getLogger(__name__.rpartition(".")[0])  # the runtime's (see _logging)

# KEYS[1]: the bucket; ARGV: interval (s), burst, max_wait (s). Returns the wait in seconds
# as a string (Lua numbers would come back truncated to integers); over max_wait: not taken.
_SCRIPT = """
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - (burst - 1) * interval - now
if wait < 0 then wait = 0 end
if wait <= max_wait then
  tat = tat + interval
  redis.call('SET', KEYS[1], string.format('%.6f', tat), 'PX', math.ceil((tat - now) * 1000) + 1000)
end
return string.format('%.6f', wait)
"""


class RedisRateLimit:
    """``RateLimit(rate, per, backend=RedisRateLimit(redis_client, key="apigen:stripe"))``.

    ``redis_client`` is a ``redis.Redis`` (sync clients) or ``redis.asyncio.Redis`` (async
    clients, so that the event loop is never blocked). Everything using the same ``key`` and
    the same ``rate``/``per``/``burst`` shares one budget. Give the client a ``socket_timeout``
    (``from_url`` does), or a Redis that stops answering holds every call.

    Any failure of the Redis call raises ``RateLimitBackendError`` (its ``__cause__`` is the
    Redis exception). ``fail_open=True`` sends unlimited instead while Redis is failing (the
    local ``max_concurrency`` cap still holds) and logs a warning on the ``apigen_runtime``
    logger when the outage starts and an info line when Redis answers again.
    """

    def __init__(
        self, redis_client: Any, key: str = "apigen:ratelimit", *, fail_open: bool = False
    ) -> None:
        self.redis = redis_client
        self.key = key
        self.fail_open = fail_open
        self._script: Callable[..., Any] = redis_client.register_script(_SCRIPT)
        self._async = inspect.iscoroutinefunction(type(self._script).__call__)
        self._failing = False

    @classmethod
    def from_url(
        cls,
        url: str,
        key: str = "apigen:ratelimit",
        *,
        asyncio: bool = False,
        timeout: float | None = 2.0,
        fail_open: bool = False,
    ) -> RedisRateLimit:
        """Connect with ``redis.Redis.from_url`` (``redis.asyncio`` with ``asyncio=True``).
        ``timeout`` bounds connecting and each reply (``socket_connect_timeout`` and
        ``socket_timeout``; the URL's own ``?socket_timeout=`` wins)."""
        try:
            module = importlib.import_module("redis.asyncio" if asyncio else "redis")
        except ImportError as exc:
            raise ImportError(
                "RedisRateLimit needs the redis package: pip install 'redis>=5' (the [redis] "
                "extra of the client, or of apigen-runtime)"
            ) from exc
        client = module.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        return cls(client, key, fail_open=fail_open)

    def __repr__(self) -> str:
        return f"RedisRateLimit(key={self.key!r})"

    def reserve(self, interval: float, burst: int, max_wait: float) -> float | Awaitable[float]:
        args = [repr(interval), burst, repr(max_wait)]
        if self._async:  # the script is only called once awaited: a sync client never calls it
            return self._reserve_async(args, None)
        try:
            reply = self._script(keys=[self.key], args=args)
            if inspect.isawaitable(reply):  # an async client not recognised as one
                return self._reserve_async(args, reply)
            wait = float(reply)
        except Exception as exc:
            return self._failed(exc)
        return self._answered(wait)

    async def _reserve_async(self, args: list[Any], reply: Awaitable[Any] | None) -> float:
        try:
            pending = self._script(keys=[self.key], args=args) if reply is None else reply
            wait = float(await pending)
        except Exception as exc:
            return self._failed(exc)
        return self._answered(wait)

    def _answered(self, wait: float) -> float:
        if self._failing:
            self._failing = False
            logger.info("%r answers again: shared rate limit restored", self)
        return wait

    def _failed(self, exc: Exception) -> float:
        reason = f"{type(exc).__name__}: {exc}"
        if not self.fail_open:
            raise RateLimitBackendError(
                f"Rate limiter {self!r} failed, nothing was sent: {reason}"
            ) from exc
        if not self._failing:
            self._failing = True
            logger.warning("%r failed (%s): sending without the shared rate limit", self, reason)
        return 0.0


publish(__all__, globals(), __name__.rpartition(".")[0])  # after every class above
