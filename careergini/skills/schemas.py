"""Request and response models of the skills API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from careergini.skills.ats import (
    AtsDocument as AtsDocument,
    AtsReport as AtsReport,
    LayoutFacts as LayoutFacts,
)
from careergini.skills.candidate import Candidate as Candidate
from careergini.skills.gap import GapReport as GapReport
from careergini.skills.jd.schemas import ParsedJob as ParsedJob
from careergini.skills.requirements import (
    JobRequirements as JobRequirements,
    RequiredSkill as RequiredSkill,
)
from careergini.skills.scoring import MatchScore as MatchScore
from careergini.skills.taxonomy import Role as Role, Skill as Skill, Taxonomy as Taxonomy

if TYPE_CHECKING:
    from careergini.skills.extraction import SkillMention
    from careergini.skills.taxonomy import Skill

MAX_EXTRACT_CHARS = 50_000
# The longest job description any route reads (pasted, uploaded or saved).
MAX_JD_CHARS = 50_000
MAX_PUBLIC_ALIASES = 10


class SkillPublic(BaseModel):
    id: str
    name: str
    category: str
    aliases: list[str] = Field(default_factory=list)
    hot: bool = Field(False, description="O*NET Hot Technology")
    in_demand: bool = Field(False, description="O*NET In Demand")

    @classmethod
    def from_skill(cls, skill: Skill) -> SkillPublic:
        return cls(
            id=skill.id,
            name=skill.name,
            category=skill.category,
            aliases=list(skill.aliases[:MAX_PUBLIC_ALIASES]),
            hot=skill.hot,
            in_demand=skill.in_demand,
        )


class SkillSearchResponse(BaseModel):
    skills: list[SkillPublic]
    count: int


class ExtractRequest(BaseModel):
    text: str = Field(
        max_length=MAX_EXTRACT_CHARS,
        description="Free text such as a resume or a job description (at most 50,000 characters).",
    )


class SkillMentionPublic(BaseModel):
    skill_id: str
    name: str
    category: str
    start: int = Field(description="Offset of the first character of the mention in the text")
    end: int = Field(description="Offset just past the mention: text[start:end] == surface")
    surface: str

    @classmethod
    def from_mention(cls, mention: SkillMention) -> SkillMentionPublic:
        return cls(
            skill_id=mention.skill_id,
            name=mention.name,
            category=mention.category,
            start=mention.start,
            end=mention.end,
            surface=mention.surface,
        )


class ExtractResponse(BaseModel):
    skills: list[SkillMentionPublic]
    count: int
