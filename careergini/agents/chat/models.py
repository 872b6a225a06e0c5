"""Chat threads, their messages, and the coach graph's checkpoints (one set per thread)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, created_at_field


class ChatThread(SQLModel, table=True):
    """One conversation with the coach."""

    __tablename__ = "chat_threads"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=200)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class ChatMessage(SQLModel, table=True):
    """A user's message or the coach's answer (``interrupted`` keeps what was streamed)."""

    __tablename__ = "chat_messages"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    thread_id: uuid.UUID = Field(foreign_key="chat_threads.id", ondelete="CASCADE", index=True)
    owner_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=16)
    content: str = Field(sa_type=Text)
    # complete | interrupted | failed
    status: str = Field(default="complete", max_length=16)
    agents: list[str] = Field(default_factory=list, sa_type=JSONType)
    degraded: bool = False
    usage: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    # What the turn's tools created: [{"kind", "id", "title", "links"}] (assistant messages).
    artifacts: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSONType, sa_column_kwargs={"server_default": "[]"}
    )
    created_at: datetime = created_at_field()


class ChatCheckpoint(SQLModel, table=True):
    """A LangGraph checkpoint of a thread's coach state (serialised by LangGraph's serde)."""

    __tablename__ = "chat_checkpoints"

    thread_id: uuid.UUID = Field(
        foreign_key="chat_threads.id", ondelete="CASCADE", primary_key=True
    )
    checkpoint_ns: str = Field(default="", max_length=255, primary_key=True)
    checkpoint_id: str = Field(max_length=64, primary_key=True)
    parent_checkpoint_id: str | None = Field(default=None, max_length=64)
    checkpoint_type: str = Field(max_length=32)
    checkpoint: bytes = Field(sa_type=LargeBinary)
    metadata_type: str = Field(max_length=32)
    checkpoint_metadata: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = created_at_field()


class ChatCheckpointWrite(SQLModel, table=True):
    """A pending write of a task, linked to the checkpoint it follows."""

    __tablename__ = "chat_checkpoint_writes"

    thread_id: uuid.UUID = Field(
        foreign_key="chat_threads.id", ondelete="CASCADE", primary_key=True
    )
    checkpoint_ns: str = Field(default="", max_length=255, primary_key=True)
    checkpoint_id: str = Field(max_length=64, primary_key=True)
    task_id: str = Field(max_length=64, primary_key=True)
    idx: int = Field(primary_key=True)
    channel: str = Field(max_length=255)
    value_type: str = Field(max_length=32)
    value: bytes = Field(sa_type=LargeBinary)
    task_path: str = Field(default="", max_length=500)
