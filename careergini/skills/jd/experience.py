"""Read the level asked for (from the title, else the text) and the years of experience."""

from __future__ import annotations

import re

from careergini.skills.jd.clauses import Clause, clause_at, clauses
from careergini.skills.jd.document import Document, LogicalLine
from careergini.skills.jd.schemas import (
    Cue,
    ExperienceRequirement,
    SectionKind,
    Seniority,
    SeniorityInfo,
)
from careergini.skills.jd.sections import ASKING_SECTIONS, UNCOUNTED_SECTIONS
from careergini.skills.jd.words import has_any, phrases

_MAX_YEARS = 40.0

# ---------------------------------------------------------------------------------------------
# Seniority
# ---------------------------------------------------------------------------------------------

_TITLE_LEVELS: tuple[tuple[Seniority, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        (Seniority.INTERN, r"\b(?:intern(?:ship)?s?|co-?op|trainee|apprentice(?:ship)?)\b"),
        (
            Seniority.MANAGER,
            r"\b(?:director|head\s+of|vp|vice\s+president|chief|cto|cio|ceo|cfo|coo|"
            r"engineering\s+manager|manager\s*,?\s*(?:of\s+)?engineering)\b",
        ),
        (
            Seniority.STAFF,
            r"\b(?:principal|distinguished|fellow)\b|\bstaff(?=\s+(?:[\w-]+\s+){0,2}"
            r"(?:engineer|developer|scientist|designer|architect|sre|researcher|analyst)\b)",
        ),
        (Seniority.SENIOR, r"\b(?:senior|snr\.?|sr\.?)(?=[\s,/-]|$)|\b(?:III|IV|3)\s*$"),
        (Seniority.LEAD, r"\b(?:tech(?:nical)?\s+lead|team\s+lead|lead|leader)\b"),
        (
            Seniority.JUNIOR,
            r"\b(?:junior|jr\.?|graduate|grad|entry[- ]level|new\s+grad|trainee)(?=[\s,/-]|$)|"
            r"\b(?:I|1)\s*$",
        ),
        (Seniority.MID, r"\b(?:mid[- ]?level|mid(?=[\s-](?!senior))|intermediate)\b|\bII\s*$"),
        (Seniority.MANAGER, r"\bmanager\b"),
    )
)
_TEXT_LEVELS: tuple[tuple[Seniority, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        (Seniority.INTERN, r"\b(?:internship|intern\s+(?:position|role|program(?:me)?))\b"),
        (
            Seniority.JUNIOR,
            r"\b(?:entry[- ]level|graduate\s+(?:role|position|program(?:me)?|scheme|opportunity)|"
            r"new\s+grad(?:uate)?s?|recent\s+graduates?|junior[- ]level|junior\s+(?:role|position)|"
            r"early[- ]career)\b",
        ),
        (Seniority.MID, r"\b(?:mid[- ]level|intermediate[- ]level)\b"),
        (Seniority.SENIOR, r"\b(?:senior[- ]level|senior\s+(?:role|position))\b"),
        (Seniority.STAFF, r"\b(?:principal|staff)[- ]level\b"),
        (
            Seniority.MANAGER,
            r"\b(?:people\s+manager|manag(?:e|ing)\s+(?:and\s+grow\s+)?(?:a|the)\s+team\s+of)\b",
        ),
        (
            Seniority.LEAD,
            r"\b(?:lead(?:ing)?\s+(?:a|the)\s+team\s+of|as\s+(?:a|the)\s+tech\s+lead)\b",
        ),
    )
)


_LEVEL_HINTS = phrases("level|grad|intern|junior|senior|team of|lead|manag|early|staff|principal")


def find_seniority(title: str | None, title_cue: Cue | None, doc: Document) -> SeniorityInfo | None:
    """Return the level the title names, else the first level the text asks for."""
    if title and (found := _level_in_title(title, title_cue)) is not None:
        return found
    for logical in doc.lines:
        if doc.kind_of(logical) in UNCOUNTED_SECTIONS:
            continue
        if not has_any(logical.lower, _LEVEL_HINTS):
            continue
        for level, pattern in _TEXT_LEVELS:
            if match := pattern.search(logical.text):
                line = logical.line_at(match.start())
                return SeniorityInfo(
                    level=level, cue=Cue(text=match.group(0), line=line), source="text"
                )
    return None


def _level_in_title(title: str, title_cue: Cue | None) -> SeniorityInfo | None:
    for level, pattern in _TITLE_LEVELS:
        if match := pattern.search(title):
            line = title_cue.line if title_cue else None
            return SeniorityInfo(
                level=level, cue=Cue(text=match.group(0).strip(), line=line), source="title"
            )
    return None


# ---------------------------------------------------------------------------------------------
# Years of experience
# ---------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
}
_NUM = (
    r"(?:\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:-five)?|thirty)"
)
_YEARS = r"(?:years?|yrs?)\b"
_EXPERIENCE_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (shape, re.compile(pattern, re.IGNORECASE))
    for shape, pattern in (
        (
            "range",
            rf"\bbetween\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})\s*\+?\s*{_YEARS}|"
            rf"\b(?P<a2>{_NUM})\s*\+?\s*(?:-|–|—|to|through)\s*(?P<b2>{_NUM})\s*\+?\s*"
            rf"(?:{_YEARS}|(?:years?|yrs?)['’])",
        ),
        (
            "min",
            rf"\b(?:at\s+least|minimum(?:\s+of)?|min\.?|a\s+minimum\s+of|over|more\s+than|"
            rf"no\s+less\s+than|upwards\s+of|in\s+excess\s+of)\s+(?P<a>{_NUM}|a|an)\s*\+?\s*"
            rf"(?:full\s+)?{_YEARS}",
        ),
        (
            "max",
            rf"\b(?:up\s+to|maximum(?:\s+of)?|max\.?|no\s+more\s+than)\s+(?P<b>{_NUM})\s*{_YEARS}",
        ),
        (
            "min",
            rf"\b(?P<a>{_NUM})\s*(?:\+|plus|or\s+more)\s*{_YEARS}|"
            rf"\b(?P<a2>{_NUM})\s*{_YEARS}\s*(?:\+|or\s+more|minimum|min\b|at\s+least)",
        ),
        ("plain", rf"\b(?P<a>{_NUM})\s*(?:full\s+)?{_YEARS}"),
    )
)
_EXPERIENCE_CONTEXT_RE = re.compile(
    r"\b(?:experience|exp|background|track\s+record|working|work|professional|industry|"
    r"building|developing|hands-on|in\s+(?:a|the)\s+(?:role|field)|as\s+an?|programming|"
    r"development|commercial|relevant|managing|leading)\b",
    re.IGNORECASE,
)
# "founded 20 years ago", "children aged 6-10 years", "a 2-year contract": not experience asked.
_NOT_EXPERIENCE_AFTER_RE = re.compile(
    r"^\s*(?:ago|old|of\s+age|in\s+business|running|in\s+a\s+row|of\s+(?:history|growth|"
    r"operations?|service|successful)|warranty|guarantee|contract|fixed[- ]term|term|"
    r"programme|program|degree|course|scholarship|anniversary)\b",
    re.IGNORECASE,
)
_NOT_EXPERIENCE_CLAUSE_RE = re.compile(
    r"\b(?:founded|established|anniversary|aged?|ages|in\s+business|history|warranty)\b",
    re.IGNORECASE,
)


# "Django Development: 1 year (Preferred)" asks for one skill; "total work: 2 years" for all.
_SKILL_LABEL_RE = re.compile(r"^\s*([^:]{1,40}?)\s*:\s*$")
_GENERAL_LABEL_RE = re.compile(
    r"(?:total\s+|overall\s+|relevant\s+|professional\s+)?(?:work(?:\s+experience)?|experience|"
    r"total|years\s+of\s+experience|exp)",
    re.IGNORECASE,
)


_YEARS_WORD_RE = re.compile(r"\b(?:years?|yrs?)\b", re.IGNORECASE)
# Which bounds each shape of _EXPERIENCE_RES reads: (the low end, the high end).
_SHAPE_BOUNDS = {
    "range": (True, True),
    "min": (True, False),
    "plain": (True, False),
    "max": (False, True),
}


def _to_years(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.lower()
    if value in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[value])
    try:
        return float(value)
    except ValueError:
        return None


def find_experience(doc: Document) -> list[tuple[ExperienceRequirement, bool]]:
    """Return every years-of-experience ask, and whether it is general (not one skill's)."""
    mentions: list[tuple[ExperienceRequirement, bool]] = []
    for logical in doc.lines:
        kind = doc.kind_of(logical)
        if kind in UNCOUNTED_SECTIONS or kind is SectionKind.ABOUT:
            continue
        if _YEARS_WORD_RE.search(logical.text):
            mentions.extend(_mentions_in(logical, kind))
    mentions.sort(key=lambda m: (m[0].cue.line or 0, m[0].cue.text))
    return mentions


def _mentions_in(
    logical: LogicalLine, kind: SectionKind
) -> list[tuple[ExperienceRequirement, bool]]:
    """Return the years asked in one item; the first shape to match a span keeps it."""
    text = logical.text
    found_clauses = clauses(text)
    taken: list[tuple[int, int]] = []
    mentions: list[tuple[ExperienceRequirement, bool]] = []
    for shape, pattern in _EXPERIENCE_RES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            bounds = _bounds(shape, match)
            if bounds is None:
                continue
            clause = clause_at(found_clauses, match.start())
            if not _asks_for_experience(text, match, clause, kind):
                continue
            taken.append((match.start(), match.end()))
            mentions.append(_mention(logical, match, clause, kind, bounds))
    return mentions


def _bounds(shape: str, match: re.Match[str]) -> tuple[float | None, float | None] | None:
    """Return (min, max) years of a match, or None when they make no sense as an ask."""
    groups = match.groupdict()
    reads_low, reads_high = _SHAPE_BOUNDS[shape]
    low = _to_years(groups.get("a") or groups.get("a2")) if reads_low else None
    high = _to_years(groups.get("b") or groups.get("b2")) if reads_high else None
    if low is None and high is None:
        return None
    if (low or 0) > _MAX_YEARS or (high or 0) > _MAX_YEARS:
        return None
    if low is not None and high is not None and low > high:
        return None
    return low, high


def _asks_for_experience(
    text: str, match: re.Match[str], clause: Clause | None, kind: SectionKind
) -> bool:
    """Say whether the years are experience asked of the candidate, not a company's age."""
    body = text[clause.start : clause.end] if clause else text
    if _NOT_EXPERIENCE_CLAUSE_RE.search(body) or _NOT_EXPERIENCE_AFTER_RE.match(
        text[match.end() : match.end() + 30]
    ):
        return False
    return kind in ASKING_SECTIONS or bool(_EXPERIENCE_CONTEXT_RE.search(body))


def _mention(
    logical: LogicalLine,
    match: re.Match[str],
    clause: Clause | None,
    kind: SectionKind,
    bounds: tuple[float | None, float | None],
) -> tuple[ExperienceRequirement, bool]:
    preferred = kind is SectionKind.PREFERRED or bool(
        clause and clause.preferred and not clause.required
    )
    lead_in = logical.text[max(clause.start if clause else 0, logical.body_start) : match.start()]
    label = _SKILL_LABEL_RE.match(lead_in)
    general = label is None or bool(_GENERAL_LABEL_RE.fullmatch(label.group(1)))
    mention = ExperienceRequirement(
        min_years=bounds[0],
        max_years=bounds[1],
        preferred=preferred,
        cue=Cue(text=match.group(0).strip(), line=logical.line_at(match.start())),
    )
    return mention, general


def headline_experience(
    mentions: list[tuple[ExperienceRequirement, bool]],
) -> ExperienceRequirement | None:
    """Return the first required general mention, else the first required, else any."""
    ranked = sorted(
        range(len(mentions)),
        key=lambda i: (mentions[i][0].preferred, not mentions[i][1], i),
    )
    return mentions[ranked[0]][0] if ranked else None
