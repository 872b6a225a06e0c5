from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Response, status
from fastapi.responses import StreamingResponse

from careergini.core.db import utcnow
from careergini.gateway.account import service as account_service
from careergini.gateway.audit import service as audit_service
from careergini.gateway.audit.schemas import AuditPage
from careergini.gateway.auth.dependencies import (
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    REFRESH_COOKIE_PATH,
    CallerDep,
    CurrentUser,
)
from careergini.runtime.deps import ResourcesDep, SessionDep

router = APIRouter(prefix="/api/account", tags=["account"])


@router.get("/export", response_class=StreamingResponse)
async def export_account(
    user: CurrentUser, session: SessionDep, resources: ResourcesDep, caller: CallerDep
) -> StreamingResponse:
    """Download everything CareerGini holds about you: a zip of JSON and your files."""
    archive = await account_service.export_account(
        session=session, resources=resources, user=user, caller=caller
    )
    filename = f"careergini-export-{utcnow():%Y%m%d}.zip"

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := archive.read(64 * 1024):
                yield chunk
        finally:
            archive.close()

    return StreamingResponse(
        chunks(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def delete_account(
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    background: BackgroundTasks,
    caller: CallerDep,
) -> Response:
    """Delete your account and everything in it: rows, files, vectors and cached entries."""
    user_id = user.id
    await account_service.delete_account(
        session=session, resources=resources, user=user, caller=caller
    )
    # Background tasks run after the request's transaction has committed.
    background.add_task(
        account_service.compact_after_deletion, resources=resources, user_id=user_id
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT, background=background)
    response.delete_cookie(ACCESS_COOKIE, path="/")
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH)
    return response


@router.get("/audit", response_model=AuditPage)
async def my_security_events(
    user: CurrentUser,
    session: SessionDep,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditPage:
    """List your account's security events (sign-ins, failures, changes), newest first."""
    return await audit_service.list_events(
        session=session, user_id=user.id, before=before, limit=limit
    )
