"""A commune officer's home during the province's conference, as a tour read it.

"Điểm cầu chưa kết nối" headed the halls to call when the conference was followed by check-in
alone and the hall had only not sent its head count yet (there is no meeting to connect to); and
"Cảnh báo thu thập số liệu" — "nothing in collection needs you" — showed to a commune officer,
who can reconnect no account. A manager still reads it (app.home.queries.COLLECTION_MENDERS).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import EventStatus
from tests.app.events.provincial import CHOSEN, START, Provincial, provincial, stop_clock
from tests.conftest import HOME, Factory, login


@pytest.fixture
def world(app, make: Factory, monkeypatch: pytest.MonkeyPatch) -> Provincial:
    stop_clock(monkeypatch)
    world = provincial(make)
    quiet = make.event(
        HOME, title="Hội nghị phát triển người tham gia", channel="online_conference",
        status=EventStatus.LIVE, planned_start=START, planned_end=START + timedelta(hours=3),
        actual_start=START,
    )  # fmt: skip
    services.set_bridge_points(quiet, [world.mine], {world.mine: 40}, now=CHOSEN)
    db.session.commit()  # its hall has sent no head count; no meeting is followed
    return world


def test_a_hall_without_its_head_count_is_not_called_unconnected(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, make.user("officer", world.mine).email)
    html = client.get("/").get_data(as_text=True)
    missing = re.search(r'<section id="halls-missing">(.*?)</section>', html, re.S)[1]
    assert "<h2>Điểm cầu chưa báo số người</h2>" in missing
    assert "chưa kết nối" not in missing
    assert "1/1 điểm cầu chưa báo số người" in missing


def test_collection_alerts_are_not_shown_to_a_commune_officer(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, make.user("officer", world.mine).email)
    html = client.get("/").get_data(as_text=True)
    assert 'id="alerts"' not in html
    assert "Cảnh báo thu thập số liệu" not in html


def test_a_manager_still_reads_that_nothing_needs_them(
    client: FlaskClient, world: Provincial, make: Factory
) -> None:
    login(client, make.user("manager", HOME).email)
    html = client.get("/").get_data(as_text=True)
    alerts = re.search(r'<section id="alerts">(.*?)</section>', html, re.S)[1]
    assert "Cảnh báo thu thập số liệu" in alerts
    assert "Việc thu thập số liệu không có gì cần xử lý." in alerts
    assert "alerts-who" not in alerts  # they are who mends it
