"""No cost on the rollup row of an event not started yet

Revision ID: e8c3a1f5b702
Revises: d1b7e4a8c520
Create Date: 2026-12-16 09:00:00.000000

A report counted a scheduled event (a livestream planned for next week, its cost typed in) as an
activity and its cost as spent. The rollup row now keeps its event's cost only once the event has
started (live or ended, or dated by an actual start), NULL before: the sums count the activities
as the rows with a cost. No schema change: the rows of events not started lose their cost, and
the downgrade copies every event's cost back.
"""

from alembic import op

revision = "e8c3a1f5b702"
down_revision = "d1b7e4a8c520"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE event_rollups SET cost_vnd = NULL WHERE event_id IN ("
        "SELECT id FROM events WHERE status = 'scheduled' AND actual_start IS NULL)"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE event_rollups SET cost_vnd = "
        "(SELECT events.cost_vnd FROM events WHERE events.id = event_rollups.event_id)"
    )
