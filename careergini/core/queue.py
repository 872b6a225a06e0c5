"""A message queue with two backends, for work that any app process may pick up.

- ``MemoryQueue``: an asyncio queue owned by one process (the embedded default).
- ``RedisQueue``: a Redis list (``LPUSH`` / ``BRPOP``) when ``CAREERGINI_REDIS_URL`` is set, so
  any app process may enqueue and any process's workers may take the message.

A message is a hint, never the truth: the database row it names is claimed with one conditional
UPDATE, so a duplicate message, or a second process reading the same list, does nothing.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Protocol

import redis.asyncio as aioredis

Message = dict[str, Any]


class MessageQueue(Protocol):
    backend: str

    async def put(self, message: Message) -> None: ...

    async def get(self, wait: float) -> Message | None: ...

    async def close(self) -> None: ...


class MemoryQueue:
    backend = "memory"

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Message] = asyncio.Queue()

    async def put(self, message: Message) -> None:
        self._queue.put_nowait(message)

    async def get(self, wait: float) -> Message | None:
        try:
            return await asyncio.wait_for(self._queue.get(), wait)
        except TimeoutError:
            return None

    def qsize(self) -> int:
        return self._queue.qsize()

    async def close(self) -> None:
        return None


class RedisQueue:
    backend = "redis"

    def __init__(self, url: str, *, key: str) -> None:
        # No socket timeout: BRPOP blocks for up to its own timeout.
        self._redis = aioredis.from_url(url, socket_connect_timeout=2)
        self.key = key

    async def put(self, message: Message) -> None:
        await self._redis.lpush(self.key, json.dumps(message, separators=(",", ":")))

    async def get(self, wait: float) -> Message | None:
        item = await self._redis.brpop([self.key], timeout=max(0.1, wait))
        if item is None:
            return None
        try:
            message = json.loads(item[1])
        except ValueError:
            return None  # not ours; dropped
        return message if isinstance(message, dict) else None

    async def close(self) -> None:
        await self._redis.aclose()


def create_queue(redis_url: str, *, key: str) -> MessageQueue:
    """Return the Redis list named ``key`` when Redis is configured, else an in-process queue."""
    if redis_url:
        return RedisQueue(redis_url, key=key)
    return MemoryQueue()
