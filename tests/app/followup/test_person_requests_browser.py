"""The personal-data requests page in headless Chromium, in Vietnamese, from finding a person to
erasing them: an administrator logs in, finds the person by phone, reads what is held, downloads
it, corrects the birth, withdraws the consent and erases them. A screenshot of the person's page
is written to the test's folder (and to ``LANTOA_SCREENSHOTS`` when set) to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog, Person
from tests.app.followup.test_person_requests import make_person
from tests.conftest import HOME, PASSWORD, Factory

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing


def test_an_administrator_serves_a_request_end_to_end(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    person = make_person(make)
    admin = make.user("admin", HOME)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                            accept_downloads=True)  # fmt: skip
    page.goto(live_server + "/login")
    page.fill("#email", admin.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.click("text=Yêu cầu về dữ liệu cá nhân")  # the administrators' menu entry
    page.fill("#phone", "0912 000 111")
    with page.expect_navigation():
        page.click("#find button[type=submit]")
    assert "phone=" not in page.url  # the number travelled in the body
    assert "Phạm Thị Hoa" in page.inner_text("#found")
    with page.expect_navigation():
        page.click("#found a")
    held = page.inner_text("#held")
    for text in ("0912 000 111", "040180000123", "12/05/1980"):
        assert text in held
    assert "Có" in page.inner_text("#consent")
    shot = tmp_path / "yeu-cau-du-lieu-ca-nhan.png"
    page.screenshot(path=str(shot), full_page=True)
    if os.environ.get("LANTOA_SCREENSHOTS"):
        shutil.copy(shot, Path(os.environ["LANTOA_SCREENSHOTS"]) / shot.name)
    body = page.inner_text("main")
    for english in ("Personal data", "Download", "Correct", "Erase", "Withdraw", "Not asked"):
        assert english not in body, english
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == f"du-lieu-ca-nhan-{person.id}.xlsx"

    page.fill("#birth", "03/02/1981")
    with page.expect_navigation():
        page.click("#correct button[type=submit]")
    assert "Đã chỉnh sửa" in page.inner_text("main")
    assert "03/02/1981" in page.inner_text("#held")
    with page.expect_navigation():
        page.click("#withdraw button[type=submit]")
    assert "Đã rút lại sự đồng ý" in page.inner_text("main")
    page.check("#erase input[name=confirm]")
    with page.expect_navigation():
        page.click("#erase button[type=submit]")
    assert "Đã xóa" in page.inner_text("main")
    assert "Phạm Thị Hoa" not in page.inner_text("main")

    db.session.expire_all()
    gone = db.session.get(Person, person.id)
    assert (gone.full_name, gone.phone, gone.birth_date, gone.erased_at is not None) == (
        "", None, None, True)  # fmt: skip
    done = list(db.session.scalars(select(AuditLog.action).where(AuditLog.user_id == admin.id)))
    for action in ("people.lookup", "people.export", "people.download", "people.correct",
                   "people.withdraw_consent", "people.erase"):  # fmt: skip
        assert action in done, action
