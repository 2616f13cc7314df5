"""The home screen's "alerts during events": every open alert of the events the user sees.

The tour's gap: a commune officer whose hall had not connected to the province's live
conference found the "Điểm cầu chưa kết nối" alert only on the event's page; home listed the
alerts of the events seen whole (``scoped``, which never widens), so the province's conference,
seen in part, brought none of them home.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.alerts import engine, rules
from app.alerts.rules import Condition
from app.extensions import db
from tests.app.events.provincial import NOW, provincial, stop_clock
from tests.conftest import Factory, login


def _hall_alerts(world) -> None:  # type: ignore[no-untyped-def]
    """My hall and the other commune's hall both not connected, 20 minutes in."""
    for hall, name in ((world.my_hall, "Hội trường Mình"), (world.their_hall, "Hội trường Bên")):
        condition = Condition(rules.HALL_ABSENT, f"hall:{hall}", name)
        engine.open_alert(world.conference, condition, NOW, None)
    db.session.commit()


def test_a_commune_officer_sees_their_halls_alert_of_the_provinces_conference_at_home(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch)
    world = provincial(make)
    _hall_alerts(world)
    login(client, make.user("officer", world.mine).email)
    page = client.get("/").get_data(as_text=True)
    assert 'id="event-alerts-home"' in page
    section = page.split('id="event-alerts-home"', 1)[1].split("</section>", 1)[0]
    assert "Điểm cầu chưa kết nối" in section
    assert "Hội trường Mình chưa kết nối vào hội nghị" in section
    assert "Hội nghị trực tuyến triển khai BHXH tự nguyện" in section  # the event's name
    assert f'href="/events/{world.conference}"' in section  # its page, seen in part
    assert "Hội trường Bên" not in page  # the other commune's hall is not mine


def test_the_province_sees_every_halls_alert_newest_first_with_a_link(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, logged_in
) -> None:
    from datetime import timedelta

    stop_clock(monkeypatch)
    world = provincial(make)
    engine.open_alert(world.conference, Condition(rules.HALL_ABSENT, f"hall:{world.my_hall}",
                      "Hội trường Mình"), NOW - timedelta(minutes=5), None)  # fmt: skip
    engine.open_alert(world.conference, Condition(rules.HALL_DROPPED, f"hall:{world.their_hall}",
                      "Hội trường Bên"), NOW, None)  # fmt: skip
    db.session.commit()
    logged_in("viewer")
    page = client.get("/").get_data(as_text=True)
    section = page.split('id="event-alerts-home"', 1)[1].split("</section>", 1)[0]
    assert section.index("Hội trường Bên") < section.index("Hội trường Mình")  # newest first
    assert f'href="/events/{world.conference}/live"' in section
    assert 'href="/alerts"' in section
