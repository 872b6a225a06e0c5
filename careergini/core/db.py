"""Database plumbing: async engine, one session (one transaction) per request, UTC timestamps.

The embedded default is a SQLite file under ``var/``; production uses PostgreSQL through
psycopg 3. Both run the same alembic migrations.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import JSON, DateTime, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from careergini.core.errors import AppError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


# JSON columns: JSONB on PostgreSQL (indexable, compact), JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use careergini.core.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class OwnedRow(Protocol):
    owner_id: uuid.UUID


OwnedT = TypeVar("OwnedT", bound=OwnedRow)


async def get_owned(
    session: AsyncSession,
    model: type[OwnedT],
    row_id: uuid.UUID,
    *,
    owner_id: uuid.UUID,
    missing: Callable[[], AppError],
) -> OwnedT:
    """Return the ``model`` row with ``row_id`` if ``owner_id`` owns it, else raise ``missing()``.

    Another user's row raises the same error as a row that does not exist: it is not theirs to see.
    """
    row = await session.get(model, row_id)
    if row is None or row.owner_id != owner_id:
        raise missing()
    return row


def sync_database_url(url: str) -> str:
    """Return the URL with the synchronous driver (alembic, scripts)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(drivername="sqlite"))
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def async_database_url(url: str) -> str:
    """Return the URL with the asyncio driver the app uses."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(drivername="sqlite+aiosqlite"))
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted rows are overwritten with zeros, not left in free pages: an erased account's text
    # does not linger in the file (see compact_sqlite for the write-ahead log).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def install_sqlite_pragmas(engine: Engine) -> None:
    """Turn on foreign keys, WAL and secure deletion for every SQLite connection of this engine."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """Create the app's async engine for a SQLite or PostgreSQL URL."""
    async_url = async_database_url(url)
    if make_url(async_url).get_backend_name() == "sqlite":
        database = make_url(async_url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(async_url, connect_args={"timeout": 30})
    else:
        engine = create_async_engine(
            async_url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
        )
    install_sqlite_pragmas(engine.sync_engine)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def session_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Yield one session; commit if the block succeeds, roll back if it raises."""
    async with sessionmaker() as session:
        try:
            yield session
        except AppError as exc:
            await (session.commit() if exc.keep_changes else session.rollback())
            raise
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()
