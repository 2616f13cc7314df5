"""Indexes for the home screen: a campaign's progress, a commune's halls

Revision ID: 5e1f0c7a2d93
Revises: e5c0a7d19b43
Create Date: 2026-12-04 09:00:00.000000

The home screen shows each running campaign's new enrolments against its goal, and a commune's
users the province's events where the commune has a hall. ``ix_enrolments_progress`` covers the
progress count (scheme, new, paid date, commune, unit), so it is read from the index alone;
``ix_bridge_points_org_unit_id`` finds a commune's halls without reading every event's.
"""

from alembic import op

revision = "5e1f0c7a2d93"
down_revision = "e5c0a7d19b43"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_enrolments_progress",
        "enrolments",
        ["scheme", "is_new", "paid_on", "commune_id", "org_unit_id"],
    )
    op.create_index("ix_bridge_points_org_unit_id", "bridge_points", ["org_unit_id"])


def downgrade() -> None:
    op.drop_index("ix_bridge_points_org_unit_id", table_name="bridge_points")
    op.drop_index("ix_enrolments_progress", table_name="enrolments")
