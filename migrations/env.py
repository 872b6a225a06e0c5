"""Alembic environment: the URL comes from CareerGini's settings unless the caller set one."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

from careergini.config import get_settings
from careergini.core.db import install_sqlite_pragmas, sync_database_url
from careergini.core.migrate import include_object
from careergini.models import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url") or sync_database_url(
    get_settings().effective_database_url
)


def run_migrations_offline() -> None:
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    install_sqlite_pragmas(engine)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            # SQLite can't ALTER most things: batch mode rebuilds tables instead.
            render_as_batch=True,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Several app replicas may start at once: one migrates, the others wait.
                connection.execute(text("SELECT pg_advisory_xact_lock(727163)"))
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
