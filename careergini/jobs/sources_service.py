"""The user's job sources: add a board, feed, career page or uploaded file, follow its refreshes,
refresh it on demand and remove it with the postings only it brought.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta
from typing import Any

import anyio.to_thread
from sqlalchemy import case, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.config import Settings
from careergini.core.db import get_owned, utcnow
from careergini.core.errors import Unavailable
from careergini.core.logging import get_logger
from careergini.jobs import pipeline
from careergini.jobs.commit_hooks import enqueue_after_commit
from careergini.jobs.errors import (
    DuplicateSource,
    InvalidSource,
    InvalidUpload,
    SourceBusy,
    SourceNotFound,
    UploadTooLarge,
)
from careergini.jobs.models import JobPosting, JobPostingLink, JobSource
from careergini.jobs.runtime import JobsRuntime, runtime_of
from careergini.jobs.schemas import SourceCreate, SourceHealth, SourcePublic, SourceStats
from careergini.jobs.sources import UPLOAD_KIND, module_for, upload as upload_source
from careergini.runtime.resources import Resources

log = get_logger(__name__)


def _interval(settings: Settings, requested: float | None) -> float:
    value = settings.jobs_refresh_interval_minutes if requested is None else requested
    if 0 < value < settings.jobs_min_refresh_interval_minutes:
        raise InvalidSource(
            f"A source may be refreshed every {settings.jobs_min_refresh_interval_minutes:g} "
            "minutes at most often (0 means only on demand): job boards ask for politeness."
        )
    return value


async def _owned_source(
    session: AsyncSession, *, owner_id: uuid.UUID, source_id: uuid.UUID
) -> JobSource:
    return await get_owned(session, JobSource, source_id, owner_id=owner_id, missing=SourceNotFound)


def _source_public(source: JobSource, open_postings: int) -> SourcePublic:
    stats = dict(source.stats or {})
    return SourcePublic(
        id=str(source.id),
        kind=source.kind,
        identifier=source.identifier,
        name=source.name,
        options={k: v for k, v in (source.options or {}).items() if k != "sha256"},
        status=source.status,
        status_changed_at=source.status_changed_at,
        stats=SourceStats(**{k: v for k, v in stats.items() if k in SourceStats.model_fields}),
        last_error=source.last_error,
        last_attempt_at=source.last_attempt_at,
        last_success_at=source.last_success_at,
        next_refresh_at=source.next_refresh_at,
        refresh_interval_minutes=source.refresh_interval_minutes,
        open_postings=open_postings,
        created_at=source.created_at,
    )


async def _duplicate_check(
    session: AsyncSession, *, owner_id: uuid.UUID, kind: str, identifier: str
) -> None:
    existing = (
        await session.exec(
            select(JobSource).where(
                JobSource.owner_id == owner_id,
                JobSource.kind == kind,
                JobSource.identifier == identifier,
            )
        )
    ).first()
    if existing is not None:
        raise DuplicateSource(
            f"You already have this {kind} source (id {existing.id}); refresh it with "
            f"POST /api/jobs/sources/{existing.id}/refresh.",
            extra={"source_id": str(existing.id)},
        )


async def create_source(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, body: SourceCreate
) -> SourcePublic:
    """Add a board, feed or career page and queue its first refresh."""
    module = module_for(body.kind)
    try:
        identifier = module.normalise_identifier(body.identifier)
    except ValueError as exc:
        raise InvalidSource(str(exc)) from exc
    await _duplicate_check(session, owner_id=owner_id, kind=body.kind, identifier=identifier)
    options: dict[str, Any] = {"render": body.render} if body.kind == "page" else {}
    source = JobSource(
        owner_id=owner_id,
        kind=body.kind,
        identifier=identifier,
        name=body.name or module.default_name(identifier),
        options=options,
        refresh_interval_minutes=_interval(resources.settings, body.refresh_interval_minutes),
        status=pipeline.QUEUED,
    )
    session.add(source)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request added it first
        raise DuplicateSource("You already have this source.") from exc
    enqueue_after_commit(session, runtime_of(resources), source.id)
    log.info("jobs.source.created", kind=source.kind)
    return _source_public(source, 0)


async def create_upload_source(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    data: bytes,
    filename: str | None,
    name: str | None,
) -> SourcePublic:
    """Store an uploaded CSV/JSON of postings as a source and queue its ingestion."""
    limit = resources.settings.jobs_max_upload_bytes
    if len(data) > limit:
        raise UploadTooLarge(f"The file is over the {limit // (1024 * 1024)} MB limit.")
    try:
        fmt, rows = await anyio.to_thread.run_sync(lambda: upload_source.validate(data, filename))
    except upload_source.UploadProblem as exc:
        extra = {"missing_columns": list(exc.missing)} if exc.missing else None
        raise InvalidUpload(exc.detail, extra=extra) from exc
    identifier = upload_source.fingerprint(data)
    await _duplicate_check(session, owner_id=owner_id, kind=UPLOAD_KIND, identifier=identifier)
    source = JobSource(
        owner_id=owner_id,
        kind=UPLOAD_KIND,
        identifier=identifier,
        name=(name or filename or "Uploaded postings")[:200],
        options={"filename": (filename or "")[:255] or None, "format": fmt, "rows": rows},
        refresh_interval_minutes=0,
        status=pipeline.QUEUED,
    )
    session.add(source)
    key = pipeline.upload_key(source)
    await resources.files.put(key, data, session=session)
    try:
        await session.flush()
    except BaseException:
        # In the database the file goes with the rolled-back transaction; a folder keeps it.
        with contextlib.suppress(Exception):
            await resources.files.delete(key, session=session)
        raise
    enqueue_after_commit(session, runtime_of(resources), source.id)
    log.info("jobs.upload.created", format=fmt, rows=rows, size=len(data))
    return _source_public(source, 0)


async def list_sources(*, session: AsyncSession, owner_id: uuid.UUID) -> list[SourcePublic]:
    """Return the user's sources, oldest first, with their refresh state."""
    rows = (
        await session.exec(
            select(JobSource)
            .where(JobSource.owner_id == owner_id)
            .order_by(col(JobSource.created_at), col(JobSource.id))
        )
    ).all()
    counts = await pipeline.count_open(session, [row.id for row in rows])
    return [_source_public(row, counts.get(row.id, 0)) for row in rows]


async def source_health(*, session: AsyncSession, limit: int = 500) -> list[SourceHealth]:
    """Return every user's sources, failing ones first, then by last attempt (operators)."""
    failing_first = case((col(JobSource.status) == pipeline.ERROR, 0), else_=1)
    rows = (
        await session.exec(
            select(JobSource)
            .order_by(failing_first, col(JobSource.last_attempt_at).desc(), col(JobSource.id))
            .limit(limit)
        )
    ).all()
    return [
        SourceHealth(
            id=str(row.id),
            owner_id=str(row.owner_id),
            kind=row.kind,
            name=row.name,
            status=row.status,
            last_error=(row.last_error or "")[:500] or None,
            last_attempt_at=row.last_attempt_at,
            last_success_at=row.last_success_at,
            next_refresh_at=row.next_refresh_at,
        )
        for row in rows
    ]


async def get_source(
    *, session: AsyncSession, owner_id: uuid.UUID, source_id: uuid.UUID
) -> SourcePublic:
    """Return one of the user's sources with the progress of its refresh."""
    source = await _owned_source(session, owner_id=owner_id, source_id=source_id)
    counts = await pipeline.count_open(session, [source.id])
    return _source_public(source, counts.get(source.id, 0))


async def request_refresh(
    *, session: AsyncSession, runtime: JobsRuntime, owner_id: uuid.UUID, source_id: uuid.UUID
) -> SourcePublic:
    """Queue a refresh now (a no-op when one is already queued or running)."""
    source = await _owned_source(session, owner_id=owner_id, source_id=source_id)
    if source.status in (pipeline.IDLE, pipeline.ERROR):
        result = await session.exec(
            update(JobSource)
            .where(
                col(JobSource.id) == source.id,
                col(JobSource.status).in_([pipeline.IDLE, pipeline.ERROR]),
            )
            .values(status=pipeline.QUEUED, status_changed_at=utcnow())
        )
        if result.rowcount == 1:
            enqueue_after_commit(session, runtime, source.id)
        await session.refresh(source)
    counts = await pipeline.count_open(session, [source.id])
    return _source_public(source, counts.get(source.id, 0))


async def delete_source(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, source_id: uuid.UUID
) -> None:
    """Remove a source and the postings only it brought (tracked ones are kept, closed)."""
    source = await _owned_source(session, owner_id=owner_id, source_id=source_id)
    stale = timedelta(minutes=resources.settings.jobs_stale_refresh_minutes)
    if source.status == pipeline.RUNNING and utcnow() - source.status_changed_at < stale:
        raise SourceBusy(
            "This source is being refreshed right now; remove it when the refresh has finished "
            f"(GET /api/jobs/sources/{source.id} shows its status)."
        )
    doomed = await pipeline.postings_only_from(session, source.id)
    mine = select(JobPostingLink.posting_id).where(JobPostingLink.source_id == source.id)
    others = select(JobPostingLink.posting_id).where(
        col(JobPostingLink.posting_id).in_(mine), JobPostingLink.source_id != source.id
    )
    now = utcnow()
    await session.exec(
        update(JobPosting)
        .where(
            col(JobPosting.id).in_(mine),
            col(JobPosting.id).not_in(others),
            col(JobPosting.status) == "open",
        )
        .values(status="closed", closed_at=now, updated_at=now)
    )
    if doomed:
        await session.exec(delete(JobPosting).where(col(JobPosting.id).in_(doomed)))
    key = pipeline.upload_key(source) if source.kind == UPLOAD_KIND else None
    await session.delete(source)
    await session.flush()
    if doomed:
        try:
            await resources.vectors.delete(
                pipeline.collection_for(owner_id), ids=[str(i) for i in doomed]
            )
        except Exception as exc:
            log.exception("jobs.source.vectors_delete_failed")
            raise Unavailable(
                "The vector store is unreachable, so the source was not removed; try again."
            ) from exc
    if key is not None:
        await resources.files.delete(key, session=session)
    log.info("jobs.source.deleted", kind=source.kind, postings_removed=len(doomed))
