"""Count the people cells again: a second touch of one event counted its person twice

Revision ID: b7d2e5a9c3f1
Revises: a6e3f9c2d417
Create Date: 2026-12-12 09:00:00.000000

A person checked in at a hall and then listed on its attendee sheet has two touches of one event.
When the second came, the people cells (``people_rollups``) took the event as new to that person
and counted them again, so a month's or a year's "people identified" read from the rollups grew
past the count from the touches. The writers count touches now; the cells stored before may be
too high, so the rollups are marked unbuilt: the reports read the source tables until the
scheduler's first build (or ``flask reports rollup --full``) counts them again. Nothing to undo.
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2e5a9c3f1"
down_revision = "a6e3f9c2d417"
branch_labels = None
depends_on = None

ROLLUP_STATE = "event_facts"
rollup_state = sa.table("rollup_state", sa.column("name", sa.String))


def upgrade() -> None:
    op.execute(rollup_state.delete().where(rollup_state.c.name == ROLLUP_STATE))


def downgrade() -> None:
    pass
