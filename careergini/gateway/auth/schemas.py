from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field, field_validator
from sqlmodel import SQLModel

from careergini.core.text import refuse_nul


class NoNulRequest(SQLModel):
    """A request body that refuses a NUL character in any field (a 422 naming it): PostgreSQL
    cannot store one, and a password or name never holds one."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        return refuse_nul(value)


class UserCreate(NoNulRequest):
    email: EmailStr
    password: str = Field(min_length=8, max_length=128)
    full_name: str | None = Field(default=None, max_length=200)

    @field_validator("password")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("password must not be only whitespace")
        return value


class LoginRequest(NoNulRequest):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)


class RefreshRequest(NoNulRequest):
    # Browsers send the refresh token as an httpOnly cookie; other clients may send it here.
    refresh_token: str | None = Field(default=None, max_length=200)


class UserPublic(SQLModel):
    id: uuid.UUID
    email: str
    full_name: str | None
    is_admin: bool
    created_at: datetime


class TokenResponse(SQLModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class SessionPublic(SQLModel):
    """One login (a refresh-token family) as the user sees it."""

    id: uuid.UUID
    created_at: datetime
    expires_at: datetime
    user_agent: str | None
    ip: str | None
    current: bool = False
