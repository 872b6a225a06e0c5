"""``/api/notifications``: the bell's notifications, digest preferences, the one-click
unsubscribe link; the scheduler of notification rounds runs for the app's lifetime."""

from __future__ import annotations

import asyncio
import contextlib
import html
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, status
from fastapi.responses import HTMLResponse

from careergini.core.logging import get_logger
from careergini.gateway.auth.dependencies import CurrentUser
from careergini.notifications import service as notifications_service
from careergini.notifications.schemas import (
    MarkedRead,
    NotificationList,
    NotificationPublic,
    PreferencesPublic,
    PreferencesUpdate,
)
from careergini.runtime.deps import ResourcesDep, SessionDep
from careergini.runtime.resources import Resources
from careergini.tasks.schemas import TaskPublic

log = get_logger(__name__)


async def _schedule(resources: Resources, stopping: asyncio.Event) -> None:
    every = resources.settings.notifications_scheduler_tick_seconds
    while not stopping.is_set():
        # The first look is one tick after the start, not at once: a restart loop never
        # queues rounds faster than the tick.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), every)
        if stopping.is_set():
            return
        try:
            await notifications_service.schedule_due(resources)
        except Exception:
            log.exception("notifications.scheduler_failed")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Queue the notification rounds that come due while the app runs."""
    stopping = asyncio.Event()
    task = asyncio.create_task(
        _schedule(app.state.resources, stopping), name="notifications.scheduler"
    )
    try:
        yield
    finally:
        stopping.set()
        _, late = await asyncio.wait([task], timeout=10)
        for pending in late:
            pending.cancel()


router = APIRouter(prefix="/api/notifications", tags=["notifications"], lifespan=lifespan)


@router.get("", response_model=NotificationList)
async def list_notifications(
    user: CurrentUser,
    session: SessionDep,
    unread: Annotated[bool, Query(description="only the unread ones")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NotificationList:
    """Your notifications, newest first, and how many are unread (the bell)."""
    return await notifications_service.list_notifications(
        session=session, owner_id=user.id, unread_only=unread, limit=limit
    )


@router.post("/read-all", response_model=MarkedRead)
async def mark_all_read(user: CurrentUser, session: SessionDep) -> MarkedRead:
    """Mark all your notifications read."""
    return await notifications_service.mark_all_read(session=session, owner_id=user.id)


@router.get("/preferences", response_model=PreferencesPublic)
async def get_preferences(
    user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> PreferencesPublic:
    """Your digest preferences: how often (off, daily, weekly), minimum score, sources."""
    return await notifications_service.get_preferences(
        session=session, resources=resources, owner_id=user.id
    )


@router.put("/preferences", response_model=PreferencesPublic)
async def update_preferences(
    body: PreferencesUpdate, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> PreferencesPublic:
    """Change your digest preferences (only the fields sent change)."""
    return await notifications_service.update_preferences(
        session=session, resources=resources, owner_id=user.id, body=body
    )


@router.post("/run", response_model=TaskPublic, status_code=status.HTTP_202_ACCEPTED)
async def run_now(user: CurrentUser, session: SessionDep, resources: ResourcesDep) -> TaskPublic:
    """Look for notifications now, as the daily round does (a background task): checks the
    jobs you track, new matching postings, follow-ups due; emails the digest if it is due."""
    return await notifications_service.run_now(
        session=session, resources=resources, owner_id=user.id
    )


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Unsubscribed - CareerGini</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem;">
<h1>You are unsubscribed</h1>
<p>CareerGini will send no more digests to {email}.</p>
<p>Your notifications stay in the app. To get the digest again, choose daily or weekly
under <a href="/notifications">Notifications</a>.</p></body></html>"""


async def _unsubscribe(
    session: SessionDep, resources: ResourcesDep, user: str, token: str
) -> HTMLResponse:
    prefs = await notifications_service.unsubscribe(
        session=session, resources=resources, user=user, token=token
    )
    return HTMLResponse(_PAGE.format(email=html.escape(prefs.email)))


_LINK_ARGS = {
    "response_class": HTMLResponse,
    "responses": {
        200: {"content": {"text/html": {}}, "description": "unsubscribed"},
        404: {"description": "the link is not valid (changed or cut short)"},
    },
}


@router.get("/unsubscribe", **_LINK_ARGS)  # type: ignore[arg-type]
async def unsubscribe_link(
    session: SessionDep,
    resources: ResourcesDep,
    user: Annotated[str, Query(max_length=64)],
    token: Annotated[str, Query(max_length=128)],
) -> HTMLResponse:
    """The digest's signed one-click unsubscribe link (no login needed): turns the digest off."""
    return await _unsubscribe(session, resources, user, token)


@router.post("/unsubscribe", **_LINK_ARGS)  # type: ignore[arg-type]
async def unsubscribe_one_click(
    session: SessionDep,
    resources: ResourcesDep,
    user: Annotated[str, Query(max_length=64)],
    token: Annotated[str, Query(max_length=128)],
) -> HTMLResponse:
    """RFC 8058 one-click unsubscribe (the mail program's List-Unsubscribe-Post)."""
    return await _unsubscribe(session, resources, user, token)


@router.post("/{notification_id}/read", response_model=NotificationPublic)
async def mark_read(
    notification_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> NotificationPublic:
    """Mark one of your notifications read."""
    return await notifications_service.mark_read(
        session=session, owner_id=user.id, notification_id=notification_id
    )
