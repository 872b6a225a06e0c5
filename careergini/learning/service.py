"""The learning domain's API: roadmaps from the skill gap, progress and re-planning, exports,
curated (and optional live) resources, and the skill confidence that quizzes build.

Targets are resolved through the skills analysis service (roles, job descriptions, the gap);
the profile comes from the profile service. Without a profile the roadmap teaches the whole
target from scratch, which is what a newcomer needs; the response says so.
"""

from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.analysis import schemas as analysis_schemas, service as analysis_service
from careergini.core.db import get_owned, utcnow
from careergini.core.errors import Conflict, NotFound
from careergini.learning import planner, practice, progress
from careergini.learning.catalogue import Resource, load_catalogue
from careergini.learning.errors import NotAJob, RoleNotFound, TaskNotFound, UnknownSkill
from careergini.learning.export import to_ical, to_mermaid
from careergini.learning.live import GitHubTopicSource, LiveSource, YouTubeSource, search_live
from careergini.learning.models import (
    InterviewAnswer,
    InterviewSession,
    InterviewStory,
    LearningQuiz,
    LearningRoadmap,
    LearningTaskProgress,
    SkillConfidence,
)
from careergini.learning.quizzes import load_bank
from careergini.learning.schemas import (
    ConfidencePublic,
    LiveSourceStatus,
    ReplanRequest,
    ResourcePublic,
    ResourcesResponse,
    RoadmapListItem,
    RoadmapPublic,
    RoadmapRequest,
    TaskUpdate,
)
from careergini.learning.writer import write_texts
from careergini.profile import service as profile_service
from careergini.runtime.resources import Resources
from careergini.skills import service as skills_service
from careergini.skills.schemas import Candidate, JobRequirements, Role, Skill
from careergini.skills.service import candidate_from_profile, load_roles, load_taxonomy

# Interview practice, for the coach: start a stored session for a target.
create_interview_session = practice.create_session

NO_PROFILE_NOTE = (
    "You have no profile yet, so this plan covers the whole target from scratch (the right "
    "start for a newcomer). Import a resume (POST /api/profile/imports) to skip what you "
    "already know."
)


# --- targets ----------------------------------------------------------------------------------


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
    """Return roles close to a title: prefix matches first, then spelling neighbours."""
    roles = load_roles()
    found: dict[str, Role] = {r.id: r for r in roles.search(query, limit=limit)}
    if len(found) < limit:
        words = query.split()
        if words:
            for role in roles.search(words[0], limit=limit):
                found.setdefault(role.id, role)
    if len(found) < limit:
        by_title: dict[str, Role] = {}
        for role in roles:
            by_title.setdefault(role.title.casefold(), role)
        for title in difflib.get_close_matches(query.casefold(), list(by_title), n=limit):
            found.setdefault(by_title[title].id, by_title[title])
    return [{"id": r.id, "title": r.title} for r in list(found.values())[:limit]]


def resolve_role(target_role: str) -> Role:
    """Return the role named by an id or an exact title; RoleNotFound with close matches."""
    query = target_role.strip()
    if ":" in query:
        return skills_service.get_role(query)
    wanted = _norm(query)
    for role in load_roles().search(query, limit=10):
        if _norm(role.title) == wanted or any(_norm(t) == wanted for t in role.alt_titles):
            return role
    raise RoleNotFound(query, suggest_roles(query))


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


def needs_from_gap(resolved: ResolvedTarget, candidate: Candidate) -> list[planner.Need]:
    """Turn the gap into the planner's needs, marking which belong to the core scope.

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
    return needs


# --- roadmaps ---------------------------------------------------------------------------------


async def confidence_map(*, session: AsyncSession, owner_id: uuid.UUID) -> dict[str, float]:
    """Return the person's quiz confidence per skill."""
    rows = (
        await session.exec(select(SkillConfidence).where(SkillConfidence.owner_id == owner_id))
    ).all()
    return {row.skill_id: row.confidence for row in rows}


def _today() -> date:
    return utcnow().date()


async def create_roadmap(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, request: RoadmapRequest
) -> RoadmapPublic:
    """Build a roadmap from the user's gap to a role or a job and store it."""
    settings = resources.settings
    resolved = await resolve_request_target(
        session=session,
        owner_id=owner_id,
        target_role=request.target_role,
        job_description=request.job_description,
        job_id=request.job_id,
    )
    profile, candidate = await person(session=session, owner_id=owner_id)
    needs = needs_from_gap(resolved, candidate)
    start = request.start_date or _today()
    options = planner.PlanOptions(
        hours_per_week=request.hours_per_week,
        start_date=start,
        months=request.months,
        max_months=settings.learning_max_months,
        scope=request.scope,
    )
    taxonomy = load_taxonomy()
    plan = planner.build_plan(
        needs,
        known=candidate.skills,
        confidence=await confidence_map(session=session, owner_id=owner_id),
        catalogue=load_catalogue(),
        taxonomy=taxonomy,
        options=options,
        quiz_skills=load_bank().skills(),
    )
    in_profile = [
        {"skill_id": s.skill_id, "name": s.name, "why": "In your profile: not taught again."}
        for s in resolved.job.skills
        if s.skill_id in candidate.skills
    ]
    plan["known"] = in_profile + plan["known"]
    outside = [n for n in needs if not n.core]
    if request.scope == "core" and outside:
        plan["outside_scope"] = [{"skill_id": n.skill_id, "name": n.name} for n in outside]
    title = resolved.target.get("title") or "Job description"
    texts: dict[str, Any] = {"writer": "template", "note": "AI writing is off (settings)."}
    if settings.learning_use_llm:
        texts = await write_texts(
            plan,
            llm=resources.llm,
            title=title,
            known=candidate.skills,
            taxonomy=taxonomy,
            user_id=owner_id,
        )
    notes = [] if profile is not None else [NO_PROFILE_NOTE]
    notes += list(resolved.warnings)
    if outside and request.scope == "core":
        notes.append(
            f"{len(outside)} other technologies of this target are outside the core scope; "
            'scope "full" plans them too.'
        )
    row = LearningRoadmap(
        owner_id=owner_id,
        title=f"Roadmap: {title}"[:300],
        target=resolved.target,
        parameters={
            "hours_per_week": request.hours_per_week,
            "months": request.months,
            "start_date": start.isoformat(),
            "scope": request.scope,
            "profile_used": profile is not None,
            "notes": notes,
            "texts": texts,
        },
        plan=plan,
        revision=plan["revision"],
    )
    session.add(row)
    await session.flush()
    return to_public(row, {}, today=_today())


async def _roadmap(
    *, session: AsyncSession, owner_id: uuid.UUID, roadmap_id: uuid.UUID
) -> LearningRoadmap:
    return await get_owned(
        session,
        LearningRoadmap,
        roadmap_id,
        owner_id=owner_id,
        missing=lambda: NotFound("No such roadmap."),
    )


async def _progress_rows(
    *, session: AsyncSession, roadmap_id: uuid.UUID
) -> dict[str, LearningTaskProgress]:
    rows = (
        await session.exec(
            select(LearningTaskProgress).where(LearningTaskProgress.roadmap_id == roadmap_id)
        )
    ).all()
    return {row.task_id: row for row in rows}


def _statuses(rows: dict[str, LearningTaskProgress]) -> dict[str, str]:
    return {task_id: row.status for task_id, row in rows.items()}


def to_public(
    row: LearningRoadmap, progress_rows: dict[str, LearningTaskProgress], *, today: date
) -> RoadmapPublic:
    """Return a stored roadmap with each task's status and the progress per week and month."""
    plan = row.plan
    statuses = _statuses(progress_rows)
    stats = progress.progress(plan, statuses, today=today)
    resources = plan.get("resources", {})
    weeks = []
    for week in plan["weeks"]:
        tasks = []
        for task in week["tasks"]:
            progress_row = progress_rows.get(task["id"])
            status = "rescheduled" if task.get("rescheduled") else statuses.get(task["id"], "todo")
            tasks.append(
                {
                    **{k: task[k] for k in ("id", "title", "kind", "skill_id", "hours")},
                    "topics": task.get("topics", []),
                    "quiz_skill": task.get("quiz_skill"),
                    "resources": [
                        resources[r] for r in task.get("resource_ids", []) if r in resources
                    ],
                    "status": status,
                    "notes": progress_row.notes if progress_row else None,
                }
            )
        week_stats = stats["weeks"][week["index"]]
        weeks.append(
            {
                **{k: week[k] for k in ("index", "month", "start", "end", "focus", "hours")},
                "description": week["description"],
                "description_source": week.get("description_source", "template"),
                "percent_done": week_stats["percent_done"],
                "done_hours": week_stats["done_hours"],
                "tasks": tasks,
            }
        )
    months = [
        {**month, "percent_done": stats["months"][month["index"]]["percent_done"]}
        for month in plan["months"]
    ]
    parameters = dict(row.parameters)
    texts = parameters.pop("texts", {"writer": "template"})
    notes = parameters.pop("notes", [])
    profile_used = parameters.pop("profile_used", True)
    summary = {
        "fits": plan["fits"],
        "message": plan["message"],
        "requested_months": plan.get("requested_months"),
        "months_total": plan["months_total"],
        "weeks_total": plan["weeks_total"],
        "hours_per_week": plan["hours_per_week"],
        "hours_per_week_needed": plan.get("hours_per_week_needed"),
        "total_hours": plan["total_hours"],
        "start_date": plan["start_date"],
        "end_date": plan["end_date"],
        "percent_done": stats["percent_done"],
        "done_hours": stats["done_hours"],
        "current_week": stats["current_week"],
        "behind_hours": stats["behind_hours"],
    }
    dropped = list(plan.get("dropped", []))
    dropped += [
        {**item, "importance": "required", "reason": "Outside the core scope (scope: full)."}
        for item in plan.get("outside_scope", [])
    ]
    return RoadmapPublic.model_validate(
        {
            "id": str(row.id),
            "title": row.title,
            "created_at": row.created_at.isoformat(),
            "updated_at": row.updated_at.isoformat(),
            "revision": row.revision,
            "target": row.target,
            "parameters": parameters,
            "profile_used": profile_used,
            "notes": notes,
            "summary": summary,
            "overview": plan["overview"],
            "texts": texts,
            "units": plan["units"],
            "months": months,
            "weeks": weeks,
            "dropped": dropped,
            "known": plan.get("known", []),
            "prerequisites_added": plan.get("prerequisites_added", []),
            "completed_ahead": plan.get("completed_ahead", []),
        }
    )


async def get_roadmap(
    *, session: AsyncSession, owner_id: uuid.UUID, roadmap_id: uuid.UUID
) -> RoadmapPublic:
    """Return one of the user's roadmaps with its progress; another user's is not found."""
    row = await _roadmap(session=session, owner_id=owner_id, roadmap_id=roadmap_id)
    return to_public(row, await _progress_rows(session=session, roadmap_id=row.id), today=_today())


async def list_roadmaps(*, session: AsyncSession, owner_id: uuid.UUID) -> list[RoadmapListItem]:
    """Return the user's roadmaps, newest first."""
    rows = (
        await session.exec(
            select(LearningRoadmap)
            .where(LearningRoadmap.owner_id == owner_id)
            .order_by(col(LearningRoadmap.created_at).desc())
        )
    ).all()
    items = []
    for row in rows:
        statuses = _statuses(await _progress_rows(session=session, roadmap_id=row.id))
        stats = progress.progress(row.plan, statuses, today=_today())
        items.append(
            RoadmapListItem(
                id=str(row.id),
                title=row.title,
                created_at=row.created_at.isoformat(),
                revision=row.revision,
                fits=row.plan["fits"],
                months_total=row.plan["months_total"],
                percent_done=stats["percent_done"],
            )
        )
    return items


async def delete_roadmap(
    *, session: AsyncSession, owner_id: uuid.UUID, roadmap_id: uuid.UUID
) -> None:
    """Delete a roadmap and its progress."""
    row = await _roadmap(session=session, owner_id=owner_id, roadmap_id=roadmap_id)
    for progress_row in (await _progress_rows(session=session, roadmap_id=row.id)).values():
        await session.delete(progress_row)
    await session.delete(row)
    await session.flush()


def _find_task(plan: dict[str, Any], task_id: str) -> dict[str, Any] | None:
    for week in plan["weeks"]:
        for task in week["tasks"]:
            if task["id"] == task_id:
                return task
    return None


async def update_task(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    roadmap_id: uuid.UUID,
    task_id: str,
    update: TaskUpdate,
) -> RoadmapPublic:
    """Mark a task done, skipped or to do again, and/or keep notes on it."""
    row = await _roadmap(session=session, owner_id=owner_id, roadmap_id=roadmap_id)
    task = _find_task(row.plan, task_id)
    if task is None:
        raise TaskNotFound(
            f'No task "{task_id}" in this roadmap (revision {row.revision}); task ids change '
            "when the roadmap is re-planned."
        )
    if task.get("rescheduled"):
        raise Conflict(
            "This task was moved to a later week when the roadmap was re-planned: update the "
            "task that replaced it."
        )
    rows = await _progress_rows(session=session, roadmap_id=row.id)
    progress_row = rows.get(task_id)
    if progress_row is None:
        progress_row = LearningTaskProgress(
            roadmap_id=row.id, task_id=task_id, owner_id=owner_id, status="todo"
        )
    if update.status is not None:
        progress_row.status = update.status
    if "notes" in update.model_fields_set:
        progress_row.notes = update.notes
    progress_row.updated_at = utcnow()
    if progress_row.status == "todo" and not progress_row.notes:
        if task_id in rows:
            await session.delete(progress_row)
        rows.pop(task_id, None)
    else:
        session.add(progress_row)
        rows[task_id] = progress_row
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return to_public(row, rows, today=_today())


async def replan_roadmap(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    roadmap_id: uuid.UUID,
    request: ReplanRequest,
) -> RoadmapPublic:
    """Re-plan the unfinished work from the current week, at the (new) weekly hours."""
    row = await _roadmap(session=session, owner_id=owner_id, roadmap_id=roadmap_id)
    rows = await _progress_rows(session=session, roadmap_id=row.id)
    plan = progress.replan(
        row.plan,
        statuses=_statuses(rows),
        today=request.as_of or _today(),
        catalogue=load_catalogue(),
        hours_per_week=request.hours_per_week,
        months=request.months,
        max_months=resources.settings.learning_max_months,
        quiz_skills=load_bank().skills(),
    )
    row.plan = plan
    row.revision = plan["revision"]
    parameters = dict(row.parameters)
    parameters["hours_per_week"] = plan["hours_per_week"]
    parameters["replanned"] = {
        "as_of": (request.as_of or _today()).isoformat(),
        "months": request.months,
        "from_week": plan["replanned_from_week"],
    }
    row.parameters = parameters
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return to_public(row, rows, today=_today())


async def roadmap_mermaid(
    *, session: AsyncSession, owner_id: uuid.UUID, roadmap_id: uuid.UUID
) -> str:
    """Return the roadmap as a Mermaid gantt chart."""
    row = await _roadmap(session=session, owner_id=owner_id, roadmap_id=roadmap_id)
    statuses = _statuses(await _progress_rows(session=session, roadmap_id=row.id))
    return to_mermaid(row.plan, title=row.title, statuses=statuses, today=_today())


async def roadmap_ical(
    *, session: AsyncSession, owner_id: uuid.UUID, roadmap_id: uuid.UUID
) -> bytes:
    """Return the roadmap as an iCalendar file (an event per week and per checkpoint)."""
    row = await _roadmap(session=session, owner_id=owner_id, roadmap_id=roadmap_id)
    statuses = _statuses(await _progress_rows(session=session, roadmap_id=row.id))
    plan = {**row.plan, "updated_at": row.updated_at.isoformat()}
    return to_ical(plan, roadmap_id=str(row.id), title=row.title, statuses=statuses)


# --- resources --------------------------------------------------------------------------------


def live_sources(resources: Resources) -> tuple[list[LiveSource], list[LiveSourceStatus]]:
    """Return the live sources the operator configured, and the ones that are off."""
    settings = resources.settings
    sources: list[LiveSource] = []
    off: list[LiveSourceStatus] = []
    if settings.learning_youtube_api_key:
        sources.append(
            YouTubeSource(
                client=resources.http,
                base_url=settings.learning_youtube_api_url,
                api_key=settings.learning_youtube_api_key,
                timeout=settings.learning_live_timeout,
            )
        )
    else:
        off.append(
            LiveSourceStatus(
                name="youtube", status="off", detail="Set CAREERGINI_LEARNING_YOUTUBE_API_KEY."
            )
        )
    if settings.learning_github_token:
        sources.append(
            GitHubTopicSource(
                client=resources.http,
                base_url=settings.learning_github_api_url,
                token=settings.learning_github_token,
                timeout=settings.learning_live_timeout,
            )
        )
    else:
        off.append(
            LiveSourceStatus(
                name="github", status="off", detail="Set CAREERGINI_LEARNING_GITHUB_TOKEN."
            )
        )
    return sources, off


def _public_resource(resource: Resource) -> ResourcePublic:
    return ResourcePublic.model_validate(resource.to_dict())


async def find_resources(
    *,
    resources: Resources,
    skill: str | None,
    level: str | None,
    kind: str | None,
    live: bool,
    limit: int,
) -> ResourcesResponse:
    """Return curated resources for a skill (or all), and live ones when asked and configured."""
    catalogue = load_catalogue()
    if skill is None:
        found = catalogue.search(level=level, kind=kind)[:limit]
        return ResourcesResponse(
            skill=None, resources=[_public_resource(r) for r in found], live=[]
        )
    known = resolve_skill(skill)
    note = None
    found = catalogue.resources_for(known.id, level=level, kind=kind)
    if not found:
        exclusion = catalogue.exclusions.get(known.id)
        if exclusion is not None:
            note = f"No curated course for {known.name}: {exclusion.reason}"
            if exclusion.alternative:
                found = catalogue.resources_for(exclusion.alternative, level=level, kind=kind)
        else:
            taxonomy = load_taxonomy()
            for related in taxonomy.related(known.id, limit=20):
                found = catalogue.resources_for(related.id, level=level, kind=kind)
                if found:
                    note = (
                        f"No curated resources for {known.name} yet; these are for the closely "
                        f"related {related.name}."
                    )
                    break
    statuses: list[LiveSourceStatus] = []
    if live:
        sources, statuses = live_sources(resources)
        results = await search_live(
            sources,
            skill=known,
            level=level,
            limit=min(limit, 10),
            cache=resources.cache,
            ttl=resources.settings.learning_live_cache_ttl,
        )
        for result in results:
            items = [r for r in result.resources if kind is None or r.kind == kind]
            found = [*found, *items]
            statuses.append(
                LiveSourceStatus(
                    name=result.name, status=result.status, count=len(items), detail=result.detail
                )
            )
    return ResourcesResponse(
        skill={"id": known.id, "name": known.name, "category": known.category, "hot": known.hot},
        resources=[_public_resource(r) for r in found[:limit]],
        live=statuses,
        note=note,
    )


# --- confidence -------------------------------------------------------------------------------


def _confidence_public(row: SkillConfidence) -> ConfidencePublic:
    skill = load_taxonomy().get(row.skill_id)
    return ConfidencePublic(
        skill_id=row.skill_id,
        name=skill.name if skill else row.skill_id,
        confidence=row.confidence,
        quizzes=row.quizzes,
        last_score=row.last_score,
        last_level=row.last_level,
        updated_at=row.updated_at.isoformat(),
    )


async def list_confidence(*, session: AsyncSession, owner_id: uuid.UUID) -> list[ConfidencePublic]:
    """Return the user's skill confidence from quizzes, highest first."""
    rows = (
        await session.exec(select(SkillConfidence).where(SkillConfidence.owner_id == owner_id))
    ).all()
    return sorted((_confidence_public(r) for r in rows), key=lambda c: (-c.confidence, c.skill_id))


async def record_confidence(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    skill_id: str,
    confidence: float,
    score: float,
    level: str,
) -> ConfidencePublic:
    """Store a skill's new confidence after a quiz."""
    row = await session.get(SkillConfidence, (owner_id, skill_id))
    if row is None:
        row = SkillConfidence(
            owner_id=owner_id,
            skill_id=skill_id,
            confidence=confidence,
            quizzes=0,
            last_score=score,
            last_level=level,
        )
    row.confidence = confidence
    row.quizzes += 1
    row.last_score = score
    row.last_level = level
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return _confidence_public(row)


async def get_confidence(
    *, session: AsyncSession, owner_id: uuid.UUID, skill_id: str
) -> float | None:
    """Return the user's confidence in one skill, or None when they took no quiz on it."""
    row = await session.get(SkillConfidence, (owner_id, skill_id))
    return None if row is None else row.confidence


# --- account export ---------------------------------------------------------------------------


async def export_for_account(session: AsyncSession, owner_id: uuid.UUID) -> dict[str, Any]:
    """Return the user's roadmaps, progress, quizzes, confidence, interviews and stories."""

    async def rows(model: Any) -> list[Any]:
        return list((await session.exec(select(model).where(model.owner_id == owner_id))).all())

    def dump(row: Any) -> dict[str, Any]:
        return row.model_dump(mode="json")

    return {
        "roadmaps": [dump(r) for r in await rows(LearningRoadmap)],
        "task_progress": [dump(r) for r in await rows(LearningTaskProgress)],
        "quizzes": [dump(r) for r in await rows(LearningQuiz)],
        "skill_confidence": [dump(r) for r in await rows(SkillConfidence)],
        "interview_sessions": [dump(r) for r in await rows(InterviewSession)],
        "interview_answers": [dump(r) for r in await rows(InterviewAnswer)],
        "stories": [dump(r) for r in await rows(InterviewStory)],
    }
