"""An attendee sheet whose rows carry no consent answer says so before and after the import.

A tour imported a sheet without its "Đồng ý" column: the preview read "3 hợp lệ, 0 có lỗi", the
result "Đã nhập 3 người dự", and only the follow-up page later showed "3 chưa hỏi ý kiến" —
nobody on it may be called. The preview and the result now warn for the whole file, with the
count (rows left empty under the column are counted too); the import still goes through.
The preview's rows table is one card per row on a phone (360 and 390 px): its ✓/✗ on top, no
column hidden off the screen (it was 721 px wide in a 278 px box, the ✓/✗ out of sight).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import expect

from app.consent import CURRENT
from app.extensions import db
from app.halls.services import communes_of, set_bridge_points
from app.models import Person
from tests.app.live.pages import log_in, shots
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory, csrf_token, login

START = datetime(2026, 11, 12, 1, 30, tzinfo=UTC)  # 08:30 in Vietnam, weeks before the upload
NO_COLUMN = (
    "Tệp không có cột Đồng ý liên hệ: 3 người được nhập nhưng chưa hỏi ý kiến, nên sẽ không có "
    "trong danh sách cần gọi. Thêm cột &#39;Đồng ý&#39; (Có/Không) nếu đã hỏi."
)
PHONE = {"width": 390, "height": 844}
OUTSIDE_JS = """w => Array.from(document.querySelectorAll('table.preview td'))
  .filter(c => { const b = c.getBoundingClientRect();
                 return b.width && (b.left < 0 || b.right > w); })
  .map(c => c.innerText.slice(0, 40))"""


@pytest.fixture
def conference(app: Flask, make: Factory):  # type: ignore[no-untyped-def]
    event = make.event(HOME, title="Hội nghị tuyên truyền BHXH tự nguyện", channel="conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    return event, communes_of(event)[0]


def _import(client: FlaskClient, event_id: int, rows: list[list[Any]]) -> tuple[str, str]:
    """Upload ``rows`` as an XLSX, confirm the preview; the preview's and the result's pages."""
    url = f"/events/{event_id}/attendance/import"
    token = csrf_token(client, url)
    preview = client.post(url, data={"csrf_token": token, "consent_version": CURRENT,
                                     "file": (io.BytesIO(xlsx(rows)), "ds-xa.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    html = preview.get_data(as_text=True)
    stash = html.split('name="stash" value="')[1].split('"')[0]
    done = client.post(url, data={"csrf_token": token, "stash": stash,
                                  "consent_version": CURRENT}, follow_redirects=True)  # fmt: skip
    assert done.status_code == 200
    return html, done.get_data(as_text=True)


def _not_asked() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Person.id)).where(Person.consent_agreed.is_(None))
    )


@pytest.mark.postgres
def test_a_sheet_without_the_consent_column_warns_on_the_preview_and_the_result(
    client: FlaskClient, make: Factory, conference
) -> None:
    event, commune = conference
    login(client, make.user("officer", HOME).email)
    rows = [["STT", "Họ và tên", "Năm sinh", "Số điện thoại", "Thôn/Xóm", "Xã/Phường"],
            [1, "Nguyễn Văn Bình", 1968, "0912345678", "Xóm 3", commune.name],
            [2, "Hồ Thị Thu", "12/04/1975", "0987654321", "Xóm Đông", commune.name],
            [3, "Trần Đình Lộc", 1981, "", "Xóm 5", commune.name]]  # fmt: skip
    preview, result = _import(client, event.id, rows)
    assert "3 hợp lệ, 0 có lỗi" in preview
    assert NO_COLUMN in preview
    assert "Đã nhập 3 người dự" in result  # not an error: the import went through
    assert NO_COLUMN in result
    assert _not_asked() == 3


@pytest.mark.postgres
def test_answers_left_empty_under_the_column_are_counted(
    client: FlaskClient, make: Factory, conference
) -> None:
    event, commune = conference
    login(client, make.user("officer", HOME).email)
    rows = [["Họ và tên", "Năm sinh", "Xã/Phường", "Đồng ý (Có/Không)"],
            ["Nguyễn Văn Bình", 1968, commune.name, "Có"],
            ["Hồ Thị Thu", 1975, commune.name, None],
            ["Trần Đình Lộc", 1981, commune.name, "Không"],
            ["Lê Thị Hạnh", 1990, commune.name, "  "]]  # fmt: skip
    preview, result = _import(client, event.id, rows)
    empty = ("Cột Đồng ý để trống ở 2 dòng: những người này được nhập nhưng chưa hỏi ý kiến, "
             "nên sẽ không có trong danh sách cần gọi.")  # fmt: skip
    for page in (preview, result):
        assert empty in page
        assert "Tệp không có cột Đồng ý" not in page
    assert "Đã nhập 4 người dự" in result
    assert _not_asked() == 2


def test_a_sheet_answered_on_every_row_says_nothing_of_consent(
    client: FlaskClient, make: Factory, conference
) -> None:
    event, commune = conference
    login(client, make.user("officer", HOME).email)
    rows = [["Họ và tên", "Năm sinh", "Xã/Phường", "Đồng ý"],
            ["Nguyễn Văn Bình", 1968, commune.name, "Có"],
            ["Hồ Thị Thu", 1975, commune.name, "Không"]]  # fmt: skip
    preview, result = _import(client, event.id, rows)
    for page in (preview, result):
        assert "chưa hỏi ý kiến" not in page
    assert "Đã nhập 2 người dự" in result


def test_the_hall_s_check_in_page_warns_on_its_preview_and_its_result(
    client: FlaskClient, make: Factory
) -> None:
    start = datetime.now(UTC) - timedelta(hours=1)  # under way: the hall's link is open
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    [point] = set_bridge_points(event, [communes_of(event)[0].code], {})
    db.session.commit()
    path = f"/checkin/{point.checkin_token}"
    rows = [["Họ và tên", "Năm sinh", "SĐT", "Thôn/Xóm"],
            ["Nguyễn Văn Bình", 1968, "0912345678", "Xóm 3"],
            ["Hồ Thị Thu", 1975, "", "Xóm Đông"],
            ["Trần Đình Lộc", 1981, "0987654321", "Xóm 5"]]  # fmt: skip
    preview = client.post(path, data={"sheet": (io.BytesIO(xlsx(rows)), "ds.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip
    html = preview.get_data(as_text=True)
    assert NO_COLUMN in html
    stash = html.split('name="sheet_stash" value="')[1].split('"')[0]
    done = client.post(path, data={"sheet_stash": stash}).get_data(as_text=True)
    assert "Đã nhận 3 người tham dự" in done
    assert NO_COLUMN in done
    assert _not_asked() == 3


@pytest.mark.committing  # Chromium's requests are served on the server's threads
@pytest.mark.parametrize("width", [360, 390])
def test_the_preview_fits_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path, width: int
) -> None:
    event = make.event(HOME, title="Hội nghị tuyên truyền BHXH tự nguyện", channel="conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    commune = communes_of(event)[0]
    officer = make.user("officer", HOME)
    db.session.commit()
    sheet = tmp_path / "danh-sach-nguoi-tham-du-xa.xlsx"
    sheet.write_bytes(xlsx([
        ["STT", "Họ và tên", "Ngày tháng năm sinh", "Số điện thoại", "Số CCCD", "Thôn/Xóm",
         "Xã/Phường", "Ngày tham dự"],
        [1, "Nguyễn Thị Phương Thảo", "12/04/1975", "0912345678", "040175001234",
         "Thôn Tân Hợp, xóm Đồng Bàu", commune.name, "12/11/2026"],
        [2, "Trần Đình Lộc", "00/00/1968", "0987654321", "", "Xóm 5", commune.name, ""],
        # A row with problems: its long cells, as written, widen the issues table too.
        [3, "Lê Văn Tâm", 1970, "09123456780987654321", "040170001234040170005678",
         "Xóm 1", commune.name, "32/11/2026"],
    ]))  # fmt: skip
    phone = {**PHONE, "width": width}
    page = browser.new_page(viewport=phone, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{event.id}/attendance/import")
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("table.preview tbody tr")).to_have_count(3)
    expect(page.get_by_text("Tệp không có cột Đồng ý liên hệ: 2 người")).to_be_visible()
    shot = shots(tmp_path) / f"attendee-import-preview-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in (page.locator(".table-scroll").nth(n).bounding_box() for n in (0, 1)):
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width
    # Each row a card: nothing to scroll sideways for, every cell on the screen, the ✗ on top.
    rows = page.locator(".table-scroll", has=page.locator("table.preview"))
    assert rows.evaluate("box => box.scrollWidth <= box.clientWidth")
    # So is each problem (its long cell as written wraps inside the card).
    problems = page.locator(".table-scroll", has=page.locator("table.issues"))
    assert problems.evaluate("box => box.scrollWidth <= box.clientWidth")
    expect(
        page.locator("table.issues td.issue-value", has_text="09123456780987654321")
    ).to_be_visible()
    assert page.evaluate(OUTSIDE_JS, width) == []
    refused = page.locator("table.preview tbody tr").nth(2)
    state = refused.locator("td.row-state")
    expect(state).to_have_text("✗")
    state.scroll_into_view_if_needed()
    expect(state).to_be_in_viewport()
    state_box, name_box = state.bounding_box(), refused.get_by_text("Lê Văn Tâm").bounding_box()
    assert state_box is not None
    assert name_box is not None
    assert state_box["y"] < name_box["y"]  # above the row's cells, not after them
    expect(refused.locator("td[data-label='Họ và tên']")).to_be_visible()
    page.close()
