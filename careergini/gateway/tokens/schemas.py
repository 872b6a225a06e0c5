"""Token requests and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Scope = Literal["read", "write"]


class TokenCreate(BaseModel):
    """Name the token after where it goes; ``write`` lets it save jobs and change applications."""

    model_config = {"extra": "forbid"}

    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(default=["read"], min_length=1)


class TokenPublic(BaseModel):
    id: uuid.UUID
    name: str
    hint: str = Field(description="the token's first characters, to tell tokens apart")
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="shown once: copy it now; only its hash is kept")
