"""hall_states: the same answer as reading each hall alone, in a number of queries that does not
grow with the number of halls (a 1,000-hall board is refreshed during the conference)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from app.collation import sorted_vietnamese
from app.extensions import db
from app.halls import services
from app.halls.state import HallState, _merged, _minutes, board_order, hall_series, hall_states
from app.live.board import read_board
from app.live.summary import EventSummary
from app.models import (
    AttendanceReport,
    BridgePoint,
    EventStatus,
    OrgKind,
    OrgUnit,
    Participant,
    Platform,
)
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

# Also on PostgreSQL: a window-function query whose count must not grow.
pytestmark = pytest.mark.postgres

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
NOW = START + timedelta(hours=2)


def conference(make: Factory, halls: int) -> int:
    event = make.event(HOME, title=f"Hội nghị {halls} điểm cầu", channel="online_conference")
    province = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == HOME))
    codes = db.session.scalars(
        sa.select(OrgUnit.code)
        .where(OrgUnit.parent_id == province, OrgUnit.kind == OrgKind.COMMUNE)
        .order_by(OrgUnit.code.desc())  # ids and codes in different orders
        .limit(halls)
    ).all()
    points = services.set_bridge_points(
        event, list(codes), {c: 40 + i for i, c in enumerate(codes)}
    )
    account = make.account(platform=Platform.ZOOM, name="Zoom")
    target = make.target(event, account, kind="zoom_meeting", external_id=f"m{event.id}")
    for i, point in enumerate(points):
        if i % 3 == 0:
            continue  # never connected
        # Two devices overlapping, then a rejoin after a drop; the last one still connected.
        sessions = [(0, 30), (10, 40), (55, None if i % 2 else 90)]
        for j, (a, b) in enumerate(sessions):
            db.session.add(Participant(
                target_id=target.id, participant_key=f"{point.id}-{j}", display_name=f"h{i}",
                joined_at=START + timedelta(minutes=a + i),
                left_at=None if b is None else START + timedelta(minutes=b + i),
                bridge_point_id=point.id))  # fmt: skip
        if i % 4 == 1:
            continue  # connected, no head count
        # Two reports at the same moment: the later id wins; a sheet-only report is skipped.
        for key, count, minutes in (("a", 30 + i, 5), ("b", 31 + i, 20), ("c", 32 + i, 20)):
            db.session.add(AttendanceReport(bridge_point_id=point.id, head_count=count,
                                            reported_at=START + timedelta(minutes=minutes),
                                            idempotency_key=f"{key}-{point.id:08d}"))  # fmt: skip
        sheet_only = AttendanceReport(bridge_point_id=point.id, head_count=None, attendees=3,
                                      reported_at=START + timedelta(minutes=50),
                                      idempotency_key=f"sheet-{point.id:08d}")  # fmt: skip
        db.session.add(sheet_only)
    db.session.commit()
    return event.id


def one_hall_at_a_time(event_id: int) -> list[HallState]:
    """The straightforward reading, hall by hall, that hall_states must agree with."""
    states = []
    points = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == event_id).order_by(BridgePoint.id)
    )
    for point in points:
        sessions = db.session.execute(
            sa.select(Participant.joined_at, Participant.left_at)
            .where(Participant.bridge_point_id == point.id)
            .order_by(Participant.joined_at)
        ).all()
        latest = db.session.scalars(  # from the reports themselves, not the hall's row
            sa.select(AttendanceReport)
            .where(
                AttendanceReport.bridge_point_id == point.id,
                AttendanceReport.head_count.is_not(None),
            )
            .order_by(AttendanceReport.reported_at.desc(), AttendanceReport.id.desc())
            .limit(1)
        ).first()
        states.append(HallState(
            id=point.id, commune=point.org_unit.code, name=point.org_unit.name,
            expected=point.expected_attendance, head_count=latest.head_count if latest else None,
            reported_at=latest.reported_at if latest else None,
            first_join=sessions[0][0] if sessions else None,
            last_leave=max((s[1] or NOW for s in sessions), default=None),
            minutes_connected=_minutes(list(sessions), NOW),
            drop_outs=max(len(_merged(list(sessions), NOW)) - 1, 0),
            still_connected=any(s[1] is None for s in sessions)))  # fmt: skip
    return sorted_vietnamese(states, key=lambda s: s.name)


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_same_answer_as_reading_each_hall(app, make: Factory) -> None:
    event_id = conference(make, 12)
    db.session.expire_all()
    expected = one_hall_at_a_time(event_id)
    db.session.expire_all()
    assert hall_states(event_id, NOW) == expected
    statuses = {s.status for s in expected}
    assert statuses == {"not_connected", "connected", "connected_reported"}
    assert any(s.drop_outs == 1 for s in expected)


def test_halls_come_in_vietnamese_alphabetical_order(app, make: Factory) -> None:
    """Not in the order they were added (the demo's board read Thông Thụ, Tri Lễ, Châu Tiến…)."""
    event_id = conference(make, 6)
    points = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == event_id).order_by(BridgePoint.id)
    ).all()
    names = ["Xã Thông Thụ", "Xã Nhôn Mai", "Xã Đông Hiếu", "Xã Nậm Cắn", "Xã Dương Sơn",
             "Xã Bắc Lý"]  # fmt: skip
    for point, name in zip(points, names, strict=True):
        point.org_unit.name = name
    db.session.commit()
    shown = [s.name for s in hall_states(event_id, NOW)]
    assert shown == ["Xã Bắc Lý", "Xã Dương Sơn", "Xã Đông Hiếu", "Xã Nậm Cắn", "Xã Nhôn Mai",
                     "Xã Thông Thụ"]  # fmt: skip
    assert [s.name for s in board_order(hall_states(event_id, NOW))][:2] == [
        "Xã Nậm Cắn", "Xã Thông Thụ"]  # fmt: skip  # never connected (i % 3 == 0), first


def test_queries_do_not_grow_with_the_halls(app, make: Factory) -> None:
    counts = {}
    for halls in (5, 50):
        event_id = conference(make, halls)
        db.session.expire_all()  # nothing already loaded: every row comes from the database
        with counted_statements() as statements:
            states = hall_states(event_id, NOW)
        assert len(states) == halls
        counts[halls] = len(statements)
    assert counts[5] == counts[50], counts
    assert counts[50] <= 3, counts


def zoom_halls(make: Factory, title: str, halls: int) -> tuple[Any, list[BridgePoint], Any]:
    """A conference on Zoom with ``halls`` of the province's communes, in code order."""
    event = make.event(HOME, title=title, channel="online_conference")
    province = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == HOME))
    codes = db.session.scalars(
        sa.select(OrgUnit.code)
        .where(OrgUnit.parent_id == province, OrgUnit.kind == OrgKind.COMMUNE)
        .order_by(OrgUnit.code)
        .limit(halls)
    ).all()
    points = services.set_bridge_points(event, list(codes), {})
    target = make.target(event, make.account(platform=Platform.ZOOM, name="Zoom"),
                         kind="zoom_meeting", external_id=f"zoom-{event.id}")  # fmt: skip
    return event, points, target


def test_a_platform_clock_ahead_of_ours_never_makes_minutes_negative(app, make: Factory) -> None:
    """Times are the platform's, ``now`` is ours: a join "in two minutes" counts nothing yet, a
    leave before its join counts nothing, a leave after our now counts up to now."""
    event, points, target = zoom_halls(make, "Hội nghị đồng hồ lệch", 4)
    minute = timedelta(minutes=1)
    sessions = [
        [(NOW + 2 * minute, None)],  # joined by the platform's clock, still connected
        [(NOW - 10 * minute, NOW - 12 * minute)],  # a leave before its join
        [(NOW - 30 * minute, NOW - 20 * minute), (NOW + minute, None)],  # a rejoin "ahead"
        [(NOW - 5 * minute, NOW + 2 * minute)],  # left, by the platform's clock, after our now
    ]
    for point, hall_sessions in zip(points, sessions, strict=True):
        for j, (joined, left) in enumerate(hall_sessions):
            db.session.add(Participant(
                target_id=target.id, participant_key=f"{point.id}-{j}", display_name="x",
                joined_at=joined, left_at=left, bridge_point_id=point.id))  # fmt: skip
    db.session.commit()
    db.session.expire_all()

    states = {s.id: s for s in hall_states(event.id, NOW)}
    halls = [states[p.id] for p in points]
    assert [h.minutes_connected for h in halls] == [0, 0, 10, 5]
    assert [h.drop_outs for h in halls] == [0, 0, 1, 0]
    assert all(h.last_leave >= h.first_join for h in halls)
    assert halls[1].last_leave == NOW - 10 * minute  # clamped to the join
    assert halls[3].last_leave == NOW + 2 * minute  # the platform's own time, as shown


def test_a_session_still_open_when_its_event_ended_ends_with_it(app, make: Factory) -> None:
    """The final report that dates every leave never came (the token was revoked): weeks later
    the hall shows the minutes up to the event's end, not up to now, on the page and the board."""
    event, points, target = zoom_halls(make, "Hội nghị đã kết thúc", 2)
    end = START + timedelta(minutes=90)
    for point, left in zip(points, (None, START + timedelta(minutes=40)), strict=True):
        db.session.add(Participant(
            target_id=target.id, participant_key=f"{point.id}", display_name="x",
            joined_at=START, left_at=left, bridge_point_id=point.id))  # fmt: skip
    db.session.commit()
    weeks_later = end + timedelta(days=21)

    live = {s.id: s.minutes_connected for s in hall_states(event.id, weeks_later)}
    assert [live[p.id] for p in points] == [int((weeks_later - START).total_seconds() // 60), 40]

    event.status, event.actual_end = EventStatus.ENDED, end
    db.session.commit()
    states = {s.id: s for s in hall_states(event.id, weeks_later)}
    assert [states[p.id].minutes_connected for p in points] == [90, 40]
    assert states[points[0].id].last_leave == end
    board = read_board(event.id, weeks_later)
    assert [board.halls[p.id].state.minutes_connected for p in points] == [90, 40]


def four_halls(make: Factory) -> tuple[int, dict[str, BridgePoint], datetime]:
    """An online conference a day ago with one hall of each status: neither connected nor
    reported, reported only (the commune officer's phone, never on the meeting), connected only,
    both. The reported-only hall reports before anyone joins."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
    event = make.event(HOME, title="Hội nghị bốn điểm cầu", channel="online_conference",
                       planned_start=start)  # fmt: skip
    codes = commune_codes(HOME, 4)
    points = services.set_bridge_points(event, codes, dict.fromkeys(codes, 50))
    halls = dict(zip(("neither", "reported", "connected", "both"), points, strict=True))
    target = make.target(event, make.account(platform=Platform.ZOOM, name="Zoom"),
                         kind="zoom_meeting", external_id=f"m{event.id}")  # fmt: skip
    for name, minutes in (("connected", 10), ("both", 12)):
        db.session.add(Participant(
            target_id=target.id, participant_key=name, display_name=name,
            joined_at=start + timedelta(minutes=minutes),
            left_at=start + timedelta(minutes=90), bridge_point_id=halls[name].id))  # fmt: skip
    services.record_report(halls["reported"], "phone-reported", 31, [],
                           start + timedelta(minutes=5))  # fmt: skip
    services.record_report(halls["both"], "phone-both", 44, [], start + timedelta(minutes=20))
    db.session.commit()
    return event.id, halls, start + timedelta(hours=2)


def test_a_head_count_alone_does_not_connect_a_hall(app, make: Factory) -> None:
    """A hall that only sent its head count is not connected: it waits on the board with the
    halls to call, the connected total leaves it out and the reported total counts it."""
    event_id, halls, now = four_halls(make)
    states = {s.id: s for s in hall_states(event_id, now)}
    got = {name: states[p.id].status for name, p in halls.items()}
    assert got == {"neither": "not_connected", "reported": "reported_only",
                   "connected": "connected", "both": "connected_reported"}  # fmt: skip
    assert [states[p.id].connected for p in halls.values()] == [False, False, True, True]
    assert [states[p.id].reported for p in halls.values()] == [False, True, False, True]
    ordered = board_order(list(states.values()))
    assert {h.id for h in ordered[:2]} == {halls["neither"].id, halls["reported"].id}
    totals = EventSummary(halls=list(states.values())).conference_totals()
    assert (totals["halls_connected"], totals["halls_reported"]) == (2, 2)
    assert (totals["people_present"], totals["halls_expected"]) == (75, 4)
    assert read_board(event_id, now).totals(with_phones=False) == totals  # the kept board agrees
    # The chart: reports move the people, only joins move the halls connected.
    series = hall_series(event_id)
    assert [(n, people) for _at, n, people in series] == [(0, 31), (1, 31), (2, 31), (2, 75)]
    assert (series[-1][1], series[-1][2]) == (totals["halls_connected"], totals["people_present"])
