"""Request and response models of the jobs API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from careergini.core.text import NoNulModel
from careergini.skills.schemas import MAX_JD_CHARS, GapReport, MatchScore, ParsedJob

FetchedKind = Literal[
    "greenhouse",
    "lever",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "personio",
    "teamtailor",
    "bamboohr",
    "workday",
    "feed",
    "page",
]
SourceKind = Literal[
    "greenhouse",
    "lever",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "personio",
    "teamtailor",
    "bamboohr",
    "workday",
    "feed",
    "page",
    "upload",
]
SourceStatus = Literal["idle", "queued", "running", "error"]
RenderMode = Literal["auto", "always", "never"]
ApplicationStatus = Literal["saved", "applied", "interviewing", "offer", "rejected", "withdrawn"]
APPLICATION_STATUSES: tuple[str, ...] = (
    "saved",
    "applied",
    "interviewing",
    "offer",
    "rejected",
    "withdrawn",
)


class _Strict(NoNulModel):
    model_config = ConfigDict(extra="forbid")


# --- sources ------------------------------------------------------------------------------------


class SourceCreate(_Strict):
    kind: FetchedKind = Field(
        description="greenhouse | lever | ashby | workable | smartrecruiters | recruitee | "
        "personio | teamtailor | bamboohr | workday (applicant-tracking systems' public job "
        "boards), feed (RSS/Atom), page (a career page with schema.org JobPosting JSON-LD)"
    )
    identifier: str = Field(
        min_length=1,
        max_length=1000,
        description="The board's or company's name (or its URL) for a board API; the URL for "
        "feed and page",
    )
    name: str | None = Field(
        default=None, max_length=200, description="Company name given to postings that lack one"
    )
    render: RenderMode = Field(
        default="auto",
        description="page only: render with Chromium when the HTML has no JobPosting (auto), "
        "always, or never",
    )
    refresh_interval_minutes: float | None = Field(
        default=None,
        ge=0,
        description="Minutes between scheduled refreshes; 0 refreshes only on demand; empty "
        "uses the server's default",
    )


class SourceStats(BaseModel):
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    failed: int = 0
    warnings: list[str] = Field(default_factory=list)


class SourcePublic(BaseModel):
    id: str
    kind: SourceKind
    identifier: str
    name: str | None
    options: dict[str, str | int | bool | None]
    status: SourceStatus
    status_changed_at: datetime
    stats: SourceStats = Field(description="counts of the running or the last refresh")
    last_error: str | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    next_refresh_at: datetime | None
    refresh_interval_minutes: float
    open_postings: int = Field(description="postings this source lists right now")
    created_at: datetime


class SourceHealth(BaseModel):
    """One source as the operators' screen shows it: whose, which kind, how its refreshes go."""

    id: str
    owner_id: str
    kind: SourceKind
    name: str | None
    status: SourceStatus
    last_error: str | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    next_refresh_at: datetime | None


# --- postings -----------------------------------------------------------------------------------


class JobCreate(_Strict):
    """Give a posting's text, or the URL of its page."""

    text: str | None = Field(default=None, max_length=MAX_JD_CHARS)
    url: str | None = Field(default=None, max_length=1000)
    title: str | None = Field(default=None, max_length=300)
    company: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=300)
    render: RenderMode = "auto"

    @model_validator(mode="after")
    def _one_of(self) -> JobCreate:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of text or url")
        if self.text is not None and not self.text.strip():
            raise ValueError("text is empty: paste the posting's text")
        return self


class Salary(BaseModel):
    min: float | None
    max: float | None
    currency: str | None
    period: str | None
    yearly_min: float | None = Field(
        default=None, description="the pay for a year of work, in the posting's currency"
    )
    yearly_max: float | None = None
    reference_currency: str | None = Field(
        default=None, description="the currency every salary is also shown in (a setting)"
    )
    reference_yearly_min: float | None = Field(
        default=None, description="yearly pay converted to the reference currency"
    )
    reference_yearly_max: float | None = None
    note: str | None = Field(default=None, description="how the amounts were read, in words")


class JobSummary(BaseModel):
    id: str
    title: str
    company: str | None
    location: str | None
    url: str | None
    remote: str | None
    seniority: str | None
    employment_type: str | None
    salary: Salary | None
    skills: list[str] = Field(description="skills the posting names, strongest first")
    posted_at: datetime | None = Field(
        description="when the source says it was posted, else when CareerGini first saw it"
    )
    status: Literal["open", "closed"]
    origin: str
    relevance: float | None = Field(
        default=None, description="reciprocal-rank-fusion score of the words and the meaning"
    )
    match_score: float | None = Field(
        default=None, description="your 0-100 match score (when you have a profile)"
    )


class JobPage(BaseModel):
    items: list[JobSummary]
    total: int = Field(description="results of this search (at most 1,000 are ranked)")
    next_cursor: str | None
    reranked: bool = Field(description="whether the top results were re-ranked for your profile")
    warnings: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(
        default_factory=list, description="what to try when the search found nothing"
    )


class GapBrief(BaseModel):
    skill_id: str
    name: str
    importance: str
    reason: str


class Recommendation(BaseModel):
    job: JobSummary
    score: float | None
    confident: bool
    top_reasons: list[str]
    matched: list[str]
    gaps: list[GapBrief]
    warnings: list[str] = Field(default_factory=list)


class RecommendationList(BaseModel):
    items: list[Recommendation]
    considered: int = Field(description="postings that passed the filters")
    scored: int = Field(description="postings scored in full (the best by a quick pre-score)")


class PostingSource(BaseModel):
    source_id: str
    kind: str
    name: str | None
    external_id: str
    active: bool
    last_seen_at: datetime


class JobAnalysis(BaseModel):
    match: MatchScore
    gap: GapReport


class JobDetail(JobSummary):
    description: str
    first_seen_at: datetime
    last_seen_at: datetime
    closed_at: datetime | None
    sources: list[PostingSource]
    parsed: ParsedJob
    analysis: JobAnalysis | None
    analysis_note: str | None = None


# --- applications -------------------------------------------------------------------------------


class ExternalJob(_Strict):
    title: str = Field(min_length=1, max_length=300)
    company: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=1000)


class ApplicationCreate(_Strict):
    """Track a stored posting (``job_id``) or one from elsewhere (``external``)."""

    job_id: uuid.UUID | None = None
    external: ExternalJob | None = None
    status: ApplicationStatus = "saved"
    notes: str = Field(default="", max_length=20_000)
    applied_at: datetime | None = None
    interview_at: datetime | None = None
    follow_up_at: datetime | None = None
    resume_id: uuid.UUID | None = None
    cover_letter_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_of(self) -> ApplicationCreate:
        if (self.job_id is None) == (self.external is None):
            raise ValueError("give exactly one of job_id or external")
        return self


class ApplicationUpdate(_Strict):
    """Only the fields you send change; send null to clear a date or a document."""

    status: ApplicationStatus | None = None
    notes: str | None = Field(default=None, max_length=20_000)
    applied_at: datetime | None = None
    interview_at: datetime | None = None
    follow_up_at: datetime | None = None
    resume_id: uuid.UUID | None = None
    cover_letter_id: uuid.UUID | None = None
    note: str | None = Field(
        default=None, max_length=1000, description="kept with the status change in the history"
    )


class ApplicationEventPublic(BaseModel):
    from_status: str | None
    to_status: str
    note: str | None
    at: datetime


class ApplicationPublic(BaseModel):
    id: str
    job_id: str | None
    job_status: Literal["open", "closed"] | None = Field(
        description="the posting's status; null for external jobs or a deleted posting"
    )
    title: str
    company: str | None
    url: str | None
    status: ApplicationStatus
    notes: str
    applied_at: datetime | None
    interview_at: datetime | None
    follow_up_at: datetime | None
    resume_id: str | None
    cover_letter_id: str | None
    created_at: datetime
    updated_at: datetime
    history: list[ApplicationEventPublic]


class ApplicationImport(BaseModel):
    """What a CSV import did: the applications it added and the rows already tracked."""

    imported: int
    skipped: int = Field(
        description="rows naming a job you already track (same title, company, link)"
    )
    applications: list[ApplicationPublic]
