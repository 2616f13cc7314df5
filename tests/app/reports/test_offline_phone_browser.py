"""The offline channels' page on a 390 px phone, in headless Chromium. A tour found its table of
entries (seven columns) scrolling inside its box, "Chi phí (đồng)" and "Ghi chú" out of sight:
on a phone each entry is a card (app.css ``phone-cards``), the channel on top and every other
value under its heading; nothing scrolls sideways. A screenshot goes to ``LANTOA_SCREENSHOTS``
when set."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OfflineActivity, OrgUnit
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = [
    pytest.mark.committing,  # Chromium's requests are served on the server's threads
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
PHONE = {"width": 390, "height": 844}


def test_the_entries_are_cards_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    officer = make.user("officer", HOME)
    parent = db.session.scalars(sa.select(OrgUnit.id).where(OrgUnit.code == HOME)).one()
    commune = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == parent).order_by(OrgUnit.code)
    ).first()
    entry = OfflineActivity(kind="leaflet", org_unit_id=commune.id, quantity=1200,
                            period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                            cost_vnd=600_000, note="Phát tại chợ xã sáng thứ bảy")  # fmt: skip
    db.session.add(entry)
    db.session.commit()
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/reports/offline")
    page.screenshot(path=str(shots(tmp_path) / "offline-390.png"), full_page=True)

    table = page.locator("main table")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), "the table scrolls in its box"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card = table.locator("tbody tr").first
    assert card.locator("td.card-title").inner_text() == "Tờ rơi"
    labels = card.locator("td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels == ['"Xã/phường"', '"Từ ngày"', '"Đến ngày"', '"Số lượng"', '"Chi phí (đồng)"',
                      '"Ghi chú"']  # fmt: skip
    for cell in card.locator("td").all():  # every value inside the screen, the note too
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"]
    assert "600.000" in card.inner_text()
