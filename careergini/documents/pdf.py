"""Read a PDF's text layer into layout lines, reading two-column pages column by column."""

from __future__ import annotations

import io
import logging
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTImage
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfplumber.utils.exceptions import PdfminerException

from careergini.documents import pdfium
from careergini.documents.errors import (
    DocumentTooLarge,
    EncryptedDocument,
    ScannedDocument,
    UnreadableDocument,
)
from careergini.documents.layout import BULLET_CHARS, Line, LinkRef, clean_text
from careergini.documents.textpredicates import is_date_only, is_duration, is_location

logger = logging.getLogger(__name__)

MAX_PAGES = 12  # a resume is a few pages; past this we stop reading and say so
MAX_STREAM_BYTES = 16 * 1024 * 1024
MAX_INFLATED_BYTES = 128 * 1024 * 1024
# Keys that lead away from the page's own resources (up the page tree, into annotations).
_SKIP_KEYS = frozenset({"Parent", "P", "Annots", "StructParents", "B", "Thumb", "Metadata"})
_ICON_FONT_RE = re.compile(r"awesome|icons?\b|symbol|dingbat|wingding|material|glyph", re.I)
_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi|BX\d*$", re.I)
_PAGE_NUMBER_RE = re.compile(
    r"(?:\bpage\s*)?\b\d{1,2}\s*(?:/|of)\s*\d{1,2}\b|^\s*-?\s*\d{1,2}\s*-?\s*$", re.I
)
_SCANNED_MESSAGE = (
    "This PDF has no text layer: it looks like a scanned image, so there is nothing to read. "
    "Upload the DOCX, or a PDF exported with text from your editor (File > Save as PDF)."
)


@dataclass(slots=True)
class _Segment:
    text: str
    x0: float
    x1: float
    size: float
    bold: bool


@dataclass(slots=True)
class _PdfLine:
    segments: list[_Segment]
    top: float
    bottom: float
    page: int
    words: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def x0(self) -> float:
        return self.segments[0].x0


@dataclass(slots=True)
class PdfText:
    lines: list[Line]
    links: list[LinkRef]
    pages: int
    warnings: list[str]


def read_pdf(data: bytes) -> PdfText:
    """Return the PDF's lines in reading order, its links, and what we noticed on the way."""
    if b"%%EOF" not in data[-32 * 1024 :]:
        raise UnreadableDocument("The PDF is truncated: its end is missing. Upload it again.")
    warnings: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(_encrypted_message()) from exc
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedDocument(_encrypted_message()) from exc
        raise UnreadableDocument("The PDF is damaged and cannot be read.") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        raise UnreadableDocument("The PDF is damaged and cannot be read.") from exc

    with pdf:
        try:
            page_count = len(pdf.pages)
            _check_stream_sizes(pdf.pages[:MAX_PAGES])
            if getattr(pdf.doc, "encryption", None):
                warnings.append("pdf_encrypted_without_password")
            with pdfium.open_document(data) as document:
                raw_lines, links, images = _read_pages(pdf, document, warnings)
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise EncryptedDocument(_encrypted_message()) from exc
        except DocumentTooLarge:
            raise
        except Exception as exc:
            logger.info("pdf extraction failed", exc_info=True)
            raise UnreadableDocument("The PDF is damaged and cannot be read.") from exc

    if not any(ln.text.strip() for ln in raw_lines):
        raise ScannedDocument(_SCANNED_MESSAGE)
    text_chars = sum(len(ln.text) for ln in raw_lines)
    if images and text_chars < 100:  # a scan with a stray page number or OCR-less stamp
        raise ScannedDocument(_SCANNED_MESSAGE)
    return PdfText(lines=_to_lines(raw_lines), links=links, pages=page_count, warnings=warnings)


def _check_stream_sizes(pages: list[Any]) -> None:
    """Refuse a PDF whose streams would inflate past the limit (a "PDF bomb").

    pdfminer inflates a stream whole. The streams the pages use (contents, fonts, forms) are
    inflated here first with a cap, and the result is handed to pdfminer so it isn't redone.
    """
    total = 0
    seen: set[int] = set()
    pending: list[tuple[Any, int]] = [
        (page.page_obj.attrs.get(key), 0) for page in pages for key in ("Contents", "Resources")
    ]
    while pending:
        item, depth = pending.pop()
        item = resolve1(item)
        if depth > 8 or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            pending.extend((v, depth + 1) for k, v in item.items() if k not in _SKIP_KEYS)
        elif isinstance(item, list):
            pending.extend((v, depth + 1) for v in item)
        elif isinstance(item, PDFStream):
            pending.extend((v, depth + 1) for k, v in item.attrs.items() if k not in _SKIP_KEYS)
            total += _inflate_capped(item)
            if total > MAX_INFLATED_BYTES:
                raise DocumentTooLarge("The PDF expands to far more data than a resume holds.")


def _inflate_capped(stream: PDFStream) -> int:
    """Inflate a Flate stream up to the cap; return its size, or raise if it is bigger."""
    if stream.rawdata is None:
        return len(stream.data or b"")
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(stream.rawdata)
    data = stream.rawdata
    if stream.decipher is not None and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    inflater = zlib.decompressobj()
    chunks: list[bytes] = []
    size = 0
    try:
        # In slices, so memory stays near the cap however far the stream would expand.
        while data:
            chunk = inflater.decompress(data, 1024 * 1024)
            size += len(chunk)
            if size > MAX_STREAM_BYTES:
                raise DocumentTooLarge("The PDF holds a stream that expands past the size limit.")
            chunks.append(chunk)
            data = inflater.unconsumed_tail
            if not chunk and not data:
                break
        chunks.append(inflater.flush())
    except zlib.error:
        return 0  # pdfminer will report (or skip) the broken stream itself
    if len(filters) == 1 and not filters[0][1]:
        stream.data, stream.rawdata = b"".join(chunks), None
    return size


def _encrypted_message() -> str:
    return (
        "This PDF is password-protected. Remove the password (print or export it to a new PDF) "
        "and upload it again."
    )


def _read_pages(
    pdf: pdfplumber.PDF, document: Any, warnings: list[str]
) -> tuple[list[_PdfLine], list[LinkRef], int]:
    lines: list[_PdfLine] = []
    links: list[LinkRef] = []
    images = 0
    two_column = False
    for number, page in enumerate(pdf.pages):
        if number >= MAX_PAGES:
            warnings.append(f"pages_skipped: read the first {MAX_PAGES} pages only")
            break
        chars, page_images, page_links = _page_content(page, document, number)
        images += page_images
        links.extend(LinkRef(uri=uri, page=number, top=top) for uri, top in page_links)
        page_lines = _group_lines(_words(chars), number)
        page_lines = _drop_margins(page_lines, float(page.height))
        ordered, split = _reading_order(page_lines, float(page.width))
        two_column = two_column or split
        lines.extend(ordered)
    lines = _drop_repeated(lines)
    if two_column:
        warnings.append(
            "two_column_layout: The resume is laid out in columns; each column was read in "
            "turn. Check that your name, dates and bullets came through."
        )
    return lines, links, images


def _page_content(
    page: pdfplumber.page.Page, document: Any, number: int
) -> tuple[list[dict], int, list[tuple[str, float]]]:
    """Return the page's characters, image count and links: PDFium first, else pdfminer."""
    if document is not None:
        try:
            read = pdfium.read_page(
                document,
                number,
                mb_x0=float(page.mediabox[0]),
                mb_y0=float(page.mediabox[1]),
                height=float(page.height),
            )
        except pdfium.NeedsFallback:
            pass
        else:
            return read.chars, read.images, read.links
    links = [(link["uri"], float(link["top"])) for link in page.hyperlinks if link.get("uri")]
    chars, images = _page_chars(page)
    return chars, images, links


def _page_chars(page: pdfplumber.page.Page) -> tuple[list[dict], int]:
    """Return the page's upright characters and its image count.

    Reads pdfminer's layout objects directly: pdfplumber's per-character dictionaries resolve
    every graphics attribute, which costs more than the rest of the parse together.
    """
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[dict] = []
    images = 0
    stack: list[Any] = list(page.layout)
    while stack:
        item = stack.pop()
        if isinstance(item, LTChar):
            if not item.upright:
                continue  # rotated text (a vertical sidebar label) would scramble the lines
            chars.append(
                {
                    "text": item.get_text(),
                    "x0": item.x0 + mb_x0,
                    "x1": item.x1 + mb_x0,
                    "top": height - item.y1 + mb_top,
                    "bottom": height - item.y0 + mb_top,
                    "size": item.size,
                    "fontname": item.fontname if isinstance(item.fontname, str) else "",
                }
            )
        elif isinstance(item, LTImage):
            images += 1
        elif isinstance(item, LTContainer):
            stack.extend(item)
    return chars, images


def _words(chars: list[dict]) -> list[dict]:
    """Join characters into words: same baseline, no space and no gap between them."""
    chars.sort(key=lambda c: (round(c["bottom"]), c["x0"]))
    words: list[dict] = []
    current: dict | None = None
    for char in chars:
        text = char["text"]
        if current is not None:
            same_line = abs(char["bottom"] - current["bottom"]) <= 0.35 * min(
                char["size"], current["size"]
            )
            gap = char["x0"] - current["x1"]
            if same_line and -0.5 * char["size"] < gap <= 1.5 and not text.isspace():
                if text == current["text"][-1:] and abs(char["x0"] - current["last_x0"]) < 0.5:
                    continue  # the same glyph printed twice to fake bold
                current["text"] += text
                current["x1"] = max(current["x1"], char["x1"])
                current["last_x0"] = char["x0"]
                current["top"] = min(current["top"], char["top"])
                continue
        if text.isspace():
            current = None
            continue
        current = dict(char, last_x0=char["x0"])
        words.append(current)
    return words


def _keep_word(word: dict) -> bool:
    text = clean_text(word["text"])
    if not text:
        return False
    # Icon fonts draw phone, mail and brand glyphs as letters ("I", "#", "§"); drop them.
    return not (
        _ICON_FONT_RE.search(word.get("fontname", ""))
        and len(text) <= 2
        and text not in BULLET_CHARS
    )


def _group_lines(words: list[dict], page: int) -> list[_PdfLine]:
    kept = [w for w in words if _keep_word(w)]
    kept.sort(key=lambda w: (round(w["bottom"], 1), w["x0"]))
    rows: list[list[dict]] = []
    for word in kept:
        size = float(word.get("size") or 10)
        for row in reversed(rows[-3:]):
            anchor = row[0]
            tolerance = 0.35 * min(size, float(anchor.get("size") or 10))
            if abs(anchor["bottom"] - word["bottom"]) <= tolerance:
                row.append(word)
                break
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segments = _segments(row)
        if segments:
            lines.append(
                _PdfLine(
                    segments=segments,
                    top=min(w["top"] for w in row),
                    bottom=max(w["bottom"] for w in row),
                    page=page,
                    words=row,
                )
            )
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _segments(row: list[dict]) -> list[_Segment]:
    """Split a row of words where the gap is wider than any gap between words of one column."""
    gaps = [b["x0"] - a["x1"] for a, b in pairwise(row)]
    positive = [g for g in gaps if g > 0.5]
    typical = statistics.median(positive) if positive else 3.0
    groups: list[list[dict]] = [[row[0]]]
    for gap, word in zip(gaps, row[1:], strict=False):
        size = float(word.get("size") or 10)
        after_bullet = len(groups[-1]) == 1 and groups[-1][0]["text"] in BULLET_CHARS
        if not after_bullet and (gap >= 0.8 * size or (gap >= 0.5 * size and gap >= 2.0 * typical)):
            groups.append([word])
        else:
            groups[-1].append(word)
    segments = []
    for group in groups:
        parts = [group[0]["text"]]
        for before, word in pairwise(group):
            # Accents drawn as separate glyphs overlap their letter: no space between them.
            close = word["x0"] - before["x1"] < 0.1 * float(word.get("size") or 10)
            parts.append(word["text"] if close else " " + word["text"])
        text = clean_text("".join(parts))
        text = re.sub(r"\s+([,.;:])", r"\1", text)
        if not text:
            continue
        sizes = [float(w.get("size") or 0) for w in group]
        bold = sum(len(w["text"]) for w in group if _BOLD_FONT_RE.search(w.get("fontname", "")))
        segments.append(
            _Segment(
                text=text,
                x0=float(group[0]["x0"]),
                x1=float(group[-1]["x1"]),
                size=max(sizes),
                bold=bold * 2 > sum(len(w["text"]) for w in group),
            )
        )
    return segments


def _drop_margins(lines: list[_PdfLine], height: float) -> list[_PdfLine]:
    """Drop page numbers and running footers ("John Doe – 1/2") in the page margins."""
    kept = []
    for line in lines:
        in_margin = line.top > height * 0.92 or line.bottom < height * 0.06
        if in_margin and _PAGE_NUMBER_RE.search(line.text) and len(line.text.split()) <= 6:
            continue
        kept.append(line)
    return kept


def _drop_repeated(lines: list[_PdfLine]) -> list[_PdfLine]:
    """Drop running headers and footers: the same short text on the edge of several pages."""
    pages = {ln.page for ln in lines}
    if len(pages) < 2:
        return lines
    edges: Counter[str] = Counter()
    for page in pages:
        on_page = [ln for ln in lines if ln.page == page]
        for line in on_page[:1] + on_page[-1:]:
            edges[re.sub(r"\d+", "#", line.text)] += 1
    repeated = {text for text, count in edges.items() if count >= 2 and len(text) < 80}
    if not repeated:
        return lines
    first = min(pages)
    biggest = max(s.size for ln in lines if ln.page == first for s in ln.segments)
    result = []
    for page in sorted(pages):
        on_page = [ln for ln in lines if ln.page == page]
        for i, line in enumerate(on_page):
            edge = i == 0 or i == len(on_page) - 1
            # The name set biggest atop the first page stays, though a cover letter after
            # the CV repeats it atop its own page (moderncv).
            title = page == first and max(s.size for s in line.segments) >= biggest
            if edge and not title and re.sub(r"\d+", "#", line.text) in repeated:
                continue
            result.append(line)
    return result


def _is_side_text(text: str) -> bool:
    return is_date_only(text) or is_duration(text) or is_location(text)


def _reading_order(lines: list[_PdfLine], width: float) -> tuple[list[_PdfLine], bool]:
    """Return the page's lines in reading order and whether it has two text columns.

    A gutter that no line crosses splits the page in two. It is a real second column (a
    sidebar) only if both sides hold a fair share of the text and the narrow side is not just
    the dates and places that many templates set beside each entry; those stay on their row.
    """
    if len(lines) < 8:
        return lines, False
    segments = [s for ln in lines for s in ln.segments]
    total = sum(len(s.text) for s in segments)
    best: tuple[int, int, float] | None = None
    for candidate in range(int(width * 0.22), int(width * 0.78), 3):
        left_chars = sum(len(s.text) for s in segments if s.x1 <= candidate)
        right_chars = sum(len(s.text) for s in segments if s.x0 >= candidate)
        if min(left_chars, right_chars) < 0.15 * total:
            continue  # a gutter needs a real column of text on each side
        crossing = sum(1 for ln in lines if any(s.x0 < candidate < s.x1 for s in ln.segments))
        key = (crossing, -min(left_chars, right_chars), float(candidate))
        if best is None or key < best:
            best = key
    if best is None or best[0] > 0.15 * len(lines):
        return lines, False
    gutter = best[2]
    left = [s for s in segments if s.x1 <= gutter]
    right = [s for s in segments if s.x0 >= gutter]
    if min(len(left), len(right)) < 5:
        return lines, False
    left_chars = sum(len(s.text) for s in left)
    right_chars = sum(len(s.text) for s in right)
    narrow = left if left_chars < right_chars else right
    if sum(1 for s in narrow if _is_side_text(s.text)) > 0.4 * len(narrow):
        return lines, False
    if _label_column(lines, gutter, narrow_is_left=left_chars < right_chars):
        return lines, False

    column_tops = [
        ln.top
        for ln in lines
        if not any(s.x0 < gutter < s.x1 for s in ln.segments)
        and any(s.x1 <= gutter for s in ln.segments) != any(s.x0 >= gutter for s in ln.segments)
    ]
    start = min(column_tops) if column_tops else 0.0
    header: list[_PdfLine] = []
    left_lines: list[_PdfLine] = []
    right_lines: list[_PdfLine] = []
    for line in lines:
        crosses = any(s.x0 < gutter < s.x1 for s in line.segments)
        if crosses and line.top < start:
            header.append(line)
            continue
        if crosses:
            (left_lines if line.x0 < gutter else right_lines).append(line)
            continue
        lefts = [s for s in line.segments if s.x1 <= gutter]
        rights = [s for s in line.segments if s.x0 >= gutter]
        if lefts:
            left_lines.append(_PdfLine(lefts, line.top, line.bottom, line.page))
        if rights:
            right_lines.append(_PdfLine(rights, line.top, line.bottom, line.page))
    if _opens_with_name(right_lines, left_lines):
        return header + right_lines + left_lines, True
    return header + left_lines + right_lines, True


def _opens_with_name(column: list[_PdfLine], other: list[_PdfLine]) -> bool:
    """Tell whether a column starts with the page's biggest text (the name) and the other not.

    A side column of contact details and skills printed left of a main column that opens with
    the person's name is read after it: the name and headline head the resume.
    """
    if not column or not other:
        return False
    sizes = [s.size for ln in column + other for s in ln.segments]
    biggest = max(sizes)
    if biggest < 1.3 * statistics.median(sizes):
        return False

    def opens(lines: list[_PdfLine]) -> bool:
        return any(max(s.size for s in ln.segments) >= biggest - 0.5 for ln in lines[:2])

    return opens(column) and not opens(other)


def _label_column(lines: list[_PdfLine], gutter: float, *, narrow_is_left: bool) -> bool:
    """Tell whether the narrow side labels the rows beside it (moderncv, a German CV).

    Dates, places and labels ("Seit 05/2019", "Name", "Firma 2") set on the same row as the
    entry they belong to are part of that row; a sidebar's lines mostly have no partner.
    """
    narrow = [
        ln
        for ln in lines
        if not any(s.x0 < gutter < s.x1 for s in ln.segments)
        and any((s.x1 <= gutter) if narrow_is_left else (s.x0 >= gutter) for s in ln.segments)
    ]
    paired = [
        ln
        for ln in narrow
        if any(s.x1 <= gutter for s in ln.segments) and any(s.x0 >= gutter for s in ln.segments)
    ]
    # A side column with headings of its own ("CONTACT", "SKILLS") is a sidebar, even when its
    # rows happen to line up with the main column's.
    headings = [
        s
        for ln in narrow
        for s in ln.segments
        if ((s.x1 <= gutter) if narrow_is_left else (s.x0 >= gutter)) and _caps_heading(s.text)
    ]
    if len(headings) >= 2:
        return False
    return len(narrow) >= 4 and len(paired) > 0.65 * len(narrow)


def _caps_heading(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 3
        and len(text) >= 4
        and text.isupper()
        and not re.search(r"\d", text)
        and text[0] not in BULLET_CHARS
    )


def _to_lines(raw: list[_PdfLine]) -> list[Line]:
    lines = []
    for line in raw:
        texts = [s.text for s in line.segments]
        chars = sum(len(s.text) for s in line.segments)
        size = max(s.size for s in line.segments)
        bold_chars = sum(len(s.text) for s in line.segments if s.bold)
        lines.append(
            Line(
                segments=texts,
                page=line.page,
                x0=line.x0,
                x1=line.segments[-1].x1,
                top=line.top,
                size=round(size, 1),
                bold=bold_chars * 2 > chars,
                starts=[s.x0 for s in line.segments],
            )
        )
    return lines
