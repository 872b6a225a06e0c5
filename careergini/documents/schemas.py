"""What the document readers tell about a file."""

from __future__ import annotations

from enum import StrEnum


class DocumentType(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    LINKEDIN_EXPORT = "linkedin_export"
    JSON_RESUME = "json_resume"
    TEXT = "text"
    GITHUB = "github"
