"""The learning domain's background tasks: their kinds, the resources they augment, and how a
request submits one and a response finds the newest.

A request that would call the model stores the deterministic result at once (template texts,
the bank's questions, rubric feedback) and submits a task; the task's handler
(``model_tasks``) asks the model and augments the stored resource when its answer passes the
same checks the synchronous path used.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.llm.gateway import LLMProgress, ProgressCallback
from careergini.runtime.resources import Resources
from careergini.tasks import service as tasks_service
from careergini.tasks.schemas import TaskPublic, TaskResultRef

FEEDBACK = "learning.feedback"
QUIZ = "learning.quiz"
ROADMAP_TEXTS = "learning.roadmap_texts"

# The ``result.kind`` of each kind's task: the resource it augments.
ANSWER_RESOURCE = "interview_answer"
QUIZ_RESOURCE = "learning_quiz"
ROADMAP_RESOURCE = "learning_roadmap"

PENDING_NOTE = "The AI model is writing its version (see `task`); this is the {what} meanwhile."


async def submit(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    kind: str,
    resource: str,
    resource_id: uuid.UUID,
    url: str,
    payload: dict[str, Any],
) -> TaskPublic:
    """Queue a model task for one stored resource (it starts after the request commits)."""
    return await tasks_service.submit(
        session=session,
        resources=resources,
        owner_id=owner_id,
        kind=kind,
        payload=payload,
        result=TaskResultRef(kind=resource, id=str(resource_id), url=url),
    )


async def latest(
    *, session: AsyncSession, owner_id: uuid.UUID, resource: str, resource_id: uuid.UUID
) -> TaskPublic | None:
    """Return the newest model task of one resource of the user, if any."""
    return await tasks_service.latest_for(
        session=session, owner_id=owner_id, result_kind=resource, result_id=resource_id
    )


def forward_progress(ctx: tasks_service.TaskContext) -> ProgressCallback:
    """Return a gateway progress callback that reports to the task (waiting, reading, writing)."""

    async def report(update: LLMProgress) -> None:
        await ctx.progress(update.stage, percent=update.percent, tokens=update.tokens)

    return report
