"""Job sources, the postings they bring (with their parse and embedding), and applications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, UTCDateTime, created_at_field


class JobSource(SQLModel, table=True):
    """A board, feed, career page or uploaded file that postings come from, with its last run."""

    __tablename__ = "job_sources"
    __table_args__ = (UniqueConstraint("owner_id", "kind", "identifier"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16)
    identifier: str = Field(max_length=1000)
    name: str | None = Field(default=None, max_length=200)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    refresh_interval_minutes: float = 0.0
    # idle | queued | running | error
    status: str = Field(default="idle", max_length=16, index=True)
    status_changed_at: datetime = created_at_field()
    # fetched / new / updated / unchanged / closed / failed of the current or last run
    stats: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    last_error: str | None = Field(default=None, sa_type=Text)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_refresh_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    created_at: datetime = created_at_field()


class JobPosting(SQLModel, table=True):
    """One job, deduplicated per owner across sources; closed (never deleted) when it vanishes."""

    __tablename__ = "job_postings"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    # a board kind (greenhouse, lever...) | feed | page | upload | manual: where it was first seen
    origin: str = Field(max_length=16)
    title: str = Field(max_length=300)
    company: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, max_length=1000)
    canonical_url: str | None = Field(default=None, max_length=1000, index=True)
    # sha256 of normalised company + title + location
    dedup_key: str = Field(max_length=64, index=True)
    description: str = Field(default="", sa_type=Text)
    content_hash: str = Field(max_length=64)
    remote: str | None = Field(default=None, max_length=16)
    seniority: str | None = Field(default=None, max_length=16)
    employment_type: str | None = Field(default=None, max_length=16)
    years_min: float | None = None
    years_max: float | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = Field(default=None, max_length=8)
    salary_period: str | None = Field(default=None, max_length=8)
    # The same pay for a year of work, in the posting's currency (what the salary filter reads).
    salary_yearly_min: float | None = None
    salary_yearly_max: float | None = None
    # [[skill_id, importance], ...] in the order the text names them: what search filters and
    # the match re-rank read without loading the whole parse.
    skills: list[Any] = Field(default_factory=list, sa_type=JSONType)
    looks_like_job: bool = True
    parsed: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    parser_version: str = Field(max_length=20)
    # The source whose text this is: another source listing the same job only fills gaps, so
    # two sources never overwrite each other on every refresh.
    content_source_id: uuid.UUID | None = Field(
        default=None, foreign_key="job_sources.id", ondelete="SET NULL"
    )
    # float32 title + description embedding (also in Chroma): the search index is built from it.
    embedding: bytes | None = Field(default=None, sa_type=LargeBinary)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default="open", max_length=8, index=True)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_seen_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class JobPostingLink(SQLModel, table=True):
    """A posting as one source lists it; a posting stays open while any of its links is active."""

    __tablename__ = "job_posting_links"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    posting_id: uuid.UUID = Field(foreign_key="job_postings.id", ondelete="CASCADE", index=True)
    source_id: uuid.UUID = Field(foreign_key="job_sources.id", ondelete="CASCADE", index=True)
    external_id: str = Field(max_length=300)
    active: bool = True
    first_seen_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()


class JobApplication(SQLModel, table=True):
    """A job the user is pursuing: a stored posting or an external one, with its status."""

    __tablename__ = "job_applications"
    __table_args__ = (UniqueConstraint("owner_id", "job_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    job_id: uuid.UUID | None = Field(
        default=None, foreign_key="job_postings.id", ondelete="SET NULL", index=True
    )
    # A snapshot, so the application survives its posting.
    title: str = Field(max_length=300)
    company: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    # saved | applied | interviewing | offer | rejected | withdrawn
    status: str = Field(default="saved", max_length=16, index=True)
    notes: str = Field(default="", sa_type=Text)
    applied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    interview_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    follow_up_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Documents of the resume domain: the link is dropped when the document is deleted.
    resume_id: uuid.UUID | None = Field(default=None, foreign_key="resumes.id", ondelete="SET NULL")
    cover_letter_id: uuid.UUID | None = Field(
        default=None, foreign_key="cover_letters.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class JobApplicationEvent(SQLModel, table=True):
    """One status change of an application."""

    __tablename__ = "job_application_events"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    application_id: uuid.UUID = Field(
        foreign_key="job_applications.id", ondelete="CASCADE", index=True
    )
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=1000)
    at: datetime = created_at_field()
