from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

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
    # The second factor, when the account has one: a 6-digit code or a recovery code.
    otp: str | None = Field(default=None, max_length=32)


class PasswordChange(NoNulRequest):
    # Required when the account has a password (an account made through a provider has none).
    current_password: str | None = Field(default=None, max_length=128)
    new_password: str = Field(min_length=8, max_length=128)
    otp: str | None = Field(default=None, max_length=32)


class CodeRequest(NoNulRequest):
    # A 6-digit authenticator code (or, to turn two-factor off, a recovery code).
    code: str = Field(min_length=6, max_length=32)


class LinkConfirm(NoNulRequest):
    password: str = Field(min_length=1, max_length=128)
    otp: str | None = Field(default=None, max_length=32)


class TotpSetupPublic(SQLModel):
    secret: str
    otpauth_uri: str
    qr_svg: str


class TwoFactorStatus(SQLModel):
    enabled: bool
    recovery_codes_left: int


class RecoveryCodes(SQLModel):
    # Shown once: store them somewhere safe. Each signs in once in place of a code.
    recovery_codes: list[str]


class ProviderPublic(SQLModel):
    id: str
    name: str
    # Where the sign-in button leads (a browser navigation, not an API call).
    start_url: str


class IdentityPublic(SQLModel):
    id: uuid.UUID
    provider: str
    created_at: datetime
    last_login_at: datetime | None


class PendingLink(SQLModel):
    provider: str
    provider_name: str
    email: str | None
    next: str


class RefreshRequest(NoNulRequest):
    # Browsers send the refresh token as an httpOnly cookie; other clients may send it here.
    refresh_token: str | None = Field(default=None, max_length=200)


class UserPublic(SQLModel):
    id: uuid.UUID
    email: str
    full_name: str | None
    is_admin: bool
    role: str
    two_factor: bool
    # Signs in with a password (an account made through a provider may have none).
    local_login: bool
    created_at: datetime

    @classmethod
    def of(cls, user: Any) -> UserPublic:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            is_admin=user.is_admin,
            role="admin" if user.is_admin else "user",
            two_factor=user.totp_enabled_at is not None,
            local_login=not user.password_hash.startswith("!"),
            created_at=user.created_at,
        )


class AdminUserPublic(UserPublic):
    is_active: bool
    last_login_at: datetime | None
    providers: list[str] = []


class AdminUserUpdate(NoNulRequest):
    is_active: bool | None = None
    role: str | None = Field(default=None, pattern="^(admin|user)$")


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
