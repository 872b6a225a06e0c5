"""What a job or a role asks for, in the one shape the gap and the score read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Importance = Literal["required", "preferred", "mentioned"]
IMPORTANCE_ORDER: dict[str, int] = {"required": 0, "mentioned": 1, "preferred": 2}


@dataclass(frozen=True, slots=True)
class RequiredSkill:
    skill_id: str
    name: str
    importance: Importance
    hot: bool = False
    in_demand: bool = False
    evidence: str | None = None  # the job's line that asks for it


@dataclass(frozen=True, slots=True)
class JobRequirements:
    title: str | None
    seniority: str | None
    years_min: float | None
    years_max: float | None
    skills: tuple[RequiredSkill, ...]
    text: str
    looks_like_job: bool = True
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def by_importance(self, *levels: str) -> list[RequiredSkill]:
        return [s for s in self.skills if s.importance in levels]
