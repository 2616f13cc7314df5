"""A report's rollup rows added up by the database: per channel, per month and per unit.

Each rollup row keeps its event's month in Vietnam, unit, channel, campaign and cost, so a year or
month is summed from the rollup indexes alone, without joining the events. PostgreSQL adds up the
three groupings in one pass (``GROUPING SETS``): about 470 rows for a province-year. SQLite has no
grouping sets: for a year or month it sums per month and channel from
``ix_event_rollups_month_sums`` and per unit and channel from ``ix_event_rollups_unit_sums``, each
in its index's order (no sort, 60 and 405 rows), and the channels' totals are the months' added
up; for any other period (events looked up one by one) per channel, unit and month, added into
the three here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, Select, String, case, cast, func, select, text, tuple_, type_coerce

from app.extensions import db
from app.models import EventRollup
from app.post_reach import added
from app.reports.facts import EVENT_REACH_KIND, ReportFilter, held_sql, month_bounds
from app.reports.rollups.read import credit_share
from app.scoping import subtree_ids

# Events held, reach, interactions, credit, cost spent, events planned and their cost, the
# posts' reach added up (None: none read), then the events held with a cost entered, their
# credit and the planned events with a cost entered (``app.reports.costs``: a cost not entered
# is unknown, not 0), of one group, as the database summed them.
Totals = list[Any]
POST_REACH = 7  # the place of the posts' reach in ``Totals``
VIEWS = frozenset(channel.value for channel, kind in EVENT_REACH_KIND.items() if kind == "views")
CHANNEL = type_coerce(EventRollup.channel, String)  # the plain value: no enum made per row
# GROUPING(local_month, org_unit_id) of a row of each grouping set.
BY_MONTH, BY_UNIT, BY_CHANNEL = 0b01, 0b10, 0b11


@dataclass
class Sums:
    """The totals per channel, per (month, channel) and per (unit, channel)."""

    by_channel: dict[str, Totals] = field(default_factory=dict)
    by_month: dict[tuple[str | None, str], Totals] = field(default_factory=dict)
    by_unit: dict[tuple[int, str], Totals] = field(default_factory=dict)


def whole_months(f: ReportFilter) -> tuple[str, str] | None:
    """The first and last local months of a period made of whole months ("2026-01", "2026-12"),
    which the rollup rows' ``local_month`` selects exactly; None for any other period."""
    if f.start is None or f.end is None or f.start.day != 1:
        return None
    if month_bounds(f.end.strftime("%Y-%m"))[1] != f.end:
        return None
    return f.start.strftime("%Y-%m"), f.end.strftime("%Y-%m")


def in_scope(
    stmt: Select[Any], ids: Select[Any], f: ReportFilter, by_month: bool = True
) -> Select[Any]:
    """``stmt`` (over the rollup rows) restricted to ``f``: a year or month by the rows' month,
    unit and campaign, through the month index (``by_month``) or the unit index; any other
    period as ``scoped_events`` does."""
    months = whole_months(f)
    if months is None:
        return stmt.where(EventRollup.event_id.in_(ids))
    unit = EventRollup.org_unit_id
    # "+ 0" keeps SQLite from reading the units through the unit index, whose order would need a
    # sort by month; it reads the period's range of the month index instead.
    stmt = stmt.where(EventRollup.local_month.between(*months))
    stmt = stmt.where((unit + 0 if by_month else unit).in_(subtree_ids(f.unit)))
    if f.campaign is not None:
        stmt = stmt.where(EventRollup.campaign_id == f.campaign.id)
    return stmt


def _figures(f: ReportFilter) -> list[Any]:
    """Count and sums of a group. Each is summed as a double: PostgreSQL sums a BIGINT as
    NUMERIC, digit by digit, and hands Python a Decimal per value. A double holds every whole
    number below 2^53 exactly, far above any province's views, interactions or cost.

    The activities held, their cost, their audience (views, people present, interactions) and
    their credit are those of the rows whose start has passed at the report's moment
    (``start_at``, read from the same index), as ``sources.event_fact`` counts them; every row
    and cost are counted too, the difference being the period's planned events (``_totals``).
    A cost not entered (NULL) adds nothing; the rows with one are counted, held and in all, and
    the credit of those held summed apart, the cost per enrolment's divisor."""
    cost = func.coalesce(EventRollup.cost_vnd, 0)
    held = held_sql(EventRollup.start_at, f.now)  # the sources' rule (facts.is_held)
    credit = func.coalesce(credit_share(f), 0.0)
    costed = held & EventRollup.cost_vnd.is_not(None)
    summed = [
        case((held, cost), else_=0),
        case((held, EventRollup.views), else_=0),
        case((held, func.coalesce(EventRollup.present, EventRollup.identified)), else_=0),
        case((held, EventRollup.interactions), else_=0),
        case((held, credit), else_=0.0),
        cost,
    ]
    sums = (func.sum(cast(column, Float)) for column in summed)
    # The posts' reach added up (NULL where no row has one): beside the views, never in them.
    post_reach = func.sum(cast(EventRollup.post_reach, Float))
    costed_credit = func.sum(cast(case((costed, credit), else_=0.0), Float))
    known = [func.count(case((costed, 1))), costed_credit, func.count(EventRollup.cost_vnd)]
    return [func.count(case((held, 1))), *sums, func.count(), post_reach, *known]


def sums(ids: Select[Any], f: ReportFilter) -> Select[Any]:
    """The rows of ``f`` summed per channel, unit and local month: SQLite's for a period of
    other than whole months, whose events are looked up one by one (no index order to follow)."""
    stmt = select(CHANNEL, EventRollup.org_unit_id, EventRollup.local_month, *_figures(f))
    stmt = stmt.group_by(EventRollup.channel, EventRollup.org_unit_id, EventRollup.local_month)
    return in_scope(stmt, ids, f)


def sums_by_month(ids: Select[Any], f: ReportFilter) -> Select[Any]:
    """The rows of ``f`` summed per local month and channel, in the month index's order."""
    stmt = select(CHANNEL, EventRollup.local_month, *_figures(f))
    stmt = stmt.group_by(EventRollup.local_month, EventRollup.channel)
    return in_scope(stmt, ids, f)


def sums_by_unit(ids: Select[Any], f: ReportFilter) -> Select[Any]:
    """The rows of ``f`` summed per unit and channel, in the unit index's order."""
    stmt = select(CHANNEL, EventRollup.org_unit_id, *_figures(f))
    stmt = stmt.group_by(EventRollup.org_unit_id, EventRollup.channel)
    return in_scope(stmt, ids, f, by_month=False)


def grouping_sets(ids: Select[Any], f: ReportFilter) -> Select[Any]:
    """The rows of ``f`` summed per channel, per month and channel, and per unit and channel, in
    one pass (PostgreSQL); each row says which by its ``GROUPING`` bits."""
    month, unit = EventRollup.local_month, EventRollup.org_unit_id
    stmt = select(func.grouping(month, unit), CHANNEL, unit, month, *_figures(f))
    sets = func.grouping_sets(
        tuple_(EventRollup.channel),
        tuple_(EventRollup.channel, month),
        tuple_(EventRollup.channel, unit),
    )
    return in_scope(stmt.group_by(sets), ids, f)


def planned_for_its_values() -> None:
    """Have PostgreSQL plan this transaction's statements for the values they carry.

    The driver prepares a statement on its fifth run on a connection, and PostgreSQL may then
    settle on a plan made for any values: for a province-year's sums such a plan took 48 ms where
    one made for the unit's subtree and the period took 30. ``SET LOCAL`` ends with the
    transaction (the request's); SQLite has no such plans.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def read_sums(ids: Select[Any], f: ReportFilter) -> Sums:
    """The three groupings' totals of ``f``, from the database."""
    planned_for_its_values()
    if db.session.get_bind().dialect.name == "postgresql":
        return _from_grouping_sets(ids, f)
    if whole_months(f) is None:
        return _fanned_out(ids, f)
    return _from_both_indexes(ids, f)


def _from_grouping_sets(ids: Select[Any], f: ReportFilter) -> Sums:
    out = Sums()
    for level, channel, unit_id, month, *figures in db.session.execute(grouping_sets(ids, f)):
        totals = _totals(channel, *figures)
        if level == BY_CHANNEL:
            out.by_channel[channel] = totals
        elif level == BY_MONTH:
            out.by_month[(month, channel)] = totals
        else:
            out.by_unit[(unit_id, channel)] = totals
    return out


def _from_both_indexes(ids: Select[Any], f: ReportFilter) -> Sums:
    out = Sums()
    for channel, month, *figures in db.session.execute(sums_by_month(ids, f)):
        out.by_month[(month, channel)] = totals = _totals(channel, *figures)
        _add(out.by_channel, channel, totals)
    for channel, unit_id, *figures in db.session.execute(sums_by_unit(ids, f)):
        out.by_unit[(unit_id, channel)] = _totals(channel, *figures)
    return out


def _fanned_out(ids: Select[Any], f: ReportFilter) -> Sums:
    out = Sums()
    for channel, unit_id, month, *figures in db.session.execute(sums(ids, f)):
        totals = _totals(channel, *figures)
        _add(out.by_channel, channel, totals)
        _add(out.by_month, (month, channel), totals)
        _add(out.by_unit, (unit_id, channel), totals)
    return out


def _totals(channel: str, *figures: Any) -> Totals:
    events, cost, seen, people, interactions, credit, all_cost, all_events, posts, *costed = figures
    costed_events, costed_credit, all_costed = costed
    reach = (seen if channel in VIEWS else people) or 0
    cost = cost or 0
    return [events, reach, interactions or 0, credit or 0, cost, all_events - events,
            (all_cost or 0) - cost, posts, costed_events, costed_credit or 0,
            all_costed - costed_events]  # fmt: skip


def _add(table: dict[Any, Totals], key: Any, totals: Totals) -> None:
    if (total := table.get(key)) is None:
        table[key] = list(totals)
        return
    for i, value in enumerate(totals):
        total[i] = added((total[i], value)) if i == POST_REACH else total[i] + value
