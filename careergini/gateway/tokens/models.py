"""Personal access tokens, stored as their SHA-256 (the token itself is shown once)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from careergini.core.db import JSONType, UTCDateTime, created_at_field


class AccessToken(SQLModel, table=True):
    """One token a user made for an assistant or a tool; revoked tokens stay listed."""

    __tablename__ = "access_tokens"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    # The first characters after the prefix, so the user can tell their tokens apart.
    hint: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
