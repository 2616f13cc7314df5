"""The review queue in headless Chromium: "Không phải" asks first (a dismissed question leaves
the pair waiting), then the decision can be undone from "Đã quyết định"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Link, LinkStatus
from tests.app.followup.test_people_registry import _review_world
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads


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
