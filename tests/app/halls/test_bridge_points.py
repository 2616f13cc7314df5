"""The bridge-points page: choosing halls, contacts, revoking and renewing links, typed head counts.

Plain form posts with CSRF tokens, as a browser without JavaScript sends them; each refusal
writes nothing and names the commune at fault.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import AttendanceReport, AuditLog, BridgePoint, OrgUnit
from tests.app.halls.conftest import (
    commune_codes,
    event_with_channel,
    form_key,
    page_token,
)
from tests.conftest import OTHER, Factory, login


def url(event_id: int) -> str:
    return f"/events/{event_id}/bridge-points"


def save(client: FlaskClient, event_id: int, data: dict):  # type: ignore[no-untyped-def]
    token = page_token(client, url(event_id))
    return client.post(url(event_id), data={"csrf_token": token, "action": "save", **data})


def points() -> list[BridgePoint]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(BridgePoint).order_by(BridgePoint.id)))


def test_ticked_communes_become_halls_with_contacts(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    a, b, c = commune_codes(n=3)
    response = save(client, event.id, {
        "commune": [a, b],
        f"expected-{a}": "45", f"contact_name-{a}": "  Nguyễn   Văn An ",
        f"contact_phone-{a}": "0912 345 678",
    })  # fmt: skip
    assert response.status_code == 302
    halls = points()
    assert [(p.org_unit.code, p.expected_attendance) for p in halls] == [(a, 45), (b, 0)]
    assert halls[0].contact_name == "Nguyễn Văn An"
    assert halls[0].contact_phone == "+84912345678"
    raw = db.session.execute(sa.text("SELECT contact_phone FROM bridge_points WHERE id = :i"),
                             {"i": halls[0].id}).scalar()  # fmt: skip
    assert b"912345678" not in bytes(raw)  # encrypted at rest
    page = client.get(url(event.id)).get_data(as_text=True)
    assert "<small>0912 345 678</small>" in page  # as typed, not "0912345678"
    assert f"/checkin/{halls[0].checkin_token}" in page
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "bridge_points.save"))
    (log,) = entry.all()
    assert log.detail["added"] == [a, b]
    assert "912345678" not in str(log.detail)


def test_all_communes_without_javascript(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    assert save(client, event.id, {"all": "1"}).status_code == 302
    assert len(points()) == len(commune_codes()) == 130


def test_saving_again_keeps_the_halls_and_their_links(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    a, b = commune_codes(n=2)
    save(client, event.id, {"commune": [a], f"expected-{a}": "10"})
    (first,) = points()
    token = first.checkin_token
    # The stored hall's box is disabled on the page, so the browser no longer sends it.
    response = save(client, event.id, {"commune": [b], f"expected-{a}": "12"})
    assert response.status_code == 302
    halls = points()
    assert [(p.org_unit.code, p.expected_attendance) for p in halls] == [(a, 12), (b, 0)]
    assert halls[0].checkin_token == token
    # Said as it happened: one hall is new, the event has two ("saved 2 (1 added)" read as two new).
    shown = client.get(url(event.id)).get_data(as_text=True)
    assert "Đã thêm 1 điểm cầu mới; sự kiện hiện có 2 điểm cầu." in shown
    save(client, event.id, {f"expected-{a}": "15"})
    shown = client.get(url(event.id)).get_data(as_text=True)
    assert "Đã lưu thay đổi; sự kiện có 2 điểm cầu." in shown


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("expected", "-3", "expected attendance must be a whole number from 0 to 10,000"),
        ("expected", "lots", "expected attendance must be a whole number"),
        ("contact_phone", "12345", "not a Vietnamese phone number: 12345"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(
    client, make: Factory, organiser, field: str, value: str, message: str
) -> None:
    event = event_with_channel(make)
    good, bad = commune_codes(n=2)
    client.get("/", headers={"Accept-Language": "en"})
    client.post("/language/en", data={"csrf_token": page_token(client, url(event.id))})
    response = save(client, event.id, {"commune": [good, bad], f"{field}-{bad}": value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    name = db.session.scalar(sa.select(OrgUnit.name).where(OrgUnit.code == bad))
    assert f"{name}: " in html  # the commune by its name, not its code
    assert f"({bad})" not in html
    assert message in html
    assert points() == []
    assert f'value="{value}"' in html  # typed values are kept for correcting


def test_foreign_commune_codes_are_refused(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    foreign = commune_codes(OTHER, n=1)[0]
    response = save(client, event.id, {"commune": [foreign]})
    assert response.status_code == 422
    assert foreign in response.get_data(as_text=True)
    assert points() == []


def test_forms_need_the_csrf_token(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    response = client.post(url(event.id), data={"action": "save", "all": "1"})
    assert response.status_code == 400
    assert points() == []


def test_viewers_and_other_provinces_are_refused(
    app, client: FlaskClient, make: Factory, logged_in
) -> None:
    event = event_with_channel(make)
    foreign = event_with_channel(make, org_unit=OTHER)
    logged_in("viewer")
    assert client.get(url(event.id)).status_code == 403
    token = page_token(client, "/events")
    refused = client.post(url(event.id), data={"csrf_token": token, "action": "save", "all": "1"})
    assert refused.status_code == 403
    assert points() == []
    officer = app.test_client()
    login(officer, make.user("officer").email)
    assert officer.get(url(foreign.id)).status_code == 404
    token = page_token(officer, "/events")
    response = officer.post(url(foreign.id), data={"csrf_token": token, "action": "save",
                                                   "all": "1"})  # fmt: skip
    assert response.status_code == 404
    assert points() == []


def test_livestreams_have_no_halls(client, make: Factory, organiser) -> None:
    event = make.event()
    page = client.get(url(event.id))
    assert page.status_code == 200
    assert save(client, event.id, {"all": "1"}).status_code == 422
    assert points() == []


def test_revoked_link_is_refused_and_a_new_one_works(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    (code,) = commune_codes(n=1)
    save(client, event.id, {"commune": [code]})
    (hall,) = points()
    old = f"/checkin/{hall.checkin_token}"
    assert client.get(old).status_code == 200
    token = page_token(client, url(event.id))
    revoked = client.post(url(event.id), data={"csrf_token": token, "action": "revoke",
                                               "point": hall.id})  # fmt: skip
    assert revoked.status_code == 302
    assert client.get(old).status_code == 404
    assert client.post(old, json={"idempotency_key": "k" * 12, "head_count": 5}).status_code == 404
    renewed = client.post(url(event.id), data={"csrf_token": token, "action": "renew",
                                               "point": hall.id})  # fmt: skip
    assert renewed.status_code == 302
    (hall,) = points()
    assert f"/checkin/{hall.checkin_token}" != old
    assert client.get(old).status_code == 404
    assert client.get(f"/checkin/{hall.checkin_token}").status_code == 200
    actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-2:] == ["bridge_point.revoke", "bridge_point.renew"]


def test_a_hall_of_another_event_cannot_be_revoked(client, make: Factory, organiser) -> None:
    mine, theirs = event_with_channel(make), event_with_channel(make)
    (code,) = commune_codes(n=1)
    save(client, theirs.id, {"commune": [code]})
    (hall,) = points()
    token = page_token(client, url(mine.id))
    response = client.post(url(mine.id), data={"csrf_token": token, "action": "revoke",
                                                "point": hall.id})  # fmt: skip
    assert response.status_code == 404
    assert points()[0].checkin_revoked_at is None


def test_page_shows_each_link_its_expiry_and_its_qr_card(client, make: Factory, organiser) -> None:
    from app.halls.qr import qr_svg

    event = event_with_channel(make)
    save(client, event.id, {"commune": commune_codes(n=2)})
    html = client.get(url(event.id)).get_data(as_text=True)
    for hall in points():
        link = f"http://localhost/checkin/{hall.checkin_token}"
        assert f"<code>{link}</code>" in html
        card_url = f"/events/{event.id}/bridge-points/print?commune={hall.org_unit.code}"
        assert card_url in html
        card = client.get(card_url).get_data(as_text=True)
        assert card.count('<article class="card"') == 1
        assert str(qr_svg(link, scale=4)) in card
    assert html.count("Valid until") + html.count("Có hiệu lực đến") == 2


@pytest.mark.parametrize("channel", ["conference", "small_group", "online_conference"])
def test_typed_head_count_counts_once_on_retry(
    client, make: Factory, organiser, channel: str
) -> None:
    event = event_with_channel(make, channel)
    (code,) = commune_codes(n=1)
    assert save(client, event.id, {"commune": [code], f"expected-{code}": "60"}).status_code == 302
    (hall,) = points()
    html = client.get(url(event.id)).get_data(as_text=True)
    key = form_key(html, hall.id)
    token = page_token(client, url(event.id))
    body = {"csrf_token": token, "action": "head_count", "point": hall.id, "head_count": "57",
            "idempotency_key": key}  # fmt: skip
    for _ in range(3):  # a double click, then the browser resending the form
        assert client.post(url(event.id), data=body).status_code == 302
    rows = db.session.scalars(sa.select(AttendanceReport)).all()
    assert [(r.head_count, r.source) for r in rows] == [(57, "organiser")]
    assert rows[0].idempotency_key == f"organiser-{key}"
    later = form_key(client.get(url(event.id)).get_data(as_text=True), hall.id)
    assert later != key  # the next page is a new report
    client.post(url(event.id), data={**body, "head_count": "61", "idempotency_key": later})
    detail = client.get(f"/events/{event.id}").get_data(as_text=True)
    board = detail[detail.index("hall-board") :]
    assert re.search(r">\s*61\s*<", board)
    assert "1/1" in detail  # halls connected
    assert "61/60" in detail  # people present / expected
    logged = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "bridge_point.head_count")
    ).all()
    assert len(logged) == 2


def test_bad_head_count_is_refused(client, make: Factory, organiser) -> None:
    event = event_with_channel(make, "conference")
    (code,) = commune_codes(n=1)
    save(client, event.id, {"commune": [code]})
    (hall,) = points()
    token = page_token(client, url(event.id))
    for value in ("", "ba mươi", "-1", "999999"):
        response = client.post(url(event.id), data={
            "csrf_token": token, "action": "head_count", "point": hall.id, "head_count": value,
            "idempotency_key": "abcdef0123456789"})  # fmt: skip
        assert response.status_code == 422, value
    assert db.session.scalars(sa.select(AttendanceReport)).all() == []


def test_unknown_action_is_refused(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    token = page_token(client, url(event.id))
    response = client.post(url(event.id), data={"csrf_token": token, "action": "drop"})
    assert response.status_code == 422
