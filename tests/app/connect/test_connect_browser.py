"""In Chromium, under the CSP: an administrator connects the sandbox's fanpage and BigBlueButton
live_server from the page, checks them, sees their health, and removes one after confirming."""

from __future__ import annotations

import os

import pytest
from flask import Flask

from sandbox import Sandbox
from sandbox.oauth_apps import EntraApp
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _add(page, base: str, kind: str, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/connect")
    with page.expect_navigation():
        page.click(f'a[data-kind="{kind}"]')
    for key, value in fields.items():
        page.fill(f'[name="{key}"]', value)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


@pytest.mark.committing
def test_an_admin_connects_and_checks_the_sandbox_from_the_page(
    app: Flask, live_server: str, browser, make: Factory, sandbox: Sandbox
) -> None:
    admin = make.user("admin", HOME)
    fb, bbb = sandbox.connections()["facebook"], sandbox.connections()["bbb"]
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    page.add_init_script(WATCH)
    log_in(page, live_server, admin.email)
    _add(page, live_server, "facebook", {"name": "Fanpage BHXH Nghệ An", "page_id": fb["page_id"],
         "access_token": fb["access_token"], "base_url": fb["base_url"]})  # fmt: skip
    assert "Đã lưu kết nối" in page.inner_text("main")
    with page.expect_navigation():
        page.click("section.connection button[data-check]")
    card = page.inner_text("section.connection")
    assert "hoạt động bình thường" in page.inner_text("main")
    assert sandbox.scenario.params.page_name in card
    assert "Không hết hạn" in card
    assert "••••" + fb["access_token"][-4:] in card
    assert fb["access_token"] not in page.content()
    _add(page, live_server, "bbb", {"name": "BBB tỉnh", "secret": "sai-khoa-bi-mat",
         "base_url": bbb["base_url"]})  # fmt: skip
    bbb_card = 'section.connection:has-text("BBB tỉnh")'
    with page.expect_navigation():
        page.click(f"{bbb_card} button[data-check]")
    assert "Nền tảng từ chối" in page.inner_text(bbb_card) or "bất thường" in page.inner_text(
        bbb_card
    )
    shot = os.environ.get("LANTOA_SCREENSHOT_DIR")
    if shot:
        page.screenshot(path=os.path.join(shot, "connect.png"), full_page=True)
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(f"{bbb_card} form[data-confirm] button")
    assert "Đã xóa BBB tỉnh" in page.inner_text("main")
    assert page.locator("section.connection").count() == 1
    assert page.evaluate("window.__violations") == []


def _check(page, name: str) -> str:  # type: ignore[no-untyped-def]
    card = f'section.connection:has-text("{name}")'
    with page.expect_navigation():
        page.click(f"{card} button[data-check]")
    return page.inner_text(card)


@pytest.mark.committing
def test_an_admin_connects_a_teams_app_and_a_google_service_account(
    app: Flask, live_server: str, browser, make: Factory, sandbox: Sandbox, tmp_path
) -> None:
    admin = make.user("admin", HOME)
    teams, meet = sandbox.connections()["teams"], sandbox.connections()["meet"]
    page = browser.new_page(viewport={"width": 1100, "height": 1600})
    page.add_init_script(WATCH)
    log_in(page, live_server, admin.email)
    _add(page, live_server, "teams", {"name": "Teams BHXH Nghệ An", **teams})
    _add(page, live_server, "meet", {"name": "Google Meet BHXH Nghệ An", **meet})
    card = _check(page, "Teams BHXH Nghệ An")
    assert "Teams BHXH Nghệ An hoạt động bình thường" in page.inner_text("main")
    entra = EntraApp()
    assert f"{entra.display_name} · {entra.tenant_id}" in card
    assert "tự động gia hạn" in card
    assert "Quyền còn thiếu\nkhông có" in card or "Quyền còn thiếu\tkhông có" in card
    card = _check(page, "Google Meet BHXH Nghệ An")
    assert "Google Meet BHXH Nghệ An hoạt động bình thường" in page.inner_text("main")
    assert "lan-toa@bhxh-sandbox.iam.gserviceaccount.com" in card
    assert "tự động gia hạn" in card
    html = page.content()
    assert teams["client_secret"] not in html
    assert "PRIVATE KEY" not in html
    text = page.inner_text("main")
    for word in ("Check", "renewed", "Token", "invalid", "auth_expired", "teams_meeting", "None"):
        assert word not in text, word
    shot = os.environ.get("LANTOA_SCREENSHOT_DIR") or str(tmp_path)
    page.screenshot(path=os.path.join(shot, "connect-apps.png"), full_page=True)
    assert page.evaluate("window.__violations") == []
