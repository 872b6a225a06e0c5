"""Parse the date forms resumes really use: "Jan 2020 – Present", "03/2019", "Summer 2018"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from careergini.documents.textpredicates import (
    MONTH_NUMBERS,
    PRESENT_RE,
    SINGLE_DATE_RE,
    DateText,
    find_date_texts,
    locate_date_range,
    strip_date_range,
)
from careergini.profile.schemas import PartialDate

_MONTHS = MONTH_NUMBERS


@dataclass(frozen=True, slots=True)
class DateRange:
    start: PartialDate | None
    end: PartialDate | None
    span: tuple[int, int]

    @property
    def current(self) -> bool:
        return bool(self.end and self.end.present)


def _to_date(match: re.Match[str], raw: str) -> PartialDate | None:
    groups = match.groupdict()
    if groups.get("mname"):
        year_text = groups["myear"].lstrip("'’")
        year = int(year_text) if len(year_text) == 4 else _expand_two_digit_year(int(year_text))
        return PartialDate(year=year, month=_MONTHS[groups["mname"].lower()], raw=raw)
    if groups.get("season"):
        return PartialDate(year=int(groups["syear"]), raw=raw)
    if groups.get("isoyear"):
        return PartialDate(year=int(groups["isoyear"]), month=int(groups["isomonth"]), raw=raw)
    if groups.get("nyear"):
        return PartialDate(year=int(groups["nyear"]), month=int(groups["nmonth"]), raw=raw)
    if groups.get("year"):
        return PartialDate(year=int(groups["year"]), raw=raw)
    return None


def _expand_two_digit_year(value: int) -> int:
    # Resumes written with '19 style years are about recent jobs, so pivot at 50.
    return 2000 + value if value < 50 else 1900 + value


def parse_date(text: str) -> PartialDate | None:
    """Parse one date ("Sept. 2021", "2019-03", "Present"); None if it isn't one."""
    stripped = text.strip().strip(".,;()")
    if not stripped:
        return None
    if PRESENT_RE.match(stripped):
        return PartialDate(present=True, raw=stripped)
    match = SINGLE_DATE_RE.fullmatch(stripped)
    if match is None:
        return None
    return _to_date(match, stripped)


def _date_range(found: DateText) -> DateRange:
    start = parse_date(found.start) if found.start else None
    end = parse_date(found.end) if found.end else None
    return DateRange(start=start, end=end, span=found.span)


def find_date_ranges(text: str) -> list[DateRange]:
    """Return every date or date range in the text, in order."""
    return [_date_range(found) for found in find_date_texts(text)]


def parse_date_range(text: str) -> DateRange | None:
    """Parse "Jan 2020 – Present", "2017 - 2019" or a single date; None if there is none.

    A single date is read as the end of the range ("May 2016" under education means graduated).
    """
    found = locate_date_range(text)
    return None if found is None else _date_range(found)


def strip_dates(text: str) -> tuple[str, DateRange | None]:
    """Remove the first date range from the text; return the rest and the range."""
    rest, found = strip_date_range(text)
    return rest, None if found is None else _date_range(found)
