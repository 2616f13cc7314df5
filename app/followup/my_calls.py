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
midnight, whatever the server's zone. Nothing is counted past ``CAP`` ("more than 1,000" on the
page), and a page reads its rows and one more (is there a next?), never a total: a province's
first page reads what it shows. Each section: the held, its page of rows and its capped count
per group. The free, in two parts that never share a row and always sort one after the other:
the worked leads (counted per group, a page read like the held), then the listed people nobody
worked yet (all "No call-back date", newest event first; ``app.followup.fresh_leads``). The rows
and their order are the rule's read whole (tests/app/followup/test_my_calls_rule.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, case, func, or_, select

from app.extensions import db
from app.followup.calls import may_call
from app.followup.fresh_leads import (
    Reach,
    count_upto,
    deep,
    fresh_count,
    fresh_people,
    in_part,
    per_event,
    reach,
    within_reach,
)
from app.followup.lead_status import CLOSED
from app.models import Event, LeadStatus, LeadWork, Person, User
from app.scoping import participating_event_ids, visible_events
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
    notes: str = ""  # the notes whole: the editor's box shows them to add the call's line


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


def _to_call(user: User, taking_part: Sequence[int]) -> Select[Any]:
    """The worked leads still to call of the events ``user`` sees, in part only their people."""
    stmt = (
        select(LeadWork)
        .join(Person, Person.id == LeadWork.person_id)
        .join(Event, Event.id == LeadWork.event_id)
        .where(LeadWork.status.not_in(sorted(CLOSED)), may_call())
    )
    stmt = visible_events(stmt, user, taking_part)
    part = in_part(user, LeadWork.event_id)
    return stmt if part is None else stmt.where(part)


def _held(user: User, taking_part: Sequence[int]) -> Select[Any]:
    return _to_call(user, taking_part).where(LeadWork.assignee_id == user.id)


def _free(
    user: User, taking_part: Sequence[int], found: Reach | None
) -> tuple[Select[Any], Select[Any]]:
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
    if found is None:
        return worked, events
    near = within_reach(LeadWork.event_id, LeadWork.person_id, found)
    return worked.where(near, found.part), events


def capped(stmt: Select[Any]) -> int:
    """How many rows ``stmt`` has, read no further than ``CAP`` + 1: exact up to ``CAP``."""
    return count_upto(stmt, CAP + 1)


def _counts(stmt: Select[Any], today: date, *, whole: bool = False) -> dict[int, int]:
    """The worked leads of ``stmt`` per group's rank, each counted up to ``CAP`` + 1; ``whole``:
    in one grouped count of them all (a deep page, which counts every fresh lead anyway), the
    same figures."""
    group = _group(today)
    if whole:
        counted = stmt.with_only_columns(group.label("g"), func.count()).group_by(group)
        by_rank = {int(rank): min(int(n), CAP + 1) for rank, n in db.session.execute(counted)}
        return {rank: by_rank.get(rank, 0) for rank in range(len(ORDER))}
    one = stmt.with_only_columns(LeadWork.id)
    return {rank: capped(one.where(group == rank)) for rank in range(len(ORDER))}


def _section_of(rows: list[MyCall], by_rank: dict[int, int], page: int) -> CallSection:
    counts = {g: by_rank.get(i, 0) for i, g in enumerate(ORDER)}
    over = frozenset(g for g, n in counts.items() if n > CAP)
    return CallSection(rows[:PAGE_SIZE], counts, page, len(rows) > PAGE_SIZE, over)


def _free_section(user: User, taking_part: Sequence[int], today: date, page: int) -> CallSection:
    """``_section`` of the free leads: the worked ones first (they sort before any row with no
    work), then the fresh ones, newest event first. Nothing is counted past ``CAP``, and a page
    reads its rows and one more (is there a next page?), never the total."""
    found = reach(user)
    worked, events = _free(user, taking_part, found)
    # A deep page counts each event's fresh leads (it finds its events from them): the worked
    # are then counted in one grouped count, and the fresh figure is read from those counts.
    counted = per_event(events, found) if deep((max(1, page) - 1) * PAGE_SIZE, found) else None
    by_rank = _counts(worked, today, whole=counted is not None)
    # How many worked leads there are, when every group's count is exact.
    known = None if any(n > CAP for n in by_rank.values()) else sum(by_rank.values())
    fresh = (min(sum(counted.values()), CAP + 1) if counted is not None
             else fresh_count(events, found, CAP + 1))  # fmt: skip
    by_rank[3] += fresh
    page = _within(page, by_rank)
    skip = (page - 1) * PAGE_SIZE
    rows = _page_rows(worked, today, skip) if known is None or skip < known else []
    if len(rows) <= PAGE_SIZE:
        # The worked rows end on this page (after ``skip`` + those read) or before it.
        if rows or not skip:
            before = skip + len(rows)
        else:
            before = known if known is not None else _up_to(worked, skip)
        wanted = PAGE_SIZE + 1 - len(rows)
        rows += [MyCall(event_id, title, person.id, person.full_name, person.phone,
                        LeadStatus.NEW, None, "", "unscheduled")
                 for event_id, title, person in fresh_people(
                     events, found, max(0, skip - before), wanted, counted)]  # fmt: skip
    return _section_of(rows, by_rank, page)


def _up_to(worked: Select[Any], most: int) -> int:
    """How many worked leads there are, counted no further than ``most``."""
    return count_upto(worked.with_only_columns(LeadWork.id), most)


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
            work.notes or "",
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
