"""The application tracker: the jobs a user applies to (stored postings or external ones), their
status, dates, notes, the resume and cover letter used, and the history of status changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Uuid, column, table
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.core.errors import InvalidInput, NotFound
from careergini.jobs import applications_files
from careergini.jobs.errors import ApplicationNotFound, DuplicateApplication
from careergini.jobs.models import JobApplication, JobApplicationEvent, JobPosting
from careergini.jobs.postings_service import owned_posting
from careergini.jobs.schemas import (
    ApplicationCreate,
    ApplicationEventPublic,
    ApplicationImport,
    ApplicationPublic,
    ApplicationUpdate,
)

# The resume domain is a floor above the tracker, so its documents are looked up in the tables
# the links' foreign keys name (ON DELETE SET NULL clears a link), not through its models.
_LINKED = {
    "resume_id": (
        table("resumes", column("id", Uuid()), column("owner_id", Uuid())),
        "resume",
        "GET /api/resumes",
    ),
    "cover_letter_id": (
        table("cover_letters", column("id", Uuid()), column("owner_id", Uuid())),
        "cover letter",
        "GET /api/cover-letters",
    ),
}


async def _check_links(
    session: AsyncSession, *, owner_id: uuid.UUID, links: dict[str, uuid.UUID | None]
) -> None:
    """Refuse a resume or cover letter that is not the user's (404, as for a missing one)."""
    for name, document_id in links.items():
        if document_id is None:
            continue
        documents, label, listing = _LINKED[name]
        found = (
            await session.exec(
                select(documents.c.id).where(
                    documents.c.id == document_id, documents.c.owner_id == owner_id
                )
            )
        ).first()
        if found is None:
            raise NotFound(
                f"No {label} with id {document_id} ({name}); {listing} lists yours, or send "
                f"null to link none."
            )


def _as_utc(value: datetime | None) -> datetime | None:
    """Store dates in UTC; a date sent without a zone is taken as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _application_public(
    row: JobApplication, events: Sequence[JobApplicationEvent], job_status: str | None
) -> ApplicationPublic:
    return ApplicationPublic(
        id=str(row.id),
        job_id=str(row.job_id) if row.job_id else None,
        job_status=job_status,
        title=row.title,
        company=row.company,
        url=row.url,
        status=row.status,
        notes=row.notes,
        applied_at=row.applied_at,
        interview_at=row.interview_at,
        follow_up_at=row.follow_up_at,
        resume_id=str(row.resume_id) if row.resume_id else None,
        cover_letter_id=str(row.cover_letter_id) if row.cover_letter_id else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        history=[
            ApplicationEventPublic(
                from_status=e.from_status, to_status=e.to_status, note=e.note, at=e.at
            )
            for e in events
        ],
    )


async def _events(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[JobApplicationEvent]]:
    grouped: dict[uuid.UUID, list[JobApplicationEvent]] = {i: [] for i in application_ids}
    if application_ids:
        rows = await session.exec(
            select(JobApplicationEvent)
            .where(col(JobApplicationEvent.application_id).in_(application_ids))
            .order_by(col(JobApplicationEvent.at), col(JobApplicationEvent.id))
        )
        for event_row in rows.all():
            grouped[event_row.application_id].append(event_row)
    return grouped


async def _job_statuses(
    session: AsyncSession, job_ids: Sequence[uuid.UUID | None]
) -> dict[uuid.UUID, str]:
    ids = [i for i in job_ids if i is not None]
    if not ids:
        return {}
    rows = await session.exec(
        select(JobPosting.id, JobPosting.status).where(col(JobPosting.id).in_(ids))
    )
    return dict(rows.all())


async def _public(session: AsyncSession, row: JobApplication) -> ApplicationPublic:
    events = await _events(session, [row.id])
    statuses = await _job_statuses(session, [row.job_id])
    return _application_public(
        row, events[row.id], statuses.get(row.job_id) if row.job_id else None
    )


async def create_application(
    *, session: AsyncSession, owner_id: uuid.UUID, body: ApplicationCreate
) -> ApplicationPublic:
    """Start tracking an application for a stored or an external posting."""
    if body.job_id is not None:
        posting = await owned_posting(session, owner_id=owner_id, job_id=body.job_id)
        existing = (
            await session.exec(
                select(JobApplication).where(
                    JobApplication.owner_id == owner_id, JobApplication.job_id == posting.id
                )
            )
        ).first()
        if existing is not None:
            raise DuplicateApplication(
                f"You already track this job (application {existing.id}); update it with "
                f"PATCH /api/applications/{existing.id}.",
                extra={"application_id": str(existing.id)},
            )
        title, company, url = posting.title, posting.company, posting.url
    else:
        assert body.external is not None
        title, company, url = body.external.title, body.external.company, body.external.url
    await _check_links(
        session,
        owner_id=owner_id,
        links={"resume_id": body.resume_id, "cover_letter_id": body.cover_letter_id},
    )
    now = utcnow()
    row = JobApplication(
        owner_id=owner_id,
        job_id=body.job_id,
        title=title,
        company=company,
        url=url,
        status=body.status,
        notes=body.notes,
        applied_at=_as_utc(body.applied_at) or (now if body.status == "applied" else None),
        interview_at=_as_utc(body.interview_at),
        follow_up_at=_as_utc(body.follow_up_at),
        resume_id=body.resume_id,
        cover_letter_id=body.cover_letter_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.add(
        JobApplicationEvent(
            owner_id=owner_id, application_id=row.id, from_status=None, to_status=row.status, at=now
        )
    )
    try:
        await session.flush()
    except IntegrityError as exc:
        raise DuplicateApplication("You already track this job.") from exc
    return await _public(session, row)


async def _owned_application(
    session: AsyncSession, *, owner_id: uuid.UUID, application_id: uuid.UUID
) -> JobApplication:
    return await get_owned(
        session, JobApplication, application_id, owner_id=owner_id, missing=ApplicationNotFound
    )


async def get_application(
    *, session: AsyncSession, owner_id: uuid.UUID, application_id: uuid.UUID
) -> ApplicationPublic:
    """Return one application with its history of status changes."""
    row = await _owned_application(session, owner_id=owner_id, application_id=application_id)
    return await _public(session, row)


async def list_applications(
    *, session: AsyncSession, owner_id: uuid.UUID, status: str | None
) -> list[ApplicationPublic]:
    """Return the user's applications, most recently changed first, optionally of one status."""
    query = select(JobApplication).where(JobApplication.owner_id == owner_id)
    if status is not None:
        query = query.where(JobApplication.status == status)
    rows = (
        await session.exec(
            query.order_by(col(JobApplication.updated_at).desc(), col(JobApplication.id))
        )
    ).all()
    events = await _events(session, [r.id for r in rows])
    statuses = await _job_statuses(session, [r.job_id for r in rows])
    return [
        _application_public(r, events[r.id], statuses.get(r.job_id) if r.job_id else None)
        for r in rows
    ]


async def update_application(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    application_id: uuid.UUID,
    body: ApplicationUpdate,
) -> ApplicationPublic:
    """Change an application; a new status is recorded in its history."""
    row = await _owned_application(session, owner_id=owner_id, application_id=application_id)
    sent = body.model_fields_set
    await _check_links(
        session,
        owner_id=owner_id,
        links={n: getattr(body, n) for n in ("resume_id", "cover_letter_id") if n in sent},
    )
    now = utcnow()
    if "status" in sent:
        if body.status is None:
            raise InvalidInput("status cannot be empty.")
        if body.status != row.status:
            session.add(
                JobApplicationEvent(
                    owner_id=owner_id,
                    application_id=row.id,
                    from_status=row.status,
                    to_status=body.status,
                    note=body.note,
                    at=now,
                )
            )
            if body.status == "applied" and row.applied_at is None and "applied_at" not in sent:
                row.applied_at = now
            row.status = body.status
    if "notes" in sent:
        row.notes = body.notes or ""
    for name in ("applied_at", "interview_at", "follow_up_at"):
        if name in sent:
            setattr(row, name, _as_utc(getattr(body, name)))
    for name in ("resume_id", "cover_letter_id"):
        if name in sent:
            setattr(row, name, getattr(body, name))
    row.updated_at = now
    await session.flush()
    return await _public(session, row)


async def delete_application(
    *, session: AsyncSession, owner_id: uuid.UUID, application_id: uuid.UUID
) -> None:
    """Stop tracking an application (its history goes with it)."""
    row = await _owned_application(session, owner_id=owner_id, application_id=application_id)
    await session.delete(row)
    await session.flush()


# --- files: CSV export and import, the interview calendar --------------------------------------


async def export_applications_csv(*, session: AsyncSession, owner_id: uuid.UUID) -> str:
    """Return the user's applications as CSV."""
    applications = await list_applications(session=session, owner_id=owner_id, status=None)
    return applications_files.to_csv(applications)


async def interview_calendar(*, session: AsyncSession, owner_id: uuid.UUID) -> bytes:
    """Return the user's scheduled interviews as an iCalendar file."""
    applications = await list_applications(session=session, owner_id=owner_id, status=None)
    return applications_files.to_ical(applications, stamp=utcnow())


def _same_job(title: str, company: str | None, url: str | None) -> tuple[str, str, str]:
    return (" ".join(title.lower().split()), (company or "").strip().lower(), (url or "").strip())


async def import_applications_csv(
    *, session: AsyncSession, owner_id: uuid.UUID, data: bytes
) -> ApplicationImport:
    """Add the applications of a CSV file; rows naming a job already tracked are skipped."""
    rows = applications_files.parse_csv(data)
    tracked = (
        await session.exec(
            select(JobApplication.title, JobApplication.company, JobApplication.url).where(
                JobApplication.owner_id == owner_id
            )
        )
    ).all()
    seen = {_same_job(*row) for row in tracked}
    created: list[ApplicationPublic] = []
    skipped = 0
    for body in rows:
        assert body.external is not None
        key = _same_job(body.external.title, body.external.company, body.external.url)
        if key in seen:
            skipped += 1
            continue
        seen.add(key)
        created.append(await create_application(session=session, owner_id=owner_id, body=body))
    return ApplicationImport(imported=len(created), skipped=skipped, applications=created)


ACTIVE_STATUSES = ("saved", "applied", "interviewing", "offer")


async def follow_ups_due(
    *, session: AsyncSession, owner_id: uuid.UUID, until: datetime
) -> list[ApplicationPublic]:
    """Return the user's active applications whose follow-up date has come by ``until``."""
    rows = (
        await session.exec(
            select(JobApplication)
            .where(
                JobApplication.owner_id == owner_id,
                col(JobApplication.status).in_(ACTIVE_STATUSES),
                col(JobApplication.follow_up_at).is_not(None),
                col(JobApplication.follow_up_at) <= until,
            )
            .order_by(col(JobApplication.follow_up_at), col(JobApplication.id))
        )
    ).all()
    statuses = await _job_statuses(session, [r.job_id for r in rows])
    return [_application_public(r, [], statuses.get(r.job_id) if r.job_id else None) for r in rows]


async def closed_tracked(
    *, session: AsyncSession, owner_id: uuid.UUID, since: datetime
) -> list[tuple[ApplicationPublic, datetime]]:
    """Return the user's active applications whose posting closed after ``since``, with when."""
    rows = (
        await session.exec(
            select(JobApplication, JobPosting.closed_at)
            .join(JobPosting, col(JobPosting.id) == col(JobApplication.job_id))
            .where(
                JobApplication.owner_id == owner_id,
                col(JobApplication.status).in_(ACTIVE_STATUSES),
                JobPosting.status == "closed",
                col(JobPosting.closed_at) > since,
            )
            .order_by(col(JobPosting.closed_at), col(JobApplication.id))
        )
    ).all()
    return [
        (_application_public(row, [], "closed"), closed_at)
        for row, closed_at in rows
        if closed_at is not None
    ]
