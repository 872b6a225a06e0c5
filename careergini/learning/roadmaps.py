"""Roadmaps: built from the person's gap to a target (``planner``), stored, followed task by
task, re-planned from the current week (``progress``) and exported (``export``).

Without a profile the roadmap teaches the whole target from scratch, which is what a newcomer
needs; the response says so.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.core.errors import Conflict, NotFound
from careergini.learning import background, planner, progress
from careergini.learning.confidence import confidence_map
from careergini.learning.errors import TaskNotFound
from careergini.learning.export import to_ical, to_mermaid
from careergini.learning.links import broken_resources, link_report_path, usable_catalogue
from careergini.learning.models import LearningRoadmap, LearningTaskProgress
from careergini.learning.quizzes import load_bank
from careergini.learning.schemas import (
    ReplanRequest,
    RoadmapListItem,
    RoadmapPublic,
    RoadmapRequest,
    TaskUpdate,
)
from careergini.learning.targets import (
    evidence,
    needs_from_gap,
    person,
    resolve_request_target,
)
from careergini.runtime.resources import Resources
from careergini.skills.service import load_taxonomy
from careergini.tasks.schemas import TaskPublic as BackgroundTask

NO_PROFILE_NOTE = (
    "You have no profile yet, so this plan covers the whole target from scratch (the right "
    "start for a newcomer). Import a resume (POST /api/profile/imports) to skip what you "
    "already know."
)


def _today() -> date:
    return utcnow().date()


def roadmap_url(roadmap_id: uuid.UUID) -> str:
    return f"/api/learning/roadmaps/{roadmap_id}"


async def _submit_texts(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    row: LearningRoadmap,
    from_week: int,
) -> BackgroundTask:
    """Queue the task in which the model rewrites the texts of this revision of the roadmap."""
    return await background.submit(
        session=session,
        resources=resources,
        owner_id=owner_id,
        kind=background.ROADMAP_TEXTS,
        resource=background.ROADMAP_RESOURCE,
        resource_id=row.id,
        url=roadmap_url(row.id),
        payload={"roadmap_id": str(row.id), "revision": row.revision, "from_week": from_week},
    )


def _pending_texts() -> dict[str, Any]:
    return {"writer": "template", "note": background.PENDING_NOTE.format(what="template text")}


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
    evidenced = evidence(candidate, profile)
    needs = needs_from_gap(resolved, candidate, evidenced)
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
        known=evidenced,
        confidence=await confidence_map(session=session, owner_id=owner_id),
        catalogue=usable_catalogue(settings.data_dir),
        taxonomy=taxonomy,
        options=options,
        quiz_skills=load_bank().skills(),
    )
    in_profile = [
        {"skill_id": s.skill_id, "name": s.name, "why": _known_why(evidenced[s.skill_id])}
        for s in resolved.job.skills
        if s.skill_id in evidenced
    ]
    plan["known"] = in_profile + plan["known"]
    outside = [n for n in needs if not n.core]
    if request.scope == "core" and outside:
        plan["outside_scope"] = [{"skill_id": n.skill_id, "name": n.name} for n in outside]
    title = roadmap_title(resolved.target)
    texts: dict[str, Any] = {"writer": "template", "note": "AI writing is off (settings)."}
    use_llm = settings.learning_use_llm and bool(plan["weeks"])
    if use_llm:
        texts = _pending_texts()
    elif settings.learning_use_llm:
        texts = {"writer": "template", "note": "Nothing to write: the plan is empty."}
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
    task = None
    if use_llm:
        task = await _submit_texts(
            session=session, resources=resources, owner_id=owner_id, row=row, from_week=1
        )
    return to_public(row, {}, today=_today(), model_task=task)


def _known_why(how: str) -> str:
    """Say why a skill the target asks for is not taught ("You have it via TypeScript")."""
    said = f"You have it {how}" if how.startswith("via ") else how[:1].upper() + how[1:]
    return f"{said}: not taught again."


def roadmap_title(target: dict[str, Any]) -> str:
    """Return the name the texts give the target (a role's or a posting's title)."""
    return str(target.get("title") or "Job description")


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
    row: LearningRoadmap,
    progress_rows: dict[str, LearningTaskProgress],
    *,
    today: date,
    model_task: BackgroundTask | None = None,
    hidden: frozenset[str] = frozenset(),
) -> RoadmapPublic:
    """Return a stored roadmap with each task's status and the progress per week and month;
    ``hidden`` resources (links the last check found broken) are left out."""
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
                        resources[r]
                        for r in task.get("resource_ids", [])
                        if r in resources and r not in hidden
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
            "shows": "model" if texts.get("writer") == "llm" else "deterministic",
            "task": model_task,
        }
    )


def _hidden(resources: Resources | None) -> frozenset[str]:
    """Return the resources whose link the last check found broken (none without settings)."""
    if resources is None:
        return frozenset()
    return broken_resources(link_report_path(resources.settings.data_dir))


async def _public(
    session: AsyncSession,
    row: LearningRoadmap,
    progress_rows: dict[str, LearningTaskProgress],
    *,
    task: BackgroundTask | None = None,
    resources: Resources | None = None,
) -> RoadmapPublic:
    """Return the roadmap with its newest texts task (``task``, when just submitted)."""
    if task is None:
        task = await background.latest(
            session=session,
            owner_id=row.owner_id,
            resource=background.ROADMAP_RESOURCE,
            resource_id=row.id,
        )
    return to_public(row, progress_rows, today=_today(), model_task=task, hidden=_hidden(resources))


async def get_roadmap(
    *,
    session: AsyncSession,
    owner_id: uuid.UUID,
    roadmap_id: uuid.UUID,
    resources: Resources | None = None,
) -> RoadmapPublic:
    """Return one of the user's roadmaps with its progress; another user's is not found."""
    row = await _roadmap(session=session, owner_id=owner_id, roadmap_id=roadmap_id)
    rows = await _progress_rows(session=session, roadmap_id=row.id)
    return await _public(session, row, rows, resources=resources)


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
    resources: Resources | None = None,
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
    return await _public(session, row, rows, resources=resources)


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
        catalogue=usable_catalogue(resources.settings.data_dir),
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
    from_week = plan["replanned_from_week"]
    use_llm = resources.settings.learning_use_llm and any(
        week["index"] >= from_week for week in plan["weeks"]
    )
    if use_llm:
        parameters["texts"] = _pending_texts()
    row.parameters = parameters
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    task = None
    if use_llm:
        task = await _submit_texts(
            session=session,
            resources=resources,
            owner_id=owner_id,
            row=row,
            from_week=from_week,
        )
    return await _public(session, row, rows, task=task, resources=resources)


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
