"""How a posting of the search index meets the person: the match context, a posting's
requirements as the match score reads them, the score itself and the summary shown in lists.

Pure: no database, no network. The context is loaded (and cached) by ``jobs.loading``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from careergini.core.db import utcnow
from careergini.jobs.schemas import JobSummary, Salary
from careergini.jobs.search import IndexedPosting
from careergini.skills import service as skills_service
from careergini.skills.schemas import (
    Candidate,
    GapReport,
    JobRequirements,
    MatchScore,
    RequiredSkill,
    Taxonomy,
)

_IMPORTANCE_ORDER = {"required": 0, "mentioned": 1, "preferred": 2}


@dataclass(slots=True)
class ProfileContext:
    """The person as the match score sees them."""

    candidate: Candidate
    vector: np.ndarray | None
    taxonomy: Taxonomy


def requirements_of(posting: IndexedPosting, taxonomy: Taxonomy) -> JobRequirements:
    """The posting's requirements from its stored skills (what the match score reads)."""
    skills = []
    for skill_id, importance in posting.skills:
        known = taxonomy.get(skill_id)
        skills.append(
            RequiredSkill(
                skill_id=skill_id,
                name=known.name if known else skill_id,
                importance=importance,
                hot=bool(known and known.hot),
                in_demand=bool(known and known.in_demand),
            )
        )
    return JobRequirements(
        title=posting.title,
        seniority=posting.seniority,
        years_min=posting.years_min,
        years_max=posting.years_max,
        skills=tuple(skills),
        text="",
        looks_like_job=posting.looks_like_job,
    )


def score_posting(context: ProfileContext, posting: IndexedPosting) -> tuple[MatchScore, GapReport]:
    """Score a posting for the person from its stored skills and vector."""
    job = requirements_of(posting, context.taxonomy)
    gap = skills_service.compute_gap(job, context.candidate, context.taxonomy)
    similarity = (
        float(posting.vector @ context.vector)
        if posting.vector is not None and context.vector is not None
        else 0.0
    )
    return skills_service.compute_match(job, context.candidate, gap, similarity), gap


def match_value(match: MatchScore) -> float:
    """The score to sort by: the score, or its components' points when not confident."""
    return match.score if match.score is not None else sum(c.points for c in match.components)


def summarize(
    posting: IndexedPosting,
    taxonomy: Taxonomy,
    *,
    relevance: float | None,
    match_score: float | None,
) -> JobSummary:
    """The posting as a search result or recommendation shows it."""
    ordered = sorted(posting.skills, key=lambda s: _IMPORTANCE_ORDER.get(s[1], 3))
    names = []
    for skill_id, _ in ordered[:12]:
        known = taxonomy.get(skill_id)
        names.append(known.name if known else skill_id)
    smin, smax, scur, speriod = posting.salary
    return JobSummary(
        id=posting.id,
        title=posting.title,
        company=posting.company,
        location=posting.location,
        url=posting.url,
        remote=posting.remote,
        seniority=posting.seniority,
        employment_type=posting.employment_type,
        salary=Salary(min=smin, max=smax, currency=scur, period=speriod)
        if smin is not None or smax is not None
        else None,
        skills=names,
        posted_at=datetime.fromtimestamp(posting.posted_ts, tz=utcnow().tzinfo)
        if posting.posted_ts
        else None,
        status=posting.status,
        origin=posting.origin,
        relevance=relevance,
        match_score=match_score,
    )
