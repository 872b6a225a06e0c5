"""The refresh queue: one interface, two backends.

- ``MemoryRefreshQueue``: an asyncio queue owned by the app's lifespan (the embedded default).
- ``RedisRefreshQueue``: a Redis list (``LPUSH`` / ``BRPOP``) when ``CAREERGINI_REDIS_URL`` is
  set, so any app process may enqueue and any process's workers may take the job.

The database row of the source is what makes a refresh run once: a worker claims it by moving
its status from ``queued`` to ``running`` in one conditional UPDATE, so a duplicate message, or a
second process reading the same list, does nothing.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Protocol

import redis.asyncio as aioredis


class RefreshQueue(Protocol):
    backend: str

    async def put(self, message: dict[str, Any]) -> None: ...

    async def get(self, wait: float) -> dict[str, Any] | None: ...

    async def close(self) -> None: ...


class MemoryRefreshQueue:
    backend = "memory"

    def __init__(self) -> None:
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def put(self, message: dict[str, Any]) -> None:
        self._queue.put_nowait(message)

    async def get(self, wait: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self._queue.get(), wait)
        except TimeoutError:
            return None

    def qsize(self) -> int:
        return self._queue.qsize()

    async def close(self) -> None:
        return None


class RedisRefreshQueue:
    backend = "redis"

    def __init__(self, url: str, *, namespace: str) -> None:
        # No socket timeout: BRPOP blocks for up to its own timeout.
        self._redis = aioredis.from_url(url, socket_connect_timeout=2)
        self.key = f"{namespace}jobs:refresh"

    async def put(self, message: dict[str, Any]) -> None:
        await self._redis.lpush(self.key, json.dumps(message, separators=(",", ":")))

    async def get(self, wait: float) -> dict[str, Any] | None:
        item = await self._redis.brpop([self.key], timeout=max(0.1, wait))
        if item is None:
            return None
        try:
            return json.loads(item[1])
        except ValueError:
            return None  # not ours; dropped

    async def close(self) -> None:
        await self._redis.aclose()


def create_queue(redis_url: str, *, namespace: str) -> RefreshQueue:
    """Return the Redis-backed queue when Redis is configured, else the in-process one."""
    if redis_url:
        return RedisRefreshQueue(redis_url, namespace=namespace)
    return MemoryRefreshQueue()
