"""How a posting of the search index meets the person: the match context, a posting's
requirements as the match score reads them, the score itself and the summary shown in lists.

Pure: no database, no network. The context is loaded (and cached) by ``jobs.loading``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from careergini.core.db import utcnow
from careergini.jobs.salary import PER_YEAR, load_rates, yearly
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


def salary_of(
    low: float | None,
    high: float | None,
    currency: str | None,
    period: str | None,
    reference: str,
) -> Salary:
    """The pay as the source gave it, for a year, and in the reference currency."""
    rates = load_rates()
    yearly_min, yearly_max = yearly(low, period), yearly(high, period)
    notes = []
    if period in (None, "year"):
        if period is None:
            notes.append("The pay period is not stated: read as a year.")
    else:
        notes.append(f"Paid by the {period}: a year is {PER_YEAR[period]:,.0f} {period}s of work.")
    given = (currency or reference).upper()
    if currency is None:
        notes.append(f"The currency is not stated: read as {reference}.")
    ref_min = ref_max = None
    if rates.convert(1.0, given, reference) is None:
        notes.append(f"No exchange rate for {given}: shown only in {given}.")
    else:
        ref_min = rates.convert(yearly_min, given, reference) if yearly_min is not None else None
        ref_max = rates.convert(yearly_max, given, reference) if yearly_max is not None else None
        if given != reference.upper():
            notes.append(f"Converted at the ECB reference rate of {rates.date}.")
    return Salary(
        min=low,
        max=high,
        currency=currency,
        period=period,
        yearly_min=round(yearly_min) if yearly_min is not None else None,
        yearly_max=round(yearly_max) if yearly_max is not None else None,
        reference_currency=reference.upper(),
        reference_yearly_min=round(ref_min) if ref_min is not None else None,
        reference_yearly_max=round(ref_max) if ref_max is not None else None,
        note=" ".join(notes) or None,
    )


def summarize(
    posting: IndexedPosting,
    taxonomy: Taxonomy,
    *,
    relevance: float | None,
    match_score: float | None,
    reference_currency: str = "USD",
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
        salary=salary_of(smin, smax, scur, speriod, reference_currency)
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
