"""Facts computed from a profile for the claims check: years of professional experience.

Computed from the dated positions, never rounded up: a year without a month counts from its
last month when it starts a position and to its first month when it ends one, overlapping
positions count once, and internships and summer jobs are not professional experience.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

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
