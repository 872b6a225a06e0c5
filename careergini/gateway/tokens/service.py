"""Create, list, revoke and check personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.db import utcnow
from careergini.core.errors import Conflict, NotFound
from careergini.gateway.audit import service as audit_service
from careergini.gateway.tokens.errors import MissingScope
from careergini.gateway.tokens.models import AccessToken
from careergini.gateway.tokens.schemas import TokenCreate, TokenCreated, TokenPublic

PREFIX = "cgp_"
MAX_ACTIVE = 50
# last_used_at is a hint for the user, not an access log: write it at most once a minute.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class TokenOwner:
    """Who a presented token acts for, and what it may do."""

    user_id: uuid.UUID
    token_id: uuid.UUID
    scopes: frozenset[str]

    def require(self, scope: str) -> None:
        """Refuse an action the token's scopes do not cover."""
        if scope not in self.scopes:
            raise MissingScope(
                f"This token lacks the '{scope}' scope. Create a token with it under "
                "Account > Access tokens."
            )


def digest(token: str) -> str:
    """Return the stored form of a token (high-entropy, so a plain SHA-256 is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _public(row: AccessToken) -> TokenPublic:
    return TokenPublic.model_validate(row, from_attributes=True)


async def create_token(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    body: TokenCreate,
    ip: str | None = None,
    request_id: str | None = None,
) -> TokenCreated:
    """Make a token for the user and return it once, in clear."""
    active = await session.exec(
        select(func.count())
        .select_from(AccessToken)
        .where(AccessToken.user_id == user_id, col(AccessToken.revoked_at).is_(None))
    )
    if active.one() >= MAX_ACTIVE:
        raise Conflict(f"You have {MAX_ACTIVE} active tokens: revoke one you no longer use first.")
    secret = secrets.token_urlsafe(32)
    row = AccessToken(
        user_id=user_id,
        name=body.name.strip() or "token",
        hint=secret[:6],
        token_hash=digest(PREFIX + secret),
        scopes=sorted(set(body.scopes)),
    )
    session.add(row)
    await session.flush()
    await audit_service.record(
        session=session,
        event=audit_service.Event.ACCESS_TOKEN_CREATED,
        user_id=user_id,
        ip=ip,
        request_id=request_id,
        detail={"token_id": str(row.id), "scopes": ",".join(row.scopes)},
    )
    return TokenCreated(**_public(row).model_dump(), token=PREFIX + secret)


async def list_tokens(*, session: AsyncSession, user_id: uuid.UUID) -> list[TokenPublic]:
    """Return the user's tokens, newest first, revoked ones included."""
    rows = await session.exec(
        select(AccessToken)
        .where(AccessToken.user_id == user_id)
        .order_by(col(AccessToken.created_at).desc())
    )
    return [_public(row) for row in rows]


async def revoke_token(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    token_id: uuid.UUID,
    ip: str | None = None,
    request_id: str | None = None,
) -> TokenPublic:
    """Revoke one of the user's tokens (another user's is not found)."""
    row = await session.get(AccessToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound("No such token: list yours at GET /api/account/tokens.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        await session.flush()
        await audit_service.record(
            session=session,
            event=audit_service.Event.ACCESS_TOKEN_REVOKED,
            user_id=user_id,
            ip=ip,
            request_id=request_id,
            detail={"token_id": str(row.id)},
        )
    return _public(row)


async def authenticate(*, session: AsyncSession, token: str) -> TokenOwner | None:
    """Return whom a presented token acts for, or None when it is unknown or revoked."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = (
        await session.exec(select(AccessToken).where(AccessToken.token_hash == digest(token)))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= _TOUCH_EVERY:
        row.last_used_at = now
        session.add(row)
        await session.flush()
    return TokenOwner(user_id=row.user_id, token_id=row.id, scopes=frozenset(row.scopes))
