"""The match score: 0-100, explainable, the same every time.

Formula (``SCORING_VERSION`` changes whenever it does)::

    score = 100 * sum(weight_i * value_i) / sum(weight_i)    over the components that apply

| component           | weight | value in [0, 1]                                                 |
|---------------------|--------|-----------------------------------------------------------------|
| required_skills     | 0.40   | (matched + 0.5 * transferable) / asked, required skills count 1 |
|                     |        | and skills only named in the duties 0.5                         |
| preferred_skills    | 0.10   | the same over preferred skills (only if the job names some)     |
| semantic_similarity | 0.20   | cosine of the experience text and the job text, mapped          |
|                     |        | linearly from [0.15, 0.65] onto [0, 1]                          |
| experience_years    | 0.10   | min(1, years / years asked) (only if the job asks a number)     |
| seniority           | 0.10   | 1 - 0.3 per level between the person's level and the job's       |
| title               | 0.10   | word overlap of the job title and the person's recent titles    |

The semantic part reads the person's experience (summary, titles, bullets), not the skills list,
so adding or removing a skill moves only the skill components: adding a matched skill never
lowers the score, and losing a required skill never raises it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from pydantic import BaseModel

from careergini.skills.candidate import SENIORITY_ORDER, Candidate
from careergini.skills.requirements import JobRequirements, RequiredSkill

SCORING_VERSION = "1.0"
WEIGHTS = {
    "required_skills": 0.40,
    "preferred_skills": 0.10,
    "semantic_similarity": 0.20,
    "experience_years": 0.10,
    "seniority": 0.10,
    "title": 0.10,
}
_SKILL_WEIGHT = {"required": 1.0, "mentioned": 0.5, "preferred": 1.0}
_SIM_LOW, _SIM_HIGH = 0.15, 0.65
_TITLE_NOISE = {
    "senior", "sr", "junior", "jr", "lead", "staff", "principal", "head", "of", "and", "the",
    "i", "ii", "iii", "iv", "a", "an", "for", "with", "to", "in", "remote", "hybrid",
}  # fmt: skip


class ScoreComponent(BaseModel):
    name: str
    weight: float
    value: float
    points: float
    evidence: str


class MatchScore(BaseModel):
    score: float | None
    confident: bool
    components: list[ScoreComponent]
    top_reasons: list[str]
    warnings: list[str]
    scoring_version: str = SCORING_VERSION


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _coverage(
    skills: Sequence[RequiredSkill], candidate: Candidate, transferable: set[str]
) -> tuple[float, str]:
    total = sum(_SKILL_WEIGHT[s.importance] for s in skills)
    got = 0.0
    have, carry = [], []
    for skill in skills:
        weight = _SKILL_WEIGHT[skill.importance]
        if skill.skill_id in candidate.skills:
            got += weight
            have.append(skill.name)
        elif skill.skill_id in transferable:
            got += 0.5 * weight
            carry.append(skill.name)
    value = got / total if total else 0.0
    evidence = f"{len(have)} of {len(skills)} matched"
    if have:
        evidence += f" ({', '.join(have[:6])}{'...' if len(have) > 6 else ''})"
    if carry:
        evidence += f"; {len(carry)} transferable ({', '.join(carry[:4])})"
    return value, evidence


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
        return 0.0, f'no recent title shares words with "{job_title}"'
    return best, f'"{best_title}" vs "{job_title}"'


def seniority_fit(job_level: str, person_level: str) -> float:
    distance = abs(SENIORITY_ORDER.index(job_level) - SENIORITY_ORDER.index(person_level))
    return max(0.0, 1.0 - 0.3 * distance)


def score_match(
    job: JobRequirements,
    candidate: Candidate,
    *,
    similarity: float,
    transferable: set[str],
) -> MatchScore:
    """Score how well the candidate fits the job, with every component's weight and evidence."""
    components: list[ScoreComponent] = []
    warnings = list(job.warnings)

    def add(name: str, value: float, evidence: str) -> None:
        value = round(min(1.0, max(0.0, value)), 4)
        components.append(
            ScoreComponent(
                name=name, weight=WEIGHTS[name], value=value, points=0.0, evidence=evidence
            )
        )

    required = job.by_importance("required", "mentioned")
    preferred = job.by_importance("preferred")
    if required:
        add("required_skills", *_coverage(required, candidate, transferable))
    if preferred:
        add("preferred_skills", *_coverage(preferred, candidate, transferable))
    scaled = (similarity - _SIM_LOW) / (_SIM_HIGH - _SIM_LOW)
    add(
        "semantic_similarity",
        scaled,
        f"cosine {similarity:.3f} between your experience and the job",
    )
    if job.years_min:
        add(
            "experience_years",
            candidate.years_experience / job.years_min,
            f"{candidate.years_experience:g} years of experience; the job asks {job.years_min:g}+",
        )
    if job.seniority and candidate.seniority:
        add(
            "seniority",
            seniority_fit(job.seniority, candidate.seniority),
            f"job level {job.seniority}, your latest title reads {candidate.seniority}",
        )
    if job.title:
        add("title", *title_similarity(job.title, candidate.titles))

    total_weight = sum(c.weight for c in components)
    for component in components:
        component.points = round(100 * component.weight * component.value / total_weight, 2)
    confident = job.looks_like_job and bool(job.skills)
    if not job.skills:
        warnings.append(
            "The job text names no skills we recognise, so the score rests on text similarity "
            "alone and is not shown."
        )
    score = round(sum(c.points for c in components), 1) if confident else None
    strongest = sorted(components, key=lambda c: c.points, reverse=True)
    reasons = [f"{c.name.replace('_', ' ')}: {c.evidence}" for c in strongest[:3]]
    return MatchScore(
        score=score,
        confident=confident,
        components=components,
        top_reasons=reasons,
        warnings=warnings,
    )
