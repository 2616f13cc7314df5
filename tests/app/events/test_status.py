"""An event's status against its dates and its collectors (``app.events.status``).

The clock is stopped at 10:00 on 06/12/2026, Vietnam time; the events are dated around it:
- a livestream begun at 09:30, to end at 11:00, its Facebook live read as "live";
- an event planned for 20/12/2026 09:00 (not started), one of 01/12/2026 08:00–10:00 (over).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.collection.writer import write_batch
from app.extensions import db
from app.live.summary import event_summary
from app.models import AuditLog, Channel, Event, EventStatus, Target
from collectors.base import Batch, Sample
from tests.conftest import HOME, Factory, csrf_token

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def vn(day: int, hour: int, minute: int = 0) -> datetime:
    """A Vietnam wall-clock time in December 2026, as an aware UTC time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("app.events.routes", "app.events.services", "app.events.status",
                   "app.events.queries", "app.api.schemas", "app.home.routes"):  # fmt: skip
        monkeypatch.setattr(f"{module}.utcnow", lambda: NOW)


def live_event(make: Factory) -> tuple[Event, Target]:
    event = make.event(status=EventStatus.LIVE, planned_start=vn(6, 9, 30),
                       planned_end=vn(6, 11), actual_start=vn(6, 9, 31))  # fmt: skip
    target = make.target(event, make.account(), external_id="10123")
    target.status = "live"
    db.session.commit()
    return event, target


def form_of(event: Event, **changes: str) -> dict[str, str]:
    data = {
        "title": event.title,
        "channel": event.channel.value,
        "status": event.status.value,
        "org_unit": HOME,
        "campaign_id": "",
        "planned_start": "",
        "planned_end": "",
        "cost_vnd": "0",
    }
    for key in ("planned_start", "planned_end"):
        value = getattr(event, key)
        if value is not None:
            data[key] = (value + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M")
    data.update(changes)
    return data


def edit(client: FlaskClient, event: Event, **changes: str):
    url = f"/events/{event.id}/edit"
    data = {"csrf_token": csrf_token(client, url), **form_of(event, **changes)}
    return client.post(url, data=data, follow_redirects=True)


def test_an_officer_ends_a_live_event_and_the_collector_leaves_it_ended(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    officer = logged_in("officer")
    event, target = live_event(make)
    page = edit(client, event, status="ended")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đã kết thúc sự kiện. 1 đối tượng đang theo dõi kết thúc theo" in text
    assert "Đã lưu sự kiện." not in text
    db.session.expire_all()
    event, target = db.session.get(Event, event.id), db.session.get(Target, target.id)
    assert (event.status, event.ended_by_id, event.actual_end) == (
        EventStatus.ENDED, officer.id, NOW)  # fmt: skip
    # Ended as its platform would at the officer's end; one last read due at once finishes it.
    assert (target.status, target.hand_ended_at, target.finished_at, target.next_run_at) == (
        "ended", NOW, None, NOW)  # fmt: skip
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "event.end")).one()
    assert (audit.user_id, audit.object_id) == (officer.id, str(event.id))
    # A run already under way when the officer saved writes the platform's "live" after it.
    later = NOW + timedelta(minutes=1)
    write_batch(target, Batch(samples=(Sample(later, live_viewers=40),), status="live"), later)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.ENDED
    summary = event_summary(event.id, later)
    assert (summary.phase, summary.live_viewers) == ("ended", 0)  # no audience "now" any more
    assert summary.peak_viewers == 40  # the figures read are kept
    form = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert "Cán bộ đã kết thúc sự kiện này" in form


def test_a_platform_still_moves_an_event_no_officer_ended(make: Factory) -> None:
    """Only an officer's end holds: one the platform ended goes live again when it resumes."""
    event, target = live_event(make)
    event.status, event.actual_end = EventStatus.ENDED, NOW
    db.session.commit()
    write_batch(target, Batch(status="live"), NOW)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.LIVE


def test_scheduled_is_refused_while_the_platform_says_live(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event, _ = live_event(make)
    page = edit(client, event, status="scheduled")
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Nền tảng đang báo sự kiện này đang phát trực tiếp" in text
    assert "Đã lưu sự kiện." not in text
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.LIVE


def test_setting_an_ended_event_live_again_resumes_its_collection(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event, target = live_event(make)
    edit(client, event, status="ended")
    text = edit(client, db.session.get(Event, event.id), status="live").get_data(as_text=True)
    assert "1 đối tượng đang theo dõi được thu thập số liệu trở lại" in text
    db.session.expire_all()
    event, target = db.session.get(Event, event.id), db.session.get(Target, target.id)
    assert (event.status, event.ended_by_id, target.finished_at) == (EventStatus.LIVE, None, None)
    # No longer ended: the platform says its state at the next read, due at once.
    assert (target.status, target.hand_ended_at, target.next_run_at) == (None, None, NOW)


def test_ended_is_refused_for_an_event_not_started(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    page = client.post("/events/new", data={
        "csrf_token": token, "title": "Hội nghị tổng kết năm", "channel": "conference",
        "status": "ended", "org_unit": HOME, "campaign_id": "",
        "planned_start": "20/12/2026 09:00", "planned_end": "20/12/2026 11:00", "cost_vnd": "0",
    })  # fmt: skip
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Sự kiện chưa bắt đầu (dự kiến bắt đầu lúc 20/12/2026 09:00)" in text
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_live_is_refused_for_an_event_days_ahead(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event = make.event(status=EventStatus.SCHEDULED, planned_start=vn(20, 9))
    page = edit(client, event, status="live")
    assert page.status_code == 422
    assert "Sự kiện dự kiến bắt đầu lúc 20/12/2026 09:00" in page.get_data(as_text=True)


def test_a_past_event_still_scheduled_asks_for_an_update_and_ends_at_its_planned_end(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event = make.event(title="Hội nghị tại xã", channel=Channel.CONFERENCE,
                       status=EventStatus.SCHEDULED, planned_start=vn(1, 8),
                       planned_end=vn(1, 10))  # fmt: skip
    overdue = ('<span class="status parts overdue"><span class="status-part">Đã qua giờ kết thúc: '
               "cần cập nhật trạng thái</span></span>")  # fmt: skip
    assert overdue in client.get("/events").get_data(as_text=True)
    assert "Đã qua giờ kết thúc dự kiến mà sự kiện vẫn" in client.get(
        f"/events/{event.id}/edit").get_data(as_text=True)  # fmt: skip
    text = edit(client, event, status="ended").get_data(as_text=True)
    assert "Đã kết thúc sự kiện." in text
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert (event.status, event.actual_end) == (EventStatus.ENDED, vn(1, 10))
    assert overdue not in client.get("/events").get_data(as_text=True)
