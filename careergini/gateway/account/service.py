"""Everything a user has, exported as one zip or erased for good.

Each domain that stores user data adds an exporter (``EXPORTERS``) returning JSON-ready data, and
keeps its rows on ``ON DELETE CASCADE`` from ``users`` so that deleting the user removes them;
files are stored under the key folder ``<user_id>/`` (core.storage: a local folder or the database)
and vectors carry ``owner_id``. Deletion also
removes the user's cache keys (``USER_KEYS``) and their lines of the LLM usage telemetry.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

import anyio.to_thread
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini import __version__
from careergini.agents import service as chat_service
from careergini.analysis import service as analysis_service
from careergini.core.compaction import compact_embedded_chroma, compact_sqlite
from careergini.core.db import utcnow
from careergini.core.errors import Unavailable
from careergini.core.logging import get_logger
from careergini.gateway.audit import service as audit_service
from careergini.gateway.audit.service import Event
from careergini.gateway.auth import service as auth_service
from careergini.gateway.auth.service import Caller, User
from careergini.jobs import service as jobs_service
from careergini.learning import service as learning_service
from careergini.notifications import service as notifications_service
from careergini.profile import service as profile_service
from careergini.resume import service as resume_service
from careergini.runtime.resources import Resources
from careergini.tasks import service as tasks_service

log = get_logger(__name__)

Exporter = Callable[[AsyncSession, uuid.UUID], Awaitable[Any]]


async def _export_sessions(session: AsyncSession, user_id: uuid.UUID) -> list[dict[str, Any]]:
    tokens = await auth_service.list_sessions(session=session, user_id=user_id)
    return [
        {
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat(),
            "revoked": t.revoked_at is not None or t.rotated_at is not None,
            "user_agent": t.user_agent,
            "ip": t.ip,
        }
        for t in tokens
    ]


EXPORTERS: dict[str, Exporter] = {
    "sessions": _export_sessions,
    "profile": profile_service.export_for_account,
    "analyses": analysis_service.export_for_account,
    "jobs": jobs_service.export_for_account,
    "resumes": resume_service.export_for_account,
    "learning": learning_service.export_for_account,
    "chat": chat_service.export_for_account,
    "background_tasks": tasks_service.export_for_account,
    "security_events": audit_service.export_for_account,
    "notifications": notifications_service.export_for_account,
}


# Cache keys naming one user outside the ``user:<id>:`` prefix, by the module that writes them:
# jobs.runtime (the search index's version token, kept without expiry) and the per-user AI rate
# limit of gateway.auth. tests/gateway/test_account_router.py scans the whole cache for the id.
USER_KEYS = ("jobs:index:{user_id}", "rl:ai-user:{user_id}")


def user_files_prefix(user_id: uuid.UUID) -> str:
    """Return the storage folder holding one user's uploaded and generated files."""
    return f"{user_id}/"


async def export_account(
    *, session: AsyncSession, resources: Resources, user: User, caller: Caller | None = None
) -> IO[bytes]:
    """Return a zip (as an open temporary file) with the user's data as JSON and their files."""
    await auth_service.audit(
        session=session, event=Event.ACCOUNT_EXPORTED, user_id=user.id, caller=caller
    )
    data: dict[str, Any] = {
        "format": "careergini-account-export",
        "version": 1,
        "app_version": __version__,
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": str(user.id),
            "email": user.email,
            "full_name": user.full_name,
            "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        },
    }
    for name, exporter in EXPORTERS.items():
        data[name] = await exporter(session, user.id)
    # The AI usage lines this app process wrote for the user (each replica keeps its own).
    data["ai_usage"] = await anyio.to_thread.run_sync(
        lambda: usage_lines(telemetry_dir=resources.llm.accounting.telemetry_dir, user_id=user.id)
    )
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    prefix = user_files_prefix(user.id)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("account.json", json.dumps(data, indent=2, default=str))
        for key in await resources.files.keys(prefix, session=session):
            content = await resources.files.get(key, session=session)
            if content is not None:
                archive.writestr(f"files/{key.removeprefix(prefix)}", content)
    spool.seek(0)
    return spool


def usage_lines(*, telemetry_dir: Path, user_id: uuid.UUID) -> list[dict[str, Any]]:
    """Return the user's lines of the LLM usage telemetry, oldest first."""
    found: list[dict[str, Any]] = []
    if not telemetry_dir.is_dir():
        return found
    for path in sorted(telemetry_dir.glob("llm-usage-*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for raw in lines:
                try:
                    record = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("user_id") == str(user_id):
                    found.append(record)
    return found


def _forget_in_file(path: Path, user_id: str) -> int:
    """Rewrite one telemetry file without the user's lines; return how many were dropped."""
    for _ in range(5):
        size = path.stat().st_size
        kept: list[str] = []
        dropped = 0
        with path.open(encoding="utf-8") as lines:
            for raw in lines:
                try:
                    record = json.loads(raw)
                except ValueError:
                    record = None
                if isinstance(record, dict) and record.get("user_id") == user_id:
                    dropped += 1
                else:
                    kept.append(raw)
        if not dropped:
            return 0
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
        partial.write_text("".join(kept), encoding="utf-8")
        # Another process appends one line per model call: if one landed since the read, read
        # again rather than replace the file without it.
        if path.stat().st_size == size:
            os.replace(partial, path)
            return dropped
        partial.unlink()
    raise OSError(f"{path} kept changing while the user's lines were removed")


def forget_telemetry(*, telemetry_dir: Path, user_id: uuid.UUID) -> int:
    """Remove the user's lines from the LLM usage telemetry; return how many went."""
    if not telemetry_dir.is_dir():
        return 0
    return sum(
        _forget_in_file(path, str(user_id))
        for path in sorted(telemetry_dir.glob("llm-usage-*.jsonl"))
    )


async def delete_account(
    *,
    session: AsyncSession,
    resources: Resources,
    user: User,
    caller: Caller | None = None,
    actor_id: uuid.UUID | None = None,
) -> None:
    """Erase the user: rows (cascading), vectors, cache keys, telemetry lines and files.

    The user's audit events go too; one event records the deletion (its id, no personal text).
    """
    user_id = user.id
    await session.delete(user)
    await session.flush()
    await audit_service.forget_user(session=session, user_id=user_id)
    await auth_service.audit(
        session=session,
        event=Event.ADMIN_USER_DELETED if actor_id else Event.ACCOUNT_DELETED,
        user_id=user_id,
        caller=caller,
        actor_id=actor_id,
    )
    try:
        await resources.vectors.delete_owner(str(user_id))
    except Exception as exc:
        # Nothing is removed yet (the transaction rolls back): better keep the account than leave
        # the user's vectors behind.
        log.exception("account.vectors_delete_failed", user_id=str(user_id))
        raise Unavailable(
            "The vector store is unreachable, so your account could not be fully erased. "
            "Nothing was deleted; try again in a minute."
        ) from exc
    await resources.cache.delete_prefix(f"user:{user_id}:")
    await resources.cache.delete(*(key.format(user_id=user_id) for key in USER_KEYS))
    # Failed-login counters are keyed by a hash of email and address (gateway.auth.lockout):
    # they name no one and expire with the lock-out period.
    try:
        removed = await anyio.to_thread.run_sync(
            lambda: forget_telemetry(
                telemetry_dir=resources.llm.accounting.telemetry_dir, user_id=user_id
            )
        )
    except OSError as exc:
        log.exception("account.telemetry_forget_failed", user_id=str(user_id))
        raise Unavailable(
            "Your usage records could not be rewritten, so your account was not deleted. "
            "Try again in a minute."
        ) from exc
    # Files go last: every step above can still fail and roll back (in the database they go
    # with this transaction).
    await resources.files.delete_prefix(user_files_prefix(user_id), session=session)
    # The logs write a pseudonym for user_id (core.logging): no line leads back to the account.
    log.info("account.deleted", user_id=str(user_id), telemetry_lines=removed)


async def compact_after_deletion(*, resources: Resources, user_id: uuid.UUID) -> None:
    """Once the deletion is committed, scrub the embedded stack's files of the deleted text."""
    database = resources.engine.url.database
    sqlite_file = Path(database) if resources.engine.dialect.name == "sqlite" and database else None
    embedded_chroma = resources.vectors.backend == "embedded"
    try:
        if sqlite_file is not None and not await anyio.to_thread.run_sync(
            compact_sqlite, sqlite_file
        ):
            log.warning("account.compact_busy", store="database")
        if embedded_chroma:
            await anyio.to_thread.run_sync(
                lambda: compact_embedded_chroma(
                    resources.settings.chroma_path, owner_id=str(user_id)
                )
            )
    except Exception:
        # The rows are gone already; the next deletion compacts again.
        log.exception("account.compact_failed")
