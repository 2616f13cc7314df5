"""The organiser types a hall's head count, and its expected attendance, as the hall's officer
types one on the check-in page: "75 người", "75 nguoi", " 1.200 người " are the number, by the
one rule (``checkin_form.COUNT_RULE``). Anything else is refused as the officer's form refuses it,
naming the box ("Số người của <hall>") before the reason; an amount in đồng is no head count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import routes, services
from app.models import AttendanceReport, BridgePoint
from tests.app.halls.conftest import form_key, page_token
from tests.conftest import HOME, Factory

START = datetime(2026, 12, 14, 1, 0, tzinfo=UTC)  # 08:00 on 14/12/2026 in Vietnam
NOT_A_COUNT = "Số người phải là số nguyên, ví dụ 35."


@pytest.fixture
def hall(make: Factory, organiser, monkeypatch: pytest.MonkeyPatch) -> BridgePoint:  # type: ignore[no-untyped-def]
    """One hall of a conference in progress: half an hour after it began, as the page's clock."""
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="conference", planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    point = services.set_bridge_points(event, "all", {})[0]
    db.session.commit()
    monkeypatch.setattr(routes, "utcnow", lambda: START + timedelta(minutes=30))
    return point


def post_count(client: FlaskClient, point: BridgePoint, typed: str):  # type: ignore[no-untyped-def]
    path = f"/events/{point.event_id}/bridge-points"
    key = form_key(client.get(path).get_data(as_text=True), point.id)
    return client.post(path, data={"csrf_token": page_token(client, path), "action": "head_count",
                                   "point": point.id, "head_count": typed,
                                   "idempotency_key": key})  # fmt: skip


def counts() -> list[int | None]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AttendanceReport.head_count)))


@pytest.mark.parametrize(
    ("typed", "count", "written"),
    [("75 người", 75, "75"), ("75 nguoi", 75, "75"), (" 1.200 người ", 1200, "1.200")],
)
def test_a_head_count_with_the_word_for_people_is_recorded(
    client: FlaskClient, hall: BridgePoint, typed: str, count: int, written: str
) -> None:
    """The confirmation writes the count as every figure of the page does: 1.200, not 1200."""
    answer = post_count(client, hall, typed)
    assert answer.status_code == 302
    assert counts() == [count]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Đã ghi số người của {hall.org_unit.name}: {written}." in page


@pytest.mark.parametrize(("typed", "reason"), [("75 đ", NOT_A_COUNT), ("abc", NOT_A_COUNT),
                                               ("-3", "Phải từ 0 đến 10.000.")])  # fmt: skip
def test_anything_else_is_refused_naming_the_box(
    client: FlaskClient, hall: BridgePoint, typed: str, reason: str
) -> None:
    answer = post_count(client, hall, typed)
    assert answer.status_code == 422
    assert f"Số người của {hall.org_unit.name}: {reason}" in answer.get_data(as_text=True)
    assert counts() == []


def test_expected_attendance_is_read_by_the_same_rule(
    client: FlaskClient, hall: BridgePoint
) -> None:
    path = f"/events/{hall.event_id}/bridge-points"
    code, name = hall.org_unit.code, hall.org_unit.name

    def save(typed: str):  # type: ignore[no-untyped-def]
        return client.post(path, data={"csrf_token": page_token(client, path), "action": "save",
                                       "commune": [code], f"expected-{code}": typed})  # fmt: skip

    assert save(" 1.200 người ").status_code == 302
    db.session.expire_all()
    assert db.session.get(BridgePoint, hall.id).expected_attendance == 1200
    refused = save("75 đ")
    assert refused.status_code == 422
    assert f"{name}: số người dự kiến phải là số nguyên từ 0 đến 10.000." in refused.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(BridgePoint, hall.id).expected_attendance == 1200
