"""The skills a JD names, each with its importance (required, preferred, mentioned) and evidence.

The section a mention sits in decides first, then cues in the mention's own clause override it
(see ``clauses``). A skill named in several places takes the most explicit ask: required, else
preferred, else mentioned. Mentions in benefits, how-to-apply and EEO text are not counted.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from careergini.skills.extraction import SkillMention, extract_skills
from careergini.skills.jd.clauses import SECTION_IMPORTANCE, Clause, clauses, importance_at
from careergini.skills.jd.document import Document, LogicalLine
from careergini.skills.jd.schemas import JobSkill, SectionKind, SkillEvidence, SkillImportance
from careergini.skills.jd.sections import BOILERPLATE_RE, NOT_ASKED_SECTIONS
from careergini.skills.taxonomy import Taxonomy

_EVIDENCE_CHARS = 300  # an evidence line longer than this is cut around the mention

# Merging mentions of one skill: an explicit ask (required, then preferred) beats a bare mention,
# so "Kafka" in the intro and under "Nice to have" is preferred.
_IMPORTANCE_RANK = {
    SkillImportance.REQUIRED: 0,
    SkillImportance.PREFERRED: 1,
    SkillImportance.MENTIONED: 2,
}
# Listing: a mentioned skill is asked for, if less firmly than a required one; before preferred.
_LISTING_RANK = {
    SkillImportance.REQUIRED: 0,
    SkillImportance.MENTIONED: 1,
    SkillImportance.PREFERRED: 2,
}


@dataclass(slots=True)
class _Gathered:
    """What the mentions of one skill add up to."""

    order: int  # where the skill is first named
    name: str
    category: str
    importance: SkillImportance
    count: int = 0
    evidence: dict[int, SkillEvidence] = field(default_factory=dict)  # by line

    def add(self, evidence: SkillEvidence) -> None:
        self.count += 1
        importance = evidence.importance
        if _IMPORTANCE_RANK[importance] < _IMPORTANCE_RANK[self.importance]:
            self.importance = importance
        seen = self.evidence.get(evidence.line)
        if seen is None or _IMPORTANCE_RANK[importance] < _IMPORTANCE_RANK[seen.importance]:
            self.evidence[evidence.line] = evidence


class _Reader:
    """The JD as one text for the extractor, with each mention traced back to its item."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # The JD's blank lines are kept: the extractor reads list context from them.
        self.starts: list[int] = []
        chunks: list[str] = []
        position = 0
        for logical in doc.lines:
            if logical.blank_before and chunks:
                chunks.append("")
                position += 1
            self.starts.append(position)
            chunks.append(logical.text)
            position += len(logical.text) + 1
        self.text = "\n".join(chunks)
        self._clauses: dict[int, list[Clause]] = {}

    def evidence(self, mention: SkillMention) -> SkillEvidence | None:
        """Return where a mention sits and how firmly it is asked; None where it doesn't count."""
        index = bisect.bisect_right(self.starts, mention.start) - 1
        if index < 0:
            return None
        logical = self.doc.lines[index]
        kind = self.doc.kind_of(logical)
        if kind in NOT_ASKED_SECTIONS:
            return None
        offset = mention.start - self.starts[index]
        if BOILERPLATE_RE.search(_sentence_at(logical.text, offset)):
            return None
        line = logical.line_at(offset)
        return SkillEvidence(
            line=line,
            text=_evidence_text(logical.text, offset),
            surface=mention.surface,
            section=kind,
            importance=self._importance(index, logical, offset, kind),
        )

    def _importance(
        self, index: int, logical: LogicalLine, offset: int, kind: SectionKind
    ) -> SkillImportance:
        if logical.heading is not None and not logical.heading.rest and logical.heading.kind:
            return SECTION_IMPORTANCE.get(kind, SkillImportance.MENTIONED)
        if index not in self._clauses:
            self._clauses[index] = clauses(logical.text)
        return importance_at(self._clauses[index], offset, kind)


def find_skills(doc: Document, taxonomy: Taxonomy | None) -> list[JobSkill]:
    """Return the skills the JD names: required first, then mentioned, then preferred."""
    reader = _Reader(doc)
    gathered: dict[str, _Gathered] = {}
    for mention in extract_skills(reader.text, taxonomy):
        evidence = reader.evidence(mention)
        if evidence is None:
            continue
        entry = gathered.setdefault(
            mention.skill_id,
            _Gathered(mention.start, mention.name, mention.category, evidence.importance),
        )
        entry.add(evidence)
    skills = [
        JobSkill(
            skill_id=skill_id,
            name=entry.name,
            category=entry.category,
            importance=entry.importance,
            count=entry.count,
            evidence=sorted(entry.evidence.values(), key=lambda e: e.line),
        )
        for skill_id, entry in gathered.items()
    ]
    skills.sort(key=lambda s: (_LISTING_RANK[s.importance], gathered[s.skill_id].order, s.skill_id))
    return skills


def _sentence_at(text: str, offset: int) -> str:
    """Return the sentence of a line that holds this offset."""
    begin = max(text.rfind(". ", 0, offset), text.rfind("; ", 0, offset))
    end_candidates = [i for i in (text.find(". ", offset), text.find("; ", offset)) if i >= 0]
    return text[begin + 1 : min(end_candidates) if end_candidates else len(text)]


def _evidence_text(text: str, start: int) -> str:
    if len(text) <= _EVIDENCE_CHARS:
        return text
    left = max(0, start - _EVIDENCE_CHARS // 2)
    window = text[left : left + _EVIDENCE_CHARS]
    return (
        ("…" if left else "") + window.strip() + ("…" if left + _EVIDENCE_CHARS < len(text) else "")
    )
