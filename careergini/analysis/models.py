"""Stored analyses, so a user can come back to a gap, a score or an ATS report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, created_at_field


class Analysis(SQLModel, table=True):
    __tablename__ = "analyses"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16, index=True)
    target_title: str | None = Field(default=None, max_length=300)
    job_hash: str = Field(max_length=64)
    profile_hash: str = Field(max_length=64)
    scoring_version: str = Field(max_length=20)
    result: dict[str, Any] = Field(sa_type=JSONType)
    created_at: datetime = created_at_field()
