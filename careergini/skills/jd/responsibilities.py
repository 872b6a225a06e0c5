"""Read the duties: the items under a duties heading, else the "You will ..." sentences."""

from __future__ import annotations

import re

from careergini.skills.jd.clauses import SENTENCE_SPLIT_RE
from careergini.skills.jd.document import Document, LogicalLine
from careergini.skills.jd.schemas import SectionKind
from careergini.skills.jd.sections import UNCOUNTED_SECTIONS

_YOU_WILL_RE = re.compile(r"^(?:you\s+will|you['’]ll|you\s+would)\s+(?!be\s+(?:a|an|the)\b)", re.I)
_PROSE_ITEM_RE = re.compile(
    r"^(?:we|we['’]re|our|this\s+is|this\s+role\s+is|the\s+(?:team|company)|it\s+is|they)\b",
    re.IGNORECASE,
)


def find_responsibilities(doc: Document) -> list[str]:
    """Return the duties of the job, each once, in the order the JD lists them."""
    items: list[str] = []
    has_section = any(s.kind is SectionKind.RESPONSIBILITIES for s in doc.sections)
    for logical in doc.lines:
        kind = doc.kind_of(logical)
        if has_section:
            if kind is SectionKind.RESPONSIBILITIES:
                items.extend(_listed_duties(logical))
        elif kind not in UNCOUNTED_SECTIONS:
            # No duties heading: the "You will ..." sentences are the duties.
            items.extend(_you_will_duties(logical))
    return list(dict.fromkeys(items))


def _listed_duties(logical: LogicalLine) -> list[str]:
    """Return the duties of one item under a duties heading."""
    if logical.heading is not None and not logical.heading.rest:
        return []
    if logical.text.endswith(":"):
        return []  # a sub-heading inside the duties ("Improving constantly:")
    if _PROSE_ITEM_RE.match(logical.body):
        return []  # "We are looking to bring into our fold...": about the role, not a duty
    parts = [logical.body]
    if not logical.bullet and ";" in logical.body:
        parts = logical.body.split(";")
    return [_capitalised(item) for part in parts if (item := _tidy_item(part))]


def _you_will_duties(logical: LogicalLine) -> list[str]:
    duties = []
    for clause in SENTENCE_SPLIT_RE.split(logical.text):
        clause = clause.strip() if clause else ""
        if match := _YOU_WILL_RE.match(clause):
            item = _tidy_item(clause[match.end() :]).rstrip(".")
            if item:
                duties.append(_capitalised(item))
    return duties


def _tidy_item(text: str) -> str:
    return text.strip().strip(";,").strip()


def _capitalised(item: str) -> str:
    return item[0].upper() + item[1:]
