"""Tell what a document is from its bytes; the file name is only a hint for warnings."""

from __future__ import annotations

import json
from typing import Any

from careergini.documents.archive import open_zip
from careergini.documents.errors import UnsupportedDocumentType
from careergini.documents.schemas import DocumentType

LINKEDIN_FILES = frozenset(
    {
        "profile.csv",
        "positions.csv",
        "education.csv",
        "skills.csv",
        "certifications.csv",
        "languages.csv",
        "projects.csv",
        "email addresses.csv",
    }
)
_JSON_RESUME_KEYS = frozenset(
    {"basics", "work", "education", "skills", "projects", "certificates", "languages"}
)
# Signatures of files people upload by mistake, named so the error can say what it saw.
_KNOWN_BINARIES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"RIFF", "a RIFF media file"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office document (.doc); save it as DOCX or PDF"),
    (b"{\\rtf", "an RTF document; save it as DOCX or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_EXTENSIONS = {
    DocumentType.PDF: (".pdf",),
    DocumentType.DOCX: (".docx",),
    DocumentType.LINKEDIN_EXPORT: (".zip",),
    DocumentType.JSON_RESUME: (".json",),
    DocumentType.TEXT: (".txt", ".md", ".markdown", ".text", ""),
}


def detect_type(data: bytes) -> DocumentType:
    """Return the document type of the bytes, or raise if it isn't one we read."""
    head = data[:1024]
    if b"%PDF-" in head:
        return DocumentType.PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _detect_zip(data)
    for signature, what in _KNOWN_BINARIES:
        if data.startswith(signature):
            raise UnsupportedDocumentType(
                f"This looks like {what}. Upload a PDF, DOCX, LinkedIn export ZIP, "
                "JSON Resume or plain-text resume."
            )
    text = decode_text(data)
    if text is None:
        raise UnsupportedDocumentType(
            "The file is not a PDF, DOCX, LinkedIn export ZIP, JSON Resume or text file."
        )
    if text.lstrip().startswith("{") and load_json_resume(text) is not None:
        return DocumentType.JSON_RESUME
    return DocumentType.TEXT


def _detect_zip(data: bytes) -> DocumentType:
    archive = open_zip(data)
    names = {name.lower() for name in archive.namelist()}
    if "word/document.xml" in names:
        return DocumentType.DOCX
    basenames = {name.rsplit("/", 1)[-1] for name in names}
    if basenames & LINKEDIN_FILES:
        return DocumentType.LINKEDIN_EXPORT
    if "[content_types].xml" in names:
        raise UnsupportedDocumentType(
            "This Office file is not a Word document. Upload a DOCX or PDF resume."
        )
    raise UnsupportedDocumentType(
        "The ZIP is neither a DOCX nor a LinkedIn data export (no Profile.csv, Positions.csv...)."
    )


def decode_text(data: bytes) -> str | None:
    """Decode bytes as text if they look like text; None for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    if not sample.strip():
        return text
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    replaced = sample.count("\ufffd")
    if (controls + replaced) / len(sample) > 0.02:
        return None
    return text


def load_json_resume(text: str) -> dict[str, Any] | None:
    """Return the parsed JSON if it is shaped like a JSON Resume document."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    if isinstance(value, dict) and _JSON_RESUME_KEYS & set(value):
        return value
    return None


def extension_warning(filename: str | None, detected: DocumentType) -> str | None:
    """Return a warning when the file name's extension disagrees with the content."""
    if not filename or "." not in filename.rsplit("/", 1)[-1]:
        return None
    extension = "." + filename.rsplit(".", 1)[-1].lower()
    if detected is DocumentType.TEXT and extension in (".md", ".markdown", ".txt", ".text"):
        return None
    if extension in _EXTENSIONS[detected]:
        return None
    return f"extension_mismatch: named {extension} but read as {detected.value}"
