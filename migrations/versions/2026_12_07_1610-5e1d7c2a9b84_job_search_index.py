"""job search index on the database engine: SQLite FTS5 kept by triggers, PostgreSQL tsvector + GIN

The index follows every insert, update and delete of ``job_postings`` in the same transaction,
so a new posting is searchable as soon as it is committed and no process keeps a copy.

SQLite: ``job_postings_fts`` (FTS5, porter stemming) holds each posting's title and its company,
location and description; ``job_posting_search_rows`` maps the FTS row to the posting id (the
posting's own rowid is not stable across a table rebuild). Triggers keep both in step. A later
migration that rebuilds ``job_postings`` with ``batch_alter_table`` drops the triggers and must
create them again (``create_sqlite_triggers`` below).

PostgreSQL: a stored generated ``search_vector`` (title weighted A, the rest B) with a GIN index.

Revision ID: 5e1d7c2a9b84
Revises: a7d3e9c41b52
Create Date: 2026-12-07 16:10:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e1d7c2a9b84"
down_revision: str | None = "a7d3e9c41b52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER job_postings_search_insert AFTER INSERT ON job_postings BEGIN
        INSERT INTO job_posting_search_rows (posting_id) VALUES (new.id);
        INSERT INTO job_postings_fts (rowid, title, body)
        VALUES (
            (SELECT rowid FROM job_posting_search_rows WHERE posting_id = new.id),
            new.title,
            coalesce(new.company, '') || ' ' || coalesce(new.location, '') || ' ' || new.description
        );
    END
    """,
    """
    CREATE TRIGGER job_postings_search_update
    AFTER UPDATE OF title, company, location, description ON job_postings BEGIN
        DELETE FROM job_postings_fts
        WHERE rowid = (SELECT rowid FROM job_posting_search_rows WHERE posting_id = old.id);
        INSERT INTO job_postings_fts (rowid, title, body)
        VALUES (
            (SELECT rowid FROM job_posting_search_rows WHERE posting_id = new.id),
            new.title,
            coalesce(new.company, '') || ' ' || coalesce(new.location, '') || ' ' || new.description
        );
    END
    """,
    """
    CREATE TRIGGER job_postings_search_delete AFTER DELETE ON job_postings BEGIN
        DELETE FROM job_postings_fts
        WHERE rowid = (SELECT rowid FROM job_posting_search_rows WHERE posting_id = old.id);
        DELETE FROM job_posting_search_rows WHERE posting_id = old.id;
    END
    """,
)

_TSVECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(company, '') || ' ' || "
    "coalesce(location, '') || ' ' || coalesce(description, '')), 'B')"
)


def create_sqlite_triggers() -> None:
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE TABLE job_posting_search_rows ("
            "rowid INTEGER PRIMARY KEY, posting_id CHAR(32) NOT NULL UNIQUE)"
        )
        op.execute(
            "CREATE VIRTUAL TABLE job_postings_fts USING fts5("
            "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        op.execute("INSERT INTO job_posting_search_rows (posting_id) SELECT id FROM job_postings")
        op.execute(
            "INSERT INTO job_postings_fts (rowid, title, body) "
            "SELECT r.rowid, p.title, coalesce(p.company, '') || ' ' || "
            "coalesce(p.location, '') || ' ' || p.description "
            "FROM job_postings p JOIN job_posting_search_rows r ON r.posting_id = p.id"
        )
        create_sqlite_triggers()
    else:
        op.execute(
            f"ALTER TABLE job_postings ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({_TSVECTOR}) STORED"
        )
        op.execute(
            "CREATE INDEX ix_job_postings_search_vector ON job_postings USING gin (search_vector)"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS job_postings_search_{name}")
        op.execute("DROP TABLE IF EXISTS job_postings_fts")
        op.execute("DROP TABLE IF EXISTS job_posting_search_rows")
    else:
        op.execute("DROP INDEX IF EXISTS ix_job_postings_search_vector")
        op.execute("ALTER TABLE job_postings DROP COLUMN IF EXISTS search_vector")
