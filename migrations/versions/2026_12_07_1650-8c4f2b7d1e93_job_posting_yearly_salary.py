"""job postings: the salary for a year of work (salary_yearly_min / _max), filled from the stored
amounts and their period

Revision ID: 8c4f2b7d1e93
Revises: 5e1d7c2a9b84
Create Date: 2026-12-07 16:50:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c4f2b7d1e93"
down_revision: str | None = "5e1d7c2a9b84"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("job_postings", sa.Column("salary_yearly_min", sa.Float(), nullable=True))
    op.add_column("job_postings", sa.Column("salary_yearly_max", sa.Float(), nullable=True))
    # Paid periods in a year, as careergini/jobs/salary.py counts them.
    op.execute(
        "UPDATE job_postings SET "
        "salary_yearly_min = salary_min * CASE coalesce(salary_period, 'year') "
        "WHEN 'month' THEN 12 WHEN 'week' THEN 52 WHEN 'day' THEN 260 WHEN 'hour' THEN 2080 "
        "ELSE 1 END, "
        "salary_yearly_max = salary_max * CASE coalesce(salary_period, 'year') "
        "WHEN 'month' THEN 12 WHEN 'week' THEN 52 WHEN 'day' THEN 260 WHEN 'hour' THEN 2080 "
        "ELSE 1 END "
        "WHERE salary_min IS NOT NULL OR salary_max IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("job_postings", schema=None) as batch_op:
        batch_op.drop_column("salary_yearly_max")
        batch_op.drop_column("salary_yearly_min")
