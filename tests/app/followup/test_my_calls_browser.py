""" "My calls" on a 390 px phone in headless Chromium, and the follow-up list's editor moving a
lead closed (or reopened) to its section at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.models import utcnow
from app.timeparse import VN
from tests.app.followup.calls_world import LATE, calls_world
from tests.app.live.pages import log_in
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

PHONE = {"width": 390, "height": 844}
NEXT = (utcnow().astimezone(VN).date() + timedelta(days=18)).strftime("%d/%m/%Y")


def test_an_officer_reads_their_calls_as_cards_on_a_phone(
    live_server: str, browser, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = calls_world(make)
    monkeypatch.setattr("app.followup.calls_page.utcnow", lambda: LATE)
    page = browser.new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, w.me.email)
    page.locator("label.menu-button").click()  # the menu folds behind its button on a phone
    page.locator("#menu-calls").click()
    expect(page.locator("h1")).to_have_text("Cuộc gọi của tôi")
    held = page.locator("#held")
    assert held.locator("h3.call-group").all_inner_texts() == [
        "Quá hạn gọi lại (1)",
        "Hôm nay (1)",
    ]
    card = held.locator("table.my-calls tbody tr", has_text="Lê Thị Hà")
    assert held.locator("table.my-calls thead").first.is_visible() is False
    box = card.bounding_box()
    assert box is not None
    assert box["width"] <= 390
    assert card.locator(".call-phone a").get_attribute("href") == "tel:0912000003"
    assert card.locator(".call-phone").inner_text().endswith("0912 000 003")
    assert "19/12/2026" in card.locator(".call-day").inner_text()
    free = page.locator("#free")
    assert free.locator("h3.call-group").all_inner_texts() == ["Sắp tới (1)", "Chưa hẹn (1)"]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the page scrolls sideways: {wide} px"
    card.locator(".call-event a").click()
    expect(page).to_have_url(f"{live_server}/events/{w.world.event_id}/follow-up")
    assert errors == []


def test_a_lead_marked_closed_leaves_to_call_without_a_reload(
    live_server: str, browser, make: Factory
) -> None:
    w = calls_world(make)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, w.me.email)
    page.goto(f"{live_server}/events/{w.world.event_id}/follow-up")
    editor = page.locator("#lead-editor")
    row = page.locator("#call-table tbody tr", has_text="Phan Văn Cường")
    row.locator("button.lead-edit").click()
    editor.locator("select[name=status]").select_option("not_interested")
    editor.locator("input[name=next_call_on]").fill(NEXT)
    editor.locator("button[value=save]").click()
    closed = page.locator("#closed-table tbody tr", has_text="Phan Văn Cường")
    expect(closed).to_have_count(1)
    expect(page.locator("#call-table tbody tr", has_text="Phan Văn Cường")).to_have_count(0)
    assert closed.locator(".lead-status").inner_text() == "Không quan tâm"
    # And back: reopened, An returns to the list to call.
    page.locator("#closed-table tbody tr", has_text="Nguyễn Thị An").locator(
        "button.lead-edit"
    ).click()
    editor.locator("select[name=status]").select_option("call_back")
    editor.locator("input[name=next_call_on]").fill(NEXT)
    editor.locator("button[value=save]").click()
    expect(page.locator("#call-table tbody tr", has_text="Nguyễn Thị An")).to_have_count(1)
    expect(page.locator("#closed-table tbody tr", has_text="Nguyễn Thị An")).to_have_count(0)
    # A status that keeps the lead to call stays in place (no reload: the row is the same node).
    row = page.locator("#call-table tbody tr", has_text="Ngô Thị Dậu")
    row.evaluate("tr => { tr.dataset.kept = 'yes'; }")
    row.locator("button.lead-edit").click()
    editor.locator("select[name=status]").select_option("call_back")
    editor.locator("input[name=next_call_on]").fill(NEXT)
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    assert row.get_attribute("data-kept") == "yes"
    assert row.locator(".lead-status").inner_text() == "Hẹn lại"
    assert errors == []


@pytest.mark.parametrize("width", [1366, 390])
def test_more_leads_than_the_cap_read_more_than_and_page_by_next(
    live_server: str, browser, make: Factory, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """Past the cap (6 here, pages of 3) the free leads' count reads "hơn 6" and the pager goes
    on by "Trang sau", with no number of pages; on a phone nothing scrolls sideways."""
    from app.extensions import db
    from app.followup import calls_page
    from app.followup import my_calls as calls_module
    from tests.app.followup.calls_world import attendee

    w = calls_world(make)
    for i in range(7):
        attendee(w.world, f"Người Mới {i:02d}", f"09660000{i:02d}")
    db.session.commit()
    for module in (calls_module, calls_page):
        monkeypatch.setattr(module, "CAP", 6)
    monkeypatch.setattr(calls_module, "PAGE_SIZE", 3)
    monkeypatch.setattr("app.followup.calls_page.utcnow", lambda: LATE)
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, w.me.email)
    page.goto(f"{live_server}/follow-up/calls?free_page=2")
    free = page.locator("#free")
    expect(free.locator('.call-counts li[data-group="unscheduled"]')).to_have_text(
        "Chưa hẹn: hơn 6"
    )
    assert free.locator(".pager").inner_text().split() == [
        "«", "Trang", "trước", "Trang", "2", "Trang", "sau", "»"]  # fmt: skip
    page.screenshot(path=f"/tmp/calls-capped/my-calls-{width}.png", full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page scrolls sideways: {wide} px"
    free.locator(".pager a[rel=next]").click()  # the last page: 9 leads, 3 a page
    expect(free.locator(".pager span")).to_have_text("Trang 3")
    assert free.locator(".pager a[rel=next]").count() == 0
    assert errors == []
