"""The learning tools: what to learn next and in which order, and, when asked, a stored
roadmap or a practice interview started.

The roadmap and the interview come from the same service functions as POST
/api/learning/roadmaps and /api/interview/sessions, for the chatting user only, committed at
once: they exist when the answer names them, whatever happens to the answer.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from careergini.agents.results import (
    ArtifactRef,
    InterviewData,
    LearningPlanData,
    QuestionData,
    RoadmapData,
    StudyResourceData,
    StudyStepData,
    ToolResult,
    WeekRunData,
)
from careergini.agents.state import CoachContext, Target
from careergini.agents.tools.analysis import Analysis, analyse
from careergini.agents.tools.base import (
    NO_DOCUMENT_TARGET_HINT,
    explain,
    failed,
    names,
    request_target,
    result,
    short,
    target_label,
)
from careergini.core.db import session_scope
from careergini.core.errors import AppError
from careergini.learning import service as learning_service
from careergini.learning.schemas import InterviewRequest, RoadmapRequest, WeekPublic
from careergini.runtime.resources import Resources

DEFAULT_STUDY_HOURS = 5
_HOURS = re.compile(
    r"\b(\d{1,3})\s*(?:h|hrs?|hours?)\b\s*(?:(?:a|an|per|each|every|/)\s*)?(?:week|wk)\b"
    r"|\b(\d{1,3})\s*(?:h|hrs?|hours?)\s+weekly\b",
    re.I,
)
_MONTHS = re.compile(r"\b(?:in|within|over|for)\s+(?:the\s+next\s+)?(\d{1,2})\s*months?\b", re.I)


def study_hours(message: str) -> int | None:
    """Return the study hours a week the message states ("10 hours a week"), if it does."""
    found = _HOURS.search(message)
    return int(found.group(1) or found.group(2)) if found else None


def study_months(message: str) -> int | None:
    """Return the months the message gives the plan ("within 3 months"), if it does."""
    found = _MONTHS.search(message)
    return int(found.group(1)) if found else None


# --- what to learn next -------------------------------------------------------------------------


async def learning_plan(
    ctx: CoachContext, *, target: Target | None, agent: str = "learning"
) -> ToolResult:
    """Order the missing skills into study steps (with curated resources where there are)."""
    analysis = await analyse(
        ctx, target, agent=agent, tool="learning_plan", heading="Learning plan"
    )
    if not isinstance(analysis, Analysis):
        return analysis
    try:
        steps = await _learning_steps(ctx, analysis)
    except AppError as exc:
        return analysis.failed(explain(exc, analysis.target))
    lines = [f"Target: {analysis.label}. Study order:"]
    for number, step in enumerate(steps, 1):
        base = f" (builds on {', '.join(step['builds_on'])})" if step["builds_on"] else ""
        lines.append(f"{number}. {step['skill']} [{step['importance']}]{base}: {step['reason']}")
        lines.extend(
            f"   resource: {r['title']} ({r['hours']} h, {r['cost']})" for r in step["resources"]
        )
    if not steps:
        lines.append("Nothing is missing for this target.")
    return analysis.result(
        LearningPlanData(target=analysis.target_data, steps=steps), "\n".join(lines)
    )


async def _learning_steps(ctx: CoachContext, analysis: Analysis) -> list[StudyStepData]:
    """Return the learning domain's ordered needs with curated resources."""
    target = analysis.target
    role = target.get("kind") == "role"
    resolved = learning_service.resolve_target(
        target_role=target.get("role_id") if role else None,
        job_description=analysis.job_text if not role and analysis.posting is None else None,
        posting=analysis.posting,
    )
    async with ctx.resources.sessionmaker() as session:
        profile, candidate = await learning_service.person(session=session, owner_id=ctx.user_id)
    evidenced = learning_service.evidence(candidate, profile)
    needs = sorted(
        learning_service.needs_from_gap(resolved, candidate, evidenced),
        key=lambda n: (not n.core, n.importance != "required", n.rank),
    )
    steps = []
    for need in needs[:6]:
        found = await learning_service.find_resources(
            resources=ctx.resources, skill=need.skill_id, level=None, kind=None, live=False, limit=2
        )
        steps.append(
            StudyStepData(
                skill=need.name,
                importance=need.importance,
                reason=need.reason,
                builds_on=[need.transfer_from] if need.transfer_from else [],
                resources=[
                    StudyResourceData(title=r.title, url=r.url, hours=r.hours, cost=r.cost)
                    for r in found.resources
                ],
            )
        )
    return steps


# --- a stored roadmap ---------------------------------------------------------------------------


def _without_model_texts(ctx: CoachContext) -> Resources:
    """Return the clients with the roadmap's model-written texts off for this call: the chat
    turn does not wait for the model to write week descriptions (the plan is the same)."""
    settings = ctx.resources.settings.model_copy(update={"learning_use_llm": False})
    return dataclasses.replace(ctx.resources, settings=settings)


@dataclasses.dataclass(slots=True)
class _Run:
    first: int
    last: int
    focus: str
    hours: int


def _week_runs(weeks: Sequence[WeekPublic], *, limit: int = 3) -> list[WeekRunData]:
    """Return the first weeks as runs of the same focus ("weeks 1-3: AWS"), at most ``limit``."""
    runs: list[_Run] = []
    for week in weeks:
        focus = short(week.focus, 80)
        if runs and runs[-1].focus == focus and runs[-1].last == week.index - 1:
            runs[-1].last = week.index
            continue
        if len(runs) == limit:
            break
        runs.append(_Run(first=week.index, last=week.index, focus=focus, hours=week.hours))
    return [
        WeekRunData(
            focus=run.focus,
            hours=run.hours,
            weeks=f"weeks {run.first}-{run.last}" if run.last > run.first else f"week {run.first}",
        )
        for run in runs
    ]


async def create_roadmap(
    ctx: CoachContext,
    *,
    target: Target | None,
    hours_per_week: int = DEFAULT_STUDY_HOURS,
    months: int | None = None,
    agent: str = "learning",
) -> ToolResult:
    """Create and store a learning roadmap from the person's gap to the target."""
    label = target_label(target) if target else None
    title = f"Learning roadmap: {label}" if label else "Learning roadmap"
    fields = request_target(target, role_field="target_role")
    if fields is None:
        return failed(agent, "create_roadmap", title, NO_DOCUMENT_TARGET_HINT)
    if not 1 <= hours_per_week <= 80:
        hint = f"{hours_per_week} hours a week is outside 1 to 80: say how many hours you have."
        return failed(agent, "create_roadmap", title, hint)
    if months is not None and not 1 <= months <= 60:
        months = None  # "in 0 months": plan without a deadline rather than refuse
    request = RoadmapRequest(**fields, hours_per_week=hours_per_week, months=months)
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await learning_service.create_roadmap(
                session=session,
                resources=_without_model_texts(ctx),
                owner_id=ctx.user_id,
                request=request,
            )
    except AppError as exc:  # an unknown role, a posting gone, a JD with no known skill
        return failed(agent, "create_roadmap", title, explain(exc, target))
    summary = made.summary
    links = {
        "app": f"/learning/roadmaps/{made.id}",
        "ics": f"/api/learning/roadmaps/{made.id}/ics",
    }
    weeks = _week_runs(made.weeks)
    data = RoadmapData(
        artifact=ArtifactRef(kind="roadmap", id=made.id),
        target=made.target.model_dump(mode="json"),
        links=links,
        hours_per_week=summary.hours_per_week,
        weeks_total=summary.weeks_total,
        months_total=summary.months_total,
        total_hours=summary.total_hours,
        end_date=summary.end_date.isoformat(),
        fits=summary.fits,
        fit_message=short(summary.message, 240),
        first_weeks=weeks,
        skills=[u.name for u in made.units],
        known=[k.get("name") for k in made.known if k.get("name")][:6],
        notes=[short(n, 160) for n in made.notes[:2]],
    )
    lines = [
        f"Created and saved a learning roadmap (id {made.id}) for {label}: "
        f"{data['hours_per_week']} h a week, {data['weeks_total']} weeks "
        f"({data['months_total']} months, {data['total_hours']} h), until {data['end_date']}.",
        f"Fits the time given: {'yes' if data['fits'] else 'no'}. {data['fit_message']}",
    ]
    if weeks:
        first = "; ".join(f"{w['weeks']}: {w['focus']} ({w['hours']} h a week)" for w in weeks)
        lines.append(f"First weeks: {first}")
    lines.append("Skills in order: " + (names(data["skills"], 6) or "none: nothing is missing"))
    if data["known"]:
        lines.append("Already known, not taught: " + names(data["known"], 4))
    lines.extend(f"Note: {n}" for n in data["notes"][:1])
    lines.append(f"Links: {links['app']} (tasks, progress, re-plan), calendar {links['ics']}")
    return result(agent, "create_roadmap", title, data, "\n".join(lines))


# --- a practice interview -----------------------------------------------------------------------


async def start_interview(
    ctx: CoachContext, *, target: Target | None, agent: str = "learning"
) -> ToolResult:
    """Start a stored practice interview for the target and give its first question."""
    label = target_label(target) if target else None
    title = f"Interview practice: {label}" if label else "Interview practice"
    fields = request_target(target, role_field="target_role")
    if fields is None:
        return failed(agent, "start_interview", title, NO_DOCUMENT_TARGET_HINT)
    try:
        async with session_scope(ctx.resources.sessionmaker) as session:
            made = await learning_service.create_interview_session(
                session=session,
                resources=ctx.resources,
                owner_id=ctx.user_id,
                request=InterviewRequest(**fields),
            )
    except AppError as exc:
        return failed(agent, "start_interview", title, explain(exc, target))
    answer = f"/api/interview/sessions/{made.id}/answers"
    question = made.current_question
    data = InterviewData(
        artifact=ArtifactRef(kind="interview_session", id=made.id),
        target=made.target.model_dump(mode="json"),
        links={
            "page": f"/learning/interview/{made.id}",
            "answer": answer,
            "session": f"/api/interview/sessions/{made.id}",
        },
        total=made.total,
        question=None
        if question is None
        else QuestionData(
            number=question.number,
            kind=question.kind,
            text=question.question,
            covers=[r.criterion for r in question.rubric][:4],
        ),
        notes=[short(n, 160) for n in made.notes[:1]],
    )
    lines = [
        f"Started and saved an interview practice session (id {made.id}) for {label}: "
        f"{made.total} questions, asked one at a time."
    ]
    if data["question"]:
        q = data["question"]
        lines.append(f"Question {q['number']} of {made.total} ({q['kind']}): {q['text']}")
        if q["covers"]:
            lines.append("A good answer covers: " + ", ".join(q["covers"]))
    lines.extend(f"Note: {n}" for n in data["notes"])
    lines.append(
        f"To answer: open /learning/interview/{made.id} (Interview practice), or POST {answer} "
        'with {"answer": "..."}; feedback and the next question come back.'
    )
    return result(agent, "start_interview", title, data, "\n".join(lines))
