"""Errors raised while reading an uploaded document (resume, profile export or job description)."""

from __future__ import annotations

from careergini.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType


class DocumentTooLarge(PayloadTooLarge):
    """The upload is over the size limit (413)."""


class ArchiveTooLarge(PayloadTooLarge):
    """A DOCX or ZIP would expand past the safe limit: a zip bomb or a huge export (413)."""


class UnsupportedDocumentType(UnsupportedMediaType):
    """The bytes are not a PDF, DOCX, LinkedIn export, JSON Resume or text (415)."""


class UnreadableDocument(InvalidInput):
    """The file claims a supported type but is corrupt or truncated (422)."""


class EncryptedDocument(InvalidInput):
    """The PDF needs a password to open (422)."""


class ScannedDocument(InvalidInput):
    """The PDF has no text layer, so there is nothing to read without OCR (422)."""
