"""stored files: uploaded and generated files in the database (CAREERGINI_FILE_STORAGE=database)

Revision ID: 5e81c0f3a2d4
Revises: b26c453bada6
Create Date: 2026-12-07 16:20:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import careergini.core.db

revision: str = "5e81c0f3a2d4"
down_revision: str | None = "b26c453bada6"
branch_labels: str | Sequence[str] | None = ("storage",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", careergini.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_files")),
    )


def downgrade() -> None:
    op.drop_table("stored_files")
