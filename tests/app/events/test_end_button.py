"""The "End event" and "Reopen" buttons of the event page and the live page
(``app.events.ending``): the edit form's end and reopening, one press from the page watched.

The clock is stopped at 10:00 on 06/12/2026, Vietnam time; the livestream began at 09:30 and its
Facebook live is read as "live" (as in tests/app/events/test_status.py).
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import AuditLog, Event, EventStatus, Target
from tests.app.events.test_status import NOW, edit, live_event, vn
from tests.conftest import OTHER, Factory, csrf_token

END_SAID = "Đã kết thúc sự kiện. 1 đối tượng đang theo dõi kết thúc theo: số liệu cuối cùng"


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("app.events.routes", "app.events.services", "app.events.status",
                   "app.events.ending", "app.events.queries", "app.live.routes"):  # fmt: skip
        monkeypatch.setattr(f"{module}.utcnow", lambda: NOW)


def press(client: FlaskClient, event: Event, action: str, back: str, page: str | None = None):
    """The button's form posted from ``page`` (the live page by default), redirect followed."""
    token = csrf_token(client, page or f"/events/{event.id}/live")
    return client.post(f"/events/{event.id}/{action}", data={"csrf_token": token, "back": back})


def log_out(client: FlaskClient) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/events")})


def actions(name: str) -> list[AuditLog]:
    return list(db.session.scalars(sa.select(AuditLog).where(AuditLog.action == name)))


def target_state(target: Target) -> tuple:
    return (target.status, target.hand_ended_at, target.finished_at, target.next_run_at)


def test_the_live_pages_button_ends_the_event_as_the_edit_form_does(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    officer = logged_in("officer")
    event, target = live_event(make)
    twin, twin_target = live_event(make)  # ended by the edit form, to compare
    page = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert f'action="/events/{event.id}/end"' in page
    assert "Kết thúc sự kiện" in page
    assert "Có, kết thúc sự kiện" in page

    response = press(client, event, "end", "live")
    assert response.status_code == 302
    assert response.location == f"/events/{event.id}/live"  # back where it was pressed
    said = client.get(response.location).get_data(as_text=True)
    assert END_SAID in said
    edit(client, twin, status="ended")
    db.session.expire_all()
    event, target = db.session.get(Event, event.id), db.session.get(Target, target.id)
    assert (event.status, event.ended_by_id, event.actual_end) == (
        EventStatus.ENDED, officer.id, NOW)  # fmt: skip
    assert target_state(target) == ("ended", NOW, None, NOW)  # one last read, then it stops
    assert target_state(target) == target_state(db.session.get(Target, twin_target.id))
    (audit,) = [a for a in actions("event.end") if a.object_id == str(event.id)]  # once
    assert (audit.user_id, audit.detail["stopped"]) == (officer.id, 1)
    assert f'action="/events/{event.id}/end"' not in said  # ended: nothing more to end


def test_the_event_pages_button_returns_to_the_event_page_and_reopens_it(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    officer = logged_in("officer")
    event, target = live_event(make)
    detail = f"/events/{event.id}"
    assert f'action="{detail}/end"' in client.get(detail).get_data(as_text=True)
    response = press(client, event, "end", "event", page=detail)
    assert response.location == detail
    page = client.get(detail).get_data(as_text=True)
    assert END_SAID in page
    assert f'action="{detail}/reopen"' in page
    assert "Mở lại" in page

    response = press(client, event, "reopen", "event", page=detail)
    assert response.location == detail
    page = client.get(detail).get_data(as_text=True)
    assert "Đã mở lại sự kiện. 1 đối tượng đang theo dõi được thu thập số liệu trở lại." in page
    db.session.expire_all()
    event, target = db.session.get(Event, event.id), db.session.get(Target, target.id)
    assert (event.status, event.ended_by_id) == (EventStatus.LIVE, None)  # it had begun
    assert target_state(target) == (None, None, None, NOW)  # collected again, at once
    (audit,) = actions("event.reopen")
    assert (audit.user_id, audit.detail["resumed"]) == (officer.id, 1)
    assert f'action="{detail}/end"' in page


def test_pressed_again_from_a_page_left_open_nothing_is_written_twice(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event, _target = live_event(make)
    press(client, event, "end", "live")
    client.get(f"/events/{event.id}/live")  # its flash read
    again = client.get(press(client, event, "end", "live").location).get_data(as_text=True)
    assert len(actions("event.end")) == 1
    assert "Đã lưu sự kiện" not in again
    assert "Đã kết thúc sự kiện." not in again


def test_an_event_not_begun_is_not_ended_and_the_page_says_why(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """No button on its page; a post anyway is refused with the edit form's words."""
    logged_in("officer")
    event = make.event(planned_start=vn(20, 9), planned_end=vn(20, 11))
    assert f'action="/events/{event.id}/end"' not in client.get(f"/events/{event.id}").text
    response = press(client, event, "end", "event", page=f"/events/{event.id}")
    assert "cannot be set" not in (page := client.get(response.location).text)
    assert "Sự kiện chưa bắt đầu (dự kiến bắt đầu lúc 20/12/2026 09:00)" in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.SCHEDULED
    assert actions("event.end") == []


def test_no_button_on_the_wall_nor_for_a_viewer(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event, _target = live_event(make)
    wall = client.get(f"/events/{event.id}/live?wall=1").get_data(as_text=True)
    assert 'class="end-event"' not in wall
    assert "Kết thúc sự kiện" not in wall
    log_out(client)
    logged_in("viewer")
    for url in (f"/events/{event.id}", f"/events/{event.id}/live"):
        page = client.get(url).get_data(as_text=True)
        assert 'class="end-event"' not in page, url


def test_refused_to_a_viewer_to_another_province_and_without_csrf(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("viewer")
    event, _target = live_event(make)
    token = csrf_token(client, f"/events/{event.id}")
    assert client.post(f"/events/{event.id}/end", data={"csrf_token": token}).status_code == 403
    log_out(client)
    logged_in("officer")
    theirs = make.event(OTHER, status=EventStatus.LIVE, planned_start=vn(6, 9))
    token = csrf_token(client, f"/events/{event.id}")
    for action in ("end", "reopen"):
        posted = client.post(f"/events/{theirs.id}/{action}", data={"csrf_token": token})
        assert posted.status_code == 404  # as the edit form: an id of elsewhere is not confirmed
    assert client.post(f"/events/{event.id}/end", data={"back": "live"}).status_code in (400, 403)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.LIVE
    assert db.session.get(Event, theirs.id).status == EventStatus.LIVE
    assert actions("event.end") == []


def test_back_names_a_page_never_an_address(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("officer")
    event, _target = live_event(make)
    response = press(client, event, "end", "https://example.com/")
    assert re.fullmatch(rf"/events/{event.id}", response.location)
