"""The handlers of the learning domain's model tasks (registered at import).

Each one reads the stored resource, asks the model outside any transaction (its progress goes
to the task), checks the answer exactly as the synchronous path did, and then augments the
resource in a transaction of its own, with a guard so that a person's later change is never
overwritten:

- ``learning.feedback``: the model's rubric feedback replaces the rubric-only feedback of one
  answer (answers are not edited, so nothing can conflict).
- ``learning.quiz``: the model's new questions are appended to the quiz while it is not
  answered. A quiz takes all its answers at once, so "not answered" is exactly "nobody has
  started to rely on the question list"; an answered quiz is a record and never changes.
- ``learning.roadmap_texts``: the model's texts replace the template texts of the roadmap's
  revision they were written for; a roadmap re-planned meanwhile keeps its own texts.

When the model fails, the resource gets a note saying so (the deterministic result stays) and
the task fails with the gateway's reason.
"""

from __future__ import annotations

import contextlib
import copy
import random
import uuid
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from careergini.core.db import get_owned, utcnow
from careergini.core.errors import NotFound
from careergini.learning import background, practice, quizzes, targets
from careergini.learning.errors import ChangedMeanwhile, ModelOutputRejected
from careergini.learning.interview import InterviewQuestion
from careergini.learning.models import (
    InterviewAnswer,
    InterviewSession,
    LearningQuiz,
    LearningRoadmap,
)
from careergini.learning.roadmaps import roadmap_title
from careergini.learning.schemas import FeedbackPublic
from careergini.learning.writer import write_texts
from careergini.llm.errors import LLMError
from careergini.skills.service import load_taxonomy
from careergini.tasks import service as tasks_service
from careergini.tasks.service import TaskContext


def _uuid(ctx: TaskContext, name: str) -> uuid.UUID:
    return uuid.UUID(str(ctx.payload[name]))


# --- interview feedback -----------------------------------------------------------------------


def _no_answer() -> NotFound:
    return NotFound("The interview answer is gone (its session was deleted).")


async def _note_feedback(ctx: TaskContext, answer_id: uuid.UUID, note: str) -> None:
    """Say on the rubric feedback why the model's is missing."""
    async with ctx.session() as session:
        answer = await session.get(InterviewAnswer, answer_id)
        if answer is None or answer.feedback.get("source") != "rubric":
            return
        answer.feedback = {**answer.feedback, "note": note}
        session.add(answer)


async def run_feedback(ctx: TaskContext) -> None:
    """Ask the model for rubric feedback on one answer and add it to the stored answer."""
    answer_id = _uuid(ctx, "answer_id")
    async with ctx.session() as session:
        answer = await get_owned(
            session, InterviewAnswer, answer_id, owner_id=ctx.owner_id, missing=_no_answer
        )
        if answer.feedback.get("source") == "llm":
            return  # an earlier run of this task added it
        interview = await get_owned(
            session, InterviewSession, answer.session_id, owner_id=ctx.owner_id, missing=_no_answer
        )
        data = next((q for q in interview.questions if q["id"] == answer.question_id), None)
        if data is None:
            raise _no_answer()
        question = InterviewQuestion.model_validate(data)
        text = answer.answer
    try:
        model, problem = await practice.model_feedback(
            resources=ctx.resources,
            owner_id=ctx.owner_id,
            question=question,
            answer=text,
            progress=background.forward_progress(ctx),
        )
    except LLMError as exc:
        await _note_feedback(
            ctx, answer_id, f"The AI model was not available ({exc.name}): rubric feedback only."
        )
        raise
    await ctx.progress("saving", force=True)
    if model is None:
        reason = problem or "The AI model's feedback was rejected: rubric feedback only."
        await _note_feedback(ctx, answer_id, reason)
        raise ModelOutputRejected(reason)
    async with ctx.session() as session:
        answer = await get_owned(
            session, InterviewAnswer, answer_id, owner_id=ctx.owner_id, missing=_no_answer
        )
        stored = FeedbackPublic.model_validate(answer.feedback)
        if stored.source == "llm":
            return
        answer.feedback = practice.with_model_feedback(stored, model).model_dump(mode="json")
        session.add(answer)


# --- quiz top-ups -----------------------------------------------------------------------------


def _no_quiz() -> NotFound:
    return NotFound("The quiz is gone (it was deleted).")


def _answered(skill: str) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        "You answered this quiz before the AI model's questions were ready, so they were not "
        f"added (an answered quiz keeps its questions). Start a new quiz on {skill} "
        "(POST /api/quizzes) to get new questions."
    )


async def _note_quiz(ctx: TaskContext, quiz_id: uuid.UUID, warnings: list[str]) -> None:
    """Replace the quiz's warnings while it is not answered."""
    async with ctx.session() as session:
        await session.exec(
            update(LearningQuiz)
            .where(col(LearningQuiz.id) == quiz_id, col(LearningQuiz.answered_at).is_(None))
            .values(warnings=warnings)
        )


async def run_quiz(ctx: TaskContext) -> None:
    """Ask the model for the questions the bank lacked and append the valid ones to the quiz."""
    quiz_id = _uuid(ctx, "quiz_id")
    missing = int(ctx.payload["missing"])
    async with ctx.session() as session:
        row = await get_owned(
            session, LearningQuiz, quiz_id, owner_id=ctx.owner_id, missing=_no_quiz
        )
        skill = load_taxonomy().get(row.skill_id)
        if skill is None:
            raise NotFound(f'The skill "{row.skill_id}" is no longer in the taxonomy.')
        if row.answered_at is not None:
            raise _answered(skill.name)
        if any(item.get("added") for item in row.items):
            return  # an earlier run of this task added them
        level = row.level
        existing = [item["question"] for item in row.items]
    try:
        generated, notes = await practice.generate_questions(
            resources=ctx.resources,
            owner_id=ctx.owner_id,
            skill=skill,
            level=level,
            n=missing,
            existing=existing,
            progress=background.forward_progress(ctx),
        )
    except LLMError as exc:
        await _note_quiz(
            ctx,
            quiz_id,
            [
                f"The AI model could not write new questions ({exc.name}): only "
                f"{len(existing)} question(s) on {skill.name} are available."
            ],
        )
        raise
    await ctx.progress("saving", force=True)
    wanted = len(existing) + missing
    if not generated:
        reason = f"None of the AI model's questions on {skill.name} passed the checks"
        await _note_quiz(
            ctx,
            quiz_id,
            [*notes, f"Only {len(existing)} question(s) on {skill.name} are available."],
        )
        raise ModelOutputRejected(
            f"{reason}; the quiz keeps its {len(existing)} question(s) from the bank. "
            + " ".join(notes)
        )
    rng = random.Random(int(ctx.payload.get("seed", 0)))
    added = [
        {**quizzes.present(question, seed=rng.randrange(2**31)), "added": True}
        for question in generated
    ]
    async with ctx.session() as session:
        row = await get_owned(
            session, LearningQuiz, quiz_id, owner_id=ctx.owner_id, missing=_no_quiz
        )
        taken = {item["id"] for item in row.items}
        items = [*row.items, *(item for item in added if item["id"] not in taken)]
        warnings = list(notes)
        if len(items) < wanted:
            warnings.append(f"Only {len(items)} question(s) on {skill.name} are available.")
        result = await session.exec(
            update(LearningQuiz)
            .where(col(LearningQuiz.id) == quiz_id, col(LearningQuiz.answered_at).is_(None))
            .values(items=items, source=practice.quiz_source(items), warnings=warnings)
        )
        if result.rowcount == 0:
            raise _answered(skill.name)


# --- roadmap texts ----------------------------------------------------------------------------


def _no_roadmap() -> NotFound:
    return NotFound("The roadmap is gone (it was deleted).")


def _replanned(row: LearningRoadmap, revision: int) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        f"The roadmap was re-planned (now revision {row.revision}) while the AI model wrote the "
        f"texts of revision {revision}, so they were not applied: they describe the old plan. "
        "The re-planned roadmap's own texts task (its `task` field) writes new ones; re-plan with "
        "AI writing on to get them."
    )


def merge_texts(current: dict[str, Any], written: dict[str, Any]) -> dict[str, Any]:
    """Return ``current`` with the texts the model wrote (and the checks kept) in ``written``."""
    merged = copy.deepcopy(current)
    if written.get("overview_source") == "llm":
        merged["overview"] = written["overview"]
        merged["overview_source"] = "llm"
    weeks = {w["index"]: w for w in written["weeks"] if w.get("description_source") == "llm"}
    for week in merged["weeks"]:
        if week["index"] in weeks:
            week["description"] = weeks[week["index"]]["description"]
            week["description_source"] = "llm"
    months = {m["index"]: m for m in written["months"] if m.get("checkpoint_source") == "llm"}
    for month in merged["months"]:
        if month["index"] in months:
            month["checkpoint"] = months[month["index"]]["checkpoint"]
            month["checkpoint_source"] = "llm"
    return merged


async def _save_texts(
    ctx: TaskContext,
    roadmap_id: uuid.UUID,
    revision: int,
    texts: dict[str, Any],
    written: dict[str, Any] | None = None,
) -> None:
    """Store the texts (and what they say) on the revision they were written for."""
    async with ctx.session() as session:
        row = await get_owned(
            session, LearningRoadmap, roadmap_id, owner_id=ctx.owner_id, missing=_no_roadmap
        )
        if row.revision != revision:
            raise _replanned(row, revision)
        values: dict[str, Any] = {"parameters": {**row.parameters, "texts": texts}}
        if written is not None:
            values["plan"] = merge_texts(row.plan, written)
            values["updated_at"] = utcnow()
        result = await session.exec(
            update(LearningRoadmap)
            .where(col(LearningRoadmap.id) == roadmap_id, col(LearningRoadmap.revision) == revision)
            .values(**values)
        )
        if result.rowcount == 0:
            await session.refresh(row)
            raise _replanned(row, revision)


async def run_roadmap_texts(ctx: TaskContext) -> None:
    """Ask the model for the roadmap's texts and replace the templates with the grounded ones."""
    roadmap_id = _uuid(ctx, "roadmap_id")
    revision = int(ctx.payload["revision"])
    async with ctx.session() as session:
        row = await get_owned(
            session, LearningRoadmap, roadmap_id, owner_id=ctx.owner_id, missing=_no_roadmap
        )
        if row.revision != revision:
            raise _replanned(row, revision)
        plan = copy.deepcopy(row.plan)
        title = roadmap_title(row.target)
        _, candidate = await targets.person(session=session, owner_id=ctx.owner_id)
    try:
        texts = await write_texts(
            plan,
            llm=ctx.resources.llm,
            title=title,
            known=candidate.skills,
            taxonomy=load_taxonomy(),
            user_id=ctx.owner_id,
            from_week=int(ctx.payload.get("from_week", 1)),
            progress=background.forward_progress(ctx),
        )
    except LLMError as exc:
        note = f"The AI model was not available ({exc.name}); the texts are templates."
        with contextlib.suppress(ChangedMeanwhile, NotFound):  # the model's failure is the news
            await _save_texts(ctx, roadmap_id, revision, {"writer": "template", "note": note})
        raise
    await ctx.progress("saving", force=True)
    used = texts.pop("used", 0)
    if not texts.get("model"):  # nothing to write (no week from from_week on): not asked
        await _save_texts(ctx, roadmap_id, revision, texts)
        return
    if not used:
        await _save_texts(ctx, roadmap_id, revision, texts)
        raise ModelOutputRejected(
            "None of the AI model's texts passed the checks (grounded in the plan, checkpoints "
            "starting with 'can'); the roadmap keeps its template texts."
        )
    await _save_texts(ctx, roadmap_id, revision, texts, written=plan)


tasks_service.register(background.FEEDBACK, run_feedback, role="learning")
tasks_service.register(background.QUIZ, run_quiz, role="learning")
tasks_service.register(background.ROADMAP_TEXTS, run_roadmap_texts, role="learning")
