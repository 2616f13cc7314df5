"""Hall check-ins: a report is stored with every attendee on it, or not at all, and a retry of
the same submission (same idempotency key) records it.

Before, pysqlite let the report's SAVEPOINT commit the report alone: when anything failed after it,
or the server died, the report stayed without its people, and the retry was answered "duplicate"
(the attendee rows lost for good). Here a served app (``flask run``, threaded, as ``make run``) is
killed in the middle of a burst of check-ins from 64 halls, and one submission is rolled back
after its report was written.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.halls.services import record_report, set_bridge_points
from app.models import Attendance, AttendanceReport, BridgePoint, utcnow
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory
from tests.durability.conftest import SEEN
from tests.durability.processes import kill_after, serve

pytestmark = [pytest.mark.committing, pytest.mark.postgres]

HALLS = 64  # long enough a burst that the kill cuts it, one-statement check-ins included
PER_REPORT = 20  # attendees on each hall's report
LINKS_VALID_UNTIL = datetime(2099, 1, 1, tzinfo=UTC)  # the conference is in the past


def halls(make: Factory, n: int) -> list[BridgePoint]:
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=SEEN, planned_end=SEEN + timedelta(hours=3))  # fmt: skip
    points = set_bridge_points(event, commune_codes(HOME, n), {}, now=SEEN - timedelta(days=1))
    for point in points:
        point.checkin_expires_at = LINKS_VALID_UNTIL
    db.session.commit()
    return points


def submission(hall: int, size: int) -> dict[str, Any]:
    people = [{"name": "Nguyễn Thị Hoa", "birth": str(1950 + i), "phone": f"091{hall:02d}{i:05d}"}
              for i in range(size)]  # fmt: skip
    return {
        "idempotency_key": f"burst-{hall:02d}-0001",
        "head_count": 40 + hall,
        "attendees": people,
    }


def reported(point_id: int, key: str) -> tuple[int, int] | None:
    """(attendees the report declares, attendee rows stored for it), or None without a report."""
    report = db.session.scalar(
        sa.select(AttendanceReport).where(
            AttendanceReport.bridge_point_id == point_id, AttendanceReport.idempotency_key == key
        )
    )
    if report is None:
        return None
    rows = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Attendance)
        .where(Attendance.source_ref.like(f"checkin:{point_id}:{key}:%"))
    )
    return report.attendees, rows


def test_a_burst_of_checkins_killed_midway_loses_no_attendee(
    app: Flask,
    client: FlaskClient,
    make: Factory,
    tmp_path: Path,
    writing: Callable[[], bool],
    kill_delay: Callable[[float, float], float],
) -> None:
    points = [(p.id, p.checkin_token) for p in halls(make, HALLS)]
    bodies = [submission(n, PER_REPORT) for n in range(HALLS)]
    server, base = serve(app, tmp_path / "server.log")

    def send(hall: int) -> int | None:
        try:
            reply = requests.post(f"{base}/checkin/{points[hall][1]}", json=bodies[hall],
                                  timeout=120)  # fmt: skip
            return reply.status_code
        except requests.RequestException:  # refused, or cut in the middle of the answer
            return None  # killed before it answered

    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = pool.map(send, range(HALLS))
            kill_after(server, writing, kill_delay(0.05, 0.5))
            statuses = list(answers)
    finally:
        server.kill()
    assert None in statuses, "every check-in was answered before the kill: nothing was tested"
    assert {s for s in statuses if s is not None} <= {201}, statuses  # none refused while busy

    db.session.expire_all()
    for hall, (point_id, _token) in enumerate(points):
        state = reported(point_id, bodies[hall]["idempotency_key"])
        assert state in (None, (PER_REPORT, PER_REPORT)), (hall, state)  # whole or absent
        if statuses[hall] == 201:
            assert state is not None, hall  # acknowledged means stored

    # The halls' pages send their queued reports again, with the same keys.
    for hall, (_point_id, token) in enumerate(points):
        again = client.post(f"/checkin/{token}", json=bodies[hall])
        assert again.status_code in (200, 201), again.get_json()
        assert again.get_json()["attendees"] == PER_REPORT
    db.session.expire_all()
    for hall, (point_id, _token) in enumerate(points):
        state = reported(point_id, bodies[hall]["idempotency_key"])
        assert state == (PER_REPORT, PER_REPORT), hall
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == (
        HALLS * PER_REPORT
    )


def test_a_report_rolled_back_after_it_was_written_is_recorded_by_the_retry(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    """Whatever fails after the report's SAVEPOINT (an attendee row, the request) undoes it all."""
    (point,) = halls(make, 1)
    point_id, token = point.id, point.checkin_token
    body = submission(0, 3)
    key = body["idempotency_key"]
    report, created = record_report(point, key, body["head_count"], body["attendees"], utcnow())
    assert created
    db.session.rollback()
    db.session.remove()  # a fresh session, as after a crash
    assert reported(point_id, key) is None

    retry = client.post(f"/checkin/{token}", json=body)
    assert retry.status_code == 201, retry.get_json()  # recorded now, not "duplicate"
    assert retry.get_json()["duplicate"] is False
    assert reported(point_id, key) == (3, 3)
