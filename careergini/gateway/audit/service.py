"""The audit log's public API: record a security event, list them, forget the expired ones."""

from __future__ import annotations

import uuid
from datetime import timedelta
from enum import StrEnum
from typing import Any

from redis.exceptions import RedisError
from sqlmodel import and_, col, delete, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.cache import Cache
from careergini.core.db import utcnow
from careergini.core.logging import get_logger
from careergini.gateway.audit.models import AuditEvent
from careergini.gateway.audit.schemas import AuditEventPublic, AuditPage

log = get_logger(__name__)


class Event(StrEnum):
    """Every kind of security event the log records."""

    REGISTERED = "account.registered"
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOGIN_LOCKED = "login.locked"
    LOGIN_UNLOCKED = "login.unlocked"
    LOGOUT = "logout"
    TOKEN_REUSE = "token.reuse_detected"
    SESSION_REVOKED = "session.revoked"
    PASSWORD_CHANGED = "password.changed"
    TOTP_ENABLED = "2fa.enabled"
    TOTP_DISABLED = "2fa.disabled"
    RECOVERY_CODES_CREATED = "2fa.recovery_codes_created"
    RECOVERY_CODE_USED = "2fa.recovery_code_used"
    IDENTITY_LINKED = "identity.linked"
    IDENTITY_UNLINKED = "identity.unlinked"
    ROLE_CHANGED = "role.changed"
    ACCOUNT_EXPORTED = "account.exported"
    ACCOUNT_DELETED = "account.deleted"
    ADMIN_USER_DISABLED = "admin.user_disabled"
    ADMIN_USER_ENABLED = "admin.user_enabled"
    ADMIN_USER_DELETED = "admin.user_deleted"
    ADMIN_SESSIONS_RESET = "admin.sessions_reset"
    ADMIN_TASK_RETRIED = "admin.task_retried"
    ACCESS_TOKEN_CREATED = "access_token.created"
    ACCESS_TOKEN_REVOKED = "access_token.revoked"


# Values allowed in ``detail``: short codes and ids, never free text a user typed.
_DETAIL_VALUE_MAX = 64


def _clean_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, bool | int) or value is None:
            clean[key] = value
        else:
            clean[key] = str(value)[:_DETAIL_VALUE_MAX]
    return clean


async def record(
    *,
    session: AsyncSession,
    event: Event,
    user_id: uuid.UUID | None,
    ip: str | None = None,
    request_id: str | None = None,
    actor_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one security event to the request's transaction."""
    row = AuditEvent(
        event=event.value,
        user_id=user_id,
        actor_id=actor_id,
        ip=(ip or None) and ip[:64],
        request_id=(request_id or None) and request_id[:64],
        detail=_clean_detail(detail),
    )
    session.add(row)
    await session.flush()
    # The log line carries the user's pseudonym (core.logging), the event and its codes.
    log.info(
        "audit.event",
        audit_event=event.value,
        user_id=str(user_id) if user_id else None,
        **row.detail,
    )
    return row


async def list_events(
    *,
    session: AsyncSession,
    user_id: uuid.UUID | None,
    event: str | None = None,
    before: uuid.UUID | None = None,
    limit: int = 50,
) -> AuditPage:
    """Return events newest first (one user's, or everyone's when ``user_id`` is None)."""
    query = select(AuditEvent)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    if event:
        query = query.where(AuditEvent.event == event)
    if before is not None:
        anchor = await session.get(AuditEvent, before)
        if anchor is not None and (user_id is None or anchor.user_id == user_id):
            # Newest first, ties by id: the next page starts right after the anchor.
            query = query.where(
                or_(
                    col(AuditEvent.at) < anchor.at,
                    and_(col(AuditEvent.at) == anchor.at, col(AuditEvent.id) > anchor.id),
                )
            )
    query = query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id)).limit(limit + 1)
    rows = list((await session.exec(query)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(
        events=[AuditEventPublic.model_validate(row) for row in rows],
        next_before=rows[-1].id if more and rows else None,
    )


async def purge_expired(*, session: AsyncSession, retention_days: int) -> int:
    """Delete events older than the retention period; return how many went."""
    cutoff = utcnow() - timedelta(days=retention_days)
    result = await session.exec(delete(AuditEvent).where(col(AuditEvent.at) < cutoff))
    return int(result.rowcount or 0)


async def forget_user(*, session: AsyncSession, user_id: uuid.UUID) -> None:
    """Delete the events of a user whose account is being erased."""
    await session.exec(delete(AuditEvent).where(col(AuditEvent.user_id) == user_id))


async def export_for_account(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    """Return the user's events for their data export."""
    page = await list_events(session=session, user_id=user_id, limit=100_000)
    return [event.model_dump(mode="json") for event in page.events]


async def purge_now_and_then(
    *, session: AsyncSession, cache: Cache, retention_days: int, every_seconds: int = 3600
) -> None:
    """Purge expired events at most once per ``every_seconds`` across every app process."""
    try:
        first, _ = await cache.incr("audit:purge-window", ttl=every_seconds)
    except (RedisError, OSError):
        log.warning("audit.purge_skipped", exc_info=True)
        return
    if first == 1:
        removed = await purge_expired(session=session, retention_days=retention_days)
        if removed:
            log.info("audit.purged", events=removed, retention_days=retention_days)


async def count_events(*, session: AsyncSession) -> int:
    """Return how many events the log holds."""
    return int((await session.exec(select(func.count()).select_from(AuditEvent))).one())
