"""The tasks domain's public API: submit model-backed work, read it, cancel it, run it again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import event, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.core.logging import get_logger
from careergini.runtime.resources import Resources
from careergini.tasks.errors import TaskNotFound, TaskNotRetryable
from careergini.tasks.idempotency import (
    IdempotencyKeyHeader as IdempotencyKeyHeader,
    Replay as Replay,
    answer_once as answer_once,
    idempotent as idempotent,
)
from careergini.tasks.models import IdempotencyRecord, Task
from careergini.tasks.registry import (
    TaskContext as TaskContext,
    TaskHandler as TaskHandler,
    kinds_in_lane,
    register as register,
)
from careergini.tasks.schemas import (
    FINAL_STATUSES,
    TaskLinks,
    TaskList,
    TaskProgress,
    TaskPublic,
    TaskResultRef,
)
from careergini.tasks.worker import TaskWorker

log = get_logger(__name__)


def links(task_id: uuid.UUID | str) -> TaskLinks:
    base = f"/api/tasks/{task_id}"
    return TaskLinks(self=base, events=f"{base}/events", cancel=f"{base}/cancel")


def to_public(task: Task, *, queue_position: int | None = None) -> TaskPublic:
    """Return a task as the API shows it."""
    progress = TaskProgress.model_validate(task.progress or {})
    if task.status == "queued":
        progress.queue_position = queue_position
    elif task.status != "running":
        progress.queue_position = None
    result = TaskResultRef.model_validate(task.result) if task.result else None
    return TaskPublic(
        id=str(task.id),
        kind=task.kind,
        status=task.status,
        progress=progress,
        result=result,
        error=task.error,
        created_at=task.created_at,
        started_at=task.started_at,
        finished_at=task.finished_at,
        links=links(task.id),
    )


async def queue_position(session: AsyncSession, task: Task) -> int | None:
    """Return how many tasks run or wait ahead of a queued task for the same model (0: it runs
    next)."""
    if task.status != "queued":
        return None
    ahead = await session.exec(
        select(func.count())
        .select_from(Task)
        .where(
            col(Task.kind).in_(kinds_in_lane(task.kind)),
            or_(
                col(Task.status) == "running",
                (col(Task.status) == "queued") & (col(Task.created_at) < task.created_at),
            ),
        )
    )
    return int(ahead.one())


async def describe(session: AsyncSession, task: Task) -> TaskPublic:
    return to_public(task, queue_position=await queue_position(session, task))


def _wake_after_commit(session: AsyncSession, resources: Resources, task_id: uuid.UUID) -> None:
    worker = resources.component(TaskWorker)
    if worker is None:
        return  # no worker in this process (a script, a test): the next worker's poll finds it

    def _committed(_session: Any) -> None:
        worker.notify(task_id)

    event.listen(session.sync_session, "after_commit", _committed, once=True)


async def submit(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    kind: str,
    payload: dict[str, Any],
    result: TaskResultRef,
    stage: str = "queued",
) -> TaskPublic:
    """Store a queued task for the resource ``result``; the worker starts it after the commit."""
    task = Task(
        owner_id=owner_id,
        kind=kind,
        payload=payload,
        result=result.model_dump(),
        resource_kind=result.kind,
        resource_id=result.id,
        progress=TaskProgress(stage=stage).model_dump(),
    )
    session.add(task)
    await session.flush()
    _wake_after_commit(session, resources, task.id)
    log.info("tasks.submitted", task_id=str(task.id), kind=kind)
    return await describe(session, task)


async def get_task(*, session: AsyncSession, owner_id: uuid.UUID, task_id: uuid.UUID) -> TaskPublic:
    """Return one of the user's tasks (another user's is a 404)."""
    task = await get_owned(session, Task, task_id, owner_id=owner_id, missing=TaskNotFound)
    return await describe(session, task)


async def list_tasks(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID | None,
    status: Sequence[str] = (),
    kind: str | None = None,
    limit: int = 50,
) -> TaskList:
    """Return tasks, newest first: the user's, or everyone's for an operator (owner_id None)."""
    query = select(Task).order_by(col(Task.created_at).desc()).limit(limit)
    if owner_id is not None:
        query = query.where(Task.owner_id == owner_id)
    if status:
        query = query.where(col(Task.status).in_(list(status)))
    if kind:
        query = query.where(Task.kind == kind)
    rows = (await session.exec(query)).all()
    return TaskList(items=[await describe(session, row) for row in rows])


async def latest_for(
    *, session: AsyncSession, owner_id: uuid.UUID, result_kind: str, result_id: uuid.UUID | str
) -> TaskPublic | None:
    """Return the newest task working on one resource of the user, if any."""
    row = (
        await session.exec(
            select(Task)
            .where(
                Task.owner_id == owner_id,
                Task.resource_id == str(result_id),
                Task.resource_kind == result_kind,
            )
            .order_by(col(Task.created_at).desc())
            .limit(1)
        )
    ).first()
    return await describe(session, row) if row is not None else None


async def cancel_task(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID | None,
    task_id: uuid.UUID,
) -> TaskPublic:
    """Cancel a queued or running task; a finished one is returned unchanged."""
    task = await _task(session, owner_id=owner_id, task_id=task_id)
    if task.status in FINAL_STATUSES:
        return await describe(session, task)
    now = utcnow()
    await session.exec(
        update(Task)
        .where(col(Task.id) == task.id, col(Task.status).in_(["queued", "running"]))
        .values(
            status="cancelled",
            finished_at=now,
            error="Cancelled.",
            progress={**(task.progress or {}), "stage": "cancelled"},
        )
    )
    await session.refresh(task)
    worker = resources.component(TaskWorker)
    if worker is not None:
        worker.cancel_local(task.id)
    log.info("tasks.cancelled", task_id=str(task.id))
    return await describe(session, task)


async def retry_task(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID | None,
    task_id: uuid.UUID,
) -> TaskPublic:
    """Queue a failed or cancelled task again (the dead-letter's way back)."""
    task = await _task(session, owner_id=owner_id, task_id=task_id)
    if task.status not in ("failed", "cancelled"):
        raise TaskNotRetryable(
            f"The task is {task.status}; only a failed or cancelled task runs again."
        )
    task.status = "queued"
    task.error = None
    task.attempts = 0
    task.started_at = task.finished_at = task.heartbeat_at = None
    task.worker = None
    task.created_at = utcnow()  # back of the queue
    task.progress = TaskProgress(stage="queued").model_dump()
    session.add(task)
    await session.flush()
    _wake_after_commit(session, resources, task.id)
    return await describe(session, task)


async def _task(session: AsyncSession, *, owner_id: uuid.UUID | None, task_id: uuid.UUID) -> Task:
    if owner_id is None:
        task = await session.get(Task, task_id)
        if task is None:
            raise TaskNotFound()
        return task
    return await get_owned(session, Task, task_id, owner_id=owner_id, missing=TaskNotFound)


async def purge_finished(*, session: AsyncSession, older_than: timedelta) -> int:
    """Delete finished tasks older than the retention (failed ones stay for the operator)."""
    cutoff = utcnow() - older_than
    rows = (
        await session.exec(
            select(Task).where(
                col(Task.status).in_(["succeeded", "cancelled"]),
                col(Task.finished_at) < cutoff,
            )
        )
    ).all()
    for row in rows:
        await session.delete(row)
    return len(rows)


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> dict[str, Any]:
    """Return the user's background tasks and the stored replies to their repeated requests."""
    tasks = (
        await session.exec(
            select(Task).where(Task.owner_id == owner_id).order_by(col(Task.created_at))
        )
    ).all()
    replays = (
        await session.exec(
            select(IdempotencyRecord)
            .where(IdempotencyRecord.owner_id == owner_id)
            .order_by(col(IdempotencyRecord.created_at))
        )
    ).all()
    return {
        "tasks": [
            task.model_dump(mode="json", exclude={"owner_id", "worker", "heartbeat_at"})
            for task in tasks
        ],
        "repeated_requests": [
            record.model_dump(mode="json", exclude={"owner_id", "request_hash"})
            for record in replays
        ],
    }
