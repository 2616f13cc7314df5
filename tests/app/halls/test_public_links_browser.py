"""The print sheet's QR codes as a phone's camera reads them: rendered by Chromium, decoded by
ZBar (Debian's zbar-tools), each one the hall's link under PUBLIC_BASE_URL. Without the setting,
the bridge-points page warns in Vietnamese that its links only work on this computer.
Screenshots go to ``LANTOA_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, PASSWORD, Factory
from tests.servers import in_ci

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
BASE = "https://lantoa.bhxhnghean.vn"


def zbarimg() -> str:
    found = shutil.which("zbarimg")
    if found is None:
        message = "zbarimg is not installed (apt-get install zbar-tools)"
        if in_ci():
            pytest.fail(message + " (CI=true: fails instead of skipping)")
        pytest.skip(message)
    return found


@pytest.fixture
def organiser_page(live_server: str, browser, make: Factory):  # type: ignore[no-untyped-def]
    user = make.user("officer", HOME)
    # Not dated yet: the links live thirty days from their issue.
    event = make.event(HOME, title="Hội nghị trực tuyến triển khai BHXH tự nguyện",
                       channel="online_conference")  # fmt: skip
    points = services.set_bridge_points(event, commune_codes(n=4), {})
    db.session.commit()
    context = browser.new_context(locale="vi-VN", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    yield page, event, points
    context.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("LANTOA_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_every_printed_qr_code_decodes_to_a_link_under_the_base(
    app: Flask, live_server: str, organiser_page, tmp_path: Path
) -> None:
    decoder = zbarimg()
    page, event, points = organiser_page
    app.config["PUBLIC_BASE_URL"] = BASE
    page.goto(f"{live_server}/events/{event.id}/bridge-points/print")
    assert page.locator("#local-only").count() == 0
    decoded = set()
    for i, qr in enumerate(page.locator("svg.qr").all()):
        image = tmp_path / f"qr-{i}.png"
        qr.screenshot(path=str(image))
        read = subprocess.run([decoder, "--quiet", "--raw", str(image)], capture_output=True,
                              text=True, timeout=30)  # fmt: skip
        assert read.returncode == 0, read.stderr
        decoded.add(read.stdout.strip())
    assert decoded == {f"{BASE}/checkin/{p.checkin_token}" for p in points}
    shot(page, "print-sheet-public-base")


def test_without_the_base_the_page_warns_in_vietnamese(
    app: Flask, live_server: str, organiser_page
) -> None:
    page, event, _points = organiser_page
    app.config["PUBLIC_BASE_URL"] = None
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    warning = page.inner_text("#local-only")  # an officer's words: no setting named
    assert "Liên kết này chỉ mở được trên chính máy chủ" in warning
    assert "nhờ quản trị viên" in warning
    assert "127.0.0.1" in warning
    shot(page, "bridge-points-local-only")
