"""Operators' routes under ``/api/admin`` (404 for everyone else): users, the audit log, LLM
usage, the task queue, job-source health and storage use."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from careergini.gateway.admin import service as admin_service
from careergini.gateway.admin.schemas import StorageUse
from careergini.gateway.audit import service as audit_service
from careergini.gateway.audit.schemas import AuditPage
from careergini.gateway.auth.dependencies import AdminUser, CallerDep
from careergini.gateway.auth.schemas import AdminUserPublic, AdminUserUpdate
from careergini.gateway.openapi import ErrorBody
from careergini.jobs import service as jobs_service
from careergini.jobs.schemas import SourceHealth
from careergini.llm.schemas import UsageReport
from careergini.runtime.deps import LLMDep, ResourcesDep, SessionDep
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import TaskList, TaskPublic, TaskStatus

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/users", response_model=list[AdminUserPublic])
async def list_users(admin: AdminUser, session: SessionDep) -> list[AdminUserPublic]:
    """Return every account: role, enabled, two-factor, linked providers, last sign-in."""
    return await admin_service.list_users(session=session)


@router.patch(
    "/users/{user_id}",
    response_model=AdminUserPublic,
    responses={409: {"model": ErrorBody, "description": "The last active admin must stay one."}},
)
async def update_user(
    user_id: uuid.UUID,
    body: AdminUserUpdate,
    admin: AdminUser,
    session: SessionDep,
    caller: CallerDep,
) -> AdminUserPublic:
    """Change an account's role (`admin`/`user`) or disable it (which signs it out everywhere)."""
    return await admin_service.update_user(
        session=session, admin=admin, user_id=user_id, change=body, caller=caller
    )


@router.post("/users/{user_id}/sessions/revoke", status_code=status.HTTP_204_NO_CONTENT)
async def reset_sessions(
    user_id: uuid.UUID, admin: AdminUser, session: SessionDep, caller: CallerDep
) -> None:
    """Sign every login of an account out."""
    await admin_service.reset_sessions(session=session, admin=admin, user_id=user_id, caller=caller)


@router.delete(
    "/users/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={409: {"model": ErrorBody, "description": "Your own account (use /api/account)."}},
)
async def delete_user(
    user_id: uuid.UUID,
    admin: AdminUser,
    session: SessionDep,
    resources: ResourcesDep,
    caller: CallerDep,
) -> None:
    """Erase an account and everything in it (not your own: use the Account page)."""
    await admin_service.delete_user(
        session=session, resources=resources, admin=admin, user_id=user_id, caller=caller
    )


@router.get("/audit", response_model=AuditPage)
async def audit_log(
    admin: AdminUser,
    session: SessionDep,
    user_id: uuid.UUID | None = None,
    event: Annotated[str | None, Query(max_length=64)] = None,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """Return every account's security events, newest first (filter by user or event)."""
    return await audit_service.list_events(
        session=session, user_id=user_id, event=event, before=before, limit=limit
    )


@router.get("/storage", response_model=StorageUse)
async def storage_use(admin: AdminUser, session: SessionDep, resources: ResourcesDep) -> StorageUse:
    """Return the size of the database, the files and the vectors, and row counts."""
    return await admin_service.storage_use(session=session, resources=resources)


@router.get("/jobs/sources", response_model=list[SourceHealth])
async def job_source_health(admin: AdminUser, session: SessionDep) -> list[SourceHealth]:
    """Return every user's job sources, failing ones first, with their last error."""
    return await jobs_service.source_health(session=session)


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
    task_id: uuid.UUID,
    admin: AdminUser,
    session: SessionDep,
    resources: ResourcesDep,
    caller: CallerDep,
) -> TaskPublic:
    """Queue a failed or cancelled task again, whoever it belongs to."""
    task = await tasks_service.retry_task(
        session=session, resources=resources, owner_id=None, task_id=task_id
    )
    await admin_service.record_task_retry(
        session=session, admin=admin, task_id=task_id, caller=caller
    )
    return task
