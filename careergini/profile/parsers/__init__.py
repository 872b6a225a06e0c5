"""Deterministic resume parsing: bytes in, a structured profile out. No I/O, no network."""

from __future__ import annotations

from typing import Any

from careergini.profile.errors import DocumentTooLarge
from careergini.profile.parsers.detect import detect_type, extension_warning
from careergini.profile.schemas import DocumentType, ParseResult

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


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
    # Imported here so that reading one format never loads another's dependencies.
    if document_type is DocumentType.PDF:
        from careergini.profile.parsers.pdf import parse_pdf

        result = parse_pdf(data, taxonomy=taxonomy)
    elif document_type is DocumentType.DOCX:
        from careergini.profile.parsers.docx import parse_docx

        result = parse_docx(data, taxonomy=taxonomy)
    elif document_type is DocumentType.LINKEDIN_EXPORT:
        from careergini.profile.parsers.linkedin import parse_linkedin_export

        result = parse_linkedin_export(data, taxonomy=taxonomy)
    elif document_type is DocumentType.JSON_RESUME:
        from careergini.profile.parsers.jsonresume import parse_json_resume

        result = parse_json_resume(data, taxonomy=taxonomy)
    else:
        from careergini.profile.parsers.text import parse_text

        result = parse_text(data, taxonomy=taxonomy)
    if warning := extension_warning(filename, document_type):
        result.warnings.append(warning)
    return result


__all__ = ["MAX_DOCUMENT_BYTES", "parse_document"]
