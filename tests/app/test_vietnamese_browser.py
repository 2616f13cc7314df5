"""What the pages' scripts write is Vietnamese too: the text Chromium shows on the JS-heavy pages
(the hall's check-in page and its refusals, the live page, the halls page, the channel report).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.halls import services
from tests.app.vietnamese_text import english_in
from tests.conftest import HOME, PASSWORD, Factory

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def seeded(app: Flask, make: Factory) -> dict:
    start = datetime.now(UTC)
    end = start + timedelta(hours=3)
    conference = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                            planned_start=start, planned_end=end)  # fmt: skip
    live = make.event(HOME, title="Livestream tư vấn", planned_start=start, planned_end=end)
    point = services.set_bridge_points(conference, "all", {})[0]
    admin = make.user("admin", HOME)
    db.session.commit()
    pages = [f"/events/{live.id}/live", f"/events/{conference.id}/live",
             f"/events/{conference.id}/bridge-points", "/reports/channels", "/"]  # fmt: skip
    return {"checkin": f"/checkin/{point.checkin_token}", "admin": admin.email, "pages": pages,
            "import": f"/events/{conference.id}/attendance/import"}  # fmt: skip


def shown(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("document.body.innerText")


def test_the_checkin_page_and_its_refusals_read_in_vietnamese(
    live_server: str, browser, seeded: dict
) -> None:
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server + seeded["checkin"])
    findings = [f"page: {f}" for f in english_in(shown(page))]
    page.click("#checkin summary")  # the attendee rows
    page.fill("#name-0", "Nguyễn Văn An")
    page.fill("#birth-0", "năm ngoái")
    page.fill("#phone-0", "12")
    page.click("#checkin button[type=submit]")
    page.locator(".field-error").first.wait_for(state="visible")
    text = shown(page)
    assert "Ghi năm sinh (1975) hoặc ngày sinh (17/05/1975)." in text
    findings += [f"refusal: {f}" for f in english_in(text)]
    assert not findings, "\n".join(findings)


def test_script_rendered_pages_read_in_vietnamese(live_server: str, browser, seeded: dict) -> None:
    page = browser.new_page()
    page.goto(live_server + "/login")
    page.fill("[name=email]", seeded["admin"])
    page.fill("[name=password]", PASSWORD)
    page.click("form:has([name=password]) button[type=submit]")  # not the header's "English"
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url
    findings = []
    for path in seeded["pages"]:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        findings += [f"{path}: {f}" for f in english_in(shown(page))]
    assert not findings, "\n".join(findings)


def _file_box_speaks_vietnamese(page, box: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The browser's own file box ("Choose File / No file chosen" in an English browser) is
    hidden behind the page's words; choosing a file shows its name."""
    native = page.locator(box)
    size = native.bounding_box()
    assert size is not None
    assert size["width"] <= 1  # hidden, yet still there for the keyboard and the form
    pick = page.locator(".file-pick", has=native)
    assert pick.locator("label").inner_text() == "Chọn tệp"
    assert pick.locator(".file-pick-name").inner_text() == "Chưa chọn tệp"
    sheet = tmp_path / "danh-sach.csv"
    sheet.write_text("Họ và tên,Năm sinh\nNguyễn Văn An,1975\n", encoding="utf-8")
    native.set_input_files(str(sheet))
    assert pick.locator(".file-pick-name").inner_text() == "danh-sach.csv"


def test_file_boxes_read_in_vietnamese(live_server: str, browser, seeded: dict, tmp_path) -> None:
    phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(live_server + seeded["checkin"])
    _file_box_speaks_vietnamese(phone, "#sheet-file", tmp_path)
    page = browser.new_page()
    page.goto(live_server + "/login")
    page.fill("[name=email]", seeded["admin"])
    page.fill("[name=password]", PASSWORD)
    page.click("form:has([name=password]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    for path in (seeded["import"], "/follow-up/enrolments/import"):
        page.goto(live_server + path)
        _file_box_speaks_vietnamese(page, "#file", tmp_path)
