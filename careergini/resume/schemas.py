"""Requests, the tailored documents (stored as JSON) and the responses of the resume builder."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from careergini.analysis.schemas import JOB_ID_HINT, MAX_JD_CHARS, JobId, require_one_target
from careergini.core.text import NoNulModel
from careergini.profile.schemas import Certification, Language, PartialDate
from careergini.tasks.schemas import TaskPublic

TEMPLATES = ("classic", "modern", "compact", "ats", "executive", "minimal", "technical", "bold")
Tone = Literal["neutral", "confident", "warm", "formal"]
PositionOrder = Literal["relevance", "chronological"]
Status = Literal["kept", "rewritten", "reverted", "edited"]
Decision = Literal["pending", "accepted", "rejected"]
# Which version a stored resume or letter holds: the deterministic one, or the model's rewording.
Shows = Literal["deterministic", "model"]
SHOWS_HINT = (
    "deterministic: built from your profile without the model (the model's version may be on "
    "its way: see task); model: the model's grounded rewording"
)
TASK_HINT = (
    "the newest background task rewording this version with the model (null: none was asked): "
    "poll task.links.self or follow task.links.events until its status is final"
)


# --- requests ---------------------------------------------------------------------------------


TARGETS = ("job_description", "role_id", "job_id")


class _Target(NoNulModel):
    """Give exactly one target: a job description's text, a role from /api/roles/search, or
    one of your saved postings."""

    model_config = {"extra": "forbid"}

    job_description: str | None = Field(default=None, max_length=MAX_JD_CHARS)
    role_id: str | None = Field(default=None, max_length=100)
    job_id: JobId | None = Field(default=None, description=JOB_ID_HINT)
    tone: Tone = Field(default="neutral", description="the wording's tone (LLM and cover letter)")
    llm: bool = Field(
        default=True,
        description="reword with the local model when it is available; false: deterministic only",
    )

    @model_validator(mode="after")
    def _one_target(self) -> _Target:
        require_one_target(self, TARGETS)
        return self


class TailorRequest(_Target):
    template: str = Field(default="classic", max_length=40, description=" | ".join(TEMPLATES))
    exclude_positions: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="profile work keys to leave out; every other position is kept",
    )
    position_order: PositionOrder = "relevance"
    max_bullets_per_position: int | None = Field(
        default=None, ge=1, le=20, description="default: the template's limit"
    )


class CoverLetterRequest(_Target):
    template: str = Field(default="classic", max_length=40, description=" | ".join(TEMPLATES))


ChangeAction = Literal["accept", "reject", "edit", "drop", "restore"]


class ItemChange(NoNulModel):
    """One decision on a bullet or paragraph: accept or reject the model's change, edit, drop."""

    model_config = {"extra": "forbid"}

    id: str = Field(max_length=120)
    action: ChangeAction
    text: str | None = Field(default=None, max_length=1500, description="for action=edit")

    @model_validator(mode="after")
    def _text_for_edit(self) -> ItemChange:
        if self.action == "edit" and not (self.text and self.text.strip()):
            raise ValueError("action=edit needs the new text")
        return self


class SummaryChange(NoNulModel):
    model_config = {"extra": "forbid"}

    action: Literal["accept", "reject", "edit"]
    text: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _text_for_edit(self) -> SummaryChange:
        if self.action == "edit" and not (self.text and self.text.strip()):
            raise ValueError("action=edit needs the new text")
        return self


class ResumePatch(NoNulModel):
    """Decide on each change, edit text (grounding-checked), leave positions out or back in."""

    model_config = {"extra": "forbid"}

    bullets: list[ItemChange] = Field(default_factory=list, max_length=200)
    summary: SummaryChange | None = None
    exclude_positions: list[str] = Field(default_factory=list, max_length=100)
    include_positions: list[str] = Field(default_factory=list, max_length=100)
    template: str | None = Field(default=None, max_length=40)


class CoverLetterPatch(NoNulModel):
    model_config = {"extra": "forbid"}

    paragraphs: list[ItemChange] = Field(default_factory=list, max_length=20)
    template: str | None = Field(default=None, max_length=40)


# --- the tailored resume ----------------------------------------------------------------------


class Basics(BaseModel):
    name: str | None = None
    headline: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    linkedin: str | None = None
    github: str | None = None
    website: str | None = None


class Item(BaseModel):
    """A piece of generated text with its source and what the grounding check made of it."""

    id: str
    source: str = Field(
        description="the text it comes from (your bullet, or the deterministic version)"
    )
    text: str = Field(description="the text that is rendered")
    status: Status = "kept"
    reason: str = "Your text, unchanged."
    unsupported: list[str] = Field(default_factory=list)
    proposed: str | None = Field(default=None, description="the model's wording, when it made one")
    decision: Decision = "accepted"


class Bullet(Item):
    included: bool = True
    relevance: float = 0.0
    matched_skills: list[str] = Field(default_factory=list)
    why: str = ""


class Position(BaseModel):
    key: str
    company: str | None = None
    title: str | None = None
    location: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    current: bool = False
    included: bool = True
    excluded_reason: str | None = None
    relevance: float = 0.0
    why: str = ""
    bullets: list[Bullet] = Field(default_factory=list)


class Education(BaseModel):
    institution: str | None = None
    degree: str | None = None
    field: str | None = None
    location: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    grade: str | None = None


class ResumeSkill(BaseModel):
    name: str
    skill_id: str | None = None
    matched: bool = Field(default=False, description="one of the job's skills")
    importance: str | None = None


class ResumeProject(BaseModel):
    name: str | None = None
    description: str | None = None
    url: str | None = None
    bullets: list[str] = Field(default_factory=list)


class ResumeDocument(BaseModel):
    basics: Basics = Field(default_factory=Basics)
    summary: Item
    positions: list[Position] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    skills: list[ResumeSkill] = Field(default_factory=list)
    projects: list[ResumeProject] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)


# --- what a tailoring did ---------------------------------------------------------------------


class KeywordUse(BaseModel):
    skill_id: str
    name: str
    importance: str
    where: list[str] = Field(default_factory=list, description="skills, summary, bullets")


class KeywordGap(BaseModel):
    skill_id: str
    name: str
    importance: str
    reason: str


class KeywordReport(BaseModel):
    surfaced: list[KeywordUse] = Field(default_factory=list)
    not_claimed: list[KeywordGap] = Field(default_factory=list)


class LLMReport(BaseModel):
    used: bool = False
    degraded: bool = Field(default=False, description="the model was wanted but failed")
    model: str | None = None
    prompt_version: str | None = None
    prompt_tokens: int | None = Field(default=None, description="as the model server counted")
    prompt_tokens_estimate: int | None = Field(default=None, description="our estimate, sent")
    completion_tokens: int | None = None
    items_sent: int = 0
    note: str | None = None


class RunReport(BaseModel):
    """Stored with a version: how it was made."""

    llm: LLMReport = Field(default_factory=LLMReport)
    keywords: KeywordReport = Field(default_factory=KeywordReport)
    notes: list[str] = Field(default_factory=list)
    match_score: float | None = None


class ItemReport(BaseModel):
    id: str
    position_key: str | None = None
    source: str
    output: str
    status: Status
    reason: str
    unsupported: list[str] = Field(default_factory=list)
    proposed: str | None = None
    decision: Decision
    included: bool = True


class Dropped(BaseModel):
    kind: Literal["position", "bullet"]
    id: str
    text: str
    reason: str


class ReportPublic(RunReport):
    summary: ItemReport | None = None
    bullets: list[ItemReport] = Field(default_factory=list)
    dropped: list[Dropped] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)


class TargetPublic(BaseModel):
    type: Literal["job_description", "role", "job"] = Field(
        description="job: one of your saved postings (job_id), with its title and company"
    )
    title: str | None = None
    company: str | None = None
    role_id: str | None = None
    job_id: str | None = None


class ResumePublic(BaseModel):
    id: str
    created_at: str
    updated_at: str
    template: str
    tone: Tone
    target: TargetPublic
    llm_used: bool
    shows: Shows = Field(description=SHOWS_HINT)
    task: TaskPublic | None = Field(default=None, description=TASK_HINT)
    content: ResumeDocument
    report: ReportPublic


class ResumeSummaryPublic(BaseModel):
    id: str
    created_at: str
    updated_at: str
    template: str
    target: TargetPublic
    llm_used: bool
    shows: Shows = Field(description=SHOWS_HINT)
    task: TaskPublic | None = Field(default=None, description=TASK_HINT)
    counts: dict[str, int] = Field(default_factory=dict)


# --- cover letters ----------------------------------------------------------------------------


class LetterDocument(BaseModel):
    basics: Basics = Field(default_factory=Basics)
    date: str
    company: str | None = None
    role_title: str | None = None
    greeting: str
    paragraphs: list[Item] = Field(default_factory=list)
    closing: str
    signature: str | None = None


class LetterReport(BaseModel):
    llm: LLMReport = Field(default_factory=LLMReport)
    notes: list[str] = Field(default_factory=list)
    paragraphs: list[ItemReport] = Field(default_factory=list)


class CoverLetterPublic(BaseModel):
    id: str
    created_at: str
    updated_at: str
    template: str
    tone: Tone
    target: TargetPublic
    llm_used: bool
    shows: Shows = Field(description=SHOWS_HINT)
    task: TaskPublic | None = Field(default=None, description=TASK_HINT)
    content: LetterDocument
    report: LetterReport


class CoverLetterSummaryPublic(BaseModel):
    id: str
    created_at: str
    updated_at: str
    template: str
    target: TargetPublic
    llm_used: bool
    shows: Shows = Field(description=SHOWS_HINT)
    task: TaskPublic | None = Field(default=None, description=TASK_HINT)
