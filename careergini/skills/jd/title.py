"""Find the job title: a "Title:" label, the first line, or "we are looking for a ... engineer"."""

from __future__ import annotations

import re

from careergini.skills.jd.document import Document, LogicalLine, PhysicalLine
from careergini.skills.jd.schemas import Cue
from careergini.skills.jd.words import ROLE_NOUN_RE, ROLE_NOUNS

_TITLE_LABEL_RE = re.compile(
    r"^(?:job\s+title|position\s+title|position|role|title|job\s+description|job\s+posting|"
    r"vacancy|opening|jd|job)\s*[:\-–—]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_STRONG_TITLE_LABEL_RE = re.compile(
    r"^(?:job\s+title|title|role\s+title)\s*[:\-–—]\s*(?P<value>.+)$", re.IGNORECASE
)
_HIRING_TITLE_RE = re.compile(
    r"\b(?:looking\s+for|hiring|seeking|searching\s+for|recruiting|in\s+search\s+of)\s+"
    r"(?:an?\s+|the\s+|our\s+(?:next\s+|new\s+|first\s+)?|one\s+)?"
    r"(?:(?:talented|experienced|skilled|outstanding|motivated|passionate|seasoned|exceptional|"
    r"incredible|strong|great|dedicated|highly[- ]motivated|driven|creative|brilliant|"
    r"enthusiastic|curious|proactive|detail[- ]oriented)\s*,?\s+(?:and\s+)?)*"
    rf"(?P<title>(?:[\w/+#.&-]+\s+){{0,5}}?(?:{ROLE_NOUNS})\b(?:\s+(?:I{{1,3}}|IV|[1-4]))?)",
    re.IGNORECASE,
)
_TITLE_STOPWORDS_RE = re.compile(
    r"\b(?:to|for|who|that|which|with|will|can|and\s+a|is|are|you|we|our|your)\b", re.IGNORECASE
)
_TITLE_YEARS_RE = re.compile(r"\s*\((?:[^)]*\b(?:years?|yrs)\b[^)]*)(?:\)|$)", re.IGNORECASE)
_LOOKS_LIKE_SENTENCE_RE = re.compile(
    r"^(?:we|our|you|the|this|as|at|in|join|are|do|if)\b", re.IGNORECASE
)


def _dedupe_repeat(text: str) -> str:
    """Undo a title pasted twice ("Director, Cloud" + "Director, Cloud")."""
    half = len(text) // 2
    if len(text) % 2 == 0 and half > 3 and text[:half] == text[half:]:
        return text[:half]
    return text


def tidy_title(text: str) -> str:
    """Return a title without a label, a years note or a doubled paste."""
    text = _dedupe_repeat(text.strip())
    text = _TITLE_YEARS_RE.sub("", text)
    text = re.sub(r"^(?:job\s+description|job\s+title|position)\s*[:\-–—]\s*", "", text, flags=re.I)
    return text.strip(" -–—:|,.")


def _looks_like_title(text: str) -> bool:
    text = tidy_title(text)
    words = text.split()
    if not 1 <= len(words) <= 10 or text.endswith((".", "!", "?")):
        return False
    if _LOOKS_LIKE_SENTENCE_RE.match(text) or ":" in text:
        return False
    return bool(ROLE_NOUN_RE.search(text))


def find_title(doc: Document) -> tuple[str | None, Cue | None]:
    """Return the title and the words it was read from; (None, None) when there is none."""
    first = doc.first_lines
    found = (
        _labelled_title(first, _STRONG_TITLE_LABEL_RE)
        or _opening_title(first[:3])
        or _labelled_title(first, _TITLE_LABEL_RE)
        or _hiring_title(doc.lines[:12])
    )
    return found if found is not None else (None, None)


def _labelled_title(lines: list[PhysicalLine], label_re: re.Pattern[str]) -> tuple[str, Cue] | None:
    """Return the first "Job title: ..." whose value looks like a title."""
    for line in lines:
        label = label_re.match(line.text)
        if label and _looks_like_title(label.group("value")):
            return tidy_title(label.group("value")), Cue(text=line.text, line=line.number)
    return None


def _opening_title(lines: list[PhysicalLine]) -> tuple[str, Cue] | None:
    """Return the title when the first content line is one (bare or labelled)."""
    for line in lines:
        if line.heading is not None and line.heading.kind is not None and not line.heading.rest:
            continue
        label = _TITLE_LABEL_RE.match(line.text)
        if label and _looks_like_title(label.group("value")):
            return tidy_title(label.group("value")), Cue(text=line.text, line=line.number)
        if _looks_like_title(line.text):
            return tidy_title(line.text), Cue(text=line.text, line=line.number)
        break  # only the very first content line may be a bare title
    return None


def _hiring_title(lines: list[LogicalLine]) -> tuple[str, Cue] | None:
    """Return the role of "we are hiring a Senior Data Engineer"."""
    for logical in lines:
        for match in _HIRING_TITLE_RE.finditer(logical.text):
            title = match.group("title").strip()
            if _TITLE_STOPWORDS_RE.search(title):
                continue
            if title.islower():
                title = " ".join(w if w.isupper() else w.capitalize() for w in title.split())
            line = logical.line_at(match.start("title"))
            return title, Cue(text=match.group(0), line=line)
    return None
