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
from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select

from app.extensions import db
from app.followup.calls import attended_pairs, commenters_only, listed_once, may_call
from app.followup.lead_status import CLOSED
from app.models import Event, LeadStatus, LeadWork, OrgKind, Person, User
from app.scoping import participating_event_ids, people_in_part, subtree_ids, visible_events
from app.timeparse import VN

PAGE_SIZE = 50
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
    counts: dict[str, int]  # every group's, across all pages
    page: int
    pages: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

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


def _fresh_per_event(user: User, events: Select[Any]) -> list[tuple[int, int]]:
    """(event id, how many) of the fresh free leads, in the page's order of events: the
    attendees and the commenters who were not, each a flat join counted apart (no union)."""
    counting = select(Event.id, func.count(Person.id.distinct())).group_by(Event.id)
    per_event: dict[int, int] = {}
    for pairs in (attended_pairs(events), commenters_only(events)):
        for event_id, n in db.session.execute(_fresh(user, pairs, counting)):
            per_event[event_id] = per_event.get(event_id, 0) + int(n)
    start = func.coalesce(Event.actual_start, Event.planned_start).desc()
    ordered = select(Event.id).where(Event.id.in_(list(per_event))).order_by(start, Event.id)
    return [(event_id, per_event[event_id]) for event_id in db.session.scalars(ordered)]


def _free_section(user: User, taking_part: Sequence[int], today: date, page: int) -> CallSection:
    """``_section`` of the free leads: the worked ones first (they sort before any row with no
    work), then the fresh ones, newest event first. The fresh are counted per event, so a
    page's fresh rows are read from the few events it covers, not sorted from all of them."""
    worked, events = _free(user, taking_part)
    group = _group(today)
    counted = worked.with_only_columns(group.label("g"), func.count()).group_by(group)
    by_rank = {rank: int(n) for rank, n in db.session.execute(counted)}
    per_event = _fresh_per_event(user, events)
    worked_total = sum(by_rank.values())
    by_rank[3] = by_rank.get(3, 0) + sum(n for _, n in per_event)
    counts = {g: by_rank.get(i, 0) for i, g in enumerate(ORDER)}
    pages = max(1, -(-sum(counts.values()) // PAGE_SIZE))
    page = min(max(1, page), pages)
    skip = (page - 1) * PAGE_SIZE
    rows = _page_rows(worked, today, skip)
    # The page's fresh rows are [first, first + wanted) of them: of the events that meet it.
    first, wanted = max(0, skip - worked_total), PAGE_SIZE - len(rows)
    at, before, met = 0, 0, []
    for event_id, n in per_event:
        if at >= first + wanted:
            break
        if at + n > first:
            met.append(event_id)
        else:
            before += n
        at += n
    if met:
        start = func.coalesce(Event.actual_start, Event.planned_start).desc()
        pairs = listed_once(select(Event.id).where(Event.id.in_(met)))
        fresh_rows = (
            _fresh(user, pairs, select(Person, Event.id, Event.title))
            .order_by(start, Event.id, Person.id)
            .limit(wanted)
            .offset(first - before)
        )
        rows += [MyCall(event_id, title, person.id, person.full_name, person.phone,
                        LeadStatus.NEW, None, "", "unscheduled")
                 for person, event_id, title in db.session.execute(fresh_rows)]  # fmt: skip
    return CallSection(rows, counts, page, pages)


def _section(stmt: Select[Any], today: date, page: int) -> CallSection:
    group = _group(today)
    counted = stmt.with_only_columns(group.label("g"), func.count()).group_by(group)
    by_rank = {rank: n for rank, n in db.session.execute(counted)}
    counts = {g: int(by_rank.get(i, 0)) for i, g in enumerate(ORDER)}
    total = sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    return CallSection(_page_rows(stmt, today, (page - 1) * PAGE_SIZE), counts, page, pages)


def _page_rows(stmt: Select[Any], today: date, skip: int) -> list[MyCall]:
    """A page of worked leads (``LeadWork`` rows of ``stmt``) from the ``skip``-th, in order."""
    group = _group(today)
    rows_stmt = (
        stmt.with_only_columns(LeadWork, Person, Event.id, Event.title, group.label("g"))
        .order_by(
            group,
            LeadWork.next_call_on,
            func.coalesce(Event.actual_start, Event.planned_start).desc(),
            LeadWork.id,
        )
        .limit(PAGE_SIZE)
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
