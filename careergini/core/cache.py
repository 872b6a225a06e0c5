"""One cache interface with two backends: Redis when ``CAREERGINI_REDIS_URL`` is set, else an
in-process LRU. The rate limiter (``ratelimit.py``) and the LLM response cache sit on top of it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from typing import Any, Protocol

import redis.asyncio as aioredis


class Cache(Protocol):
    backend: str

    async def get(self, key: str) -> bytes | None: ...
    async def set(self, key: str, value: bytes | str, *, ttl: int | None = None) -> None: ...
    async def delete(self, *keys: str) -> None: ...
    async def delete_prefix(self, prefix: str) -> int: ...
    async def incr(self, key: str, *, ttl: int) -> tuple[int, int]:
        """Increment a counter that expires ``ttl`` seconds after its first hit.

        Return the new count and the seconds until the counter expires.
        """
        ...

    async def add(self, key: str, value: bytes | str, *, ttl: int) -> bool:
        """Set the key only if it is absent (a lease for ``ttl`` seconds); say whether it was."""
        ...

    async def delete_if(self, key: str, value: bytes | str) -> bool:
        """Delete the key only while it still holds ``value`` (the lease's owner lets go)."""
        ...

    async def expire_if(self, key: str, value: bytes | str, *, ttl: int) -> bool:
        """Give the key ``ttl`` more seconds only while it still holds ``value``."""
        ...

    async def ping(self) -> None: ...
    async def close(self) -> None: ...


def _bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


async def get_json(cache: Cache, key: str) -> Any | None:
    raw = await cache.get(key)
    return None if raw is None else json.loads(raw)


async def set_json(cache: Cache, key: str, value: Any, *, ttl: int | None = None) -> None:
    await cache.set(key, json.dumps(value, separators=(",", ":")), ttl=ttl)


class MemoryCache:
    """An in-process LRU with per-key expiry: the embedded default for a single process."""

    backend = "memory"

    def __init__(self, *, max_entries: int = 50_000) -> None:
        self._data: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()
        self._max_entries = max_entries
        self._lock = asyncio.Lock()

    def _live(self, key: str, now: float) -> tuple[bytes, float | None] | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[1] is not None and item[1] <= now:
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return item

    def _store(self, key: str, value: bytes, expires: float | None) -> None:
        self._data[key] = (value, expires)
        self._data.move_to_end(key)
        while len(self._data) > self._max_entries:
            self._data.popitem(last=False)

    async def get(self, key: str) -> bytes | None:
        item = self._live(key, time.monotonic())
        return None if item is None else item[0]

    async def set(self, key: str, value: bytes | str, *, ttl: int | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        self._store(key, data, None if ttl is None else time.monotonic() + ttl)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._data.pop(key, None)

    async def delete_prefix(self, prefix: str) -> int:
        doomed = [key for key in self._data if key.startswith(prefix)]
        for key in doomed:
            del self._data[key]
        return len(doomed)

    async def incr(self, key: str, *, ttl: int) -> tuple[int, int]:
        async with self._lock:
            now = time.monotonic()
            item = self._live(key, now)
            if item is None:
                count, expires = 1, now + ttl
            else:
                count, expires = int(item[0]) + 1, item[1] or now + ttl
            self._store(key, str(count).encode(), expires)
            return count, max(1, round(expires - now))

    async def add(self, key: str, value: bytes | str, *, ttl: int) -> bool:
        if self._live(key, time.monotonic()) is not None:
            return False
        await self.set(key, value, ttl=ttl)
        return True

    async def delete_if(self, key: str, value: bytes | str) -> bool:
        item = self._live(key, time.monotonic())
        if item is None or item[0] != _bytes(value):
            return False
        del self._data[key]
        return True

    async def expire_if(self, key: str, value: bytes | str, *, ttl: int) -> bool:
        item = self._live(key, time.monotonic())
        if item is None or item[0] != _bytes(value):
            return False
        self._store(key, item[0], time.monotonic() + ttl)
        return True

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._data.clear()


# Compare-and-act in one step on the server, so a lease that expired and was taken by another
# process is never deleted or renewed by its former owner.
_DELETE_IF = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_EXPIRE_IF = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


class RedisCache:
    """The production backend, shared by every worker process."""

    backend = "redis"

    def __init__(self, url: str, *, namespace: str = "cg:") -> None:
        self._redis = aioredis.from_url(
            url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30
        )
        self._ns = namespace

    async def get(self, key: str) -> bytes | None:
        value = await self._redis.get(self._ns + key)
        # The client is built without decode_responses, so this is bytes; redis types it either.
        return value.encode() if isinstance(value, str) else value

    async def set(self, key: str, value: bytes | str, *, ttl: int | None = None) -> None:
        await self._redis.set(self._ns + key, value, ex=ttl)

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._redis.delete(*(self._ns + key for key in keys))

    async def delete_prefix(self, prefix: str) -> int:
        removed = 0
        batch: list[bytes] = []
        async for key in self._redis.scan_iter(match=_escape_glob(self._ns + prefix) + "*"):
            batch.append(key)
            if len(batch) >= 500:
                removed += await self._redis.delete(*batch)
                batch.clear()
        if batch:
            removed += await self._redis.delete(*batch)
        return removed

    async def incr(self, key: str, *, ttl: int) -> tuple[int, int]:
        full = self._ns + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(full, 0, ex=ttl, nx=True)
            pipe.incr(full)
            pipe.ttl(full)
            _, count, remaining = await pipe.execute()
        return int(count), max(1, int(remaining))

    async def add(self, key: str, value: bytes | str, *, ttl: int) -> bool:
        return bool(await self._redis.set(self._ns + key, value, ex=ttl, nx=True))

    async def delete_if(self, key: str, value: bytes | str) -> bool:
        deleted = await self._redis.eval(_DELETE_IF, 1, self._ns + key, value)
        return bool(deleted)

    async def expire_if(self, key: str, value: bytes | str, *, ttl: int) -> bool:
        renewed = await self._redis.eval(_EXPIRE_IF, 1, self._ns + key, value, ttl)
        return bool(renewed)

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


def _escape_glob(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


def create_cache(redis_url: str, *, namespace: str = "cg:") -> Cache:
    """Return the Redis cache when a URL is configured, else the in-process one."""
    return RedisCache(redis_url, namespace=namespace) if redis_url else MemoryCache()
