"""Request and response models of notifications and digest preferences."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DigestFrequency = Literal["off", "daily", "weekly"]
NotificationKind = Literal["job.match", "application.follow_up", "job.closed"]


class NotificationPublic(BaseModel):
    id: str
    kind: NotificationKind
    title: str
    body: str
    link: str | None = Field(description="the app's page about it")
    data: dict[str, Any] = Field(
        description="job.match: job_id, score, reasons; application.follow_up: application_id, "
        "follow_up_at; job.closed: application_id, job_id, closed_at"
    )
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class NotificationList(BaseModel):
    items: list[NotificationPublic]
    unread: int = Field(description="your unread notifications in all")


class MarkedRead(BaseModel):
    marked: int


class RoundReport(BaseModel):
    """What one round of a user's notifications did."""

    at: datetime
    checked: int = Field(description="tracked postings checked for liveness")
    closed: int = Field(description="of them, closed now")
    created: int = Field(description="notifications made")
    emailed: int = Field(description="notifications sent in a digest (0: none sent)")


class PreferencesPublic(BaseModel):
    email_digest: DigestFrequency
    min_score: float = Field(description="new postings scoring at least this are reported")
    source_ids: list[str] = Field(description="sources whose new postings count; empty: all")
    email: str = Field(description="where the digest goes (your account's address)")
    email_available: bool = Field(description="false when this server cannot send email")
    last_emailed_at: datetime | None
    next_round_at: datetime = Field(description="when your notifications are next looked for")
    last_round: RoundReport | None = Field(description="what the last round did")


class PreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email_digest: DigestFrequency | None = None
    min_score: float | None = Field(default=None, ge=0, le=100)
    source_ids: list[uuid.UUID] | None = Field(default=None, max_length=200)
