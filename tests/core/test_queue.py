"""The message queue behind job refreshes and task wake-ups: in-process and Redis."""

from __future__ import annotations

import uuid

from careergini.core.queue import MemoryQueue, RedisQueue
from tests.conftest import REDIS_NAMESPACE


async def test_memory_queue_hands_out_messages_in_order() -> None:
    queue = MemoryQueue()
    assert await queue.get(wait=0.01) is None
    await queue.put({"source_id": "a"})
    await queue.put({"source_id": "b"})
    assert [await queue.get(wait=0.1), await queue.get(wait=0.1)] == [
        {"source_id": "a"},
        {"source_id": "b"},
    ]


async def test_redis_queue_is_shared_between_processes(redis_url: str) -> None:
    namespace = f"{REDIS_NAMESPACE}{uuid.uuid4().hex[:6]}:"
    producer = RedisQueue(redis_url, key=f"{namespace}jobs:refresh")
    consumer = RedisQueue(redis_url, key=f"{namespace}jobs:refresh")
    try:
        await producer.put({"source_id": "x"})
        await producer.put({"source_id": "y"})
        assert await consumer.get(wait=1) == {"source_id": "x"}
        assert await consumer.get(wait=1) == {"source_id": "y"}
        assert await consumer.get(wait=0.2) is None
    finally:
        await producer.close()
        await consumer.close()
