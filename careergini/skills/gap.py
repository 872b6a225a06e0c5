"""Skill-gap analysis: what the person has with evidence, what is missing, what transfers.

Pure: a job's requirements, a candidate and the taxonomy's relations in; a ranked report out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pydantic import BaseModel

from careergini.skills.candidate import Candidate
from careergini.skills.requirements import IMPORTANCE_ORDER, JobRequirements, RequiredSkill


class MatchedSkill(BaseModel):
    skill_id: str
    name: str
    importance: str
    evidence: list[str]
    last_used_year: int | None
    recency: str  # current | recent | dated | unknown
    via: str | None = None  # set when evidenced through another skill or a degree


class GapItem(BaseModel):
    skill_id: str
    name: str
    importance: str
    hot: bool
    rank: int
    reason: str


class TransferableSkill(BaseModel):
    skill_id: str
    name: str
    importance: str
    via_skill_id: str
    via_name: str
    reason: str


class GapReport(BaseModel):
    matched: list[MatchedSkill]
    missing_required: list[GapItem]
    missing_preferred: list[GapItem]
    transferable: list[TransferableSkill]
    counts: dict[str, int]


def _recency(year: int | None, now_year: int) -> str:
    if year is None:
        return "unknown"
    if year >= now_year:
        return "current"
    return "recent" if now_year - year <= 3 else "dated"


def _gap_reason(skill: RequiredSkill) -> str:
    base = {
        "required": "Required by the job",
        "mentioned": "Named in the job's duties",
        "preferred": "Preferred (a plus) for the job",
    }[skill.importance]
    extras = []
    if skill.hot:
        extras.append("much asked for by employers now")
    elif skill.in_demand:
        extras.append("in demand with employers")
    return base + ("; " + ", ".join(extras) if extras else "") + "."


def _rank_key(skill: RequiredSkill, position: int) -> tuple[int, int, int, int]:
    return (IMPORTANCE_ORDER[skill.importance], not skill.hot, not skill.in_demand, position)


def analyse_gap(
    job: JobRequirements,
    candidate: Candidate,
    *,
    related: Callable[[str], Iterable[str]],
    now_year: int,
    implied: Mapping[str, tuple[str, int | None]] | None = None,
) -> GapReport:
    """Compare a job's skills with the candidate's, ranking what is missing by importance.

    ``implied`` maps skills the candidate evidences through others to what evidences them and
    when it was last used ("javascript" -> ("TypeScript", 2025), "computer-science" -> ("your
    degree: BSc Computer Science", None)):
    those count as matched, with that evidence, and are never missing or merely transferable.
    """
    implied = implied or {}
    matched: list[MatchedSkill] = []
    missing: list[tuple[RequiredSkill, int]] = []
    transferable: list[TransferableSkill] = []
    for position, skill in enumerate(job.skills):
        have = candidate.skills.get(skill.skill_id)
        if have is not None:
            matched.append(
                MatchedSkill(
                    skill_id=skill.skill_id,
                    name=skill.name,
                    importance=skill.importance,
                    evidence=list(have.evidence),
                    last_used_year=have.last_used_year,
                    recency=_recency(have.last_used_year, now_year),
                )
            )
            continue
        if skill.skill_id in implied:
            via_text, year = implied[skill.skill_id]
            matched.append(
                MatchedSkill(
                    skill_id=skill.skill_id,
                    name=skill.name,
                    importance=skill.importance,
                    evidence=[f"evidenced via {via_text}"],
                    last_used_year=year,
                    recency=_recency(year, now_year),
                    via=via_text,
                )
            )
            continue
        via = next(
            (candidate.skills[r] for r in related(skill.skill_id) if r in candidate.skills), None
        )
        if via is not None:
            transferable.append(
                TransferableSkill(
                    skill_id=skill.skill_id,
                    name=skill.name,
                    importance=skill.importance,
                    via_skill_id=via.skill_id,
                    via_name=via.name,
                    reason=f"You have {via.name}, which is closely related to {skill.name}: "
                    f"much of it carries over.",
                )
            )
        missing.append((skill, position))
    missing.sort(key=lambda item: _rank_key(*item))
    items = [
        GapItem(
            skill_id=s.skill_id,
            name=s.name,
            importance=s.importance,
            hot=s.hot,
            rank=n + 1,
            reason=_gap_reason(s),
        )
        for n, (s, _) in enumerate(missing)
    ]
    matched.sort(key=lambda m: (IMPORTANCE_ORDER[m.importance], m.name.casefold()))
    return GapReport(
        matched=matched,
        missing_required=[i for i in items if i.importance != "preferred"],
        missing_preferred=[i for i in items if i.importance == "preferred"],
        transferable=transferable,
        counts={
            "job_skills": len(job.skills),
            "matched": len(matched),
            "missing": len(items),
            "transferable": len(transferable),
        },
    )
