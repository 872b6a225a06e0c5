from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from careergini.gateway.auth.dependencies import AIRateLimit, CurrentUser
from careergini.learning import practice, service as learning_service
from careergini.learning.planner import __doc__ as PLANNER_DOC
from careergini.learning.schemas import (
    ConfidencePublic,
    InterviewAnswerRequest,
    InterviewAnswerResponse,
    InterviewRequest,
    InterviewSessionPublic,
    Kind,
    Level,
    QuizAnswers,
    QuizPublic,
    QuizRequest,
    ReplanRequest,
    ResourcesResponse,
    RoadmapListItem,
    RoadmapPublic,
    RoadmapRequest,
    StoriesBuilt,
    StoryCreate,
    StoryPublic,
    StoryUpdate,
    TaskUpdate,
)
from careergini.runtime.deps import ResourcesDep, SessionDep
from careergini.tasks import service as tasks_service
from careergini.tasks.service import IdempotencyKeyHeader

router = APIRouter(tags=["learning"])

_ROADMAP_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "unknown role (close matches in `suggestions`), or no such posting"},
    422: {"description": "hours_per_week outside 1-80, months outside 1-60, two targets..."},
}


# --- roadmaps ---------------------------------------------------------------------------------


@router.post(
    "/api/learning/roadmaps",
    response_model=RoadmapPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AIRateLimit],
    responses=_ROADMAP_ERRORS,
    description=PLANNER_DOC,
)
async def create_roadmap(
    body: RoadmapRequest,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """A roadmap from your skill gap to a role or a job: months, weeks, tasks, projects.

    Stored at once with template texts; with AI writing on, `task` is the background task in
    which the model rewrites them (`shows` turns "model" when it succeeds).
    """
    return await tasks_service.answer_once(
        session,
        owner_id=user.id,
        key=idempotency_key,
        scope="learning.roadmap",
        body=body,
        make=lambda: learning_service.create_roadmap(
            session=session, resources=resources, owner_id=user.id, request=body
        ),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/api/learning/roadmaps", response_model=list[RoadmapListItem])
async def list_roadmaps(user: CurrentUser, session: SessionDep) -> list[RoadmapListItem]:
    """Your roadmaps, newest first, with their progress."""
    return await learning_service.list_roadmaps(session=session, owner_id=user.id)


@router.get("/api/learning/roadmaps/{roadmap_id}", response_model=RoadmapPublic)
async def get_roadmap(
    roadmap_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> RoadmapPublic:
    """One roadmap, with the percent done per week and month and how far behind you are."""
    return await learning_service.get_roadmap(
        session=session, owner_id=user.id, roadmap_id=roadmap_id, resources=resources
    )


@router.delete("/api/learning/roadmaps/{roadmap_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_roadmap(roadmap_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    """Delete a roadmap and its progress."""
    await learning_service.delete_roadmap(session=session, owner_id=user.id, roadmap_id=roadmap_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch("/api/learning/roadmaps/{roadmap_id}/tasks/{task_id}", response_model=RoadmapPublic)
async def update_task(
    roadmap_id: uuid.UUID,
    task_id: str,
    body: TaskUpdate,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
) -> RoadmapPublic:
    """Mark a task done or skipped (or to do again) and keep notes on it."""
    return await learning_service.update_task(
        session=session,
        owner_id=user.id,
        roadmap_id=roadmap_id,
        task_id=task_id,
        update=body,
        resources=resources,
    )


@router.post("/api/learning/roadmaps/{roadmap_id}/replan", response_model=RoadmapPublic)
async def replan_roadmap(
    roadmap_id: uuid.UUID,
    body: ReplanRequest,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """Re-plan the unfinished work from this week on (you fell behind, or your hours changed).

    With AI writing on, `task` rewrites the new weeks' texts in the background.
    """
    request = {"replan": str(roadmap_id), **body.model_dump(mode="json")}
    return await tasks_service.answer_once(
        session,
        owner_id=user.id,
        key=idempotency_key,
        scope="learning.roadmap",
        body=request,
        make=lambda: learning_service.replan_roadmap(
            session=session,
            resources=resources,
            owner_id=user.id,
            roadmap_id=roadmap_id,
            request=body,
        ),
    )


@router.get(
    "/api/learning/roadmaps/{roadmap_id}/mermaid",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def roadmap_mermaid(
    roadmap_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Response:
    """The roadmap as a Mermaid gantt chart (a section per month, a bar per week)."""
    text = await learning_service.roadmap_mermaid(
        session=session, owner_id=user.id, roadmap_id=roadmap_id
    )
    return Response(text, media_type="text/plain; charset=utf-8")


@router.get(
    "/api/learning/roadmaps/{roadmap_id}/ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
async def roadmap_ics(roadmap_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    """The roadmap as an iCalendar file: an event per week, one per monthly checkpoint."""
    data = await learning_service.roadmap_ical(
        session=session, owner_id=user.id, roadmap_id=roadmap_id
    )
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="roadmap-{roadmap_id}.ics"'},
    )


# --- resources and confidence -----------------------------------------------------------------


@router.get("/api/learning/resources", response_model=ResourcesResponse)
async def find_resources(
    user: CurrentUser,
    resources: ResourcesDep,
    skill: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    level: Level | None = None,
    kind: Kind | None = None,
    live: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ResourcesResponse:
    """Curated free resources (by skill, level, kind); live YouTube/GitHub ones when configured."""
    return await learning_service.find_resources(
        resources=resources, skill=skill, level=level, kind=kind, live=live, limit=limit
    )


@router.get("/api/learning/skills/confidence", response_model=list[ConfidencePublic])
async def skill_confidence(user: CurrentUser, session: SessionDep) -> list[ConfidencePublic]:
    """Your confidence per skill (0 to 1), built from your quiz results."""
    return await learning_service.list_confidence(session=session, owner_id=user.id)


# --- quizzes ----------------------------------------------------------------------------------


@router.post(
    "/api/quizzes",
    response_model=QuizPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[AIRateLimit],
)
async def create_quiz(
    body: QuizRequest,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """A multiple-choice quiz on a skill (the shipped bank, new questions from the AI model).

    The bank's questions are there at once; when the bank has fewer than `n`, `task` asks the
    model for the rest, added to the quiz while it is not answered.
    """
    return await tasks_service.answer_once(
        session,
        owner_id=user.id,
        key=idempotency_key,
        scope="learning.quiz",
        body=body,
        make=lambda: practice.create_quiz(
            session=session, resources=resources, owner_id=user.id, request=body
        ),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/api/quizzes/{quiz_id}", response_model=QuizPublic)
async def get_quiz(quiz_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> QuizPublic:
    """One of your quizzes, with its result once answered."""
    return await practice.get_quiz(session=session, owner_id=user.id, quiz_id=quiz_id)


@router.post("/api/quizzes/{quiz_id}/answers", response_model=QuizPublic)
async def answer_quiz(
    quiz_id: uuid.UUID, body: QuizAnswers, user: CurrentUser, session: SessionDep
) -> QuizPublic:
    """Your score with every answer explained; the result updates the skill's confidence."""
    return await practice.answer_quiz(
        session=session, owner_id=user.id, quiz_id=quiz_id, answers=body
    )


# --- interview practice -----------------------------------------------------------------------


@router.post(
    "/api/interview/sessions",
    response_model=InterviewSessionPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        404: {"description": "unknown role (close matches in `suggestions`), or no such posting"},
        422: {"description": "no target or two targets, a malformed job_id..."},
    },
)
async def create_session(
    body: InterviewRequest, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> InterviewSessionPublic:
    """A practice interview for a role or a job, one question at a time."""
    return await practice.create_session(
        session=session, resources=resources, owner_id=user.id, request=body
    )


@router.get("/api/interview/sessions", response_model=list[InterviewSessionPublic])
async def list_sessions(user: CurrentUser, session: SessionDep) -> list[InterviewSessionPublic]:
    """Your interview sessions, newest first."""
    return await practice.list_sessions(session=session, owner_id=user.id)


@router.get("/api/interview/sessions/{session_id}", response_model=InterviewSessionPublic)
async def get_session(
    session_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> InterviewSessionPublic:
    """One interview session and its current question."""
    return await practice.get_session(session=session, owner_id=user.id, session_id=session_id)


@router.post(
    "/api/interview/sessions/{session_id}/answers",
    response_model=InterviewAnswerResponse,
    dependencies=[AIRateLimit],
)
async def answer_question(
    session_id: uuid.UUID,
    body: InterviewAnswerRequest,
    user: CurrentUser,
    session: SessionDep,
    resources: ResourcesDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """Answer the current question: rubric feedback at once, the model's via `task`; the next.

    The same Idempotency-Key and answer replay the first reply (the answer is not recorded
    twice, so a retried request does not skip a question).
    """
    request = {"session_id": str(session_id), **body.model_dump(mode="json")}
    return await tasks_service.answer_once(
        session,
        owner_id=user.id,
        key=idempotency_key,
        scope="learning.feedback",
        body=request,
        make=lambda: practice.answer_question(
            session=session,
            resources=resources,
            owner_id=user.id,
            session_id=session_id,
            request=body,
        ),
    )


@router.get("/api/interview/stories", response_model=list[StoryPublic])
async def list_stories(user: CurrentUser, session: SessionDep) -> list[StoryPublic]:
    """Your STAR story bank, reusable across interview sessions."""
    return await practice.list_stories(session=session, owner_id=user.id)


@router.post("/api/interview/stories/build", response_model=StoriesBuilt)
async def build_stories(user: CurrentUser, session: SessionDep) -> StoriesBuilt:
    """Draft STAR stories from your profile's bullets (stories you have are kept)."""
    return await practice.build_stories(session=session, owner_id=user.id)


@router.post(
    "/api/interview/stories", response_model=StoryPublic, status_code=status.HTTP_201_CREATED
)
async def create_story(body: StoryCreate, user: CurrentUser, session: SessionDep) -> StoryPublic:
    """Add a STAR story of your own."""
    return await practice.create_story(session=session, owner_id=user.id, story=body)


@router.patch("/api/interview/stories/{story_id}", response_model=StoryPublic)
async def update_story(
    story_id: uuid.UUID, body: StoryUpdate, user: CurrentUser, session: SessionDep
) -> StoryPublic:
    """Edit a story (fill in the task and the result the draft could not know)."""
    return await practice.update_story(
        session=session, owner_id=user.id, story_id=story_id, update=body
    )


@router.delete("/api/interview/stories/{story_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_story(story_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    """Delete a story."""
    await practice.delete_story(session=session, owner_id=user.id, story_id=story_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
