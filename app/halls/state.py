"""Each hall's state during a conference: connected when, for how long, how many people.

Connected means seen on the meeting (a matched participant's session); reported means the hall
sent its head count. The two are kept apart (``HallState.status``): a hall that reported from the
commune officer's phone but never joined the meeting is exactly one the organiser phones.

A hall's connection time comes from its matched participants' sessions (several devices and
rejoins merged), its people from the latest head count it reported (kept on the hall's row by
``app.halls.figures``, so reading 1,000 halls does not rank their reports again).

Join and leave times are the platform's clock, ``now`` is ours, and a platform's clock may run
ahead of ours: a hall can join "in two minutes" or leave after our now. Minutes connected are
minutes up to our now, so no session ever counts less than zero: it counts from its join to its
leave (or to now while still connected), never past now, and not at all while its join is still
ahead of our clock; a leave before its join counts zero. The times shown stay the platform's.

A session still open once its event has ended (the platform's final report, which dates every
leave, never came: a revoked token, a collector stopped) ends with the event (``session_left``):
counted up to now, a hall would show days of "minutes connected" weeks later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select

from app.collation import vietnamese_key
from app.extensions import db
from app.halls.history import reports_in_order
from app.halls.unusual import unsure_words, unusual_count
from app.models import BridgePoint, Event, EventStatus, OrgUnit, Participant

Session = tuple[datetime, datetime | None]  # a matched participant's (joined, left)
# A hall's row as ``state_of`` reads it.
COLUMNS = (BridgePoint.id, OrgUnit.code, OrgUnit.name, BridgePoint.expected_attendance,
           BridgePoint.head_count, BridgePoint.head_count_at, BridgePoint.contact_name,
           BridgePoint.contact_phone)  # fmt: skip
# A hall's status on the board: neither, the check-in alone, the meeting alone, both. The codes
# stay off screens (``app.labels.HALL_STATUS`` words them); a delta's row carries the one code.
STATUSES = ("not_connected", "reported_only", "connected", "connected_reported")


@dataclass
class HallState:
    id: int
    commune: str
    name: str
    expected: int
    head_count: int | None
    reported_at: datetime | None
    first_join: datetime | None
    last_leave: datetime | None
    minutes_connected: int
    drop_outs: int
    contact_name: str = ""
    contact_phone: str | None = None  # shown to officers and above only (``EventSummary.as_dict``)
    # A session not left yet: ``last_leave`` is then our now, a time the hall did not leave at,
    # so the board says "still connected" instead.
    still_connected: bool = False

    @property
    def connected(self) -> bool:
        """Seen on the meeting: a matched participant joined. A head count alone is not a
        connection: a hall that reported but never joined is one the organiser phones."""
        return self.first_join is not None

    @property
    def reported(self) -> bool:
        """The hall sent its head count (the commune officer's check-in)."""
        return self.head_count is not None

    @property
    def status(self) -> str:
        """One of ``STATUSES``: connection and report, each seen or not."""
        if self.connected:
            return "connected_reported" if self.reported else "connected"
        return "reported_only" if self.reported else "not_connected"

    @property
    def unusual(self) -> bool:
        """The head count is far above the expected one: a possible typo to check."""
        return unusual_count(self.head_count, self.expected)

    @property
    def unsure(self) -> str:
        """The words beside an unusual head count, as every page and file says them
        (``app.halls.unusual.unsure_words``: "(chưa chắc: dự kiến 45)"); empty for a usual one."""
        return unsure_words(self.head_count, self.expected)


def hall_states(
    event_id: int, now: datetime, only: ColumnElement[bool] | None = None
) -> list[HallState]:
    """Every hall's state in two queries, whatever the number of halls (a 1,000-hall board
    refreshed during a conference must not cost thousands of round trips).

    ``only`` (a condition on ``BridgePoint``, from ``app.scoping.in_part``) keeps some halls: a
    commune sees its own hall of the province's conference, and nothing of the others is read.

    Halls come in Vietnamese alphabetical order of their commune (Bắc Lý, Châu Tiến, Đông Hiếu,
    Nậm Cắn, Nhôn Mai…), as a board, the home screen and a projector list them.
    """
    halls = BridgePoint.event_id == event_id
    if only is not None:
        halls = halls & only
    # Columns, not entities: a session that already holds a hall would hand back its old figures,
    # and 1,000 ORM objects cost more than the rows.
    points = db.session.execute(
        select(*COLUMNS)
        .join(OrgUnit, OrgUnit.id == BridgePoint.org_unit_id)
        .where(halls)
        .order_by(BridgePoint.id)
    ).all()
    if not points:
        return []
    sessions = sessions_by_point(halls)
    states = [state_of(row, sessions.get(row[0]), now) for row in points]
    return sorted(states, key=lambda s: (vietnamese_key(s.name), s.id))


def state_of(row: Sequence[Any], sessions: Sequence[Session] | None, now: datetime) -> HallState:
    """One hall's state from its row (id, commune code, name, expected, head count, when sent,
    contact name, contact phone) and its matched sessions in join order."""
    point_id, code, name, expected, head_count, reported_at, contact, phone = row[:8]
    state = HallState(
        id=point_id,
        commune=code,
        name=name,
        expected=expected or 0,
        head_count=head_count,
        reported_at=reported_at if head_count is not None else None,
        first_join=None,
        last_leave=None,
        minutes_connected=0,
        drop_outs=0,
        contact_name=contact or "",
        contact_phone=phone,
    )
    if sessions:  # most halls of a board being refreshed have none: nothing to merge
        merged = _merged(sessions, now)
        state.first_join = sessions[0][0]
        state.last_leave = max(_shown_end(s, now) for s in sessions)
        state.still_connected = any(left is None for _, left in sessions)
        state.minutes_connected = _total_minutes(merged)
        state.drop_outs = max(len(merged) - 1, 0)
    return state


def settled(sessions: Sequence[Session] | None, now: datetime) -> bool:
    """Whether these sessions show the same figures at any later moment than ``now``: every one
    has left, and neither its join nor its leave is still ahead of ``now``."""
    return all(left is not None and max(joined, left) <= now for joined, left in sessions or ())


def board_order(halls: list[HallState]) -> list[HallState]:
    """Halls not yet connected first (the ones to call), then the connected; each part in
    the order of ``hall_states``."""
    return sorted(halls, key=lambda h: h.connected)


def hall_series(event_id: int) -> list[tuple[datetime, int, int]]:
    """Halls connected and people present at each moment one of them moved, oldest first.

    Both follow the summary's rules, so the last point equals its totals: a hall counts as
    connected from its first matched join (a head count alone does not connect it); people
    present are the halls' latest head counts added up (a later report replaces a hall's earlier
    one, ordered as ``app.halls.figures`` orders them).
    """
    moves: list[tuple[datetime, int, int | None]] = [
        (sessions[0][0], point_id, None)
        for point_id, sessions in sessions_by_point(BridgePoint.event_id == event_id).items()
    ]
    moves += [(r.reported_at, r.bridge_point_id, int(r.head_count))
              for r in reports_in_order(event_id) if r.head_count is not None]  # fmt: skip
    moves.sort(key=lambda m: m[0])  # stable: reports keep their (time, id) order
    connected: set[int] = set()
    latest: dict[int, int] = {}
    present = 0
    series: list[tuple[datetime, int, int]] = []
    for at, point_id, count in moves:
        if count is None:
            connected.add(point_id)
        else:
            present += count - latest.get(point_id, 0)
            latest[point_id] = count
        if series and series[-1][0] == at:
            series[-1] = (at, len(connected), present)
        else:
            series.append((at, len(connected), present))
    return series


def session_left() -> ColumnElement[datetime | None]:
    """A matched participant's leave as counted: its own, or its ended event's end when it has
    none (a query selecting it joins ``Event`` to its hall's ``BridgePoint``)."""
    ended = case((Event.status == EventStatus.ENDED, Event.actual_end), else_=None)
    return func.coalesce(Participant.left_at, ended)


def sessions_by_point(halls: ColumnElement[bool]) -> dict[int, list[Session]]:
    """(joined, left) of every matched participant of these halls, in join order."""
    rows = db.session.execute(
        select(Participant.bridge_point_id, Participant.joined_at, session_left())
        .join(BridgePoint, BridgePoint.id == Participant.bridge_point_id)
        .join(Event, Event.id == BridgePoint.event_id)
        .where(halls)
        .order_by(Participant.bridge_point_id, Participant.joined_at)
    ).all()
    out: dict[int, list[Session]] = {}
    for point_id, joined, left in rows:
        out.setdefault(point_id, []).append((joined, left))
    return out


def _shown_end(session: tuple, now: datetime) -> datetime:
    """The session's leave (now while connected) as shown, never before its join."""
    joined, left = session[0], session[1]
    return max(joined, left if left is not None else now)


def _counted(session: tuple, now: datetime) -> tuple[datetime, datetime]:
    """The part of a session that counts as connected: from its join to its end, up to now."""
    joined = session[0]
    return joined, max(joined, min(_shown_end(session, now), now))


def _merged(sessions: list, now: datetime) -> list[tuple[datetime, datetime]]:
    """Sessions of one hall (several devices, rejoins) merged into disjoint intervals."""
    merged: list[tuple[datetime, datetime]] = []
    for joined, left in sorted(_counted(s, now) for s in sessions):
        if merged and joined <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], left))
        else:
            merged.append((joined, left))
    return merged


def _minutes(sessions: list, now: datetime) -> int:
    return _total_minutes(_merged(sessions, now))


def _total_minutes(merged: list[tuple[datetime, datetime]]) -> int:
    return int(sum((b - a).total_seconds() for a, b in merged) // 60)
