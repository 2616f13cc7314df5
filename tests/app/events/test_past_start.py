"""A scheduled event whose planned start is typed more than a day in the past is refused on that
field, in Vietnamese (a slip of the year: "01/12/2025" for "01/12/2026"); a past event recorded
as ended is saved, and an overdue event's other fields can still be edited."""

from __future__ import annotations

import html as html_lib
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event, EventStatus
from app.timeparse import VN
from tests.conftest import HOME, Factory, csrf_token


def _typed(days: float) -> str:
    """The form's dd/mm/yyyy hh:mm for ``days`` from now in Vietnam."""
    return (datetime.now(VN) + timedelta(days=days)).strftime("%d/%m/%Y %H:%M")


def _new(client: FlaskClient, status: str, start: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/events/new")
    return client.post("/events/new", data={
        "csrf_token": token, "title": "Livestream tháng 12", "channel": "livestream",
        "status": status, "org_unit": HOME, "campaign_id": "", "planned_start": start,
    })  # fmt: skip


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event)) or 0


def test_a_scheduled_event_a_year_ago_is_refused_on_its_planned_start(
    client: FlaskClient, logged_in
) -> None:
    logged_in("officer")
    start = _typed(-370)
    refused = _new(client, "scheduled", start)
    assert refused.status_code == 422
    assert _count() == 0
    page = html_lib.unescape(refused.get_data(as_text=True))
    field = page.split('for="planned_start"')[1].split("</div>")[0]
    [error] = re.findall(r'<small class="error" role="alert">(.*?)</small>', field)
    assert f"Bắt đầu dự kiến ({start})" in error
    assert "Đã kết thúc" in error
    assert f'value="{start}"' in field  # what was typed is kept


def test_a_past_event_recorded_as_ended_is_saved(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    assert _new(client, "ended", _typed(-370)).status_code == 302
    assert _count() == 1


def test_a_start_earlier_today_or_ahead_is_saved(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    assert _new(client, "scheduled", _typed(-0.5)).status_code == 302
    assert _new(client, "scheduled", _typed(3)).status_code == 302
    assert _count() == 2


def test_an_overdue_event_s_title_can_still_be_changed(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    start = datetime.now(VN).replace(second=17) - timedelta(days=5)
    event = make.event(HOME, planned_start=start, status=EventStatus.SCHEDULED)
    token = csrf_token(client, f"/events/{event.id}/edit")
    saved = client.post(f"/events/{event.id}/edit", data={
        "csrf_token": token, "title": "Đổi tên", "channel": "livestream", "status": "scheduled",
        "org_unit": HOME, "campaign_id": "", "planned_start": start.strftime("%d/%m/%Y %H:%M"),
    })  # fmt: skip
    assert saved.status_code == 302
    moved = client.post(f"/events/{event.id}/edit", data={
        "csrf_token": token, "title": "Đổi tên", "channel": "livestream", "status": "scheduled",
        "org_unit": HOME, "campaign_id": "", "planned_start": _typed(-6),
    })  # fmt: skip
    assert moved.status_code == 422


def test_an_event_recorded_as_ended_says_when_it_ended_not_a_dash_range(
    client: FlaskClient, logged_in
) -> None:
    """Saved as already over with no actual start, its "Thực tế" read "— – 16/11/2026 11:00"."""
    logged_in("officer")
    assert _new(client, "ended", _typed(-20)).status_code == 302
    event = db.session.scalars(sa.select(Event)).one()
    assert event.actual_start is None
    assert event.actual_end is not None
    page = html_lib.unescape(client.get(f"/events/{event.id}").get_data(as_text=True))
    actual = re.search(r"<dt>Thực tế</dt><dd>(.*?)</dd>", page, re.S)[1]
    ended = event.actual_end.astimezone(VN).strftime("%d/%m/%Y %H:%M")
    assert actual == f"Kết thúc lúc {ended}"
    assert "— –" not in page
