"""What search and ranking read from the engines: word-index hits (SQLite FTS5 or PostgreSQL
full text), nearest neighbours from the vector store, filtered id sets, and the few posting rows a
page or a re-rank needs. Every read is bounded; nothing is cached per process but the person's
match context.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import utcnow
from careergini.core.logging import get_logger
from careergini.jobs.matching import ProfileContext
from careergini.jobs.models import JobPosting
from careergini.jobs.pipeline import collection_for
from careergini.jobs.runtime import runtime_of
from careergini.jobs.salary import load_rates
from careergini.jobs.search import (
    LEXICAL_LIMIT,
    REMOTE_CODES,
    SEMANTIC_LIMIT,
    SEMANTIC_MIN,
    SENIORITY_CODES,
    Filters,
    IndexedPosting,
    fts5_query,
    vector_from_bytes,
)
from careergini.profile import service as profile_service
from careergini.runtime.resources import Resources
from careergini.skills.service import candidate_from_profile, load_taxonomy

log = get_logger(__name__)

MAX_PROFILES = 256  # match contexts kept per process
# PostgreSQL ranks a bounded candidate set: the postings with every word, then those with any.
PG_ALL_WORDS = 2000
PG_ANY_WORD = 3000

# The columns a posting summary and the match score read, in the order _posting unpacks them.
_POSTING_COLUMNS = (
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
    col(JobPosting.embedding),
)
_FTS = sa.table("job_postings_fts", sa.column("rowid"))
_FTS_ROWS = sa.table("job_posting_search_rows", sa.column("rowid"), sa.column("posting_id"))
_FTS_NAME: sa.ColumnElement[Any] = sa.literal_column("job_postings_fts")
_TSVECTOR: sa.ColumnElement[Any] = sa.literal_column("job_postings.search_vector")


# --- postings -----------------------------------------------------------------------------------


def indexed_posting(posting: JobPosting) -> IndexedPosting:
    """The stored posting as search and ranking see it."""
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
        vector=vector_from_bytes(posting.embedding),
    )


def _posting(row: Sequence[Any]) -> IndexedPosting:
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
        embedding,
    ) = row
    when = posted_at or first_seen
    return IndexedPosting(
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
        vector=vector_from_bytes(embedding),
    )


async def load_postings(
    session: AsyncSession, *, owner_id: uuid.UUID, ids: Sequence[str], with_text: bool = False
) -> dict[str, tuple[IndexedPosting, str]]:
    """Return the owner's postings with these ids: id -> (posting, description or "")."""
    wanted = [uuid.UUID(i) for i in dict.fromkeys(ids)]
    if not wanted:
        return {}
    columns = [*_POSTING_COLUMNS, col(JobPosting.description)] if with_text else _POSTING_COLUMNS
    connection = await session.connection()
    (owned,) = _by_id(connection.dialect.name, [col(JobPosting.owner_id) == owner_id])
    found: dict[str, tuple[IndexedPosting, str]] = {}
    for start in range(0, len(wanted), 500):
        result = await connection.execute(
            select(*columns).where(
                owned,
                col(JobPosting.id).in_(wanted[start : start + 500]),
            )
        )
        for row in result.all():
            posting = _posting(row[: len(_POSTING_COLUMNS)])
            found[posting.id] = (posting, row[len(_POSTING_COLUMNS)] if with_text else "")
    return found


# --- filters ------------------------------------------------------------------------------------


def _by_id(dialect: str, conditions: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """Conditions for a query that names its rows by id: SQLite must find them by primary key.

    Without table statistics (no ANALYZE has run), SQLite's planner prefers the owner or status
    index to a list of ids and reads every open posting of the owner (40x slower at 30,000
    postings); a condition inside likely() is not one it can look up, so the ids lead.
    """
    if dialect != "sqlite":
        return conditions
    return [sa.func.likely(condition) for condition in conditions]


def _conditions(dialect: str, owner_id: uuid.UUID, filters: Filters) -> list[ColumnElement[bool]]:
    """The filters as SQL conditions on job_postings."""
    conditions: list[ColumnElement[bool]] = [col(JobPosting.owner_id) == owner_id]
    if not filters.include_closed:
        conditions.append(col(JobPosting.status) == "open")
    if filters.remote:
        conditions.append(col(JobPosting.remote).in_(sorted(filters.remote & set(REMOTE_CODES))))
    if filters.seniority:
        levels = sorted(filters.seniority & set(SENIORITY_CODES))
        conditions.append(col(JobPosting.seniority).in_(levels))
    if filters.posted_after_ts is not None:
        after = datetime.fromtimestamp(filters.posted_after_ts, tz=UTC)
        conditions.append(
            sa.func.coalesce(col(JobPosting.posted_at), col(JobPosting.first_seen_at)) >= after
        )
    if filters.location:
        needle = filters.location.casefold().strip()
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(sa.func.lower(col(JobPosting.location)).like(f"%{escaped}%", escape="\\"))
    if filters.min_yearly_salary is not None:
        conditions.append(_salary_at_least(filters.min_yearly_salary, filters.reference_currency))
    for skill_id in filters.skills:
        if dialect == "postgresql":
            wanted = sa.cast(sa.literal(json.dumps([[skill_id]])), JSONB)
            conditions.append(col(JobPosting.skills).op("@>")(wanted))
        else:
            named = sa.func.json_each(col(JobPosting.skills)).table_valued("value")
            conditions.append(
                sa.exists(
                    select(sa.literal(1))
                    .select_from(named)
                    .where(sa.func.json_extract(named.c.value, "$[0]") == skill_id)
                )
            )
    return conditions


def _salary_at_least(amount: float, reference: str) -> ColumnElement[bool]:
    """The posting's best yearly pay, in the reference currency, is at least ``amount``.

    A posting that names no currency is read in the reference currency (as a person would read
    a bare "80,000"); one in a currency the rates file lacks never passes.
    """
    rates = load_rates()
    currency = sa.func.upper(sa.func.coalesce(col(JobPosting.salary_currency), reference.upper()))
    factor = sa.case(
        {
            code: 1.0 / rate * rates.per_euro[reference.upper()]
            for code, rate in rates.per_euro.items()
        }
        if reference.upper() in rates.per_euro
        else {reference.upper(): 1.0},
        value=currency,
        else_=None,
    )
    best = sa.func.coalesce(col(JobPosting.salary_yearly_max), col(JobPosting.salary_yearly_min))
    return best * factor >= amount


async def _dialect(session: AsyncSession) -> str:
    return (await session.connection()).dialect.name


# --- the engines --------------------------------------------------------------------------------


async def lexical_hits(
    session: AsyncSession,
    *,
    owner_id: uuid.UUID,
    terms: Sequence[str],
    filters: Filters,
    limit: int = LEXICAL_LIMIT,
) -> list[str]:
    """The owner's postings that contain any of the words, best first (BM25 / ts_rank)."""
    if not terms:
        return []
    dialect = await _dialect(session)
    conditions = _conditions(dialect, owner_id, filters)
    connection = await session.connection()
    if dialect == "postgresql":
        any_word: sa.ColumnElement[Any] = sa.func.plainto_tsquery("english", terms[0])
        for term in terms[1:]:
            any_word = any_word.op("||")(sa.func.plainto_tsquery("english", term))
        every_word = sa.func.plainto_tsquery("english", " ".join(terms))
        # ts_rank over every match of an OR query is slow on a large corpus (the issue measured
        # ~1 s): rank a bounded candidate set instead, the postings with every word first.
        candidates = sa.union(
            select(col(JobPosting.id))
            .where(_TSVECTOR.op("@@")(every_word), *conditions)
            .limit(PG_ALL_WORDS),
            select(col(JobPosting.id))
            .where(_TSVECTOR.op("@@")(any_word), *conditions)
            .limit(PG_ANY_WORD),
        ).subquery()
        score = sa.func.ts_rank(_TSVECTOR, any_word, 1)
        statement = (
            select(col(JobPosting.id), score.label("score"))
            .where(col(JobPosting.id).in_(select(candidates.c.id)))
            .order_by(score.desc(), col(JobPosting.id))
            .limit(limit)
        )
    else:
        # Title words weigh four times those of the company, place and description.
        score = sa.func.bm25(_FTS_NAME, 4.0, 1.0)
        statement = (
            select(col(JobPosting.id), score.label("score"))
            .select_from(
                _FTS.join(_FTS_ROWS, _FTS_ROWS.c.rowid == _FTS.c.rowid).join(
                    JobPosting, col(JobPosting.id) == _FTS_ROWS.c.posting_id
                )
            )
            .where(_FTS_NAME.op("MATCH")(fts5_query(terms)), *conditions)
            .order_by(score, col(JobPosting.id))
            .limit(limit)
        )
    result = await connection.execute(statement)
    return [str(row[0]) for row in result.all()]


async def semantic_hits(
    resources: Resources,
    *,
    owner_id: uuid.UUID,
    vector: np.ndarray,
    limit: int = SEMANTIC_LIMIT,
    minimum: float = SEMANTIC_MIN,
) -> list[tuple[str, float]]:
    """The owner's postings nearest a vector in the vector store: (id, cosine similarity), best
    first, only those at least ``minimum`` alike."""
    hits = await resources.vectors.query(
        collection_for(owner_id), embedding=vector.tolist(), limit=limit
    )
    near = [(hit.id, 1.0 - hit.distance) for hit in hits]
    return [(posting_id, sim) for posting_id, sim in near if sim >= minimum]


async def passing(
    session: AsyncSession, *, owner_id: uuid.UUID, ids: Sequence[str], filters: Filters
) -> set[str]:
    """Which of these postings are the owner's and pass the filters."""
    if not ids:
        return set()
    dialect = await _dialect(session)
    conditions = _by_id(dialect, _conditions(dialect, owner_id, filters))
    connection = await session.connection()
    result = await connection.execute(
        select(col(JobPosting.id)).where(
            col(JobPosting.id).in_([uuid.UUID(i) for i in ids]), *conditions
        )
    )
    return {str(row[0]) for row in result.all()}


async def newest(
    session: AsyncSession, *, owner_id: uuid.UUID, filters: Filters, limit: int
) -> list[str]:
    """The owner's postings that pass the filters, newest first (a search without words)."""
    conditions = _conditions(await _dialect(session), owner_id, filters)
    when = sa.func.coalesce(col(JobPosting.posted_at), col(JobPosting.first_seen_at))
    connection = await session.connection()
    result = await connection.execute(
        select(col(JobPosting.id))
        .where(*conditions)
        .order_by(when.desc(), col(JobPosting.id))
        .limit(limit)
    )
    return [str(row[0]) for row in result.all()]


async def count_matching(session: AsyncSession, *, owner_id: uuid.UUID, filters: Filters) -> int:
    """How many of the owner's postings pass the filters."""
    conditions = _conditions(await _dialect(session), owner_id, filters)
    connection = await session.connection()
    result = await connection.execute(
        select(sa.func.count()).select_from(JobPosting).where(*conditions)
    )
    return int(result.scalar_one())


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
