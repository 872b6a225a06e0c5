"""The audit log: one row per security event."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """A security event. ``user_id`` is whose account it concerns (no foreign key: the record
    of a deletion outlives the account); ``actor_id`` is the admin who acted, if not the user."""

    __tablename__ = "audit_events"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    event: str = Field(max_length=64, index=True)
    user_id: uuid.UUID | None = Field(default=None, index=True)
    actor_id: uuid.UUID | None = None
    ip: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    # Small facts without secrets or personal text: a provider's id, a reason code, a role.
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
