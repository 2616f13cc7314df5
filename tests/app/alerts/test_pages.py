"""Alerts on the event page, the home screen and as the live page's JSON; acknowledging (with
CSRF, by an officer of the event's unit, audited); the rules form."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.alerts import engine
from app.extensions import db
from app.models import Alert, AlertRules, AuditLog
from tests.app.alerts.test_engine import at, conference
from tests.conftest import OTHER, Factory, csrf_token, login


def _one_alert(make: Factory) -> tuple[int, int]:
    event, (a,), _ = conference(make, halls=1)
    engine.evaluate(at(10))
    alert_id = db.session.scalar(sa.select(Alert.id))
    return event.id, alert_id


def test_the_event_page_lists_alerts_and_an_officer_acknowledges(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    event_id, alert_id = _one_alert(make)
    officer = logged_in("officer")
    officer.display_name = "Chị Lan"
    db.session.commit()
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Điểm cầu chưa kết nối" in page
    assert "chưa kết nối vào hội nghị" in page
    assert "Cài đặt cảnh báo" in page
    token = csrf_token(client, f"/events/{event_id}")
    refused = client.post(f"/alerts/{alert_id}/acknowledge")
    assert refused.status_code == 400  # no CSRF token
    done = client.post(f"/alerts/{alert_id}/acknowledge",
                       data={"csrf_token": token, "next": f"/events/{event_id}"})  # fmt: skip
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/events/{event_id}")
    alert = db.session.get(Alert, alert_id)
    db.session.refresh(alert)
    assert alert.acknowledged_by_id == officer.id
    assert alert.acknowledged_at is not None
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Đã xác nhận bởi Chị Lan lúc" in page
    audited = sa.select(AuditLog).where(AuditLog.action == "alert.acknowledged")
    assert db.session.scalar(audited).user_id == officer.id
    data = client.get(f"/events/{event_id}/alerts").get_json()
    assert data["open"] == 1
    assert data["alerts"][0]["acknowledged_by"] == "Chị Lan"
    assert data["alerts"][0]["label"] == "Điểm cầu chưa kết nối"


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_an_event_s_alerts_opened_in_a_browser_show_the_alerts_page(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    """Not the raw JSON the live page polls: the alerts page, filtered on the event."""
    event_id, _ = _one_alert(make)
    logged_in("officer")
    opened = client.get(f"/events/{event_id}/alerts", headers={"Accept": BROWSER})
    assert opened.status_code == 302
    assert opened.location.endswith(f"/alerts?event={event_id}")
    page = client.get(opened.location).get_data(as_text=True)
    assert "Điểm cầu chưa kết nối" in page
    assert '"alerts"' not in page
    for accept in ("application/json", "*/*"):  # the live page's poll, a script's fetch
        polled = client.get(f"/events/{event_id}/alerts", headers={"Accept": accept})
        assert polled.get_json()["open"] == 1
    quiet = make.event(title="Livestream không cảnh báo")  # the filter names it all the same
    opened = client.get(f"/events/{quiet.id}/alerts", headers={"Accept": BROWSER})
    page = client.get(opened.location).get_data(as_text=True)
    assert f'<option value="{quiet.id}" selected>Livestream không cảnh báo' in page
    xhr = {"Accept": BROWSER, "X-Requested-With": "XMLHttpRequest"}
    assert client.get(f"/events/{event_id}/alerts", headers=xhr).get_json()["open"] == 1


def test_a_viewer_sees_alerts_but_cannot_acknowledge(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    event_id, alert_id = _one_alert(make)
    logged_in("viewer")
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Điểm cầu chưa kết nối" in page
    assert "alert-ack-button" not in page
    assert "Cài đặt cảnh báo" not in page
    token = csrf_token(client, f"/events/{event_id}")
    answer = client.post(f"/alerts/{alert_id}/acknowledge", data={"csrf_token": token})
    assert answer.status_code == 403


def test_another_provinces_officer_gets_not_found(client: FlaskClient, make: Factory) -> None:
    event_id, alert_id = _one_alert(make)
    stranger = make.user("officer", OTHER)
    login(client, stranger.email)
    token = csrf_token(client, "/")
    answer = client.post(f"/alerts/{alert_id}/acknowledge", data={"csrf_token": token})
    assert answer.status_code == 404
    assert client.get(f"/events/{event_id}/alerts").status_code == 404
    assert "Điểm cầu chưa kết nối" not in client.get("/").get_data(as_text=True)


def test_the_home_screen_shows_open_alerts(client: FlaskClient, make: Factory, logged_in) -> None:
    _one_alert(make)
    logged_in("viewer")
    page = client.get("/").get_data(as_text=True)
    assert 'id="event-alerts-home"' in page
    assert "Điểm cầu chưa kết nối" in page


def test_the_rules_form_saves_checks_and_draws_a_secret(
    app: Flask, client: FlaskClient, make: Factory, logged_in
) -> None:
    event, _, _ = conference(make, halls=1)
    logged_in("officer")
    token = csrf_token(client, f"/events/{event.id}")
    form = {"csrf_token": token, "enabled": "y", "hall_absent_minutes": "7",
            "hall_dropped_minutes": "3", "head_count_percent": "60",
            "head_count_after_minutes": "15", "collector_minutes": "10",
            "viewers_zero_minutes": "2", "emails": "a@bhxh.test; b@bhxh.test",
            "webhook_url": "http://127.0.0.1:9/hook"}  # fmt: skip
    bad = client.post(f"/events/{event.id}/alert-rules", data={**form, "emails": "not-mail"},
                      follow_redirects=True)  # fmt: skip
    assert "Không phải địa chỉ e-mail: not-mail" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(AlertRules)) is None
    app.config["ALLOW_PRIVATE_PLATFORM_URLS"] = False
    private = client.post(f"/events/{event.id}/alert-rules", data=form, follow_redirects=True)
    assert "Địa chỉ webhook phải dùng https" in private.get_data(as_text=True)
    assert db.session.scalar(sa.select(AlertRules)) is None
    app.config["ALLOW_PRIVATE_PLATFORM_URLS"] = True
    saved = client.post(f"/events/{event.id}/alert-rules", data=form, follow_redirects=True)
    assert "Đã lưu cài đặt cảnh báo" in saved.get_data(as_text=True)
    row = db.session.scalar(sa.select(AlertRules))
    assert (row.hall_absent_minutes, row.head_count_percent) == (7, 60)
    assert row.emails == "a@bhxh.test, b@bhxh.test"
    assert len(row.webhook_secret or "") >= 32
    assert row.webhook_secret in saved.get_data(as_text=True)


def test_refused_settings_come_back_as_typed_each_reason_beside_its_box(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    event, _, _ = conference(make, halls=1)
    logged_in("officer")
    token = csrf_token(client, f"/events/{event.id}")
    form = {"csrf_token": token, "enabled": "y", "hall_absent_minutes": "-5",
            "hall_dropped_minutes": "3", "head_count_percent": "250",
            "head_count_after_minutes": "99999", "collector_minutes": "10",
            "viewers_zero_minutes": "2", "emails": "khong-phai-email"}  # fmt: skip
    page = client.post(f"/events/{event.id}/alert-rules", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert '<details id="alert-rules" class="card alert-rules" open>' in html
    boxes = re.findall(r'<div class="field invalid">.*?name="(\w+)".*?<small class="error"',
                       html, re.S)  # fmt: skip
    assert boxes == ["hall_absent_minutes", "head_count_percent", "head_count_after_minutes",
                     "emails"]  # fmt: skip
    for typed in ('value="-5"', 'value="250"', 'value="99999"'):
        assert typed in html
    assert "khong-phai-email</textarea>" in html
    assert "Chưa lưu cài đặt cảnh báo" in html
    assert db.session.scalar(sa.select(AlertRules)) is None


def test_a_units_next_event_inherits_its_last_settings(
    client: FlaskClient, make: Factory, logged_in, smtp
) -> None:
    from app.alerts import outbox

    first, _, _ = conference(make, halls=1)
    hook = "http://127.0.0.1:9/hook"
    db.session.add(AlertRules(event_id=first.id, emails="tinh@bhxh.test", hall_absent_minutes=15,
                              webhook_url=hook, webhook_secret="bot-secret"))  # fmt: skip
    db.session.commit()
    second, _, _ = conference(make, halls=1)
    assert engine.evaluate(at(10)).opened == []  # the unit's 15 minutes, not the default 10
    engine.evaluate(at(15))
    outbox.deliver_due(at(15))
    assert [m["to"] for m in smtp.messages] == ["tinh@bhxh.test"] * 2
    logged_in("officer")
    page = client.get(f"/events/{second.id}").get_data(as_text=True)
    assert "Lấy theo sự kiện trước của đơn vị" in page
    token = csrf_token(client, f"/events/{second.id}")
    client.post(f"/events/{second.id}/alert-rules", data={
        "csrf_token": token, "enabled": "y", "hall_absent_minutes": "15",
        "hall_dropped_minutes": "5", "head_count_percent": "50",
        "head_count_after_minutes": "20", "collector_minutes": "10",
        "viewers_zero_minutes": "3", "emails": "tinh@bhxh.test",
        "webhook_url": "http://127.0.0.1:9/hook"})  # fmt: skip
    own = db.session.scalar(sa.select(AlertRules).where(AlertRules.event_id == second.id))
    assert own.webhook_secret == "bot-secret"  # the bot keeps working


def test_acknowledging_never_redirects_off_site(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    event_id, alert_id = _one_alert(make)
    logged_in("officer")
    token = csrf_token(client, f"/events/{event_id}")
    for where in ("//evil.example/x", "/\\evil.example", "https://evil.example/"):
        answer = client.post(f"/alerts/{alert_id}/acknowledge",
                             data={"csrf_token": token, "next": where})  # fmt: skip
        assert answer.headers["Location"].endswith(f"/events/{event_id}"), where


def test_a_commune_sees_the_alerts_of_its_own_hall_of_the_provinces_conference(
    client: FlaskClient, make: Factory, monkeypatch
) -> None:
    from app.alerts import rules
    from app.alerts.rules import Condition
    from tests.app.events.provincial import provincial, stop_clock

    stop_clock(monkeypatch)
    world = provincial(make)
    for hall, name in ((world.my_hall, "Hội trường Mình"), (world.their_hall, "Hội trường Bên")):
        condition = Condition(rules.HALL_DROPPED, f"hall:{hall}", name)
        engine.open_alert(world.conference, condition, at(30), None)
    db.session.commit()
    login(client, make.user("officer", world.mine).email)
    page = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert 'id="own-hall-alerts"' in page
    assert "Hội trường Mình đã rớt khỏi hội nghị" in page
    assert "Hội trường Bên" not in page
    assert "alert-ack-button" not in page


def test_a_livestream_s_rules_show_no_hall_boxes_and_save_without_them(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    """A livestream has no halls: its form showed hall thresholds (the tour's "Điểm cầu chưa kết
    nối sau khi bắt đầu (phút)"). Saved without them, the stored hall values stay as they were."""
    from app.models import Channel

    live = make.event(title="Livestream tháng 12")
    db.session.add(AlertRules(event_id=live.id, hall_absent_minutes=15))
    db.session.commit()
    logged_in("officer")
    page = client.get(f"/events/{live.id}").get_data(as_text=True)
    for box in ("hall_absent_minutes", "hall_dropped_minutes", "head_count_percent",
                "head_count_after_minutes"):  # fmt: skip
        assert f'name="{box}"' not in page
    assert 'name="viewers_zero_minutes"' in page
    assert "Điểm cầu" not in page
    token = csrf_token(client, f"/events/{live.id}")
    saved = client.post(f"/events/{live.id}/alert-rules", follow_redirects=True, data={
        "csrf_token": token, "enabled": "y", "collector_minutes": "12",
        "viewers_zero_minutes": "4"})  # fmt: skip
    assert "Đã lưu cài đặt cảnh báo" in saved.get_data(as_text=True)
    row = db.session.scalar(sa.select(AlertRules).where(AlertRules.event_id == live.id))
    assert (row.collector_minutes, row.viewers_zero_minutes) == (12, 4)
    assert row.hall_absent_minutes == 15
    post = make.event(title="Bài viết", channel=Channel.POST)
    assert 'name="viewers_zero_minutes"' not in client.get(f"/events/{post.id}").get_data(
        as_text=True
    )
    in_person = make.event(title="Hội nghị trực tiếp", channel=Channel.CONFERENCE)
    html = client.get(f"/events/{in_person.id}").get_data(as_text=True)
    assert 'name="head_count_percent"' in html
    assert 'name="hall_dropped_minutes"' not in html  # no meeting to drop out of
    # In person a hall is in once it reported: its box speaks of the head count, not a connection.
    assert "Điểm cầu chưa báo số người sau khi bắt đầu (phút)" in html
    assert "chưa kết nối" not in html
