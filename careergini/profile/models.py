"""Stored imports (with the parse result) and the person's profile edits."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, UTCDateTime, created_at_field


class ProfileImport(SQLModel, table=True):
    """One uploaded document or fetched account, with what the parser made of it."""

    __tablename__ = "profile_imports"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=32)
    filename: str | None = Field(default=None, max_length=255)
    source_ref: str | None = Field(default=None, max_length=255)
    size_bytes: int = 0
    sha256: str = Field(max_length=64)
    stored_path: str | None = Field(default=None, max_length=500)
    parser_version: str = Field(max_length=20)
    result: dict[str, Any] = Field(sa_type=JSONType)
    created_at: datetime = created_at_field()
    parsed_at: datetime = created_at_field()


class ProfileEdits(SQLModel, table=True):
    """The user's corrections, applied on top of the merged imports."""

    __tablename__ = "profile_edits"

    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    edits: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    updated_at: datetime = Field(sa_type=UTCDateTime)
