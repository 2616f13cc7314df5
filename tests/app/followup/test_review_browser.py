"""The review queue in headless Chromium: "Không phải" asks first (a dismissed question leaves
the pair waiting), then the decision can be undone from "Đã quyết định"."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Link, LinkStatus
from tests.app.followup.test_people_registry import _review_world
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
PHONE_SCREEN = {"width": 390, "height": 844}


def test_not_the_same_asks_first_and_can_be_undone(
    live_server: str, browser, make: Factory
) -> None:
    mine, _ = _review_world(make)
    officer = make.user("officer", HOME)
    page = browser.new_page()
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/follow-up/review")
    asked: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss() if len(asked) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Không phải").click()
    expect(page.get_by_role("button", name="Không phải")).to_be_visible()
    assert asked == ["Đỗ Văn An và Đỗ Văn Ân không phải cùng một người? Cặp này sẽ rời danh "
                     "sách cần xem xét và không được đề xuất lại."]  # fmt: skip
    db.session.expire_all()
    assert db.session.get(Link, mine).status == LinkStatus.REVIEW
    page.get_by_role("button", name="Không phải").click()
    expect(page.locator("#decided")).to_have_text("Đã quyết định")
    page.get_by_role("button", name="Hoàn tác").click()
    expect(page.get_by_role("button", name="Không phải")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Link, mine).status == LinkStatus.REVIEW


def test_on_a_phone_each_pair_is_a_card_with_its_buttons_on_screen(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    """At 390 px the buttons sat off-screen right of an eight-column table: now each pair is a
    card, attendee above enrolment, the buttons under them inside the screen."""
    _review_world(make)
    officer = make.user("officer", HOME)
    page = browser.new_page(viewport=PHONE_SCREEN, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/follow-up/review")
    card = page.locator("tbody.pair").first
    page.screenshot(path=str(shots(tmp_path) / "review-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    card_box = card.bounding_box()
    assert card_box is not None
    assert card_box["x"] + card_box["width"] <= PHONE_SCREEN["width"]
    names = card.locator(".pair-name")
    attendee, enrolment = names.nth(0).bounding_box(), names.nth(1).bounding_box()
    assert attendee is not None
    assert enrolment is not None
    assert attendee["y"] < enrolment["y"]  # the attendee, then the enrolment
    for name in ("Cùng một người", "Không phải"):
        button = card.get_by_role("button", name=name)
        expect(button).to_be_in_viewport()
        box = button.bounding_box()
        assert box is not None
        assert box["y"] > enrolment["y"]  # decided after reading both
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE_SCREEN["width"]
