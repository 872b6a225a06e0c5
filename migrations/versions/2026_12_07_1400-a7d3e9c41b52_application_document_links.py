"""application document links: resume_id and cover_letter_id become foreign keys (ON DELETE SET NULL)

Revision ID: a7d3e9c41b52
Revises: d9f33fb3644c
Create Date: 2026-12-07 14:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a7d3e9c41b52"
down_revision: str | None = "d9f33fb3644c"
branch_labels: str | Sequence[str] | None = None
# The linked tables belong to the resume branch.
depends_on: str | Sequence[str] | None = "f51b7b58aa8b"

_LINKS = (("resume_id", "resumes"), ("cover_letter_id", "cover_letters"))


def upgrade() -> None:
    # Links that already dangle (a deleted resume or letter, or another user's) are dropped
    # first: the key could not be created over them.
    op.execute(
        "UPDATE job_applications SET resume_id = NULL WHERE resume_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM resumes WHERE resumes.id = job_applications.resume_id "
        "AND resumes.owner_id = job_applications.owner_id)"
    )
    op.execute(
        "UPDATE job_applications SET cover_letter_id = NULL WHERE cover_letter_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM cover_letters WHERE cover_letters.id = "
        "job_applications.cover_letter_id AND cover_letters.owner_id = job_applications.owner_id)"
    )
    with op.batch_alter_table("job_applications", schema=None) as batch_op:
        for column, table in _LINKS:
            batch_op.create_foreign_key(
                batch_op.f(f"fk_job_applications_{column}_{table}"),
                table,
                [column],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    with op.batch_alter_table("job_applications", schema=None) as batch_op:
        for column, table in _LINKS:
            batch_op.drop_constraint(
                batch_op.f(f"fk_job_applications_{column}_{table}"), type_="foreignkey"
            )
