"""Operators' work: users (roles, disable, delete, sessions), storage use."""

from __future__ import annotations

import uuid
from pathlib import Path

import anyio.to_thread
from sqlalchemy import func, text
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.errors import Conflict
from careergini.core.storage import StoredFile
from careergini.gateway.account import service as account_service
from careergini.gateway.admin.schemas import StorageUse
from careergini.gateway.audit import service as audit_service
from careergini.gateway.audit.service import Event
from careergini.gateway.auth import service as auth_service
from careergini.gateway.auth.schemas import AdminUserPublic, AdminUserUpdate, UserPublic
from careergini.gateway.auth.service import Caller, User
from careergini.runtime.resources import Resources


async def _public(session: AsyncSession, user: User) -> AdminUserPublic:
    identities = await auth_service.list_identities(session=session, user_id=user.id)
    return AdminUserPublic(
        **UserPublic.of(user).model_dump(),
        is_active=user.is_active,
        last_login_at=user.last_login_at,
        providers=sorted({i.provider for i in identities}),
    )


async def list_users(*, session: AsyncSession) -> list[AdminUserPublic]:
    """Return every account with its role, state and linked providers."""
    return [await _public(session, user) for user in await auth_service.list_users(session=session)]


async def update_user(
    *,
    session: AsyncSession,
    admin: User,
    user_id: uuid.UUID,
    change: AdminUserUpdate,
    caller: Caller,
) -> AdminUserPublic:
    """Change an account's role or enable/disable it."""
    user = await auth_service.get_user_for_admin(session=session, user_id=user_id)
    if change.role is not None:
        await auth_service.set_role(
            session=session,
            user=user,
            admin=change.role == "admin",
            actor_id=admin.id,
            caller=caller,
        )
    if change.is_active is not None:
        await auth_service.set_active(
            session=session, user=user, active=change.is_active, actor_id=admin.id, caller=caller
        )
    return await _public(session, user)


async def reset_sessions(
    *, session: AsyncSession, admin: User, user_id: uuid.UUID, caller: Caller
) -> None:
    """Sign every login of an account out."""
    user = await auth_service.get_user_for_admin(session=session, user_id=user_id)
    await auth_service.reset_sessions(session=session, user=user, actor_id=admin.id, caller=caller)


async def delete_user(
    *,
    session: AsyncSession,
    resources: Resources,
    admin: User,
    user_id: uuid.UUID,
    caller: Caller,
) -> None:
    """Erase an account and everything in it, as the user's own deletion does."""
    user = await auth_service.get_user_for_admin(session=session, user_id=user_id)
    if user.id == admin.id:
        raise Conflict("Delete your own account from your Account page, not from here.")
    await account_service.delete_account(
        session=session, resources=resources, user=user, caller=caller, actor_id=admin.id
    )


async def record_task_retry(
    *, session: AsyncSession, admin: User, task_id: uuid.UUID, caller: Caller
) -> None:
    """Record that an admin queued a failed task again."""
    await audit_service.record(
        session=session,
        event=Event.ADMIN_TASK_RETRIED,
        user_id=None,
        actor_id=admin.id,
        ip=caller.ip,
        request_id=caller.request_id,
        detail={"task_id": str(task_id)},
    )


def _file_bytes(path: Path) -> int | None:
    return path.stat().st_size if path.exists() else None


def _folder_bytes(root: Path) -> tuple[int, int]:
    count = size = 0
    if root.is_dir():
        for path in root.rglob("*"):
            if path.is_file():
                count += 1
                size += path.stat().st_size
    return count, size


async def storage_use(*, session: AsyncSession, resources: Resources) -> StorageUse:
    """Return how much the database, the files and the vectors hold."""
    settings = resources.settings
    dialect = resources.engine.dialect.name
    database_bytes: int | None = None
    if dialect == "postgresql":
        database_bytes = int(
            (await session.exec(text("SELECT pg_database_size(current_database())"))).scalar_one()  # type: ignore[call-overload]
        )
    elif resources.engine.url.database:
        database_bytes = await anyio.to_thread.run_sync(
            _file_bytes, Path(resources.engine.url.database)
        )
    if resources.files.backend == "database":
        row = (
            await session.exec(
                select(func.count(), func.coalesce(func.sum(StoredFile.size_bytes), 0))
            )
        ).one()
        files, files_bytes = int(row[0]), int(row[1])
    else:
        files, files_bytes = await anyio.to_thread.run_sync(_folder_bytes, settings.files_dir)
    vectors_bytes: int | None = None
    if resources.vectors.backend == "embedded":
        _, vectors_bytes = await anyio.to_thread.run_sync(_folder_bytes, settings.chroma_path)
    users = (await session.exec(select(func.count()).select_from(User))).one()
    events = await audit_service.count_events(session=session)
    return StorageUse(
        database_backend=dialect,
        database_bytes=database_bytes,
        file_storage=resources.files.backend,
        files=files,
        files_bytes=files_bytes,
        vectors_backend=resources.vectors.backend,
        vectors_bytes=vectors_bytes,
        users=int(users),
        audit_events=events,
    )
