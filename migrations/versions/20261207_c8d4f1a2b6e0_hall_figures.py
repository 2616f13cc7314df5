"""Hall figures stored on the hall: latest head count, reports and attendee rows sent

Revision ID: c8d4f1a2b6e0
Revises: a1e7c3b9d5f2
Create Date: 2026-12-07 09:00:00.000000

A check-in updated the board by ranking every report of every hall again. Each hall now keeps
its latest-sent report's head count (``head_count``, ``head_count_at``, ``head_count_report_id``:
the latest ``reported_at``, then the highest id, as ``app.halls.services.latest_head_count``
orders them), and how many reports and attendee rows it sent; app.halls.figures moves them as
each report is stored. Halls that have reports get them here from those reports.
"""

import sqlalchemy as sa
from alembic import op

revision = "c8d4f1a2b6e0"
down_revision = "a1e7c3b9d5f2"
branch_labels = None
depends_on = None

# The latest report with a head count of the hall ``bridge_points.id`` (correlated, so the same
# text runs on SQLite and PostgreSQL, neither of which has UPDATE … FROM in a common form).
LATEST = (
    "SELECT r.{column} FROM attendance_reports r "
    "WHERE r.bridge_point_id = bridge_points.id AND r.head_count IS NOT NULL "
    "ORDER BY r.reported_at DESC, r.id DESC LIMIT 1"
)
BACKFILL = (
    "UPDATE bridge_points SET "
    f"head_count = ({LATEST.format(column='head_count')}), "
    f"head_count_at = ({LATEST.format(column='reported_at')}), "
    f"head_count_report_id = ({LATEST.format(column='id')}), "
    "reports = (SELECT count(*) FROM attendance_reports r "
    "WHERE r.bridge_point_id = bridge_points.id), "
    "attendees_reported = (SELECT coalesce(sum(r.attendees), 0) FROM attendance_reports r "
    "WHERE r.bridge_point_id = bridge_points.id) "
    "WHERE EXISTS (SELECT 1 FROM attendance_reports r WHERE r.bridge_point_id = bridge_points.id)"
)


def upgrade() -> None:
    with op.batch_alter_table("bridge_points") as batch:
        batch.add_column(sa.Column("head_count", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("head_count_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("head_count_report_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reports", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("attendees_reported", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("bridge_points") as batch:
        for column in (
            "attendees_reported",
            "reports",
            "head_count_report_id",
            "head_count_at",
            "head_count",
        ):
            batch.drop_column(column)
