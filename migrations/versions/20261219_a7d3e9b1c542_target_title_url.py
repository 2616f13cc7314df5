"""A target's title and link, so officers see what is tracked as they know it

Revision ID: a7d3e9b1c542
Revises: f6b2d8a4c1e7
Create Date: 2026-12-19 09:00:00.000000

The event page listed a Facebook live by its live-video node id, which is not the video id in the
link the officer pasted: nothing told them what was tracked. ``title`` keeps what the platform
calls the object, ``url`` where to open it. NULL for existing targets, except those of the
events discovery created, whose title and permalink the event kept (its title, its description
when that is a facebook.com address); the collectors fill the others' as they next read them.
"""

import sqlalchemy as sa
from alembic import op

revision = "a7d3e9b1c542"
down_revision = "f6b2d8a4c1e7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("title", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("url", sa.String(length=2000), nullable=True))
    events = sa.table(
        "events",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("description", sa.Text),
        sa.column("origin", sa.String),
    )
    targets = sa.table(
        "targets",
        sa.column("event_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("title", sa.String),
        sa.column("url", sa.String),
    )
    discovered = sa.and_(
        events.c.id == targets.c.event_id,
        events.c.origin == "discovered",
        targets.c.kind == "facebook_live",
    )
    title = sa.select(sa.func.substr(events.c.title, 1, 500)).where(discovered)
    op.execute(targets.update().values(title=title.scalar_subquery()).where(
        sa.exists(sa.select(events.c.id).where(discovered))
    ))  # fmt: skip
    permalink = sa.and_(
        discovered,
        events.c.description.like("https://www.facebook.com/%"),
        ~events.c.description.like("% %"),  # one address, nothing an officer wrote after it
        sa.func.length(events.c.description) <= 2000,
    )
    url = sa.select(events.c.description).where(permalink)
    op.execute(targets.update().values(url=url.scalar_subquery()).where(
        sa.exists(sa.select(events.c.id).where(permalink))
    ))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("url")
        batch.drop_column("title")
