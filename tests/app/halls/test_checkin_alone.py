"""A head count sent alone is stored by one autocommitted statement on PostgreSQL
(``figures.store_alone``), and answered and counted exactly as the session's path answers it.

The session here is on the engine, as when served (``committing``): on PostgreSQL the link's
head counts take the one-statement path, on SQLite the session's, with the same expectations.
Once the report rollups are built, PostgreSQL takes the session's path too (the rollups move in
the count's transaction): the same sends then give the same answers and figures. A link opened
by an earlier report is not read again on PostgreSQL; its report's statement checks that the link
still reads so, and anything else (a changed link, a refusal) reads it again first.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.consent import CURRENT
from app.extensions import db
from app.halls import links, services
from app.models import AttendanceReport, BridgePoint
from app.personal_data import blind_index
from app.reports.rollups.full_build import rebuild
from tests.app.halls.conftest import commune_codes
from tests.app.halls.test_checkin_attendee_rows import hall_touches
from tests.conftest import HOME, Factory

pytestmark = [pytest.mark.postgres, pytest.mark.committing]

SENT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
ALONE = ("postgresql", ("figures.alone", True, False))  # the one statement, once compiled
CHECKED = ("postgresql", ("figures.alone", True, True))  # the same, checking a remembered link


def conference(make: Factory, halls: int = 2) -> list[BridgePoint]:
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    points = services.set_bridge_points(event, commune_codes(HOME, halls), {})
    db.session.commit()
    return points


def body(key: str, count: int, minutes: int) -> dict[str, Any]:
    """A submission sent ``minutes`` after SENT (no phone clock: stored at its send time)."""
    return {"idempotency_key": key, "head_count": count,
            "sent_at": (SENT + timedelta(minutes=minutes)).isoformat()}  # fmt: skip


def sends(client: FlaskClient, point: BridgePoint) -> list[tuple[int, dict[str, Any]]]:
    """A first count, its retry, a later count, an earlier one arriving last, and its retry; each
    answer without its ids (the report's, the hall's latest) and what the hall holds after."""
    path = f"/checkin/{point.checkin_token}"
    order = [body("first-0001", 40, 0), body("first-0001", 99, 0), body("later-0002", 45, 10),
             body("early-0003", 30, 5), body("early-0003", 30, 5)]  # fmt: skip
    answers = []
    for sent in order:
        reply = client.post(path, json=sent)
        answer = reply.get_json()
        ids = (answer.pop("report_id"), (answer.get("latest") or {}).pop("report_id", None))
        assert all(isinstance(i, int) for i in ids[:1])
        answers.append((reply.status_code, answer))
    return answers


def held(point_id: int) -> tuple[Any, ...]:
    db.session.expire_all()
    point = db.session.get(BridgePoint, point_id)
    assert point is not None
    keys = db.session.scalars(
        sa.select(AttendanceReport.idempotency_key)
        .where(AttendanceReport.bridge_point_id == point_id)
        .order_by(AttendanceReport.id)
    ).all()
    return point.head_count, point.head_count_at, point.reports, point.attendees_reported, keys


def test_a_count_alone_is_answered_and_kept_as_the_sessions_path_does(
    app: Flask, client: FlaskClient, make: Factory, backend: str
) -> None:
    alone, in_session = conference(make)
    first = sends(client, alone)
    assert (ALONE in app.extensions.get("lantoa_prepared", {})) is (backend == "postgresql")
    rebuild()  # from now on the count moves the rollups, in the session's transaction
    db.session.commit()
    second = sends(client, in_session)
    assert first == second
    assert [status for status, _answer in first] == [201, 200, 201, 201, 200]
    assert [a["duplicate"] for _s, a in first] == [False, True, False, False, True]
    assert [a["superseded"] for _s, a in first] == [False, False, False, True, True]
    assert first[1][1]["head_count"] == 40  # the retry is answered with the first report
    assert first[4][1]["latest"]["head_count"] == 45  # sent later, it stays the hall's count
    count, at, reports, attendees, keys = held(alone.id)
    assert (count, at, reports, attendees) == (45, SENT + timedelta(minutes=10), 3, 0)
    assert keys == ["first-0001", "later-0002", "early-0003"]
    assert held(in_session.id)[:4] == (count, at, reports, attendees)


ROWS = ("postgresql", ("figures.alone", True, False, True))  # a report with attendee rows
SHEET = [{"name": "Trần Văn Nam", "birth": "17/05/1975", "phone": "0912 345 678",
          "cccd": "040075001234", "consent": "Có"},
         {"name": "Lê Thị Hoa", "birth": "1982"}]  # fmt: skip


def with_rows(key: str, count: int, minutes: int) -> dict[str, Any]:
    return body(key, count, minutes) | {"attendees": SHEET, "consent_version": CURRENT}


def people_of(point: BridgePoint) -> list[tuple[Any, ...]]:
    """The hall's touches with their people, in the sheet's order."""
    pairs = hall_touches(point)
    return [(t.source, t.source_ref.rsplit(":", 2)[1:], t.touched_at, p.full_name, p.birth_date,
             p.phone, p.phone_bidx, p.cccd, p.cccd_bidx, p.consent_agreed, p.consent_version,
             p.consent_at, p.commune_id == point.org_unit_id, p.created_at is not None)
            for t, p in pairs]  # fmt: skip


def test_a_report_with_attendee_rows_is_stored_alone_as_the_sessions_path_stores_it(
    app: Flask, client: FlaskClient, make: Factory, backend: str
) -> None:
    """The report, the hall's figures, the people and their touches in one statement while the
    rollups are not built; a retry writes no one again; the same as the session's path after."""
    alone, in_session = conference(make)
    answers = []
    for point in (alone, in_session):
        if point is in_session:
            rebuild()  # the rows now move the rollups: the session's transaction and the ORM
            db.session.commit()
        path = f"/checkin/{point.checkin_token}"
        replies = [client.post(path, json=with_rows("rows-0001", 30, 0)) for _ in range(2)]
        replies.append(client.post(path, json=body("later-0002", 35, 10)))
        answers.append([(r.status_code, {k: v for k, v in r.get_json().items()
                                         if k not in ("report_id", "latest")})
                        for r in replies])  # fmt: skip
        if point is alone:
            kept = app.extensions.get("lantoa_prepared", {})
            assert (ROWS in kept) is (backend == "postgresql")
    assert answers[0] == answers[1]
    assert [status for status, _a in answers[0]] == [201, 200, 201]
    assert answers[0][1][1]["attendees"] == 2  # the retry is answered with the first report
    assert held(alone.id)[:4] == held(in_session.id)[:4] == (35, SENT + timedelta(minutes=10),
                                                             2, 2)  # fmt: skip
    written = people_of(alone)
    assert [row[1:] for row in written] == [row[1:] for row in people_of(in_session)]
    assert [row[3] for row in written] == ["Trần Văn Nam", "Lê Thị Hoa"]
    assert [row[1] for row in written] == [["rows-0001", "1"], ["rows-0001", "2"]]
    assert written[0][5:7] == ("+84912345678", blind_index("phone", "+84912345678"))
    raw = db.session.execute(sa.text("SELECT phone, cccd FROM people WHERE cccd IS NOT NULL"))
    assert all(b"912345678" not in bytes(phone) and b"040075001234" not in bytes(cccd)
               for phone, cccd in raw)  # fmt: skip


def test_an_expired_or_revoked_link_writes_nothing(client: FlaskClient, make: Factory) -> None:
    expired, revoked = conference(make)
    expired.checkin_expires_at = datetime.now(UTC) - timedelta(minutes=1)
    revoked.checkin_revoked_at = datetime.now(UTC)
    db.session.commit()
    gone = client.post(f"/checkin/{expired.checkin_token}", json=body("late-0001", 20, 0))
    assert gone.status_code == 410
    assert gone.get_json()["expired_at"] == expired.checkin_expires_at.isoformat()
    unknown = client.post(f"/checkin/{revoked.checkin_token}", json=body("gone-0001", 20, 0))
    assert unknown.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport)) == 0
    assert held(expired.id)[:3] == held(revoked.id)[:3] == (None, None, 0)


def test_a_link_changed_since_an_earlier_report_is_read_again(
    app: Flask, client: FlaskClient, make: Factory, backend: str
) -> None:
    """Revoked, renewed, expired, its event's end moved into the past, or deleted after a first
    report was answered: the next report is answered as a first read of the link would answer
    it (a wrong body too), and writes nothing."""
    revoked, renewed, expired, kept = conference(make, 4)
    (moved,) = conference(make, 1)
    (deleted,) = conference(make, 1)
    points = (revoked, renewed, expired, kept, moved, deleted)
    paths = {p.id: f"/checkin/{p.checkin_token}" for p in points}
    for point in points:
        assert (
            client.post(paths[point.id], json=body(f"first-{point.id:04d}", 20, 0)).status_code
            == 201
        )
    now = datetime.now(UTC)
    revoked.checkin_revoked_at = now
    links.renew_link(renewed, now)
    expired.checkin_expires_at = now - timedelta(minutes=1)
    moved.event.planned_start = now - timedelta(days=3)
    moved.event.planned_end = now - timedelta(days=2)
    db.session.delete(deleted)
    db.session.commit()
    answers = {
        p.id: client.post(paths[p.id], json=body(f"again-{p.id:04d}", 25, 1)) for p in points
    }
    statuses = {p.id: answers[p.id].status_code for p in points}
    assert statuses == {revoked.id: 404, renewed.id: 404, expired.id: 410, kept.id: 201,
                        moved.id: 410, deleted.id: 404}  # fmt: skip
    assert answers[moved.id].get_json()["expired_at"] == (now - timedelta(days=1)).isoformat()
    wrong = {"idempotency_key": "wrong-0001", "head_count": "many"}
    assert client.post(paths[revoked.id], json=wrong).status_code == 404
    assert client.post(paths[kept.id], json=wrong).status_code == 422
    kept_keys = held(kept.id)[4]
    assert kept_keys == [f"first-{kept.id:04d}", f"again-{kept.id:04d}"]
    for point in (revoked, renewed, expired, moved):
        assert held(point.id)[4] == [f"first-{point.id:04d}"]
    assert (CHECKED in app.extensions.get("lantoa_prepared", {})) is (backend == "postgresql")


def test_the_statements_a_burst_runs_stay_in_the_drivers_cache(
    app: Flask, client: FlaskClient, make: Factory, backend: str
) -> None:
    """psycopg converts a statement to its own placeholders once, and again at every call when
    it is longer than 4,096 characters or has over 50 parameters (``MAX_CACHED_STATEMENT_*`` in
    psycopg._queries): the check-in's statements run in the session stay within; those run on
    their own connection are written with PostgreSQL's $n placeholders and sent as they are
    (``prepared``: a report with its attendee rows is over 4,096 characters written the other
    way)."""
    (point,) = conference(make, 1)
    path = f"/checkin/{point.checkin_token}"
    assert client.post(path, json=body("first-0001", 20, 0)).status_code == 201
    assert client.post(path, json=body("again-0002", 25, 1)).status_code == 201
    assert client.post(path, json=body("again-0002", 25, 1)).status_code == 200
    assert client.post(path, json=with_rows("rows-0003", 25, 2)).status_code == 201
    kept = app.extensions.get("lantoa_prepared", {})
    assert (CHECKED in kept) is (backend == "postgresql")
    for (dialect, _key), compiled in kept.items():
        assert compiled.numbered is (dialect == "postgresql")
        if not compiled.numbered:
            assert len(compiled.sql) <= 4096
            assert len(set(re.findall(r"%\((\w+)\)s", compiled.sql))) <= 50
        else:
            assert "%(" not in compiled.sql
    assert (ROWS in kept) is (backend == "postgresql")
