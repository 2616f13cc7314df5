"""The halls' part of a check-in delta, moved hall by hall (app.live.board), equals the
summary read whole after every burst of a random sequence of check-ins.

A conference of 30 halls, some connected on Zoom (sessions closed, open, or joined "ahead" of our
clock), gets bursts of check-ins in random order (late counts sent earlier, retries, attendee
sheets without a count), and between bursts what a single process cannot see coming: a check-in
stored by another process (not named in the burst), an organiser's edit of a hall's expected
people or contact, a participant leaving, a hall added. After every burst the delta's summary,
both variants, equals ``event_summary`` (the whole reading the snapshot and the API use); and most
bursts really are moved hall by hall, not read whole.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.halls import services
from app.live import board, summary
from app.live.diff import diff
from app.live.summary import event_summary, summary_after
from app.models import BridgePoint, Participant, Platform
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
NOW = START + timedelta(hours=2)
SHEET = [{"name": "Nguyễn Văn An", "birth": "1970"}]


def conference(make: Factory, halls: int) -> tuple[int, list[BridgePoint], list[str]]:
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    codes = commune_codes(HOME)
    points = services.set_bridge_points(event, codes[:halls], {c: 40 for c in codes[:halls]})
    account = make.account(platform=Platform.ZOOM, name="Zoom")
    target = make.target(event, account, kind="zoom_meeting", external_id=f"m{event.id}")
    for i, point in enumerate(points[: halls // 2]):
        joined = START + timedelta(minutes=i if i % 5 else 200)  # every fifth "ahead" of now
        left = None if i % 3 == 0 else joined + timedelta(minutes=30)
        db.session.add(Participant(target_id=target.id, participant_key=f"p{point.id}",
                                   display_name=f"h{i}", joined_at=joined, left_at=left,
                                   bridge_point_id=point.id))  # fmt: skip
    db.session.commit()
    return event.id, points, codes[halls:]


def check_in(point: BridgePoint, key: str, rng: random.Random) -> bool:
    count = rng.choice([None, rng.randint(0, 90)])
    sent = START + timedelta(minutes=rng.randint(0, 100))
    _receipt, created = services.record_report(
        point, key, count, SHEET if count is None or rng.random() < 0.2 else [], NOW,
        sent_at=sent, clock=NOW,
    )  # fmt: skip
    return created


def whole(event_id: int) -> tuple[dict, dict]:
    read = event_summary(event_id)
    return read.as_dict(), read.as_dict(with_phones=True)


def test_a_board_moved_by_check_ins_equals_the_summary_read_whole(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(summary, "utcnow", lambda: NOW)  # both readings at the same moment
    reads = []
    read_board = board.read_board
    monkeypatch.setattr(board, "read_board", lambda *a: reads.append(1) or read_board(*a))
    event_id, points, spare = conference(make, 30)
    rng = random.Random(7)
    keys: list[tuple[BridgePoint, str]] = []
    bursts = 60
    for n in range(bursts):
        burst = set()
        for _ in range(rng.randint(1, 6)):
            if keys and rng.random() < 0.2:
                point, key = rng.choice(keys)  # a retry: nothing moves
            else:
                point, key = rng.choice(points), f"key-{n:03d}-{rng.random():.12f}"
                keys.append((point, key))
            if check_in(point, key, rng):
                burst.add(point.id)
        db.session.commit()
        if n % 7 == 3:  # a check-in stored by another process: not in this burst
            check_in(rng.choice(points), f"other-{n:03d}", rng)
        if n % 11 == 5:  # an organiser edits a hall (another process: no publish here)
            point = rng.choice(points)
            point.expected_attendance += 5
            point.contact_name = f"Cán bộ {n}"
        if n % 13 == 8:  # a participant leaves
            open_session = db.session.scalar(
                sa.select(Participant).where(Participant.left_at.is_(None)).limit(1)
            )
            if open_session is not None:
                open_session.left_at = NOW - timedelta(minutes=1)
        if n == 40:  # a hall added to the conference
            points += services.set_bridge_points(
                db.session.get(type(points[0].event), points[0].event_id),
                [p.org_unit.code for p in points] + spare[:1], {},
            )[len(points) :]  # fmt: skip
        db.session.commit()
        if not burst:
            continue
        plain, full = summary_after(event_id, checked_in=burst).as_dicts()
        assert (plain, full) == whole(event_id), f"burst {n}"
    assert 0 < len(reads) < bursts / 2  # most bursts moved the board hall by hall


def test_a_check_in_without_a_connection_sends_one_row_and_the_reported_count(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hall not on the meeting sends its head count: the kept board moves that hall alone,
    the patch carries its row's status and count and the reported total, and the hall stays
    where it was, among the halls to call (no move on the board, halls connected unchanged)."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
    monkeypatch.setattr(summary, "utcnow", lambda: start + timedelta(hours=2))
    reads = []
    read_board = board.read_board
    monkeypatch.setattr(board, "read_board", lambda *a: reads.append(1) or read_board(*a))
    event = make.event(HOME, title="Hội nghị ba điểm cầu", channel="online_conference",
                       planned_start=start)  # fmt: skip
    codes = commune_codes(HOME, 3)
    joined, waiting, silent = services.set_bridge_points(event, codes, dict.fromkeys(codes, 40))
    target = make.target(event, make.account(platform=Platform.ZOOM, name="Zoom"),
                         kind="zoom_meeting", external_id=f"m{event.id}")  # fmt: skip
    db.session.add(Participant(target_id=target.id, participant_key="p", display_name="h",
                               joined_at=start, left_at=start + timedelta(minutes=60),
                               bridge_point_id=joined.id))  # fmt: skip
    db.session.commit()
    before = summary_after(event.id).as_dict()
    services.record_report(waiting, "phone-0001", 30, [], start + timedelta(minutes=5))
    db.session.commit()
    after = summary_after(event.id, checked_in={waiting.id}).as_dict()
    assert len(reads) == 1  # moved hall by hall, not read whole
    assert after == whole(event.id)[0]
    patch = diff(before, after)
    sent = after["halls"][0]["reported_at"]
    assert patch["halls"] == {"$rows": {str(waiting.id): {
        "status": "reported_only", "head_count": 30, "reported_at": sent,
    }}}  # fmt: skip
    assert after["halls"][0]["id"] == waiting.id
    assert {k: v for k, v in patch.items() if k != "halls"} == {
        "halls_reported": 1, "people_present": 30,
    }  # fmt: skip
    assert (after["halls_connected"], after["halls_reported"]) == (1, 1)


def test_an_unusual_count_is_marked_in_its_row_and_the_mark_follows_the_deltas(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count far above the expected one (``app.halls.unusual``) marks its hall's row; the
    check-in's patch carries the mark with the count, and the corrected count's patch clears it."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
    monkeypatch.setattr(summary, "utcnow", lambda: start + timedelta(hours=2))
    event = make.event(HOME, title="Hội nghị hai điểm cầu", channel="online_conference",
                       planned_start=start)  # fmt: skip
    codes = commune_codes(HOME, 2)
    typo, usual = services.set_bridge_points(event, codes, dict.fromkeys(codes, 45))
    services.record_report(usual, "usual-0001", 40, [], start + timedelta(minutes=1))
    db.session.commit()
    before = summary_after(event.id).as_dict()
    assert [h["unusual"] for h in before["halls"]] == [False, False]
    services.record_report(typo, "typo-0001", 4500, [], start + timedelta(minutes=5))
    db.session.commit()
    marked = summary_after(event.id, checked_in={typo.id}).as_dict()
    assert marked == whole(event.id)[0]
    row = diff(before, marked)["halls"]["$rows"][str(typo.id)]
    assert (row["head_count"], row["unusual"]) == (4500, True)
    assert {h["id"]: h["unusual"] for h in marked["halls"]} == {typo.id: True, usual.id: False}
    services.record_report(typo, "typo-0002", 45, [], start + timedelta(minutes=6))
    db.session.commit()
    corrected = summary_after(event.id, checked_in={typo.id}).as_dict()
    row = diff(marked, corrected)["halls"]["$rows"][str(typo.id)]
    assert (row["head_count"], row["unusual"]) == (45, False)
