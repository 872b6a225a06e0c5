"""What ranking reads, loaded once and cached in the runtime: the owner's search index (rebuilt
when their postings change) and the person's match context (rebuilt when their profile changes).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import anyio.to_thread
import numpy as np
from sqlalchemy import select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import session_scope, utcnow
from careergini.core.logging import get_logger
from careergini.jobs.matching import ProfileContext
from careergini.jobs.models import JobPosting
from careergini.jobs.runtime import runtime_of
from careergini.jobs.search import IndexedPosting, OwnerIndex, empty_vectors, vector_from_bytes
from careergini.profile import service as profile_service
from careergini.runtime.resources import Resources
from careergini.skills.service import candidate_from_profile, load_taxonomy

log = get_logger(__name__)

MAX_PROFILES = 256  # match contexts kept per process

# The columns the index reads, in the order _build_index unpacks them.
_INDEX_COLUMNS = (
    col(JobPosting.id),
    col(JobPosting.origin),
    col(JobPosting.title),
    col(JobPosting.company),
    col(JobPosting.location),
    col(JobPosting.url),
    col(JobPosting.remote),
    col(JobPosting.seniority),
    col(JobPosting.employment_type),
    col(JobPosting.status),
    col(JobPosting.posted_at),
    col(JobPosting.first_seen_at),
    col(JobPosting.salary_min),
    col(JobPosting.salary_max),
    col(JobPosting.salary_currency),
    col(JobPosting.salary_period),
    col(JobPosting.skills),
    col(JobPosting.years_min),
    col(JobPosting.years_max),
    col(JobPosting.looks_like_job),
    col(JobPosting.description),
    col(JobPosting.embedding),
)


# --- the search index ---------------------------------------------------------------------------


def indexed_posting(posting: JobPosting) -> IndexedPosting:
    """The stored posting as the index holds it."""
    return IndexedPosting(
        id=str(posting.id),
        origin=posting.origin,
        title=posting.title,
        company=posting.company,
        location=posting.location,
        url=posting.url,
        remote=posting.remote,
        seniority=posting.seniority,
        employment_type=posting.employment_type,
        status=posting.status,
        posted_ts=(posting.posted_at or posting.first_seen_at).timestamp(),
        salary=(
            posting.salary_min,
            posting.salary_max,
            posting.salary_currency,
            posting.salary_period,
        ),
        skills=tuple((s[0], s[1]) for s in posting.skills or ()),
        years_min=posting.years_min,
        years_max=posting.years_max,
        looks_like_job=posting.looks_like_job,
    )


def _build_index(rows: Sequence[Sequence[Any]], version: str) -> OwnerIndex:
    postings: list[IndexedPosting] = []
    texts: list[str] = []
    vectors = empty_vectors(len(rows))
    for i, row in enumerate(rows):
        (
            pid,
            origin,
            title,
            company,
            location,
            url,
            remote,
            seniority,
            employment,
            status,
            posted_at,
            first_seen,
            smin,
            smax,
            scur,
            speriod,
            skills,
            ymin,
            ymax,
            looks,
            description,
            embedding,
        ) = row
        when = posted_at or first_seen
        postings.append(
            IndexedPosting(
                id=str(pid),
                origin=origin,
                title=title,
                company=company,
                location=location,
                url=url,
                remote=remote,
                seniority=seniority,
                employment_type=employment,
                status=status,
                posted_ts=when.timestamp() if when else 0.0,
                salary=(smin, smax, scur, speriod),
                skills=tuple((s[0], s[1]) for s in skills or ()),
                years_min=ymin,
                years_max=ymax,
                looks_like_job=bool(looks),
            )
        )
        texts.append(f"{company or ''}\n{location or ''}\n{description or ''}")
        vector = vector_from_bytes(embedding)
        if vector is not None:
            vectors[i] = vector
    return OwnerIndex.build(postings, texts, vectors, version=version)


async def load_index(resources: Resources, owner_id: uuid.UUID, version: str) -> OwnerIndex:
    """Read the owner's postings from the database and index them (in a worker thread)."""
    async with session_scope(resources.sessionmaker) as session:
        # Plain rows through the session's connection: 22 columns are past sqlmodel's typed
        # select(), and the index needs tuples, not ORM objects.
        connection = await session.connection()
        result = await connection.execute(
            select(*_INDEX_COLUMNS)
            .where(col(JobPosting.owner_id) == owner_id)
            .order_by(col(JobPosting.first_seen_at), col(JobPosting.id))
        )
        rows = result.all()
    index = await anyio.to_thread.run_sync(_build_index, rows, version)
    log.info("jobs.index.built", postings=len(index))
    return index


async def owner_index(resources: Resources, owner_id: uuid.UUID) -> OwnerIndex:
    """Return the owner's current search index."""
    runtime = runtime_of(resources)
    return await runtime.indexes.get(owner_id, lambda o, v: load_index(resources, o, v))


# --- the person ---------------------------------------------------------------------------------


async def profile_context(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID
) -> ProfileContext | None:
    """Return the person as the match score sees them (cached until the profile changes)."""
    runtime = runtime_of(resources)
    # The profile domain clears "user:<id>:" on every change, and with it this token.
    key = f"user:{owner_id}:jobs:profile-token"
    token = await resources.cache.get(key)
    cached = runtime.profiles.get(owner_id)
    if token is not None and cached is not None and cached[0] == token:
        return cached[1]
    profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    if profile is None:
        return None
    candidate = candidate_from_profile(profile, now_year=utcnow().year)
    vector = None
    if candidate.experience_text.strip():
        vector = np.asarray(
            await resources.embedder.embed_document(candidate.experience_text), dtype=np.float32
        )
    context = ProfileContext(candidate, vector, load_taxonomy())
    new_token = uuid.uuid4().hex.encode()
    await resources.cache.set(key, new_token)
    runtime.profiles[owner_id] = (new_token, context)
    while len(runtime.profiles) > MAX_PROFILES:
        runtime.profiles.pop(next(iter(runtime.profiles)))
    return context
