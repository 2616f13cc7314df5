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
midnight, whatever the server's zone. Each section is read in two queries whatever the number of
events: its page of rows, and its count per group. The free section reads the union of the
worked leads and the listed people of the user's own events (pairs of ids, through indexes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union

from app.extensions import db
from app.followup.calls import listed_people, may_call
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


def _free(user: User, taking_part: Sequence[int]) -> Select[Any]:
    """Nobody's leads the user may take, of their own unit's events and the events seen in part
    (their people alone there): the worked ones still to call, and the people the follow-up list
    shows that nobody worked yet, with a number to call."""
    ours = Event.org_unit_id == user.org_unit_id
    if taking_part:
        ours = or_(ours, Event.id.in_(list(taking_part)))
    events = visible_events(select(Event.id).where(ours), user, taking_part)
    listed = listed_people(events).subquery()
    worked = select(LeadWork.person_id, LeadWork.event_id).where(LeadWork.event_id.in_(events))
    pairs = union(worked, select(listed.c.person_id, listed.c.event_id)).subquery("pairs")
    stmt = (
        select(LeadWork)
        .select_from(pairs)
        .join(Person, Person.id == pairs.c.person_id)
        .join(Event, Event.id == pairs.c.event_id)
        .outerjoin(
            LeadWork,
            and_(LeadWork.person_id == pairs.c.person_id, LeadWork.event_id == pairs.c.event_id),
        )  # fmt: skip
        .where(may_call())
        .where(
            or_(
                and_(LeadWork.id.is_(None), Person.phone.is_not(None)),
                and_(LeadWork.assignee_id.is_(None), LeadWork.status.not_in(sorted(CLOSED))),
            )
        )  # fmt: skip
    )
    part = _in_part(user, pairs.c.event_id)
    return stmt if part is None else stmt.where(part)


def _section(stmt: Select[Any], today: date, page: int) -> CallSection:
    group = _group(today)
    counted = stmt.with_only_columns(group.label("g"), func.count()).group_by(group)
    by_rank = {rank: n for rank, n in db.session.execute(counted)}
    counts = {g: int(by_rank.get(i, 0)) for i, g in enumerate(ORDER)}
    total = sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows_stmt = (
        stmt.with_only_columns(LeadWork, Person, Event.id, Event.title, group.label("g"))
        .order_by(
            group,
            LeadWork.next_call_on,
            LeadWork.id.is_(None),  # the worked first, then those nobody called yet
            func.coalesce(Event.actual_start, Event.planned_start).desc(),
            LeadWork.id,
            Event.id,
            Person.id,
        )
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [
        MyCall(
            event_id,
            title,
            person.id,
            person.full_name,
            person.phone,
            work.status if work else LeadStatus.NEW,
            work.next_call_on if work else None,
            last_note(work.notes) if work else "",
            ORDER[rank],
        )  # fmt: skip
        for work, person, event_id, title, rank in db.session.execute(rows_stmt)
    ]
    return CallSection(rows, counts, page, pages)


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
                   _section(_free(user, taking_part), today, free_page))  # fmt: skip


def calls_due(user: User, now: datetime) -> int:
    """How many of the user's calls are due by today in Vietnam (today's and those overdue)."""
    stmt = _held(user, participating_event_ids(user))
    due = stmt.where(LeadWork.next_call_on <= local_today(now))
    return int(db.session.scalar(due.with_only_columns(func.count(LeadWork.id))) or 0)
