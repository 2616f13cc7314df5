"""Lead comments by their author's platform id, read by every collected batch with leads

Revision ID: c5e1a7d3b942
Revises: a7d3e9b1c542
Create Date: 2026-12-20 09:00:00.000000

A collected batch makes its lead comments' authors people in its own transaction
(app.attendance.lead_people.register_collected_leads), and first looks up the lead comments
registered earlier with the same author id: without an index that is a scan of every comment
ever collected, in every batch. Only lead comments with an author id are indexed (a small part
of the table, kept small to write).
"""

import sqlalchemy as sa
from alembic import op

revision = "c5e1a7d3b942"
down_revision = "a7d3e9b1c542"
branch_labels = None
depends_on = None

WHERE = {
    "postgresql": sa.text("is_lead AND author_external_id IS NOT NULL"),
    "sqlite": sa.text("is_lead = 1 AND author_external_id IS NOT NULL"),
}


def upgrade() -> None:
    op.create_index(
        "ix_comments_lead_authors",
        "comments",
        ["author_external_id"],
        postgresql_where=WHERE["postgresql"],
        sqlite_where=WHERE["sqlite"],
    )


def downgrade() -> None:
    op.drop_index("ix_comments_lead_authors", table_name="comments")
