"""An officer's calls across every event they see: the leads they hold, and those of their part
nobody holds yet that they may take, grouped by the call-back date.

A lead is listed by the same rules as on each event's follow-up list: of an event the user sees
(``app.scoping.visible_events``), in part only the people who are their unit's
(``app.scoping.people_in_part``); people who may be processed (``app.consent.may_process``) and
have not enrolled; a status still to call (``lead_status.CLOSED`` leaves out wrong numbers,
refusals and those who said they enrolled). Unheld leads are those of the events the user's own
unit organises, and of the events seen in part their unit's people: who a lead may go to
(``app.followup.lead_assign``), without reaching down to the units below, whose own officers
call their events' people. They are the leads someone already worked (a status, a date, a note)
and the people the follow-up list shows that nobody worked yet (``calls.listed_people``: an
attendee who agreed, a commenter made a person), those with a number to call: with no work, they
have no call-back date.

Groups are decided by the day in Vietnam: a call-back set for today stays "today" until local
midnight, whatever the server's zone. Each section is read in a few queries whatever the number of
events. The held: its page of rows, and its count per group. The free, in two parts that never
share a row and always sort one after the other: the worked leads (counted per group, a page read
like the held), then the listed people nobody worked yet (all "No call-back date", newest event
first): counted per event as two flat joins (attendees, then commenters who did not attend), no
union of a province's pairs sorted to drop repeats; a page of them is read from the events it
covers alone. The rows and their order are the rule's read whole (tests/app/followup/
test_my_calls_rule.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, CompoundSelect, Select, case, exists, func, or_, select, union

from app.extensions import db
from app.followup.calls import listed_once, may_call
from app.followup.lead_status import CLOSED
from app.models import Attendance, BridgePoint, Event, LeadStatus, LeadWork, OrgKind, Person, User
from app.scoping import participating_event_ids, people_in_part, subtree_ids, visible_events
from app.timeparse import VN

PAGE_SIZE = 50
# Counts stop at this many: past it a group reads "more than 1,000" and the pager goes on by
# "next" alone. A thousand leads is twenty pages, more than anyone goes through one by one, and a
# commune's leads stay under it (exact, with the number of pages); counting that far costs a few
# milliseconds where counting a province's every pair cost half a second.
CAP = 1000
NOTE_CHARS = 200
# The groups in the page's order, and their headings.
GROUPS = {
    "overdue": _l("Call-back date passed"),
    "today": _l("Today"),
    "upcoming": _l("Coming up"),
    "unscheduled": _l("No call-back date"),
}
ORDER = tuple(GROUPS)


@dataclass(frozen=True)
class MyCall:
    event_id: int
    event_title: str
    person_id: int
    name: str
    phone: str | None
    status: LeadStatus
    next_call_on: date | None
    note: str  # the notes' last line, shortened
    group: str  # a key of GROUPS


@dataclass(frozen=True)
class CallSection:
    rows: list[MyCall]  # this page's, in the groups' order
    counts: dict[str, int]  # every group's across all pages, counted up to ``CAP`` + 1
    page: int
    has_next: bool  # a row follows this page's (read as its ``PAGE_SIZE`` + 1st)
    over: frozenset[str] = frozenset()  # the groups holding more than ``CAP``: counted no further

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def pages(self) -> int | None:
        """How many pages, when every count is exact; None past ``CAP`` (never counted)."""
        return None if self.over else max(1, -(-self.total // PAGE_SIZE))

    def grouped(self) -> list[tuple[str, list[MyCall]]]:
        """This page's rows by group, in order, groups without a row left out."""
        return [(g, [r for r in self.rows if r.group == g]) for g in ORDER
                if any(r.group == g for r in self.rows)]  # fmt: skip


def local_today(now: datetime) -> date:
    """The day it is in Vietnam at ``now`` (an aware datetime)."""
    return now.astimezone(VN).date()


def _group(today: date) -> ColumnElement[int]:
    """The group's rank of a lead (its index in ``ORDER``) by its call-back date."""
    day = LeadWork.next_call_on
    return case((day.is_(None), 3), (day < today, 0), (day == today, 1), else_=2)


def _in_part(user: User, event_id: ColumnElement[int]) -> ColumnElement[bool] | None:
    """For a commune's user, whose leads they see: their own events' all, of the events above
    theirs (seen in part) their people alone; None for a user above the communes."""
    if user.org_unit.kind != OrgKind.COMMUNE:
        return None
    whole = Event.org_unit_id.in_(subtree_ids(user.org_unit))
    return or_(whole, people_in_part(event_id, user))


def part_candidates(user: User) -> Select[Any]:
    """Ids of the people who may be of a commune user's part (``people_in_part`` decides): those
    who live in its units, and those seen at one of its halls; found by the people's commune and
    the touches' hall (both indexed), a few hundred of a province's hundred thousand."""
    units = subtree_ids(user.org_unit)
    lives = select(Person.id).where(Person.commune_id.in_(units))
    halls = select(BridgePoint.id).where(BridgePoint.org_unit_id.in_(units))
    seen = select(Attendance.person_id).where(Attendance.bridge_point_id.in_(halls))
    return union(lives, seen)


def _to_call(user: User, taking_part: Sequence[int]) -> Select[Any]:
    """The worked leads still to call of the events ``user`` sees, in part only their people."""
    stmt = (
        select(LeadWork)
        .join(Person, Person.id == LeadWork.person_id)
        .join(Event, Event.id == LeadWork.event_id)
        .where(LeadWork.status.not_in(sorted(CLOSED)), may_call())
    )
    stmt = visible_events(stmt, user, taking_part)
    part = _in_part(user, LeadWork.event_id)
    return stmt if part is None else stmt.where(part)


def _held(user: User, taking_part: Sequence[int]) -> Select[Any]:
    return _to_call(user, taking_part).where(LeadWork.assignee_id == user.id)


def _free(user: User, taking_part: Sequence[int]) -> tuple[Select[Any], Select[Any]]:
    """Nobody's leads the user may take, of their own unit's events and the events seen in part
    (their people alone there), in two parts that never meet: the worked ones still to call
    (``LeadWork`` rows), and the events whose listed people nobody worked yet may be."""
    ours = Event.org_unit_id == user.org_unit_id
    if taking_part:
        ours = or_(ours, Event.id.in_(list(taking_part)))
    events = visible_events(select(Event.id).where(ours), user, taking_part)
    worked = (
        select(LeadWork)
        .join(Person, Person.id == LeadWork.person_id)
        .join(Event, Event.id == LeadWork.event_id)
        .where(LeadWork.event_id.in_(events), may_call())
        .where(LeadWork.assignee_id.is_(None), LeadWork.status.not_in(sorted(CLOSED)))
    )
    part = _in_part(user, LeadWork.event_id)
    return (worked if part is None else worked.where(part)), events


def _fresh(user: User, pairs: Select[Any], select_: Select[Any]) -> Select[Any]:
    """``select_`` of ``pairs`` (person_id, event_id: a part of ``calls.listed_people``) that
    nobody worked yet and the user may take, with a number to call."""
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
    part = _in_part(user, sq.c.event_id)
    return stmt if part is None else stmt.where(part)


def capped(stmt: Select[Any]) -> int:
    """How many rows ``stmt`` has, read no further than ``CAP`` + 1: exact up to ``CAP``."""
    first = stmt.limit(CAP + 1).subquery()
    return int(db.session.scalar(select(func.count()).select_from(first)) or 0)


def _counts(stmt: Select[Any], today: date) -> dict[int, int]:
    """The worked leads of ``stmt`` per group's rank, each counted up to ``CAP`` + 1."""
    group = _group(today)
    one = stmt.with_only_columns(LeadWork.id)
    return {rank: capped(one.where(group == rank)) for rank in range(len(ORDER))}


def _section_of(rows: list[MyCall], by_rank: dict[int, int], page: int) -> CallSection:
    counts = {g: by_rank.get(i, 0) for i, g in enumerate(ORDER)}
    over = frozenset(g for g, n in counts.items() if n > CAP)
    return CallSection(rows[:PAGE_SIZE], counts, page, len(rows) > PAGE_SIZE, over)


def _pairs(user: User, events: Select[Any], whole: bool) -> CompoundSelect:
    """The listed people of ``events`` (``calls.listed_once``); of events seen in part
    (``whole`` false: a commune's user), only the people who may be of the user's part, found
    from the commune (``part_candidates``), not by reading the province's every pair."""
    if whole or user.org_unit.kind != OrgKind.COMMUNE:
        return listed_once(events)
    return listed_once(events, people=part_candidates(user))


def _fresh_count(user: User, events: Select[Any]) -> int:
    """The fresh free leads, counted up to ``CAP`` + 1 (two counts for a commune's user: its
    own events whole, the events seen in part from its people)."""
    if user.org_unit.kind != OrgKind.COMMUNE:
        return capped(_fresh(user, _pairs(user, events, True), select(Person.id)))
    own = Event.org_unit_id.in_(subtree_ids(user.org_unit))
    whole = _fresh(user, _pairs(user, events.where(own), True), select(Person.id))
    part = _fresh(user, _pairs(user, events.where(~own), False), select(Person.id))
    return capped(whole) + capped(part)


def _fresh_rows(user: User, events: Select[Any], skip: int, wanted: int) -> list[MyCall]:
    """``wanted`` fresh free leads from the ``skip``-th, newest event first: read event by
    event, from the newest, until the page is full (an event passed over is only counted, up to
    what is left to skip), so a first page reads the few events it shows."""
    start = func.coalesce(Event.actual_start, Event.planned_start).desc()
    order = select(Event.id, Event.title, Event.org_unit_id).where(Event.id.in_(events))
    own = set(db.session.scalars(subtree_ids(user.org_unit)))
    rows: list[MyCall] = []
    for event_id, title, unit_id in db.session.execute(order.order_by(start, Event.id)):
        if len(rows) >= wanted:
            break
        pairs = _pairs(user, select(Event.id).where(Event.id == event_id), unit_id in own)
        if skip:
            here = _fresh(user, pairs, select(Person.id)).limit(skip).subquery()
            n = int(db.session.scalar(select(func.count()).select_from(here)) or 0)
            if n < skip:
                skip -= n
                continue
        people = _fresh(user, pairs, select(Person)).order_by(Person.id)
        rows += [MyCall(event_id, title, person.id, person.full_name, person.phone,
                        LeadStatus.NEW, None, "", "unscheduled")
                 for person in db.session.scalars(
                     people.limit(wanted - len(rows)).offset(skip))]  # fmt: skip
        skip = 0
    return rows


def _free_section(user: User, taking_part: Sequence[int], today: date, page: int) -> CallSection:
    """``_section`` of the free leads: the worked ones first (they sort before any row with no
    work), then the fresh ones, newest event first. Nothing is counted past ``CAP``, and a page
    reads its rows and one more (is there a next page?), never the total."""
    worked, events = _free(user, taking_part)
    by_rank = _counts(worked, today)
    by_rank[3] += _fresh_count(user, events)
    page = _within(page, by_rank)
    skip = (page - 1) * PAGE_SIZE
    rows = _page_rows(worked, today, skip)
    if len(rows) <= PAGE_SIZE:
        # The worked rows end on this page (after ``skip`` + those read) or before it.
        before = skip + len(rows) if rows or not skip else _worked_up_to(worked, skip)
        rows += _fresh_rows(user, events, max(0, skip - before), PAGE_SIZE + 1 - len(rows))
    return _section_of(rows, by_rank, page)


def _worked_up_to(worked: Select[Any], skip: int) -> int:
    """How many worked leads there are, counted no further than ``skip``."""
    first = worked.with_only_columns(LeadWork.id).limit(skip).subquery()
    return int(db.session.scalar(select(func.count()).select_from(first)) or 0)


def _within(page: int, by_rank: dict[int, int]) -> int:
    """``page``, brought back to the last one when the counts are exact (past ``CAP`` the last
    is not known: a page past the end is shown empty, with the way back to the first)."""
    page = max(1, page)
    if any(n > CAP for n in by_rank.values()):
        return page
    return min(page, max(1, -(-sum(by_rank.values()) // PAGE_SIZE)))


def _section(stmt: Select[Any], today: date, page: int) -> CallSection:
    by_rank = _counts(stmt, today)
    page = _within(page, by_rank)
    return _section_of(_page_rows(stmt, today, (page - 1) * PAGE_SIZE), by_rank, page)


def _page_rows(stmt: Select[Any], today: date, skip: int) -> list[MyCall]:
    """A page of worked leads (``LeadWork`` rows of ``stmt``) from the ``skip``-th, in order,
    and the first of the next page if any (``PAGE_SIZE`` + 1 rows at most)."""
    group = _group(today)
    rows_stmt = (
        stmt.with_only_columns(LeadWork, Person, Event.id, Event.title, group.label("g"))
        .order_by(
            group,
            LeadWork.next_call_on,
            func.coalesce(Event.actual_start, Event.planned_start).desc(),
            LeadWork.id,
        )
        .limit(PAGE_SIZE + 1)
        .offset(skip)
    )
    return [
        MyCall(
            event_id,
            title,
            person.id,
            person.full_name,
            person.phone,
            work.status,
            work.next_call_on,
            last_note(work.notes),
            ORDER[rank],
        )  # fmt: skip
        for work, person, event_id, title, rank in db.session.execute(rows_stmt)
    ]


def last_note(notes: str | None) -> str:
    """The notes' last line written (what the latest call said), at most ``NOTE_CHARS``."""
    lines = [line.strip() for line in (notes or "").splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1]
    return last if len(last) <= NOTE_CHARS else last[: NOTE_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class MyCalls:
    today: date
    held: CallSection
    free: CallSection


def my_calls(user: User, now: datetime, *, page: int = 1, free_page: int = 1) -> MyCalls:
    """The user's calls (``held``) and the leads of their part nobody holds (``free``)."""
    taking_part = participating_event_ids(user)
    today = local_today(now)
    return MyCalls(today, _section(_held(user, taking_part), today, page),
                   _free_section(user, taking_part, today, free_page))  # fmt: skip


def calls_due(user: User, now: datetime) -> int:
    """How many of the user's calls are due by today in Vietnam (today's and those overdue)."""
    stmt = _held(user, participating_event_ids(user))
    due = stmt.where(LeadWork.next_call_on <= local_today(now))
    return int(db.session.scalar(due.with_only_columns(func.count(LeadWork.id))) or 0)
