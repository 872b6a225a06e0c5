"""Accounts and sessions: register, authenticate, issue and rotate tokens, log out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from redis.exceptions import RedisError
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.config import Settings
from careergini.core.cache import Cache
from careergini.core.db import utcnow
from careergini.core.errors import NotFound, TooManyRequests, Unavailable
from careergini.core.ratelimit import RateLimiter
from careergini.core.security import (
    create_access_token,
    hash_password,
    needs_rehash,
    new_opaque_token,
    token_digest,
    verify_password,
)
from careergini.gateway.auth.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidRefreshToken,
    RefreshTokenReuse,
)
from careergini.gateway.auth.models import RefreshToken, User as User


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    expires_in: int


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def get_user(*, session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """Return the user with this id, if any."""
    return await session.get(User, user_id)


async def get_user_by_email(*, session: AsyncSession, email: str) -> User | None:
    """Return the user with this email, if any."""
    result = await session.exec(select(User).where(User.email == normalize_email(email)))
    return result.first()


async def register(
    *, session: AsyncSession, email: str, password: str, full_name: str | None
) -> User:
    """Create an account; the email must be new."""
    if await get_user_by_email(session=session, email=email) is not None:
        raise EmailTaken()
    user = User(
        email=normalize_email(email),
        password_hash=hash_password(password),
        full_name=full_name.strip() if full_name and full_name.strip() else None,
    )
    session.add(user)
    await session.flush()
    return user


async def _check_login_throttle(
    *, limiter: RateLimiter, settings: Settings, email: str, ip: str
) -> None:
    try:
        account_failures = await limiter.peek("login-fail-account", email)
        ip_failures = await limiter.peek("login-fail-ip", ip)
    except (RedisError, OSError) as exc:
        # Fail closed: without the counters, brute force would be unthrottled.
        raise Unavailable("Login is briefly unavailable. Try again in a minute.") from exc
    if (
        account_failures >= settings.login_max_failures_per_account
        or ip_failures >= settings.login_max_failures_per_ip
    ):
        raise TooManyRequests(
            "Too many failed logins. Wait a few minutes before trying again.",
            retry_after=settings.login_lockout_seconds,
        )


async def authenticate(
    *,
    session: AsyncSession,
    limiter: RateLimiter,
    settings: Settings,
    email: str,
    password: str,
    ip: str,
) -> User:
    """Return the user these credentials belong to, throttling repeated failures."""
    email = normalize_email(email)
    await _check_login_throttle(limiter=limiter, settings=settings, email=email, ip=ip)
    user = await get_user_by_email(session=session, email=email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        window = settings.login_lockout_seconds
        await limiter.hit("login-fail-account", email, limit=0, window=window)
        await limiter.hit("login-fail-ip", ip, limit=0, window=window)
        raise InvalidCredentials()
    await limiter.reset("login-fail-account", email)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    return user


async def issue_tokens(
    *,
    session: AsyncSession,
    settings: Settings,
    user: User,
    family_id: uuid.UUID | None = None,
    user_agent: str | None = None,
    ip: str | None = None,
) -> IssuedTokens:
    """Issue an access token and a refresh token (a new family unless one is given)."""
    access, access_expires = create_access_token(
        user_id=user.id, secret=settings.secret_key, minutes=settings.access_token_minutes
    )
    raw_refresh = new_opaque_token()
    refresh_expires = utcnow() + timedelta(days=settings.refresh_token_days)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id or uuid.uuid4(),
            token_hash=token_digest(raw_refresh),
            expires_at=refresh_expires,
            user_agent=(user_agent or "")[:300] or None,
            ip=ip,
        )
    )
    await session.flush()
    return IssuedTokens(
        access_token=access,
        access_expires_at=access_expires,
        refresh_token=raw_refresh,
        refresh_expires_at=refresh_expires,
        expires_in=settings.access_token_minutes * 60,
    )


async def _revoke_family(*, session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


async def rotate_refresh_token(
    *,
    session: AsyncSession,
    settings: Settings,
    raw_token: str | None,
    user_agent: str | None = None,
    ip: str | None = None,
) -> tuple[User, IssuedTokens]:
    """Exchange a refresh token for new tokens; a reused one revokes its whole family."""
    if not raw_token:
        raise InvalidRefreshToken("No refresh token was sent. Log in again.")
    result = await session.exec(
        select(RefreshToken).where(RefreshToken.token_hash == token_digest(raw_token))
    )
    token = result.first()
    if token is None:
        raise InvalidRefreshToken()
    if token.rotated_at is not None or token.revoked_at is not None:
        if token.rotated_at is not None:
            await _revoke_family(session=session, family_id=token.family_id)
            raise RefreshTokenReuse()
        raise InvalidRefreshToken()
    if token.expires_at <= utcnow():
        raise InvalidRefreshToken()
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise InvalidRefreshToken()
    token.rotated_at = utcnow()
    session.add(token)
    issued = await issue_tokens(
        session=session,
        settings=settings,
        user=user,
        family_id=token.family_id,
        user_agent=user_agent,
        ip=ip,
    )
    return user, issued


async def logout(
    *,
    session: AsyncSession,
    cache: Cache,
    raw_refresh: str | None,
    access_jti: str | None,
    access_ttl: int,
) -> None:
    """End this login: revoke its refresh family and deny its access token until it expires."""
    if raw_refresh:
        result = await session.exec(
            select(RefreshToken).where(RefreshToken.token_hash == token_digest(raw_refresh))
        )
        token = result.first()
        if token is not None:
            await _revoke_family(session=session, family_id=token.family_id)
    if access_jti and access_ttl > 0:
        await cache.set(f"deny:{access_jti}", b"1", ttl=access_ttl)


async def is_access_denied(*, cache: Cache, jti: str) -> bool:
    """Say whether an access token was logged out before its expiry."""
    return await cache.get(f"deny:{jti}") is not None


async def list_active_sessions(*, session: AsyncSession, user_id: uuid.UUID) -> list[RefreshToken]:
    """Return the live head token of each of the user's logins, newest first."""
    result = await session.exec(
        select(RefreshToken)
        .where(
            RefreshToken.user_id == user_id,
            col(RefreshToken.rotated_at).is_(None),
            col(RefreshToken.revoked_at).is_(None),
            col(RefreshToken.expires_at) > utcnow(),
        )
        .order_by(col(RefreshToken.created_at).desc())
    )
    return list(result.all())


async def revoke_session(*, session: AsyncSession, user_id: uuid.UUID, token_id: uuid.UUID) -> None:
    """Sign one of the user's logins out; another user's login is not found."""
    token = await session.get(RefreshToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound("No such session.")
    await _revoke_family(session=session, family_id=token.family_id)


async def list_sessions(*, session: AsyncSession, user_id: uuid.UUID) -> list[RefreshToken]:
    """Return the user's refresh tokens, newest first."""
    result = await session.exec(
        select(RefreshToken)
        .where(RefreshToken.user_id == user_id)
        .order_by(col(RefreshToken.created_at).desc())
    )
    return list(result.all())
