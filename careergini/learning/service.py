"""The learning domain's API: roadmaps from the skill gap, progress and re-planning, exports,
curated (and optional live) resources, the skill confidence that quizzes build, and interview
practice.

Each sub-domain has its module: ``targets`` (roles, job descriptions, postings, the gap),
``roadmaps``, ``resources``, ``confidence`` and ``practice`` (quizzes, interview sessions,
stories). Other packages call this module; it re-exports what they use.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.learning import (
    model_tasks as model_tasks,  # registers the kinds of the learning domain's model tasks
    practice,
)
from careergini.learning.catalogue import read_data_file as read_data_file
from careergini.learning.confidence import (
    confidence_map as confidence_map,
    get_confidence as get_confidence,
    list_confidence as list_confidence,
    record_confidence as record_confidence,
)
from careergini.learning.links import (
    LinkCheck as LinkCheck,
    check_catalogue as check_catalogue,
    link_report_path as link_report_path,
    write_link_report as write_link_report,
)
from careergini.learning.models import (
    InterviewAnswer,
    InterviewSession,
    InterviewStory,
    LearningQuiz,
    LearningRoadmap,
    LearningTaskProgress,
    SkillConfidence,
)
from careergini.learning.resources import (
    find_resources as find_resources,
    live_sources as live_sources,
)
from careergini.learning.roadmaps import (
    NO_PROFILE_NOTE as NO_PROFILE_NOTE,
    create_roadmap as create_roadmap,
    delete_roadmap as delete_roadmap,
    get_roadmap as get_roadmap,
    list_roadmaps as list_roadmaps,
    replan_roadmap as replan_roadmap,
    roadmap_ical as roadmap_ical,
    roadmap_mermaid as roadmap_mermaid,
    to_public as to_public,
    update_task as update_task,
)
from careergini.learning.targets import (
    ResolvedTarget as ResolvedTarget,
    evidence as evidence,
    needs_from_gap as needs_from_gap,
    person as person,
    resolve_request_target as resolve_request_target,
    resolve_role as resolve_role,
    resolve_skill as resolve_skill,
    resolve_target as resolve_target,
    suggest_roles as suggest_roles,
)
from careergini.skills.service import (
    base_role_id as base_role_id,
    find_role as find_role,
    get_role as get_role,
)

# Interview practice, for the coach: start a stored session for a target.
create_interview_session = practice.create_session


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
