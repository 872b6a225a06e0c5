"""Clauses of an item and the cues in them that make a skill required or preferred.

The section decides first (a requirements heading -> required, a nice-to-have heading ->
preferred, elsewhere -> mentioned); a cue in the mention's own clause or parentheses overrides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from careergini.skills.jd.schemas import SectionKind, SkillImportance

# Where requirement wording in a clause ("experience with X") makes X required.
_PROMOTING_SECTIONS = frozenset(
    {SectionKind.INTRO, SectionKind.OTHER, SectionKind.RESPONSIBILITIES}
)
SECTION_IMPORTANCE = {
    SectionKind.REQUIREMENTS: SkillImportance.REQUIRED,
    SectionKind.PREFERRED: SkillImportance.PREFERRED,
}

SENTENCE_SPLIT_RE = re.compile(
    r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<!\bSr\.)(?<!\bJr\.)"
    r"\s+(?=[A-Z(\"'])|\s*;\s*"
)
_PREFERRED_CUE_RE = re.compile(
    r"\b(?:preferred|preferably|(?:is|are|would be|will be|as)?\s*an? (?:big |huge )?plus|"
    r"nice[- ]to[- ]have|good[- ]to[- ]have|bonus(?: points)?|desirable|advantageous|"
    r"(?:is |would be )?an advantage|ideally|would be (?:great|nice|helpful|beneficial)|"
    r"an asset|is helpful|not (?:required|mandatory|essential|a must)|appreciated|"
    r"optional|extra credit|even better)\b",
    re.IGNORECASE,
)
_REQUIRED_CUE_RE = re.compile(
    r"\((?:required|mandatory|must|must have|essential)\)|"
    r"\b(?:is|are)\s+(?:required|mandatory|essential|a must)\b|"
    r"\brequired\s*[.!]?\s*$|\bmust[- ]haves?\b|"
    r"\bmust (?:have|know|possess|be (?:proficient|familiar|fluent|experienced|able|skilled))\b|"
    r"^\s*(?:required|mandatory)\b",
    re.IGNORECASE,
)
_NOT_REQUIRED_RE = re.compile(r"\bnot (?:required|mandatory|essential|a must)\b", re.IGNORECASE)
_REQUIREMENT_WORDING_RE = re.compile(
    r"\b(?:(?:experience|exp)\s+(?:with|in|using|of|on|building|developing|working|writing|"
    r"designing|deploying|running)|"
    r"(?:knowledge|understanding|proficiency|familiarity|expertise|command|mastery|grasp|"
    r"fluency)\s+(?:of|in|with|on|over)|"
    r"(?:proficient|experienced|skilled|fluent|versed|familiar|comfortable)\s+(?:in|with|using)|"
    r"hands[- ]on\s+experience|\d+\s*\+?\s*(?:years?|yrs)|must\s+(?:have|know|be)|"
    r"(?:you|candidates?)\s+(?:have|know|bring|should have|must have)|should\s+(?:have|know))\b",
    re.IGNORECASE,
)
_PAREN_RE = re.compile(r"\(([^()]{1,200})\)")


@dataclass(slots=True)
class Clause:
    """One sentence or ";"-part of an item, with the cues it holds."""

    start: int
    end: int
    preferred: bool
    required: bool
    requirement_wording: bool
    parens: list[tuple[int, int, bool, bool]]  # (start, end, preferred, required) of (...)


def clauses(text: str) -> list[Clause]:
    """Cut an item into clauses (sentences, ";"-parts) and read the cues of each."""
    found = []
    position = 0
    bounds = [(m.start(), m.end()) for m in SENTENCE_SPLIT_RE.finditer(text)]
    for split_start, split_end in [*bounds, (len(text), len(text))]:
        if split_start > position:
            found.append(_make_clause(text, position, split_start))
        position = split_end
    return found


def clause_at(found: list[Clause], offset: int) -> Clause | None:
    """Return the clause holding this offset, if any."""
    return next((c for c in found if c.start <= offset < c.end), None)


def _make_clause(text: str, start: int, end: int) -> Clause:
    body = text[start:end]
    parens = []
    outside = body
    for match in _PAREN_RE.finditer(body):
        inner = match.group(1)
        preferred = bool(_PREFERRED_CUE_RE.search(inner))
        required = bool(_REQUIRED_CUE_RE.search(f"({inner})")) and not preferred
        words = re.sub(_PREFERRED_CUE_RE, "", inner)
        words = re.sub(r"\b(?:required|mandatory|must|essential)\b", "", words, flags=re.I)
        if (preferred or required) and re.search(r"\w{2,}", words):
            # "(MBA preferred)": the cue is about what the parentheses name, not the clause.
            parens.append((start + match.start(), start + match.end(), preferred, required))
            outside = outside.replace(match.group(0), " " * len(match.group(0)), 1)
    preferred = bool(_PREFERRED_CUE_RE.search(outside))
    required = not preferred and bool(_REQUIRED_CUE_RE.search(outside.rstrip()))
    if _NOT_REQUIRED_RE.search(outside):
        preferred, required = True, False
    wording = bool(_REQUIREMENT_WORDING_RE.search(outside))
    return Clause(start, end, preferred, required, wording, parens)


def importance_at(found: list[Clause], offset: int, kind: SectionKind) -> SkillImportance:
    """Return the importance of a mention at this offset of a logical line in this section."""
    base = SECTION_IMPORTANCE.get(kind, SkillImportance.MENTIONED)
    clause = clause_at(found, offset)
    if clause is None:
        return base
    for start, end, preferred, required in clause.parens:
        if start <= offset < end:
            if preferred:
                return SkillImportance.PREFERRED
            if required:
                return SkillImportance.REQUIRED
    if clause.preferred:
        return SkillImportance.PREFERRED
    if clause.required:
        return SkillImportance.REQUIRED
    if kind in _PROMOTING_SECTIONS and clause.requirement_wording:
        return SkillImportance.REQUIRED
    return base
