"""A user's notification preferences and the notifications made for them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, UTCDateTime, created_at_field, utcnow


class NotificationSettings(SQLModel, table=True):
    """What one user wants to be told, by email how often, and where their rounds stand."""

    __tablename__ = "notification_settings"

    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True)
    # off | daily | weekly
    email_digest: str = Field(default="off", max_length=8)
    min_score: float = 60.0
    # Source ids whose new postings count; empty: every source.
    source_ids: list[str] = Field(default_factory=list, sa_type=JSONType)
    # New postings first seen after this were not looked at yet.
    last_round_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_round_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What the last round did (schemas.RoundReport), for the user to see.
    last_round: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    unsubscribed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = created_at_field()


class Notification(SQLModel, table=True):
    """One thing to tell a user: a new matching job, a follow-up due, a tracked job closed."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("owner_id", "dedup_key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    # job.match | application.follow_up | job.closed
    kind: str = Field(max_length=32)
    # The same event is told once: "match:<posting>", "follow_up:<application>:<date>"...
    dedup_key: str = Field(max_length=200)
    title: str = Field(max_length=300)
    body: str = Field(default="", sa_type=Text)
    # The app's page about it (a path such as /jobs/<id>).
    link: str | None = Field(default=None, max_length=1000)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    created_at: datetime = created_at_field()
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
