"""The notifications domain's API: the user's notifications (read, mark read), their digest
preferences, the signed unsubscribe link, and queuing a round now.

Scheduled rounds and the digest itself are in ``rounds`` (run by the task worker).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.gateway.auth import service as auth_service
from careergini.jobs import service as jobs_service
from careergini.notifications import digest
from careergini.notifications.errors import (
    BadUnsubscribeLink,
    NotificationNotFound,
    UnknownSources,
)
from careergini.notifications.models import Notification, NotificationSettings
from careergini.notifications.rounds import preferences_row, schedule_due, submit_round
from careergini.notifications.schemas import (
    MarkedRead,
    NotificationList,
    NotificationPublic,
    PreferencesPublic,
    PreferencesUpdate,
    RoundReport,
)
from careergini.runtime.resources import Resources
from careergini.tasks.schemas import TaskPublic

__all__ = [
    "export_for_account",
    "get_preferences",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "run_now",
    "schedule_due",
    "unsubscribe",
    "update_preferences",
]


def _public(row: Notification) -> NotificationPublic:
    return NotificationPublic(
        id=str(row.id),
        kind=row.kind,
        title=row.title,
        body=row.body,
        link=row.link,
        data=row.data,
        created_at=row.created_at,
        read_at=row.read_at,
        emailed_at=row.emailed_at,
    )


async def list_notifications(
    *, session: AsyncSession, owner_id: uuid.UUID, unread_only: bool, limit: int
) -> NotificationList:
    """Return the user's notifications, newest first, with how many are unread."""
    query = select(Notification).where(Notification.owner_id == owner_id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    rows = (
        await session.exec(
            query.order_by(col(Notification.created_at).desc(), col(Notification.id)).limit(limit)
        )
    ).all()
    unread = (
        await session.exec(
            select(func.count())
            .select_from(Notification)
            .where(Notification.owner_id == owner_id, col(Notification.read_at).is_(None))
        )
    ).one()
    return NotificationList(items=[_public(r) for r in rows], unread=int(unread))


async def mark_read(
    *, session: AsyncSession, owner_id: uuid.UUID, notification_id: uuid.UUID
) -> NotificationPublic:
    """Mark one of the user's notifications read (another user's is a 404)."""
    row = await get_owned(
        session, Notification, notification_id, owner_id=owner_id, missing=NotificationNotFound
    )
    if row.read_at is None:
        row.read_at = utcnow()
        session.add(row)
        await session.flush()
    return _public(row)


async def mark_all_read(*, session: AsyncSession, owner_id: uuid.UUID) -> MarkedRead:
    """Mark every unread notification of the user read."""
    result = await session.exec(
        update(Notification)
        .where(col(Notification.owner_id) == owner_id, col(Notification.read_at).is_(None))
        .values(read_at=utcnow())
    )
    return MarkedRead(marked=int(result.rowcount or 0))


async def _preferences_public(
    session: AsyncSession, resources: Resources, row: NotificationSettings
) -> PreferencesPublic:
    user = await auth_service.get_user(session=session, user_id=row.owner_id)
    return PreferencesPublic(
        email_digest=row.email_digest,
        min_score=row.min_score,
        source_ids=list(row.source_ids),
        email=user.email if user is not None else "",
        email_available=resources.mail.configured,
        last_emailed_at=row.last_emailed_at,
        next_round_at=row.next_round_at,
        last_round=RoundReport.model_validate(row.last_round) if row.last_round else None,
    )


async def get_preferences(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID
) -> PreferencesPublic:
    """Return the user's digest preferences (the defaults until they choose)."""
    row = await preferences_row(session, resources.settings, owner_id)
    return await _preferences_public(session, resources, row)


async def update_preferences(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, body: PreferencesUpdate
) -> PreferencesPublic:
    """Change how often the digest comes, the minimum score and the sources that count."""
    row = await preferences_row(session, resources.settings, owner_id)
    if body.source_ids is not None:
        mine = {s.id for s in await jobs_service.list_sources(session=session, owner_id=owner_id)}
        wanted = [str(i) for i in dict.fromkeys(body.source_ids)]
        unknown = [i for i in wanted if i not in mine]
        if unknown:
            raise UnknownSources(unknown)
        row.source_ids = wanted
    if body.min_score is not None:
        row.min_score = body.min_score
    if body.email_digest is not None:
        if row.email_digest == "off" and body.email_digest != "off":
            # Turning the digest on looks for news at the scheduler's next tick.
            row.next_round_at = utcnow()
            row.unsubscribed_at = None
        row.email_digest = body.email_digest
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return await _preferences_public(session, resources, row)


async def unsubscribe(
    *, session: AsyncSession, resources: Resources, user: str, token: str
) -> PreferencesPublic:
    """Turn the email digest off for the user a signed unsubscribe link names."""
    try:
        owner_id = uuid.UUID(user)
    except ValueError as exc:
        raise BadUnsubscribeLink() from exc
    if not digest.token_matches(resources.settings.secret_key, owner_id, token):
        raise BadUnsubscribeLink()
    if await auth_service.get_user(session=session, user_id=owner_id) is None:
        raise BadUnsubscribeLink()
    row = await preferences_row(session, resources.settings, owner_id)
    if row.email_digest != "off":
        row.email_digest = "off"
        row.unsubscribed_at = utcnow()
        row.updated_at = utcnow()
        session.add(row)
        await session.flush()
    return await _preferences_public(session, resources, row)


async def run_now(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID
) -> TaskPublic:
    """Queue a round of the user's notifications now (new matches, follow-ups, closed jobs,
    and the digest if it is due)."""
    await preferences_row(session, resources.settings, owner_id)
    return await submit_round(session=session, resources=resources, owner_id=owner_id)


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> dict[str, Any]:
    """Return the user's notification preferences and notifications for the account export."""
    prefs = await session.get(NotificationSettings, owner_id)
    rows = (
        await session.exec(
            select(Notification)
            .where(Notification.owner_id == owner_id)
            .order_by(col(Notification.created_at))
        )
    ).all()
    return {
        "preferences": prefs.model_dump(mode="json") if prefs is not None else None,
        "notifications": [r.model_dump(mode="json", exclude={"owner_id"}) for r in rows],
    }
