"""A commune officer watching, on a 390 px phone in headless Chromium, the province's conference
their hall relays: their hall is marked "Điểm cầu của bạn" with its contact, the other halls show
their state and count without any contact, the comment cards carry no lead controls and no phone
in clear, and nothing scrolls sideways. Screenshots go to ``LANTOA_SCREENSHOTS``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.halls import services
from app.models import Event, Participant, Platform
from tests.app.events.provincial import SECRET, START, communes
from tests.app.live import redis_app
from tests.app.live.pages import open_live_tab, shots
from tests.app.live.watched import LEAD, MY_CONTACT, carries, carries_others, relayed
from tests.app.live.webserver import WebProcess
from tests.app.vietnamese_text import english_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

app = redis_app.app  # the live page's socket is served by a separate web process
PHONE_SCREEN = {"width": 390, "height": 844}
THIRD_CONTACT, THIRD_PHONE = "Lý Văn Ba", "+84912777003"


def test_a_commune_officer_watches_the_relayed_conference_on_a_phone(
    app: Flask, web: WebProcess, browser, make: Factory, tmp_path: Path
) -> None:
    r = relayed(make)
    world = r.world
    event = db.session.get(Event, world.conference)
    # The other commune's hall is on the Zoom meeting; ours sent its count but is not (yet):
    # it waits among the halls to call, with its contact. A third commune's hall, not heard of.
    zoom = make.target(event, make.account(HOME, platform=Platform.ZOOM, name="Zoom tỉnh"),
                       kind="zoom_meeting", external_id="85012345678")  # fmt: skip
    db.session.add(Participant(target_id=zoom.id, participant_key="theirs-zoom",
                               display_name="Điểm cầu xã bên", bridge_point_id=world.their_hall,
                               joined_at=START + timedelta(minutes=5)))  # fmt: skip
    codes = [world.mine, world.theirs, communes(3)[2].code]
    *_, third = services.set_bridge_points(event, codes, {c: 40 for c in codes})
    third.contact_name, third.contact_phone = THIRD_CONTACT, THIRD_PHONE
    officer = make.user("officer", world.mine)
    db.session.commit()

    page, errors = open_live_tab(browser, web.url, officer.email, world.conference,
                                 viewport=PHONE_SCREEN, locale="vi-VN")  # fmt: skip
    own = page.locator("#halls-missing li.hall.own")
    own.wait_for(timeout=20000)
    assert page.locator("li.hall.own").count() == 1
    assert own.locator(".hall-own").inner_text() == "Điểm cầu của bạn"
    assert MY_CONTACT in own.inner_text()
    assert own.locator("a.hall-phone").inner_text() == "0912 777 002"
    others = page.locator("li.hall:not(.own)")
    assert others.count() == 2
    assert page.locator("li.hall:not(.own) .hall-contact").count() == 0  # no one else's contact
    assert "52" in page.locator("#halls-connected li.hall").inner_text()  # their count is shown
    card = page.locator("#feed li.comment").first
    card.wait_for(timeout=20000)
    assert LEAD in card.inner_text()
    assert page.locator("select.lead-assignee, select.lead-status").count() == 0
    text = page.inner_text("body")
    assert carries_others(page.content()) == []
    assert not carries(page.content(), THIRD_PHONE)
    assert THIRD_CONTACT not in text
    assert SECRET not in text
    assert english_in(text) == []
    page.screenshot(path=str(shots(tmp_path) / "live-part-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    box = own.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE_SCREEN["width"]
    assert errors == []
