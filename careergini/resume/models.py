"""Stored resume versions and cover letters, each with the report of how it was made."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, created_at_field


class Resume(SQLModel, table=True):
    """One tailored version of the user's resume for one job or role."""

    __tablename__ = "resumes"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    target: dict[str, Any] = Field(sa_type=JSONType, description="type, title, company, role_id")
    target_title: str | None = Field(default=None, max_length=300)
    job_hash: str = Field(max_length=64)
    template: str = Field(max_length=20)
    tone: str = Field(max_length=20)
    llm_used: bool = False
    content: dict[str, Any] = Field(sa_type=JSONType)
    report: dict[str, Any] = Field(sa_type=JSONType)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class CoverLetter(SQLModel, table=True):
    """One cover letter for one job or role."""

    __tablename__ = "cover_letters"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    target: dict[str, Any] = Field(sa_type=JSONType)
    target_title: str | None = Field(default=None, max_length=300)
    job_hash: str = Field(max_length=64)
    template: str = Field(max_length=20)
    tone: str = Field(max_length=20)
    llm_used: bool = False
    content: dict[str, Any] = Field(sa_type=JSONType)
    report: dict[str, Any] = Field(sa_type=JSONType)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
