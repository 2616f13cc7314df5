"""Date touches to the event: a sheet's visits to the event's start, a check-in's to its report

Revision ID: 8b392b5047f5
Revises: b3648a448de8
Create Date: 2026-12-03 09:00:00.000000

Until this revision an attendee sheet dated every visit it brought (``attendances.touched_at``)
with the moment of the import, so a sheet imported after an event lost the enrolments paid in
between, and one imported before it moved the attribution window early. Data only, no schema:

1. Visits the attendee-sheet import wrote (source "sheet", source_ref "sheet:<batch>:<row>" of
   an "attendees" batch of the same event) all carry an import time: they take the event's
   actual start, else its planned start, as the import now dates a sheet without a date column
   (no sheet could have one before). Visits of events with neither date stay as they are.
2. Any other "sheet" visit (generated data) later than the event's end (actual, else planned)
   takes the event's start.
3. A check-in visit (source "checkin", source_ref "checkin:<hall>:<idempotency key>:<n>") later
   than the time of the report it came with takes that time. The check-in wrote both from one
   clock, so this finds nothing in data the application wrote; it states the rule.

Comment leads keep the comment's time. The reports' rollups hold credit computed from the old
times: when any visit moved, they are marked unbuilt (the reports read the source tables again)
until ``flask reports rollup --full`` rebuilds them. The downgrade changes nothing: the import
times are not kept.
"""
import logging

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8b392b5047f5'
down_revision = 'b3648a448de8'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
ROLLUP_STATE = "event_facts"
CHUNK = 1000

events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("actual_start", sa.DateTime(timezone=True)),
    sa.column("planned_start", sa.DateTime(timezone=True)),
    sa.column("actual_end", sa.DateTime(timezone=True)),
    sa.column("planned_end", sa.DateTime(timezone=True)),
)
attendances = sa.table(
    "attendances",
    sa.column("id", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("bridge_point_id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("source_ref", sa.String),
    sa.column("touched_at", sa.DateTime(timezone=True)),
)
batches = sa.table(
    "import_batches",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("event_id", sa.Integer),
)
reports = sa.table(
    "attendance_reports",
    sa.column("bridge_point_id", sa.Integer),
    sa.column("idempotency_key", sa.String),
    sa.column("reported_at", sa.DateTime(timezone=True)),
)
rollup_state = sa.table("rollup_state", sa.column("name", sa.String))


def _of_the_event(*columns):
    return (
        sa.select(sa.func.coalesce(*columns))
        .where(events.c.id == attendances.c.event_id)
        .scalar_subquery()
    )


def _sheets(bind) -> int:
    start = _of_the_event(events.c.actual_start, events.c.planned_start)
    end = _of_the_event(events.c.actual_end, events.c.planned_end)
    ref = sa.literal("sheet:") + sa.cast(batches.c.id, sa.String) + sa.literal(":%")
    imported = sa.exists().where(
        batches.c.kind == "attendees",
        batches.c.event_id == attendances.c.event_id,
        attendances.c.source_ref.like(ref),
    )
    sheet = attendances.c.source == "sheet"
    moved = bind.execute(
        attendances.update()
        .where(sheet, imported, start.is_not(None), attendances.c.touched_at != start)
        .values(touched_at=start)
    ).rowcount
    moved += bind.execute(
        attendances.update()
        .where(sheet, start.is_not(None), end.is_not(None), attendances.c.touched_at > end)
        .values(touched_at=start)
    ).rowcount
    return moved


def _checkins(bind) -> int:
    sent = {
        (str(point), key): at
        for point, key, at in bind.execute(
            sa.select(reports.c.bridge_point_id, reports.c.idempotency_key, reports.c.reported_at)
        )
    }
    changes = []
    for id_, ref, touched in bind.execute(
        sa.select(attendances.c.id, attendances.c.source_ref, attendances.c.touched_at).where(
            attendances.c.source == "checkin"
        )
    ):
        head, _, index = (ref or "").rpartition(":")
        kind, _, rest = head.partition(":")
        point, _, key = rest.partition(":")
        at = sent.get((point, key)) if kind == "checkin" and index.isdigit() else None
        if at is not None and touched > at:
            changes.append({"row": id_, "at": at})
    update = (
        attendances.update()
        .where(attendances.c.id == sa.bindparam("row"))
        .values(touched_at=sa.bindparam("at"))
    )
    for start in range(0, len(changes), CHUNK):
        bind.execute(update, changes[start : start + CHUNK])
    return len(changes)


def upgrade():
    bind = op.get_bind()
    sheets, checkins = _sheets(bind), _checkins(bind)
    log.info("Visits dated to the event: %s from sheets, %s from check-ins", sheets, checkins)
    if sheets or checkins:
        bind.execute(rollup_state.delete().where(rollup_state.c.name == ROLLUP_STATE))
        log.info("Report rollups marked unbuilt: run `flask reports rollup --full`")


def downgrade():
    pass
