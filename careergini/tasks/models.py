"""The tasks' tables: one row a task, and the Idempotency-Key replays of task-creating requests."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, UTCDateTime, created_at_field


class Task(SQLModel, table=True):
    """One piece of model-backed work of one user, from queued to a final state."""

    __tablename__ = "tasks"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=64, index=True)
    # queued | running | succeeded | failed | cancelled
    status: str = Field(default="queued", max_length=16, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    # {"stage": ..., "percent": ..., "tokens": ...}: what the worker last reported.
    progress: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    # The resource the task works on ({"kind", "id", "url"}), known from the start, and its kind
    # and id again as indexed columns (the resource's page asks for its newest task).
    result: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    resource_kind: str = Field(default="", max_length=32)
    resource_id: str = Field(default="", max_length=64, index=True)
    error: str | None = Field(default=None, sa_type=Text)
    attempts: int = 0
    max_attempts: int = 2
    worker: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The worker renews it while it works; a running task whose heartbeat is old lost its worker.
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a task-creating request with an Idempotency-Key, replayed for 24 h."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("owner_id", "key", "scope"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=255)
    # "POST /api/resumes/tailor": a key is scoped to the operation it was sent with.
    scope: str = Field(max_length=128)
    request_hash: str = Field(max_length=64)
    status_code: int = 200
    response: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    created_at: datetime = created_at_field()
