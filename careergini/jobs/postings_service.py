"""One posting: add it from pasted text or its page's URL, read it with the user's full match
analysis, delete it.
"""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.core.errors import Unavailable
from careergini.core.offload import run_bounded
from careergini.jobs import pipeline
from careergini.jobs.errors import JobNotFound, UnreadablePosting
from careergini.jobs.loading import indexed_posting, profile_context
from careergini.jobs.matching import summarize
from careergini.jobs.models import JobPosting, JobPostingLink, JobSource
from careergini.jobs.runtime import runtime_of
from careergini.jobs.schemas import JobAnalysis, JobCreate, JobDetail, PostingSource
from careergini.jobs.search import vector_from_bytes
from careergini.jobs.sources import MANUAL_KIND, module_for
from careergini.jobs.sources.base import RawPosting, SourceError
from careergini.jobs.sources.paste import posting_from_text, posting_from_url
from careergini.runtime.resources import Resources
from careergini.skills import service as skills_service
from careergini.skills.schemas import ParsedJob
from careergini.skills.service import cosine, load_taxonomy


async def owned_posting(
    session: AsyncSession, *, owner_id: uuid.UUID, job_id: uuid.UUID
) -> JobPosting:
    """Return the user's posting, or raise JobNotFound."""
    return await get_owned(session, JobPosting, job_id, owner_id=owner_id, missing=JobNotFound)


async def _read_posting(
    resources: Resources, body: JobCreate
) -> tuple[RawPosting | None, str, str | None, str | None]:
    """Read the posting's page when a URL is given: (posting from its JSON-LD, or None, with the
    page's text and title), else the pasted text; plus the normalised URL."""
    if body.url is None:
        return None, body.text or "", None, None
    try:
        url = module_for("page").normalise_identifier(body.url)
        found, page_text, page_title = await posting_from_url(
            runtime_of(resources).context, url, render=body.render, now=utcnow()
        )
    except (ValueError, SourceError) as exc:
        raise UnreadablePosting(getattr(exc, "detail", str(exc))) from exc
    if found is None:
        return None, page_text, page_title, url
    for name in ("title", "company", "location"):
        if getattr(body, name):
            setattr(found, name, getattr(body, name))
    return found, "", None, url


async def _posting_from_text(
    body: JobCreate, text: str, fallback_title: str | None, url: str | None
) -> RawPosting:
    title = body.title
    parsed = await run_bounded(
        skills_service.parse_job, text=text, title_hint=title, what="this posting"
    )
    if not parsed.looks_like_job and not title:
        raise UnreadablePosting(
            "This text does not read like a job posting; give its title to add it anyway."
        )
    try:
        return posting_from_text(
            text,
            title=title or parsed.title or fallback_title,
            company=body.company,
            location=body.location,
            url=url,
            parsed=parsed,
        )
    except SourceError as exc:
        raise UnreadablePosting(exc.detail) from exc


async def add_posting(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, body: JobCreate
) -> JobDetail:
    """Add one posting from its pasted text or its page's URL."""
    raw, text, fallback_title, url = await _read_posting(resources, body)
    if raw is None:
        raw = await _posting_from_text(body, text, fallback_title, url)
    stored = await pipeline.store_postings(
        resources=resources,
        owner_id=owner_id,
        origin=MANUAL_KIND,
        source_id=None,
        raws=[raw],
        stats=pipeline.Stats(),
        seen_at=utcnow(),
    )
    return await get_job(
        session=session, resources=resources, owner_id=owner_id, job_id=stored[0].id
    )


async def get_job(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, job_id: uuid.UUID
) -> JobDetail:
    """Return one posting with its sources and the full analysis for the user."""
    posting = await owned_posting(session, owner_id=owner_id, job_id=job_id)
    links = (
        await session.exec(
            select(JobPostingLink, JobSource)
            .join(JobSource, col(JobSource.id) == JobPostingLink.source_id)
            .where(JobPostingLink.posting_id == posting.id)
        )
    ).all()
    taxonomy = load_taxonomy()
    parsed = ParsedJob.model_validate(posting.parsed or {})
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    analysis, note, match_score = None, None, None
    if context is None:
        note = "Import a resume (POST /api/profile/imports) to see how you match this job."
    else:
        job = skills_service.requirements_from_job(
            parsed, taxonomy, f"{posting.title}\n{posting.description}"
        )
        gap = skills_service.compute_gap(job, context.candidate, taxonomy)
        vector = vector_from_bytes(posting.embedding)
        similarity = (
            cosine(context.vector.tolist(), vector.tolist())
            if vector is not None and context.vector is not None
            else 0.0
        )
        match = skills_service.compute_match(job, context.candidate, gap, similarity)
        analysis = JobAnalysis(match=match, gap=gap)
        match_score = match.score
    summary = summarize(
        indexed_posting(posting),
        taxonomy,
        relevance=None,
        match_score=match_score,
        reference_currency=resources.settings.jobs_reference_currency,
    )
    return JobDetail(
        **summary.model_dump(),
        description=posting.description,
        first_seen_at=posting.first_seen_at,
        last_seen_at=posting.last_seen_at,
        closed_at=posting.closed_at,
        sources=[
            PostingSource(
                source_id=str(source.id),
                kind=source.kind,
                name=source.name,
                external_id=link.external_id,
                active=link.active,
                last_seen_at=link.last_seen_at,
            )
            for link, source in links
        ],
        parsed=parsed,
        analysis=analysis,
        analysis_note=note,
    )


async def delete_job(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, job_id: uuid.UUID
) -> None:
    """Delete a posting (a source that still lists it brings it back at its next refresh)."""
    posting = await owned_posting(session, owner_id=owner_id, job_id=job_id)
    await session.delete(posting)
    await session.flush()
    try:
        await resources.vectors.delete(pipeline.collection_for(owner_id), ids=[str(posting.id)])
    except Exception as exc:
        raise Unavailable("The vector store is unreachable; try again in a minute.") from exc
