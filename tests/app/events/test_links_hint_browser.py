"""On the new-event form the channel is chosen above the links box: the box's help and example
follow the choice at once, before the event is saved."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from tests.app.test_menu_browser import _log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads


def test_the_links_box_follows_the_channel_picked(
    app: Flask, live_server: str, browser, make: Factory
) -> None:
    officer = make.user("officer", HOME)
    db.session.commit()
    page = browser.new_page()
    _log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/new")
    box = page.locator("textarea[name=links]")
    hint = page.locator("textarea[name=links] ~ small.hint")
    assert box.get_attribute("placeholder") == "https://www.facebook.com/…/videos/…"
    assert "Zoom" not in hint.inner_text()  # a livestream, the first channel
    page.select_option("select[name=channel]", "online_conference")
    assert box.get_attribute("placeholder") == "https://zoom.us/j/…"
    assert hint.inner_text().startswith("Liên kết cuộc họp (Zoom, Teams")
    assert "Facebook" not in hint.inner_text()
    page.select_option("select[name=channel]", "conference")
    assert "Facebook" in hint.inner_text()
    assert "Zoom" in hint.inner_text()


def test_a_refused_long_link_wraps_on_a_phone(
    app: Flask, live_server: str, browser, make: Factory
) -> None:
    """A tour saw the new-event page 456 px wide at 390 px: the refusal quoted the pasted
    link, one unbreakable word."""
    officer = make.user("officer", HOME)
    db.session.commit()
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
    _log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/new")
    page.fill("input[name=title]", "Livestream tư vấn")
    page.fill("textarea[name=links]", "livestreamhomnay" + "x" * 50)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "Dòng 1" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
