"""job postings: an index for listing an owner's open postings newest first (and counting them)

A search without words, and the count behind recommendations, read this index instead of every
row of the owner (rows carry whole descriptions: a scan of 100,000 read ~1.4 GB).

Revision ID: 2b9e6d4a7c15
Revises: 8c4f2b7d1e93
Create Date: 2026-12-07 17:15:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "2b9e6d4a7c15"
down_revision: str | None = "8c4f2b7d1e93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_job_postings_owner_status_recent ON job_postings "
        "(owner_id, status, coalesce(posted_at, first_seen_at))"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_job_postings_owner_status_recent")
