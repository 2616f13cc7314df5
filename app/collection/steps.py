"""The named steps that follow the write of a batch, each given the writer's ``Change``.

Inside the batch's transaction, in this order (``IN_TRANSACTION``): their rows commit or roll back
with the batch's, so a crash never leaves a batch without them, nor them without the batch.

- ``register_leads``: the batch's new lead comments become people (app.attendance.lead_people),
  so "People identified" and the follow-up count them from the moment they are stored. In a
  SAVEPOINT of its own: a lead that cannot be registered is logged and left to ``flask followup
  link`` (``register_pending_leads``), and the batch's samples and comments commit without it.
- ``match_halls``: participants whose display name names one of the event's halls get that hall.
- ``refresh_rollups``: the managers' rollup row of this event (views and interactions only).

After the commit the runner publishes the change (``app.realtime.publish``, which has app.live
build the delta): no browser sees a figure the database does not hold.
"""

from __future__ import annotations

from collections.abc import Callable

from app.attendance.lead_people import register_apart, register_collected_leads
from app.collection.changes import Change
from app.extensions import db
from app.halls.roster import match_new_participants
from app.models import Target
from app.reports.rollups.build import refresh_online

Step = Callable[[Change], None]


def register_leads(change: Change) -> None:
    if change.leads:
        register_apart(register_collected_leads, [c.id for c in change.leads])


def match_halls(change: Change) -> None:
    if change.participants:
        target = db.session.get(Target, change.target_id)
        if target is not None:
            match_new_participants(target)


def refresh_rollups(change: Change) -> None:
    if change.samples or change.comments:
        refresh_online(change.event_id)


IN_TRANSACTION: tuple[Step, ...] = (register_leads, match_halls, refresh_rollups)


def run_in_transaction(change: Change) -> None:
    for step in IN_TRANSACTION:
        step(change)
