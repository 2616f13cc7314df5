"""An online conference under way without any hall: its home card says so in a sentence, never
"0/0", with a link to add them for those who may (officers and above), as the event page says
"Chưa có điểm cầu nào." where its halls would be."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import Channel, OrgUnit
from tests.app.events.provincial import stop_clock
from tests.app.home.conftest import NOW
from tests.conftest import HOME, Factory, login

pytestmark = pytest.mark.postgres


def card(client: FlaskClient, event_id: int) -> str:
    page = client.get("/").get_data(as_text=True)
    found = re.search(rf'<article class="card now" data-event="{event_id}">(.*?)</article>', page,
                      re.S)  # fmt: skip
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(("role", "link"), [("officer", True), ("viewer", False)])
def test_a_conference_without_halls_says_so_on_its_home_card(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch, role: str, link: bool
) -> None:
    stop_clock(monkeypatch, NOW)
    event = make.event(title="Hội nghị chưa có điểm cầu", channel=Channel.ONLINE_CONFERENCE,
                       planned_start=NOW - timedelta(minutes=10),
                       planned_end=NOW + timedelta(hours=1))  # fmt: skip
    login(client, make.user(role, HOME).email)
    shown = card(client, event.id)
    assert "0/0" not in shown
    assert 'data-key="halls' not in shown
    assert 'data-key="people"' not in shown
    sentence = re.search(r'<p class="no-halls">(.*?)</p>', shown, re.S)
    assert sentence is not None
    assert sentence.group(1).startswith("Chưa có điểm cầu nào.")
    added = f'<a href="/events/{event.id}/bridge-points">Thêm điểm cầu »</a>'
    assert (added in sentence.group(1)) is link
    if link:
        assert client.get(f"/events/{event.id}/bridge-points").status_code == 200


def test_a_conference_with_halls_keeps_its_figures(
    client: FlaskClient, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch, NOW)
    event = make.event(title="Hội nghị có điểm cầu", channel=Channel.ONLINE_CONFERENCE,
                       planned_start=NOW - timedelta(minutes=10),
                       planned_end=NOW + timedelta(hours=1))  # fmt: skip
    province = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == HOME))
    commune = db.session.scalar(sa.select(OrgUnit.code).where(OrgUnit.parent_id == province.id)
                                .order_by(OrgUnit.code).limit(1))  # fmt: skip
    services.set_bridge_points(event, [commune], {commune: 40}, now=NOW - timedelta(days=1))
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    shown = card(client, event.id)
    assert "no-halls" not in shown
    assert re.search(r'data-key="halls_reported">.*?<dd>0/1</dd>', shown, re.S)
