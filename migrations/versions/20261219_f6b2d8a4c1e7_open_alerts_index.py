"""Index the open alerts: the menu counts them on every officer's page

Revision ID: f6b2d8a4c1e7
Revises: f2c8b6d4a913
Create Date: 2026-12-19 09:00:00.000000

The menu shows how many open alerts the user sees, on each of their pages. The count went through
``ix_alerts_event_id``: every alert of every event of the user's units, cleared ones included (a
year's worth). ``ix_alerts_open`` holds the open alerts only, with their event, subject (a
commune's own hall) and ``open_key`` (never null there: SQLite then sees that the index covers
the count). Only an index: no row changes; the downgrade drops it.
"""

import sqlalchemy as sa
from alembic import op

revision = "f6b2d8a4c1e7"
down_revision = "f2c8b6d4a913"
branch_labels = None
depends_on = None

OPEN = sa.text("open_key IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_alerts_open",
        "alerts",
        ["event_id", "subject", "open_key"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_alerts_open", table_name="alerts")
