"""When an officer's end of its event ended a tracked object the platform had not ended

Revision ID: f2c8b6d4a913
Revises: e3a9c1f5b207
Create Date: 2026-12-19 09:00:00.000000

An officer who ends an event ends its tracked objects with it, as their platform would at the
officer's end time: ``hand_ended_at`` is that time. The collector reads the object's final
figures once as at that end (Facebook's total views, the last comments), and setting the event
live again clears it so that collection resumes.

The targets an officer's end already stopped (their event ended by hand, finished, not ended by
their platform, which still said "live") are ended so, at the event's end: pages and reports then
take the livestream as finished. A Facebook or YouTube live among them not paused gets its last
read, due at once (its total views were never read). Every other target keeps NULL.
"""

import sqlalchemy as sa
from alembic import op

revision = "f2c8b6d4a913"
down_revision = "e3a9c1f5b207"
branch_labels = None
depends_on = None


# The kinds whose collector reads an object's final figures at an officer's end
# (``collectors.CollectorType.final_read``), as this revision has them.
FINAL_READ_KINDS = ("facebook_live", "youtube_live")


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("hand_ended_at", sa.DateTime(timezone=True), nullable=True))
    targets = sa.table("targets", sa.column("id"), sa.column("event_id"), sa.column("kind"),
                       sa.column("status"), sa.column("finished_at"), sa.column("next_run_at"),
                       sa.column("paused_reason"), sa.column("hand_ended_at"))  # fmt: skip
    events = sa.table("events", sa.column("id"), sa.column("ended_by_id"), sa.column("actual_end"))
    by_hand = sa.select(events.c.id).where(events.c.ended_by_id.is_not(None))
    event_end = sa.select(events.c.actual_end).where(events.c.id == targets.c.event_id)
    stopped = sa.and_(
        targets.c.event_id.in_(by_hand),
        targets.c.finished_at.is_not(None),
        sa.or_(targets.c.status.is_(None), targets.c.status != "ended"),
    )
    op.execute(
        targets.update()
        .where(stopped)
        .values(
            status="ended",
            hand_ended_at=sa.func.coalesce(event_end.scalar_subquery(), targets.c.finished_at),
        )
    )
    op.execute(
        targets.update()
        .where(
            targets.c.hand_ended_at.is_not(None),
            targets.c.kind.in_(FINAL_READ_KINDS),
            targets.c.paused_reason.is_(None),
        )
        .values(finished_at=None, next_run_at=targets.c.hand_ended_at)
    )


def downgrade() -> None:
    # Those still waiting for their last read stop, as an officer's end stopped them before.
    targets = sa.table("targets", sa.column("finished_at"), sa.column("hand_ended_at"))
    op.execute(
        targets.update()
        .where(targets.c.hand_ended_at.is_not(None), targets.c.finished_at.is_(None))
        .values(finished_at=targets.c.hand_ended_at)
    )
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("hand_ended_at")
