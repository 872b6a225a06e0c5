"""Facts computed from a profile for the claims check: years of professional experience.

Computed from the dated positions, never rounded up: a year without a month counts from its
last month when it starts a position and to its first month when it ends one, overlapping
positions count once, and internships and summer jobs are not professional experience.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from careergini.skills.claims.check import Evidence, build_evidence, profile_dates

_NOT_PROFESSIONAL = re.compile(
    r"\b(?:intern|interns|internship|trainee|summer|working student|werkstudent|apprentice)\b",
    re.IGNORECASE,
)


def _month(date: Any, *, now: int, missing_month: int) -> int | None:
    if date is None:
        return None
    if getattr(date, "present", False):
        return now
    year = getattr(date, "year", None)
    if not year:
        return None
    return int(year) * 12 + int(getattr(date, "month", None) or missing_month) - 1


def professional_years(positions: Iterable[Any], *, now_year: int, now_month: int) -> float | None:
    """Return the years the dated, non-intern positions cover (floored to a tenth), or None."""
    now = now_year * 12 + now_month - 1
    spans: list[tuple[int, int]] = []
    for entry in positions:
        if getattr(entry, "hidden", False):
            continue
        if _NOT_PROFESSIONAL.search(getattr(entry, "title", None) or ""):
            continue
        start = _month(entry.start, now=now, missing_month=12)
        end = _month(entry.end, now=now, missing_month=1)
        if end is None and getattr(entry, "current", False):
            end = now
        if start is None or end is None or end < start:
            continue
        spans.append((start, end))
    if not spans:
        return None
    total, covered = 0, -1
    for start, end in sorted(spans):
        start = max(start, covered + 1)
        if end >= start:
            total += end - start + 1
            covered = end
    return math.floor(total / 12 * 10) / 10


def profile_evidence(
    profile: Any,
    *,
    years: int | None = None,
    targets: Sequence[str] = (),
    years_experience: float | None = None,
    extra_texts: Sequence[str] = (),
) -> Evidence:
    """Gather everything the visible profile states, for the claims check.

    ``profile`` is the merged profile (``profile.schemas``), read by its attributes; None (no
    profile yet) gives empty evidence, against which every claim about the person fails.
    ``years_experience`` (``professional_years``) is what a claimed number of years is checked
    against; ``extra_texts`` are what else the person wrote (an interview answer).
    """
    if profile is None:
        return build_evidence(extra_texts, targets=targets)
    texts: list[str] = list(extra_texts)
    dates: list[Any] = []
    basics = {name: fact.value for name, fact in profile.basics.items() if fact.value}
    texts.extend(str(v) for v in basics.values())
    if profile.summary.value:
        texts.append(profile.summary.value)
    for entry in profile.work:
        if entry.hidden:
            continue
        texts.append(" ".join(filter(None, [entry.title, "at", entry.company])))
        texts.extend(filter(None, [entry.title, entry.company, entry.location]))
        texts.extend(entry.bullets)
        dates.extend([entry.start, entry.end])
    for entry in profile.education:
        if entry.hidden:
            continue
        texts.append(
            ", ".join(filter(None, [entry.degree, entry.field, entry.institution, entry.grade]))
        )
        texts.extend(entry.bullets)
        dates.extend([entry.start, entry.end])
    texts.append(", ".join(s.name for s in profile.skills))
    for project in profile.projects:
        texts.extend(filter(None, [project.name, project.description, project.url]))
        texts.extend(project.bullets)
    for cert in profile.certifications:
        texts.append(" ".join(filter(None, [cert.name, cert.issuer])))
        dates.append(cert.date)
    texts.extend(lang.language for lang in profile.languages)
    derived: dict[float, str] = {}
    if years:
        derived[float(years)] = "years of experience, counted from your positions' dates"
    return build_evidence(
        texts,
        skill_ids=[s.skill_id for s in profile.skills if s.skill_id],
        dates=profile_dates(dates),
        degrees=[e.degree for e in profile.education if e.degree and not e.hidden],
        has_certifications=bool(profile.certifications),
        derived=derived,
        targets=targets,
        years_experience=years_experience,
        employers=[e.company for e in profile.work if e.company and not e.hidden],
    )


def evidence_now(
    profile: Any, *, now_year: int, now_month: int, extra_texts: Sequence[str] = ()
) -> Evidence:
    """Return the profile's evidence with its years of experience computed as of now."""
    if profile is None:
        return profile_evidence(None, extra_texts=extra_texts)
    years = professional_years(profile.work, now_year=now_year, now_month=now_month)
    return profile_evidence(
        profile,
        years=int(years) if years and years >= 1 else None,
        years_experience=years,
        extra_texts=extra_texts,
    )
