"""A rate-limit budget in Redis, shared by every process that uses the same key.

Needs ``apigen-runtime[redis]``. The bucket is one atomic Lua script (GCRA on the Redis
server's clock, so the processes' clocks need not agree); each send costs one round trip.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable
from typing import Any

__all__ = ["RedisRateLimit"]

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
    the same ``rate``/``per``/``burst`` shares one budget.
    """

    def __init__(self, redis_client: Any, key: str = "apigen:ratelimit") -> None:
        self.redis = redis_client
        self.key = key
        self._script = redis_client.register_script(_SCRIPT)

    @classmethod
    def from_url(
        cls, url: str, key: str = "apigen:ratelimit", *, asyncio: bool = False
    ) -> RedisRateLimit:
        """Connect with ``redis.Redis.from_url`` (``redis.asyncio`` with ``asyncio=True``)."""
        try:
            module = importlib.import_module("redis.asyncio" if asyncio else "redis")
        except ImportError as exc:
            raise ImportError("RedisRateLimit needs: pip install 'apigen-runtime[redis]'") from exc
        return cls(module.Redis.from_url(url), key)

    def __repr__(self) -> str:
        return f"RedisRateLimit(key={self.key!r})"

    def reserve(self, interval: float, burst: int, max_wait: float) -> float | Awaitable[float]:
        reply = self._script(keys=[self.key], args=[repr(interval), burst, repr(max_wait)])
        # An async client's reply is awaited by the flow, which reads it with ``float()``.
        return reply if inspect.isawaitable(reply) else float(reply)
