"""Gather a profile's skills with evidence, using the shared skill extractor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from careergini.profile.schemas import Skill, SkillEvidence
from careergini.skills.service import extract_skills

# "Languages: Python, C++" - a short label before a colon names a group, not a skill.
_LABEL_RE = re.compile(r"^\s*([A-Za-z][\w &/+-]{0,40}?)\s*[:：]\s+(?=\S)")
# Separators between listed skills, outside parentheses.
_ITEM_SEP_RE = re.compile(r"\s*(?:[,;|•·◦▪]|\s(?:and|&)\s)\s*(?![^()]*\))")
_PAREN_RE = re.compile(r"\s*\([^)]*\)")
_TRAILING_NOISE_RE = re.compile(r"\s+(?:basics?|fundamentals|etc\.?)$|^(?:and|&)\s+", re.I)
_BULLET_RE = re.compile(r"^[\s•◦◆▪‣∙*-]+")
# In running text, a skill followed by one of these names a group of people, not something the
# person did: "the data science team", "our DevOps guild". It is not a claim of the skill.
_GROUP_AFTER_RE = re.compile(
    r"[\s-]*(?:teams?|groups?|departments?|divisions?|units?|labs?|org|organi[sz]ations?|"
    r"guilds?|squads?|chapters?|clubs?|societ(?:y|ies)|communit(?:y|ies)|office|practice)\b",
    re.I,
)


class SkillCollector:
    """Accumulate skill mentions from many places into one list, one Skill per skill."""

    def __init__(self, *, taxonomy: Any = None) -> None:
        self._taxonomy = taxonomy
        self._skills: dict[str, Skill] = {}

    def _add(self, key: str, skill: Skill, evidence: SkillEvidence) -> None:
        existing = self._skills.setdefault(key, skill)
        for seen in existing.evidence:
            if (seen.section, seen.line, seen.start, seen.work_index, seen.project_index) == (
                evidence.section,
                evidence.line,
                evidence.start,
                evidence.work_index,
                evidence.project_index,
            ):
                return
        existing.evidence.append(evidence)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return where the taxonomy finds skills in the text, without recording them."""
        return [(m.start, m.end) for m in extract_skills(text, taxonomy=self._taxonomy)]

    def add_text(
        self,
        text: str,
        *,
        section: str,
        line: int | None = None,
        work_index: int | None = None,
        project_index: int | None = None,
        offset: int = 0,
    ) -> list[str]:
        """Record the taxonomy skills mentioned in running text; return their keys."""
        keys = []
        for mention in extract_skills(text, taxonomy=self._taxonomy):
            if _GROUP_AFTER_RE.match(text, mention.end):
                continue
            key = mention.skill_id
            evidence = SkillEvidence(
                section=section,
                surface=mention.surface,
                line=line,
                start=mention.start + offset if line is not None else None,
                end=mention.end + offset if line is not None else None,
                work_index=work_index,
                project_index=project_index,
            )
            skill = Skill(skill_id=mention.skill_id, name=mention.name, category=mention.category)
            self._add(key, skill, evidence)
            keys.append(key)
        return keys

    def add_listed(
        self, parts: Sequence[tuple[str, int | None]], *, section: str = "skills"
    ) -> None:
        """Record a skills-section item (wrapped lines as parts): known skills and the rest.

        Listed items the taxonomy doesn't know are kept by name: the person said they have them.
        """
        text, origins = _join_parts(parts)
        body_start = 0
        if label := _LABEL_RE.match(text):
            body_start = label.end()
        if bullet := _BULLET_RE.match(text[body_start:]):
            body_start += bullet.end()
        body = unglue_levels(text[body_start:])
        mentions = list(extract_skills(body, taxonomy=self._taxonomy))
        for mention in mentions:
            line, offset = _locate(origins, mention.start + body_start)
            evidence = SkillEvidence(
                section=section,
                surface=mention.surface,
                line=line,
                start=offset,
                end=None if offset is None else offset + len(mention.surface),
            )
            skill = Skill(skill_id=mention.skill_id, name=mention.name, category=mention.category)
            self._add(mention.skill_id, skill, evidence)
        for start, end in _item_spans(body) + _inner_item_spans(body, mentions):
            if any(m.start < end and start < m.end for m in mentions):
                continue
            name = _clean_item(body[start:end])
            if name is None:
                continue
            line, offset = _locate(origins, start + body_start)
            evidence = SkillEvidence(
                section=section,
                surface=body[start:end],
                line=line,
                start=offset,
                end=None if offset is None else offset + (end - start),
            )
            self._add("name:" + name.lower(), Skill(name=name), evidence)

    def skills(self) -> list[Skill]:
        return list(self._skills.values())


def _join_parts(
    parts: Sequence[tuple[str, int | None]],
) -> tuple[str, list[tuple[int, int | None]]]:
    """Join wrapped lines with spaces; remember where each line starts in the joined text."""
    text = ""
    origins: list[tuple[int, int | None]] = []
    for part, line in parts:
        if text:
            text += " "
        origins.append((len(text), line))
        text += part
    return text, origins


def _locate(origins: list[tuple[int, int | None]], position: int) -> tuple[int | None, int | None]:
    """Return the line and the offset in it of a position in the joined text."""
    line, start = None, 0
    for begin, number in origins:
        if begin > position:
            break
        line, start = number, begin
    if line is None:
        return None, None  # structured input (JSON, CSV) has no lines to point at
    return line, position - start


def _item_spans(body: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for match in _ITEM_SEP_RE.finditer(body):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(body)))
    return [(s, e) for s, e in spans if body[s:e].strip()]


def _inner_item_spans(body: str, mentions: Sequence[Any]) -> list[tuple[int, int]]:
    """Return the items listed in parentheses after a known skill: "AWS (S3, Glue, EMR)"."""
    spans = []
    for group in re.finditer(r"\(([^()]{1,200})\)", body):
        if not any(m.end <= group.start() for m in mentions):
            continue
        inner = group.start(1)
        for piece in re.finditer(r"[^,;/]+", group.group(1)):
            left = len(piece.group()) - len(piece.group().lstrip())
            text = piece.group().strip()
            if text:
                spans.append(
                    (inner + piece.start() + left, inner + piece.start() + left + len(text))
                )
    return spans


# What a skills list holds besides skills: a web address ("fb.co/dd", "example.com").
_ADDRESS_RE = re.compile(
    r"^(?:https?://)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|dev|me|info|edu|de|fr|es|it|nl|"
    r"uk|pt|eu|ai|app)(?:/\S*)?$",
    re.IGNORECASE,
)
# "lovely4 narcissistic3": items printed with their level glued on (a skill-scale template).
_LEVELLED_WORD_RE = re.compile(r"[A-Za-z][a-z-]{2,}[0-9](?:\.[0-9])?")


def _clean_item(item: str) -> str | None:
    """Return a listed item's name, or None when it is no skill.

    Not skills: a label ("Over 5000 lines:", "Familiar:"), a group name set in capitals
    ("PROGRAMMING"), a stray letter (the raised "A" of a LaTeX logo), a web address, a footnote
    ("[The skill scale is from 0 ... to 6 (Expert).]") or a sentence.
    """
    if item.rstrip().endswith(":") or re.search(r"[\[\]]|\(\*\)", item):
        return None
    name = _PAREN_RE.sub("", item).strip(" .:;-")
    name = _TRAILING_NOISE_RE.sub("", name).strip(" .:;-")
    words = name.split()
    if not words or len(words) > 5 or len(name) > 40 or not re.search(r"[A-Za-z]", name):
        return None
    if name.endswith(".") or re.search(r"\b(?:I|my|we|our)\b", name):
        return None  # a sentence, not a listed skill
    if (len(name) == 1 and name not in ("R", "C")) or _ADDRESS_RE.match(name):
        return None
    if re.fullmatch(r"[A-Z]{7,}", name):
        return None  # "PROGRAMMING" over the languages it groups
    if name.split()[0] in ("to", "and", "or", "of", "from", "with"):
        return None  # the tail of a wrapped sentence
    return name


def unglue_levels(body: str) -> str:
    """Turn "lovely4 narcissistic3" into "lovely, narcissistic," (same length, same offsets)."""
    words = body.split()
    if len(words) < 2 or not all(_LEVELLED_WORD_RE.fullmatch(w) for w in words):
        return body
    return re.sub(r"(?<=[a-z])[0-9](?:\.[0-9])?(?=\s|$)", lambda m: "," * len(m.group(0)), body)
