"""Deterministic resume parsing: bytes in, a structured profile out. No I/O, no network."""

from __future__ import annotations

from typing import Any, Protocol

from careergini.documents.detect import detect_type, extension_warning
from careergini.documents.errors import DocumentTooLarge
from careergini.profile.parsers.docx import parse_docx
from careergini.profile.parsers.jsonresume import parse_json_resume
from careergini.profile.parsers.linkedin import parse_linkedin_export
from careergini.profile.parsers.pdf import parse_pdf
from careergini.profile.parsers.text import parse_text
from careergini.profile.schemas import DocumentType, ParseResult

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class _Parser(Protocol):
    def __call__(self, data: bytes, *, taxonomy: Any = None) -> ParseResult: ...


# The parser of each type detect_type returns; anything else is read as text.
_PARSERS: dict[DocumentType, _Parser] = {
    DocumentType.PDF: parse_pdf,
    DocumentType.DOCX: parse_docx,
    DocumentType.LINKEDIN_EXPORT: parse_linkedin_export,
    DocumentType.JSON_RESUME: parse_json_resume,
}


def parse_document(
    data: bytes,
    filename: str | None = None,
    *,
    taxonomy: Any = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> ParseResult:
    """Parse a resume or profile export into a profile, detecting its type from the bytes."""
    if len(data) > max_bytes:
        raise DocumentTooLarge(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes / 1024 / 1024:.0f} MB."
        )
    document_type = detect_type(data)
    result = _PARSERS.get(document_type, parse_text)(data, taxonomy=taxonomy)
    if warning := extension_warning(filename, document_type):
        result.warnings.append(warning)
    return result


__all__ = ["MAX_DOCUMENT_BYTES", "parse_document"]
