"""A new check-in link is not offered, nor issued, once the event is over: its end comes from the
event's dates, so it would be born expired while the hall's old link stopped working."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls import links, services
from app.models import AuditLog, BridgePoint, Event
from tests.app.halls.conftest import commune_codes, event_with_channel, page_token
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

NOTE = "Không cấp đường dẫn mới: sự kiện đã kết thúc (sửa thời gian của sự kiện để cấp)."


def ended(make: Factory) -> tuple[Event, BridgePoint]:
    start = datetime.now(UTC) - timedelta(days=3)
    event = make.event(HOME, title="Hội nghị đã xong", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=2))  # fmt: skip
    (point,) = services.set_bridge_points(event, commune_codes(n=1), {})
    db.session.commit()
    return event, point


def test_the_page_offers_no_new_link_for_an_ended_event_and_says_why(
    client: FlaskClient, make: Factory, organiser
) -> None:
    event, _ = ended(make)
    html = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    assert 'value="renew"' not in html
    assert NOTE in html
    running = event_with_channel(make)
    services.set_bridge_points(running, commune_codes(n=1), {})
    db.session.commit()
    html = client.get(f"/events/{running.id}/bridge-points").get_data(as_text=True)
    assert 'value="renew"' in html
    assert NOTE not in html


def test_the_server_refuses_a_new_link_for_an_ended_event(
    client: FlaskClient, make: Factory, organiser
) -> None:
    event, point = ended(make)
    old = point.checkin_token
    token = page_token(client, f"/events/{event.id}/bridge-points")
    form = {"csrf_token": token, "action": "renew", "point": point.id}
    refused = client.post(f"/events/{event.id}/bridge-points", data=form)
    assert refused.status_code == 422
    assert "Sự kiện đã kết thúc: đường dẫn mới sẽ hết hạn ngay" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(BridgePoint, point.id).checkin_token == old
    renewals = sa.select(AuditLog).where(AuditLog.action == "bridge_point.renew")
    assert db.session.scalars(renewals).all() == []
    with pytest.raises(links.BornExpired):
        links.renew_link(db.session.get(BridgePoint, point.id))


def test_the_api_refuses_it_with_a_json_message_and_renews_a_running_one(
    client: FlaskClient, make: Factory
) -> None:
    headers = {"Authorization": f"Bearer {issue_token(make.user('officer', HOME))}"}
    event, point = ended(make)
    old = point.checkin_token
    refused = client.post(f"/api/v1/events/{event.id}/bridge-points/{point.id}/renew",
                          headers=headers)  # fmt: skip
    assert refused.status_code == 409
    body = refused.get_json()
    # The API speaks English to scripts (app.languages.select_locale), in words, with a code to
    # test.
    assert body["message"].startswith("The event is over: a new link would already be expired")
    assert body["errors"] == {"json": {"event": ["event_over"]}}
    db.session.expire_all()
    assert db.session.get(BridgePoint, point.id).checkin_token == old
    running = event_with_channel(make)
    (live,) = services.set_bridge_points(running, commune_codes(n=1), {})
    db.session.commit()
    before = live.checkin_token
    renewed = client.post(f"/api/v1/events/{running.id}/bridge-points/{live.id}/renew",
                          headers=headers)  # fmt: skip
    assert renewed.status_code == 200
    db.session.expire_all()
    now_token = db.session.get(BridgePoint, live.id).checkin_token
    assert renewed.get_json()["checkin_url"].endswith(now_token)
    assert not renewed.get_json()["checkin_url"].endswith(before)
    other = client.post(f"/api/v1/events/{running.id}/bridge-points/{point.id}/renew",
                        headers=headers)  # fmt: skip
    assert other.status_code == 404  # a hall of another event
