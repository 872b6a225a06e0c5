"""Read the employment type: full-time, part-time, contract, internship, temporary."""

from __future__ import annotations

import re

from careergini.skills.jd.document import Document
from careergini.skills.jd.schemas import Cue, EmploymentInfo, EmploymentType, SectionKind
from careergini.skills.jd.words import has_any, phrases

_EMPLOYMENT_LABEL_RE = re.compile(
    r"^(?:job\s+types?|employment(?:\s+types?)?|type\s+of\s+(?:employment|position|contract)|"
    r"contract\s+types?|position\s+types?|work\s+types?|schedule|engagement(?:\s+type)?|"
    r"job\s+category)\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_EMPLOYMENT_WORDS: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (EmploymentType.FULL_TIME, r"\bfull[- ]?time\b(?!\s+equivalent)|\bpermanent\b"),
        (EmploymentType.PART_TIME, r"\bpart[- ]?time\b"),
        (
            EmploymentType.CONTRACT,
            r"\bcontract(?:or)?s?\b|\bfreelance(?:r)?\b|\bc2c\b|\b1099\b|\bconsultancy\b",
        ),
        (EmploymentType.INTERNSHIP, r"\bintern(?:ship)?s?\b"),
        (EmploymentType.TEMPORARY, r"\btemporary\b|\btemp\b|\bseasonal\b|\bfixed[- ]term\b"),
    )
)
_EMPLOYMENT_TEXT: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (EmploymentType.FULL_TIME, r"\bfull[- ]?time\b(?!\s+equivalent)"),
        (EmploymentType.PART_TIME, r"\bpart[- ]?time\b"),
        (
            EmploymentType.CONTRACT,
            r"\bcontract(?:or)?\s+(?:role|position|basis|job|work|assignment|engagement|length|"
            r"duration|opportunity|to\s+hire|-to-hire)\b|\b(?:on\s+an?|\d+[- ]months?|"
            r"fixed[- ]term|short[- ]term|long[- ]term|freelance|initial|b2b)\s+contract\b|"
            r"\bfreelance(?:r)?\b|\(contract\)|\bcontract\s*:|\bc2c\b",
        ),
        (EmploymentType.INTERNSHIP, r"\binternships?\b|\bintern\s+(?:role|position|program)"),
        (
            EmploymentType.TEMPORARY,
            r"\btemporary\s+(?:role|position|job|contract|assignment|employment|basis|work|"
            r"staff)\b|\btemp\s+(?:role|position|job)\b|\bseasonal\s+(?:role|position|job|work)\b|"
            r"\bfixed[- ]term\b|\btemp-to-perm\b",
        ),
    )
)
_EMPLOYMENT_NEGATION_RE = re.compile(
    r"\bnot\s+(?:be\s+)?(?:an?\s+)?(?:looking\s+for\s+)?(?:a\s+)?$", re.IGNORECASE
)


_EMPLOYMENT_HINTS = phrases("time|contract|freelanc|intern|temp|seasonal|fixed|c2c|perm")


def find_employment(doc: Document, title: str | None) -> EmploymentInfo | None:
    """Return the types a "Job type:" label names, else those the title and the text state."""
    labelled = _labelled_employment(doc)
    return labelled if labelled is not None else _stated_employment(doc, title)


def _labelled_employment(doc: Document) -> EmploymentInfo | None:
    for logical in doc.lines:
        if match := _EMPLOYMENT_LABEL_RE.match(logical.text):
            value = match.group("value")
            hits = [
                (m.start(), kind)
                for kind, pattern in _EMPLOYMENT_WORDS
                if (m := pattern.search(value))
            ]
            if hits:
                types = list(dict.fromkeys(kind for _, kind in sorted(hits, key=lambda h: h[0])))
                return EmploymentInfo(types=types, cue=Cue(text=logical.text, line=logical.number))
    return None


def _stated_employment(doc: Document, title: str | None) -> EmploymentInfo | None:
    hits: list[tuple[int, int, EmploymentType, Cue]] = []
    if title and re.search(r"\bintern(?:ship)?s?\b", title, re.IGNORECASE):
        hits.append((0, 0, EmploymentType.INTERNSHIP, Cue(text=title)))
    for logical in doc.lines:
        if doc.kind_of(logical) in (SectionKind.LEGAL, SectionKind.APPLY):
            continue
        if not has_any(logical.lower, _EMPLOYMENT_HINTS):
            continue
        text = logical.text
        for kind, pattern in _EMPLOYMENT_TEXT:
            for match in pattern.finditer(text):
                if _EMPLOYMENT_NEGATION_RE.search(text[max(0, match.start() - 30) : match.start()]):
                    continue  # "not a contract role"
                line = logical.line_at(match.start())
                hits.append((line, match.start(), kind, Cue(text=match.group(0), line=line)))
                break
    if not hits:
        return None
    hits.sort(key=lambda h: (h[0], h[1]))
    types = list(dict.fromkeys(kind for _, _, kind, _ in hits))
    return EmploymentInfo(types=types, cue=hits[0][3])
