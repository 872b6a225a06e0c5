"""Read a DOCX resume (paragraphs, tables, text boxes, headers) into layout lines."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from careergini.profile.errors import NoResumeContent, UnreadableDocument
from careergini.profile.parsers.archive import open_zip
from careergini.profile.parsers.contact import LinkRef
from careergini.profile.parsers.layout import Line, clean_text
from careergini.profile.parsers.resume import build_profile, lines_to_text
from careergini.profile.schemas import DocumentType, ParseResult

_MAX_PARAGRAPHS = 5_000  # far past any resume; bounds the work on a hostile file


def parse_docx(data: bytes, *, taxonomy: Any = None) -> ParseResult:
    """Parse a DOCX resume into a profile."""
    # The directory check runs before python-docx decompresses anything.
    open_zip(data).close()
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableDocument("The DOCX file is damaged and cannot be read.") from exc
    except Exception as exc:  # lxml raises its own types on malformed XML
        raise UnreadableDocument("The DOCX file is damaged and cannot be read.") from exc
    reader = _Reader()
    reader.read(document)
    if not reader.lines:
        raise NoResumeContent("The DOCX file holds no text.")
    text = lines_to_text(reader.lines)
    profile = build_profile(reader.lines, links=reader.links, taxonomy=taxonomy)
    return ParseResult(
        profile=profile,
        document_type=DocumentType.DOCX,
        warnings=reader.warnings,
        text=text,
    )


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.links: list[LinkRef] = []
        self.warnings: list[str] = []
        self._paragraphs = 0

    def read(self, document: DocumentObject) -> None:
        # Contact details often sit in the page header; read it first, as a reader sees it.
        seen: set[int] = set()
        for section in document.sections:
            header = section.header
            if header.is_linked_to_previous or id(header._element) in seen:
                continue
            seen.add(id(header._element))
            for block in header.iter_inner_content():
                self._block(block)
        tables = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                tables += 1
            self._block(block)
        if tables:
            self.warnings.append(f"tables_found: {tables}")

    def _block(self, block: Paragraph | Table) -> None:
        if isinstance(block, Table):
            self._table(block)
        else:
            self._paragraph(block)

    def _table(self, table: Table) -> None:
        for row in table.rows:
            cells = _unique_cells(row.cells)
            if any(_content_blocks(cell) > 1 for cell in cells):
                # Cells holding whole paragraphs are columns of the layout: read each in turn.
                for cell in cells:
                    for block in cell.iter_inner_content():
                        self._block(block)
                continue
            # A row of short cells ("Company | Dates") is one line with a piece per cell.
            segments = [clean_text(cell.text) for cell in cells]
            segments = [s for s in segments if s]
            if segments:
                first = cells[0].paragraphs[0] if cells[0].paragraphs else None
                self._add(segments, first)

    def _paragraph(self, paragraph: Paragraph) -> None:
        self._paragraphs += 1
        if self._paragraphs > _MAX_PARAGRAPHS:
            return
        for box in paragraph._p.iter(qn("w:txbxContent")):
            for p in box.iter(qn("w:p")):
                self._paragraph(Paragraph(p, paragraph._parent))
        for link in paragraph.hyperlinks:
            if link.address:
                self.links.append(LinkRef(uri=link.address, top=float(len(self.lines))))
        text = paragraph.text
        # A tab or a run of spaces sets apart columns ("Google<tab>2019 - 2021").
        segments = [clean_text(part) for part in _split_columns(text)]
        segments = [s for s in segments if s]
        if segments:
            self._add(segments, paragraph)

    def _add(self, segments: list[str], paragraph: Paragraph | None) -> None:
        style = (
            (paragraph.style.name or "").lower()
            if paragraph is not None and paragraph.style
            else ""
        )
        runs = [r for r in paragraph.runs if r.text.strip()] if paragraph is not None else []
        bold = bool(runs) and all(
            r.bold or (r.style is not None and r.style.font.bold) for r in runs
        )
        sizes = [r.font.size.pt for r in runs if r.font.size is not None]
        numbered = (
            paragraph is not None
            and paragraph._p.pPr is not None
            and (paragraph._p.pPr.numPr is not None)
        )
        self.lines.append(
            Line(
                segments=segments,
                x0=None,
                top=float(len(self.lines)),  # the order stands in for the height
                size=max(sizes) if sizes else 0.0,
                bold=bold,
                heading_hint=style.startswith(("heading", "title")),
                bullet_hint=numbered or "list" in style,
            )
        )


def _split_columns(text: str) -> Iterator[str]:
    yield from re.split(r"\t+|\s{3,}", text)


def _unique_cells(cells: list[_Cell]) -> list[_Cell]:
    # A merged cell appears once per grid column it spans; keep it once.
    seen: set[int] = set()
    unique = []
    for cell in cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        unique.append(cell)
    return unique


def _content_blocks(cell: _Cell) -> int:
    return sum(1 for p in cell.paragraphs if p.text.strip()) + len(cell.tables)
