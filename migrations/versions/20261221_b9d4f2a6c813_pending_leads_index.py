"""Lead comments whose authors are not people yet, counted on every channels page

Revision ID: b9d4f2a6c813
Revises: c5e1a7d3b942
Create Date: 2026-12-21 09:00:00.000000

The channels page says how many lead comments of its events wait to be registered as people
(app.reports.pending_leads). Without this index SQLite read that count through ix_comments_is_lead
or ix_comments_person_id, visiting the table for every lead comment of the year (91 ms of a
province-year page at a tenth of the target size, bench/reports.py). Only the waiting lead
comments are indexed, with every column the count reads: since a collected batch registers its
leads, the index is nearly empty and the count reads it alone on both databases.
"""

import sqlalchemy as sa
from alembic import op

revision = "b9d4f2a6c813"
down_revision = "c5e1a7d3b942"
branch_labels = None
depends_on = None

COLUMNS = ["is_lead", "target_id", "phone_bidx", "person_id", "deleted_at", "erased_at"]
WHERE = {
    "postgresql": sa.text(
        "is_lead AND person_id IS NULL AND deleted_at IS NULL AND erased_at IS NULL"
    ),
    "sqlite": sa.text(
        "is_lead = 1 AND person_id IS NULL AND deleted_at IS NULL AND erased_at IS NULL"
    ),
}


def upgrade() -> None:
    op.create_index(
        "ix_comments_pending_leads",
        "comments",
        COLUMNS,
        postgresql_where=WHERE["postgresql"],
        sqlite_where=WHERE["sqlite"],
    )


def downgrade() -> None:
    op.drop_index("ix_comments_pending_leads", table_name="comments")
