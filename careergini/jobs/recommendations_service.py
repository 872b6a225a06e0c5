"""Recommendations: the postings that fit the person best, each with its score, reasons and gaps.

A quick vectorised pre-score over the whole index picks a pool; the pool is scored in full.
"""

from __future__ import annotations

import uuid

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.jobs.loading import owner_index, profile_context
from careergini.jobs.matching import match_value, score_at, similarity_at, summarize
from careergini.jobs.schemas import GapBrief, Recommendation, RecommendationList
from careergini.jobs.search import Filters
from careergini.profile.errors import NoProfileYet
from careergini.runtime.resources import Resources
from careergini.skills.schemas import GapReport, MatchScore

PRESCORE_POOL = 300  # postings scored in full for recommendations


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
    index = await owner_index(resources, owner_id)
    allowed = np.flatnonzero(index.mask(filters))
    if allowed.size == 0:
        return RecommendationList(items=[], considered=0, scored=0)
    # A quick vectorised pre-score picks the pool; the pool is scored in full.
    skills = index.skill_prescore(context.candidate.skills.keys())[allowed]
    if context.vector is not None:
        rough = index.rough_similarities(context.vector)[allowed]
    else:
        rough = np.zeros(allowed.size, dtype=np.float32)
    scaled = np.clip((rough - 0.15) / 0.5, 0.0, 1.0)
    named = index.required_totals[allowed] > 0
    pre = np.where(named, (0.4 * skills + 0.2 * scaled) / 0.6, 0.5 * scaled)
    pool = min(PRESCORE_POOL, allowed.size)
    best = np.argpartition(-pre, pool - 1)[:pool] if pool < allowed.size else np.arange(pool)
    scored: list[tuple[bool, float, str, int, MatchScore, GapReport]] = []
    for i in best.tolist():
        position = int(allowed[i])
        match, gap = score_at(context, index, position, similarity_at(context, index, position))
        scored.append(
            (match.confident, match_value(match), index.postings[position].id, position, match, gap)
        )
    scored.sort(key=lambda item: (not item[0], -item[1], item[2]))
    items = []
    for _, _, _, position, match, gap in scored[:limit]:
        posting = index.postings[position]
        gaps = [*gap.missing_required, *gap.missing_preferred][:5]
        items.append(
            Recommendation(
                job=summarize(posting, context.taxonomy, relevance=None, match_score=match.score),
                score=match.score,
                confident=match.confident,
                top_reasons=match.top_reasons,
                matched=[m.name for m in gap.matched],
                gaps=[
                    GapBrief(
                        skill_id=g.skill_id, name=g.name, importance=g.importance, reason=g.reason
                    )
                    for g in gaps
                ],
                warnings=match.warnings,
            )
        )
    return RecommendationList(items=items, considered=int(allowed.size), scored=len(scored))
