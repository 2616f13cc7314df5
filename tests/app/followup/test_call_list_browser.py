"""The follow-up list in headless Chromium fits the screens it is used on: a 1366 px laptop with
no sideways scrolling (long comments, e-mails and notes wrap), and a 390 px phone where each person
is a card. Screenshots go to ``LANTOA_SCREENSHOTS`` when set."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.consent import CURRENT
from app.extensions import db
from app.followup.lead_work import person_of_comment, update_lead
from app.identity.text import fold
from app.models import Attendance, Event, OrgUnit, Person, utcnow
from app.personal_data import blind_index
from app.timeparse import VN
from tests.app.followup.lead_world import SEEN, lead_world
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

LONG = (
    "Cho em hỏi mức đóng BHXH tự nguyện hiện nay là bao nhiêu một tháng ạ, em 45 tuổi rồi thì "
    "đóng đến bao giờ mới được lương hưu, có được hỗ trợ từ ngân sách nhà nước không ạ? "
)
SCREENS = {"laptop": (1366, 768), "phone": (390, 844)}


def _busy_list(make: Factory, unit) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """``lead_world`` with every column filled: an attendee from a commune, a long comment, and
    a lead taken by an officer with a long e-mail, notes and a next call."""
    world = lead_world(make)
    officer = make.user("officer", HOME, email="nguyen.thi.phuong.thao.bhxh@nghean.example.vn")
    commune = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == unit(HOME).id)
    ).first()
    name = "Nguyễn Thị Phương Thảo"
    person = Person(full_name=name, name_folded=fold(name), phone="+84912345678",
                    phone_bidx=blind_index("phone", "+84912345678"), birth_year=1975,
                    commune_id=commune.id, hamlet="Xóm Đồng Bàu Thượng", consent_agreed=True,
                    consent_at=SEEN, consent_version=CURRENT)  # fmt: skip
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=world.event_id, source="sheet",
                              touched_at=SEEN))  # fmt: skip
    event = db.session.get(Event, world.event_id)
    lan = person_of_comment(event, world.second)
    next_call = (utcnow().astimezone(VN).date() + timedelta(days=9)).isoformat()
    update_lead(event, lan, officer, {"status": "call_back", "assignee_id": officer.id,
                                      "notes": LONG, "next_call_on": next_call})  # fmt: skip
    db.session.commit()
    return world.event_id, officer.email


@pytest.mark.parametrize("screen", SCREENS)
def test_the_follow_up_list_fits_the_screen(
    live_server: str, browser, make: Factory, unit, tmp_path: Path, screen: str
) -> None:
    event_id, email = _busy_list(make, unit)
    width, height = SCREENS[screen]
    page = browser.new_page(viewport={"width": width, "height": height})
    log_in(page, live_server, email)
    page.goto(f"{live_server}/events/{event_id}/follow-up")
    page.screenshot(path=str(shots(tmp_path) / f"follow-up-{screen}.png"), full_page=True)
    tables = page.locator("table.list")
    for index in range(tables.count()):
        scroll = tables.nth(index).evaluate("t => t.scrollWidth")
        assert scroll <= width, (index, scroll)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert tables.count() == 2  # to call, and without a phone number
    row = page.locator("#call-table tbody tr", has_text="Nguyễn Thị Lan")
    assert row.locator(".lead-assignee").inner_text() == email  # wrapped, not cut
    assert row.locator(".call-phone").inner_text() == "0903 123 456"  # grouped as written


def test_the_update_dialog_is_made_for_fingers_on_a_phone(
    live_server: str, browser, make: Factory, unit, tmp_path: Path
) -> None:
    """The tour found the "Cập nhật" dialog's selects about 20 px tall at 390 px: every field and
    button is now at least 44 px tall, and the fields take the dialog's width."""
    event_id, email = _busy_list(make, unit)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, live_server, email)
    page.goto(f"{live_server}/events/{event_id}/follow-up")
    update = page.locator("#call-table tbody tr", has_text="Nguyễn Thị Lan").locator(
        "button.lead-edit"
    )
    assert update.bounding_box()["height"] >= 44
    update.click()
    editor = page.locator("#lead-editor")
    editor.wait_for(state="visible")
    page.screenshot(path=str(shots(tmp_path) / "follow-up-editor-phone.png"))
    box = editor.locator("form").bounding_box()
    assert editor.bounding_box()["width"] >= 390 - 24  # the screen's width, less a margin
    for name in ("status", "assignee_id", "next_call_on", "notes"):
        field = editor.locator(f"[name={name}]").bounding_box()
        assert field["height"] >= 44, (name, field)
        assert field["width"] >= box["width"] - 1, (name, field, box)
    for button in ("save", "cancel"):
        assert editor.locator(f"button[value={button}]").bounding_box()["height"] >= 44
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
