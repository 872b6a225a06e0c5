"""What the analysis needs to know about a person, derived from their merged profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SENIORITY_ORDER = ("intern", "junior", "mid", "senior", "staff", "lead", "manager")


@dataclass(frozen=True, slots=True)
class CandidateSkill:
    skill_id: str
    name: str
    evidence: tuple[str, ...]
    last_used_year: int | None


@dataclass(frozen=True, slots=True)
class Candidate:
    skills: dict[str, CandidateSkill]
    titles: tuple[str, ...]  # most recent first
    years_experience: float
    seniority: str | None
    experience_text: str  # summary, titles and bullets: what the semantic similarity reads
    full_text: str  # everything, for keyword coverage
    contact: dict[str, str | None] = field(default_factory=dict)
    studies: tuple[str, ...] = ()  # degrees with their fields ("BSc Computer Science")


def _months(date: Any, *, now_year: int, now_month: int, default_month: int) -> int | None:
    if date is None:
        return None
    if getattr(date, "present", False):
        return now_year * 12 + now_month
    if not date.year:
        return None
    return date.year * 12 + (date.month or default_month)


def years_of_experience(work: list[Any], *, now_year: int, now_month: int = 6) -> float:
    """Sum the months covered by positions, counting overlaps once."""
    spans: list[tuple[int, int]] = []
    for entry in work:
        if getattr(entry, "hidden", False):
            continue
        start = _months(entry.start, now_year=now_year, now_month=now_month, default_month=1)
        end = _months(entry.end, now_year=now_year, now_month=now_month, default_month=12)
        if end is None and entry.current:
            end = now_year * 12 + now_month
        if start is None or end is None or end < start:
            continue
        spans.append((start, end))
    total, current_end = 0, None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            total += end - start + 1
            current_end = end
        elif end > current_end:
            total += end - current_end
            current_end = end
    return round(total / 12, 1)


def seniority_of_title(title: str | None) -> str | None:
    """Read a level from a job title ("Senior Data Engineer" -> senior)."""
    if not title:
        return None
    text = f" {title.casefold()} "
    rules = (
        ("intern", (" intern", "internship", "trainee")),
        ("manager", ("manager", "director", "head of", " vp ", "vice president", " cto", " ceo")),
        ("lead", (" lead", "team lead", "tech lead")),
        ("staff", ("staff ", "principal", "distinguished", "architect")),
        ("senior", ("senior", " sr.", " sr ")),
        ("junior", ("junior", " jr.", " jr ", "graduate", "entry level", "associate ")),
    )
    for level, cues in rules:
        if any(cue in text for cue in cues):
            return level
    return "mid"


def candidate_from_profile(profile: Any, *, now_year: int) -> Candidate:
    """Turn a merged profile into the analysis' view of the person."""
    skills: dict[str, CandidateSkill] = {}
    for skill in profile.skills:
        if not skill.skill_id:
            continue
        evidence = []
        for item in skill.evidence[:5]:
            where = item.section
            if item.work_index is not None:
                where = f"{item.section} (position {item.work_index + 1})"
            evidence.append(f"{where}: {item.surface}")
        if skill.added_by_user:
            evidence.append("added by you")
        skills[skill.skill_id] = CandidateSkill(
            skill_id=skill.skill_id,
            name=skill.name,
            evidence=tuple(evidence),
            last_used_year=skill.last_used_year,
        )
    work = [w for w in profile.work if not w.hidden]
    titles = tuple(w.title for w in work if w.title)
    parts = [profile.summary.value or ""]
    for entry in work:
        parts.append(" ".join(filter(None, [entry.title, entry.company])))
        parts.extend(entry.bullets)
    for project in profile.projects:
        parts.extend(filter(None, [project.name, project.description, *project.bullets]))
    experience_text = "\n".join(p for p in parts if p)
    headline = profile.basics.get("headline")
    full_text = "\n".join(
        [
            experience_text,
            headline.value if headline and headline.value else "",
            ", ".join(s.name for s in profile.skills),
        ]
    )
    years = years_of_experience(work, now_year=now_year)
    studies = tuple(
        " ".join(filter(None, [entry.degree, entry.field]))
        for entry in getattr(profile, "education", ())
        if not getattr(entry, "hidden", False) and (entry.degree or entry.field)
    )
    return Candidate(
        skills=skills,
        titles=titles,
        years_experience=years,
        seniority=seniority_of_title(titles[0]) if titles else None,
        experience_text=experience_text,
        full_text=full_text,
        contact={name: fact.value for name, fact in profile.basics.items()},
        studies=studies,
    )
