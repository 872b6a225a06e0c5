"""resumes and cover letters

Revision ID: f51b7b58aa8b
Revises: b26c453bada6
Create Date: 2026-11-21 06:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import careergini.core.db

revision: str = "f51b7b58aa8b"
down_revision: str | None = "b26c453bada6"
branch_labels: str | Sequence[str] | None = ("resume",)
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def _create(table: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("target", _json(), nullable=False),
        sa.Column("target_title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("job_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("tone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("llm_used", sa.Boolean(), nullable=False),
        sa.Column("content", _json(), nullable=False),
        sa.Column("report", _json(), nullable=False),
        sa.Column("created_at", careergini.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", careergini.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f(f"fk_{table}_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_owner_id"), ["owner_id"], unique=False)


def upgrade() -> None:
    _create("resumes")
    _create("cover_letters")


def downgrade() -> None:
    for table in ("cover_letters", "resumes"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_owner_id"))
        op.drop_table(table)
