"""The structured form of a job description, as ``jd.parser.parse_job_description`` returns it.

Every detected value carries the cue (the words of the JD) that decided it, so that a match
score or a gap analysis built on it can say why.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Seniority(StrEnum):
    INTERN = "intern"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"
    LEAD = "lead"
    MANAGER = "manager"


class RemotePolicy(StrEnum):
    REMOTE = "remote"
    HYBRID = "hybrid"
    ONSITE = "onsite"


class EmploymentType(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    CONTRACT = "contract"
    INTERNSHIP = "internship"
    TEMPORARY = "temporary"


class SalaryPeriod(StrEnum):
    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"
    HOUR = "hour"


class SkillImportance(StrEnum):
    """How strongly the JD asks for a skill, strongest first."""

    REQUIRED = "required"  # under a requirements heading, or said to be required
    PREFERRED = "preferred"  # under a nice-to-have heading, or "is a plus", "(preferred)"
    MENTIONED = "mentioned"  # named in the intro or the duties: asked for, but less firmly


class SectionKind(StrEnum):
    INTRO = "intro"  # before the first heading, or under "Job description", "About the role"
    ABOUT = "about"  # about the company or the team
    RESPONSIBILITIES = "responsibilities"
    REQUIREMENTS = "requirements"
    PREFERRED = "preferred"
    BENEFITS = "benefits"
    APPLY = "apply"  # how to apply
    LEGAL = "legal"  # equal-opportunity statements and the like
    OTHER = "other"  # a heading we don't know; its skills count as mentioned


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Cue(_Model):
    """Where a value was read: the words that decided it and their 1-based line."""

    text: str
    line: int | None = None


class SeniorityInfo(_Model):
    level: Seniority
    cue: Cue
    source: str = Field(description="'title' (the job title or title hint) or 'text'")


class ExperienceRequirement(_Model):
    """Years of experience asked for; either bound may be open."""

    min_years: float | None = None
    max_years: float | None = None
    preferred: bool = Field(default=False, description="stated as preferred rather than required")
    cue: Cue


class SalaryRange(_Model):
    min_amount: float | None = None
    max_amount: float | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code, when stated")
    period: SalaryPeriod | None = None
    period_inferred: bool = Field(
        default=False, description="the period was not stated but read from the amounts"
    )
    cue: Cue


class RemoteInfo(_Model):
    policy: RemotePolicy
    cue: Cue


class EmploymentInfo(_Model):
    types: list[EmploymentType] = Field(description="every type the JD offers, in its order")
    cue: Cue

    @property
    def primary(self) -> EmploymentType:
        return self.types[0]


class SkillEvidence(_Model):
    line: int = Field(description="1-based line of the JD text where the skill was named")
    text: str = Field(description="that line, with wrapped continuation lines joined")
    surface: str = Field(description="the skill as written")
    section: SectionKind
    importance: SkillImportance


class JobSkill(_Model):
    skill_id: str
    name: str
    category: str | None = None
    importance: SkillImportance = Field(description="the strongest importance of any mention")
    count: int = Field(description="how many times the JD names it (benefits and EEO excluded)")
    evidence: list[SkillEvidence]


class JobSection(_Model):
    kind: SectionKind
    heading: str | None = Field(description="the heading as written; None for the intro")
    start_line: int
    end_line: int


class ParsedJob(_Model):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    seniority: SeniorityInfo | None = None
    experience: ExperienceRequirement | None = Field(
        default=None, description="the headline requirement: the first required mention"
    )
    experience_mentions: list[ExperienceRequirement] = Field(default_factory=list)
    skills: list[JobSkill] = Field(default_factory=list)
    responsibilities: list[str] = Field(default_factory=list)
    remote: RemoteInfo | None = None
    salary: SalaryRange | None = None
    employment: EmploymentInfo | None = None
    sections: list[JobSection] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    looks_like_job: bool = False
    job_cues: list[str] = Field(
        default_factory=list, description="the signals that this text is a job description"
    )

    def skills_by(self, importance: SkillImportance) -> list[JobSkill]:
        """Return the skills of one importance, in the order the JD first names them."""
        return [s for s in self.skills if s.importance is importance]
