"""On a 390 px phone, the answer to a report sent with the attendee rows open is brought into
sight (headless Chromium): the rows fold away, cleared, and "Lần báo gần nhất" and "Đã nhận" at
the top of the page, or the notice that the report waits for the connection, are on the screen
instead of the bottom of the form. A refused report keeps its rows, on its card."""

from __future__ import annotations

import json

import pytest

from tests.app.halls.checkin_phones import on_phone, press
from tests.app.halls.test_checkin_browser import reports

pytestmark = pytest.mark.committing

ROWS = [("Lê Thị Mai", "1980", "0912 345 678"), ("Phạm Văn Long", "1975", "0987 654 321"),
        ("Trần Thị Hoa", "1990", "0345 678 901")]  # fmt: skip
# Within the screen, give or take the fraction of a pixel a scroll to an element leaves.
IN_SIGHT = "id => { const r = document.getElementById(id).getBoundingClientRect();" \
           " return r.height > 0 && r.top > -1 && r.bottom < innerHeight + 1; }"  # fmt: skip


def send(page, phone_of_first: str = ROWS[0][2]) -> None:  # type: ignore[no-untyped-def]
    """A head count and three people typed in the open sheet, sent from the bottom of the form."""
    (name, birth, _phone), *others = ROWS
    press(page, [(name, birth, phone_of_first), *others], head_count="45")


def folded(page) -> bool:  # type: ignore[no-untyped-def]
    """The sheet closed and every row empty: what was sent is not on the form any more."""
    return page.evaluate(
        "() => !document.querySelector('#checkin details').open && Array.from("
        "document.querySelectorAll('#checkin fieldset input')).every(i => i.value === '')"
    )


def test_an_accepted_report_shows_its_answer_not_the_bottom_of_the_form(
    live_server: str, browser, checkin_link: str, tmp_path
) -> None:
    context, page = on_phone(browser, live_server + checkin_link)
    send(page)
    page.locator("#done").wait_for(state="visible")
    assert page.evaluate(IN_SIGHT, "latest")
    assert page.evaluate(IN_SIGHT, "done")
    assert page.inner_text("#done") == "Đã nhận. Cảm ơn!"
    assert "45" in page.inner_text("#latest")
    assert folded(page)
    page.screenshot(path=str(tmp_path / "accepted.png"))
    assert [(r.head_count, r.attendees) for r in reports()] == [(45, 3)]
    context.close()


def test_a_report_queued_offline_says_so_in_sight(
    live_server: str, browser, checkin_link: str, tmp_path
) -> None:
    context, page = on_phone(browser, live_server + checkin_link)
    context.set_offline(True)
    send(page)
    page.locator("#queue").wait_for(state="visible")
    assert page.evaluate(IN_SIGHT, "offline")
    assert page.evaluate(IN_SIGHT, "queue")
    assert folded(page)
    raw = page.evaluate("localStorage.getItem('lantoa-checkin:' + location.pathname)")
    (queued,) = json.loads(raw)  # the rows wait in the phone's queue, not on the form
    assert [row["name"] for row in queued["attendees"]] == [name for name, _b, _p in ROWS]
    page.screenshot(path=str(tmp_path / "queued.png"))
    context.close()


def test_a_refused_report_keeps_its_rows_on_its_card_in_sight(
    live_server: str, browser, checkin_link: str, tmp_path
) -> None:
    context, page = on_phone(browser, live_server + checkin_link)
    send(page, phone_of_first="0912 34")  # not a phone number
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    head = card.locator("p.err").first
    assert head.evaluate("p => { const r = p.getBoundingClientRect();"
                         " return r.top > -1 && r.bottom < innerHeight + 1; }")  # fmt: skip
    for i, (name, _birth, _phone) in enumerate(ROWS):
        assert card.locator(f"[name=name-{i}]").input_value() == name
    assert card.locator("[name=phone-0]").input_value() == "0912 34"
    page.screenshot(path=str(tmp_path / "refused.png"))
    assert reports() == []
    context.close()
