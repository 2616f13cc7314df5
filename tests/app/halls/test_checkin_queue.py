"""What the check-in page's offline queue relies on from the server.

- the hall's count is its latest *press*: a report queued offline that arrives after a later one
  is stored (its people counted) without replacing it, and the answer says so; the page sends its
  clock with each attempt, so a phone whose clock runs fast still sorts its presses right;
- every refusal names the field and says what is wrong in Vietnamese (the page puts the reason
  beside the field), including a link that no longer works;
- the form's ``rows`` is clamped, and a non-number is a clear error, not a 500;
- the service worker is served by the app from /checkin/, so its scope covers every hall's page.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import AttendanceReport, BridgePoint
from tests.conftest import HOME, Factory

FAST = timedelta(minutes=10)  # the hall phone's clock runs ten minutes ahead of the server's


def hall_link(make: Factory) -> tuple[BridgePoint, str]:
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    (point,) = services.set_bridge_points(event, [services.communes_of(event)[0].code], {})
    db.session.commit()
    return point, f"/checkin/{point.checkin_token}"


def counts() -> list[int | None]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AttendanceReport.head_count)))


def test_a_later_press_wins_even_from_a_phone_whose_clock_runs_fast(
    client: FlaskClient, make: Factory
) -> None:
    point, path = hall_link(make)
    real = datetime.now(UTC)
    pressed_first, pressed_later = real - timedelta(minutes=3), real - timedelta(minutes=1)
    clock = (real + FAST).isoformat()  # the phone's time as each request leaves
    later = {"idempotency_key": "press-later-1", "head_count": 45,
             "sent_at": (pressed_later + FAST).isoformat(), "clock": clock}  # fmt: skip
    answer = client.post(path, json=later)
    assert answer.status_code == 201
    assert answer.get_json()["superseded"] is False
    earlier = {"idempotency_key": "press-first-1", "head_count": 38,
               "sent_at": (pressed_first + FAST).isoformat(), "clock": clock}  # fmt: skip
    late = client.post(path, json=earlier)
    assert late.status_code == 201  # accepted: not an error the page would retry forever
    body = late.get_json()
    assert (body["received"], body["superseded"]) == (True, True)
    assert body["latest"]["head_count"] == 45
    assert body["message"].startswith("Đã nhận. Số người gửi sau (45 người lúc ")
    assert sorted(counts()) == [38, 45]  # nothing lost
    assert services.latest_head_count(point).head_count == 45
    stored = {r.head_count: r.reported_at for r in db.session.scalars(sa.select(AttendanceReport))}
    assert abs(stored[38] - pressed_first) < timedelta(seconds=30)  # the press, on server time
    assert abs(stored[45] - pressed_later) < timedelta(seconds=30)


def test_a_report_is_dated_by_its_age_on_the_phones_own_clock() -> None:
    now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    phone = now + FAST  # the phone's clock when the request left
    sent = phone - timedelta(minutes=40)
    assert services.sent_time(sent, now, clock=phone) == now - timedelta(minutes=40)
    # A press after the phone's own "now", or over a week old, is a broken clock: arrival time.
    assert services.sent_time(phone + timedelta(minutes=1), now, clock=phone) == now
    assert services.sent_time(phone - timedelta(days=8), now, clock=phone) == now


def test_refusals_name_the_field_in_vietnamese(client: FlaskClient, make: Factory) -> None:
    point, path = hall_link(make)
    bad = client.post(path, json={"idempotency_key": "words-0001", "head_count": "ba mươi"})
    assert bad.status_code == 422
    assert bad.get_json()["field"] == "head_count"
    assert bad.get_json()["errors"] == {"head_count": ["Số người phải là số nguyên, ví dụ 35."]}
    assert bad.get_json()["message"] == (
        "Số người đang có mặt tại hội trường: Số người phải là số nguyên, ví dụ 35."
    )
    empty = client.post(path, json={"idempotency_key": "empty-0001"})
    assert empty.get_json()["errors"] == {
        "head_count": ["Hãy nhập số người, danh sách người dự, hoặc cả hai."]
    }
    clock = client.post(path, json={"idempotency_key": "clock-0001", "head_count": 3,
                                    "clock": "bây giờ"})  # fmt: skip
    assert clock.status_code == 422
    assert clock.get_json()["field"] == "clock"
    assert "ISO 8601" in clock.get_json()["message"]
    assert clock.get_json()["message"].startswith("Giờ trên điện thoại: ")
    point.checkin_revoked_at = datetime.now(UTC)
    db.session.commit()
    gone = client.post(path, json={"idempotency_key": "gone-00001", "head_count": 3},
                       headers={"Accept": "application/json"})  # fmt: skip
    assert gone.status_code == 404
    assert gone.get_json()["message"] == (
        "Đường dẫn báo cáo này không còn hiệu lực; hãy xin ban tổ chức đường dẫn mới."
    )
    assert counts() == []


def test_rows_is_clamped_and_a_non_number_is_a_clear_error(
    client: FlaskClient, make: Factory
) -> None:
    _point, path = hall_link(make)
    form = {"idempotency_key": "rows-000001", "head_count": "30", "name-0": "Phạm Văn Long",
            "birth-0": "1968", "name-1500": "Lê Thị Mai", "birth-1500": "1980"}  # fmt: skip
    clamped = client.post(path, data={**form, "rows": "2000"})
    assert clamped.status_code == 200
    report = db.session.scalars(sa.select(AttendanceReport)).one()
    assert report.attendees == 1  # rows past the most a submission may carry are not read
    huge = client.post(path, data={**form, "idempotency_key": "rows-000002", "rows": "9" * 40})
    assert huge.status_code == 200  # at once: the loop is bounded, the number is not parsed
    for value in ("mười", "-3", "1e3", "5.5"):
        bad = client.post(path, data={**form, "idempotency_key": "rows-000003", "rows": value})
        assert bad.status_code == 422, value
        html = bad.get_data(as_text=True)
        assert f"Số dòng danh sách người dự: Phải là số nguyên. ({value})" in html
    as_json = client.post(path, data={**form, "idempotency_key": "rows-000004", "rows": "x"},
                          headers={"Accept": "application/json"})  # fmt: skip
    assert as_json.status_code == 422
    assert as_json.get_json()["field"] == "rows"
    assert as_json.get_json()["message"] == "Số dòng danh sách người dự: Phải là số nguyên. (x)"
    assert len(counts()) == 2


def test_a_bad_row_of_the_form_is_marked_beside_its_field(
    client: FlaskClient, make: Factory
) -> None:
    _point, path = hall_link(make)
    form = {"idempotency_key": "mark-000001", "head_count": "30", "rows": "5",
            "name-2": "Phạm Văn Long", "phone-2": "12345"}  # fmt: skip
    html = client.post(path, data=form).get_data(as_text=True)
    assert "Người thứ 3 · Số điện thoại: Không phải số điện thoại Việt Nam. (12345)" in html
    after = html[html.index('id="phone-2"') :]
    tag, rest = after.split(">", 1)
    assert 'aria-invalid="true"' in tag  # the input itself is marked
    assert rest.lstrip().startswith('<p class="err field-error">Không phải số điện thoại')
    assert html.count('aria-invalid="true"') == 1
    assert 'value="12345"' in tag  # what was typed is still there to correct
    assert 'value="Phạm Văn Long"' in html


def test_the_service_worker_is_served_by_the_app_under_checkin(client: FlaskClient) -> None:
    response = client.get("/checkin/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.cache_control.no_cache
    body = response.get_data(as_text=True)
    assert 'addEventListener("fetch"' in body
    assert "http://" not in body  # nothing fetched from elsewhere
    assert "https://" not in body


THREE_BAD_ROWS = [
    {"name": "Lê Thị Mai", "birth": "1980", "phone": "09123"},  # too short for a phone
    {"name": "Phạm Văn Long", "birth": "31/02/1975"},  # no such day
    {"name": "Trần Văn Hải", "birth": "1970", "cccd": "0401"},  # too short for a CCCD
]


def test_every_problem_of_a_report_comes_in_one_answer(client: FlaskClient, make: Factory) -> None:
    """A hall on a weak link corrects them all before sending again, not one per round trip."""
    _point, path = hall_link(make)
    body = {"idempotency_key": "three-bad-1", "head_count": 20000, "attendees": THREE_BAD_ROWS}
    answer = client.post(path, json=body)
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert sorted(errors) == ["attendees[1].phone", "attendees[2].birth", "attendees[3].cccd",
                              "head_count"]  # fmt: skip
    assert errors["attendees[1].phone"] == ["Không phải số điện thoại Việt Nam. (09123)"]
    assert errors["attendees[2].birth"] == [
        "Ngày sinh 31/02/1975 không có trong lịch: hãy xem lại ngày và tháng (ví dụ 17/05/1975)."
    ]
    assert answer.get_json()["field"] == "head_count"  # the first, for pages that show one
    assert counts() == []  # all or nothing

    form = {"idempotency_key": "three-bad-2", "rows": "3", "head_count": "30"}
    for i, row in enumerate(THREE_BAD_ROWS):
        form.update({f"{field}-{i}": value for field, value in row.items()})
    page = client.post(path, data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Có 3 chỗ cần sửa, mỗi chỗ được ghi ngay dưới ô của nó." in html
    marked = re.findall(r'<input id="([a-z]+-\d)"[^>]* aria-invalid="true">', html)
    assert marked == ["phone-0", "birth-1", "cccd-2"]
    assert html.count('class="err field-error"') - html.count('field-error" hidden') == 3
    assert 'value="31/02/1975"' in html  # what was typed comes back
    assert counts() == []
