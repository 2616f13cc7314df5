"""The home screen of a commune whose hall took part in the province's conference points to its
part in the channels report, where the province's events are listed beside the commune's own
(all-zero) figures."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.halls import services
from app.models import utcnow
from tests.app.events.provincial import communes
from tests.conftest import HOME, Factory, login


def _home(app: Flask, email: str) -> str:
    client = app.test_client()
    login(client, email)
    return client.get("/").get_data(as_text=True)


def test_commune_home_points_to_its_part(app: Flask, make: Factory) -> None:
    mine, theirs, idle = communes(3)
    conference = make.event(HOME, title="Hội nghị trực tuyến cấp tỉnh", channel="online_conference",
                            planned_start=utcnow() - timedelta(days=20))  # fmt: skip
    services.set_bridge_points(conference, [mine.code, theirs.code], {})
    later = make.event(HOME, title="Hội nghị tháng sau", channel="online_conference",
                       planned_start=utcnow() + timedelta(days=30))  # fmt: skip
    services.set_bridge_points(later, [idle.code], {})
    html = _home(app, make.user("viewer", mine.code).email)
    assert 'id="parent-halls-hint"' in html
    assert 'href="/reports/channels#parent-events"' in html
    assert "Xem phần của xã/phường trong báo cáo so sánh kênh" in html
    # Its only hall is at an event to come: nothing to see yet.
    assert 'id="parent-halls-hint"' not in _home(app, make.user("viewer", idle.code).email)
    # The province counts its events in its own report.
    assert 'id="parent-halls-hint"' not in _home(app, make.user("viewer", HOME).email)
