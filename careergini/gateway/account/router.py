from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, BackgroundTasks, Response, status
from fastapi.responses import StreamingResponse

from careergini.core.db import utcnow
from careergini.gateway.account import service as account_service
from careergini.gateway.auth.dependencies import (
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    REFRESH_COOKIE_PATH,
    CurrentUser,
)
from careergini.runtime.deps import ResourcesDep, SessionDep

router = APIRouter(prefix="/api/account", tags=["account"])


@router.get("/export", response_class=StreamingResponse)
async def export_account(
    user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> StreamingResponse:
    """Download everything CareerGini holds about you: a zip of JSON and your files."""
    archive = await account_service.export_account(session=session, resources=resources, user=user)
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
    user: CurrentUser, session: SessionDep, resources: ResourcesDep, background: BackgroundTasks
) -> Response:
    """Delete your account and everything in it: rows, files, vectors and cached entries."""
    user_id = user.id
    await account_service.delete_account(session=session, resources=resources, user=user)
    # Background tasks run after the request's transaction has committed.
    background.add_task(
        account_service.compact_after_deletion, resources=resources, user_id=user_id
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT, background=background)
    response.delete_cookie(ACCESS_COOKIE, path="/")
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH)
    return response
