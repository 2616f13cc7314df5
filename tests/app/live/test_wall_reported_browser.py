"""The projector's board says in a word which halls sent their head count without joining the
meeting: colour alone (orange against grey) is lost on a washed-out projector and on colour-blind
eyes, and the wall hides the cards' long status."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.halls import services
from app.models import utcnow
from tests.app.halls.conftest import commune_codes
from tests.app.test_menu_browser import _log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads


def test_a_reported_only_hall_is_labelled_on_the_wall(
    app: Flask, live_server: str, browser, make: Factory
) -> None:
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference")
    codes = commune_codes(HOME)[:2]
    reported, silent = services.set_bridge_points(event, codes, {c: 30 for c in codes})
    services.record_report(reported, "wall-reported-0001", 27, [], utcnow())
    # Its halls connect to a meeting it collects (else a reported hall is simply in).
    make.target(event, make.account(platform="zoom", name="Zoom tỉnh"), kind="zoom_meeting",
                external_id="850", status="live")  # fmt: skip
    admin = make.user("admin", HOME)
    names = {"reported": reported.org_unit.name, "silent": silent.org_unit.name}
    db.session.commit()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    _log_in(page, live_server, admin.email)
    page.goto(f"{live_server}/events/{event.id}/live?wall=1")
    card = page.locator("#halls-missing li.hall.reported_only")
    card.wait_for()
    assert names["reported"] in card.inner_text()
    badge = card.locator(".hall-badge")
    assert badge.is_visible()
    assert badge.inner_text().lower() == "đã báo số người"
    other = page.locator("#halls-missing li.hall.not_connected")
    assert names["silent"] in other.inner_text()
    assert other.locator(".hall-badge").count() == 0
    # The officers' page says the whole status already: no second word there.
    page.goto(f"{live_server}/events/{event.id}/live")
    card = page.locator("#halls-missing li.hall.reported_only")
    card.wait_for()
    assert card.locator(".hall-badge").count() == 0
    assert "Đã báo số người, chưa kết nối vào cuộc họp" in card.inner_text()
