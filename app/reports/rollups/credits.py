"""The credit of one report under several schemes and windows, summed in one pass.

A campaign's page sets its credited enrolments beside the reports' (``app.reports.reconcile``):
the same events, the same moment, read under every scheme and two windows. Each is a column of
one statement over the campaign's rollup rows (each row's share already stored per scheme and
window), where a whole report per scheme and window summed the rows, counted the people and
read the offline entries again, four times over, for one figure each.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, case, cast, exists, func, select

from app.extensions import db
from app.models import Event, EventRollup
from app.reports.facts import ReportFilter, held_sql
from app.reports.rollups.grouped import all_rolled
from app.reports.rollups.read import credit_share, event_facts_of
from app.reports.rollups.sums import in_scope, planned_for_its_values
from app.reports.sources import scoped_events


def same_events(fs: Sequence[ReportFilter]) -> bool:
    """Whether the filters select the same events at the same moment (scheme and window apart)."""
    first = fs[0]
    return all(
        (g.unit.id, g.start, g.end, g.campaign, g.as_of)
        == (first.unit.id, first.start, first.end, first.campaign, first.as_of)
        for g in fs
    )


def credits(fs: Sequence[ReportFilter]) -> list[float]:
    """The enrolments each filter's report credits to its events held at its moment (``as_of``
    set), before rounding: the rollup rows' shares summed as ``sums`` sums them, plus the events
    without a rollup row yet read as ``grouped_report`` reads them."""
    if not fs:
        return []
    if not same_events(fs):
        raise ValueError("credits: the filters must select the same events at the same moment")
    f = fs[0]
    ids = scoped_events(f)
    held = held_sql(EventRollup.start_at, f.now)
    columns = [
        func.sum(cast(case((held, func.coalesce(credit_share(g), 0.0)), else_=0.0), Float))
        for g in fs
    ]
    planned_for_its_values()
    sums = db.session.execute(in_scope(select(*columns), ids, f)).one()
    out = [float(s or 0.0) for s in sums]
    if not all_rolled():  # events created since the last build: computed from the sources
        missing = ids.where(~exists().where(EventRollup.event_id == Event.id))
        for i, g in enumerate(fs):
            out[i] += sum(fact.enrolments for fact in event_facts_of(missing, g))
    return out
