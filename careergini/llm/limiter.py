"""At most ``slots`` calls at the model server, at most ``queue_size`` waiting: never a pile-up.

Ollama serves ``OLLAMA_NUM_PARALLEL`` requests at once and queues the rest where we cannot see
or bound them; holding calls here instead keeps waits visible and lets a call beyond the queue
fail fast with :class:`LLMBusy` (503, Retry-After estimated from recent call durations).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from careergini.core.metrics import Metrics
from careergini.llm.errors import LLMBusy


class SlotLimiter:
    def __init__(
        self,
        *,
        slots: int,
        queue_size: int,
        queue_timeout: float,
        metrics: Metrics | None = None,
    ) -> None:
        self.slots = slots
        self.queue_size = queue_size
        self.queue_timeout = queue_timeout
        self._metrics = metrics
        self._semaphore = asyncio.Semaphore(slots)
        self.active = 0
        self.waiting = 0
        # Moving average of how long a call holds a slot, for Retry-After.
        self._hold_seconds = 10.0

    def retry_after(self) -> int:
        """Return the seconds after which a refused call may find room."""
        estimate = self._hold_seconds * (self.waiting + 1) / self.slots
        return min(120, max(1, math.ceil(estimate)))

    def _busy(self, why: str) -> LLMBusy:
        return LLMBusy(
            f"The AI model is busy ({why}). Try again in {self.retry_after()} s.",
            retry_after=self.retry_after(),
        )

    def _gauges(self) -> None:
        if self._metrics is not None:
            self._metrics.llm_in_flight.set(self.active)
            self._metrics.llm_queued.set(self.waiting)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one model slot, waiting in the bounded queue if all are taken."""
        if self._semaphore.locked():
            if self.waiting >= self.queue_size:
                raise self._busy(f"{self.active} calls running, {self.waiting} waiting")
            self.waiting += 1
            self._gauges()
            try:
                async with asyncio.timeout(self.queue_timeout):
                    await self._semaphore.acquire()
            except TimeoutError:
                raise self._busy(f"no slot freed within {self.queue_timeout:g} s") from None
            finally:
                self.waiting -= 1
                self._gauges()
        else:
            await self._semaphore.acquire()
        self.active += 1
        self._gauges()
        started = time.perf_counter()
        try:
            yield
        finally:
            self.active -= 1
            self._semaphore.release()
            self._gauges()
            self._hold_seconds = 0.8 * self._hold_seconds + 0.2 * (time.perf_counter() - started)
