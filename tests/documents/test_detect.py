"""A document's type, told from its bytes."""

from __future__ import annotations

from pathlib import Path

from careergini.documents.detect import detect_type
from careergini.documents.schemas import DocumentType

GENERATED = Path(__file__).resolve().parents[1] / "fixtures" / "generated"


def load(name: str) -> bytes:
    return (GENERATED / name).read_bytes()


def test_detect_type_on_each_fixture():
    assert detect_type(load("one_column.pdf")) is DocumentType.PDF
    assert detect_type(load("resume.docx")) is DocumentType.DOCX
    assert detect_type(load("linkedin_export.zip")) is DocumentType.LINKEDIN_EXPORT
    assert detect_type(load("resume.json")) is DocumentType.JSON_RESUME
    assert detect_type(load("resume.md")) is DocumentType.TEXT
