"""The task worker: takes queued tasks, runs their handlers, records how they ended.

The database row is the truth. A message on the queue (in-process, or a Redis list when Redis is
configured so any replica's worker may take it) only says "look at task X now"; a worker also
polls for queued rows, so a lost message delays a task by one poll, never loses it. A task is
claimed by one conditional UPDATE (queued -> running), so two workers never run the same task.

While a task runs its worker renews a heartbeat; a running task whose heartbeat is older than the
lease lost its worker (a crash, a restart): it is queued again once, then failed with a reason.
A graceful stop puts the tasks it was running back in the queue at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from careergini.core.db import session_scope, utcnow
from careergini.core.errors import AppError
from careergini.core.logging import get_logger
from careergini.core.queue import MessageQueue, create_queue
from careergini.runtime.resources import Resources
from careergini.tasks.models import Task
from careergini.tasks.registry import (
    TaskCancelled,
    TaskContext,
    handler_for,
    lane_of,
    set_model_of_role,
)
from careergini.tasks.schemas import TaskProgress

log = get_logger(__name__)

INTERRUPTED_TWICE = (
    "The task was interrupted twice (the app stopped while it ran). Your deterministic result "
    "is kept; start the task again to get the model's version."
)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, AppError):
        return str(exc.detail)
    return "The task failed unexpectedly; the operator's log has the details."


class TaskWorker:
    """Runs queued tasks in this process, at most ``concurrency`` at a time and ``per_model`` at
    a time for each model (a task's lane: the model behind its LLM role), oldest first."""

    def __init__(
        self,
        resources: Resources,
        *,
        queue: MessageQueue | None = None,
        concurrency: int | None = None,
        per_model: int | None = None,
        poll_interval: float | None = None,
        heartbeat: float | None = None,
        lease: float | None = None,
        timeout: float | None = None,
    ) -> None:
        settings = resources.settings
        self.resources = resources
        self.queue = queue or create_queue(
            settings.redis_url, key=f"{settings.redis_namespace}tasks:wake"
        )
        self.concurrency = concurrency or settings.tasks_concurrency
        self.per_model = per_model or settings.tasks_per_model
        self.poll_interval = poll_interval or settings.tasks_poll_seconds
        self.heartbeat = heartbeat or settings.tasks_heartbeat_seconds
        self.lease = lease or settings.tasks_lease_seconds
        self.timeout = timeout or settings.tasks_timeout_seconds
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._loops: list[asyncio.Task[None]] = []
        self._running: dict[uuid.UUID, asyncio.Task[None]] = {}
        # Claimed by this worker and not yet ended (a superset of _running: a claimed task is
        # not running yet while its row is read).
        self._claimed: set[uuid.UUID] = set()
        # The lane of each claimed task, and how many claimed tasks each lane has.
        self._lane_of: dict[uuid.UUID, str] = {}
        self._lanes: dict[str, int] = {}
        self._wake = asyncio.Event()
        # Set by stop(): the loops end at their next safe point (never in the middle of a
        # transaction, which a cancellation could leave open on its connection).
        self._stopping = asyncio.Event()
        self.started = False

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        if self.started:
            return
        self.started = True
        self._stopping.clear()
        set_model_of_role(self._model_of_role)
        for number in range(self.concurrency):
            self._loops.append(asyncio.create_task(self._work(), name=f"tasks.worker.{number}"))
        self._loops.append(asyncio.create_task(self._sweep_loop(), name="tasks.sweeper"))
        log.info("tasks.worker_started", worker=self.name, concurrency=self.concurrency)

    async def stop(self, *, grace: float = 5.0) -> None:
        """Stop taking tasks; the tasks still running go back to the queue for the next start."""
        if not self.started:
            return
        self.started = False
        self._stopping.set()
        self._wake.set()
        running = list(self._running.items())
        for _, task in running:
            task.cancel()
        waiting = [*self._loops, *(task for _, task in running)]
        if waiting:
            _, late = await asyncio.wait(waiting, timeout=grace)
            for loop in late:  # stuck past the grace period: cancelled after all
                loop.cancel()
            if late:
                await asyncio.wait(late, timeout=grace)
        self._loops.clear()
        claimed = sorted(self._claimed | {task_id for task_id, _ in running})
        self._claimed.clear()
        self._lane_of.clear()
        self._lanes.clear()
        if claimed:
            try:
                await self._requeue(claimed)
            except Exception:
                # The sweeper of the next start queues them again after the lease instead.
                log.exception("tasks.requeue_at_stop_failed", count=len(claimed))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.queue.close(), timeout=grace)

    def _model_of_role(self, role: str) -> str | None:
        llm = self.resources.llm
        if llm is None:
            return None
        try:
            return llm.config.route(role).model
        except ValueError:
            return None

    def notify(self, task_id: uuid.UUID) -> None:
        """A task was committed: wake a worker here, and tell the others through the queue."""
        self._wake.set()
        if self.queue.backend != "memory":
            asyncio.get_running_loop().create_task(self._publish(task_id))

    async def _publish(self, task_id: uuid.UUID) -> None:
        try:
            await self.queue.put({"task_id": str(task_id)})
        except Exception:
            log.warning("tasks.wake_publish_failed", task_id=str(task_id))

    def cancel_local(self, task_id: uuid.UUID) -> None:
        """Stop a task this process runs now (its row already says cancelled)."""
        running = self._running.get(task_id)
        if running is not None:
            running.cancel()

    # --- taking work --------------------------------------------------------------------------

    async def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                task_id = await self._next()
                if task_id is not None:
                    await self._run(task_id)
            except asyncio.CancelledError:
                if self._stopping.is_set():
                    return  # a handler stopped by stop(): its task is queued again there
                raise
            except Exception:
                log.exception("tasks.worker_error", worker=self.name)
                await self._pause(self.poll_interval)

    async def _pause(self, seconds: float) -> None:
        """Sleep, or less when the worker is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _next(self) -> uuid.UUID | None:
        """Claim the oldest queued task, waiting for a wake-up or the next poll when none is."""
        claimed = await self._claim_oldest()
        if claimed is not None or self._stopping.is_set():
            return claimed
        if self.queue.backend == "memory":
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
            return None
        message = None
        with contextlib.suppress(Exception):
            message = await self.queue.get(self.poll_interval)
        if message is not None and "task_id" in message:
            # A hint only: the oldest queued task whose model is free runs first.
            return await self._claim_oldest()
        return None

    async def _claim_oldest(self) -> uuid.UUID | None:
        async with session_scope(self.resources.sessionmaker) as session:
            candidates = (
                await session.exec(
                    select(Task.id, Task.kind)
                    .where(Task.status == "queued")
                    .order_by(col(Task.created_at))
                    .limit(50)
                )
            ).all()
        for task_id, kind in candidates:
            if self._stopping.is_set():
                return None
            lane = lane_of(kind)
            if self._lanes.get(lane, 0) >= self.per_model:
                continue  # its model is busy with a task of this worker: a later one may run
            if await self._claim(task_id, lane):
                return task_id
        return None

    def _release(self, task_id: uuid.UUID) -> None:
        """A claimed task ended here: its lane has room again."""
        self._claimed.discard(task_id)
        lane = self._lane_of.pop(task_id, None)
        if lane is not None:
            self._lanes[lane] = max(0, self._lanes.get(lane, 0) - 1)
            self._wake.set()  # a loop waiting for this model may take its next task

    async def _claim(self, task_id: uuid.UUID, lane: str) -> uuid.UUID | None:
        # Counted before the claim is written, so no other loop of this worker takes the same
        # model meanwhile; given back when the claim fails.
        self._lanes[lane] = self._lanes.get(lane, 0) + 1
        try:
            claimed = await self._write_claim(task_id)
        except BaseException:
            self._lanes[lane] -= 1
            raise
        if claimed is None:
            self._lanes[lane] -= 1
            return None
        self._lane_of[task_id] = lane
        self._claimed.add(task_id)
        return task_id

    async def _write_claim(self, task_id: uuid.UUID) -> uuid.UUID | None:
        now = utcnow()
        async with session_scope(self.resources.sessionmaker) as session:
            result = await session.exec(
                update(Task)
                .where(col(Task.id) == task_id, col(Task.status) == "queued")
                .values(
                    status="running",
                    worker=self.name,
                    started_at=now,
                    heartbeat_at=now,
                    attempts=Task.attempts + 1,
                    progress=TaskProgress(stage="starting").model_dump(),
                )
            )
        if result.rowcount != 1:
            return None
        return task_id

    # --- running one task ---------------------------------------------------------------------

    async def _run(self, task_id: uuid.UUID) -> None:
        async with session_scope(self.resources.sessionmaker) as session:
            row = await session.get(Task, task_id)
        if row is None:
            self._release(task_id)
            return
        registered = handler_for(row.kind)
        if registered is None:
            await self._finish(task_id, "failed", f"No handler for tasks of kind {row.kind!r}.")
            self._release(task_id)
            return
        context = TaskContext(
            resources=self.resources,
            task_id=row.id,
            owner_id=row.owner_id,
            kind=row.kind,
            payload=dict(row.payload or {}),
        )
        timeout = registered.timeout or self.timeout
        runner = asyncio.create_task(
            asyncio.wait_for(registered.handler(context), timeout), name=f"task.{row.kind}"
        )
        self._running[task_id] = runner
        ended = asyncio.Event()
        beat = asyncio.create_task(self._heartbeat(task_id, runner, ended))
        log.info("tasks.started", task_id=str(task_id), kind=row.kind, attempt=row.attempts)
        try:
            await runner
        except (asyncio.CancelledError, TaskCancelled):
            if not self.started:
                raise  # the app is stopping: stop() queues the task again
            log.info("tasks.stopped", task_id=str(task_id), kind=row.kind)
        except TimeoutError:
            await self._finish(
                task_id,
                "failed",
                f"The model did not finish within {timeout:g} s. Your deterministic result is "
                "kept; try again when the model is less busy.",
            )
        except Exception as exc:
            if not isinstance(exc, AppError):
                log.exception("tasks.failed_unexpectedly", task_id=str(task_id), kind=row.kind)
            else:
                log.info("tasks.failed", task_id=str(task_id), kind=row.kind, error=str(exc))
            await self._finish(task_id, "failed", _error_text(exc))
        else:
            await self._finish(task_id, "succeeded", None)
            log.info("tasks.succeeded", task_id=str(task_id), kind=row.kind)
        finally:
            ended.set()
            await asyncio.shield(beat)
            self._running.pop(task_id, None)
            if self.started:
                self._release(task_id)

    async def _heartbeat(
        self, task_id: uuid.UUID, runner: asyncio.Task[None], ended: asyncio.Event
    ) -> None:
        """Renew the lease until ``ended``; stop the handler when the row says it was cancelled
        elsewhere."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), timeout=self.heartbeat)
            if ended.is_set():
                return
            try:
                async with session_scope(self.resources.sessionmaker) as session:
                    result = await session.exec(
                        update(Task)
                        .where(col(Task.id) == task_id, col(Task.status) == "running")
                        .values(heartbeat_at=utcnow())
                    )
                if result.rowcount == 0:
                    runner.cancel()
                    return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("tasks.heartbeat_failed", task_id=str(task_id))

    async def _finish(self, task_id: uuid.UUID, status: str, error: str | None) -> None:
        async with session_scope(self.resources.sessionmaker) as session:
            row = await session.get(Task, task_id)
            if row is None or row.status != "running":
                return  # cancelled meanwhile: the cancel wins
            progress = TaskProgress.model_validate(row.progress or {})
            progress.stage = "done" if status == "succeeded" else status
            if status == "succeeded":
                progress.percent = 100.0
            row.status = status
            row.error = error
            row.finished_at = utcnow()
            row.progress = progress.model_dump()
            session.add(row)

    # --- tasks whose worker went away ---------------------------------------------------------

    async def _sweep_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("tasks.sweep_failed", worker=self.name)
            await self._pause(max(1.0, self.lease / 3))

    async def sweep(self) -> int:
        """Queue again (once) or fail the running tasks whose heartbeat is older than the lease."""
        cutoff = utcnow() - timedelta(seconds=self.lease)
        changed = 0
        async with session_scope(self.resources.sessionmaker) as session:
            rows = (
                await session.exec(
                    select(Task).where(Task.status == "running", col(Task.heartbeat_at) < cutoff)
                )
            ).all()
            for row in rows:
                if row.id in self._running:
                    continue
                if row.attempts < row.max_attempts:
                    row.status = "queued"
                    row.progress = TaskProgress(stage="queued").model_dump()
                    row.worker = None
                else:
                    row.status = "failed"
                    row.error = INTERRUPTED_TWICE
                    row.finished_at = utcnow()
                    row.progress = {**(row.progress or {}), "stage": "failed"}
                session.add(row)
                changed += 1
                log.warning("tasks.orphaned", task_id=str(row.id), now=row.status)
        if changed:
            self._wake.set()
        return changed

    async def _requeue(self, task_ids: list[uuid.UUID]) -> None:
        async with session_scope(self.resources.sessionmaker) as session:
            await session.exec(
                update(Task)
                .where(col(Task.id).in_(task_ids), col(Task.status) == "running")
                .values(
                    status="queued",
                    worker=None,
                    progress=TaskProgress(stage="queued").model_dump(),
                )
            )
        log.info("tasks.requeued_at_stop", count=len(task_ids))
