"""What a tool returns: :class:`ToolResult`, and the typed ``data`` of each tool.

A result is checkpointed with the graph's state and rendered by the degraded-mode templates, so
everything here is a plain JSON-ready ``TypedDict``. The models' own JSON dumps that are passed
through as they are (a gap report, a match score, a document's target) are :data:`JSONObject`.
Each data type is ``@final`` so that ``"artifact" in data`` tells the types apart.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict, final

# A model's ``model_dump(mode="json")``, passed on whole (read only by the templates).
JSONObject = dict[str, Any]


@final
class FailedData(TypedDict):
    """What a failed tool says: what is missing, and what to do."""

    hint: str


class TargetData(TypedDict):
    """The target an analysis was made against, as the templates show it."""

    kind: Literal["job_description", "role", "job"] | None
    title: str | None
    company: str | None
    role_id: str | None
    job_id: str | None


# --- profile ----------------------------------------------------------------------------------


class PositionData(TypedDict):
    title: str | None
    company: str | None
    start: str
    end: str
    highlights: list[str]


class EducationData(TypedDict):
    degree: str | None
    field: str | None
    institution: str | None


@final
class ProfileSummaryData(TypedDict):
    name: str | None
    headline: str | None
    summary: str | None
    years_experience: float
    seniority: str | None
    positions: list[PositionData]
    skills: list[str]
    education: list[EducationData]


# --- gap and match ----------------------------------------------------------------------------


@final
class SkillGapData(TypedDict):
    target: TargetData
    gap: JSONObject
    warnings: list[str]


@final
class MatchScoreData(TypedDict):
    target: TargetData
    match: JSONObject


# --- roles and jobs ---------------------------------------------------------------------------


class RoleData(TypedDict):
    id: str
    title: str
    description: str
    key_skills: list[str]


@final
class RoleSearchData(TypedDict):
    query: str
    roles: list[RoleData]


class PostingData(TypedDict):
    title: str
    company: str | None
    location: str | None
    remote: str | None
    url: str | None
    score: int | None
    reasons: list[str]
    gaps: list[str]


@final
class JobMatchesData(TypedDict):
    query: str | None
    postings: list[PostingData]
    hint: NotRequired[str]  # when nothing matched


# --- learning and resume ----------------------------------------------------------------------


class StudyResourceData(TypedDict):
    title: str
    url: str
    hours: int
    cost: str


class StudyStepData(TypedDict):
    skill: str
    importance: str
    reason: str
    builds_on: list[str]
    resources: list[StudyResourceData]


@final
class LearningPlanData(TypedDict):
    target: TargetData
    steps: list[StudyStepData]


class BulletData(TypedDict):
    position: str | None
    bullet: str
    skills: list[str]


@final
class ResumeFocusData(TypedDict):
    target: TargetData
    put_forward: list[str]
    strongest_bullets: list[BulletData]
    missing_keywords: list[str]


# --- documents and plans the coach creates ----------------------------------------------------


class ArtifactRef(TypedDict):
    """What a tool created: its kind and id (the client links to it)."""

    kind: Literal["resume", "cover_letter", "roadmap", "interview_session"]
    id: str


class LeftOutData(TypedDict):
    text: str
    reason: str


@final
class TailoredResumeData(TypedDict):
    artifact: ArtifactRef
    target: JSONObject
    template: str
    links: dict[str, str]
    bullets_total: int
    bullets_kept: int
    reordered: list[str]
    first_bullet: str | None
    keywords_used: list[str]
    not_claimed: list[str]
    left_out: list[LeftOutData]
    left_out_count: int
    notes: list[str]


@final
class CoverLetterData(TypedDict):
    artifact: ArtifactRef
    target: JSONObject
    links: dict[str, str]
    addressed_to: str | None
    greeting: str
    paragraphs: int
    opening: str | None
    notes: list[str]


class WeekRunData(TypedDict):
    """A run of weeks with the same focus ("weeks 1-3: AWS")."""

    focus: str
    hours: int
    weeks: str


@final
class RoadmapData(TypedDict):
    artifact: ArtifactRef
    target: JSONObject
    links: dict[str, str]
    hours_per_week: int
    weeks_total: int
    months_total: int
    total_hours: int
    end_date: str
    fits: bool
    fit_message: str
    first_weeks: list[WeekRunData]
    skills: list[str]
    known: list[Any]  # the names the roadmap lists as known (its own JSON)
    notes: list[str]


class QuestionData(TypedDict):
    number: int
    kind: str
    text: str
    covers: list[str]


@final
class InterviewData(TypedDict):
    artifact: ArtifactRef
    target: JSONObject
    links: dict[str, str]
    total: int
    question: QuestionData | None
    notes: list[str]


ToolData = (
    FailedData
    | ProfileSummaryData
    | SkillGapData
    | MatchScoreData
    | RoleSearchData
    | JobMatchesData
    | LearningPlanData
    | ResumeFocusData
    | TailoredResumeData
    | CoverLetterData
    | RoadmapData
    | InterviewData
)


class ToolResult(TypedDict):
    """One tool's output: ``data`` feeds the degraded templates, ``digest`` the model."""

    agent: str
    tool: str
    title: str
    ok: bool
    data: ToolData
    digest: str
