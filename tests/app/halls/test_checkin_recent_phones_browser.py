""" "Vừa ghi" on the phone that typed the rows (headless Chromium, 390 px): each phone reads as
every other page writes it (the server's ``|phone`` filter, ``shown_phone``), whether the row is
still queued on the phone (no connection) or the server has it; typed plain, with dots, with
+84, in the old 11-digit plan, a landline. What is no Vietnamese phone stays as it was typed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.identity.phones import shown_phone
from app.models import Attendance, BridgePoint
from tests.app.halls.checkin_phones import hall_url, on_phone, press
from tests.app.live.webserver import wait_for

pytestmark = pytest.mark.committing

TYPED = ["0987654321", "+84 24 3822 1234", "0238.3844.555", "01688123456", "84912345678"]


def entries_line(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.inner_text(f"#recent li:nth-child({n}) .entry") for n in range(1, 6)]


def stored() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) or 0


def test_own_rows_show_the_phone_grouped_queued_and_sent(
    live_server: str, browser, open_hall: BridgePoint
) -> None:
    context, page = on_phone(browser, hall_url(live_server, open_hall))
    context.set_offline(True)
    rows = [(f"Người {i + 1}", f"197{i}", phone) for i, phone in enumerate(TYPED)]
    press(page, rows, head_count="6")
    page.locator("#queue").wait_for(state="visible")
    wanted = [shown_phone(p) for p in TYPED]
    assert wanted[0] == "0987 654 321"
    assert len(set(wanted)) == 5
    queued = "\n".join(entries_line(page))
    for phone in wanted:
        assert phone in queued
    assert "0987654321" not in queued

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(lambda: stored() == 5)
    page.locator("#queue").wait_for(state="hidden")
    page.reload()  # from what the phone kept of its accepted rows, and the hall's list
    page.locator("#recent li").nth(4).wait_for()
    sent = "\n".join(entries_line(page))
    for phone in wanted:
        assert phone in sent
    context.close()
