"""A round of one user's notifications, run by the task worker, and the scheduler that queues
the rounds that are due.

A round checks that the jobs the user tracks are still open (jobs liveness), makes a
notification for each new posting scoring at least the user's minimum, each follow-up that has
come due and each tracked job that closed (each event once: a unique key per user), and emails
the digest of what was not emailed yet when the user's daily or weekly digest is due.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.config import Settings
from careergini.core.db import session_scope, utcnow
from careergini.core.logging import get_logger
from careergini.gateway.auth import service as auth_service
from careergini.jobs import service as jobs_service
from careergini.notifications import digest
from careergini.notifications.models import Notification, NotificationSettings
from careergini.notifications.schemas import RoundReport
from careergini.runtime.resources import Resources
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import TaskPublic, TaskResultRef

log = get_logger(__name__)

ROUND_KIND = "notifications.round"
# The first round of a user looks this far back for new postings.
FIRST_LOOK_BACK = timedelta(days=7)
# Scheduled rounds queued by one scheduler pass.
DUE_BATCH = 100


async def preferences_row(
    session: AsyncSession, settings: Settings, owner_id: uuid.UUID
) -> NotificationSettings:
    """Return the user's preferences row, making it with the defaults the first time."""
    row = await session.get(NotificationSettings, owner_id)
    if row is not None:
        return row
    try:
        async with session.begin_nested():
            row = NotificationSettings(
                owner_id=owner_id, min_score=settings.notifications_default_min_score
            )
            session.add(row)
    except IntegrityError:  # made at the same moment by another request or the scheduler
        row = await session.get(NotificationSettings, owner_id)
        assert row is not None
    return row


def _match_notice(item: Any) -> dict[str, Any]:
    job = item.job
    where = ", ".join(p for p in (job.company, job.location) if p)
    return {
        "kind": "job.match",
        "dedup_key": f"match:{job.id}",
        "title": job.title,
        "body": f"{where + ': ' if where else ''}match score {round(item.score)}/100",
        "link": f"/jobs/{job.id}",
        "data": {
            "job_id": job.id,
            "company": job.company,
            "score": item.score,
            "reasons": item.top_reasons[:3],
        },
    }


def _follow_up_notice(application: Any) -> dict[str, Any]:
    due: datetime = application.follow_up_at
    company = f" at {application.company}" if application.company else ""
    return {
        "kind": "application.follow_up",
        "dedup_key": f"follow_up:{application.id}:{due.isoformat()}",
        "title": f"{application.title}{company}",
        "body": f"follow up ({application.status}); due {due:%Y-%m-%d}",
        "link": "/jobs/board",
        "data": {"application_id": application.id, "follow_up_at": due.isoformat()},
    }


def _closed_notice(application: Any, closed_at: datetime, why: str | None) -> dict[str, Any]:
    company = f" at {application.company}" if application.company else ""
    reason = f" ({why})" if why else ""
    return {
        "kind": "job.closed",
        "dedup_key": f"closed:{application.id}:{closed_at.isoformat()}",
        "title": f"{application.title}{company}",
        "body": f"the posting closed on {closed_at:%Y-%m-%d}{reason}; your application "
        f"({application.status}) is kept",
        "link": "/jobs/board",
        "data": {
            "application_id": application.id,
            "job_id": application.job_id,
            "closed_at": closed_at.isoformat(),
        },
    }


async def _store(session: AsyncSession, owner_id: uuid.UUID, notices: list[dict[str, Any]]) -> int:
    """Add the notices not made before; return how many are new."""
    if not notices:
        return 0
    keys = [n["dedup_key"] for n in notices]
    known = set(
        (
            await session.exec(
                select(Notification.dedup_key).where(
                    Notification.owner_id == owner_id, col(Notification.dedup_key).in_(keys)
                )
            )
        ).all()
    )
    fresh = {n["dedup_key"]: n for n in notices if n["dedup_key"] not in known}
    made = 0
    for notice in fresh.values():
        try:
            # One savepoint each: a round running at the same moment (a "Look now" beside the
            # scheduled one) may have made the same event; it is then told once, not twice.
            async with session.begin_nested():
                session.add(Notification(owner_id=owner_id, **notice))
            made += 1
        except IntegrityError:
            log.info("notifications.already_made", kind=notice["kind"])
    return made


async def _collect(
    session: AsyncSession,
    resources: Resources,
    prefs: NotificationSettings,
    *,
    now: datetime,
    closed_why: dict[str, str],
) -> int:
    settings = resources.settings
    since = prefs.last_round_at or now - FIRST_LOOK_BACK
    limit = settings.notifications_digest_items
    matches = await jobs_service.new_matches(
        session=session,
        resources=resources,
        owner_id=prefs.owner_id,
        since=since,
        minimum=prefs.min_score,
        source_ids=[uuid.UUID(i) for i in prefs.source_ids],
        limit=limit,
    )
    follow_ups = await jobs_service.follow_ups_due(
        session=session, owner_id=prefs.owner_id, until=now
    )
    closed = await jobs_service.closed_tracked(
        session=session, owner_id=prefs.owner_id, since=since - timedelta(minutes=1)
    )
    notices = [_match_notice(item) for item in matches]
    notices += [_follow_up_notice(a) for a in follow_ups[:limit]]
    notices += [_closed_notice(a, at, closed_why.get(a.job_id or "")) for a, at in closed[:limit]]
    return await _store(session, prefs.owner_id, notices)


async def _send_digest(resources: Resources, owner_id: uuid.UUID, now: datetime) -> int:
    """Email the notifications not emailed yet when the user's digest is due; return how many."""
    settings = resources.settings
    if not resources.mail.configured:
        return 0
    async with session_scope(resources.sessionmaker) as session:
        prefs = await preferences_row(session, settings, owner_id)
        due = digest.email_due(
            prefs.email_digest,
            prefs.last_emailed_at,
            now,
            round_minutes=settings.notifications_round_minutes,
        )
        if not due:
            return 0
        user = await auth_service.get_user(session=session, user_id=owner_id)
        oldest = now - digest.PERIODS[prefs.email_digest] - FIRST_LOOK_BACK
        pending = (
            await session.exec(
                select(Notification)
                .where(
                    Notification.owner_id == owner_id,
                    col(Notification.emailed_at).is_(None),
                    col(Notification.created_at) > oldest,
                )
                .order_by(col(Notification.created_at), col(Notification.id))
                .limit(3 * settings.notifications_digest_items)
            )
        ).all()
        frequency, min_score = prefs.email_digest, prefs.min_score
    if user is None or not pending:
        return 0
    mail = digest.compose(
        pending,
        to=user.email,
        frequency=frequency,
        min_score=min_score,
        base_url=settings.base_url,
        unsubscribe=digest.unsubscribe_url(settings.base_url, settings.secret_key, owner_id),
    )
    # An unreachable mail server fails the task with its reason; nothing is marked sent, so
    # the next round's digest carries these notifications.
    await resources.mail.send(mail)
    async with session_scope(resources.sessionmaker) as session:
        await session.exec(
            update(Notification)
            .where(col(Notification.id).in_([n.id for n in pending]))
            .values(emailed_at=now)
        )
        await session.exec(
            update(NotificationSettings)
            .where(col(NotificationSettings.owner_id) == owner_id)
            .values(last_emailed_at=now)
        )
    log.info("notifications.digest_sent", items=len(pending))
    return len(pending)


async def run_round(ctx: tasks_service.TaskContext) -> None:
    """The task: one round of the user's notifications (see the module's docstring)."""
    resources, owner_id = ctx.resources, ctx.owner_id
    await ctx.progress("checking the jobs you track", force=True)
    liveness = await jobs_service.check_tracked(resources=resources, owner_id=owner_id)
    await ctx.progress("looking for new jobs and follow-ups", percent=50, force=True)
    now = utcnow()
    async with ctx.session() as session:
        prefs = await preferences_row(session, resources.settings, owner_id)
        created = await _collect(session, resources, prefs, now=now, closed_why=liveness.closed)
        prefs.last_round_at = now
        session.add(prefs)
    await ctx.progress("sending the digest", percent=80, force=True)
    emailed = await _send_digest(resources, owner_id, now)
    report = RoundReport(
        at=now,
        checked=liveness.checked,
        closed=len(liveness.closed),
        created=created,
        emailed=emailed,
    )
    async with ctx.session() as session:
        await session.exec(
            update(NotificationSettings)
            .where(col(NotificationSettings.owner_id) == owner_id)
            .values(last_round=report.model_dump(mode="json"))
        )
    await ctx.progress(
        f"{report.created} new notifications, {report.emailed} emailed; "
        f"{report.checked} tracked jobs checked, {report.closed} closed",
        percent=100,
        force=True,
    )


async def submit_round(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID
) -> TaskPublic:
    """Queue a round of the user's notifications."""
    return await tasks_service.submit(
        session=session,
        resources=resources,
        owner_id=owner_id,
        kind=ROUND_KIND,
        payload={},
        result=TaskResultRef(kind="notifications", id=str(owner_id), url="/api/notifications"),
    )


async def _add_missing_rows(resources: Resources, now: datetime) -> None:
    """Give every user with jobs a preferences row (with the defaults); their first round is
    one round from now (a user who asks for a digest gets one at once, see the service)."""
    settings = resources.settings
    first = now + timedelta(minutes=settings.notifications_round_minutes)
    try:
        async with session_scope(resources.sessionmaker) as session:
            owners = await jobs_service.owners_with_jobs(session)
            known = set((await session.exec(select(NotificationSettings.owner_id))).all())
            for owner_id in owners:
                if owner_id not in known:
                    session.add(
                        NotificationSettings(
                            owner_id=owner_id,
                            min_score=settings.notifications_default_min_score,
                            next_round_at=first,
                        )
                    )
    except IntegrityError:
        log.info("notifications.rows_raced")  # another replica made them: fine


async def schedule_due(resources: Resources) -> int:
    """Queue a round for each user whose round is due; return how many were queued.

    Each is claimed by moving its ``next_round_at`` on in one conditional UPDATE, so two
    replicas never queue the same round.
    """
    now = utcnow()
    await _add_missing_rows(resources, now)
    step = timedelta(minutes=resources.settings.notifications_round_minutes)
    queued = 0
    async with session_scope(resources.sessionmaker) as session:
        due = (
            await session.exec(
                select(NotificationSettings.owner_id, NotificationSettings.next_round_at)
                .where(col(NotificationSettings.next_round_at) <= now)
                .order_by(col(NotificationSettings.next_round_at))
                .limit(DUE_BATCH)
            )
        ).all()
        for owner_id, planned in due:
            claimed = await session.exec(
                update(NotificationSettings)
                .where(
                    col(NotificationSettings.owner_id) == owner_id,
                    col(NotificationSettings.next_round_at) == planned,
                )
                .values(next_round_at=now + step)
            )
            if claimed.rowcount == 1:
                await submit_round(session=session, resources=resources, owner_id=owner_id)
                queued += 1
    if queued:
        log.info("notifications.rounds_queued", count=queued)
    return queued


tasks_service.register(ROUND_KIND, run_round)
