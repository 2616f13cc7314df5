"""The halls' list when none is waiting: a conference with no hall yet does not say that every
hall is connected, nor does an in-person conference, which has no meeting to connect to."""

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


def test_a_conference_without_halls_says_it_has_none(
    app: Flask, live_server: str, browser, make: Factory
) -> None:
    event = make.event(HOME, title="Hội nghị chưa có điểm cầu", channel="online_conference")
    admin = make.user("admin", HOME)
    db.session.commit()
    page = browser.new_page()
    _log_in(page, live_server, admin.email)
    page.goto(f"{live_server}/events/{event.id}/live")
    note = page.locator("#halls-missing li.hall-none")
    note.wait_for()
    expected = "Sự kiện chưa có điểm cầu nào: thêm trên trang điểm cầu của sự kiện."
    assert note.inner_text() == expected


def test_an_in_person_conference_whose_halls_all_reported_says_so_not_connected(
    app: Flask, live_server: str, browser, make: Factory
) -> None:
    event = make.event(HOME, title="Hội nghị tại các xã", channel="conference")
    codes = commune_codes(HOME)[:2]
    points = services.set_bridge_points(event, codes, {c: 30 for c in codes})
    for i, point in enumerate(points):
        services.record_report(point, f"in-person-{i:04d}", 25 + i, [], utcnow())
    admin = make.user("admin", HOME)
    db.session.commit()
    page = browser.new_page()
    _log_in(page, live_server, admin.email)
    page.goto(f"{live_server}/events/{event.id}/live")
    note = page.locator("#halls-missing li.hall-none")
    note.wait_for()
    assert note.inner_text() == "Mọi điểm cầu đã báo số người."
