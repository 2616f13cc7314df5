"""The users pages in headless Chromium, in Vietnamese, as an administrator and a user use them.

An administrator of the province creates an officer of a commune (the password generated and
shown once), the officer logs in with it and changes it on "Đổi mật khẩu"; the administrator
resets it (the officer's open page is logged out), the officer logs in with the new one; the
administrator deactivates the account and the officer can no longer log in. Screenshots of the
pages go to ``LANTOA_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditLog, OrgUnit, User
from app.orgunits import COUNTRY_CODE
from tests.conftest import HOME, OTHER, PASSWORD, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
NEW_PASSWORD = "ba con cá bơi qua cầu Bến Thủy"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("LANTOA_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page, base: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main form button[type=submit]")


def first_commune(province: str = HOME) -> OrgUnit:
    parent = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == province))
    stmt = sa.select(OrgUnit).where(OrgUnit.parent_id == parent).order_by(OrgUnit.code)
    return db.session.scalars(stmt).first()


def test_create_log_in_change_reset_deactivate(live_server: str, browser, make: Factory) -> None:
    admin = make.user("admin", HOME, email="quantri@bhxhnghean.vn")
    commune = first_commune()
    admins = browser.new_context(locale="vi-VN")
    page = admins.new_page()
    log_in(page, live_server, admin.email, PASSWORD)
    page.click("nav >> text=Người dùng")
    page.click("text=Thêm người dùng")
    page.fill("#email", "lan.nguyen@bhxhnghean.vn")
    page.fill("#display_name", "Nguyễn Thị Lan")
    page.select_option("#role", "officer")
    # Units by name: the code field gives way to the picker once the lists are loaded.
    page.locator("#org_unit").wait_for(state="hidden")
    assert page.locator("label[for=org_unit-province]").inner_text() == "Đơn vị"
    page.select_option('[data-level="commune"]', label=commune.name)
    assert page.input_value("#org_unit") == commune.code
    shot(page, "users-new")
    page.click("#user-form button[type=submit]")
    generated = page.inner_text("#new-password").strip()
    assert "chỉ hiện lần này" in page.inner_text("main")
    shot(page, "users-password-shown")
    page.click("text=Quay lại danh sách người dùng")
    row = page.locator('tr[data-email="lan.nguyen@bhxhnghean.vn"]')
    assert "Cán bộ" in row.inner_text()
    assert commune.name in row.inner_text()
    assert generated not in page.content()
    shot(page, "users-list")

    officers = browser.new_context(locale="vi-VN")
    officer = officers.new_page()
    log_in(officer, live_server, "lan.nguyen@bhxhnghean.vn", generated)
    officer.click("text=Đổi mật khẩu")
    officer.fill("#current", generated)
    officer.fill("#new", NEW_PASSWORD)
    officer.fill("#confirm", NEW_PASSWORD)
    shot(officer, "own-password")
    officer.click("#password-form button[type=submit]")
    assert "Đã đổi mật khẩu" in officer.inner_text("main")

    page.click('tr[data-email="lan.nguyen@bhxhnghean.vn"] >> text=Sửa')
    page.click("button[value=reset_password]")
    reset = page.inner_text("#new-password").strip()
    assert reset not in (generated, NEW_PASSWORD)
    officer.goto(live_server + "/events")
    assert officer.url.startswith(live_server + "/login")  # the reset ended their session
    log_in(officer, live_server, "lan.nguyen@bhxhnghean.vn", reset)
    assert officer.url == live_server + "/"  # log-in lands on the home screen

    page.goto(live_server + "/users")
    page.click('tr[data-email="lan.nguyen@bhxhnghean.vn"] >> text=Sửa')
    shot(page, "users-edit")
    page.click("button[value=deactivate]")
    assert "không còn đăng nhập được" in page.inner_text("main")
    assert "Đã khóa" in page.locator('tr[data-email="lan.nguyen@bhxhnghean.vn"]').inner_text()
    officer.goto(live_server + "/events")
    assert officer.url.startswith(live_server + "/login")
    log_in(officer, live_server, "lan.nguyen@bhxhnghean.vn", reset)
    assert "Tài khoản đã bị khóa" in officer.inner_text("main")

    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "lan.nguyen@bhxhnghean.vn"))
    logged = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.object_id == str(user.id)).order_by(AuditLog.id)
    )
    assert list(logged) == ["user.create", "user.password_change", "user.password_reset",
                            "user.deactivate"]  # fmt: skip
    admins.close()
    officers.close()


def test_a_country_admin_finds_a_commune_under_its_province(
    live_server: str, browser, make: Factory
) -> None:
    """A user of the whole country edits an officer of a Huế commune: the picker opens on Huế
    with the commune chosen, not on the first province (Nghệ An) with a bare code to read."""
    admin = make.user("admin", COUNTRY_CODE, email="quantri@bhxhvn.vn")
    commune = first_commune(OTHER)
    officer = make.user("officer", commune.code, email="canbo@bhxhhue.vn")
    db.session.commit()
    page = browser.new_context(locale="vi-VN").new_page()
    log_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/users/{officer.id}")
    page.locator("#org_unit").wait_for(state="hidden")
    assert page.input_value('[data-level="province"]') == OTHER
    assert page.input_value('[data-level="commune"]') == commune.code
    assert page.input_value("#org_unit") == commune.code
