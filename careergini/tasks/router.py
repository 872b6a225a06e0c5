"""``/api/tasks``: the user's background tasks, their live progress, cancel and retry."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from careergini.core.db import session_scope
from careergini.gateway.auth.dependencies import CurrentUser
from careergini.runtime.deps import ResourcesDep, SessionDep
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import FINAL_STATUSES, TaskList, TaskPublic, TaskStatus
from careergini.tasks.worker import TaskWorker


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the task worker for the app's lifetime; a graceful stop queues its tasks again."""
    resources = app.state.resources
    worker = TaskWorker(resources)
    resources.attach(worker)
    await worker.start()
    try:
        yield
    finally:
        await worker.stop()
        resources.detach(TaskWorker)


router = APIRouter(prefix="/api/tasks", tags=["tasks"], lifespan=lifespan)

# How often the event stream looks at the task (a row read; cheap).
POLL_SECONDS = 0.5


@router.get("", response_model=TaskList)
async def list_tasks(
    user: CurrentUser,
    session: SessionDep,
    status: Annotated[list[TaskStatus] | None, Query(description="filter by status")] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TaskList:
    """Return your tasks, newest first."""
    return await tasks_service.list_tasks(
        session=session, owner_id=user.id, status=status or (), kind=kind, limit=limit
    )


@router.get("/{task_id}", response_model=TaskPublic)
async def get_task(task_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> TaskPublic:
    """Return one of your tasks with its progress and, when done, where its result is."""
    return await tasks_service.get_task(session=session, owner_id=user.id, task_id=task_id)


async def owned_task(task_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> TaskPublic:
    """The task of the path, if it is the caller's (404 otherwise), before any byte is streamed."""
    return await tasks_service.get_task(session=session, owner_id=user.id, task_id=task_id)


OwnedTask = Annotated[TaskPublic, Depends(owned_task)]


@router.get(
    "/{task_id}/events",
    response_class=EventSourceResponse,
    responses={200: {"description": "`task` events (the task as JSON) until it ends"}},
)
async def task_events(
    request: Request, user: CurrentUser, resources: ResourcesDep, current: OwnedTask
) -> AsyncIterator[ServerSentEvent]:
    """Stream the task as Server-Sent Events each time it changes, until it ends.

    Keep-alive comments (`: ping`) are sent every 15 s while nothing changes.
    """
    last = None
    while True:
        snapshot = current.model_dump_json()
        if snapshot != last:
            last = snapshot
            yield ServerSentEvent(event="task", raw_data=snapshot)
        if current.status in FINAL_STATUSES or await request.is_disconnected():
            return
        await asyncio.sleep(POLL_SECONDS)
        async with session_scope(resources.sessionmaker) as session:
            current = await tasks_service.get_task(
                session=session, owner_id=user.id, task_id=uuid.UUID(current.id)
            )


@router.post("/{task_id}/cancel", response_model=TaskPublic)
async def cancel_task(
    task_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> TaskPublic:
    """Cancel a queued or running task (the deterministic result stays as it is)."""
    return await tasks_service.cancel_task(
        session=session, resources=resources, owner_id=user.id, task_id=task_id
    )


@router.post("/{task_id}/retry", response_model=TaskPublic)
async def retry_task(
    task_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> TaskPublic:
    """Run a failed or cancelled task again (409 for one that is queued, running or done)."""
    return await tasks_service.retry_task(
        session=session, resources=resources, owner_id=user.id, task_id=task_id
    )
