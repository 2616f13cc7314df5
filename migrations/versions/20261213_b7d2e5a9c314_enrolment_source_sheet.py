"""The sheet of each enrolment's source row

Revision ID: b7d2e5a9c314
Revises: b7d2e5a9c3f1
Create Date: 2026-12-12 09:00:00.000000

An enrolment export may hold one sheet per month or per scheme; the import now reads every
sheet whose header has the columns, and each sheet numbers its rows from 1, so
``enrolments.source_row`` alone no longer says where a row came from. ``source_sheet`` names the
sheet when the file had several sheets read; the rows stored before this revision came from one
sheet (the import read only the first) and keep NULL. The downgrade drops the column.
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2e5a9c314"
down_revision = "b7d2e5a9c3f1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enrolments") as batch:
        batch.add_column(sa.Column("source_sheet", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrolments") as batch:
        batch.drop_column("source_sheet")
