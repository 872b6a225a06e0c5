"""Request and response models of the learning API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from careergini.analysis.schemas import JOB_ID_HINT, JobId, require_one_target
from careergini.core.text import NOT_NULL, NoNulModel
from careergini.tasks.schemas import TaskPublic as BackgroundTask

# Which version a resource shows: the deterministic one stored at once, or the model's
# addition a background task applied (issue 14).
Shows = Literal["deterministic", "model"]
SHOWS_HINT = (
    "deterministic: what was stored at once (templates, the bank, the rubric); model: the AI "
    "model's version, applied by the background task"
)
TASK_HINT = (
    "the newest background task asking the AI model for its version (null: none, e.g. AI "
    "writing off); poll GET /api/tasks/{id} or its events until it ends, then GET this again"
)

MAX_JD_CHARS = 50_000
Level = Literal["beginner", "intermediate", "advanced"]
Kind = Literal["documentation", "course", "book", "practice", "video", "tutorial"]
TaskStatus = Literal["todo", "done", "skipped"]


TARGETS = ("target_role", "job_description", "job_id")


class _TargetRequest(NoNulModel):
    """Give exactly one target: a role (id or title), a job description's text, or one of your
    saved postings."""

    model_config = {"extra": "forbid"}

    target_role: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="a role id from GET /api/roles/search, or a role title",
    )
    job_description: str | None = Field(default=None, max_length=MAX_JD_CHARS)
    job_id: JobId | None = Field(default=None, description=JOB_ID_HINT)

    @model_validator(mode="after")
    def _one_target(self) -> _TargetRequest:
        require_one_target(self, TARGETS)
        if self.target_role is not None and not self.target_role.strip():
            raise ValueError("target_role is empty")
        return self


# --- roadmaps --------------------------------------------------------------------------------


class RoadmapRequest(_TargetRequest):
    hours_per_week: int = Field(ge=1, le=80, description="study hours a week, 1 to 80")
    months: int | None = Field(
        default=None, ge=1, le=60, description="finish within this many months (4 weeks each)"
    )
    start_date: date | None = Field(default=None, description="default: today (UTC)")
    scope: Literal["core", "full"] = Field(
        default="core",
        description="core: a role's essential and in-demand skills (and a job's required ones); "
        "full: every skill the target lists, O*NET hot technologies included",
    )


class TaskUpdate(NoNulModel):
    model_config = {"extra": "forbid"}

    status: TaskStatus | None = None
    notes: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _something(self) -> TaskUpdate:
        if self.status is None and self.notes is None:
            raise ValueError("give a status (done, skipped, todo) or notes")
        return self


class ReplanRequest(NoNulModel):
    model_config = {"extra": "forbid"}

    hours_per_week: int | None = Field(default=None, ge=1, le=80)
    months: int | None = Field(
        default=None, ge=1, le=60, description="finish the remaining work within this many months"
    )
    as_of: date | None = Field(default=None, description="re-plan from this date (default today)")


class ResourcePublic(BaseModel):
    id: str
    title: str
    url: str
    kind: str
    level: str
    hours: int
    cost: str
    licence: str | None = None
    provider: str = ""
    skills: list[str] = Field(default_factory=list)
    source: str = "catalogue"


class TaskPublic(BaseModel):
    id: str
    title: str
    kind: Literal["study", "practice", "project"]
    skill_id: str | None
    hours: int
    topics: list[str] = Field(default_factory=list)
    resources: list[ResourcePublic] = Field(default_factory=list)
    quiz_skill: str | None = None
    status: TaskStatus | Literal["rescheduled"] = "todo"
    notes: str | None = None


class WeekPublic(BaseModel):
    index: int
    month: int
    start: date
    end: date
    focus: str
    hours: int
    description: str
    description_source: Literal["template", "llm"]
    percent_done: int
    done_hours: int
    tasks: list[TaskPublic]


class ProjectPublic(BaseModel):
    name: str
    description: str
    difficulty: str
    hours: int
    skills: list[str]
    task_ids: list[str]


class MonthPublic(BaseModel):
    index: int
    title: str
    start_week: int
    end_week: int
    skills: list[str]
    project: ProjectPublic
    checkpoint: str
    checkpoint_source: Literal["template", "llm"]
    percent_done: int


class UnitPublic(BaseModel):
    skill_id: str
    name: str
    category: str
    importance: str
    hours: int
    covers: list[str]
    reason: str
    prerequisite_of: list[str]
    bridge: dict[str, Any] | None
    topics: list[str]
    resource_ids: list[str]
    level: str = Field(
        default="beginner",
        description="where the unit starts: intermediate once quizzes show the basics or they "
        "carry over from a related skill you have",
    )
    first_week: int | None
    last_week: int | None


class RoadmapTarget(BaseModel):
    type: Literal["role", "job_description", "job"] = Field(
        description="job: one of your saved postings (job_id), with its title and company"
    )
    title: str | None
    role_id: str | None = None
    source: str | None = None
    company: str | None = None
    job_id: str | None = None
    skills: int = 0


class RoadmapSummary(BaseModel):
    fits: bool
    message: str
    requested_months: int | None
    months_total: int
    weeks_total: int
    hours_per_week: int
    hours_per_week_needed: int | None
    total_hours: int
    start_date: date
    end_date: date
    percent_done: int
    done_hours: int
    current_week: int
    behind_hours: int


class RoadmapTexts(BaseModel):
    writer: Literal["template", "llm"]
    model: str | None = None
    prompt: str | None = None
    note: str | None = None


class RoadmapPublic(BaseModel):
    id: str
    title: str
    created_at: str
    updated_at: str
    revision: int
    target: RoadmapTarget
    parameters: dict[str, Any]
    profile_used: bool
    notes: list[str]
    summary: RoadmapSummary
    overview: str
    texts: RoadmapTexts
    units: list[UnitPublic]
    months: list[MonthPublic]
    weeks: list[WeekPublic]
    dropped: list[dict[str, Any]]
    known: list[dict[str, Any]]
    prerequisites_added: list[str]
    completed_ahead: list[dict[str, Any]] = Field(default_factory=list)
    shows: Shows = Field(default="deterministic", description=SHOWS_HINT)
    task: BackgroundTask | None = Field(default=None, description=TASK_HINT)


class RoadmapListItem(BaseModel):
    id: str
    title: str
    created_at: str
    revision: int
    fits: bool
    months_total: int
    percent_done: int


# --- resources, confidence -------------------------------------------------------------------


class LiveSourceStatus(BaseModel):
    name: str
    status: Literal["ok", "off", "error", "cached"]
    count: int = 0
    detail: str | None = None


class ResourcesResponse(BaseModel):
    skill: dict[str, Any] | None
    resources: list[ResourcePublic]
    live: list[LiveSourceStatus]
    note: str | None = None


class ConfidencePublic(BaseModel):
    skill_id: str
    name: str
    confidence: float
    quizzes: int
    last_score: float
    last_level: str
    updated_at: str


# --- quizzes ---------------------------------------------------------------------------------


class QuizRequest(NoNulModel):
    model_config = {"extra": "forbid"}

    skill: str = Field(min_length=1, max_length=120, description="a skill id or name")
    level: Level = "beginner"
    n: int = Field(default=5, ge=1, le=20)


class QuizQuestionPublic(BaseModel):
    id: str
    question: str
    options: list[str]
    level: str
    source: Literal["bank", "generated"]


class QuizAnswer(BaseModel):
    question_id: str = Field(max_length=80)
    choice: int = Field(ge=0, le=10)


class QuizAnswers(NoNulModel):
    model_config = {"extra": "forbid"}

    answers: list[QuizAnswer] = Field(min_length=1, max_length=20)


class QuizConfidence(ConfidencePublic):
    previous: float | None = Field(description="the confidence before this quiz (None: first)")


class QuizResultPublic(BaseModel):
    correct: int
    total: int
    score: float
    results: list[dict[str, Any]]
    confidence: QuizConfidence


class QuizPublic(BaseModel):
    id: str
    skill_id: str
    skill_name: str
    level: str
    source: str
    questions: list[QuizQuestionPublic]
    warnings: list[str]
    created_at: str
    result: QuizResultPublic | None = None
    shows: Shows = Field(
        default="deterministic",
        description="model: the AI model's questions were added (each question's `source` says "
        "bank or generated)",
    )
    task: BackgroundTask | None = Field(default=None, description=TASK_HINT)


# --- interview practice ----------------------------------------------------------------------


class InterviewRequest(_TargetRequest):
    technical: int = Field(default=3, ge=0, le=6)
    behavioural: int = Field(default=3, ge=0, le=6)
    role_specific: int = Field(default=2, ge=0, le=4)

    @model_validator(mode="after")
    def _some_questions(self) -> InterviewRequest:
        if self.technical + self.behavioural + self.role_specific == 0:
            raise ValueError("ask for at least one question")
        return self


class RubricItem(BaseModel):
    criterion: str
    description: str


class InterviewQuestionPublic(BaseModel):
    id: str
    number: int
    kind: Literal["technical", "behavioural", "role"]
    question: str
    skill_id: str | None = None
    competency: str | None = None
    rubric: list[RubricItem]


class InterviewSessionPublic(BaseModel):
    id: str
    target: RoadmapTarget
    created_at: str
    total: int
    answered: int
    finished: bool
    current_question: InterviewQuestionPublic | None
    notes: list[str] = Field(default_factory=list)
    answers: list[InterviewAnswerPublic] = Field(
        default_factory=list,
        description="the answers given so far with their feedback (GET of one session; the "
        "list of sessions leaves them out)",
    )
    task: BackgroundTask | None = Field(
        default=None,
        description="the newest feedback task of the session's answers (GET of one session)",
    )


class InterviewAnswerRequest(NoNulModel):
    model_config = {"extra": "forbid"}

    answer: str = Field(min_length=1, max_length=6000)
    question_id: str | None = Field(
        default=None, max_length=80, description="optional: must be the current question's id"
    )


class FeedbackPublic(BaseModel):
    question_id: str
    source: Literal["llm", "rubric"]
    rubric: list[RubricItem]
    outline: list[str]
    checklist: list[dict[str, Any]]
    score: int | None = None  # the rubric's reading of the answer, 0-100
    scores: list[dict[str, Any]] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    summary: str
    suggested_story: dict[str, Any] | None = None
    note: str | None = None


class InterviewAnswerPublic(BaseModel):
    id: str
    question_id: str
    number: int
    question: str
    answer: str
    created_at: str
    feedback: FeedbackPublic
    shows: Shows = Field(default="deterministic", description=SHOWS_HINT)
    task: BackgroundTask | None = Field(default=None, description=TASK_HINT)


class InterviewAnswerResponse(BaseModel):
    answer_id: str
    feedback: FeedbackPublic
    shows: Shows = Field(default="deterministic", description=SHOWS_HINT)
    task: BackgroundTask | None = Field(default=None, description=TASK_HINT)
    session: InterviewSessionPublic


class StoryPublic(BaseModel):
    id: str
    title: str
    situation: str
    task: str | None
    action: str
    result: str | None
    source: str
    skills: list[str]
    edited: bool
    missing: list[str]
    updated_at: str


class StoryCreate(NoNulModel):
    model_config = {"extra": "forbid"}

    title: str = Field(min_length=1, max_length=200)
    situation: str = Field(min_length=1, max_length=2000)
    task: str | None = Field(default=None, max_length=2000)
    action: str = Field(min_length=1, max_length=4000)
    result: str | None = Field(default=None, max_length=2000)


class StoryUpdate(NoNulModel):
    """Only the fields you send change; null clears the task or the result (the title, the
    situation and the action cannot be empty: leave them out to keep them)."""

    model_config = {"extra": "forbid"}

    title: Annotated[str | None, NOT_NULL] = Field(default=None, min_length=1, max_length=200)
    situation: Annotated[str | None, NOT_NULL] = Field(default=None, min_length=1, max_length=2000)
    task: str | None = Field(default=None, max_length=2000)
    action: Annotated[str | None, NOT_NULL] = Field(default=None, min_length=1, max_length=4000)
    result: str | None = Field(default=None, max_length=2000)


class StoriesBuilt(BaseModel):
    created: int
    kept: int
    stories: list[StoryPublic]


InterviewSessionPublic.model_rebuild()
