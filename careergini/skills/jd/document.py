"""Read a JD's text into lines, items and sections.

A physical line is one line of the input; a logical line is one item or paragraph (wrapped
physical lines joined, with where each piece came from), in the section its heading opened.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from careergini.skills.jd.schemas import SectionKind
from careergini.skills.jd.sections import Heading, detect_heading
from careergini.skills.jd.words import words

HEADER_LINES = 8  # title, company and place are read from the first lines only

_BULLET_RE = re.compile(
    r"^\s*(?:[•◦◆◇▪▫■□●○◉►▶▸▹‣⁃∙·➢➤✓✔❖★☆⦿–—]|[-*+](?=\s)|\d{1,2}[.)](?=\s)|\(?[a-zA-Z]\)(?=\s))\s*"
)
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TERMINAL_PUNCT = (".", "!", "?", ":")
_CONNECTOR_END_RE = re.compile(
    r"(?:[,/&(-]|\b(?:and|or|of|the|a|an|to|in|with|for|on|by|as|at|from|including|like|"
    r"such as|via|into|using|across|between|our|your|their|its|is|are|be|will|that|which))$",
    re.IGNORECASE,
)
# A word broken at a line end whose hyphen is part of the compound ("low-" + "latency").
_HYPHEN_PREFIXES = frozenset(
    words(
        "low high well self full real cross multi non co end front back open event data "
        "test user client server cloud object cutting fast long short team customer "
        "mission cost time"
    )
)


@dataclass(slots=True)
class PhysicalLine:
    """One non-blank line of the input, cleaned."""

    number: int  # 1-based line of the input text
    text: str  # cleaned, without its bullet mark
    bullet: bool
    blank_before: bool
    heading: Heading | None = None


@dataclass(slots=True)
class LogicalLine:
    """One item or paragraph: wrapped physical lines joined, with where each piece came from."""

    text: str
    pieces: list[tuple[int, int]]  # (offset in text, physical line number)
    bullet: bool
    section: int = 0
    heading: Heading | None = None
    body_start: int = 0  # where the content starts after an inline "Heading:"
    blank_before: bool = False
    lower: str = ""  # the text lowercased, for cheap keyword checks before a regex runs

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def number(self) -> int:
        return self.pieces[0][1]

    def line_at(self, offset: int) -> int:
        index = bisect.bisect_right([p[0] for p in self.pieces], offset) - 1
        return self.pieces[max(index, 0)][1]


@dataclass(slots=True)
class Section:
    """A run of lines under one heading (the intro has none)."""

    kind: SectionKind
    heading: str | None
    start_line: int
    end_line: int
    job_specific: bool = False


@dataclass(slots=True)
class Document:
    """A JD as items in sections, with its first lines kept for the title and the place."""

    lines: list[LogicalLine]
    sections: list[Section]
    first_lines: list[PhysicalLine] = field(default_factory=list)

    def kind_of(self, line: LogicalLine) -> SectionKind:
        """Return the kind of the section a logical line sits in."""
        return self.sections[line.section].kind


def clean(text: str) -> str:
    """Return a line with Unicode, Markdown emphasis and spacing normalised."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE_RE.sub("", text)
    text = _MD_EMPHASIS_RE.sub(r"\2", text)
    text = text.replace("`", "")
    return _SPACES_RE.sub(" ", text).strip()


def read_lines(text: str) -> list[PhysicalLine]:
    """Return the non-blank lines of a text, cleaned, with bullets and headings noted."""
    lines: list[PhysicalLine] = []
    blank = False
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        markdown_heading = bool(_MD_HEADING_RE.match(raw))
        cleaned = clean(_MD_HEADING_RE.sub("", raw))
        bullet_match = _BULLET_RE.match(cleaned) if not markdown_heading else None
        if bullet_match:
            cleaned = cleaned[bullet_match.end() :].strip()
        if not re.search(r"\w", cleaned):
            blank = True
            continue
        line = PhysicalLine(number, cleaned, bool(bullet_match), blank or not lines)
        line.heading = detect_heading(cleaned, bullet=line.bullet, marked=markdown_heading)
        lines.append(line)
        blank = False
    return lines


_LABEL_LINE_RE = re.compile(r"^[A-Z][\w'’ /&()-]{0,40}:\s*\S")


def _continues(previous: LogicalLine, line: PhysicalLine, *, wrapped_text: bool) -> bool:
    """Tell whether a physical line carries on the logical line before it (a wrapped line)."""
    if line.bullet or line.blank_before or (line.heading is not None and line.heading.kind):
        return False
    prev = previous.text
    if prev.endswith(_TERMINAL_PUNCT):
        return False
    first = line.text[0]
    if first.islower() or first in "(&":
        return True
    if _CONNECTOR_END_RE.search(prev[-30:]):
        return True
    if _LABEL_LINE_RE.match(line.text):
        return False  # "Job Type: Full-time" starts afresh
    # Hard-wrapped paragraphs, where blank lines part the paragraphs, not line ends.
    return wrapped_text and len(prev) - previous.pieces[-1][0] >= 60


def _join(previous: LogicalLine, line: PhysicalLine) -> None:
    prev = previous.text
    word = re.search(r"([A-Za-z]+)-$", prev)
    if word and line.text[0].islower():
        keep = word.group(1).lower() in _HYPHEN_PREFIXES
        joined = prev if keep else prev[:-1]
    else:
        joined = prev + " "
    previous.pieces.append((len(joined), line.number))
    previous.text = joined + line.text


def build_document(physical: list[PhysicalLine]) -> Document:
    """Join wrapped lines into items and group the items into sections."""
    wrapped_text = any(p.blank_before for p in physical[1:])
    logical: list[LogicalLine] = []
    sections = [Section(SectionKind.INTRO, None, physical[0].number, physical[0].number)]
    for line in physical:
        heading = line.heading
        if heading is not None and heading.kind is not None:
            sections[-1].end_line = max(sections[-1].start_line, line.number - 1)
            if len(sections) == 1 and not logical:
                sections.clear()
            sections.append(
                Section(heading.kind, heading.text, line.number, line.number, heading.job_specific)
            )
            item = LogicalLine(line.text, [(0, line.number)], False, len(sections) - 1, heading)
            # "Requirements: 4+ years of Python": the first item is what follows the colon.
            item.body_start = len(line.text) - len(heading.rest) if heading.rest else 0
            item.blank_before = line.blank_before
            logical.append(item)
            continue
        previous = logical[-1] if logical else None
        if (
            previous is not None
            and (previous.heading is None or previous.heading.rest)
            and _continues(previous, line, wrapped_text=wrapped_text)
        ):
            _join(previous, line)
        else:
            item = LogicalLine(line.text, [(0, line.number)], line.bullet, len(sections) - 1)
            item.heading = heading  # a label such as "Work Remotely:", or None
            item.blank_before = line.blank_before
            logical.append(item)
        sections[-1].end_line = line.number
    for item in logical:
        item.lower = item.text.lower()
    return Document(lines=logical, sections=sections, first_lines=physical[:HEADER_LINES])
