"""A conference's halls on the live page, kept per process and moved hall by hall by check-ins.

Every burst of check-ins used to read the whole board again (a thousand halls, their rows built
and sorted, and the event's totals added up), though a check-in moves one hall: its latest head
count and when it was sent. A delta now starts from the board this process built last
(``Board``: each hall's state and row as the page shows it, with and without the contact's phone,
in board order, and the event's totals) and reads again only the halls the burst reported for.

Every write to a hall's row stamps its ``updated_at`` (the check-in's UPDATE too), so the halls
read again are the burst's and any stamped since the latest stamp the kept board read: a check-in
stored by another process, an organiser's edit. The same statement adds up every hall of the event
(how many, their ids, reports and expected people) and every matched session (how many, their
ids, how many have left); the kept board is used only when those tallies equal its own with the
re-read halls in place. Anything else — a hall added or removed, a participant joining or leaving,
a write committed after a later-stamped one was read — shows there, and the board is read whole
again, as it is for any publish that is not a check-in (an edit of a name or contact committed
that late shows at the next whole reading). tests/app/live/test_board.py plays random bursts,
with those writes between them, against ``summary.event_summary``.

Halls whose sessions are still open count minutes up to now (an ended event's end closes them:
``app.halls.state.session_left``): those are built again at every delta from the kept sessions
(unchanged, or the tallies would say so).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.collation import vietnamese_key
from app.extensions import db
from app.halls.state import COLUMNS, HallState, Session, session_left, settled, state_of
from app.identity.phones import shown_phone
from app.live.shapes import iso
from app.models import BridgePoint, Event, OrgUnit, Participant

KEPT_EVENTS = 64  # conferences whose board a process keeps
_lock = threading.Lock()


@dataclass(frozen=True)
class Tally:
    """An event's halls and matched sessions added up, as the database or a kept board says."""

    halls: int
    hall_ids: int
    reports: int
    expected: int
    sessions: int
    session_ids: int
    left: int


@dataclass(frozen=True)
class Hall:
    """One hall as kept: its row as read, its state, and its rows on the page."""

    values: tuple[Any, ...]  # COLUMNS, then reports and updated_at (the tallies need them)
    state: HallState
    row: dict[str, Any]
    phone_row: dict[str, Any]

    @property
    def reports(self) -> int:
        return int(self.values[8])

    @property
    def updated_at(self) -> datetime | None:
        return self.values[9]


@dataclass(frozen=True)
class Counts:
    """The event's totals over its halls, moved by each hall's change."""

    connected: int = 0  # halls seen on the meeting
    expected: int = 0
    present: int = 0
    reported: int = 0  # halls that sent a head count

    def moved(self, before: HallState | None, after: HallState | None) -> Counts:
        """These totals with one hall's state changed from ``before`` to ``after``."""
        out = self
        for state, sign in ((before, -1), (after, 1)):
            if state is not None:
                out = Counts(
                    out.connected + sign * int(state.connected),
                    out.expected + sign * state.expected,
                    out.present + sign * (state.head_count or 0),
                    out.reported + sign * int(state.reported),
                )
        return out


@dataclass(frozen=True)
class Board:
    """The halls part of the summary (``EventSummary.conference_totals``), kept between deltas."""

    halls: dict[int, Hall]
    order: list[int]  # board order: halls not yet connected first, then by commune name
    ranks: list[Rank]  # each hall's place in that order, sorted as ``order`` is
    counts: Counts
    sessions: dict[int, list[Session]]
    open_halls: frozenset[int]  # halls whose figures move with the clock
    tally: Tally
    since: datetime | None  # the latest change of a hall row read

    def states(self) -> list[HallState]:
        return [self.halls[i].state for i in self.order]

    def totals(self, with_phones: bool) -> dict[str, Any]:
        """``EventSummary.conference_totals(with_phones)``, from the kept rows and totals."""
        halls = self.halls
        return {
            "halls_expected": len(self.order),
            "halls_connected": self.counts.connected,
            "halls_reported": self.counts.reported,
            "people_expected": self.counts.expected,
            "people_present": self.counts.present,
            "halls": [halls[i].phone_row if with_phones else halls[i].row for i in self.order],
        }


def hall_row(h: HallState) -> dict[str, Any]:
    """A hall's row on the board, without the contact's phone."""
    return {
        "id": h.id,
        "commune": h.commune,
        "name": h.name,
        "status": h.status,
        "expected": h.expected,
        "head_count": h.head_count,
        "unusual": h.unusual,  # far above the expected count: marked in words on the page
        "reported_at": iso(h.reported_at),
        "first_join": iso(h.first_join),
        "last_leave": iso(h.last_leave),
        "minutes_connected": h.minutes_connected,
        "drop_outs": h.drop_outs,
        "contact": h.contact_name,
    }


def with_phone(row: dict[str, Any], phone: str | None) -> dict[str, Any]:
    return {**row, "phone": shown_phone(phone) if phone else None}  # as the mask: grouped


def board_after(event_id: int, now: datetime, checked_in: Collection[int] | None) -> Board:
    """The event's board now. ``checked_in``: the halls a burst of check-ins reported for, when
    that is all the publish is about; the kept board then moves by those halls only."""
    kept_by_event: dict[int, Board] = current_app.extensions.setdefault("lantoa_hall_boards", {})
    with _lock:
        kept = kept_by_event.get(event_id)
    board = None
    if kept is not None and checked_in:
        board = _moved(kept, event_id, set(checked_in), now)
    if board is None:
        board = read_board(event_id, now)
    with _lock:
        kept_by_event.pop(event_id, None)
        kept_by_event[event_id] = board
        while len(kept_by_event) > KEPT_EVENTS:
            kept_by_event.pop(next(iter(kept_by_event)))
    return board


def _hall_rows(where: Any, *extra: Any) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(*COLUMNS, BridgePoint.reports, BridgePoint.updated_at, *extra)
            .join(OrgUnit, OrgUnit.id == BridgePoint.org_unit_id)
            .where(where)
            .order_by(BridgePoint.id)
        )
    ]


def _session_rows(event_id: int) -> list[Any]:
    return list(
        db.session.execute(
            select(
                Participant.bridge_point_id,
                Participant.joined_at,
                session_left(),
                Participant.id,
            )
            .join(BridgePoint, BridgePoint.id == Participant.bridge_point_id)
            .join(Event, Event.id == BridgePoint.event_id)
            .where(BridgePoint.event_id == event_id)
            .order_by(Participant.bridge_point_id, Participant.joined_at)
        )
    )


def read_board(event_id: int, now: datetime) -> Board:
    """The board read whole (two queries), with the tallies of what was read."""
    rows = _hall_rows(BridgePoint.event_id == event_id)
    session_rows = _session_rows(event_id)
    sessions: dict[int, list[Session]] = {}
    for point_id, joined, left, _id in session_rows:
        sessions.setdefault(point_id, []).append((joined, left))
    halls = {row[0]: _hall(row, sessions.get(row[0]), now) for row in rows}
    counts = Counts()
    for hall in halls.values():
        counts = counts.moved(None, hall.state)
    tally = Tally(
        halls=len(rows),
        hall_ids=sum(row[0] for row in rows),
        reports=sum(row[8] for row in rows),
        expected=sum(row[3] or 0 for row in rows),
        sessions=len(session_rows),
        session_ids=sum(row[3] for row in session_rows),
        left=sum(1 for row in session_rows if row[2] is not None),
    )
    ranks = sorted(_rank(h.state) for h in halls.values())
    since = max((h.updated_at for h in halls.values() if h.updated_at), default=None)
    return Board(halls, [r[-1] for r in ranks], ranks, counts, sessions, _open(sessions, now),
                 tally, since)  # fmt: skip


def _hall(values: tuple[Any, ...], sessions: list[Session] | None, now: datetime) -> Hall:
    state = state_of(values, sessions, now)
    plain = hall_row(state)
    return Hall(values[:10], state, plain, with_phone(plain, state.contact_phone))


Rank = tuple[bool, tuple[int, ...], int]


def _rank(state: HallState) -> Rank:
    """A hall's place on the board: ``hall_states``' order (commune name, then id) under
    ``board_order``'s (not connected first); one sort on both keys gives the same."""
    return state.connected, vietnamese_key(state.name), state.id


def _open(sessions: dict[int, list[Session]], now: datetime) -> frozenset[int]:
    return frozenset(p for p, hall in sessions.items() if not settled(hall, now))


def _tallies(event_id: int) -> list[Any]:
    """Scalar subqueries adding up the event's halls and matched sessions (``Tally``'s fields)."""
    mine = BridgePoint.event_id == event_id
    matched = (
        select(Participant.id, session_left().label("left_at"))
        .join(BridgePoint, BridgePoint.id == Participant.bridge_point_id)
        .join(Event, Event.id == BridgePoint.event_id)
        .where(mine)
        .subquery()
    )
    columns = [
        select(func.count()).select_from(BridgePoint).where(mine),
        select(func.coalesce(func.sum(BridgePoint.id), 0)).where(mine),
        select(func.coalesce(func.sum(BridgePoint.reports), 0)).where(mine),
        select(func.coalesce(func.sum(BridgePoint.expected_attendance), 0)).where(mine),
        select(func.count()).select_from(matched),
        select(func.coalesce(func.sum(matched.c.id), 0)),
        select(func.count(matched.c.left_at)),
    ]
    return [c.scalar_subquery() for c in columns]


def _moved(kept: Board, event_id: int, ids: set[int], now: datetime) -> Board | None:
    """The kept board with the halls that moved since read again, or None when the tallies say
    that something else moved too.

    The halls read again are the burst's, and any whose row changed since the kept board's
    latest change (another process's check-in, an organiser's edit); one statement reads them
    and the tallies, so both see the same database."""
    if not ids <= kept.halls.keys():
        return None
    since = kept.since
    moved = BridgePoint.id.in_(ids)
    if since is not None:
        moved = moved | (BridgePoint.updated_at >= since)
    rows = _hall_rows((BridgePoint.event_id == event_id) & moved, *_tallies(event_id))
    fresh = {row[0]: row[:10] for row in rows}
    if not (ids <= fresh.keys() <= kept.halls.keys()):
        return None  # a hall added, or one of the burst's removed
    before = [kept.halls[i] for i in fresh]
    expected = Tally(
        halls=kept.tally.halls,
        hall_ids=kept.tally.hall_ids,
        reports=kept.tally.reports
        - sum(h.reports for h in before)
        + sum(int(v[8]) for v in fresh.values()),
        expected=kept.tally.expected
        - sum(int(h.values[3] or 0) for h in before)
        + sum(int(v[3] or 0) for v in fresh.values()),
        sessions=kept.tally.sessions,
        session_ids=kept.tally.session_ids,
        left=kept.tally.left,
    )
    if Tally(*(int(v) for v in rows[0][10:])) != expected:
        return None
    fresh |= {i: kept.halls[i].values for i in kept.open_halls - fresh.keys()}
    halls = dict(kept.halls)
    counts, ranks, order = kept.counts, kept.ranks, kept.order
    for point_id, values in fresh.items():
        old = halls[point_id]
        new = _hall(values, kept.sessions.get(point_id), now)
        halls[point_id] = new
        counts = counts.moved(old.state, new.state)
        was, rank = _rank(old.state), _rank(new.state)
        if was != rank:  # a hall just connected moves down the board: move it alone
            if ranks is kept.ranks:
                ranks, order = list(ranks), list(order)
            at = bisect_left(ranks, was)
            del ranks[at], order[at]
            at = bisect_left(ranks, rank)
            ranks.insert(at, rank)
            order.insert(at, point_id)
    since = max((v[9] for v in fresh.values() if v[9]), default=None)
    since = max(since, kept.since) if since and kept.since else since or kept.since
    return Board(halls, order, ranks, counts, kept.sessions, _open(kept.sessions, now), expected,
                 since)  # fmt: skip
