"""The enrolment import's preview on a phone (360 and 390 px), in headless Chromium.

A tour found its rows table and its problems table wider than the screen: the page scrolled
sideways, a row's commune and phone off the right edge. Each row, and each problem, is now a card
(app.css ``phone-cards``) as on the attendee import. Screenshots go to ``LANTOA_SCREENSHOTS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.timeparse import VN
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
HEADER = "HO_TEN,NAM_SINH,XA_PHUONG,LOAI_HINH,PHAT_SINH,NGAY_NOP,SO_TIEN,SO_DIEN_THOAI,SO_HO_SO"
OUTSIDE_JS = """w => Array.from(document.querySelectorAll('main table td'))
  .filter(c => { const b = c.getBoundingClientRect();
                 return b.width && (b.left < 0 || b.right > w); })
  .map(c => c.innerText.slice(0, 40))"""
SCROLLING_JS = """() => Array.from(document.querySelectorAll('main table, main .table-scroll'))
  .filter(t => t.scrollWidth > t.clientWidth).map(t => t.className)"""


def _export(tmp_path: Path) -> Path:
    """An agent's export weeks after the payments: old communes written out in full (one of
    another province), one row with a payment date that is no date and an overlong phone."""
    paid = (datetime.now(VN).date() - timedelta(days=20)).strftime("%d/%m/%Y")
    rows = [
        HEADER,
        f'Nguyễn Thị Phương Thảo,1975,"Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An",'
        f"BHXH tự nguyện,Tham gia mới,{paid},1650000,0912345678,HS-2026-000123",
        f'Trần Đình Lộc,1968,"Phường Nam Hà, thành phố Hà Tĩnh",BHYT hộ gia đình,Gia hạn,'
        f"{paid},1263600,0987654321,HS-2026-000124",
        'Lê Văn Tâm,1970,"Xã Diễn Thịnh",BHXH tự nguyện,Tham gia mới,32/11/2026,'
        "1650000,09123456780987654321,HS-2026-0001250001250001250001250001250001250",
    ]
    path = tmp_path / "xuat-danh-sach-tham-gia-bhxh-tu-nguyen-thang-11.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8-sig"))
    return path


@pytest.mark.parametrize("width", [360, 390])
def test_the_enrolment_preview_fits_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path, width: int
) -> None:
    officer = make.user("officer", HOME)
    db.session.commit()
    page = browser.new_page(viewport={"width": width, "height": 800}, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/follow-up/enrolments/import")
    page.set_input_files("input[name=file]", str(_export(tmp_path)))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("table.preview")).to_be_attached()
    page.screenshot(path=str(shots(tmp_path) / f"enrolment-preview-{width}.png"), full_page=True)
    expect(page.locator("table.preview tbody tr")).to_have_count(1)  # Hà Tĩnh's is not ours
    expect(page.locator("table.issues tbody tr")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")
    assert page.evaluate(SCROLLING_JS) == []  # nothing hides inside a box either
    assert page.evaluate(OUTSIDE_JS, width) == []
    first = page.locator("table.preview tbody tr").first
    expect(first.locator("td[data-label='Xã/phường đã khớp']")).to_be_visible()
    name, number = first.locator("td.card-title"), first.locator("td.row-number")
    expect(name).to_have_text("Nguyễn Thị Phương Thảo")
    assert number.bounding_box()["y"] <= name.bounding_box()["y"]  # type: ignore[index]
    problem = page.locator("table.issues td.issue-problem").first
    expect(problem).to_be_visible()
    page.close()
