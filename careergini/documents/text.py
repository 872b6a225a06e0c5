"""Read the text of an uploaded document (PDF, DOCX or plain text) in reading order."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any


def extract_text_from_document(data: bytes) -> str:
    """Return the text of an uploaded job description (PDF, DOCX or plain text)."""
    from careergini.core.errors import UnsupportedMediaType
    from careergini.profile.parsers.detect import decode_text, detect_type
    from careergini.profile.schemas import DocumentType

    try:
        document_type = detect_type(data)
    except UnsupportedMediaType as exc:
        first = str(exc.detail).split(". ")[0].rstrip(".")
        raise UnsupportedMediaType(
            f"{first}. Upload the job description as a PDF, DOCX or plain-text file."
        ) from exc
    if document_type is DocumentType.PDF:
        from careergini.profile.parsers.pdf import read_pdf
        from careergini.profile.parsers.resume import lines_to_text

        return lines_to_text(read_pdf(data).lines)
    if document_type is DocumentType.DOCX:
        return "\n".join(_docx_lines(data))
    if document_type is DocumentType.TEXT:
        return decode_text(data) or ""
    raise UnsupportedMediaType(
        f"This is a {document_type.value.replace('_', ' ')}, not a job description. Upload the "
        "job description as a PDF, DOCX or plain-text file."
    )


def _docx_lines(data: bytes) -> Iterator[str]:
    """Yield a DOCX's lines in reading order: header, body paragraphs and table rows."""
    import zipfile

    from docx import Document
    from docx.table import Table

    from careergini.core.errors import InvalidInput
    from careergini.profile.parsers.archive import open_zip

    open_zip(data).close()  # refuses zip bombs before python-docx inflates anything
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("The DOCX file is damaged and cannot be read.") from exc
    except Exception as exc:  # lxml raises its own types on malformed XML
        raise InvalidInput("The DOCX file is damaged and cannot be read.") from exc

    def blocks(container: Any) -> Iterator[str]:
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                yield from table(block)
            else:
                yield from paragraph(block)

    def paragraph(block: Any) -> Iterable[str]:
        text = block.text
        if not text.strip():
            return []
        properties = block._p.pPr
        listed = (properties is not None and properties.numPr is not None) or (
            block.style is not None and "list" in (block.style.name or "").lower()
        )
        parts = [part for part in text.split("\n") if part.strip()]
        return [("• " if listed and i == 0 else "") + part for i, part in enumerate(parts)]

    def table(block: Table) -> Iterator[str]:
        for row in block.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(cell)
            if any(sum(1 for p in c.paragraphs if p.text.strip()) > 1 or c.tables for c in cells):
                for cell in cells:
                    yield from blocks(cell)
                continue
            texts = [c.text.strip() for c in cells if c.text.strip()]
            if len(texts) == 2 and len(texts[0].split()) <= 4 and not texts[0].endswith(":"):
                yield f"{texts[0]}: {texts[1]}"  # a "Location | Berlin" row is a label and value
            elif texts:
                yield " | ".join(texts)

    seen_headers: set[int] = set()
    for section in document.sections:
        header = section.header
        if header.is_linked_to_previous or id(header._element) in seen_headers:
            continue
        seen_headers.add(id(header._element))
        yield from blocks(header)
    yield from blocks(document)
