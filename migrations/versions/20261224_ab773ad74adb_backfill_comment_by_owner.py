"""The page's own replies stored before d4b8e2a6f917 are marked as such, and left uncounted

Revision ID: ab773ad74adb
Revises: d4b8e2a6f917
Create Date: 2026-12-24 09:00:00.000000

d4b8e2a6f917 stored ``comments.by_owner`` from then on and left every comment stored before it a
viewer's (false), so the office's earlier replies still showed as a viewer's on the live page and
counted in the comments and interactions. A comment is the page's own when its author is the page
or channel of its target, told as b29fe9f8be11 told it and as the collectors do: the author's id
is the target's account's ``external_id`` (the Facebook page id, the YouTube channel id when the
account names it), or, for a target named by a Page post id ``{page}_{post}``, that page. One
UPDATE per database, with no row read into Python, marks them. (A YouTube account that does not
name its channel cannot be told here; its chat owner's messages get their mark when read again.)

The reports' rollups counted those replies in each event's interactions, and their catch-up only
follows new rows: when any comment was marked they are marked unbuilt (the reports read the
source tables) until the scheduler's first build, or ``flask reports rollup --full``, counts them
again, as b7d2e5a9c3f1 did. The downgrade changes nothing: the replies were the page's all along,
and d4b8e2a6f917's downgrade drops the column anyway.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "ab773ad74adb"
down_revision = "d4b8e2a6f917"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
ROLLUP_STATE = "event_facts"

accounts = sa.table(
    "platform_accounts", sa.column("id", sa.Integer), sa.column("external_id", sa.String)
)
targets = sa.table(
    "targets",
    sa.column("id", sa.Integer),
    sa.column("account_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("external_id", sa.String),
)
comments = sa.table(
    "comments",
    sa.column("target_id", sa.Integer),
    sa.column("author_external_id", sa.String),
    sa.column("by_owner", sa.Boolean),
)
rollup_state = sa.table("rollup_state", sa.column("name", sa.String))


def _page_of_post(dialect: str) -> sa.ColumnElement[str]:
    """The ``{page}`` of a Page post id ``{page}_{post}`` (no ``_``: matches no author)."""
    post = targets.c.external_id
    if dialect == "postgresql":
        return sa.func.split_part(post, "_", 1)
    return sa.func.substr(post, 1, sa.func.instr(post, "_") - 1)


def _marking(dialect: str) -> sa.Update:
    """The one UPDATE: the unmarked comments whose author is their target's page or channel.

    A correlated EXISTS on the target (its primary key, and its account's): SQLite probes it
    once per comment with an author id, PostgreSQL hashes the targets and scans the comments once
    (a semi-join), so neither reads a row into Python however many millions there are.
    """
    author = comments.c.author_external_id
    own = sa.or_(
        author == accounts.c.external_id,
        sa.and_(
            targets.c.kind == "facebook_post",
            targets.c.external_id.contains("_", autoescape=True),
            author == _page_of_post(dialect),
        ),
    )
    target = (
        sa.select(sa.literal(1))
        .select_from(targets.outerjoin(accounts, accounts.c.id == targets.c.account_id))
        .where(targets.c.id == comments.c.target_id, own)
    )
    return (
        comments.update()
        .where(comments.c.by_owner == sa.false(), author.is_not(None), target.exists())
        .values(by_owner=sa.true())
    )


def upgrade() -> None:
    bind = op.get_bind()
    marked = bind.execute(_marking(bind.dialect.name)).rowcount
    log.info("The page's own comments stored before d4b8e2a6f917 marked: %s", marked)
    if marked:
        bind.execute(rollup_state.delete().where(rollup_state.c.name == ROLLUP_STATE))
        log.info("Report rollups marked unbuilt: run `flask reports rollup --full`")


def downgrade() -> None:
    pass
