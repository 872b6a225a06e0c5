"""The layout line: what every text-bearing format (PDF, DOCX, text) is turned into."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

# Glyphs that start a bullet item; "-" and "*" only count when followed by a space.
BULLET_CHARS = "•◦◆◇▪▫■□●○◉►▶▸▹‣⁃∙·➢➤✓✔❖★☆⦿⚬–—"
_BULLET_RE = re.compile(rf"^\s*(?:[{BULLET_CHARS}]\s*|[-*+]\s+|\(?\d{{1,2}}[.)]\s+)")
_LETTER_SPACED_RE = re.compile(r"^(?:[A-Za-z] ){3,}[A-Za-z]$")


@dataclass(slots=True)
class Line:
    """One visual line: its text pieces (columns within the row) and how it looked."""

    segments: list[str]
    page: int = 0
    x0: float | None = None  # None when the format carries no geometry
    x1: float | None = None
    top: float = 0.0
    size: float = 0.0
    bold: bool = False
    heading_hint: bool = False  # a DOCX heading style or a Markdown "#"
    bullet_hint: bool = False  # a DOCX list paragraph or a Markdown list item
    index: int = 0  # 1-based position in ParseResult.text, set once the order is final
    starts: list[float] = field(default_factory=list)  # each segment's x0, when known

    @property
    def text(self) -> str:
        return "  ".join(self.segments)


@dataclass(slots=True)
class LinkRef:
    """A hyperlink found in the document, with the page and height it sits at."""

    uri: str
    page: int = 0
    top: float = 0.0


def lines_to_text(lines: Sequence[Line]) -> str:
    """Number the lines (``Line.index``, from 1) and return their text, one line per line."""
    for number, line in enumerate(lines, start=1):
        line.index = number
    return "\n".join(line.text for line in lines)


_BROKEN_WORD_RE = re.compile(r"(?<=[a-zà-ÿ]{2})-$")
_WORD_TAIL_RE = re.compile(r"^[a-zà-ÿ]{2,}")


def join_hyphenated(lines: list[Line]) -> list[Line]:
    """Join a line that ends in a word broken by a hyphen ("Com-") with the line after it.

    A hyphen at a line's end means the text runs on, so the two lines are one ("Algorithms,
    Computational Theory"), never a new entry starting "putational". "Front-" over "End" (a
    capital) is kept as written.
    """
    kept: list[Line] = []
    for line in lines:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.segments
            and len(line.segments) == 1
            and previous.page == line.page
            and _BROKEN_WORD_RE.search(previous.segments[-1])
            and _WORD_TAIL_RE.match(line.segments[0])
        ):
            previous.segments[-1] = previous.segments[-1][:-1] + line.segments[0]
            if line.x1 is not None:
                previous.x1 = max(previous.x1 or line.x1, line.x1)
            continue
        kept.append(line)
    return kept


def clean_text(text: str) -> str:
    """Normalise whitespace, ligatures and invisible characters in extracted text."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\(cid:\d+\)", "", text)
    # Icon fonts map glyphs into the private use area; they carry no text.
    text = "".join(ch for ch in text if not ("\ue000" <= ch <= "\uf8ff") and ch != "\u00ad")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def is_bullet(line: Line) -> bool:
    return line.bullet_hint or bool(_BULLET_RE.match(line.segments[0] if line.segments else ""))


def strip_bullet(text: str) -> str:
    return _BULLET_RE.sub("", text, count=1).strip()


def unspace_letters(text: str) -> str:
    """Turn letter-spaced headings ("E X P E R I E N C E") back into words."""
    if _LETTER_SPACED_RE.match(text.strip()):
        return text.replace(" ", "")
    return text


def word_set(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of a long literal as a set."""
    return frozenset(text.split())


# A segment that is only a date range or a place ("2019 - 2021", "Jan 2020 – Present") sits
# beside a title on one row: that is one column with a right-aligned date, not two columns.
_DATE_SEGMENT_RE = re.compile(
    r"^[\s(]*(?:(?:[A-Za-z]{3,9}\.?\s+)?(?:\d{1,2}/)?\d{4}|present|current|now|today)"
    r"(?:\s*[-–—to]+\s*(?:(?:[A-Za-z]{3,9}\.?\s+)?(?:\d{1,2}/)?\d{4}|present|current|now|today))?"
    r"[\s)]*$",
    re.IGNORECASE,
)


_DURATION_RE = re.compile(r"^\d+\s+(?:years?|yrs?|months?|mos?)\b", re.IGNORECASE)
_LABEL_RE = re.compile(r"^(?:\d{1,2}[.)]|[A-Z][A-Za-z]{0,5}\.?)$")  # "1.", "PhD", "BS"


def _metadata(segment: str) -> bool:
    """A date, a duration, a place or a few words set beside a line, not a column of text."""
    text = segment.strip()
    words = text.split()
    return bool(
        _DATE_SEGMENT_RE.match(text)
        or _DURATION_RE.match(text)
        or len(words) <= 3
        or ("," in text and len(words) <= 4)
    )


def _side_by_side(line: Line) -> bool:
    """Two columns of text on one row: the text beside the first part is more than metadata."""
    parts = [p.strip() for p in line.segments if p.strip()]
    if len(parts) < 2 or _LABEL_RE.match(parts[0]) or _DATE_SEGMENT_RE.match(parts[0]):
        return False
    # A label and its list ("Monitoring   Prometheus, Grafana, Nagios") reads right across.
    if len(parts) == 2 and len(parts[0].split()) == 1 and parts[1].count(",") >= 2:
        return False
    return not _metadata(parts[-1])


def column_rows(lines: Sequence[Line], *, min_rows: int = 3) -> int:
    """Return the longest run of rows on one page that hold two columns of text side by side.

    A whole-page column layout and a partial block (a sidebar beside the experience for half a
    page) both show up as a run of such rows; a title with its dates on the right does not.
    Runs shorter than ``min_rows`` count as 0.
    """
    best = run = 0
    page = None
    for line in lines:
        if line.page != page:
            page, run = line.page, 0
        run = run + 1 if _side_by_side(line) else 0
        best = max(best, run)
    return best if best >= min_rows else 0
