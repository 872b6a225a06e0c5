"""From a parsed job or a role to requirements, and from requirements to a gap and a match.

Pure functions over the taxonomy: the analysis, jobs, resume and learning domains share them.
"""

from __future__ import annotations

from collections.abc import Callable

from careergini.core.db import utcnow
from careergini.skills.candidate import Candidate
from careergini.skills.gap import GapReport, analyse_gap
from careergini.skills.implication import default_implications
from careergini.skills.jd.parser import parse_job_description
from careergini.skills.jd.schemas import ParsedJob
from careergini.skills.requirements import JobRequirements, RequiredSkill
from careergini.skills.scoring import MatchScore, score_match
from careergini.skills.taxonomy import Role, Taxonomy, load_taxonomy
from careergini.skills.titles import get_role as get_role


def requirements_from_job(parsed: ParsedJob, taxonomy: Taxonomy, text: str) -> JobRequirements:
    """Turn a parsed job description into requirements."""
    skills = []
    for skill in parsed.skills:
        known = taxonomy.get(skill.skill_id)
        evidence = skill.evidence[0].text if skill.evidence else None
        skills.append(
            RequiredSkill(
                skill_id=skill.skill_id,
                name=skill.name,
                importance=skill.importance.value,
                hot=bool(known and known.hot),
                in_demand=bool(known and known.in_demand),
                evidence=evidence,
            )
        )
    experience = parsed.experience
    return JobRequirements(
        title=parsed.title,
        seniority=parsed.seniority.level.value if parsed.seniority else None,
        years_min=experience.min_years if experience else None,
        years_max=experience.max_years if experience else None,
        skills=tuple(skills),
        text=text,
        looks_like_job=parsed.looks_like_job,
        warnings=tuple(_readable(w) for w in parsed.warnings),
    )


def _readable(warning: str) -> str:
    code, _, detail = warning.partition(": ")
    return detail[:1].upper() + detail[1:] if detail else code.replace("_", " ")


def requirements_from_role(role: Role, taxonomy: Taxonomy) -> JobRequirements:
    """Turn a role (ESCO essential/optional skills, O*NET technologies) into requirements."""
    skills: dict[str, RequiredSkill] = {}

    def add(skill_id: str, importance: str) -> None:
        known = taxonomy.get(skill_id)
        if known is None or skill_id in skills:
            return
        skills[skill_id] = RequiredSkill(
            skill_id=skill_id,
            name=known.name,
            importance=importance,  # type: ignore[arg-type]
            hot=known.hot or skill_id in role.hot_technology_ids,
            in_demand=known.in_demand or skill_id in role.in_demand_ids,
        )

    for skill_id in role.essential_skill_ids:
        add(skill_id, "required")
    # O*NET's hot technologies of the occupation are what employers ask for now.
    for skill_id in role.hot_technology_ids:
        add(skill_id, "required")
    for skill_id in (*role.in_demand_ids, *role.optional_skill_ids):
        add(skill_id, "preferred")
    text = "\n".join([role.title, role.description, ", ".join(s.name for s in skills.values())])
    return JobRequirements(
        title=role.title,
        seniority=None,
        years_min=None,
        years_max=None,
        skills=tuple(skills.values()),
        text=text,
    )


def parse_job(*, text: str, title_hint: str | None = None) -> ParsedJob:
    """Parse a job description's text."""
    return parse_job_description(text, title_hint=title_hint, taxonomy=load_taxonomy())


def _related(taxonomy: Taxonomy) -> Callable[[str], tuple[str, ...]]:
    implications = default_implications()

    def related(skill_id: str) -> tuple[str, ...]:
        return implications.transferable_from(skill_id)

    return related


def implied_skills(candidate: Candidate) -> dict[str, tuple[str, int | None]]:
    """Return the skills the candidate evidences through others or a degree, with the source."""
    implications = default_implications()
    out: dict[str, tuple[str, int | None]] = {}
    for implied, because in implications.implied_by(candidate.skills).items():
        held = candidate.skills[because]
        out[implied] = (held.name, held.last_used_year)
    for skill_id, study in implications.evidenced_by_studies(candidate.studies).items():
        if skill_id not in candidate.skills and skill_id not in out:
            out[skill_id] = (f"your degree ({study})", None)
    return out


def compute_gap(job: JobRequirements, candidate: Candidate, taxonomy: Taxonomy) -> GapReport:
    """Return the gap: every tab and screen reads its matched, missing and transferable."""
    return analyse_gap(
        job,
        candidate,
        related=_related(taxonomy),
        now_year=utcnow().year,
        implied=implied_skills(candidate),
    )


def compute_match(
    job: JobRequirements, candidate: Candidate, gap: GapReport, similarity_value: float
) -> MatchScore:
    return score_match(
        job,
        candidate,
        similarity=similarity_value,
        matched={m.skill_id for m in gap.matched},
        transferable={t.skill_id for t in gap.transferable},
    )
