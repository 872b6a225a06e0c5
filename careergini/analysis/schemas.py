from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from careergini.analysis.targets import (
    JOB_ID_HINT,
    JobId,
    PostingTarget as PostingTarget,
    require_one_target,
)
from careergini.core.text import NoNulModel
from careergini.skills.schemas import MAX_JD_CHARS as MAX_JD_CHARS, AtsReport, GapReport, MatchScore

AnalysisKind = Literal["gap", "match", "ats"]


TARGETS = ("job_description", "role_id", "job_id")


class AnalysisRequest(NoNulModel):
    """Give exactly one target: a job description's text, a role from /api/roles/search, or
    one of your saved postings."""

    model_config = {"extra": "forbid"}

    job_description: str | None = Field(default=None, max_length=MAX_JD_CHARS)
    role_id: str | None = Field(default=None, max_length=100)
    job_id: JobId | None = Field(default=None, description=JOB_ID_HINT)
    import_id: str | None = Field(
        default=None, description="ATS only: which imported resume to check (default: newest)"
    )

    @model_validator(mode="after")
    def _one_target(self) -> AnalysisRequest:
        require_one_target(self, TARGETS)
        return self


class JobParseRequest(NoNulModel):
    text: str = Field(min_length=1, max_length=MAX_JD_CHARS)
    title_hint: str | None = Field(default=None, max_length=200)


class Target(BaseModel):
    type: Literal["job_description", "role", "job"] = Field(
        description="job: one of your saved postings (job_id); its title and company are the "
        "posting's"
    )
    title: str | None
    company: str | None = None
    role_id: str | None = None
    job_id: str | None = None
    seniority: str | None = None
    years_min: float | None = None
    skills: int = 0
    job_text: str | None = Field(
        default=None,
        description="job_description: the pasted text, so follow-ups (tailor, letter, roadmap, "
        "interview, coach) open with the job filled in from any device",
    )


class AnalysisPublic(BaseModel):
    id: str
    kind: AnalysisKind
    created_at: str
    scoring_version: str
    target: Target
    warnings: list[str] = Field(default_factory=list)
    gap: GapReport | None = None
    match: MatchScore | None = None
    ats: AtsReport | None = None


class AnalysisSummary(BaseModel):
    id: str
    kind: AnalysisKind
    created_at: str
    target: Target
    score: float | None = None


class RoleSkill(BaseModel):
    skill_id: str | None
    name: str
    hot: bool = False
    in_demand: bool = False


class RolePublic(BaseModel):
    id: str
    source: str
    title: str
    alt_titles: list[str]
    description: str
    essential: list[RoleSkill]
    optional: list[RoleSkill]
    hot_technologies: list[RoleSkill]
    related_roles: list[dict[str, Any]] = Field(default_factory=list)


class RoleHit(BaseModel):
    id: str
    source: str
    title: str
    matched_title: str | None = None
