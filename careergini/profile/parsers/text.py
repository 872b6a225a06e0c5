"""Parse a plain-text or Markdown resume: its lines and links, structured into a profile."""

from __future__ import annotations

from typing import Any

from careergini.core.untrusted import MAX_JSON_DEPTH, json_depth, looks_like_json
from careergini.documents.detect import decode_text
from careergini.documents.errors import (
    DocumentTooLarge,
    UnreadableDocument,
    UnsupportedDocumentType,
)
from careergini.documents.layout import join_hyphenated, lines_to_text
from careergini.documents.markdown import read_text
from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers.findings import profile_warnings
from careergini.profile.parsers.resume import build_profile
from careergini.profile.schemas import DocumentType, ParseResult


def parse_text(data: bytes, *, taxonomy: Any = None) -> ParseResult:
    """Parse a plain-text or Markdown resume into a profile."""
    decoded = decode_text(data)
    if decoded is None:
        raise UnsupportedDocumentType("The file is not readable text.")
    _refuse_hostile(decoded)
    lines, links = read_text(decoded)
    if not lines:
        raise NoResumeContent("The file is empty.")
    lines = join_hyphenated(lines)
    text = lines_to_text(lines)
    notes: list[str] = []
    profile = build_profile(lines, links=links, taxonomy=taxonomy, notes=notes)
    return ParseResult(
        profile=profile,
        document_type=DocumentType.TEXT,
        warnings=[*notes, *profile_warnings(profile, text=text)],
        text=text,
    )


# A resume is a few pages: 200,000 characters is some fifty of them.
MAX_TEXT_CHARS = 200_000


def _refuse_hostile(text: str) -> None:
    """Refuse text too long to be a resume, or JSON nested too deep to be one."""
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentTooLarge(
            f"The text has {len(text):,} characters; a text resume may have "
            f"{MAX_TEXT_CHARS:,} at most. Send the resume alone, or as a PDF or DOCX."
        )
    if looks_like_json(text) and json_depth(text) > MAX_JSON_DEPTH:
        raise UnreadableDocument(
            f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep, which no JSON Resume "
            "is. Export the resume again from the tool that made it."
        )
