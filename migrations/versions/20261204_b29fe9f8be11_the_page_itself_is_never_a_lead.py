"""The page itself is never a lead: unmark the page's own comments already stored

Revision ID: b29fe9f8be11
Revises: 8b392b5047f5
Create Date: 2026-12-04 09:00:00.000000

Until this revision a fanpage's own replies ("cán bộ sẽ liên hệ bạn", "gọi 0238 3844 112") were
scanned like a viewer's: marked as leads, their phone kept, listed for a call, and made into a
person with a comment touch of the event by ``flask followup link``. Data only, no schema:

1. A comment is the page's own when its author is the page or channel its target belongs to:
   ``author_external_id`` equals the account's ``external_id`` (the page id), or, for a target
   named by a Page post id ``{page}_{post}``, that page. Such comments lose their lead marks,
   intents, phone and person. (A YouTube account that does not name its channel cannot be told
   here; the collectors mark the channel's messages from now on.)
2. A person those comments pointed at loses its comment touch of an event where no lead comment
   of theirs is left, and a person made from comments (``consent_source`` "comment") with no touch
   and no comment left is deleted with its links: it was the page, never a human.

When any touch went, the reports' rollups are marked unbuilt (the reports read the source tables
again) until ``flask reports rollup --full`` rebuilds them. The downgrade changes nothing: the
page's comments were never leads.
"""
import logging

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b29fe9f8be11'
down_revision = '8b392b5047f5'
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
    sa.column("event_id", sa.Integer),
    sa.column("account_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("external_id", sa.String),
)
comments = sa.table(
    "comments",
    sa.column("id", sa.Integer),
    sa.column("target_id", sa.Integer),
    sa.column("author_external_id", sa.String),
    sa.column("is_lead", sa.Boolean),
    sa.column("lead_intents", sa.JSON),
    sa.column("phone", sa.LargeBinary),  # encrypted at rest
    sa.column("phone_bidx", sa.String),
    sa.column("person_id", sa.Integer),
)
attendances = sa.table(
    "attendances",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("source", sa.String),
)
people = sa.table("people", sa.column("id", sa.Integer), sa.column("consent_source", sa.String))
links = sa.table("links", sa.column("person_id", sa.Integer))
rollup_state = sa.table("rollup_state", sa.column("name", sa.String))


def _owners(bind) -> dict[int, set[str]]:
    """Each target's page or channel id(s): its account's, and a Page post id's prefix."""
    owners: dict[int, set[str]] = {}
    stmt = sa.select(targets.c.id, targets.c.kind, targets.c.external_id, accounts.c.external_id)
    stmt = stmt.select_from(targets.outerjoin(accounts, accounts.c.id == targets.c.account_id))
    for target_id, kind, external_id, page in bind.execute(stmt):
        ids = {page} if page else set()
        if kind == "facebook_post" and "_" in (external_id or ""):
            ids.add(external_id.partition("_")[0])
        if ids:
            owners[target_id] = ids
    return owners


def _unmark(bind, owners: dict[int, set[str]]) -> tuple[int, set[int]]:
    """Page comments lose lead marks, phone and person; returns how many, and those people."""
    marked = sa.or_(
        comments.c.is_lead, comments.c.phone_bidx.is_not(None), comments.c.person_id.is_not(None)
    )
    unmarked, persons = 0, set()
    for target_id, ids in owners.items():
        mine = sa.and_(comments.c.target_id == target_id, comments.c.author_external_id.in_(ids))
        persons |= set(
            bind.scalars(
                sa.select(comments.c.person_id).where(mine, comments.c.person_id.is_not(None))
            )
        )
        unmarked += bind.execute(
            comments.update().where(mine, marked).values(
                is_lead=False, lead_intents=[], phone=None, phone_bidx=None, person_id=None
            )
        ).rowcount
    return unmarked, persons


def _drop_touches(bind, persons: set[int]) -> tuple[int, int]:
    """Comment touches with no lead comment left, then people made only of the page."""
    still = sa.exists().where(
        comments.c.person_id == attendances.c.person_id,
        comments.c.is_lead,
        comments.c.target_id.in_(
            sa.select(targets.c.id).where(targets.c.event_id == attendances.c.event_id)
        ),
    )
    dropped = deleted = 0
    for person in sorted(persons):
        dropped += bind.execute(
            attendances.delete().where(
                attendances.c.person_id == person, attendances.c.source == "comment", ~still
            )
        ).rowcount
        left = bind.scalar(
            sa.select(sa.func.count()).select_from(attendances).where(
                attendances.c.person_id == person
            )
        ) + bind.scalar(
            sa.select(sa.func.count()).select_from(comments).where(comments.c.person_id == person)
        )
        made = bind.scalar(sa.select(people.c.consent_source).where(people.c.id == person))
        if not left and made == "comment":
            bind.execute(links.delete().where(links.c.person_id == person))
            deleted += bind.execute(people.delete().where(people.c.id == person)).rowcount
    return dropped, deleted


def upgrade():
    bind = op.get_bind()
    unmarked, persons = _unmark(bind, _owners(bind))
    dropped, deleted = _drop_touches(bind, persons)
    log.info("Page comments unmarked: %s; their touches dropped: %s, people deleted: %s",
             unmarked, dropped, deleted)
    if dropped:
        bind.execute(rollup_state.delete().where(rollup_state.c.name == ROLLUP_STATE))
        log.info("Report rollups marked unbuilt: run `flask reports rollup --full`")


def downgrade():
    pass
