"""The structured profile that resume parsing produces."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from careergini.core.text import NoNulModel, strip_nul
from careergini.documents.schemas import DocumentType as DocumentType


class PartialDate(BaseModel):
    """A resume date: often only a year, sometimes a month, sometimes "Present"."""

    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    present: bool = False
    raw: str = ""

    def sort_key(self) -> tuple[int, int]:
        """Return a key that orders dates, with "present" after everything."""
        if self.present:
            return (9999, 12)
        return (self.year or 0, self.month or 0)


class Links(BaseModel):
    linkedin: str | None = None
    github: str | None = None
    website: str | None = None
    other: list[str] = Field(default_factory=list)


class Basics(BaseModel):
    name: str | None = None
    headline: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: Links = Field(default_factory=Links)


class WorkEntry(BaseModel):
    kind: str = Field(
        default="job", description="job, internship or volunteer (volunteer and campus roles)"
    )
    company: str | None = None
    title: str | None = None
    location: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    current: bool = False
    bullets: list[str] = Field(default_factory=list)


class EducationEntry(BaseModel):
    institution: str | None = None
    degree: str | None = None
    field: str | None = None
    location: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    grade: str | None = None
    bullets: list[str] = Field(default_factory=list)


class SkillEvidence(BaseModel):
    """Where a skill was seen: a section, and a line or an entry inside it."""

    section: str
    surface: str
    line: int | None = Field(default=None, description="1-based line in ParseResult.text")
    start: int | None = Field(default=None, description="offset of the surface in that line")
    end: int | None = None
    work_index: int | None = None
    project_index: int | None = None


class Skill(BaseModel):
    skill_id: str | None = Field(
        default=None, description="taxonomy id; None when the resume lists a skill we don't know"
    )
    name: str
    category: str | None = None
    evidence: list[SkillEvidence] = Field(default_factory=list)


class Project(BaseModel):
    name: str | None = None
    description: str | None = None
    url: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    bullets: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, description="skill ids or names")


class Certification(BaseModel):
    name: str
    issuer: str | None = None
    date: PartialDate | None = None


class Language(BaseModel):
    language: str
    fluency: str | None = None


class ParsedProfile(BaseModel):
    basics: Basics = Field(default_factory=Basics)
    summary: str | None = None
    work: list[WorkEntry] = Field(default_factory=list)
    education: list[EducationEntry] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)


class ParseResult(BaseModel):
    profile: ParsedProfile
    document_type: DocumentType
    warnings: list[str] = Field(default_factory=list)
    text: str = Field(default="", description="the text as read, one line per layout line")
    pages: int | None = None

    @model_serializer(mode="wrap")
    def _without_nul(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A file's NUL characters carry nothing and PostgreSQL cannot store them: dropped.
        return strip_nul(handler(self))


# --- API schemas (imports and the merged profile) ---------------------------------------------


class ImportPublic(BaseModel):
    id: str
    kind: str
    filename: str | None = None
    source_ref: str | None = None
    size_bytes: int
    created_at: str
    parsed_at: str
    parser_version: str
    stale: bool = Field(description="parsed by an older parser; POST .../reparse to update")
    warnings: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)


class ImportDetail(ImportPublic):
    result: ParseResult


class GitHubImportRequest(NoNulModel):
    username: str = Field(min_length=1, max_length=39)
