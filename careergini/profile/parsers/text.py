"""Parse a plain-text or Markdown resume: its lines and links, structured into a profile."""

from __future__ import annotations

from typing import Any

from careergini.documents.detect import decode_text
from careergini.documents.errors import UnsupportedDocumentType
from careergini.documents.layout import lines_to_text
from careergini.documents.markdown import read_text
from careergini.profile.errors import NoResumeContent
from careergini.profile.parsers.resume import build_profile
from careergini.profile.schemas import DocumentType, ParseResult


def parse_text(data: bytes, *, taxonomy: Any = None) -> ParseResult:
    """Parse a plain-text or Markdown resume into a profile."""
    decoded = decode_text(data)
    if decoded is None:
        raise UnsupportedDocumentType("The file is not readable text.")
    lines, links = read_text(decoded)
    if not lines:
        raise NoResumeContent("The file is empty.")
    text = lines_to_text(lines)
    profile = build_profile(lines, links=links, taxonomy=taxonomy)
    return ParseResult(profile=profile, document_type=DocumentType.TEXT, text=text)
