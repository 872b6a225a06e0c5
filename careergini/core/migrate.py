"""Run the alembic migrations from code (CLI, app start-up in tests, ``make db-init``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from careergini.core.db import sync_database_url

# Objects the database engine keeps itself, made by migrations in raw SQL and absent from the
# models on purpose: the job-search index (SQLite FTS5 and its shadow tables, the posting-to-rowid
# map; PostgreSQL's generated tsvector column and its GIN index), and an expression index on
# postings (newest first) that SQLite does not reflect at all.
_ENGINE_MANAGED_PREFIXES = ("job_postings_fts",)
_ENGINE_MANAGED_NAMES = frozenset(
    {
        "job_posting_search_rows",
        "search_vector",
        "ix_job_postings_search_vector",
        "ix_job_postings_owner_status_recent",
    }
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave engine-kept objects out of autogenerate and the models-match-migrations check."""
    engine_kept = name is not None and (
        name in _ENGINE_MANAGED_NAMES or name.startswith(_ENGINE_MANAGED_PREFIXES)
    )
    return not (reflected and compare_to is None and engine_kept)


def migrations_dir() -> Path:
    """Find ``migrations/``: beside the source tree, or in the working directory (an image)."""
    candidates = [Path(__file__).resolve().parents[2] / "migrations", Path.cwd() / "migrations"]
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError("migrations/ not found; run from the CareerGini directory")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", sync_database_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the database schema up to ``revision`` (every branch head by default)."""
    if database_url.startswith("sqlite"):
        database = make_url(database_url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def current(database_url: str) -> None:
    command.current(alembic_config(database_url), verbose=True)
