"""What a plan, a quiz or an interview aims at: a role (by id or title), a job description or a
saved posting, resolved into requirements; a skill by name; the person and their gap to it.

Targets are resolved through the skills engine and the analysis service (roles, job
descriptions, saved postings, the gap); the profile comes from the profile service.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.analysis import schemas as analysis_schemas, service as analysis_service
from careergini.core.db import utcnow
from careergini.learning import planner
from careergini.learning.errors import NotAJob, RoleNotFound, UnknownSkill
from careergini.profile import service as profile_service
from careergini.skills import service as skills_service
from careergini.skills.schemas import Candidate, JobRequirements, Role, Skill
from careergini.skills.service import candidate_from_profile, load_taxonomy


@dataclass
class ResolvedTarget:
    job: JobRequirements
    target: dict[str, Any]
    role: Role | None = None
    duties: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def suggest_roles(query: str, *, limit: int = 5) -> list[dict[str, str]]:
    """Return roles close to a title: tech titles by spelling and by word, then others."""
    return skills_service.suggest_roles(query, limit=limit)


def resolve_role(target_role: str) -> Role:
    """Return the role named by an id or a title as people type it; RoleNotFound with close
    matches."""
    query = target_role.strip()
    if ":" in query:
        return skills_service.get_role(query)
    role = skills_service.find_role(query)
    if role is None:
        raise RoleNotFound(query, suggest_roles(query))
    return role


def resolve_target(
    *,
    target_role: str | None,
    job_description: str | None,
    posting: analysis_schemas.PostingTarget | None = None,
) -> ResolvedTarget:
    """Turn a role, a job description or a saved posting into requirements (a 404 or 422 when
    it cannot)."""
    taxonomy = load_taxonomy()
    if posting is not None:
        parsed, job = analysis_service.requirements_from_posting(posting, taxonomy)
        if not job.skills:
            raise NotAJob(
                f'No skills CareerGini recognises were found in the posting "{posting.title}", '
                "so there is nothing to plan from. Paste the full job text, with its "
                "requirements, as job_description."
            )
        target = {
            "type": "job",
            "title": posting.title,
            "company": parsed.company,
            "job_id": posting.job_id,
            "skills": len(job.skills),
        }
        return ResolvedTarget(
            job=job, target=target, duties=tuple(parsed.responsibilities), warnings=job.warnings
        )
    if target_role is not None:
        role = resolve_role(target_role)
        job = skills_service.requirements_from_role(role, taxonomy)
        duties = list(role.essential_other)
        duties += [
            s.name
            for s in (taxonomy.get(i) for i in role.essential_skill_ids)
            if s is not None and not s.is_technology
        ]
        if not duties and role.description:
            duties = [s.strip() for s in role.description.split(". ") if s.strip()][:2]
        target = {
            "type": "role",
            "title": role.title,
            "role_id": role.id,
            "source": role.source,
            "skills": len(job.skills),
        }
        return ResolvedTarget(job=job, target=target, role=role, duties=tuple(duties))
    text = job_description or ""
    parsed = skills_service.parse_job(text=text)
    job = skills_service.requirements_from_job(parsed, taxonomy, text)
    if not job.skills:
        raise NotAJob(
            "No skills CareerGini recognises were found in this job description, so there is "
            "nothing to plan from. Paste the full posting, with its requirements."
        )
    target = {
        "type": "job_description",
        "title": parsed.title,
        "company": parsed.company,
        "skills": len(job.skills),
    }
    return ResolvedTarget(
        job=job,
        target=target,
        duties=tuple(parsed.responsibilities),
        warnings=job.warnings,
    )


async def resolve_request_target(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    target_role: str | None,
    job_description: str | None,
    job_id: uuid.UUID | None,
) -> ResolvedTarget:
    """Resolve a request's target, reading a saved posting of the user's for a job_id."""
    posting = (
        await analysis_service.posting_for_target(session=session, owner_id=owner_id, job_id=job_id)
        if job_id is not None
        else None
    )
    return resolve_target(target_role=target_role, job_description=job_description, posting=posting)


def resolve_skill(query: str) -> Skill:
    """Return the skill named by an id, a name or an alias; UnknownSkill with close matches."""
    taxonomy = load_taxonomy()
    skill = taxonomy.get(query.strip()) or taxonomy.by_name(query)
    if skill is None:
        suggestions = [{"id": s.id, "name": s.name} for s in taxonomy.search(query, limit=5)]
        raise UnknownSkill(query, suggestions)
    return skill


async def person(*, session: AsyncSession, owner_id: uuid.UUID) -> tuple[Any | None, Candidate]:
    """Return the person's merged profile (or None) and the analysis' view of them."""
    profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    if profile is None:
        empty = Candidate(
            skills={},
            titles=(),
            years_experience=0.0,
            seniority=None,
            experience_text="",
            full_text="",
        )
        return None, empty
    return profile, candidate_from_profile(profile, now_year=utcnow().year)


# General-purpose programming languages: someone who writes one has programming fundamentals
# (the skill graph links only some of them to ESCO's "computer programming"). Reviewed by hand.
_PROGRAMMING_LANGUAGES = {
    "python", "java", "go", "csharp", "cpp", "c", "javascript", "typescript", "rust", "kotlin",
    "swift", "ruby", "php", "scala", "dart", "objective-c", "r", "julia", "elixir", "haskell",
}  # fmt: skip
_FUNDAMENTALS = "computer-programming"


def evidence(candidate: Candidate, profile: Any | None = None) -> dict[str, str]:
    """Return every skill the person evidences, with how: held ones ("in your profile"), those
    their skills imply ("via TypeScript"; any programming language implies programming
    fundamentals) and those their degrees evidence ("via your degree in computer science")."""
    taxonomy = load_taxonomy()
    out = {skill_id: "in your profile" for skill_id in candidate.skills}
    for implied, held in skills_service.implied_by(candidate.skills).items():
        out.setdefault(implied, f"via {_skill_name(taxonomy, held)}")
    fields = [
        " ".join(filter(None, (getattr(e, "degree", None), getattr(e, "field", None))))
        for e in (getattr(profile, "education", None) or [])
    ]
    for skill_id, study in skills_service.evidenced_by_studies(fields).items():
        out.setdefault(skill_id, f"via your degree in {study}")
    language = next((s for s in out if s in _PROGRAMMING_LANGUAGES), None)
    if language is not None:
        out.setdefault(_FUNDAMENTALS, f"via {_skill_name(taxonomy, language)}")
    # What the implied skills imply in turn (the degree's computer science, say).
    for implied, held in skills_service.implied_by(out).items():
        out.setdefault(implied, out.get(held, f"via {_skill_name(taxonomy, held)}"))
    return out


def _skill_name(taxonomy: Any, skill_id: str) -> str:
    skill = taxonomy.get(skill_id)
    return skill.name if skill is not None else skill_id


def needs_from_gap(
    resolved: ResolvedTarget, candidate: Candidate, evidenced: Mapping[str, str] | None = None
) -> list[planner.Need]:
    """Turn the gap into the planner's needs, marking which belong to the core scope; what the
    person evidences (``evidenced``: held or implied) is never a need.

    For a role the core is what it cannot do without: ESCO's essential skills and the
    technologies O*NET marks In Demand for the occupation (both taught as required), plus
    ESCO's optional skills (preferred). O*NET's other Hot Technologies are outside the core.
    For a job description the core is everything it asks for, with its own importance.
    """
    taxonomy = load_taxonomy()
    gap = skills_service.compute_gap(resolved.job, candidate, taxonomy)
    via = {t.skill_id: t.via_name for t in gap.transferable}
    role = resolved.role
    core_required = set()
    optional = set()
    if role is not None:
        core_required = set(role.essential_skill_ids) | set(role.in_demand_ids)
        optional = set(role.optional_skill_ids)
    needs = []
    for item in [*gap.missing_required, *gap.missing_preferred]:
        importance = item.importance
        core = True
        if role is not None:
            if item.skill_id in core_required:
                importance = "required"
            elif item.skill_id in optional:
                importance = "preferred"
            else:
                core = False  # a hot technology outside the core: scope "full" includes it
                importance = "required"
        needs.append(
            planner.Need(
                skill_id=item.skill_id,
                name=item.name,
                importance=importance,
                rank=item.rank,
                core=core,
                hot=item.hot,
                transfer_from=via.get(item.skill_id),
                reason=item.reason,
            )
        )
    have = set(evidenced if evidenced is not None else candidate.skills)
    needs = [n for n in needs if n.skill_id not in have]
    tech = skills_service.tech_role(role.id) if role is not None else None
    if tech is not None:
        skip = core_alternatives_met(tech, have)
        needs = [n for n in needs if n.skill_id not in skip]
    return needs


def core_alternatives_met(tech: skills_service.TechRole, have: set[str]) -> set[str]:
    """Return the core skills not to teach: every alternative of an entry the person meets, and
    the alternatives after the first of an entry they don't ("Python or Java": Python)."""
    skip: set[str] = set()
    for entry in tech.core:
        if have & set(entry):
            skip.update(entry)
        else:
            skip.update(entry[1:])
    return skip - {entry[0] for entry in tech.core if not have & set(entry)}
