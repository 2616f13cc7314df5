"""Building ``event_rollups``: what the reports read instead of the source tables.

Each row holds one event's figures exactly as ``app.reports.sources`` computes them from the
sources (latest views and interactions, a post's reach, people present, people identified, and
the credit earned under every attribution model and window, among all enrolments and among each
scheme's for the campaigns' reports), so both paths give the same report.

What refreshes what, in the writer's own transaction:

- the runner's writer, after each batch: views and interactions of the touched event only
  (``refresh_online``);
- the session listeners (``app.reports.rollups.listeners``), for writes of touches, links, head
  counts, halls and events: the events of the people concerned (``refresh_events``), a hall's
  event's people present (``refresh_present``), and the people cells (``people_cells.apply``);
- ``flask reports rollup --full``, or the scheduler once on a new install (``first_build``):
  everything (``full_build.rebuild``), then the rollups are marked built. Until a full build the
  reports read the sources and nothing is refreshed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, Select, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from app.collection.upsert import upsert
from app.extensions import db
from app.followup.attribution import (
    DEFAULT_MODEL,
    MODELS,
    WINDOWS,
    Enrolled,
    Touch,
    find_conversions,
    of_scheme,
)
from app.followup.queries import COUNTING, local_day
from app.models import (
    Attendance,
    BridgePoint,
    Enrolment,
    Event,
    EventRollup,
    Link,
    PeopleRollup,
    RollupState,
    utcnow,
)
from app.post_reach import post_reach
from app.reports.sources import event_start, online_totals, people_identified, people_present
from app.timeparse import VN

STATE = "event_facts"
CHUNK = 1000
# The event's columns its row copies, with its month in Vietnam (``event_places``).
PLACE = ("org_unit_id", "channel", "campaign_id", "cost_vnd")
PLACE_COLUMNS = tuple(getattr(Event, name) for name in PLACE)
# What ``event_places`` derives from the event's start: its month in Vietnam and the start itself.
DATED = ("local_month", "start_at")
UNPLACED = dict.fromkeys((*DATED, *PLACE))
# Where the listeners gather what a transaction changed (``session.info``), until its commit.
PENDING = "lantoa_rollup_pending"
FIGURES = ("views", "interactions", "present", "identified", "credit", "credit_default",
           "credit_by_scheme", "refreshed_at", "post_reach", *DATED, *PLACE)  # fmt: skip
# What a runner batch moves: the samples' figures (a post's reach comes with its views).
ONLINE = ("views", "interactions", "post_reach", "refreshed_at")
# The credit a report shows unless asked otherwise, kept in a column of its own as well: summing
# it needs no JSON read per event (a province-year sums 20,000).
DEFAULT_CREDIT = (str(WINDOWS[-1]), DEFAULT_MODEL)


def built_at() -> ScalarSelect[Any]:
    """When the rollups were last built in full (NULL: never), as a column another statement can
    carry: a check-in learns it with its own writes instead of asking again before its commit."""
    return select(RollupState.built_at).where(RollupState.name == STATE).scalar_subquery()


def ready(session: Session | None = None) -> bool:
    """True once a full build has run: from then on the rollups are kept and read."""
    s = session or db.session
    return s.scalar(select(built_at())) is not None


def _ids(event_ids: Collection[int]) -> Select[Any]:
    return select(Event.id).where(Event.id.in_(list(event_ids)))


def credit_by_event(
    touches: Iterable[Touch], enrolments: list[Enrolled]
) -> dict[int, dict[str, dict[str, float]]]:
    """Each event's credit, ``{window: {model: share}}``, from these people's full histories."""
    touches = list(touches)
    credit: dict[int, dict[str, dict[str, float]]] = defaultdict(
        lambda: {str(w): dict.fromkeys(MODELS, 0.0) for w in WINDOWS}
    )
    for window in WINDOWS:
        for conversion in find_conversions(touches, enrolments, window):
            for model in MODELS:
                for event_id, share in conversion.credit(model).items():
                    credit[event_id][str(window)][model] += share
    return credit


Credit = dict[str, dict[str, float]]  # {window: {model: share}}


def credit_by_scheme(
    touches: Iterable[Touch], enrolments: list[Enrolled]
) -> dict[int, dict[str, Credit]]:
    """Each event's credit among each scheme's enrolments alone, ``{scheme: {window: {model:
    share}}}``: a campaign's conversions (app.followup.attribution). Only the touches of people
    with an enrolment of the scheme are replayed for it."""
    touches = list(touches)
    out: dict[int, dict[str, Credit]] = defaultdict(dict)
    for scheme in sorted({row.scheme for row in enrolments if row.scheme is not None}):
        rows = of_scheme(enrolments, scheme)
        people = {row.person_id for row in rows}
        credit = credit_by_event((t for t in touches if t.person_id in people), rows)
        for event_id, by_window in credit.items():
            out[event_id][scheme] = by_window
    return out


def add_credit(total: dict[str, Any], more: dict[str, Any]) -> None:
    """Add nested shares (``{window: {model: share}}``, or those per scheme) into ``total``."""
    for key, value in more.items():
        if isinstance(value, dict):
            add_credit(total.setdefault(key, {}), value)
        else:
            total[key] = total.get(key, 0.0) + value


def _rounded(credit: dict[str, dict[str, float]] | None) -> dict[str, dict[str, float]]:
    if credit is None:
        return {str(w): dict.fromkeys(MODELS, 0.0) for w in WINDOWS}
    return {w: {m: round(v, 6) for m, v in by.items()} for w, by in credit.items()}


def touches_and_enrolments(people: Select[Any]) -> tuple[list[Touch], list[Enrolled]]:
    """Every touch and counting enrolment of the people the subquery selects."""
    touches = [
        Touch(p, e, local_day(at))
        for p, e, at in db.session.execute(
            select(Attendance.person_id, Attendance.event_id, Attendance.touched_at).where(
                Attendance.person_id.in_(people)
            )
        )
    ]
    enrolled = [
        Enrolled(p, e, paid, bool(new), str(scheme))
        for p, e, paid, new, scheme in db.session.execute(
            select(
                Link.person_id, Enrolment.id, Enrolment.paid_on, Enrolment.is_new, Enrolment.scheme
            )
            .join(Enrolment, Enrolment.id == Link.enrolment_id)
            .where(Link.person_id.in_(people), Link.status.in_(COUNTING))
            .where(Enrolment.paid_on.is_not(None))
        )
    ]
    return touches, enrolled


def credit_columns(
    credit: dict[str, dict[str, float]] | None, by_scheme: dict[str, Credit] | None
) -> dict[str, Any]:
    rounded = _rounded(credit)
    window, model = DEFAULT_CREDIT
    schemes = {scheme: _rounded(c) for scheme, c in sorted((by_scheme or {}).items())}
    return {"credit": rounded, "credit_default": rounded[window][model],
            "credit_by_scheme": schemes}  # fmt: skip


def local_month(start: datetime | None) -> str | None:
    """The month an event starting at ``start`` belongs to in Vietnam: "2026-10"."""
    return None if start is None else start.astimezone(VN).strftime("%Y-%m")


def event_places(ids: Select[Any]) -> dict[int, dict[str, Any]]:
    """Each event's month in Vietnam (converted once here, so no report converts it per row), its
    start, unit, channel, campaign and cost: the columns a report groups, filters and sums by."""
    rows = db.session.execute(
        select(Event.id, event_start(), *PLACE_COLUMNS).where(Event.id.in_(ids))
    )
    return {
        event_id: {
            "local_month": local_month(start),
            "start_at": start,
            **dict(zip(PLACE, place, strict=True)),
        }
        for event_id, start, *place in rows
    }


def refresh_places(event_ids: Collection[int]) -> None:
    """Events moved to another date, unit, channel or campaign, or whose cost changed: their rows
    follow. The figures do not depend on these but for a post's reach, which only a post has (an
    event made a post, or no longer one, gains or loses it)."""
    ids = sorted(set(event_ids))
    columns = (*DATED, *PLACE, "post_reach")
    for start in range(0, len(ids), CHUNK):
        chunk = _ids(ids[start : start + CHUNK])
        places, reach = event_places(chunk), post_reach(chunk)
        rows = [{"id": i, **place, "post_reach": reach.get(i)} for i, place in places.items()]
        if rows:
            table = EventRollup.__table__
            db.session.execute(
                update(table)
                .where(table.c.event_id == bindparam("id"))
                .values({name: bindparam(name) for name in columns}),
                rows,
            )


def compute(event_ids: Collection[int], *, credit: bool = True) -> list[dict[str, Any]]:
    """The rollup rows of these events, computed from the source tables."""
    if not event_ids:
        return []
    ids = _ids(event_ids)
    online = online_totals(ids)
    present = people_present(ids)
    people = people_identified(ids)
    reach = post_reach(ids)
    places = event_places(ids)
    credits: dict[int, dict[str, dict[str, float]]] = {}
    by_scheme: dict[int, dict[str, Credit]] = {}
    if credit and people:
        attendees = select(Attendance.person_id).where(Attendance.event_id.in_(ids))
        history = touches_and_enrolments(attendees)
        credits = credit_by_event(*history)
        by_scheme = credit_by_scheme(*history)
    now = utcnow()
    return [
        {
            "event_id": event_id,
            "views": online.get(event_id, (0, 0))[0],
            "interactions": online.get(event_id, (0, 0))[1],
            "present": present.get(event_id),
            "identified": len(people.get(event_id, ())),
            "post_reach": reach.get(event_id),
            **credit_columns(credits.get(event_id), by_scheme.get(event_id)),
            "refreshed_at": now,
            **places.get(event_id, UNPLACED),
        }
        for event_id in event_ids
    ]


def write(rows: list[dict[str, Any]], columns: Iterable[str] = FIGURES) -> None:
    upsert(db.session, EventRollup.__table__, rows, ("event_id",), tuple(columns))


def refresh_events(event_ids: Collection[int]) -> int:
    """Recompute these events' rows in the current transaction; returns how many."""
    existing = [i for i in sorted(set(event_ids)) if i is not None]
    live = set(db.session.scalars(_ids(existing))) if existing else set()
    if gone := set(existing) - live:
        db.session.execute(delete(EventRollup).where(EventRollup.event_id.in_(gone)))
    ordered = sorted(live)
    for start in range(0, len(ordered), CHUNK):
        write(compute(ordered[start : start + CHUNK]))
    return len(ordered)


def events_of_people(person_ids: Collection[int]) -> set[int]:
    ids = sorted(person_ids)
    out: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        out.update(
            db.session.scalars(
                select(Attendance.event_id)
                .where(Attendance.person_id.in_(ids[start : start + CHUNK]))
                .distinct()
            )
        )
    return out


def refresh_people(person_ids: Collection[int]) -> int:
    """A touch or link of these people changed: every event they attended may change credit."""
    return refresh_events(events_of_people(person_ids))


def refresh_present(event_ids: Collection[int]) -> None:
    """A head count changed: only people present moves (a hall's count credits nobody).

    Recomputing the whole event on every check-in would replay the credit of all its people,
    once per hall, during the burst of a conference's start.
    """
    ids = sorted(set(event_ids))
    if not ids:
        return
    stored = set(
        db.session.scalars(select(EventRollup.event_id).where(EventRollup.event_id.in_(ids)))
    )
    if missing := set(ids) - stored:
        refresh_events(missing)
    if not stored:
        return
    present = present_from_halls(_ids(stored))
    now = utcnow()
    rows = [{"event_id": i, "present": present.get(i), "refreshed_at": now} for i in sorted(stored)]
    write(rows, ("present", "refreshed_at"))


def present_from_halls(event_ids: Select[Any]) -> dict[int, int]:
    """``sources.people_present`` read from the halls' rows, which keep their latest head count
    (``app.halls.figures``): as many rows as halls per check-in, not every report ranked again.
    A hall without a count counts its attendees, as there."""
    halls = db.session.execute(
        select(BridgePoint.id, BridgePoint.event_id, BridgePoint.head_count).where(
            BridgePoint.event_id.in_(event_ids)
        )
    ).all()
    uncounted = [hall_id for hall_id, _event, count in halls if count is None]
    attendees: dict[int, int] = {}
    for start in range(0, len(uncounted), CHUNK):
        attendees.update(
            db.session.execute(
                select(Attendance.bridge_point_id, func.count(func.distinct(Attendance.person_id)))
                .where(Attendance.bridge_point_id.in_(uncounted[start : start + CHUNK]))
                .group_by(Attendance.bridge_point_id)
            ).all()
        )
    out: dict[int, int] = defaultdict(int)
    for hall_id, event_id, count in halls:
        out[event_id] += int(count) if count is not None else attendees.get(hall_id, 0)
    return dict(out)


def refresh_online(event_id: int) -> None:
    """After a runner batch: this event's views, interactions and post reach only (no credit to
    replay)."""
    if not ready():
        return
    stored = db.session.scalar(select(EventRollup.event_id).where(EventRollup.event_id == event_id))
    if stored is None:
        refresh_events([event_id])
        return
    row = compute([event_id], credit=False)[0]
    write([row], ONLINE)


def drop() -> None:
    """Forget the rollups: the reports read the sources again (tests and benchmarks)."""
    db.session.execute(delete(RollupState).where(RollupState.name == STATE))
    db.session.execute(delete(EventRollup))
    db.session.execute(delete(PeopleRollup))
