"""A commune with a hall at the province's conference joins its live updates in part: a real
Socket.IO client gets the snapshot and then the deltas (a hall's check-in, a contact renamed, a
lead's comment) with no other hall's contact and no phone in clear, while the province's viewer
in the plain room still gets the contacts; an event where the commune has no hall, or a sibling
commune's own, is refused as missing. The access is the join's one read (``viewer.allowed``)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.halls import services
from app.models import AuditLog, BridgePoint, Role, Target
from app.realtime import publish, viewer
from tests.app.events.provincial import SECRET, START
from tests.app.live.watched import (
    MY_CONTACT,
    MY_PHONE,
    THEIR_PHONE,
    carries,
    carries_others,
    relayed,
)
from tests.app.realtime.conftest import applied, join, received, token_for
from tests.app.realtime.test_handlers import written
from tests.conftest import HOME

pytestmark = pytest.mark.postgres


def test_a_commune_joins_the_conference_its_hall_relays_and_gets_no_others_contacts(
    app: Flask, make: Any, live: Any
) -> None:
    r = relayed(make)
    world = r.world
    commune = live(auth={"token": token_for(make.user("officer", world.mine))})
    province = live(auth={"token": token_for(make.user("viewer", HOME))})
    ack = join(commune, world.conference)
    assert ack["ok"] is True
    assert join(province, world.conference)["ok"] is True
    (snap,) = received(commune, "snapshot")
    text = json.dumps(snap, ensure_ascii=False)
    assert carries_others(text) == []
    assert MY_CONTACT not in text  # the page adds its own hall's contact; the socket never
    assert not carries(text, MY_PHONE)
    assert snap["can_see_phones"] is False
    assert [c["phone"] for c in snap["comments"]] == ["09xx xxx 123"]
    (theirs,) = received(province, "snapshot")
    assert {h["contact"] for h in theirs["summary"]["halls"]} == {
        MY_CONTACT,
        "Cán bộ Bí Mật Xã Bên",
    }

    # Their hall checks in, its contact is renamed, a lead comments: three deltas.
    # (Its link ended with the event, days ago: the report is stored as the check-in stores it.)
    their_hall = db.session.get(BridgePoint, world.their_hall)
    services.record_report(their_hall, "theirs-002", 57, [], START + timedelta(minutes=40))
    db.session.commit()
    publish(world.conference, "checkin", checked_in={world.their_hall})
    db.session.get(BridgePoint, world.their_hall).contact_name = f"Cán bộ mới {SECRET}"
    db.session.commit()
    publish(world.conference, "status")
    target = db.session.get(Target, r.target_id)
    publish(world.conference, "collected", written(target))
    deltas = received(commune, "delta")
    assert [d["reason"] for d in deltas] == ["checkin", "status", "collected"]
    assert [d["seq"] for d in deltas] == [ack["seq"] + 1, ack["seq"] + 2, ack["seq"] + 3]
    sent = json.dumps(deltas, ensure_ascii=False)
    assert carries_others(sent) == []
    assert not carries(sent, MY_PHONE)
    assert MY_CONTACT not in sent
    assert deltas[-1]["comments"][0]["phone"] == "09xx xxx 123"
    shown = applied(snap["summary"], *deltas)
    by_id = {h["id"]: h for h in shown["halls"]}
    assert by_id[world.their_hall]["head_count"] == 57
    assert all(h["contact"] is None for h in shown["halls"])
    # The province's viewer, in the plain room, got the new contact's name.
    plain = applied(theirs["summary"], *received(province, "delta"))
    assert {h["contact"] for h in plain["halls"]} == {MY_CONTACT, f"Cán bộ mới {SECRET}"}
    assert not carries(json.dumps(plain), THEIR_PHONE)  # a viewer: no phones either


def test_no_hall_no_join(app: Flask, make: Any, live: Any) -> None:
    r = relayed(make)
    sibling_own = make.event(r.world.theirs, title="Livestream xã bên")
    db.session.commit()
    sio = live(auth={"token": token_for(make.user("viewer", r.world.mine))})
    for event_id in (r.world.not_mine, sibling_own.id, r.world.in_person):
        refused = join(sio, event_id)
        assert (refused["ok"], refused["status"]) == (False, 404)
    assert received(sio, "snapshot") == []
    sibling = live(auth={"token": token_for(make.user("viewer", r.world.theirs))})
    assert join(sibling, r.world.not_mine)["ok"] is True  # its own hall there


@pytest.mark.committing
def test_the_joins_one_read_says_in_part_and_audits_no_part_join(app: Flask, make: Any) -> None:
    """The statement of the join answers ``in_part`` too; an officer watching in part gets no
    phones, so their join writes no audit row (on PostgreSQL the read itself would)."""
    r = relayed(make)
    officer = make.user("officer", r.world.mine)
    db.session.commit()
    with app.test_request_context("/"):
        claim = viewer.of_token(token_for(officer))
        access = viewer.allowed(claim, r.world.conference, audit=True)
        assert access == viewer.Access(officer.id, Role.OFFICER, False, in_part=True)
        assert access.watches
        assert not access.phones
        assert viewer.allowed(viewer.kept(), r.world.not_mine).watches is False
    with db.engine.connect() as other:
        assert other.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == 0
