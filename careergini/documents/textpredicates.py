"""What a short piece of text is: a date, a date range, a length of time, a place.

The PDF reader asks these questions to tell a sidebar from the dates and places set beside each
entry; the resume structuring asks them to read entry headers. Dates are found here as written;
the profile turns them into its own date type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from careergini.documents.layout import word_set

# --- dates -------------------------------------------------------------------------------------

# Month names and their abbreviations in English, German, French, Spanish, Portuguese, Italian
# and Dutch; a short form only counts before a year, so "set" or "mag" in prose never match.
_MONTH_FORMS: dict[int, str] = {
    1: "jan january januar janv janvier enero ene janeiro gennaio gen januari jän jänner",
    2: "feb february februar févr fevr février fevrier febrero fevereiro fev febbraio februari",
    3: "mar march märz maerz mär mars marzo março marco mrt maart",
    4: "apr april avr avril abril abr aprile",
    5: "may mai mayo maio maggio mag mei",
    6: "jun june juni juin junio junho giugno giu",
    7: "jul july juli juil juillet julio julho luglio lug",
    8: "aug august août aout agosto ago augustus",
    9: "sep sept september septembre septiembre setiembre setembro set settembre",
    10: "oct october okt oktober octobre octubre outubro out ottobre ott",
    11: "nov november novembre noviembre novembro",
    12: "dec december dez dezember décembre decembre déc diciembre dic dezembro dicembre",
}
MONTH_NUMBERS: dict[str, int] = {
    name: number for number, names in _MONTH_FORMS.items() for name in names.split()
}
_MONTH_NAME = "(?:" + "|".join(sorted(map(re.escape, MONTH_NUMBERS), key=len, reverse=True)) + ")"
_YEAR = r"(?:19[4-9]\d|20\d\d)"
_PRESENT = (
    r"(?:present|current(?:ly)?|now|today|ongoing|till\s+date|to\s+date"
    r"|heute|aktuell|laufend|dato|présent|aujourd['’]hui|actuel(?:le)?|en\s+cours|actualidad"
    r"|presente|actual(?:mente)?|atual(?:mente)?|hoje|oggi|attuale|in\s+corso|heden|nu|huidig)"
)
# "Seit 05/2019", "depuis 2020", "desde 2018": a start that runs to the present.
_SINCE_RE = re.compile(
    r"(?:\bsince|\bseit|\bdepuis|\bdesde|\bdal(?:l['’])?|\bsinds)\s*$", re.IGNORECASE
)

# One alternative per form; the group names tell which form matched.
_SINGLE = (
    rf"(?P<mname>{_MONTH_NAME})\.?,?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+|del?\s+)?"
    rf"(?P<myear>{_YEAR}|['’]\d\d)"
    rf"|(?P<season>spring|summer|fall|autumn|winter)\s+(?P<syear>{_YEAR})"
    rf"|(?P<isoyear>{_YEAR})[-/.](?P<isomonth>0?[1-9]|1[0-2])(?:[-/.]\d{{1,2}})?(?![\d])"
    rf"|(?P<nmonth>0?[1-9]|1[0-2])[/.-](?:(?P<nday>\d{{1,2}})[/.-])?(?P<nyear>{_YEAR})"
    rf"|(?P<year>{_YEAR})"
)
# The same forms without group names, so a range can hold two of them.
_DATE = "(?:" + re.sub(r"\(\?P<\w+>", "(?:", _SINGLE) + ")"
_SEP = (
    r"\s*(?:[-‐‑‒–—―~]+|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b|\bbis\b|\bà\b"
    r"|\bau\b|\ba\b|\bhasta\b|\baté\b|\bal\b|\btot\b)\s*"
)

# One date; its named groups (mname/myear, season/syear, isoyear/isomonth, nmonth/nyear, year)
# say which form it is.
SINGLE_DATE_RE = re.compile(rf"(?<![\w/.-])(?:{_SINGLE})(?![\w/])", re.IGNORECASE)
PRESENT_RE = re.compile(rf"^\s*{_PRESENT}\s*$", re.IGNORECASE)
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
class DateText:
    """A date or date range as written: its start and end text, and where it sits."""

    start: str | None
    end: str | None  # a date or a word for "present"
    span: tuple[int, int]


def find_date_texts(text: str) -> list[DateText]:
    """Return every date or date range in the text, in order."""
    found = []
    for m in _RANGE_RE.finditer(text):
        since = None if m.group("end") else _SINCE_RE.search(text, 0, m.start())
        if since is not None:
            found.append(
                DateText(start=m.group("start"), end="present", span=(since.start(), m.end()))
            )
        else:
            found.append(
                DateText(start=m.group("start"), end=m.group("end") or None, span=m.span())
            )
    return found


def locate_date_range(text: str) -> DateText | None:
    """Return the first date range of the text ("Jan 2020 – Present", "2017 - 2019"), or None.

    A single date is read as the end of the range ("May 2016" under education means graduated).
    """
    ranges = find_date_texts(text)
    if not ranges:
        lone = _LONE_PRESENT_RE.search(text)
        if lone:
            return DateText(None, lone.group("end"), lone.span())
        return None
    first = ranges[0]
    if first.end is None:
        open_range = _OPEN_RANGE_RE.search(text[: first.span[1] + 8].rstrip())
        if open_range:
            # "2017 –" with the end on another line: the start is known, the end is not.
            return DateText(first.start, None, (first.span[0], len(text)))
        return DateText(None, first.start, first.span)
    return first


def strip_date_range(text: str) -> tuple[str, DateText | None]:
    """Remove the first date range from the text; return the rest and the range."""
    found = locate_date_range(text)
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
    if PRESENT_RE.match(stripped) or _DURATION_RE.match(stripped):
        return True
    rest, found = strip_date_range(stripped)
    return found is not None and not re.search(r"\w", rest)


def is_duration(text: str) -> bool:
    """Tell whether the text is a length of time like "2 years 10 months"."""
    return bool(_DURATION_RE.match(text.strip()))


# --- places ------------------------------------------------------------------------------------

US_STATES = word_set(
    """
    AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ
    NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR ON QC BC AB MB SK NS NB
    NL PE
    """
)
COUNTRIES = frozenset(
    c.lower()
    for c in (
        "USA", "US", "U.S.", "U.S.A.", "United States", "United States of America", "UK", "U.K.",
        "United Kingdom", "England", "Scotland", "Wales", "Ireland", "Canada", "Mexico", "Brazil",
        "Argentina", "Chile", "Colombia", "Peru", "Germany", "France", "Spain", "Portugal", "Italy",
        "Netherlands", "The Netherlands", "Belgium", "Luxembourg", "Switzerland", "Austria",
        "Denmark", "Sweden", "Norway", "Finland", "Iceland", "Poland", "Czechia",
        "Czech Republic", "Slovakia", "Hungary", "Romania", "Bulgaria", "Greece", "Turkey",
        "Türkiye", "Turkiye", "Ukraine", "Russia", "Estonia", "Latvia", "Lithuania", "Serbia",
        "Croatia", "Slovenia", "Israel", "UAE", "United Arab Emirates", "Saudi Arabia", "Qatar",
        "Egypt", "Morocco", "Nigeria", "Kenya", "Ghana", "South Africa", "Ethiopia", "India",
        "Pakistan", "Bangladesh", "Sri Lanka", "Nepal", "China", "Hong Kong", "Taiwan", "Japan",
        "South Korea", "Korea", "Singapore", "Malaysia", "Indonesia", "Philippines", "Thailand",
        "Vietnam", "Viet Nam", "Australia", "New Zealand", "Iran", "Iraq", "Jordan", "Lebanon",
        "Tunisia", "Algeria", "Uruguay", "Venezuela", "Ecuador", "Costa Rica", "Cyprus", "Malta",
    )
)  # fmt: skip
_REMOTE_RE = re.compile(r"^(?:remote|hybrid|on-?site)(?:\s*\(.*\))?$", re.IGNORECASE)
_PLACE_WORD_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'.-]*(?:\s+[A-Za-zÀ-ÿ][\w'.-]*){0,3}$")
_ORG_WORDS_RE = re.compile(
    r"\b(?:university|college|institute|school|academy|inc|llc|ltd|corp|corporation|company|"
    r"technologies|labs?|research|solutions|group|systems)\b",
    re.IGNORECASE,
)


def is_state_or_country(chunk: str) -> bool:
    chunk = chunk.strip().rstrip(".")
    return chunk in US_STATES or chunk.lower() in COUNTRIES or chunk.lower() + "." in COUNTRIES


def is_location(text: str) -> bool:
    """Tell whether the text is a place: "Princeton, NJ", "London, UK", "Remote"."""
    text = text.strip().strip(",")
    if _REMOTE_RE.match(text):
        return True
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or len(parts) > 4 or not all(parts):
        return text.lower() in COUNTRIES
    places = len(parts)
    while places > 0 and is_state_or_country(parts[places - 1]):
        places -= 1
    # One city before the region and country: "Mountain View, CA, USA", not "Uber, Seattle, WA".
    if places == len(parts) or places > 1:
        return False
    return places == 0 or (bool(_PLACE_WORD_RE.match(parts[0])) and not _has_org_word(parts[0]))


def split_location_tail(chunks: list[str]) -> tuple[list[str], str | None]:
    """Peel a trailing location ("Seattle", "WA", "USA") off comma-separated chunks."""
    end = len(chunks)
    while end > 0 and is_state_or_country(chunks[end - 1]):
        end -= 1
    if end == len(chunks):
        if end and _REMOTE_RE.match(chunks[-1].strip()):
            return chunks[:-1], chunks[-1].strip()
        return chunks, None
    # The city precedes the state or country, unless nothing else would be left.
    if end > 1 and _PLACE_WORD_RE.match(chunks[end - 1]) and not _has_org_word(chunks[end - 1]):
        end -= 1
    return chunks[:end], ", ".join(c.strip() for c in chunks[end:])


def _has_org_word(text: str) -> bool:
    return bool(_ORG_WORDS_RE.search(text))
