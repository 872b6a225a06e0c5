"""Parse the date forms resumes really use: "Jan 2020 – Present", "03/2019", "Summer 2018"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from careergini.profile.schemas import PartialDate

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_SEASONS = ("spring", "summer", "fall", "autumn", "winter")

_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19[4-9]\d|20\d\d)"
_PRESENT = r"(?:present|current(?:ly)?|now|today|ongoing|till\s+date|to\s+date)"

# One alternative per form; named groups tell _to_date which form matched.
_SINGLE = (
    rf"(?P<mname>{_MONTH_NAME})\.?,?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?P<myear>{_YEAR}|['’]\d\d)"
    rf"|(?P<season>spring|summer|fall|autumn|winter)\s+(?P<syear>{_YEAR})"
    rf"|(?P<isoyear>{_YEAR})[-/.](?P<isomonth>0?[1-9]|1[0-2])(?:[-/.]\d{{1,2}})?(?![\d])"
    rf"|(?P<nmonth>0?[1-9]|1[0-2])[/.-](?:(?P<nday>\d{{1,2}})[/.-])?(?P<nyear>{_YEAR})"
    rf"|(?P<year>{_YEAR})"
)
# The same forms without group names, so a range can hold two of them.
_DATE = "(?:" + re.sub(r"\(\?P<\w+>", "(?:", _SINGLE) + ")"
_SEP = r"\s*(?:[-‐‑‒–—―~]+|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"

_SINGLE_RE = re.compile(rf"(?<![\w/.-])(?:{_SINGLE})(?![\w/])", re.IGNORECASE)
_PRESENT_RE = re.compile(rf"^\s*{_PRESENT}\s*$", re.IGNORECASE)
_RANGE_RE = re.compile(
    rf"(?<![\w/.-])(?P<start>{_DATE})(?![\w/])"
    rf"(?:{_SEP}(?P<end>{_DATE}|{_PRESENT})(?![\w/]))?",
    re.IGNORECASE,
)
_OPEN_RANGE_RE = re.compile(rf"(?<![\w/.-])(?P<start>{_DATE}){_SEP}$", re.IGNORECASE)
_LONE_PRESENT_RE = re.compile(rf"^\s*(?:{_SEP})?(?P<end>{_PRESENT})\s*$", re.IGNORECASE)
_DURATION_RE = re.compile(
    r"^\(?\s*(?:\d+\+?\s*(?:years?|yrs?|months?|mos?)\.?\s*){1,2}\)?$", re.IGNORECASE
)


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
    if _PRESENT_RE.match(stripped):
        return PartialDate(present=True, raw=stripped)
    match = _SINGLE_RE.fullmatch(stripped)
    if match is None:
        return None
    return _to_date(match, stripped)


def _range_from_match(match: re.Match[str]) -> DateRange:
    start_raw = match.group("start")
    start = parse_date(start_raw)
    end_raw = match.group("end")
    end = parse_date(end_raw) if end_raw else None
    return DateRange(start=start, end=end, span=match.span())


def find_date_ranges(text: str) -> list[DateRange]:
    """Return every date or date range in the text, in order."""
    return [_range_from_match(m) for m in _RANGE_RE.finditer(text)]


def parse_date_range(text: str) -> DateRange | None:
    """Parse "Jan 2020 – Present", "2017 - 2019" or a single date; None if there is none.

    A single date is read as the end of the range ("May 2016" under education means graduated).
    """
    ranges = find_date_ranges(text)
    if not ranges:
        lone = _LONE_PRESENT_RE.search(text)
        if lone:
            return DateRange(None, PartialDate(present=True, raw=lone.group("end")), lone.span())
        return None
    first = ranges[0]
    if first.end is None:
        open_range = _OPEN_RANGE_RE.search(text[: first.span[1] + 8].rstrip())
        if open_range:
            # "2017 –" with the end on another line: the start is known, the end is not.
            return DateRange(first.start, None, (first.span[0], len(text)))
        return DateRange(None, first.start, first.span)
    return first


def strip_dates(text: str) -> tuple[str, DateRange | None]:
    """Remove the first date range from the text; return the rest and the range."""
    found = parse_date_range(text)
    if found is None:
        return text, None
    start, end = found.span
    rest = (text[:start] + " " + text[end:]).strip()
    rest = re.sub(r"\s{2,}", " ", rest)
    rest = re.sub(r"^[\s,|–—-]+|[\s,|–—(-]+$", "", rest)
    rest = re.sub(r"\(\s*\)", "", rest).strip()
    return rest, found


def is_date_only(text: str) -> bool:
    """Tell whether the text holds nothing but a date, a date range, or part of one."""
    stripped = text.strip().strip("()[],;|")
    if not stripped:
        return False
    if _PRESENT_RE.match(stripped) or _DURATION_RE.match(stripped):
        return True
    rest, found = strip_dates(stripped)
    return found is not None and not re.search(r"\w", rest)


def is_duration(text: str) -> bool:
    """Tell whether the text is a length of time like "2 years 10 months"."""
    return bool(_DURATION_RE.match(text.strip()))
