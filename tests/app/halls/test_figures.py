"""A hall's figures kept on its row (app.halls.figures) equal the ones counted from its reports.

Every way a report reaches the database moves them: the check-in link and the organiser's form
(``record_report``: an INSERT … ON CONFLICT then one conditional UPDATE), a report added or
deleted through the ORM (the mapper events), a bulk delete followed by ``recount``. Reports of
one hall arrive out of the order they were sent (a phone's queue), twice (retries), with the
same send time (the later id wins), and with attendees only (no head count).
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.halls import figures, queries, services
from app.halls.state import hall_states
from app.models import Attendance, AttendanceReport, BridgePoint
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory
from tests.durability.processes import serve

pytestmark = pytest.mark.postgres  # the conditional UPDATE and ON CONFLICT are per dialect

SENT = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
NOW = SENT + timedelta(hours=2)
DAY = timedelta(days=1)
FIGURES = ("head_count", "head_count_at", "head_count_report_id", "reports", "attendees_reported")


def conference(make: Factory, halls: int) -> list[BridgePoint]:
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=SENT, planned_end=SENT + timedelta(hours=3))  # fmt: skip
    # Chosen the day before, as organisers do: each hall has its link.
    return services.set_bridge_points(event, commune_codes(HOME, halls), {}, now=SENT - DAY)


def counted_from_reports(point_id: int) -> tuple[Any, ...]:
    """The figures computed in Python from the hall's reports, as the board once read them."""
    reports = db.session.execute(
        sa.select(
            AttendanceReport.id,
            AttendanceReport.head_count,
            AttendanceReport.reported_at,
            AttendanceReport.attendees,
        ).where(AttendanceReport.bridge_point_id == point_id)  # fmt: skip
    ).all()
    counts = [r for r in reports if r.head_count is not None]
    latest = max(counts, key=lambda r: (r.reported_at, r.id), default=None)
    return (
        latest.head_count if latest else None,
        latest.reported_at if latest else None,
        latest.id if latest else None,
        len(reports),
        sum(r.attendees for r in reports),
    )


def stored(point_id: int) -> tuple[Any, ...]:
    columns = [getattr(BridgePoint, name) for name in FIGURES]
    return tuple(db.session.execute(sa.select(*columns).where(BridgePoint.id == point_id)).one())


def test_figures_equal_a_recount_after_a_mixed_burst(make: Factory) -> None:
    points = conference(make, 6)
    rng = random.Random(18)
    sent: list[tuple[BridgePoint, str, int | None, list[dict[str, str]], datetime]] = []
    for n in range(120):
        point = rng.choice(points[:5])  # the sixth hall never reports
        minutes = rng.choice([5, 10, 10, 15, 30, 45])  # ties: the later id must win
        count = None if n % 7 == 0 else rng.randint(0, 200)
        people = [{"name": f"Người {n} {i}", "birth": "1980"} for i in range(rng.randint(0, 2))]
        if count is None and not people:
            people = [{"name": f"Người {n}", "birth": "1975"}]
        sent.append((point, f"burst-{n:05d}", count, people, SENT + timedelta(minutes=minutes)))
    replays = rng.sample(sent, 30)  # a flaky link sends these again, in another order
    created = 0
    for point, key, count, people, at in [*sent, *replays]:
        receipt, new = services.record_report(point, key, count, people, NOW, sent_at=at)
        created += new
        assert receipt.head_count == count
    organiser, new = services.record_report(points[0], "organiser-00001", 77, [], NOW,
                                            source="organiser", sent_at=SENT)  # fmt: skip
    assert new
    assert organiser.superseded  # sent before the hall's later counts
    # Through the ORM, as scripts and older tests write reports: the mapper events follow.
    late = AttendanceReport(bridge_point_id=points[1].id, head_count=999, attendees=0,
                            reported_at=SENT + timedelta(hours=1),
                            idempotency_key="orm-00001")  # fmt: skip
    db.session.add(late)
    db.session.flush()
    latest_of_two = db.session.scalar(
        sa.select(BridgePoint.head_count_report_id).where(BridgePoint.id == points[2].id)
    )
    db.session.delete(db.session.get(AttendanceReport, latest_of_two))
    db.session.flush()
    db.session.commit()

    assert created == len(sent)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport)) == (
        len(sent) + 2 - 1
    )
    for point in points:
        assert stored(point.id) == counted_from_reports(point.id), point.id
    assert stored(points[1].id)[0] == 999
    assert stored(points[5].id) == (None, None, None, 0, 0)
    # The repair gives the same figures from scratch.
    db.session.execute(sa.update(BridgePoint).values(head_count=None, reports=0))
    figures.recount(p.id for p in points)
    for point in points:
        assert stored(point.id) == counted_from_reports(point.id), point.id
    # The board and the event's totals read them.
    states = {s.id: s for s in hall_states(points[0].event_id, NOW)}
    for point in points:
        assert (states[point.id].head_count, states[point.id].reported_at) == stored(point.id)[:2]
    totals = queries.event_totals(points[0].event_id)
    rows = [counted_from_reports(p.id) for p in points]
    assert totals == queries.HallTotals(
        halls=6,
        reporting=sum(r[0] is not None for r in rows),
        present=sum(r[0] or 0 for r in rows),
        reports=sum(r[3] for r in rows),
        attendees=sum(r[4] for r in rows),
    )


def test_a_retry_answers_the_first_report_whatever_it_carries(make: Factory) -> None:
    (point,) = conference(make, 1)
    first, created = services.record_report(point, "retry-000001", 40, [], NOW, sent_at=SENT)
    assert created
    # The retry's body is broken (a phone's storage mangled it): the stored report answers.
    again, created = services.record_report(point, "retry-000001", -5, [], NOW)
    assert not created
    assert again == first
    assert stored(point.id)[3] == 1
    with pytest.raises(services.HallError):  # a new key with the same body is refused
        services.record_report(point, "retry-000002", -5, [], NOW)


def test_a_report_sent_earlier_does_not_replace_the_later_count(make: Factory) -> None:
    (point,) = conference(make, 1)
    later, _ = services.record_report(point, "later-000001", 50, [], NOW,
                                      sent_at=SENT + timedelta(minutes=20))  # fmt: skip
    earlier, _ = services.record_report(point, "early-000001", 35, [], NOW, sent_at=SENT)
    assert earlier.superseded
    assert not later.superseded
    assert earlier.latest == figures.HeadCount(50, SENT + timedelta(minutes=20), later.report_id)
    assert point.head_count == 50  # the session's copy follows without a reload
    assert figures.hall_count(point.id) == earlier.latest


@pytest.mark.committing
def test_concurrent_sends_store_each_submission_once(app: Flask, make: Factory, tmp_path) -> None:
    """A served app (threads): one submission sent 10 times at once is stored once and answered
    "duplicate" 9 times; 10 submissions of another hall at once all count, and its count is the
    latest-sent one, whatever order the database saw them in. A head count sent alone 10 times
    at once (one autocommitted statement on PostgreSQL, ``figures.store_alone``) is stored once."""
    retried, busy, lone = conference(make, 3)
    for point in (retried, busy, lone):
        point.checkin_expires_at = datetime(2099, 1, 1, tzinfo=UTC)  # the conference is past
    db.session.commit()
    links = {p.id: f"/checkin/{p.checkin_token}" for p in (retried, busy, lone)}
    same = {"idempotency_key": "same-report-01", "head_count": 44,
            "attendees": [{"name": "Lê Thị Mai", "birth": "1980"}]}  # fmt: skip
    bodies = [(retried.id, same)] * 10 + [
        (busy.id, {"idempotency_key": f"busy-report-{n:02d}", "head_count": 20 + n,
                   "sent_at": (SENT + timedelta(minutes=n % 5)).isoformat(),
                   "clock": (SENT + timedelta(minutes=10)).isoformat()})
        for n in range(10)
    ] + [(lone.id, {"idempotency_key": "lone-report-01", "head_count": 33})] * 10  # fmt: skip
    server, base = serve(app, tmp_path / "server.log")
    start = threading.Barrier(len(bodies))

    def send(item: tuple[int, dict[str, Any]]) -> dict[str, Any]:
        point_id, body = item
        start.wait()
        reply = requests.post(base + links[point_id], json=body, timeout=60)
        return {"status": reply.status_code, **reply.json()}

    try:
        with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
            answers = list(pool.map(send, bodies))
    finally:
        server.kill()
    same_answers, busy_answers, lone_answers = answers[:10], answers[10:20], answers[20:]
    assert sorted(a["status"] for a in lone_answers) == [200] * 9 + [201]
    assert len({a["report_id"] for a in lone_answers}) == 1
    assert {a["head_count"] for a in lone_answers} == {33}
    assert sorted(a["status"] for a in same_answers) == [200] * 9 + [201]
    assert sum(a["duplicate"] for a in same_answers) == 9
    assert len({a["report_id"] for a in same_answers}) == 1
    assert {a["status"] for a in busy_answers} == {201}
    db.session.expire_all()
    assert stored(retried.id)[3:] == (1, 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1
    assert stored(busy.id) == counted_from_reports(busy.id)
    assert stored(busy.id)[0] in {24, 29}  # sent at minute 4: the one the database stored last
    assert stored(lone.id)[0] == 33
    assert stored(lone.id)[3:] == (1, 0)
