"""The menu on a phone folds behind one button (it took a third of the screen on every page);
on a desktop it stays open, and no page is wider than the phone."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from tests.conftest import HOME, PASSWORD, Factory

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def admin(app: Flask, make: Factory) -> str:
    user = make.user("admin", HOME)
    db.session.commit()
    return user.email


def _log_in(page, server: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/login")
    page.fill("[name=email]", email)
    page.fill("[name=password]", PASSWORD)
    page.click("form:has([name=password]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url


def test_on_a_phone_the_menu_opens_from_its_button(live_server: str, browser, admin: str) -> None:
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _log_in(page, live_server, admin)
    events = page.locator("header nav a", has_text="Sự kiện")
    button = page.locator("label.menu-button")
    assert button.inner_text() == "☰ Trình đơn"
    assert not events.is_visible()
    assert not page.locator("header .who").is_visible()  # log out waits in the menu too
    header = page.locator("header.top").bounding_box()
    assert header is not None
    assert header["height"] < 80  # one line: the name, the menu button, the language
    button.tap()
    assert events.is_visible()
    assert page.locator("header .who button", has_text="Đăng xuất").is_visible()
    events.tap()
    page.wait_for_url("**/events")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_keyboard_opens_it_too(live_server: str, browser, admin: str) -> None:
    page = browser.new_page(viewport=PHONE)
    _log_in(page, live_server, admin)
    page.focus("#menu-open")
    page.keyboard.press("Space")
    assert page.locator("header nav a", has_text="Sự kiện").is_visible()


def test_on_a_desktop_the_menu_is_open_and_has_no_button(
    live_server: str, browser, admin: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    _log_in(page, live_server, admin)
    assert page.locator("header nav a", has_text="Sự kiện").is_visible()
    assert page.locator("header .who").is_visible()
    assert not page.locator("label.menu-button").is_visible()
