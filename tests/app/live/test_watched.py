"""A commune with a hall at the province's conference watches its live page in part: the page
opens (200) without the other halls' contacts or the leads' phones, its own hall's contact
added and marked; an event where it has no hall, or a sibling commune's own, stays 404. The
socket's snapshot for it says the same, and so does the part variant of every delta
(``shapes.without_contacts``), patches included."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.live.diff import diff, merge
from app.live.shapes import without_contacts
from app.live.snapshot import snapshot_json
from app.live.summary import event_summary
from app.models import BridgePoint, Event
from tests.app.events.provincial import communes
from tests.app.live.test_routes import config_of, scripts_of
from tests.app.live.watched import (
    LEAD,
    LEAD_PHONE,
    MY_CONTACT,
    MY_PHONE,
    THEIR_PHONE,
    carries,
    carries_others,
    relayed,
)
from tests.conftest import HOME, Factory, login

pytestmark = pytest.mark.postgres
STAMP = {"epoch": "ab12", "seq": 0}


def test_a_commune_officer_watches_the_conference_its_hall_relays_in_part(
    client: FlaskClient, make: Factory
) -> None:
    r = relayed(make)
    officer = make.user("officer", r.world.mine)
    db.session.commit()
    login(client, officer.email)
    response = client.get(f"/events/{r.world.conference}/live")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert carries_others(html) == []
    assert "chỉ liên hệ của điểm cầu của bạn" in html  # the part note, in Vietnamese
    cfg = config_of(html)
    halls = cfg["summary"]["halls"]
    assert len(halls) == 2
    assert all(h["contact"] is None and "phone" not in h for h in halls)
    assert cfg["own_halls"] == {str(r.world.my_hall): {"contact": MY_CONTACT,
                                                      "phone": "0912 777 002"}}  # fmt: skip
    assert cfg["words"]["hall_own"] == "Điểm cầu của bạn"
    assert [c for c in cfg["summary"]["targets"]]  # the livestream's counters are there
    # No lead controls on the comment cards, no alerts of the organiser's.
    assert not any("leads.js" in s for s in scripts_of(html))
    assert 'id="event-alerts"' not in html
    # Its event page (seen in part) now links to the live page.
    part = client.get(f"/events/{r.world.conference}").get_data(as_text=True)
    assert f'href="/events/{r.world.conference}/live"' in part


def test_a_commune_viewer_gets_its_halls_contact_name_without_its_phone(
    client: FlaskClient, make: Factory
) -> None:
    r = relayed(make)
    login(client, make.user("viewer", r.world.mine).email)
    html = client.get(f"/events/{r.world.conference}/live").get_data(as_text=True)
    assert carries_others(html) == []
    assert not carries(html, MY_PHONE)
    assert config_of(html)["own_halls"] == {str(r.world.my_hall): {"contact": MY_CONTACT,
                                                                   "phone": None}}  # fmt: skip


def test_outside_its_halls_and_its_subtree_a_commune_gets_404(
    client: FlaskClient, make: Factory
) -> None:
    r = relayed(make)
    sibling_own = make.event(r.world.theirs, title="Livestream xã bên")
    login(client, make.user("officer", r.world.mine).email)
    assert client.get(f"/events/{r.world.not_mine}/live").status_code == 404  # no hall of mine
    assert client.get(f"/events/{sibling_own.id}/live").status_code == 404
    assert client.get(f"/events/{r.world.in_person}/live").status_code == 404  # attendees only
    part = client.get(f"/events/{r.world.in_person}").get_data(as_text=True)
    assert f"/events/{r.world.in_person}/live" not in part  # no hall there: no link


def test_the_province_still_sees_the_whole_board(client: FlaskClient, make: Factory) -> None:
    r = relayed(make)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{r.world.conference}/live").get_data(as_text=True)
    assert carries(html, THEIR_PHONE)
    assert carries(html, MY_PHONE)
    assert "own_halls" not in config_of(html)


def test_the_part_snapshot_carries_no_contact_and_no_phone(app: Flask, make: Factory) -> None:
    r = relayed(make)
    text = snapshot_json(r.world.conference, True, STAMP, part=True)  # phones asked: never given
    assert carries_others(text) == []
    assert not carries(text, MY_PHONE)
    assert MY_CONTACT not in text
    snap = json.loads(text)
    assert snap["can_see_phones"] is False
    (comment,) = snap["comments"]
    assert comment["author"] == LEAD
    assert comment["phone"] == "09xx xxx 123"
    assert len(snap["summary"]["halls"]) == 2
    # The officers' snapshot of the same number is another, with both phones in clear.
    full = snapshot_json(r.world.conference, True, STAMP)
    assert carries(full, THEIR_PHONE)
    assert carries(full, MY_PHONE)
    assert carries(full, LEAD_PHONE)


def test_a_patch_stripped_of_contacts_applies_to_the_summary_stripped_alike(
    app: Flask, make: Factory
) -> None:
    """A delta's part variant is made from its plain one: stripped, the patch applied to the
    stripped base gives the stripped new summary (a contact renamed, a hall added)."""
    r = relayed(make)
    before = event_summary(r.world.conference).as_dict()
    db.session.get(BridgePoint, r.world.their_hall).contact_name = "Cán bộ mới xã bên"
    event = db.session.get(Event, r.world.conference)
    codes = [r.world.mine, r.world.theirs, communes(3)[2].code]
    (*_, added) = services.set_bridge_points(event, codes, {c: 30 for c in codes})
    added.contact_name, added.contact_phone = "Lý Văn Ba", "+84912777003"
    db.session.commit()
    after = event_summary(r.world.conference).as_dict()
    patch = diff(before, after)
    assert "halls" in patch
    part_before = without_contacts({"summary": before})["summary"]
    part_patch = without_contacts({"patch": patch})["patch"]
    assert merge(part_before, part_patch) == without_contacts({"summary": after})["summary"]
    assert str(added.id) in part_patch["halls"]["$rows"]  # the new hall came whole
    assert "Cán bộ mới" not in json.dumps(part_patch)
    assert "Lý Văn Ba" not in json.dumps(part_patch)
    plain = {"event_id": 1, "patch": {"comments": 3}}
    assert without_contacts(plain) is plain  # no halls: the same message, shared with the room
