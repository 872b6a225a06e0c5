"""The practice service: quizzes (the shipped bank, topped up by the LLM when it answers) and
interview sessions with rubric feedback, plus the person's STAR story bank."""

from __future__ import annotations

import random
import secrets
import uuid
from typing import Any, Literal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import get_owned, utcnow
from careergini.core.errors import Conflict, InvalidInput, NotFound
from careergini.core.logging import get_logger
from careergini.learning import (
    background,
    confidence as skill_confidence,
    interview as interview_bank,
    quizzes,
    targets,
)
from careergini.learning.errors import NoQuestions, QuizAlreadyAnswered, SessionFinished
from careergini.learning.interview import (
    InterviewQuestion,
    LLMFeedback,
    TargetSkill,
    assess,
    build_questions,
    feedback_problems,
    stories_from_profile,
)
from careergini.learning.models import (
    InterviewAnswer,
    InterviewSession,
    InterviewStory,
    LearningQuiz,
)
from careergini.learning.prompts import INTERVIEW_FEEDBACK, QUIZ_QUESTIONS
from careergini.learning.schemas import (
    FeedbackPublic,
    InterviewAnswerPublic,
    InterviewAnswerRequest,
    InterviewAnswerResponse,
    InterviewQuestionPublic,
    InterviewRequest,
    InterviewSessionPublic,
    QuizAnswers,
    QuizPublic,
    QuizRequest,
    StoriesBuilt,
    StoryCreate,
    StoryPublic,
    StoryUpdate,
)
from careergini.llm.gateway import ProgressCallback
from careergini.llm.prompts import wrap_untrusted
from careergini.profile import service as profile_service
from careergini.runtime.resources import Resources
from careergini.skills.schemas import Skill
from careergini.skills.service import (
    Evidence,
    evidence_now,
    extract_skill_ids,
    load_taxonomy,
    screen_claims,
)
from careergini.tasks.schemas import TaskPublic as BackgroundTask

log = get_logger(__name__)


# --- quizzes ----------------------------------------------------------------------------------


async def generate_questions(
    *,
    resources: Resources,
    owner_id: uuid.UUID,
    skill: Skill,
    level: str,
    n: int,
    existing: list[str],
    progress: ProgressCallback | None = None,
) -> tuple[list[quizzes.BankQuestion], list[str]]:
    """Ask the LLM for n questions; return the valid ones and warnings about the rest.

    The gateway's failures (``LLMError``) are raised.
    """
    prompt = QUIZ_QUESTIONS.render(
        n=n, skill=skill.name, level=level, existing="; ".join(existing[:10]) or "none"
    )
    completion = await resources.llm.complete(
        "learning",
        [{"role": "user", "content": prompt}],
        quizzes.GeneratedQuiz,
        user_id=owner_id,
        prompt=QUIZ_QUESTIONS,
        progress=progress,
    )
    generated: quizzes.GeneratedQuiz = completion.parsed  # type: ignore[assignment]
    seen = {quizzes.fold_text(q) for q in existing}
    valid: list[quizzes.BankQuestion] = []
    rejected: list[str] = []
    for number, question in enumerate(generated.questions, start=1):
        problems = quizzes.question_problems(question)
        if quizzes.fold_text(question.question) in seen:
            problems.append("repeats an existing question")
        if problems:
            rejected.append(f"question {number}: {', '.join(problems)}")
            continue
        seen.add(quizzes.fold_text(question.question))
        valid.append(quizzes.from_generated(question, skill=skill.id, level=level, number=number))
    warnings = []
    if rejected:
        warnings.append(
            f"{len(rejected)} generated question(s) were rejected and not used: "
            + "; ".join(rejected)
        )
    return valid[:n], warnings


def quiz_url(quiz_id: uuid.UUID) -> str:
    return f"/api/quizzes/{quiz_id}"


def quiz_source(items: list[dict[str, Any]]) -> str:
    """Return where a quiz's questions come from: bank, generated, mixed (none: no question)."""
    sources = {item["source"] for item in items}
    if not sources:
        return "none"
    return sources.pop() if len(sources) == 1 else "mixed"


def _quiz_public(row: LearningQuiz, task: BackgroundTask | None = None) -> QuizPublic:
    skill = load_taxonomy().get(row.skill_id)
    return QuizPublic.model_validate(
        {
            "id": str(row.id),
            "skill_id": row.skill_id,
            "skill_name": skill.name if skill else row.skill_id,
            "level": row.level,
            "source": row.source,
            "questions": [
                {k: item[k] for k in ("id", "question", "options", "level", "source")}
                for item in row.items
            ],
            "warnings": row.warnings,
            "created_at": row.created_at.isoformat(),
            "result": row.result,
            "shows": "model" if any(item.get("added") for item in row.items) else "deterministic",
            "task": task,
        }
    )


async def _quiz_with_task(session: AsyncSession, row: LearningQuiz) -> QuizPublic:
    task = await background.latest(
        session=session,
        owner_id=row.owner_id,
        resource=background.QUIZ_RESOURCE,
        resource_id=row.id,
    )
    return _quiz_public(row, task)


async def create_quiz(
    *, session: AsyncSession, resources: Resources, owner_id: uuid.UUID, request: QuizRequest
) -> QuizPublic:
    """Build a multiple-choice quiz on a skill from the bank; a task asks the model for the rest.

    The bank's questions are stored at once; when the bank has fewer than ``n``, a background
    task asks the model for the missing ones and adds those that pass the checks (while the quiz
    is not answered).
    """
    skill = targets.resolve_skill(request.skill)
    bank = quizzes.load_bank()
    seed = secrets.randbits(32)
    asked = await _asked_before(session=session, owner_id=owner_id, skill_id=skill.id)
    picked = bank.pick(skill.id, request.level, request.n, seed=seed, asked=asked)
    missing = request.n - len(picked)
    ask_model = missing > 0 and resources.settings.learning_use_llm
    if not picked and not (ask_model and _model_reachable(resources)):
        raise NoQuestions(
            f"There are no ready-made questions on {skill.name} yet, and the AI model that "
            "writes new ones is "
            + ("switched off" if not resources.settings.learning_use_llm else "not available now")
            + f". Quizzes are ready for {len(bank.skills())} skills: pick one of those, or try "
            f"{skill.name} again later.",
            headers={"Retry-After": "30"},
        )
    warnings: list[str] = []
    if ask_model:
        warnings.append(
            f"The bank has {len(picked)} question(s) on {skill.name}; the AI model was asked "
            f"for {missing} more, added to this quiz when its task finishes (see `task`)."
        )
    elif missing > 0:
        warnings.append(f"Only {len(picked)} question(s) on {skill.name} are available.")
    rng = random.Random(seed)
    items = [quizzes.present(q, seed=rng.randrange(2**31)) for q in picked]
    row = LearningQuiz(
        owner_id=owner_id,
        skill_id=skill.id,
        level=request.level,
        source=quiz_source(items),
        items=items,
        warnings=warnings,
    )
    session.add(row)
    await session.flush()
    task = None
    if ask_model:
        task = await background.submit(
            session=session,
            resources=resources,
            owner_id=owner_id,
            kind=background.QUIZ,
            resource=background.QUIZ_RESOURCE,
            resource_id=row.id,
            url=quiz_url(row.id),
            payload={"quiz_id": str(row.id), "missing": missing, "seed": seed},
        )
    return _quiz_public(row, task)


async def _asked_before(
    *, session: AsyncSession, owner_id: uuid.UUID, skill_id: str
) -> dict[str, int]:
    """Count how often each bank question was in the person's earlier quizzes on the skill."""
    rows = await session.exec(
        select(LearningQuiz.items).where(
            LearningQuiz.owner_id == owner_id, LearningQuiz.skill_id == skill_id
        )
    )
    counts: dict[str, int] = {}
    for items in rows.all():
        for item in items or []:
            counts[item["id"]] = counts.get(item["id"], 0) + 1
    return counts


def _model_reachable(resources: Resources) -> bool:
    """Say whether the model may write questions now: no model's breaker is open (they share
    one model server, so one open breaker means it is down or failing)."""
    return all(state != "open" for state in resources.llm.breaker_states().values())


async def _quiz(*, session: AsyncSession, owner_id: uuid.UUID, quiz_id: uuid.UUID) -> LearningQuiz:
    return await get_owned(
        session, LearningQuiz, quiz_id, owner_id=owner_id, missing=lambda: NotFound("No such quiz.")
    )


async def get_quiz(*, session: AsyncSession, owner_id: uuid.UUID, quiz_id: uuid.UUID) -> QuizPublic:
    """Return one of the user's quizzes (with its result once answered) and its newest task."""
    return await _quiz_with_task(
        session, await _quiz(session=session, owner_id=owner_id, quiz_id=quiz_id)
    )


async def answer_quiz(
    *, session: AsyncSession, owner_id: uuid.UUID, quiz_id: uuid.UUID, answers: QuizAnswers
) -> QuizPublic:
    """Score a quiz, explain every answer and update the skill's confidence.

    A question the model added after the quiz was created counts only when it is answered: the
    person may have started before it arrived.
    """
    row = await _quiz(session=session, owner_id=owner_id, quiz_id=quiz_id)
    if row.result is not None:
        raise QuizAlreadyAnswered("This quiz was already answered: start a new one.")
    if not row.items:
        raise Conflict(
            "This quiz has no questions yet: the AI model is writing them. GET "
            f"{quiz_url(row.id)} shows them (and its `task`) when they are ready."
        )
    items = {item["id"]: item for item in row.items}
    given: dict[str, int] = {}
    for answer in answers.answers:
        item = items.get(answer.question_id)
        if item is None:
            raise InvalidInput(f'Question "{answer.question_id}" is not part of this quiz.')
        if answer.choice >= len(item["options"]):
            raise InvalidInput(
                f'Question "{answer.question_id}" has {len(item["options"])} options: choose '
                f"0 to {len(item['options']) - 1}."
            )
        given[answer.question_id] = answer.choice
    scored = [item for item in row.items if not item.get("added") or item["id"] in given]
    result = quizzes.score(scored, given)
    previous = await skill_confidence.get_confidence(
        session=session, owner_id=owner_id, skill_id=row.skill_id
    )
    new_value = quizzes.updated_confidence(previous, score_value=result["score"], level=row.level)
    confidence = await skill_confidence.record_confidence(
        session=session,
        owner_id=owner_id,
        skill_id=row.skill_id,
        confidence=new_value,
        score=result["score"],
        level=row.level,
    )
    row.result = {
        **result,
        "confidence": {**confidence.model_dump(mode="json"), "previous": previous},
    }
    row.answered_at = utcnow()
    session.add(row)
    await session.flush()
    return await _quiz_with_task(session, row)


# --- interview sessions -----------------------------------------------------------------------


def _question_public(question: dict[str, Any], number: int) -> InterviewQuestionPublic:
    return InterviewQuestionPublic(
        id=question["id"],
        number=number,
        kind=question["kind"],
        question=question["question"],
        skill_id=question.get("skill_id"),
        competency=question.get("competency"),
        rubric=question["rubric"],
    )


def session_url(session_id: uuid.UUID) -> str:
    return f"/api/interview/sessions/{session_id}"


def _session_public(
    row: InterviewSession,
    answers: list[InterviewAnswerPublic] | None = None,
    task: BackgroundTask | None = None,
) -> InterviewSessionPublic:
    finished = row.current >= len(row.questions)
    return InterviewSessionPublic(
        id=str(row.id),
        target=row.target,
        created_at=row.created_at.isoformat(),
        total=len(row.questions),
        answered=row.current,
        finished=finished,
        current_question=None
        if finished
        else _question_public(row.questions[row.current], row.current + 1),
        notes=row.target.get("notes", []),
        answers=answers or [],
        task=task,
    )


def shows(feedback: FeedbackPublic) -> Literal["deterministic", "model"]:
    """Return which version a feedback is: the rubric's, or the model's added by its task."""
    return "model" if feedback.source == "llm" else "deterministic"


async def _session_detail(session: AsyncSession, row: InterviewSession) -> InterviewSessionPublic:
    """Return a session with its answers, each answer's feedback and newest feedback task."""
    answers = (
        await session.exec(select(InterviewAnswer).where(InterviewAnswer.session_id == row.id))
    ).all()
    asked = {q["id"]: (number, q["question"]) for number, q in enumerate(row.questions, start=1)}
    items = []
    for answer in answers:
        number, text = asked.get(answer.question_id, (0, ""))
        feedback = FeedbackPublic.model_validate(answer.feedback)
        task = await background.latest(
            session=session,
            owner_id=row.owner_id,
            resource=background.ANSWER_RESOURCE,
            resource_id=answer.id,
        )
        items.append(
            InterviewAnswerPublic(
                id=str(answer.id),
                question_id=answer.question_id,
                number=number,
                question=text,
                answer=answer.answer,
                created_at=answer.created_at.isoformat(),
                feedback=feedback,
                shows=shows(feedback),
                task=task,
            )
        )
    items.sort(key=lambda item: item.number)
    tasks = [item.task for item in items if item.task is not None]
    newest = max(tasks, key=lambda task: task.created_at) if tasks else None
    return _session_public(row, items, newest)


async def create_session(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    request: InterviewRequest,
) -> InterviewSessionPublic:
    """Start a practice interview for a role or a job: questions asked one at a time."""
    resolved = await targets.resolve_request_target(
        session=session,
        owner_id=owner_id,
        target_role=request.target_role,
        job_description=request.job_description,
        job_id=request.job_id,
    )
    profile, candidate = await targets.person(session=session, owner_id=owner_id)
    taxonomy = load_taxonomy()
    skills: list[TargetSkill] = []
    ranked = sorted(
        resolved.job.skills,
        key=lambda s: (
            s.importance == "preferred",
            s.skill_id not in candidate.skills,  # what they claim is what gets asked
            not s.in_demand,
            not s.hot,
        ),
    )
    for required in ranked:
        known = taxonomy.get(required.skill_id)
        if known is not None and known.is_technology:
            skills.append(TargetSkill(known.id, known.name, known.category))
    questions = build_questions(
        skills=skills,
        duties=list(resolved.duties),
        seed=secrets.randbits(32),
        technical=request.technical,
        behavioural=request.behavioural,
        role=request.role_specific,
        seniority=resolved.job.seniority or candidate.seniority,
    )
    notes = []
    if profile is None:
        notes.append(
            "You have no profile yet: import a resume to get STAR stories suggested from your "
            "own experience."
        )
    row = InterviewSession(
        owner_id=owner_id,
        target={**resolved.target, "notes": notes},
        questions=[q.model_dump(mode="json") for q in questions],
    )
    session.add(row)
    await session.flush()
    return _session_public(row)


async def _session(
    *, session: AsyncSession, owner_id: uuid.UUID, session_id: uuid.UUID
) -> InterviewSession:
    return await get_owned(
        session,
        InterviewSession,
        session_id,
        owner_id=owner_id,
        missing=lambda: NotFound("No such interview session."),
    )


async def get_session(
    *, session: AsyncSession, owner_id: uuid.UUID, session_id: uuid.UUID
) -> InterviewSessionPublic:
    """Return one of the user's sessions: its current question, answers and feedback tasks."""
    row = await _session(session=session, owner_id=owner_id, session_id=session_id)
    return await _session_detail(session, row)


async def list_sessions(
    *, session: AsyncSession, owner_id: uuid.UUID
) -> list[InterviewSessionPublic]:
    """Return the user's interview sessions, newest first (without their answers)."""
    rows = (
        await session.exec(
            select(InterviewSession)
            .where(InterviewSession.owner_id == owner_id)
            .order_by(col(InterviewSession.created_at).desc())
        )
    ).all()
    return [_session_public(r) for r in rows]


async def model_feedback(
    *,
    resources: Resources,
    owner_id: uuid.UUID,
    question: InterviewQuestion,
    answer: str,
    progress: ProgressCallback | None = None,
) -> tuple[LLMFeedback | None, str | None]:
    """Ask the model for rubric feedback: (feedback, None), or (None, why it was rejected).

    The gateway's failures (``LLMError``) are raised.
    """
    criteria = ", ".join(c.criterion for c in question.rubric)
    rubric = "\n".join(f"- {c.criterion}: {c.description}" for c in question.rubric)
    messages = [
        {"role": "system", "content": INTERVIEW_FEEDBACK.render(criteria=criteria)},
        {
            "role": "user",
            "content": f"Question: {question.question}\nRubric:\n{rubric}\nAnswer:\n"
            + wrap_untrusted(answer, source="candidate_answer"),
        },
    ]
    completion = await resources.llm.complete(
        "learning",
        messages,
        LLMFeedback,
        user_id=owner_id,
        prompt=INTERVIEW_FEEDBACK,
        progress=progress,
    )
    feedback: LLMFeedback = completion.parsed  # type: ignore[assignment]
    problems = feedback_problems(feedback, question)
    if problems:
        log.info("learning.feedback_rejected", problems=problems)
        return None, "The AI model's feedback did not follow the rubric: rubric feedback only."
    async with resources.sessionmaker() as session:
        profile = await profile_service.build_profile(session=session, owner_id=owner_id)
    now = utcnow()
    evidence = evidence_now(profile, now_year=now.year, now_month=now.month, extra_texts=[answer])
    return checked_feedback(feedback, evidence=evidence), None


def checked_feedback(feedback: LLMFeedback, *, evidence: Evidence) -> LLMFeedback:
    """Withhold the feedback's sentences that state about the user what neither their answer
    nor their profile says (the claims check); a skill alone becomes a question."""
    withheld: list[str] = []

    def screened(text: str) -> str:
        result = screen_claims(text, evidence=evidence)
        withheld.extend(reason for w in result.withheld for reason in w.reasons)
        return result.text.strip()

    checked = feedback.model_copy(
        update={
            "strengths": [t for t in (screened(s) for s in feedback.strengths) if t],
            "improvements": [t for t in (screened(s) for s in feedback.improvements) if t],
            "summary": screened(feedback.summary),
        }
    )
    if withheld:
        log.info("learning.feedback_claims_withheld", reasons=withheld)
    return checked


def with_model_feedback(stored: FeedbackPublic, model: LLMFeedback) -> FeedbackPublic:
    """Return the rubric feedback with the model's scores, strengths, improvements and summary."""
    return stored.model_copy(
        update={
            "source": "llm",
            "scores": [s.model_dump() for s in model.scores],
            "strengths": model.strengths,
            "improvements": model.improvements,
            "summary": model.summary,
            "note": None,
        }
    )


async def _similarity(
    resources: Resources, question: InterviewQuestion, answer: str
) -> float | None:
    """Return the embedding similarity of the answer with the question and its outline (None
    when the embedding model cannot run: the question's words decide relevance then)."""
    reference = " ".join([question.question, *question.outline])
    try:
        asked, given = await resources.embedder.embed([reference, answer[:2000]])
    except Exception:
        log.warning("learning.answer_embedding_failed", exc_info=True)
        return None
    return sum(x * y for x, y in zip(asked, given, strict=True))


def _rubric_feedback(
    question: InterviewQuestion,
    checks: list[dict[str, Any]],
    score: int,
    suggested: dict[str, Any] | None,
    note: str | None,
) -> FeedbackPublic:
    passed = sum(1 for c in checks if c["passed"])
    advice = [c["advice"] for c in checks if not c["passed"]]
    noted = [c["note"] for c in checks if c.get("note")]
    return FeedbackPublic(
        question_id=question.id,
        source="rubric",
        rubric=[c.model_dump() for c in question.rubric],
        outline=question.outline,
        checklist=checks,
        score=score,
        strengths=noted,
        improvements=advice[:4],
        summary=f"Your answer scores {score} out of 100 and meets {passed} of {len(checks)} "
        "checks. Compare it with the model-answer outline and the rubric.",
        suggested_story=suggested,
        note=note,
    )


async def answer_question(
    *,
    session: AsyncSession,
    resources: Resources,
    owner_id: uuid.UUID,
    session_id: uuid.UUID,
    request: InterviewAnswerRequest,
) -> InterviewAnswerResponse:
    """Record the answer to the current question; return rubric feedback and the next question.

    With AI writing on, a background task asks the model for its feedback on the answer and
    adds it to the stored answer when it follows the rubric.
    """
    row = await _session(session=session, owner_id=owner_id, session_id=session_id)
    if row.current >= len(row.questions):
        raise SessionFinished("Every question of this session has been answered.")
    data = row.questions[row.current]
    if request.question_id is not None and request.question_id != data["id"]:
        raise Conflict(
            f'The current question is "{data["id"]}" (number {row.current + 1}); answer it first.'
        )
    question = InterviewQuestion.model_validate(data)
    use_llm = resources.settings.learning_use_llm
    suggested = None
    if question.kind in ("behavioural", "role"):
        stories = [
            _story_public(s).model_dump(mode="json")
            for s in await _stories(session=session, owner_id=owner_id)
        ]
        suggested = interview_bank.best_story(question, stories)
    checks, score = assess(
        question,
        request.answer,
        similarity=await _similarity(resources, question, request.answer),
    )
    feedback = _rubric_feedback(
        question,
        checks,
        score,
        suggested,
        background.PENDING_NOTE.format(what="rubric's feedback") if use_llm else None,
    )
    answer = InterviewAnswer(
        id=uuid.uuid4(),
        session_id=row.id,
        owner_id=owner_id,
        question_id=question.id,
        answer=request.answer,
        feedback=feedback.model_dump(mode="json"),
    )
    session.add(answer)
    row.current += 1
    if row.current >= len(row.questions):
        row.finished_at = utcnow()
    session.add(row)
    await session.flush()
    task = None
    if use_llm:
        task = await background.submit(
            session=session,
            resources=resources,
            owner_id=owner_id,
            kind=background.FEEDBACK,
            resource=background.ANSWER_RESOURCE,
            resource_id=answer.id,
            url=session_url(row.id),
            payload={"answer_id": str(answer.id), "session_id": str(row.id)},
        )
    return InterviewAnswerResponse(
        answer_id=str(answer.id),
        feedback=feedback,
        shows="deterministic",
        task=task,
        session=await _session_detail(session, row),
    )


# --- STAR story bank --------------------------------------------------------------------------


def _missing(story: InterviewStory) -> list[str]:
    return [part for part in ("task", "result") if not (getattr(story, part) or "").strip()]


def _story_public(row: InterviewStory) -> StoryPublic:
    return StoryPublic(
        id=str(row.id),
        title=row.title,
        situation=row.situation,
        task=row.task,
        action=row.action,
        result=row.result,
        source=row.source,
        skills=row.skills,
        edited=row.edited,
        missing=_missing(row),
        updated_at=row.updated_at.isoformat(),
    )


async def _stories(*, session: AsyncSession, owner_id: uuid.UUID) -> list[InterviewStory]:
    return list(
        (
            await session.exec(
                select(InterviewStory)
                .where(InterviewStory.owner_id == owner_id)
                .order_by(col(InterviewStory.created_at))
            )
        ).all()
    )


async def list_stories(*, session: AsyncSession, owner_id: uuid.UUID) -> list[StoryPublic]:
    """Return the user's STAR stories."""
    return [_story_public(s) for s in await _stories(session=session, owner_id=owner_id)]


async def build_stories(*, session: AsyncSession, owner_id: uuid.UUID) -> StoriesBuilt:
    """Draft STAR stories from the profile's bullets; existing stories are kept as they are."""
    profile, _ = await targets.person(session=session, owner_id=owner_id)
    if profile is None:
        raise Conflict(
            "Import a resume first (POST /api/profile/imports): stories are drafted from your "
            "profile's bullets."
        )
    existing = {s.key: s for s in await _stories(session=session, owner_id=owner_id)}
    created = 0
    for draft in stories_from_profile(profile):
        if draft.key in existing:
            continue
        story = InterviewStory(
            owner_id=owner_id,
            key=draft.key,
            title=draft.title,
            situation=draft.situation,
            task=draft.task,
            action=draft.action,
            result=draft.result,
            source=draft.source[:80],
            skills=sorted(extract_skill_ids(draft.action)),
        )
        session.add(story)
        existing[draft.key] = story
        created += 1
    await session.flush()
    stories = await _stories(session=session, owner_id=owner_id)
    return StoriesBuilt(
        created=created,
        kept=len(stories) - created,
        stories=[_story_public(s) for s in stories],
    )


async def create_story(
    *, session: AsyncSession, owner_id: uuid.UUID, story: StoryCreate
) -> StoryPublic:
    """Add a STAR story the user wrote."""
    row = InterviewStory(
        owner_id=owner_id,
        key=f"user-{uuid.uuid4().hex[:16]}",
        title=story.title,
        situation=story.situation,
        task=story.task,
        action=story.action,
        result=story.result,
        source="user",
        skills=sorted(extract_skill_ids(f"{story.action} {story.result or ''}")),
        edited=True,
    )
    session.add(row)
    await session.flush()
    return _story_public(row)


async def _story(
    *, session: AsyncSession, owner_id: uuid.UUID, story_id: uuid.UUID
) -> InterviewStory:
    return await get_owned(
        session,
        InterviewStory,
        story_id,
        owner_id=owner_id,
        missing=lambda: NotFound("No such story."),
    )


async def update_story(
    *, session: AsyncSession, owner_id: uuid.UUID, story_id: uuid.UUID, update: StoryUpdate
) -> StoryPublic:
    """Edit a story; edited stories are never replaced by a later rebuild."""
    row = await _story(session=session, owner_id=owner_id, story_id=story_id)
    for name in update.model_fields_set:
        setattr(row, name, getattr(update, name))
    row.skills = sorted(extract_skill_ids(f"{row.action} {row.result or ''}"))
    row.edited = True
    row.updated_at = utcnow()
    session.add(row)
    await session.flush()
    return _story_public(row)


async def delete_story(*, session: AsyncSession, owner_id: uuid.UUID, story_id: uuid.UUID) -> None:
    """Delete a story."""
    row = await _story(session=session, owner_id=owner_id, story_id=story_id)
    await session.delete(row)
    await session.flush()
