"""The match score: 0-100 on a scale people know, explained in plain words, the same every time.

Formula (``SCORING_VERSION`` changes whenever it does)::

    fit   = sum(weight_i * value_i) / sum(weight_i)     over the components that apply
    score = 100 * calibrate(fit)

| component           | weight | value in [0, 1]                                                 |
|---------------------|--------|-----------------------------------------------------------------|
| required_skills     | 0.40   | (matched + 0.5 * transferable) / asked, required skills count 1 |
|                     |        | and skills only named in the duties 0.5; a skill evidenced      |
|                     |        | through another (JavaScript via TypeScript) is matched          |
| preferred_skills    | 0.10   | the same over preferred skills (only if the job names some)     |
| semantic_similarity | 0.20   | cosine of the experience text and the job text, mapped          |
|                     |        | linearly from [0.15, 0.65] onto [0, 1]                          |
| experience_years    | 0.10   | min(1, years / years asked) (only if the job asks a number)     |
| seniority           | 0.10   | 1 - 0.3 per level between the person's level and the job's       |
| title               | 0.10   | word overlap of the job title and the person's recent titles    |

Years, level and title say whether a relevant person fits the job, not whether the job is
relevant: their values are multiplied by the relevance (the larger of the required-skill value
and the similarity value), so ten years of experience earn nothing toward an unrelated job.

``calibrate`` is piecewise linear through (0, 0), (0.25, 0.15), (0.45, 0.45), (0.65, 0.78),
(0.85, 0.92), (1, 1): measured on the resume-matcher fixtures and the tests' postings, a strong
fit (most required skills evidenced, level and years fit) lands in 75-95, a plausible stretch in
40-70 and an unrelated job under 20. The bands in words: strong match (75+), stretch (40-74),
long shot (20-39), unlikely (under 20). Each component's points are its share of the score, so
the points add up to the score; ``max_points`` is what the component adds when full, stretched
like the points where the calibration stretches the scale, so points never pass it.

The semantic part reads the person's experience (summary, titles, bullets), not the skills list,
so adding or removing a skill moves only the skill components: adding a matched skill never
lowers the score, and losing a required skill never raises it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import pairwise

from pydantic import BaseModel

from careergini.skills.candidate import SENIORITY_ORDER, Candidate
from careergini.skills.requirements import JobRequirements, RequiredSkill

SCORING_VERSION = "2.0"
WEIGHTS = {
    "required_skills": 0.40,
    "preferred_skills": 0.10,
    "semantic_similarity": 0.20,
    "experience_years": 0.10,
    "seniority": 0.10,
    "title": 0.10,
}
LABELS = {
    "required_skills": "Required skills",
    "preferred_skills": "Nice-to-have skills",
    "semantic_similarity": "How close your experience is to the job",
    "experience_years": "Years of experience",
    "seniority": "Level",
    "title": "Job titles",
}
_GATED = ("experience_years", "seniority", "title")
_CURVE = ((0.0, 0.0), (0.25, 0.15), (0.45, 0.45), (0.65, 0.78), (0.85, 0.92), (1.0, 1.0))
BANDS = ((75.0, "strong match"), (40.0, "stretch"), (20.0, "long shot"), (0.0, "unlikely"))
_SKILL_WEIGHT = {"required": 1.0, "mentioned": 0.5, "preferred": 1.0}
_SIM_LOW, _SIM_HIGH = 0.15, 0.65
_TITLE_NOISE = {
    "senior", "sr", "junior", "jr", "lead", "staff", "principal", "head", "of", "and", "the",
    "i", "ii", "iii", "iv", "a", "an", "for", "with", "to", "in", "remote", "hybrid",
}  # fmt: skip


class ScoreComponent(BaseModel):
    name: str
    label: str = ""
    weight: float
    value: float
    points: float
    max_points: float = 0.0
    evidence: str


class MatchScore(BaseModel):
    score: float | None
    band: str | None = None  # strong match | stretch | long shot | unlikely
    summary: str = ""
    confident: bool
    components: list[ScoreComponent]
    top_reasons: list[str]
    warnings: list[str]
    scoring_version: str = SCORING_VERSION


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def calibrate(fit: float) -> float:
    """Map the weighted fit (0-1) onto the score's scale (0-1)."""
    fit = min(1.0, max(0.0, fit))
    for (x0, y0), (x1, y1) in pairwise(_CURVE):
        if fit <= x1:
            return y0 + (y1 - y0) * (fit - x0) / (x1 - x0)
    return 1.0


def band_of(score: float) -> str:
    """Say in words what a score means: strong match, stretch, long shot or unlikely."""
    return next(name for floor, name in BANDS if score >= floor)


_BAND_SUMMARY = {
    "strong match": "A strong match: you have most of what the job asks for.",
    "stretch": "A stretch: you have part of what the job asks for; the gaps below show what to "
    "add.",
    "long shot": "A long shot: this job asks for much you have not shown yet.",
    "unlikely": "Unlikely: this job asks for a different set of skills and experience.",
}


def _names(names: Sequence[str], limit: int) -> str:
    return ", ".join(names[:limit]) + (" and more" if len(names) > limit else "")


def _coverage(
    skills: Sequence[RequiredSkill], matched: set[str], transferable: set[str]
) -> tuple[float, str]:
    total = sum(_SKILL_WEIGHT[s.importance] for s in skills)
    got = 0.0
    have, carry = [], []
    for skill in skills:
        weight = _SKILL_WEIGHT[skill.importance]
        if skill.skill_id in matched:
            got += weight
            have.append(skill.name)
        elif skill.skill_id in transferable:
            got += 0.5 * weight
            carry.append(skill.name)
    value = got / total if total else 0.0
    evidence = f"You have {len(have)} of the {len(skills)}"
    if have:
        evidence += f": {_names(have, 6)}"
    if carry:
        evidence += f"; close to {len(carry)} more ({_names(carry, 4)})"
    return value, evidence + "."


def _similarity_words(similarity: float) -> str:
    if similarity >= 0.55:
        return "Your experience reads very much like this job."
    if similarity >= 0.4:
        return "Your experience reads much like this job."
    if similarity >= 0.25:
        return "Your experience reads somewhat like this job."
    return "Your experience reads little like this job."


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9+#]+", title.casefold()) if w not in _TITLE_NOISE}


def title_similarity(job_title: str, titles: Sequence[str]) -> tuple[float, str]:
    """Best word overlap (Jaccard) between the job title and the person's three latest titles."""
    wanted = _title_words(job_title)
    best, best_title = 0.0, None
    for title in titles[:3]:
        words = _title_words(title)
        if wanted and words:
            overlap = len(wanted & words) / len(wanted | words)
            if overlap > best:
                best, best_title = overlap, title
    if best_title is None:
        return 0.0, f'None of your recent titles shares a word with "{job_title}".'
    return best, f'Your title "{best_title}" is close to "{job_title}".'


def seniority_fit(job_level: str, person_level: str) -> float:
    distance = abs(SENIORITY_ORDER.index(job_level) - SENIORITY_ORDER.index(person_level))
    return max(0.0, 1.0 - 0.3 * distance)


def _years_words(years: float, asked: float) -> str:
    have = "no dated positions" if not years else f"about {years:g} years of experience"
    return f"You have {have}; the job asks for {asked:g} or more."


def score_match(
    job: JobRequirements,
    candidate: Candidate,
    *,
    similarity: float,
    transferable: set[str],
    matched: set[str] | None = None,
) -> MatchScore:
    """Score how well the candidate fits the job, with every component's weight and evidence.

    ``matched`` are the job's skills the gap counts as the person's (their own and those
    evidenced through others); without it, the person's own skills.
    """
    have = set(candidate.skills) if matched is None else matched
    components: list[ScoreComponent] = []
    warnings = list(job.warnings)

    def add(name: str, value: float, evidence: str) -> None:
        value = round(min(1.0, max(0.0, value)), 4)
        components.append(
            ScoreComponent(
                name=name,
                label=LABELS[name],
                weight=WEIGHTS[name],
                value=value,
                points=0.0,
                evidence=evidence,
            )
        )

    required = job.by_importance("required", "mentioned")
    preferred = job.by_importance("preferred")
    if required:
        add("required_skills", *_coverage(required, have, transferable))
    if preferred:
        add("preferred_skills", *_coverage(preferred, have, transferable))
    add(
        "semantic_similarity",
        (similarity - _SIM_LOW) / (_SIM_HIGH - _SIM_LOW),
        _similarity_words(similarity),
    )
    relevance = max(c.value for c in components if c.name != "preferred_skills")
    if job.years_min:
        add(
            "experience_years",
            relevance * candidate.years_experience / job.years_min,
            _years_words(candidate.years_experience, job.years_min),
        )
    if job.seniority and candidate.seniority:
        add(
            "seniority",
            relevance * seniority_fit(job.seniority, candidate.seniority),
            f"The job is {job.seniority} level; your latest title reads {candidate.seniority}.",
        )
    if job.title:
        value, evidence = title_similarity(job.title, candidate.titles)
        add("title", relevance * value, evidence)
    return _finish(job, components, warnings)


def _share_points(components: list[ScoreComponent], total: float, fit: float) -> None:
    """Give each component its share of the score; its maximum is what it adds when full.

    Near the top the calibration stretches the scale (a fit of 0.65 reads 78), and each
    component's points and maximum stretch with it, so no component shows more points than its
    maximum and the points add up to the score.
    """
    ratio = calibrate(fit) / fit if fit else 0.0
    for component in components:
        share = 100 * component.weight / total
        component.max_points = round(share * max(1.0, ratio), 1)
        component.points = round(share * component.value * ratio, 2)


def _finish(
    job: JobRequirements, components: list[ScoreComponent], warnings: list[str]
) -> MatchScore:
    total_weight = sum(c.weight for c in components)
    fit = sum(c.weight * c.value for c in components) / total_weight
    confident = job.looks_like_job and bool(job.skills)
    if not job.looks_like_job:
        warnings.append(
            "This text does not read like a job posting, so there is no score: paste the whole "
            "posting, with its duties and requirements."
        )
    elif not job.skills:
        warnings.append(
            "The job names no skills we recognise, so the score rests on how close your "
            "experience and job titles are to it."
        )
    score = round(100 * calibrate(fit), 1) if job.looks_like_job else None
    _share_points(components, total_weight, fit if score is not None else 0.0)
    band = band_of(score) if score is not None else None
    strongest = sorted(components, key=lambda c: c.points, reverse=True)
    reasons = [f"{c.label}: {c.evidence}" for c in strongest[:3]]
    return MatchScore(
        score=score,
        band=band,
        summary=_BAND_SUMMARY[band] if band else (warnings[-1] if warnings else ""),
        confident=confident,
        components=components,
        top_reasons=reasons,
        warnings=warnings,
    )
