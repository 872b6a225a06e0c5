"""Parse a DOCX resume: the document reader's lines and links, structured into a profile."""

from __future__ import annotations

from typing import Any

from careergini.documents.docx import read_docx
from careergini.documents.layout import join_hyphenated, lines_to_text
from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers.findings import profile_warnings
from careergini.profile.parsers.resume import build_profile
from careergini.profile.schemas import DocumentType, ParseResult


def parse_docx(data: bytes, *, taxonomy: Any = None) -> ParseResult:
    """Parse a DOCX resume into a profile."""
    read = read_docx(data)
    if not read.lines:
        raise NoResumeContent("The DOCX file holds no text.")
    read.lines = join_hyphenated(read.lines)
    text = lines_to_text(read.lines)
    notes: list[str] = []
    profile = build_profile(read.lines, links=read.links, taxonomy=taxonomy, notes=notes)
    return ParseResult(
        profile=profile,
        document_type=DocumentType.DOCX,
        warnings=[*read.warnings, *notes, *profile_warnings(profile, text=text)],
        text=text,
    )
