"""A lead an officer closed (a wrong number, not interested, enrolled by their word) leaves the
lists to call everywhere alike, and people never asked for consent are not counted as refusing.

The tour set a lead to "Sai số điện thoại" on the follow-up page: she stayed under "Cần gọi", in
its count, and on the "Danh sách liên hệ" sheet agents call from. And an attendee typed at the
check-in with consent left at "Chưa hỏi" was counted among those who "không đồng ý liên hệ".

The world is the province's conference of ``part_world`` (5 named to call, 2 enrolled after),
with one attendee who answered "Không" and one never asked.
"""

from __future__ import annotations

import io
import re

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.consent import CURRENT
from app.extensions import db
from app.followup.accounting import CLOSED_PARTS
from app.followup.lead_status import CLOSED
from tests.app.followup.part_world import MET, World, part_world
from tests.app.followup.test_followup_words import _person, refusing
from tests.conftest import HOME, Factory, csrf_token, login

pytestmark = pytest.mark.postgres

NEVER_ASKED, SAID_NO = "Hoàng Thị Chưa", "Ngô Văn Từ"
# The Vietnamese part of the accounting line each final status adds.
PARTS = {
    "wrong_number": "1 sai số điện thoại",
    "not_interested": "1 không quan tâm, không gọi lại",
    "enrolled": "1 được cán bộ ghi là đã đăng ký",
}


def _world(make: Factory) -> World:
    world = part_world(make)
    refusing(world, SAID_NO, consent_agreed=False, consent_at=MET, consent_version=CURRENT)
    refusing(world, NEVER_ASKED)  # typed at the check-in, consent left at "Chưa hỏi"
    db.session.commit()
    return world


def _table(html: str, table_id: str) -> str:
    found = re.search(rf'<table class="list calls" id="{table_id}">(.*?)</table>', html, re.S)
    return found[1] if found else ""


def _line(html: str) -> str:
    found = re.search(r'id="call-accounting">([^<]*)<', html)
    assert found is not None
    return found[1]


def test_people_never_asked_are_not_counted_as_refusing(client: FlaskClient, make: Factory):
    world = _world(make)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{world.event_id}/follow-up").get_data(as_text=True)
    assert _line(html) == (
        "Được ghi tên: 9 = 5 cần gọi + 0 chưa có số điện thoại + 2 đã đăng ký sau sự kiện + 2 "
        "không thuộc danh sách nào (1 không đồng ý liên hệ; 1 chưa hỏi ý kiến). Danh sách còn "
        "có 1 người bình luận chưa được ghi tên."
    )
    # Nobody asked her, so nobody may call her (app.consent.may_process): on no list.
    for name in (NEVER_ASKED, SAID_NO):
        assert name not in html


@pytest.mark.parametrize("status", ["wrong_number", "not_interested", "enrolled"])
def test_a_closed_lead_leaves_the_lists_to_call_on_the_page_and_in_excel(
    client: FlaskClient, make: Factory, status: str
) -> None:
    world = _world(make)
    login(client, make.user("officer", HOME).email)
    page = f"/events/{world.event_id}/follow-up"
    before = client.get(page).get_data(as_text=True)
    assert "Cần gọi (đã có số điện thoại): 6 người" in before
    assert "Nguyễn Thị An" in _table(before, "call-table")
    an = _person("Nguyễn Thị An")
    saved = client.patch(f"/api/v1/events/{world.event_id}/leads/{an}", json={"status": status},
                         headers={"X-CSRFToken": csrf_token(client, page)})  # fmt: skip
    assert saved.status_code == 200
    html = client.get(page).get_data(as_text=True)
    assert "Cần gọi (đã có số điện thoại): 5 người" in html
    assert "Nguyễn Thị An" not in _table(html, "call-table")
    assert "Nguyễn Thị An" not in _table(html, "no-phone-table")
    assert "Nguyễn Thị An" in _table(html, "closed-table")  # there to be put back
    assert _line(html).startswith(
        f"Được ghi tên: 9 = 4 cần gọi + 0 chưa có số điện thoại + {PARTS[status]} + 2 đã đăng ký "
        "sau sự kiện + 2 không thuộc danh sách nào ("
    )
    book = load_workbook(io.BytesIO(client.get(f"{page}.xlsx").data))
    called = [r[1] for r in book["Danh sách liên hệ"].iter_rows(min_row=3, values_only=True)]
    assert "Nguyễn Thị An" not in called
    assert sorted(called) == sorted(
        ["Lê Thị Hà", "Trần Văn Bê", "Đinh Văn Ánh", "Võ Văn Bảy", "Khách Lạ"]
    )
    reached = [r[1] for r in book["Chưa có số điện thoại"].iter_rows(min_row=3, values_only=True)]
    assert "Nguyễn Thị An" not in reached
    # The API says which statuses take a lead off the lists: the same ones.
    listed = client.get(f"/api/v1/events/{world.event_id}/leads").get_json()
    closed = {s["value"] for s in listed["statuses"] if s["closed"]}
    assert closed == {"wrong_number", "not_interested", "enrolled"}
    # Put back: on the list to call again.
    client.patch(f"/api/v1/events/{world.event_id}/leads/{an}",
                 json={"status": "call_back", "next_call_on": "31/12/2099"},
                 headers={"X-CSRFToken": csrf_token(client, page)})  # fmt: skip
    again = client.get(page).get_data(as_text=True)
    assert "Nguyễn Thị An" in _table(again, "call-table")
    assert 'id="closed-table"' not in again


def test_every_final_status_has_its_part_of_the_accounting_line() -> None:
    assert set(CLOSED_PARTS) == CLOSED
