"""Migrations and sessions on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import select

from careergini.core import migrate
from careergini.core.db import (
    create_engine as create_async,
    create_sessionmaker,
    session_scope,
    sync_database_url,
    utcnow,
)
from careergini.gateway.auth.models import User
from careergini.models import metadata


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(sync_database_url(database_url))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": migrate.include_object})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; run alembic revision --autogenerate: {diff}"


def test_constraint_names_follow_the_convention(database_url: str) -> None:
    engine = create_engine(sync_database_url(database_url))
    inspector = inspect(engine)
    assert inspector.get_pk_constraint("users")["name"] == "pk_users"
    fks = inspector.get_foreign_keys("refresh_tokens")
    assert fks[0]["name"] == "fk_refresh_tokens_user_id_users"
    engine.dispose()


def test_downgrade_to_base_and_back(database_url: str) -> None:
    migrate.downgrade(database_url, "base")
    engine = create_engine(sync_database_url(database_url))
    assert "users" not in inspect(engine).get_table_names()
    engine.dispose()
    migrate.upgrade(database_url)
    engine = create_engine(sync_database_url(database_url))
    assert {"users", "refresh_tokens"} <= set(inspect(engine).get_table_names())
    engine.dispose()


async def test_session_commits_on_success_and_rolls_back_on_error(database_url: str) -> None:
    engine = create_async(database_url)
    maker = create_sessionmaker(engine)
    async with session_scope(maker) as session:
        session.add(User(email="kept@x.io", password_hash="h"))
    with pytest.raises(RuntimeError):
        async with session_scope(maker) as session:
            session.add(User(email="lost@x.io", password_hash="h"))
            await session.flush()
            raise RuntimeError("boom")
    async with session_scope(maker) as session:
        emails = {u.email for u in (await session.exec(select(User))).all()}
    await engine.dispose()
    assert emails == {"kept@x.io"}


async def test_timestamps_come_back_timezone_aware_utc(database_url: str) -> None:
    engine = create_async(database_url)
    maker = create_sessionmaker(engine)
    paris = timezone(timedelta(hours=1))
    moment = datetime(2026, 3, 1, 13, 30, tzinfo=paris)
    async with session_scope(maker) as session:
        session.add(User(email="tz@x.io", password_hash="h", last_login_at=moment))
    async with maker() as session:
        user = (await session.exec(select(User))).one()
    await engine.dispose()
    assert user.last_login_at == moment
    assert user.last_login_at.tzinfo is not None
    assert user.last_login_at.utcoffset() == timedelta(0)
    assert user.created_at.tzinfo is not None
    assert abs(user.created_at - utcnow()) < timedelta(minutes=1)


async def test_naive_datetimes_are_refused(database_url: str) -> None:
    engine = create_async(database_url)
    maker = create_sessionmaker(engine)
    with pytest.raises(Exception, match="naive"):
        async with session_scope(maker) as session:
            session.add(User(email="n@x.io", password_hash="h", last_login_at=datetime(2026, 1, 1)))
            await session.flush()
    await engine.dispose()
    assert UTC  # imported for clarity of intent above
