"""Read the text of an uploaded document (PDF, DOCX or plain text) in reading order."""

from __future__ import annotations

from careergini.core.errors import UnsupportedMediaType
from careergini.documents.detect import decode_text, detect_type
from careergini.documents.docx import docx_text_lines
from careergini.documents.layout import lines_to_text
from careergini.documents.pdf import read_pdf
from careergini.documents.schemas import DocumentType


def extract_text_from_document(data: bytes) -> str:
    """Return the text of an uploaded job description (PDF, DOCX or plain text)."""
    try:
        document_type = detect_type(data)
    except UnsupportedMediaType as exc:
        first = str(exc.detail).split(". ")[0].rstrip(".")
        raise UnsupportedMediaType(
            f"{first}. Upload the job description as a PDF, DOCX or plain-text file."
        ) from exc
    if document_type is DocumentType.PDF:
        return lines_to_text(read_pdf(data).lines)
    if document_type is DocumentType.DOCX:
        return "\n".join(docx_text_lines(data))
    if document_type is DocumentType.TEXT:
        return decode_text(data) or ""
    raise UnsupportedMediaType(
        f"This is a {document_type.value.replace('_', ' ')}, not a job description. Upload the "
        "job description as a PDF, DOCX or plain-text file."
    )
