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
from careergini.core.errors import DependencyUnavailable, NotFound, TooManyRequests
from careergini.core.logging import get_logger
from careergini.core.ratelimit import RateLimiter
from careergini.core.security import (
    AccessClaims,
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

log = get_logger(__name__)


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
        raise DependencyUnavailable(
            "cache",
            detail="Login is briefly unavailable (its throttle's store is down). Try again in 5 s.",
        ) from exc
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
    family_id = family_id or uuid.uuid4()
    access, access_expires = create_access_token(
        user_id=user.id,
        secret=settings.secret_key,
        minutes=settings.access_token_minutes,
        family_id=family_id,
    )
    raw_refresh = new_opaque_token()
    refresh_expires = utcnow() + timedelta(days=settings.refresh_token_days)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
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


async def _claim_refresh_token(*, session: AsyncSession, digest: str) -> bool:
    """Mark the live token with this digest rotated; say whether this request won it.

    One conditional UPDATE, the transaction's first statement: among concurrent refreshes with
    one token, the database lets exactly one match ``rotated_at IS NULL`` (PostgreSQL re-checks
    the row after the winner commits; SQLite serialises the writers).
    """
    now = utcnow()
    result = await session.exec(
        update(RefreshToken)
        .where(
            col(RefreshToken.token_hash) == digest,
            col(RefreshToken.rotated_at).is_(None),
            col(RefreshToken.revoked_at).is_(None),
            col(RefreshToken.expires_at) > now,
        )
        .values(rotated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)


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
    digest = token_digest(raw_token)
    won = await _claim_refresh_token(session=session, digest=digest)
    result = await session.exec(select(RefreshToken).where(RefreshToken.token_hash == digest))
    token = result.first()
    if token is None:
        raise InvalidRefreshToken()
    if not won:
        if token.rotated_at is not None:
            # Rotated already (earlier, or by a concurrent request that won): a copy is in use.
            await _revoke_family(session=session, family_id=token.family_id)
            raise RefreshTokenReuse()
        raise InvalidRefreshToken()
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise InvalidRefreshToken()
    issued = await issue_tokens(
        session=session,
        settings=settings,
        user=user,
        family_id=token.family_id,
        user_agent=user_agent,
        ip=ip,
    )
    return user, issued


async def _family_of(*, session: AsyncSession, raw_refresh: str) -> uuid.UUID | None:
    result = await session.exec(
        select(RefreshToken.family_id).where(RefreshToken.token_hash == token_digest(raw_refresh))
    )
    return result.first()


async def logout(
    *,
    session: AsyncSession,
    cache: Cache,
    raw_refresh: str | None,
    access: AccessClaims | None,
) -> None:
    """End this login: revoke its refresh family, which ends every access token of the login.

    The database holds the revocation; the Redis deny-list entry only speeds up the check and
    is skipped when Redis is down.
    """
    families = {access.family_id} if access and access.family_id else set()
    if raw_refresh:
        family = await _family_of(session=session, raw_refresh=raw_refresh)
        if family is not None:
            families.add(family)
    for family_id in families:
        await _revoke_family(session=session, family_id=family_id)
    ttl = access_seconds_left(access) if access else 0
    if access and ttl > 0:
        try:
            await cache.set(f"deny:{access.jti}", b"1", ttl=ttl)
        except (RedisError, OSError):
            if access.family_id is None:
                raise
            log.warning("auth.deny_list_down", exc_info=True)


def access_seconds_left(claims: AccessClaims) -> int:
    """Return how long an access token stays valid, in whole seconds."""
    return max(0, int((claims.expires_at - utcnow()).total_seconds()))


async def is_access_denied(*, cache: Cache, jti: str) -> bool:
    """Say whether an access token was put on the Redis deny-list (logged out) before expiry."""
    return await cache.get(f"deny:{jti}") is not None


async def is_family_revoked(*, session: AsyncSession, family_id: uuid.UUID) -> bool:
    """Say whether the login (refresh family) was logged out, revoked, or caught reused."""
    result = await session.exec(
        select(RefreshToken.id)
        .where(
            col(RefreshToken.family_id) == family_id,
            col(RefreshToken.revoked_at).is_not(None),
        )
        .limit(1)
    )
    return result.first() is not None


async def is_access_revoked(*, session: AsyncSession, cache: Cache, claims: AccessClaims) -> bool:
    """Say whether this access token no longer counts: its login ended, or it was denied.

    The database is the source of truth for tokens that name their login; if Redis is down the
    check continues on the database alone (fails to the database). A token without a family
    (issued before families were named) can only be checked in Redis: an outage is a 503.
    """
    try:
        if await is_access_denied(cache=cache, jti=claims.jti):
            return True
    except (RedisError, OSError) as exc:
        if claims.family_id is None:
            raise DependencyUnavailable("cache") from exc
        log.warning("auth.deny_list_down", exc_info=True)
    if claims.family_id is None:
        return False
    return await is_family_revoked(session=session, family_id=claims.family_id)


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
