"""Run CPU-bound work on untrusted input in a worker process, with a deadline.

Parsing a resume or a job description is pure CPU work on text a user sent. In the app's own
process it would hold the GIL (a regular expression holds it for the whole match) and freeze
every other request, and a thread cannot be stopped when it overruns. So the work runs in a
small pool of worker processes: the event loop only waits, and a call that overruns its
deadline has its worker killed (the pool is replaced) and answers a 422 saying the text could not
be read in time. Calls that were running beside it in the killed pool are run again once, on the
new pool, within what is left of their own deadline.

Workers are forked from a fork server (a clean process, no threads) that has already imported the
parsers, so a new worker starts in milliseconds and never inherits the app's locks or clients.
The function and its arguments must be picklable: module-level functions and plain data.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar, cast

from careergini.core.errors import InvalidInput, Unavailable

T = TypeVar("T")

# Seconds one parse may take. A 50,000-character job description parses in well under a second
# and a 10 MB PDF in a few; anything slower is hostile or broken input.
DEFAULT_DEADLINE_SECONDS = 15.0
# Worker processes: parsing is occasional and the cores also serve requests and the model.
DEFAULT_WORKERS = 2
# Seconds a new pool may take to start (the fork server imports the parsers once); not counted
# against any call's deadline.
STARTUP_SECONDS = 120.0
# Imported once by the fork server so that each worker starts warm (names only: no import here).
_PRELOAD = ("careergini.profile.parsers", "careergini.skills.service")


class TextTooSlow(InvalidInput):
    """The input could not be processed within the deadline (422)."""


class WorkersBusy(Unavailable):
    """Every worker stayed busy until the deadline passed (503)."""


class Offloader:
    """A pool of worker processes that runs one function call each, with a deadline."""

    def __init__(self, *, workers: int = DEFAULT_WORKERS) -> None:
        self._workers = workers
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._started: Future[bool] | None = None
        self._generation = 0

    async def _current(self) -> tuple[ProcessPoolExecutor, int, Future[bool]]:
        with self._lock:
            if self._pool is not None and self._started is not None:
                return self._pool, self._generation, self._started
        # In a thread: the first worker's start waits for the fork server to import the parsers.
        return await asyncio.to_thread(self._create)

    def _create(self) -> tuple[ProcessPoolExecutor, int, Future[bool]]:
        with self._lock:
            if self._pool is None or self._started is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(list(_PRELOAD))
                self._pool = ProcessPoolExecutor(
                    max_workers=self._workers,
                    mp_context=context,
                    initializer=_follow_parent,
                    initargs=(os.getpid(),),
                )
                self._started = self._pool.submit(_ready)
                self._generation += 1
            return self._pool, self._generation, self._started

    async def _wait_started(self, started: Future[bool]) -> None:
        """Wait for a new pool's first worker (polled: cancelling a waiter must not cancel it)."""
        ends = time.monotonic() + STARTUP_SECONDS
        while not started.done():
            if time.monotonic() > ends:
                raise WorkersBusy(
                    "The text readers are still starting. Try again in a few seconds.",
                    headers={"Retry-After": "5"},
                    extra={"retry_after": 5},
                )
            await asyncio.sleep(0.02)

    def _replace(self, generation: int) -> None:
        """Kill the workers of this generation's pool; the next call starts a new pool."""
        with self._lock:
            pool = self._pool
            if pool is None or generation != self._generation:
                return  # someone replaced it already
            self._pool, self._started = None, None
        # The executor has no way to stop a running call: end its processes, then the executor.
        processes = list(getattr(pool, "_processes", {}).values())
        for process in processes:
            process.kill()
        # Calls still queued in it fail as BrokenProcessPool and are retried by their callers.
        pool.shutdown(wait=False)

    def shutdown(self) -> None:
        """Stop the workers (idempotent)."""
        with self._lock:
            pool, self._pool, self._started = self._pool, None, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    async def run(
        self,
        fn: Callable[..., T],
        /,
        *args: Any,
        deadline: float | None = None,
        what: str = "this text",
        **kwargs: Any,
    ) -> T:
        """Return fn(*args, **kwargs) computed in a worker; 422 when it overruns the deadline."""
        seconds = DEFAULT_DEADLINE_SECONDS if deadline is None else deadline
        ends: float | None = None
        for attempt in (1, 2):
            pool, generation, started = await self._current()
            await self._wait_started(started)
            ends = ends or time.monotonic() + seconds  # the clock starts with a running pool
            future: Future[T] = pool.submit(fn, *args, **kwargs)
            try:
                return await asyncio.wait_for(
                    asyncio.wrap_future(future), max(0.0, ends - time.monotonic())
                )
            except TimeoutError:
                if future.cancel():  # never started: the workers were busy, not this input
                    raise WorkersBusy(
                        "The text readers are all busy. Try again in a few seconds.",
                        headers={"Retry-After": "5"},
                        extra={"retry_after": 5},
                    ) from None
                self._replace(generation)
                raise TextTooSlow(
                    f"{what.capitalize()} could not be read in time ({seconds:g} s). "
                    "Check that it is an ordinary document; send plain text or split a very "
                    "long one."
                ) from None
            except BrokenProcessPool:
                # Another call's overrun (or a crashed worker) took this pool down: retry once.
                self._replace(generation)
                if attempt == 2 or time.monotonic() >= ends:
                    raise WorkersBusy(
                        "The text reader stopped while reading this; try again.",
                        headers={"Retry-After": "1"},
                        extra={"retry_after": 1},
                    ) from None
        raise AssertionError("unreachable")  # pragma: no cover


def _follow_parent(parent_pid: int) -> None:
    """Make this worker exit when the app process is gone, even killed without a goodbye.

    A worker is the fork server's child, not the app's, and it holds both ends of its own queue:
    without this it would wait for work forever (and keep the fork server alive) once the app
    is killed.
    """

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # pragma: no cover - the pid was reused by another user
                os._exit(0)

    threading.Thread(target=watch, name="offload-parent-watch", daemon=True).start()


def _ready() -> bool:
    """Answer from a worker: the pool has started."""
    return True


_default: Offloader | None = None
_default_lock = threading.Lock()


def offloader() -> Offloader:
    """Return the process-wide offloader (a pool of processes is per process, like threads)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Offloader()
        return _default


async def run_bounded(
    fn: Callable[..., T],
    /,
    *args: Any,
    deadline: float | None = None,
    what: str = "this text",
    **kwargs: Any,
) -> T:
    """Return fn(*args, **kwargs) run in a worker process, within the deadline."""
    return cast(T, await offloader().run(fn, *args, deadline=deadline, what=what, **kwargs))
