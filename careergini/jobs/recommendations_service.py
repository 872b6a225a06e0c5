"""Recommendations: the postings that fit the person best, each with its score, reasons and gaps.

The pool comes from the engines, bounded: the postings nearest the person's experience in the
vector store and those whose text names the person's skills in the word index. The pool is
scored in full.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import datetime

import anyio.to_thread
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.jobs.loading import (
    count_matching,
    lexical_hits,
    load_postings,
    passing,
    profile_context,
    semantic_hits,
)
from careergini.jobs.matching import ProfileContext, match_value, score_posting, summarize
from careergini.jobs.models import JobPosting, JobPostingLink
from careergini.jobs.schemas import GapBrief, Recommendation, RecommendationList
from careergini.jobs.search import Filters, IndexedPosting, query_terms
from careergini.profile.errors import NoProfileYet
from careergini.runtime.resources import Resources
from careergini.skills.schemas import GapReport, MatchScore

POOL_BY_MEANING = 300  # nearest postings to the person's experience
POOL_BY_SKILLS = 300  # postings whose text names the person's skills
POOL_SKILLS = 24  # the person's skills looked up


def _skill_words(context: ProfileContext) -> list[str]:
    """Words naming the person's skills, the ones with most evidence first."""
    names = []
    for skill_id in list(context.candidate.skills)[:POOL_SKILLS]:
        known = context.taxonomy.get(skill_id)
        if known is not None:
            names.append(known.name)
    return query_terms(" ".join(names))


async def recommend(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    filters: Filters,
    limit: int,
) -> RecommendationList:
    """Return the postings that fit the user best, each with its score, reasons and gaps."""
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    if context is None:
        raise NoProfileYet()
    considered = await count_matching(session, owner_id=owner_id, filters=filters)
    if considered == 0:
        return RecommendationList(items=[], considered=0, scored=0)

    async def by_meaning() -> list[str]:
        if context.vector is None:
            return []
        near = await semantic_hits(
            resources,
            owner_id=owner_id,
            vector=context.vector,
            limit=POOL_BY_MEANING,
            minimum=-1.0,
        )
        return [i for i, _ in near]

    by_skills, near = await asyncio.gather(
        lexical_hits(
            session,
            owner_id=owner_id,
            terms=_skill_words(context),
            filters=filters,
            limit=POOL_BY_SKILLS,
        ),
        by_meaning(),
    )
    # The vector store knows no filters: its hits are checked against them in the database.
    pool = [*by_skills, *await passing(session, owner_id=owner_id, ids=near, filters=filters)]
    rows = await load_postings(session, owner_id=owner_id, ids=pool)

    def score_pool() -> list[tuple[bool, float, str, MatchScore, GapReport]]:
        scored = []
        for posting_id, (posting, _) in rows.items():
            match, gap = score_posting(context, posting)
            scored.append((match.confident, match_value(match), posting_id, match, gap))
        scored.sort(key=lambda item: (not item[0], -item[1], item[2]))
        return scored

    # Scoring up to 600 postings is CPU work: a worker thread, so the event loop keeps serving.
    scored = await anyio.to_thread.run_sync(score_pool)
    items = [
        _recommendation(context, rows[posting_id][0], match, gap, filters.reference_currency)
        for _, _, posting_id, match, gap in scored[:limit]
    ]
    return RecommendationList(items=items, considered=considered, scored=len(scored))


def _recommendation(
    context: ProfileContext,
    posting: IndexedPosting,
    match: MatchScore,
    gap: GapReport,
    currency: str,
) -> Recommendation:
    gaps = [*gap.missing_required, *gap.missing_preferred][:5]
    return Recommendation(
        job=summarize(
            posting,
            context.taxonomy,
            relevance=None,
            match_score=match.score,
            reference_currency=currency,
        ),
        score=match.score,
        confident=match.confident,
        top_reasons=match.top_reasons,
        matched=[m.name for m in gap.matched],
        gaps=[
            GapBrief(skill_id=g.skill_id, name=g.name, importance=g.importance, reason=g.reason)
            for g in gaps
        ],
        warnings=match.warnings,
    )


NEW_POSTINGS_SCORED = 500  # newest postings scored by one round of notifications


async def new_matches(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    since: datetime,
    minimum: float,
    source_ids: Sequence[uuid.UUID] = (),
    limit: int = 20,
) -> list[Recommendation]:
    """Return the open postings first seen after ``since`` that score at least ``minimum``
    (from ``source_ids`` only, when given), best first; none without a profile."""
    context = await profile_context(session=session, resources=resources, owner_id=owner_id)
    if context is None:
        return []
    query = select(JobPosting.id).where(
        JobPosting.owner_id == owner_id,
        JobPosting.status == "open",
        col(JobPosting.looks_like_job).is_(True),
        col(JobPosting.first_seen_at) > since,
    )
    if source_ids:
        listed = select(JobPostingLink.posting_id).where(
            col(JobPostingLink.source_id).in_(list(source_ids))
        )
        query = query.where(col(JobPosting.id).in_(listed))
    ids = (
        await session.exec(
            query.order_by(col(JobPosting.first_seen_at).desc()).limit(NEW_POSTINGS_SCORED)
        )
    ).all()
    rows = await load_postings(session, owner_id=owner_id, ids=[str(i) for i in ids])

    def score_all() -> list[tuple[float, str, MatchScore, GapReport]]:
        kept = []
        for posting_id, (posting, _) in rows.items():
            match, gap = score_posting(context, posting)
            if match.score is not None and match.score >= minimum:
                kept.append((match.score, posting_id, match, gap))
        kept.sort(key=lambda item: (-item[0], item[1]))
        return kept

    kept = await anyio.to_thread.run_sync(score_all)
    currency = resources.settings.jobs_reference_currency
    return [
        _recommendation(context, rows[posting_id][0], match, gap, currency)
        for _, posting_id, match, gap in kept[:limit]
    ]
