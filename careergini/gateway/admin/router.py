"""Operators' routes under ``/api/admin`` (404 for everyone else): LLM usage and the task queue."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from careergini.gateway.auth.dependencies import AdminUser
from careergini.llm.schemas import UsageReport
from careergini.runtime.deps import LLMDep, ResourcesDep, SessionDep
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import TaskList, TaskPublic, TaskStatus

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/llm/usage", response_model=UsageReport)
async def llm_usage(
    admin: AdminUser,
    llm: LLMDep,
    hours: Annotated[int, Query(ge=1, le=24 * 31, description="window, in hours")] = 24,
) -> UsageReport:
    """Return LLM calls, tokens, latency, cache hits and fallbacks per role, model and user."""
    return await llm.usage(hours=hours)


@router.get("/tasks", response_model=TaskList)
async def list_tasks(
    admin: AdminUser,
    session: SessionDep,
    status: Annotated[
        list[TaskStatus] | None, Query(description="e.g. failed: the dead-letter list")
    ] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> TaskList:
    """Return every user's tasks, newest first; ``status=failed`` lists the dead letters."""
    return await tasks_service.list_tasks(
        session=session, owner_id=None, status=status or (), kind=kind, limit=limit
    )


@router.post("/tasks/{task_id}/retry", response_model=TaskPublic)
async def retry_task(
    task_id: uuid.UUID, admin: AdminUser, session: SessionDep, resources: ResourcesDep
) -> TaskPublic:
    """Queue a failed or cancelled task again, whoever it belongs to."""
    return await tasks_service.retry_task(
        session=session, resources=resources, owner_id=None, task_id=task_id
    )
