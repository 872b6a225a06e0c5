"""Read a DOCX (paragraphs, tables, text boxes, headers) into layout lines or lines of text."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from careergini.core.errors import InvalidInput
from careergini.documents.archive import open_zip
from careergini.documents.errors import UnreadableDocument
from careergini.documents.layout import Line, LinkRef, clean_text

_MAX_PARAGRAPHS = 5_000  # far past any resume; bounds the work on a hostile file
_DAMAGED = "The DOCX file is damaged and cannot be read."


@dataclass(slots=True)
class DocxText:
    lines: list[Line]
    links: list[LinkRef]
    warnings: list[str]


def open_docx(data: bytes, *, damaged: type[InvalidInput] = UnreadableDocument) -> DocumentObject:
    """Open the DOCX; ``damaged`` is the error raised when python-docx cannot read it."""
    # The directory check runs before python-docx decompresses anything.
    open_zip(data).close()
    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise damaged(_DAMAGED) from exc
    except Exception as exc:  # lxml raises its own types on malformed XML
        raise damaged(_DAMAGED) from exc


def header_blocks(document: DocumentObject) -> Iterator[Paragraph | Table]:
    """Yield the blocks of each distinct page header, in section order."""
    seen: set[int] = set()
    for section in document.sections:
        header = section.header
        if header.is_linked_to_previous or id(header._element) in seen:
            continue
        seen.add(id(header._element))
        yield from header.iter_inner_content()


def read_docx(data: bytes) -> DocxText:
    """Return the DOCX's layout lines in reading order, its links, and what we noticed."""
    reader = _LayoutReader()
    reader.read(open_docx(data))
    return DocxText(lines=reader.lines, links=reader.links, warnings=reader.warnings)


class _LayoutReader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.links: list[LinkRef] = []
        self.warnings: list[str] = []
        self._paragraphs = 0

    def read(self, document: DocumentObject) -> None:
        # Contact details often sit in the page header; read it first, as a reader sees it.
        for block in header_blocks(document):
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
        for box in _text_boxes(paragraph._p):
            for p in box.iterchildren(qn("w:p")):
                self._paragraph(Paragraph(p, paragraph._parent))
        for link in paragraph.hyperlinks:
            if link.address:
                self.links.append(LinkRef(uri=link.address, top=float(len(self.lines))))
        # Soft line breaks (Shift+Enter) split one paragraph into the lines a reader sees:
        # many real CVs are one or two paragraphs held together by them.
        for number, (text, runs) in enumerate(_visual_lines(paragraph)):
            # A tab or a run of spaces sets apart columns ("Google<tab>2019 - 2021").
            segments = [clean_text(part) for part in _split_columns(text)]
            segments = [s for s in segments if s]
            if segments:
                self._add(segments, paragraph, runs=runs, first=number == 0)

    def _add(
        self,
        segments: list[str],
        paragraph: Paragraph | None,
        *,
        runs: list[Run] | None = None,
        first: bool = True,
    ) -> None:
        style = (
            (paragraph.style.name or "").lower()
            if paragraph is not None and paragraph.style
            else ""
        )
        if runs is None:
            runs = list(paragraph.runs) if paragraph is not None else []
        runs = [r for r in runs if r.text.strip()]
        bold = bool(runs) and all(
            r.bold or (r.style is not None and r.style.font.bold) for r in runs
        )
        sizes = [r.font.size.pt for r in runs if r.font.size is not None]
        numbered = (
            first
            and paragraph is not None
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
                bullet_hint=numbered or (first and "list" in style),
            )
        )


_RUN_CONTAINERS = frozenset(
    qn(tag) for tag in ("w:hyperlink", "w:smartTag", "w:ins", "w:fldSimple", "w:customXml")
)


def _runs(element: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Yield the paragraph's runs in order, through links and tracked insertions."""
    for child in element.iterchildren():
        if child.tag == qn("w:r"):
            yield child
        elif child.tag in _RUN_CONTAINERS:
            yield from _runs(child)
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _runs(content)


def _visual_lines(paragraph: Paragraph) -> list[tuple[str, list[Run]]]:
    """Split a paragraph at its line breaks into (text, runs) per visual line."""
    lines: list[tuple[list[str], list[Run]]] = [([], [])]
    for r in _runs(paragraph._p):
        run = Run(r, paragraph)
        for child in r.iterchildren():
            tag = child.tag
            if tag == qn("w:t"):
                lines[-1][0].append(child.text or "")
            elif tag == qn("w:tab"):
                lines[-1][0].append("\t")
            elif tag in (qn("w:br"), qn("w:cr")):
                lines.append(([], []))
            elif tag == qn("w:noBreakHyphen"):
                lines[-1][0].append("-")
            else:
                continue
            if not lines[-1][1] or lines[-1][1][-1]._r is not r:
                lines[-1][1].append(run)
    return [("".join(parts), runs) for parts, runs in lines]


def _text_boxes(p: BaseOxmlElement) -> list[BaseOxmlElement]:
    """Return the paragraph's text boxes, each once.

    A text box is stored twice (a DrawingML choice and a VML fallback); the fallback is skipped.
    """
    boxes = []
    for box in p.iter(qn("w:txbxContent")):
        ancestors = {a.tag for a in box.iterancestors()}
        if _FALLBACK in ancestors:
            continue
        # A box nested in another box's paragraph is read with that paragraph.
        if any(a.tag == qn("w:txbxContent") for a in box.iterancestors()):
            continue
        boxes.append(box)
    return boxes


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


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


# --- plain lines of text, for a job description ---------------------------------------------


def docx_text_lines(data: bytes) -> Iterator[str]:
    """Yield a DOCX's lines in reading order: header, body paragraphs and table rows.

    List paragraphs start with "• "; a two-cell "Location | Berlin" row reads as a label and
    its value; other table rows join their cells with " | ".
    """
    document = open_docx(data, damaged=InvalidInput)
    for block in header_blocks(document):
        yield from _text_block(block)
    for block in document.iter_inner_content():
        yield from _text_block(block)


def _text_block(block: Paragraph | Table) -> Iterable[str]:
    if isinstance(block, Table):
        return _text_table(block)
    return _text_paragraph(block)


def _text_paragraph(block: Paragraph) -> list[str]:
    text = block.text
    if not text.strip():
        return []
    properties = block._p.pPr
    listed = (properties is not None and properties.numPr is not None) or (
        block.style is not None and "list" in (block.style.name or "").lower()
    )
    parts = [part for part in text.split("\n") if part.strip()]
    return [("• " if listed and i == 0 else "") + part for i, part in enumerate(parts)]


def _text_table(block: Table) -> Iterator[str]:
    for row in block.rows:
        cells = _unique_cells(row.cells)
        if any(sum(1 for p in c.paragraphs if p.text.strip()) > 1 or c.tables for c in cells):
            for cell in cells:
                for inner in cell.iter_inner_content():
                    yield from _text_block(inner)
            continue
        texts = [c.text.strip() for c in cells if c.text.strip()]
        if len(texts) == 2 and len(texts[0].split()) <= 4 and not texts[0].endswith(":"):
            yield f"{texts[0]}: {texts[1]}"  # a "Location | Berlin" row is a label and value
        elif texts:
            yield " | ".join(texts)
