"""Accounts and sessions: register, authenticate (password, TOTP, sign-in providers), issue and
rotate tokens, log out, roles; every security event goes to the audit log."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from redis.exceptions import RedisError
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.config import Settings
from careergini.core.cache import Cache
from careergini.core.db import utcnow
from careergini.core.errors import AppError, Conflict, DependencyUnavailable, NotFound
from careergini.core.logging import get_logger
from careergini.core.mail import Mailer, OutgoingMail
from careergini.core.security import (
    AccessClaims,
    create_access_token,
    hash_password,
    needs_rehash,
    new_opaque_token,
    token_digest,
    verify_password,
)
from careergini.gateway.audit import service as audit_service
from careergini.gateway.audit.service import Event
from careergini.gateway.auth import oidc, totp
from careergini.gateway.auth.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidSecondFactor,
    LastAdmin,
    NoPasswordSet,
    RefreshTokenReuse,
    TwoFactorRequired,
)
from careergini.gateway.auth.lockout import LoginThrottle
from careergini.gateway.auth.models import RecoveryCode, RefreshToken, User as User, UserIdentity

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    expires_in: int


# The password hash of an account made through a sign-in provider: no password matches it.
NO_PASSWORD = "!no-password"


@dataclass(frozen=True, slots=True)
class Caller:
    """Where a request comes from, as the audit log records it."""

    ip: str | None = None
    request_id: str | None = None
    user_agent: str | None = None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def has_password(user: User) -> bool:
    return not user.password_hash.startswith("!")


def role_of(user: User) -> str:
    return "admin" if user.is_admin else "user"


async def audit(
    *,
    session: AsyncSession,
    event: Event,
    user_id: uuid.UUID | None,
    caller: Caller | None,
    actor_id: uuid.UUID | None = None,
    **detail: Any,
) -> None:
    """Record a security event with the caller's address and request id."""
    await audit_service.record(
        session=session,
        event=event,
        user_id=user_id,
        ip=caller.ip if caller else None,
        request_id=caller.request_id if caller else None,
        actor_id=actor_id,
        detail=detail,
    )


async def get_user(*, session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """Return the user with this id, if any."""
    return await session.get(User, user_id)


async def get_user_by_email(*, session: AsyncSession, email: str) -> User | None:
    """Return the user with this email, if any."""
    result = await session.exec(select(User).where(User.email == normalize_email(email)))
    return result.first()


async def _is_fresh_install(session: AsyncSession) -> bool:
    return (await session.exec(select(User.id).limit(1))).first() is None


async def register(
    *,
    session: AsyncSession,
    email: str,
    password: str | None,
    full_name: str | None,
    caller: Caller | None = None,
    method: str = "password",
) -> User:
    """Create an account; the email must be new. The first account of an install is an admin."""
    if await get_user_by_email(session=session, email=email) is not None:
        raise EmailTaken()
    first = await _is_fresh_install(session)
    user = User(
        email=normalize_email(email),
        password_hash=hash_password(password) if password else NO_PASSWORD,
        full_name=full_name.strip() if full_name and full_name.strip() else None,
        is_admin=first,
    )
    session.add(user)
    await session.flush()
    await audit(
        session=session, event=Event.REGISTERED, user_id=user.id, caller=caller, method=method
    )
    if first:
        await audit(
            session=session,
            event=Event.ROLE_CHANGED,
            user_id=user.id,
            caller=caller,
            role="admin",
            reason="first_account",
        )
    return user


async def _send_unlock_mail(
    *, mailer: Mailer, throttle: LoginThrottle, settings: Settings, user: User, ip: str
) -> None:
    token = await throttle.new_unlock_token(email=user.email, ip=ip, user_id=str(user.id))
    link = f"{settings.base_url}/api/auth/unlock?token={token}"
    minutes = max(1, settings.login_lockout_seconds // 60)
    text = (
        "Someone (perhaps you) failed to sign in to your CareerGini account several times from "
        f"the address {ip}, so that address may not try again for {minutes} minutes.\n\n"
        f"If it was you, open this link to lift the lock at once:\n{link}\n\n"
        "If it was not you, ignore this message: your account is not locked anywhere else, and "
        "turning on two-factor sign-in (Account page) keeps a guessed password useless."
    )
    try:
        await mailer.send(
            OutgoingMail(to=user.email, subject="CareerGini: failed sign-ins", text=text)
        )
    except AppError:
        log.warning("auth.unlock_mail_failed", exc_info=True)


async def _record_failure(
    *,
    session: AsyncSession,
    throttle: LoginThrottle,
    mailer: Mailer,
    settings: Settings,
    email: str,
    user: User | None,
    caller: Caller,
    ip: str,
    reason: str,
) -> None:
    outcome = await throttle.failed(email=email, ip=ip)
    await audit(
        session=session,
        event=Event.LOGIN_FAILED,
        user_id=user.id if user else None,
        caller=caller,
        reason=reason,
        failures=outcome.failures,
    )
    if outcome.locked:
        await audit(
            session=session,
            event=Event.LOGIN_LOCKED,
            user_id=user.id if user else None,
            caller=caller,
            seconds=outcome.wait_seconds,
        )
        if user is not None and mailer.configured:
            await _send_unlock_mail(
                mailer=mailer, throttle=throttle, settings=settings, user=user, ip=ip
            )


async def _check_second_factor(
    *, session: AsyncSession, settings: Settings, user: User, code: str
) -> str | None:
    """Return how the code passed ("totp" or "recovery_code"), else None."""
    secret = totp.unseal(user.totp_secret or "", secret_key=settings.secret_key)
    if secret is not None:
        step = totp.matching_step(secret, code, last_step=user.totp_last_step)
        if step is not None:
            user.totp_last_step = step
            session.add(user)
            return "totp"
    if totp.looks_like_recovery_code(code):
        result = await session.exec(
            update(RecoveryCode)
            .where(
                col(RecoveryCode.user_id) == user.id,
                col(RecoveryCode.code_hash) == totp.recovery_digest(code),
                col(RecoveryCode.used_at).is_(None),
            )
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return "recovery_code"
    return None


async def authenticate(
    *,
    session: AsyncSession,
    throttle: LoginThrottle,
    mailer: Mailer,
    cache: Cache,
    settings: Settings,
    email: str,
    password: str,
    otp: str | None = None,
    caller: Caller,
) -> User:
    """Return the user these credentials (and second factor) belong to, throttling failures."""
    email = normalize_email(email)
    ip = caller.ip or "unknown"
    await throttle.check(email=email, ip=ip)
    user = await get_user_by_email(session=session, email=email)
    ok = verify_password(user.password_hash if user else None, password)
    failure = {
        "session": session,
        "throttle": throttle,
        "mailer": mailer,
        "settings": settings,
        "email": email,
        "user": user,
        "caller": caller,
        "ip": ip,
    }
    if not ok or user is None:
        await _record_failure(**failure, reason="bad_password")  # type: ignore[arg-type]
        raise InvalidCredentials()
    if not user.is_active:
        await _record_failure(**failure, reason="disabled")  # type: ignore[arg-type]
        raise InvalidCredentials()
    method = "password"
    if user.totp_enabled_at is not None:
        if not otp or not otp.strip():
            raise TwoFactorRequired()
        passed = await _check_second_factor(session=session, settings=settings, user=user, code=otp)
        if passed is None:
            await _record_failure(**failure, reason="bad_second_factor")  # type: ignore[arg-type]
            raise InvalidSecondFactor()
        method = f"password+{passed}"
        if passed == "recovery_code":
            left = await _recovery_codes_left(session=session, user_id=user.id)
            await audit(
                session=session,
                event=Event.RECOVERY_CODE_USED,
                user_id=user.id,
                caller=caller,
                left=left,
            )
    await throttle.clear(email=email, ip=ip)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    await audit(
        session=session, event=Event.LOGIN_SUCCEEDED, user_id=user.id, caller=caller, method=method
    )
    await audit_service.purge_now_and_then(
        session=session, cache=cache, retention_days=settings.audit_retention_days
    )
    return user


async def unlock(
    *, session: AsyncSession, throttle: LoginThrottle, token: str, caller: Caller
) -> bool:
    """Lift the lock-out an emailed unlock link names; say whether the link was valid."""
    user_id = await throttle.unlock(token)
    if user_id is None:
        return False
    await audit(
        session=session, event=Event.LOGIN_UNLOCKED, user_id=uuid.UUID(user_id), caller=caller
    )
    return True


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
    caller: Caller | None = None,
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
            await audit(
                session=session, event=Event.TOKEN_REUSE, user_id=token.user_id, caller=caller
            )
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
        user_agent=caller.user_agent if caller else None,
        ip=caller.ip if caller else None,
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
    caller: Caller | None = None,
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
    user_id = access.user_id if access else None
    if user_id is None and families:
        owner = await session.exec(
            select(RefreshToken.user_id).where(col(RefreshToken.family_id).in_(list(families)))
        )
        user_id = owner.first()
    if user_id is not None:
        await audit(session=session, event=Event.LOGOUT, user_id=user_id, caller=caller)
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


async def revoke_session(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    token_id: uuid.UUID,
    caller: Caller | None = None,
) -> None:
    """Sign one of the user's logins out; another user's login is not found."""
    token = await session.get(RefreshToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound("No such session.")
    await _revoke_family(session=session, family_id=token.family_id)
    await audit(session=session, event=Event.SESSION_REVOKED, user_id=user_id, caller=caller)


async def list_sessions(*, session: AsyncSession, user_id: uuid.UUID) -> list[RefreshToken]:
    """Return the user's refresh tokens, newest first."""
    result = await session.exec(
        select(RefreshToken)
        .where(RefreshToken.user_id == user_id)
        .order_by(col(RefreshToken.created_at).desc())
    )
    return list(result.all())


async def revoke_all_sessions(
    *, session: AsyncSession, user_id: uuid.UUID, keep_family: uuid.UUID | None = None
) -> None:
    """Revoke every login of the user (but ``keep_family``, the one asking, if given)."""
    query = update(RefreshToken).where(
        col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None)
    )
    if keep_family is not None:
        query = query.where(col(RefreshToken.family_id) != keep_family)
    await session.exec(query.values(revoked_at=utcnow()))


# --- password -------------------------------------------------------------------------------


async def change_password(
    *,
    session: AsyncSession,
    throttle: LoginThrottle,
    settings: Settings,
    user: User,
    current_password: str | None,
    new_password: str,
    otp: str | None,
    family_id: uuid.UUID | None,
    caller: Caller,
) -> None:
    """Set a new password; every other login of the account is signed out.

    The current password proves the owner; an account made through a provider has none, so its
    signed-in session suffices (with the second factor when it is on).
    """
    await throttle.check_step_up(user_id=str(user.id))
    if has_password(user) and (
        not current_password or not verify_password(user.password_hash, current_password)
    ):
        await throttle.step_up_failed(user_id=str(user.id))
        raise InvalidCredentials("The current password is wrong.")
    if user.totp_enabled_at is not None and (
        not otp
        or await _check_second_factor(session=session, settings=settings, user=user, code=otp)
        is None
    ):
        await throttle.step_up_failed(user_id=str(user.id))
        raise InvalidSecondFactor()
    user.password_hash = hash_password(new_password)
    session.add(user)
    await revoke_all_sessions(session=session, user_id=user.id, keep_family=family_id)
    await audit(session=session, event=Event.PASSWORD_CHANGED, user_id=user.id, caller=caller)


# --- two-factor (TOTP) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TotpSetup:
    secret: str
    uri: str
    qr_svg: str


async def start_totp(*, session: AsyncSession, settings: Settings, user: User) -> TotpSetup:
    """Make a new TOTP secret for the user to add to an authenticator (not on until confirmed)."""
    if user.totp_enabled_at is not None:
        raise Conflict("Two-factor sign-in is on already. Turn it off first to start again.")
    secret = totp.new_secret()
    user.totp_secret = totp.seal(secret, secret_key=settings.secret_key)
    session.add(user)
    uri = totp.provisioning_uri(secret, email=user.email)
    return TotpSetup(secret=secret, uri=uri, qr_svg=totp.qr_svg(uri))


async def _new_recovery_codes(*, session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    await session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = totp.new_recovery_codes()
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=totp.recovery_digest(code)))
    await session.flush()
    return codes


async def _recovery_codes_left(*, session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.exec(
        select(RecoveryCode.id).where(
            col(RecoveryCode.user_id) == user_id, col(RecoveryCode.used_at).is_(None)
        )
    )
    return len(result.all())


async def enable_totp(
    *, session: AsyncSession, settings: Settings, user: User, code: str, caller: Caller
) -> list[str]:
    """Turn two-factor on once a code from the new secret checks; return the recovery codes."""
    if user.totp_enabled_at is not None:
        raise Conflict("Two-factor sign-in is on already.")
    secret = totp.unseal(user.totp_secret or "", secret_key=settings.secret_key)
    if secret is None:
        raise Conflict("Start the set-up first (POST /api/auth/2fa/setup).")
    step = totp.matching_step(secret, code, last_step=None)
    if step is None:
        raise InvalidSecondFactor(
            "That code does not match. Check the authenticator's clock and enter the current code."
        )
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    session.add(user)
    codes = await _new_recovery_codes(session=session, user_id=user.id)
    await audit(session=session, event=Event.TOTP_ENABLED, user_id=user.id, caller=caller)
    await audit(
        session=session,
        event=Event.RECOVERY_CODES_CREATED,
        user_id=user.id,
        caller=caller,
        count=len(codes),
    )
    return codes


async def _require_second_factor(
    *, session: AsyncSession, throttle: LoginThrottle, settings: Settings, user: User, code: str
) -> None:
    if user.totp_enabled_at is None:
        raise Conflict("Two-factor sign-in is off.")
    await throttle.check_step_up(user_id=str(user.id))
    if await _check_second_factor(session=session, settings=settings, user=user, code=code) is None:
        await throttle.step_up_failed(user_id=str(user.id))
        raise InvalidSecondFactor()


async def disable_totp(
    *,
    session: AsyncSession,
    throttle: LoginThrottle,
    settings: Settings,
    user: User,
    code: str,
    caller: Caller,
) -> None:
    """Turn two-factor off (a current code or a recovery code proves the owner)."""
    await _require_second_factor(
        session=session, throttle=throttle, settings=settings, user=user, code=code
    )
    user.totp_enabled_at = None
    user.totp_secret = None
    user.totp_last_step = None
    session.add(user)
    await session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    await audit(session=session, event=Event.TOTP_DISABLED, user_id=user.id, caller=caller)


async def regenerate_recovery_codes(
    *,
    session: AsyncSession,
    throttle: LoginThrottle,
    settings: Settings,
    user: User,
    code: str,
    caller: Caller,
) -> list[str]:
    """Replace the recovery codes (the old ones stop working)."""
    await _require_second_factor(
        session=session, throttle=throttle, settings=settings, user=user, code=code
    )
    codes = await _new_recovery_codes(session=session, user_id=user.id)
    await audit(
        session=session,
        event=Event.RECOVERY_CODES_CREATED,
        user_id=user.id,
        caller=caller,
        count=len(codes),
    )
    return codes


async def recovery_codes_left(*, session: AsyncSession, user: User) -> int:
    """Return how many unused recovery codes the user has."""
    return await _recovery_codes_left(session=session, user_id=user.id)


# --- sign-in providers --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProviderSignIn:
    """The outcome of a provider's sign-in: a user signed in, or an account to link first."""

    user: User | None = None
    link_to: User | None = None
    created: bool = False


async def list_identities(*, session: AsyncSession, user_id: uuid.UUID) -> list[UserIdentity]:
    """Return the user's linked provider accounts."""
    result = await session.exec(
        select(UserIdentity)
        .where(UserIdentity.user_id == user_id)
        .order_by(col(UserIdentity.created_at))
    )
    return list(result.all())


async def _identity(*, session: AsyncSession, provider: str, subject: str) -> UserIdentity | None:
    result = await session.exec(
        select(UserIdentity).where(
            UserIdentity.provider == provider, UserIdentity.subject == subject
        )
    )
    return result.first()


async def sign_in_with_provider(
    *, session: AsyncSession, identity: oidc.ProviderIdentity, caller: Caller
) -> ProviderSignIn:
    """Sign in the user linked to this provider account, or make one (verified email only).

    An existing account with the same email is never taken over: its owner must consent
    (``link_identity`` with their password).
    """
    linked = await _identity(session=session, provider=identity.provider, subject=identity.subject)
    if linked is not None:
        user = await session.get(User, linked.user_id)
        if user is None or not user.is_active:
            raise InvalidCredentials("This account is disabled.")
        linked.last_login_at = user.last_login_at = utcnow()
        session.add_all([linked, user])
        await audit(
            session=session,
            event=Event.LOGIN_SUCCEEDED,
            user_id=user.id,
            caller=caller,
            method=identity.provider,
        )
        return ProviderSignIn(user=user)
    if not identity.email or not identity.email_verified:
        raise InvalidCredentials(
            "Your provider did not confirm an email address for this account, so it cannot sign "
            "you in here. Verify your email at the provider, or sign up with a password."
        )
    existing = await get_user_by_email(session=session, email=identity.email)
    if existing is not None:
        return ProviderSignIn(link_to=existing)
    user = await register(
        session=session,
        email=identity.email,
        password=None,
        full_name=identity.name,
        caller=caller,
        method=identity.provider,
    )
    await _add_identity(session=session, user=user, identity=identity, caller=caller)
    user.last_login_at = utcnow()
    session.add(user)
    await audit(
        session=session,
        event=Event.LOGIN_SUCCEEDED,
        user_id=user.id,
        caller=caller,
        method=identity.provider,
    )
    return ProviderSignIn(user=user, created=True)


async def _add_identity(
    *, session: AsyncSession, user: User, identity: oidc.ProviderIdentity, caller: Caller
) -> None:
    session.add(
        UserIdentity(
            user_id=user.id,
            provider=identity.provider,
            subject=identity.subject[:255],
            last_login_at=utcnow(),
        )
    )
    await session.flush()
    await audit(
        session=session,
        event=Event.IDENTITY_LINKED,
        user_id=user.id,
        caller=caller,
        provider=identity.provider,
    )


async def link_identity(
    *, session: AsyncSession, user: User, identity: oidc.ProviderIdentity, caller: Caller
) -> None:
    """Link a provider account to this (consenting, signed-in or re-authenticated) user."""
    linked = await _identity(session=session, provider=identity.provider, subject=identity.subject)
    if linked is not None:
        if linked.user_id == user.id:
            return
        raise Conflict(
            "This provider account is linked to another CareerGini account already. Unlink it "
            "there first."
        )
    await _add_identity(session=session, user=user, identity=identity, caller=caller)


async def unlink_identity(
    *, session: AsyncSession, user: User, identity_id: uuid.UUID, caller: Caller
) -> None:
    """Unlink one provider account; the last way to sign in cannot go."""
    linked = await session.get(UserIdentity, identity_id)
    if linked is None or linked.user_id != user.id:
        raise NotFound("No such linked sign-in.")
    others = [
        i for i in await list_identities(session=session, user_id=user.id) if i.id != linked.id
    ]
    if not has_password(user) and not others:
        raise Conflict(
            "This is your only way to sign in: set a password first (Account page), then unlink."
        )
    await session.delete(linked)
    await audit(
        session=session,
        event=Event.IDENTITY_UNLINKED,
        user_id=user.id,
        caller=caller,
        provider=linked.provider,
    )


async def confirm_link(
    *,
    session: AsyncSession,
    throttle: LoginThrottle,
    mailer: Mailer,
    cache: Cache,
    settings: Settings,
    user_id: uuid.UUID,
    identity: oidc.ProviderIdentity,
    password: str,
    otp: str | None,
    caller: Caller,
) -> User:
    """Link a provider account to an existing account whose owner proves it with a password."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("The account to link no longer exists. Start the sign-in again.")
    if not has_password(user):
        raise NoPasswordSet()
    user = await authenticate(
        session=session,
        throttle=throttle,
        mailer=mailer,
        cache=cache,
        settings=settings,
        email=user.email,
        password=password,
        otp=otp,
        caller=caller,
    )
    await link_identity(session=session, user=user, identity=identity, caller=caller)
    return user


# --- roles and administration ---------------------------------------------------------------


async def list_users(*, session: AsyncSession) -> list[User]:
    """Return every account, oldest first."""
    result = await session.exec(select(User).order_by(col(User.created_at)))
    return list(result.all())


async def _admin_count(session: AsyncSession) -> int:
    result = await session.exec(
        select(User.id).where(col(User.is_admin).is_(True), col(User.is_active).is_(True))
    )
    return len(result.all())


async def get_user_for_admin(*, session: AsyncSession, user_id: uuid.UUID) -> User:
    """Return any account by id (admins only), or NotFound."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


async def set_role(
    *,
    session: AsyncSession,
    user: User,
    admin: bool,
    actor_id: uuid.UUID | None,
    caller: Caller | None,
) -> User:
    """Make the user an admin or a plain user; the last active admin stays one."""
    if user.is_admin == admin:
        return user
    if not admin and user.is_active and await _admin_count(session) <= 1:
        raise LastAdmin()
    user.is_admin = admin
    session.add(user)
    await session.flush()
    await audit(
        session=session,
        event=Event.ROLE_CHANGED,
        user_id=user.id,
        caller=caller,
        actor_id=actor_id,
        role=role_of(user),
    )
    return user


async def set_active(
    *, session: AsyncSession, user: User, active: bool, actor_id: uuid.UUID, caller: Caller
) -> User:
    """Disable (signing out every login) or enable an account; the last admin stays enabled."""
    if user.is_active == active:
        return user
    if not active and user.is_admin and await _admin_count(session) <= 1:
        raise LastAdmin()
    user.is_active = active
    session.add(user)
    if not active:
        await revoke_all_sessions(session=session, user_id=user.id)
    await audit(
        session=session,
        event=Event.ADMIN_USER_ENABLED if active else Event.ADMIN_USER_DISABLED,
        user_id=user.id,
        caller=caller,
        actor_id=actor_id,
    )
    return user


async def reset_sessions(
    *, session: AsyncSession, user: User, actor_id: uuid.UUID, caller: Caller
) -> None:
    """Sign every login of the user out (an admin's action)."""
    await revoke_all_sessions(session=session, user_id=user.id)
    await audit(
        session=session,
        event=Event.ADMIN_SESSIONS_RESET,
        user_id=user.id,
        caller=caller,
        actor_id=actor_id,
    )


async def promote(*, session: AsyncSession, email: str) -> User:
    """Make the account with this email an admin (the ``careergini users promote`` command)."""
    user = await get_user_by_email(session=session, email=email)
    if user is None:
        raise NotFound(f"No account has the email {normalize_email(email)}.")
    return await set_role(session=session, user=user, admin=True, actor_id=None, caller=None)


# --- the provider sign-in flow ------------------------------------------------------------------


def providers(*, settings: Settings) -> list[oidc.Provider]:
    """Return the configured sign-in providers."""
    return oidc.configured_providers(settings)


def _provider(settings: Settings, provider_id: str) -> oidc.Provider:
    for provider in oidc.configured_providers(settings):
        if provider.id == provider_id:
            return provider
    raise NotFound(f"No sign-in provider {provider_id!r} is configured here.")


def callback_url(*, settings: Settings, provider_id: str) -> str:
    """Return the redirect URI to register at the provider."""
    return f"{settings.base_url}/api/auth/oidc/{provider_id}/callback"


def safe_next(value: str | None) -> str:
    """Return a path of this site to land on after signing in (never another site)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:500]
    return "/profile"


async def begin_provider_sign_in(
    *,
    client: oidc.OIDCClient,
    settings: Settings,
    provider_id: str,
    next_path: str | None,
    link_user_id: uuid.UUID | None,
) -> tuple[str, str]:
    """Return the provider's sign-in URL and the sealed flow (state, nonce, PKCE verifier)."""
    provider = _provider(settings, provider_id)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier, challenge = oidc.pkce_pair()
    url = await client.authorization_url(
        provider,
        redirect_uri=callback_url(settings=settings, provider_id=provider.id),
        state=state,
        nonce=nonce,
        challenge=challenge,
    )
    sealed = oidc.seal_state(
        {
            "provider": provider.id,
            "state": state,
            "nonce": nonce,
            "verifier": verifier,
            "next": safe_next(next_path),
            "link": str(link_user_id) if link_user_id else None,
        },
        secret=settings.secret_key,
        purpose="oidc-flow",
    )
    return url, sealed


@dataclass(frozen=True, slots=True)
class ProviderOutcome:
    """Where a finished provider flow leads: signed in, linked, or an account to confirm."""

    next_path: str
    user: User | None = None
    linked: bool = False
    pending_link: str | None = None  # the sealed pending link (a cookie)


async def finish_provider_sign_in(
    *,
    session: AsyncSession,
    client: oidc.OIDCClient,
    settings: Settings,
    provider_id: str,
    code: str | None,
    state: str | None,
    error: str | None,
    sealed_flow: str | None,
    current_user: User | None,
    caller: Caller,
) -> ProviderOutcome:
    """Check the provider's answer against the flow and sign in, link, or ask to confirm."""
    flow = oidc.open_state(sealed_flow, secret=settings.secret_key, purpose="oidc-flow")
    try:
        if flow is None or flow.get("provider") != provider_id:
            raise oidc.SignInFailed(
                "no_flow", "This sign-in was not started here, or took over 10 minutes. Try again."
            )
        if not state or not secrets.compare_digest(str(flow["state"]), state):
            raise oidc.SignInFailed("wrong_state", "The sign-in's state does not match. Try again.")
        if error or not code:
            raise oidc.SignInFailed(
                "provider_denied", "The provider did not sign you in (cancelled or refused)."
            )
        provider = _provider(settings, provider_id)
        identity = await client.finish(
            provider,
            code=code,
            redirect_uri=callback_url(settings=settings, provider_id=provider_id),
            verifier=str(flow["verifier"]),
            nonce=str(flow["nonce"]),
        )
    except (oidc.SignInFailed, oidc.ProviderUnavailable) as exc:
        await audit(
            session=session,
            event=Event.LOGIN_FAILED,
            user_id=None,
            caller=caller,
            method=provider_id,
            reason=exc.reason,
        )
        raise
    next_path = safe_next(flow.get("next"))
    if flow.get("link"):
        if current_user is None or str(current_user.id) != flow["link"]:
            raise oidc.SignInFailed("not_signed_in", "Sign in first, then link the provider.")
        await link_identity(session=session, user=current_user, identity=identity, caller=caller)
        return ProviderOutcome(next_path=next_path, user=current_user, linked=True)
    try:
        outcome = await sign_in_with_provider(session=session, identity=identity, caller=caller)
    except InvalidCredentials as exc:
        await audit(
            session=session,
            event=Event.LOGIN_FAILED,
            user_id=None,
            caller=caller,
            method=provider_id,
            reason="unverified_email" if "confirm" in exc.detail else "disabled",
        )
        raise
    if outcome.link_to is not None:
        pending = oidc.seal_state(
            {
                "provider": identity.provider,
                "subject": identity.subject,
                "email": identity.email,
                "user": str(outcome.link_to.id),
                "next": next_path,
            },
            secret=settings.secret_key,
            purpose="oidc-link",
        )
        return ProviderOutcome(next_path=next_path, pending_link=pending)
    return ProviderOutcome(next_path=next_path, user=outcome.user)


def pending_link(*, settings: Settings, sealed: str | None) -> dict[str, Any]:
    """Return the provider account waiting for its owner's consent to be linked."""
    link = oidc.open_state(sealed, secret=settings.secret_key, purpose="oidc-link")
    if link is None:
        raise NotFound("No provider account is waiting to be linked (or it took over 10 minutes).")
    names = {p.id: p.name for p in oidc.configured_providers(settings)}
    return {
        "provider": link["provider"],
        "provider_name": names.get(link["provider"], link["provider"]),
        "email": link["email"],
        "next": link["next"],
    }


async def confirm_pending_link(
    *,
    session: AsyncSession,
    throttle: LoginThrottle,
    mailer: Mailer,
    cache: Cache,
    settings: Settings,
    sealed: str | None,
    password: str,
    otp: str | None,
    caller: Caller,
) -> User:
    """Link the waiting provider account once its owner signs in with their password."""
    link = oidc.open_state(sealed, secret=settings.secret_key, purpose="oidc-link")
    if link is None:
        raise NotFound("No provider account is waiting to be linked (or it took over 10 minutes).")
    identity = oidc.ProviderIdentity(
        provider=str(link["provider"]),
        subject=str(link["subject"]),
        email=link.get("email"),
        email_verified=True,
    )
    return await confirm_link(
        session=session,
        throttle=throttle,
        mailer=mailer,
        cache=cache,
        settings=settings,
        user_id=uuid.UUID(str(link["user"])),
        identity=identity,
        password=password,
        otp=otp,
        caller=caller,
    )
