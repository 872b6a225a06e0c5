"""The cache interface and the rate limiter, on the in-process backend and on real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from careergini.core.cache import Cache, MemoryCache, RedisCache, get_json, set_json
from careergini.core.ratelimit import RateLimiter
from tests.conftest import REDIS_NAMESPACE, flush_redis


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        backend: Cache = MemoryCache(max_entries=100)
    else:
        url = request.getfixturevalue("redis_url")
        flush_redis(url)
        backend = RedisCache(url, namespace=REDIS_NAMESPACE)
    yield backend
    await backend.close()


async def test_set_get_delete(cache: Cache) -> None:
    assert await cache.get("missing") is None
    await cache.set("k", "value")
    assert await cache.get("k") == b"value"
    await cache.delete("k")
    assert await cache.get("k") is None


async def test_json_helpers_round_trip(cache: Cache) -> None:
    await set_json(cache, "j", {"a": [1, 2], "b": "é"})
    assert await get_json(cache, "j") == {"a": [1, 2], "b": "é"}


async def test_values_expire(cache: Cache) -> None:
    await cache.set("short", "x", ttl=1)
    assert await cache.get("short") == b"x"
    await asyncio.sleep(1.2)
    assert await cache.get("short") is None


async def test_delete_prefix_removes_only_that_prefix(cache: Cache) -> None:
    await cache.set("user:1:a", "1")
    await cache.set("user:1:b", "1")
    await cache.set("user:12:a", "1")
    await cache.set("user:2:a", "1")
    assert await cache.delete_prefix("user:1:") == 2
    assert await cache.get("user:12:a") == b"1"
    assert await cache.get("user:2:a") == b"1"


async def test_incr_counts_within_a_window(cache: Cache) -> None:
    counts = [await cache.incr("c", ttl=60) for _ in range(3)]
    assert [c for c, _ in counts] == [1, 2, 3]
    assert all(0 < ttl <= 60 for _, ttl in counts)


async def test_concurrent_increments_are_not_lost(cache: Cache) -> None:
    results = await asyncio.gather(*(cache.incr("race", ttl=60) for _ in range(50)))
    assert sorted(c for c, _ in results) == list(range(1, 51))


async def test_rate_limiter_allows_then_refuses_then_resets(cache: Cache) -> None:
    limiter = RateLimiter(cache)
    decisions = [await limiter.hit("b", "id", limit=3, window=60) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after > 0
    assert await limiter.peek("b", "id") == 4
    await limiter.reset("b", "id")
    assert (await limiter.hit("b", "id", limit=3, window=60)).allowed


async def test_rate_limit_window_expires(cache: Cache) -> None:
    limiter = RateLimiter(cache)
    assert (await limiter.hit("w", "x", limit=1, window=1)).allowed
    assert not (await limiter.hit("w", "x", limit=1, window=1)).allowed
    await asyncio.sleep(1.2)
    assert (await limiter.hit("w", "x", limit=1, window=1)).allowed


async def test_memory_cache_is_bounded() -> None:
    cache = MemoryCache(max_entries=3)
    for n in range(5):
        await cache.set(f"k{n}", "v")
    assert await cache.get("k0") is None
    assert await cache.get("k4") == b"v"


async def test_a_lease_has_one_owner_at_a_time(cache: Cache) -> None:
    assert await cache.add("lease", "first", ttl=30)
    assert not await cache.add("lease", "second", ttl=30)
    # Only the owner renews or lets go.
    assert not await cache.expire_if("lease", "second", ttl=30)
    assert not await cache.delete_if("lease", "second")
    assert await cache.get("lease") == b"first"
    assert await cache.expire_if("lease", "first", ttl=30)
    assert await cache.delete_if("lease", "first")
    assert await cache.get("lease") is None
    assert not await cache.delete_if("lease", "first")
    assert not await cache.expire_if("lease", "first", ttl=30)


async def test_a_lease_expires_and_its_old_owner_cannot_touch_the_new_one(cache: Cache) -> None:
    assert await cache.add("lease", "crashed", ttl=1)
    await asyncio.sleep(1.2)
    assert await cache.add("lease", "next", ttl=30)
    assert not await cache.delete_if("lease", "crashed")
    assert await cache.get("lease") == b"next"


async def test_concurrent_adds_give_one_lease(cache: Cache) -> None:
    won = await asyncio.gather(*(cache.add("lease", f"owner-{i}", ttl=30) for i in range(20)))
    assert won.count(True) == 1
