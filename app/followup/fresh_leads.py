"""The free leads nobody worked yet of "My calls" (``app.followup.my_calls``): counted no further
than a cap, and read a page at a time, event by event from the newest, never as a whole.

The listed people (``calls.listed_once``) of a province's events are tens of thousands of pairs;
a commune's user sees few of them. Their part is found from the commune (``Reach``): the people
who live there or were at its halls, and its own events, as lists of ids the indexes read, so
the commune's counts and pages read its people's touches, not the province's every pair.
``people_in_part`` still decides who is theirs on the rows so found.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    exists,
    func,
    or_,
    select,
    union,
    union_all,
)

from app.extensions import db
from app.followup.calls import (
    attended_once,
    attended_pairs,
    commenters_once,
    commenters_only,
    listed_once,
    may_call,
)
from app.models import Attendance, BridgePoint, Comment, Event, LeadWork, OrgKind, Person, User
from app.scoping import people_in_part, subtree_ids

DEEP = 1000  # rows to skip past which a page counts every event's fresh leads at once


@dataclass(frozen=True)
class Reach:
    """A commune user's part as lists of ids: its own events (seen whole), and the people who
    may be theirs in the events seen in part (those who live in its units or were at its halls)."""

    own: frozenset[int]
    people: list[int]
    # ``in_part`` of the row's event (``Event``, joined by every statement here), built once:
    # SQLAlchemy building it again for each query cost more than the queries.
    part: ColumnElement[bool]


def reach(user: User) -> Reach | None:
    """The ``Reach`` of a commune's user; None above the communes (they see events whole)."""
    if user.org_unit.kind != OrgKind.COMMUNE:
        return None
    units = subtree_ids(user.org_unit)
    own = db.session.scalars(select(Event.id).where(Event.org_unit_id.in_(units)))
    lives = select(Person.id).where(Person.commune_id.in_(units))
    halls = select(BridgePoint.id).where(BridgePoint.org_unit_id.in_(units))
    seen = select(Attendance.person_id).where(Attendance.bridge_point_id.in_(halls))
    people = sorted(db.session.scalars(union(lives, seen)))
    own = frozenset(own)
    part = or_(Event.org_unit_id.in_(units), people_in_part(Event.id, user))
    return Reach(own, people, part)


def inline(ids: Collection[int]) -> BindParameter[Any]:
    """Ids written into the statement: the planner sees how few they are (and a commune's
    thousands never reach a driver's limit of bound parameters)."""
    return bindparam("ids", sorted(ids), expanding=True, literal_execute=True, unique=True)


def in_part(user: User, event_id: ColumnElement[int]) -> ColumnElement[bool] | None:
    """For a commune's user, whose leads they see: their own events' all, of the events above
    theirs (seen in part) their people alone; None for a user above the communes."""
    if user.org_unit.kind != OrgKind.COMMUNE:
        return None
    whole = Event.org_unit_id.in_(subtree_ids(user.org_unit))
    return or_(whole, people_in_part(event_id, user))


def within_reach(
    event_id: ColumnElement[int], person_id: ColumnElement[int], found: Reach
) -> ColumnElement[bool]:
    """Rows of the commune's own events or of its people: what ``in_part`` may keep, as two
    lists of ids (an index each), so that the rest is never read."""
    return or_(event_id.in_(inline(found.own)), person_id.in_(inline(found.people)))


def fresh(found: Reach | None, pairs: Select[Any], select_: Select[Any]) -> Select[Any]:
    """``select_`` of ``pairs`` (person_id, event_id: a part of ``calls.listed_people``) that
    nobody worked yet and the user may take (``found``: a commune's part), with a number to
    call."""
    sq = pairs.subquery("pairs")
    unworked = ~exists().where(
        LeadWork.person_id == sq.c.person_id, LeadWork.event_id == sq.c.event_id
    )
    stmt = (
        select_.select_from(sq)
        .join(Person, Person.id == sq.c.person_id)
        .join(Event, Event.id == sq.c.event_id)
        .where(unworked, Person.phone.is_not(None), may_call())
    )
    return stmt if found is None else stmt.where(found.part)


def count_upto(stmt: Select[Any], most: int) -> int:
    """How many rows ``stmt`` has, read no further than ``most``."""
    first = stmt.limit(most).subquery()
    return int(db.session.scalar(select(func.count()).select_from(first)) or 0)


def _pair_sets(
    events: Select[Any], found: Reach | None, *, repeats: bool = False
) -> list[Select[Any]]:
    """The listed people of ``events`` in flat parts that never share a pair: attendees, then
    commenters who did not attend; for a commune's user, of its own events whole, then of the
    others its people's alone (read from them). ``repeats``: a pair as often as its touches or
    comments (for a count of distinct people per event, cheaper than making each pair once)."""
    attended, commented = (_attended, _commented) if repeats else (attended_once, commenters_once)
    if found is None:
        return [attended(events), commented(events)]
    own = events.where(Event.id.in_(inline(found.own)))
    others = events.where(Event.id.not_in(inline(found.own)))
    people = inline(found.people)
    return [attended(own), commented(own),
            attended(others, people), commented(others, people)]  # fmt: skip


def _attended(events: Select[Any], people: Any = None) -> Select[Any]:
    pairs = attended_pairs(events)
    return pairs if people is None else pairs.where(Attendance.person_id.in_(people))


def _commented(events: Select[Any], people: Any = None) -> Select[Any]:
    pairs = commenters_only(events)
    return pairs if people is None else pairs.where(Comment.person_id.in_(people))


def fresh_count(events: Select[Any], found: Reach | None, most: int) -> int:
    """The fresh leads of ``events``, counted part by part up to ``most`` in all (flat joins that
    stop at their LIMIT: no union of a province's pairs is read whole)."""
    n = 0
    for pairs in _pair_sets(events, found):
        n += count_upto(fresh(found, pairs, select(Person.id)), most - n)
        if n >= most:
            break
    return n


def per_event(events: Select[Any], found: Reach | None) -> dict[int, int]:
    """How many fresh leads each event has: every pair read, in one grouped count per part (of
    distinct people: a part holds a pair once per touch or comment)."""
    per: dict[int, int] = {}
    counted = select(Event.id, func.count(Person.id.distinct()))
    for pairs in _pair_sets(events, found, repeats=True):
        counting = fresh(found, pairs, counted).group_by(Event.id)
        for event_id, n in db.session.execute(counting):
            per[event_id] = per.get(event_id, 0) + int(n)
    return per


def deep(skip: int, found: Reach | None) -> bool:
    """Whether a page from the ``skip``-th row counts every event's fresh leads at once
    (``per_event``) rather than event after event: a commune's page past the first (its few
    leads), and a province's deep page (past ``DEEP``)."""
    return skip > DEEP or bool(skip and found)


def fresh_people(
    events: Select[Any],
    found: Reach | None,
    skip: int,
    wanted: int,
    counted: dict[int, int] | None = None,
) -> list[tuple[int, str, Person]]:
    """(event id, title, person) of ``wanted`` fresh leads from the ``skip``-th, newest event
    first, by person in an event. With ``counted`` (``per_event``), the events the page meets
    are found from it and read in one statement; else event by event until enough (an event
    passed over is only counted, up to what is left to skip), so a first page reads the few
    events it shows."""
    start = func.coalesce(Event.actual_start, Event.planned_start).desc()
    order = select(Event.id, Event.title).where(Event.id.in_(events)).order_by(start, Event.id)
    if counted is not None:
        return _met(found, order, counted, skip, wanted)
    rows: list[tuple[int, str, Person]] = []
    for event_id, title in db.session.execute(order):
        if len(rows) >= wanted:
            break
        one = select(Event.id).where(Event.id == event_id)
        whole = found is None or event_id in found.own
        pairs = listed_once(one) if whole else listed_once(one, inline(found.people))
        if skip:
            n = count_upto(fresh(found, pairs, select(Person.id)), skip)
            if n < skip:
                skip -= n
                continue
        people = fresh(found, pairs, select(Person)).order_by(Person.id)
        page = people.limit(wanted - len(rows)).offset(skip)
        rows += [(event_id, title, person) for person in db.session.scalars(page)]
        skip = 0
    return rows


def _met(
    found: Reach | None, order: Select[Any], counted: dict[int, int], skip: int, wanted: int
) -> list[tuple[int, str, Person]]:
    """``fresh_people`` from the events' counts: the events before the page passed over by
    their count, those it meets read in one statement in the page's order."""
    met: list[int] = []
    ahead = 0  # fresh leads of the events met, from the page's first
    for event_id in db.session.scalars(order.with_only_columns(Event.id)):
        n = counted.get(event_id, 0)
        if not met and n <= skip:
            skip -= n
            continue
        if n:
            met.append(event_id)
            ahead += n - (skip if len(met) == 1 else 0)
        if ahead >= wanted:
            break
    if not met:
        return []
    pairs = union_all(*_pair_sets(select(Event.id).where(Event.id.in_(met)), found))
    start = func.coalesce(Event.actual_start, Event.planned_start).desc()
    stmt = fresh(found, pairs, select(Event.id, Event.title, Person))
    page = stmt.order_by(start, Event.id, Person.id).limit(wanted).offset(skip)
    return [(event_id, title, person) for event_id, title, person in db.session.execute(page)]
