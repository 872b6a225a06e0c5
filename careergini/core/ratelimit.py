"""Fixed-window rate limiting on top of the cache's atomic counters.

A fixed window is enough here: limits are coarse (per minute) and the counter lives in Redis in
production, so every worker process shares it.
"""

from __future__ import annotations

from dataclasses import dataclass

from careergini.core.cache import Cache


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after: int


class RateLimiter:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    async def hit(self, bucket: str, identity: str, *, limit: int, window: int) -> RateDecision:
        """Count one hit of ``identity`` in ``bucket`` and say whether it is within the limit."""
        count, remaining = await self._cache.incr(f"rl:{bucket}:{identity}", ttl=window)
        return RateDecision(count <= limit, count, limit, remaining)

    async def peek(self, bucket: str, identity: str) -> int:
        """Return the current count without adding a hit."""
        raw = await self._cache.get(f"rl:{bucket}:{identity}")
        return int(raw) if raw else 0

    async def reset(self, bucket: str, identity: str) -> None:
        await self._cache.delete(f"rl:{bucket}:{identity}")
