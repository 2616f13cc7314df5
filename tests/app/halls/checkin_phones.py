"""A hall's check-in page on a phone in headless Chromium (390 px, touch): the phone opened on the
page, attendee rows typed in the sheet and the report sent. Shared by the check-in browser tests;
the hall they open is ``conftest.open_hall``'s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.models import BridgePoint

PHONE = {"width": 390, "height": 844}


def hall_url(live_server: str, point: BridgePoint) -> str:
    return f"{live_server}/checkin/{point.checkin_token}"


def on_phone(browser, url: str, viewport: dict[str, int] = PHONE, **options: Any):  # type: ignore[no-untyped-def]
    """A phone of its own (a new browser context; ``options``: the context's, e.g.
    ``service_workers``) on the page at ``url``: ``(context, page)``."""
    context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True, **options)
    page = context.new_page()
    page.goto(url)
    return context, page


def fill_row(  # type: ignore[no-untyped-def]
    page, i: int, name: str, birth: str = "", phone: str = "", *, hamlet: str = "",
    consent: str = "",
) -> None:  # fmt: skip
    """Type the ``i``-th attendee row of the opened sheet; a box given "" is left as it is."""
    for field, value in (("name", name), ("birth", birth), ("phone", phone), ("hamlet", hamlet)):
        if value:
            page.fill(f"#{field}-{i}", value)
    if consent:
        page.select_option(f"#consent-{i}", consent)


def press(  # type: ignore[no-untyped-def]
    page, rows: Sequence[Sequence[str]] = (), head_count: str | None = None, **each: str
) -> None:
    """Type ``head_count`` and the ``rows`` (name, birth, phone), each with ``each`` (hamlet,
    consent), in the sheet opened for them, and press send; the answer is not waited for."""
    if head_count is not None:
        page.fill("#head_count", head_count)
    if rows:
        page.click("#checkin summary")
    for i, row in enumerate(rows):
        fill_row(page, i, *row, **each)
    page.click("#checkin button[type=submit]")


def sent(page, rows: Sequence[Sequence[str]] = (), head_count: str | None = None, **each: str):  # type: ignore[no-untyped-def]
    """``press``, then its answer: "Đã nhận" shown, and "Vừa ghi" drawn; its first line."""
    press(page, rows, head_count, **each)
    page.locator("#done").wait_for(state="visible")
    item = page.locator("#recent li").first
    item.wait_for()
    return item
