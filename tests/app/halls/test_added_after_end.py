"""A hall added once its event is over gets no check-in link, on every way in (the halls form,
the API; there is no sheet import of halls): a link would be born expired, since its end comes
from the event's dates. The hall itself is kept: its head count can still be typed in and
platform participants assigned to it while the organiser reconciles the event. If the dates were
wrong, correcting them lets the organiser give the hall a link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.formatting import fmt_datetime
from app.halls import links, services
from app.models import AuditLog, BridgePoint, Event
from tests.app.halls.conftest import commune_codes, event_with_channel, form_key, page_token
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

WARNING = "nhưng không cấp đường dẫn điểm danh: sự kiện đã kết thúc"
NO_LINK = "Chưa có đường dẫn: điểm cầu được thêm sau khi sự kiện đã kết thúc."
BEFORE = "Sự kiện đã kết thúc: điểm cầu thêm bây giờ sẽ không có đường dẫn điểm danh"


def ended(make: Factory) -> Event:
    start = datetime.now(UTC) - timedelta(days=3)
    return make.event(HOME, title="Hội nghị đã xong", channel="online_conference",
                      planned_start=start, planned_end=start + timedelta(hours=2))  # fmt: skip


def points(event: Event) -> dict[str, BridgePoint]:
    db.session.expire_all()
    stmt = sa.select(BridgePoint).where(BridgePoint.event_id == event.id)
    return {p.org_unit.code: p for p in db.session.scalars(stmt)}


def save(client: FlaskClient, event: Event, codes: list[str]):  # type: ignore[no-untyped-def]
    path = f"/events/{event.id}/bridge-points"
    form = {"csrf_token": page_token(client, path), "action": "save", "commune": codes}
    return client.post(path, data=form, follow_redirects=True)


def test_the_form_adds_the_hall_without_a_link_and_says_why(
    client: FlaskClient, make: Factory, organiser
) -> None:
    event = ended(make)
    first, later = commune_codes(n=2)
    # Chosen before the event, as halls usually are: that hall has its (now expired) link.
    services.set_bridge_points(event, [first], {}, now=event.planned_start - timedelta(days=1))
    db.session.commit()
    page = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    assert BEFORE in page  # said before the organiser ticks anything
    answer = save(client, event, [first, later])
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert WARNING in html
    assert f"chỉ dùng được đến {fmt_datetime(links.link_expires_at(event))})" in html
    halls = points(event)
    assert links.has_link(halls[first])
    assert not links.has_link(halls[later])
    assert halls[later].checkin_token is None
    row = html[html.index(f'id="hall-{halls[later].id}"') :].split("</tr>", 1)[0]
    assert NO_LINK in row
    assert "/checkin/" not in row
    assert 'value="revoke"' not in row
    assert "revoke-ask" not in row
    saved = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "bridge_points.save")
    ).one()
    assert saved.detail["without_link"] == 1
    # Its head count, phoned in after the event, is typed in like any hall's.
    path = f"/events/{event.id}/bridge-points"
    form = {"csrf_token": page_token(client, path), "action": "head_count",
            "point": halls[later].id, "head_count": "37",
            "idempotency_key": form_key(html, halls[later].id)}  # fmt: skip
    assert client.post(path, data=form).status_code == 302
    assert services.latest_head_count(points(event)[later]).head_count == 37


def test_a_running_event_gives_every_new_hall_its_link(
    client: FlaskClient, make: Factory, organiser
) -> None:
    event = event_with_channel(make)
    page = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    assert BEFORE not in page
    html = save(client, event, commune_codes(n=2)).get_data(as_text=True)
    assert WARNING not in html
    assert NO_LINK not in html
    assert all(links.has_link(p) for p in points(event).values())


def test_correcting_the_dates_lets_the_organiser_give_it_a_link(
    client: FlaskClient, make: Factory, organiser
) -> None:
    event = ended(make)
    (code,) = commune_codes(n=1)
    save(client, event, [code])
    point = points(event)[code]
    assert not links.has_link(point)
    page = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    assert 'value="renew"' not in page  # over: no button, one note above the table
    assert page.count("Không cấp đường dẫn mới: sự kiện đã kết thúc") == 1
    event = db.session.get(Event, event.id)
    event.planned_start = datetime.now(UTC)
    event.planned_end = datetime.now(UTC) + timedelta(hours=3)
    db.session.commit()
    page = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    assert "Cấp đường dẫn</button>" in page
    assert "Chưa có đường dẫn: bấm “Cấp đường dẫn” để cấp." in page  # no longer "after the end"
    path = f"/events/{event.id}/bridge-points"
    form = {"csrf_token": page_token(client, path), "action": "renew", "point": point.id}
    html = client.post(path, data=form, follow_redirects=True).get_data(as_text=True)
    assert "đã có đường dẫn điểm danh." in html
    point = points(event)[code]
    assert links.has_link(point)
    assert links.link_state(point, datetime.now(UTC)) == "valid"


def test_the_printed_card_says_it_has_no_link(
    client: FlaskClient, make: Factory, organiser
) -> None:
    event = ended(make)
    (code,) = commune_codes(n=1)
    save(client, event, [code])
    html = client.get(f"/events/{event.id}/bridge-points/print").get_data(as_text=True)
    card = html[html.index(f'data-commune="{code}"') :].split("</article>", 1)[0]
    assert 'data-link="none"' in card
    assert NO_LINK in card
    assert "<svg" not in card
    assert "/checkin/" not in card


def test_the_api_adds_it_with_no_link_and_a_running_one_with_its_link(
    client: FlaskClient, make: Factory
) -> None:
    headers = {"Authorization": f"Bearer {issue_token(make.user('officer', HOME))}"}
    event = ended(make)
    (code,) = commune_codes(n=1)
    added = client.post(f"/api/v1/events/{event.id}/bridge-points", headers=headers,
                        json={"communes": [code]})  # fmt: skip
    assert added.status_code == 201
    (hall,) = added.get_json()
    assert hall["checkin_url"] is None
    assert hall["expires_at"] is None
    listed = client.get(f"/api/v1/events/{event.id}/bridge-points", headers=headers)
    assert listed.get_json()[0]["checkin_url"] is None
    assert not links.has_link(points(event)[code])
    running = event_with_channel(make)
    added = client.post(f"/api/v1/events/{running.id}/bridge-points", headers=headers,
                        json={"communes": [code]})  # fmt: skip
    (hall,) = added.get_json()
    assert "/checkin/" in hall["checkin_url"]
    assert hall["expires_at"]
    # The ended event's hall still gets no link from the API's renew: it would be born expired.
    no_link = points(event)[code]
    refused = client.post(f"/api/v1/events/{event.id}/bridge-points/{no_link.id}/renew",
                          headers=headers)  # fmt: skip
    assert refused.status_code == 409


def test_the_service_links_halls_chosen_before_the_end(make: Factory) -> None:
    """``now``: when the halls were chosen (the demo's past conference chose them beforehand)."""
    event = ended(make)
    codes = commune_codes(n=2)
    before = event.planned_start - timedelta(days=1)
    early = services.set_bridge_points(event, codes[:1], {}, now=before)
    assert links.has_link(early[0])
    assert early[0].checkin_issued_at == before
    late = {p.org_unit.code: p for p in services.set_bridge_points(event, codes, {})}
    assert links.has_link(late[codes[0]])
    assert not links.has_link(late[codes[1]])
    assert links.link_state(late[codes[1]], datetime.now(UTC)) == "none"
