"""Parse a PDF resume: the document reader's lines and links, structured into a profile."""

from __future__ import annotations

from typing import Any

from careergini.documents.layout import join_hyphenated, lines_to_text
from careergini.documents.pdf import read_pdf
from careergini.profile.parsers.findings import profile_warnings
from careergini.profile.parsers.resume import build_profile
from careergini.profile.schemas import DocumentType, ParseResult


def parse_pdf(data: bytes, *, taxonomy: Any = None) -> ParseResult:
    """Parse a PDF resume into a profile."""
    read = read_pdf(data)
    read.lines = join_hyphenated(read.lines)
    text = lines_to_text(read.lines)
    notes: list[str] = []
    profile = build_profile(read.lines, links=read.links, taxonomy=taxonomy, notes=notes)
    return ParseResult(
        profile=profile,
        document_type=DocumentType.PDF,
        warnings=[*read.warnings, *notes, *profile_warnings(profile, text=text)],
        text=text,
        pages=read.pages,
    )
