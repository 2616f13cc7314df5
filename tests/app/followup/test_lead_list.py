"""The follow-up list and its Excel export carry each lead's work (status, assignee, next call,
notes) and where it came from, and filter by status and assignee from the URL query."""

from __future__ import annotations

import io
import re

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.extensions import db
from app.followup.comment_links import comment_url
from app.followup.lead_work import person_of_comment, update_lead
from app.models import Event
from tests.app.followup.lead_world import lead_world
from tests.conftest import HOME, Factory, login

NO_PHONE = "Chưa có số điện thoại"
pytestmark = pytest.mark.postgres  # lead work on both databases


def _mark_lan(make: Factory) -> tuple[int, object]:
    world = lead_world(make)
    officer = make.user("officer", HOME)
    event = db.session.get(Event, world.event_id)
    lan = person_of_comment(event, world.second)
    changes = {"status": "called", "assignee_id": officer.id, "notes": "Hẹn gọi lại",
               "next_call_on": "2026-12-24"}  # fmt: skip
    update_lead(event, lan, officer, changes)
    db.session.commit()
    return world.event_id, officer


def _sheet_rows(response, sheet_name: str = "Danh sách liên hệ") -> tuple[list, list[dict]]:
    """A sheet's headers and rows: the people to call, or (sheet_name) those without a number."""
    assert response.status_code == 200, response.get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(response.data))[sheet_name]
    headers = [c.value for c in sheet[2]]
    rows = [
        dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)
    ]
    return headers, rows


def test_the_list_and_its_export_show_the_work_and_the_comment(
    client: FlaskClient, make: Factory
) -> None:
    event_id, officer = _mark_lan(make)
    login(client, officer.email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    assert html.count("Nguyễn Thị Lan") == 1  # two comments, one lead
    lan_row = next(r for r in html.split("<tr") if "Nguyễn Thị Lan" in r)
    for shown in ("Đã gọi", officer.email, "24/12/2026", "Hẹn gọi lại"):
        assert shown in lan_row
    assert "https://www.facebook.com/vid1_c2" in lan_row  # the newest comment
    binh_row = next(r for r in html.split("<tr") if "Trần Văn Bình" in r)
    assert re.search(r'data-status="new">Mới<', binh_row)
    headers, rows = _sheet_rows(client.get(f"/events/{event_id}/follow-up.xlsx"))
    assert headers[-5:] == ["Trạng thái", "Người phụ trách", "Ngày gọi lại", "Ghi chú cuộc gọi",
                            "Liên kết bình luận"]  # fmt: skip
    lan = next(r for r in rows if r["Họ và tên"] == "Nguyễn Thị Lan")
    assert (lan["Trạng thái"], lan["Người phụ trách"]) == ("Đã gọi", officer.email)
    assert lan["Ngày gọi lại"].strftime("%d/%m/%Y") == "24/12/2026"
    assert lan["Ghi chú cuộc gọi"] == "Hẹn gọi lại"
    assert "Mức đóng bao nhiêu" in lan["Ghi chú"]  # the comments' text
    assert lan["Liên kết bình luận"] == "https://www.facebook.com/vid1_c2"
    assert "Trần Văn Bình" not in [r["Họ và tên"] for r in rows]  # wrote no number
    _, (binh,) = _sheet_rows(client.get(f"/events/{event_id}/follow-up.xlsx"), NO_PHONE)
    assert (binh["Họ và tên"], binh["Trạng thái"], binh["Người phụ trách"]) == (
        "Trần Văn Bình", "Mới", None
    )  # fmt: skip


def test_filters_by_status_and_assignee_for_page_and_export(
    client: FlaskClient, make: Factory
) -> None:
    event_id, officer = _mark_lan(make)
    login(client, officer.email)
    for query in ({"status": "called"}, {"status": "đã gọi"}, {"assignee": officer.id}):
        html = client.get(f"/events/{event_id}/follow-up", query_string=query).get_data(
            as_text=True
        )
        assert "Nguyễn Thị Lan" in html, query
        assert "Trần Văn Bình" not in html, query
        _, rows = _sheet_rows(client.get(f"/events/{event_id}/follow-up.xlsx", query_string=query))
        assert [r["Họ và tên"] for r in rows] == ["Nguyễn Thị Lan"], query
    for query in ({"status": "moi"}, {"assignee": "none"}):
        response = client.get(f"/events/{event_id}/follow-up.xlsx", query_string=query)
        assert _sheet_rows(response)[1] == [], query  # Bình wrote no number: not to call
        _, rows = _sheet_rows(response, NO_PHONE)
        assert [r["Họ và tên"] for r in rows] == ["Trần Văn Bình"], query
    bad = client.get(f"/events/{event_id}/follow-up", query_string={"status": "xyz"})
    assert "Trạng thái không hợp lệ trong bộ lọc: xyz" in bad.get_data(as_text=True)
    refused = client.get(f"/events/{event_id}/follow-up.xlsx", query_string={"status": "xyz"})
    assert refused.status_code == 422
    html = client.get(f"/events/{event_id}/follow-up", query_string={"status": "called"})
    assert "follow-up.xlsx?status=called" in html.get_data(as_text=True)  # export keeps filter


def test_comment_links_per_platform() -> None:
    assert comment_url("facebook_live", "123", "123_456") == "https://www.facebook.com/123_456"
    assert (
        comment_url("youtube_live", "dQw4w9WgXcQ", "Ugx-abc")
        == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=Ugx-abc"
    )
    assert comment_url("zoom_meeting", "1", "2") is None
