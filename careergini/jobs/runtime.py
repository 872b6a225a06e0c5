"""What the jobs domain keeps while the app runs: the polite fetcher, the Chromium renderer, the
refresh queue with its workers, the scheduler loop and the cached query vectors and match
contexts (search itself reads the database and the vector store).

The router's lifespan builds one :class:`JobsRuntime`, attaches it to the resources
(``resources.component(JobsRuntime)``), starts it and closes it at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np

from careergini.core.logging import get_logger
from careergini.core.queue import MessageQueue, create_queue
from careergini.jobs.browser import PageRenderer
from careergini.jobs.fetch import PoliteFetcher
from careergini.jobs.matching import ProfileContext
from careergini.jobs.sources.base import SourceContext
from careergini.runtime.resources import Resources, user_agent

log = get_logger(__name__)

POLL = 0.5  # seconds a worker waits on the queue before looking at the stop signal
Handler = Callable[[dict[str, Any]], Awaitable[None]]


class JobsRuntime:
    def __init__(self, resources: Resources) -> None:
        settings = resources.settings
        self.resources = resources
        self.fetcher = PoliteFetcher(
            client=resources.http,
            per_host=settings.jobs_per_host_concurrency,
            timeout=settings.jobs_fetch_timeout,
            retries=settings.jobs_fetch_retries,
            backoff=settings.jobs_fetch_backoff_seconds,
            max_backoff=settings.jobs_max_backoff_seconds,
            allow_private=settings.jobs_allow_private_urls,
            private_hosts=settings.jobs_private_hosts,
        )
        self.renderer = (
            PageRenderer(
                executable_path=settings.jobs_browser_path,
                timeout=settings.jobs_render_timeout,
                user_agent=user_agent(),
                fetcher=self.fetcher,
            )
            if settings.jobs_browser_path
            else None
        )
        # Refresh messages: a Redis list when Redis is configured (any replica's workers take
        # them), else an in-process queue; the source row's status makes a refresh run once.
        self.queue: MessageQueue = create_queue(
            settings.redis_url, key=f"{settings.redis_namespace}jobs:refresh"
        )
        # owner -> (profile token, the person as the match score sees them)
        self.profiles: dict[uuid.UUID, tuple[bytes, ProfileContext]] = {}
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._owner_locks: dict[uuid.UUID, asyncio.Lock] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._spawned: set[asyncio.Task[Any]] = set()
        self._busy: set[asyncio.Task[Any] | None] = set()
        self._stopping = asyncio.Event()
        self.started = False

    @property
    def context(self) -> SourceContext:
        return SourceContext(
            settings=self.resources.settings, fetcher=self.fetcher, renderer=self.renderer
        )

    def spawn(self, coro: Awaitable[Any], *, name: str) -> None:
        """Run a coroutine in the background, keeping a reference and logging its failure."""

        async def _run() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("jobs.background_failed", task=name)

        task = asyncio.get_running_loop().create_task(_run(), name=name)
        self._spawned.add(task)
        task.add_done_callback(self._spawned.discard)

    def owner_lock(self, owner_id: uuid.UUID) -> asyncio.Lock:
        """Serialise one owner's ingestion in this process (two sources may bring one job)."""
        if owner_id not in self._owner_locks:
            self._owner_locks[owner_id] = asyncio.Lock()
        return self._owner_locks[owner_id]

    async def query_vector(self, text: str) -> np.ndarray:
        """Embed a search query (the last 1,024 are kept)."""
        key = " ".join(text.casefold().split())
        vector = self._query_vectors.get(key)
        if vector is None:
            vector = np.asarray((await self.resources.embedder.embed([key]))[0], dtype=np.float32)
            self._query_vectors[key] = vector
            if len(self._query_vectors) > 1024:
                self._query_vectors.popitem(last=False)
        else:
            self._query_vectors.move_to_end(key)
        return vector

    async def enqueue(self, source_id: uuid.UUID) -> None:
        await self.queue.put({"source_id": str(source_id)})

    async def start(self, *, handler: Handler, tick: Callable[[], Awaitable[None]]) -> None:
        """Start the refresh workers and the scheduler."""
        settings = self.resources.settings
        loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        for n in range(settings.jobs_worker_concurrency):
            self._tasks.append(loop.create_task(self._work(handler), name=f"jobs-worker-{n}"))
        self._tasks.append(
            loop.create_task(
                self._schedule(tick, settings.jobs_scheduler_tick_seconds), name="jobs-scheduler"
            )
        )
        self.started = True
        log.info(
            "jobs.runtime.started",
            queue=self.queue.backend,
            workers=settings.jobs_worker_concurrency,
        )

    async def _work(self, handler: Handler) -> None:
        task = asyncio.current_task()
        while not self._stopping.is_set():
            try:
                # A short poll: a worker is never cancelled inside a Redis BRPOP (redis-py
                # does not come back from that), it notices the stop within POLL seconds.
                message = await self.queue.get(wait=POLL)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("jobs.queue.read_failed")
                await asyncio.sleep(1.0)
                continue
            if message is None:
                continue
            self._busy.add(task)
            try:
                await handler(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("jobs.refresh.crashed", message=message)
            finally:
                self._busy.discard(task)

    async def _schedule(self, tick: Callable[[], Awaitable[None]], every: float) -> None:
        task = asyncio.current_task()
        while not self._stopping.is_set():
            self._busy.add(task)
            try:
                await tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("jobs.scheduler.failed")
            finally:
                self._busy.discard(task)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), every)

    async def stop(self, *, grace: float = 10.0) -> None:
        """Stop workers and the scheduler, close the queue and the browser.

        Work under way (a refresh, a scheduler pass) gets ``grace`` seconds to finish, so a
        database transaction is not cut in the middle; what is still running then is cancelled
        and picked up again later as a stale refresh.
        """
        self._stopping.set()
        idle = [t for t in self._tasks if t not in self._busy]
        if self.queue.backend == "memory":
            for t in idle:  # an asyncio queue wait is safe to cancel
                t.cancel()
        pending = [*self._tasks, *self._spawned]
        if pending:
            _, late = await asyncio.wait(pending, timeout=grace + POLL)
            for t in late:
                t.cancel()
            # Bounded: a task stuck in a client that ignores cancellation must not hang shutdown.
            _, stuck = await asyncio.wait(pending, timeout=grace)
            if stuck:
                log.warning("jobs.runtime.stop_abandoned", tasks=len(stuck))
        self._tasks.clear()
        closing = [("queue", self.queue.close)]
        if self.renderer is not None:
            closing.append(("browser", self.renderer.aclose))
        for name, close in closing:
            try:
                await asyncio.wait_for(close(), timeout=grace)
            except TimeoutError:
                log.warning("jobs.runtime.close_timeout", client=name, seconds=grace)
            except Exception:
                log.exception("jobs.runtime.close_failed", client=name)
        self.started = False


def runtime_of(resources: Resources) -> JobsRuntime:
    """Return the app's jobs runtime, creating an idle one (no workers) outside the app."""
    return resources.component_or_create(JobsRuntime, lambda: JobsRuntime(resources))
