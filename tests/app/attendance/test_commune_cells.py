"""What the preview says of a row's Xã/Phường cell, on the organiser's page and the hall's.

The "written" value beside a problem is the cell as the file has it — a commune of before the
2025 merger ("Phường Hưng Dũng") stays so, never the commune it became, or the officer searches
the file for a name that is not there; the commune it was matched to fills the "matched" column
of its row. A name no commune has is "not recognised", distinct from a real commune that is not
one of the event's (communes elsewhere) or not one of its halls.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.attendance.places import NOT_A_HALL, NOT_RECOGNISED, UNKNOWN_COMMUNE
from app.attendance.sheet import preview_attendees
from app.extensions import db
from app.halls.services import set_bridge_points
from app.models import BridgePoint, Event, OrgKind, OrgUnit
from tests.app.sheets.files import csv_text, xlsx
from tests.conftest import HOME, OTHER, Factory, csrf_token

HEADER = ["Họ và tên", "Năm sinh", "Xã/Phường"]
HALLS = ("16681", "16702")  # Phường Thành Vinh, Phường Vinh Phú: the conference's halls
# Pre-2025 communes and the 2025 commune each became, none of them a hall of the conference.
OLD = {
    "Phường Hưng Dũng": "16690",  # → Phường Trường Vinh
    "Thị trấn Quán Hành": "17827",  # → Xã Nghi Lộc
    "Xã Diễn Kỷ": "17416",  # → Xã Đức Châu
    "Phường Nghi Hải": "16732",  # → Phường Cửa Lò
}


@pytest.fixture
def conference(make: Factory) -> Event:
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=start,
                       planned_end=start + timedelta(hours=3))  # fmt: skip
    set_bridge_points(event, list(HALLS), {}, now=start - timedelta(days=1))  # chosen before
    db.session.commit()
    return event


def unit(code: str) -> OrgUnit:
    return db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == code)).one()


def elsewhere() -> str:
    """A real 2025 commune code of another province (Huế): a commune, not the event's."""
    parent = unit(OTHER)
    stmt = sa.select(OrgUnit.code).where(OrgUnit.parent_id == parent.id,
                                         OrgUnit.kind == OrgKind.COMMUNE)  # fmt: skip
    return db.session.scalars(stmt.order_by(OrgUnit.code)).first()


def sheet(*communes: str) -> bytes:
    rows = [[f"Người {i}", 1970 + i, written] for i, written in enumerate(communes)]
    return csv_text([HEADER, *rows], ",").encode()


def test_an_old_commune_is_shown_as_written_and_matched_apart(conference: Event) -> None:
    preview = preview_attendees(conference, sheet(*OLD), "ds.csv")
    assert [(i.row, i.message, i.value) for i in preview.issues] == [
        (n, NOT_A_HALL, written) for n, written in enumerate(OLD, start=2)
    ]
    assert [r.commune.code if r.commune else None for r in preview.rows] == list(OLD.values())
    assert [r.row for r in preview.rows] == [None] * 4  # still refused: not one of the halls
    assert unit("16690").name == "Phường Trường Vinh"


def test_not_recognised_is_not_another_events_commune(conference: Event) -> None:
    code = elsewhere()
    preview = preview_attendees(conference, sheet("Xã Không Tồn Tại", code), "ds.csv")
    assert [(i.message, i.value) for i in preview.issues] == [
        (NOT_RECOGNISED, "Xã Không Tồn Tại"),
        (UNKNOWN_COMMUNE, code),
    ]


def test_the_organiser_page_shows_the_written_commune(client, logged_in, conference) -> None:
    logged_in("officer", HOME)
    url = f"/events/{conference.id}/attendance/import"
    token = csrf_token(client, url)
    data = sheet("Phường Hưng Dũng", "Xã Không Tồn Tại")
    page = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "ds.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    issues = re.sub(
        r"<td [^>]*>", "<td>", html[html.index('<table class="issues') : html.index("</table>")]
    )
    rows = re.findall(r"<tr><td>(\d+)</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>",
                      issues)  # fmt: skip
    assert rows == [
        ("2", "Xã/phường này không phải điểm cầu của sự kiện.", "Phường Hưng Dũng"),
        ("3", "Không nhận ra xã/phường này: kiểm tra lại chính tả, hoặc ghi mã xã/phường.",
         "Xã Không Tồn Tại"),
    ]  # fmt: skip
    assert "Phường Trường Vinh" not in issues
    preview = re.sub(r"<td [^>]*>", "<td>", html[html.index('<table class="preview') :])
    first = preview[
        preview.index("<td>2</td>") : preview.index("</tr>", preview.index("<td>2</td>"))
    ]
    assert re.findall(r"<td>([^<]*)</td>", first)[-3:] == [
        "Phường Hưng Dũng",  # the file's own column
        "Phường Trường Vinh",  # the commune matched
        "✗",
    ]


def test_the_hall_page_shows_the_written_commune_too(client, conference: Event) -> None:
    point = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == conference.id)
    ).first()
    point.checkin_expires_at = datetime(2100, 1, 1, tzinfo=UTC)
    db.session.commit()
    data = xlsx(
        [HEADER, ["Người 1", 1971, "Phường Hưng Dũng"], ["Người 2", 1972, "Xã Không Tồn Tại"]]
    )
    page = client.post(f"/checkin/{point.checkin_token}", content_type="multipart/form-data",
                       data={"sheet": (io.BytesIO(data), "ds.xlsx")})  # fmt: skip
    html = page.get_data(as_text=True)
    assert "(Phường Hưng Dũng)" in html  # the cell as written, beside the message
    # The message names the commune it has been part of since 2025 (never only the hall's).
    assert (
        "Phường Hưng Dũng là xã/phường trước sáp nhập năm 2025, nay thuộc Phường Trường Vinh"
        in html
    )
    assert "Không nhận ra xã/phường này" in html


def test_an_old_commune_refused_by_the_chosen_commune_is_named_with_its_2025_commune(
    client, logged_in, make: Factory
) -> None:
    """The organiser chose Xã Diễn Châu for the whole list; a row of "Xã Diễn Kỷ, huyện Diễn
    Châu" (now Xã Đức Châu) read only that the sheet was for Xã Diễn Châu, never where Diễn Kỷ
    went (the hall's own page: test_the_hall_page_shows_the_written_commune_too)."""
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=start,
                       planned_end=start + timedelta(hours=3))  # fmt: skip
    dien_chau = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.name == "Xã Diễn Châu")).one()
    set_bridge_points(event, [dien_chau.code], {}, now=start - timedelta(days=1))
    db.session.commit()
    logged_in("officer", HOME)
    url = f"/events/{event.id}/attendance/import"
    token = csrf_token(client, url)
    data = sheet("Xã Diễn Kỷ, huyện Diễn Châu", "Xã Diễn Châu")
    page = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "ds.csv"),
                                  "commune": dien_chau.code},
                       content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    issues = html[html.index('<table class="issues') : html.index("</table>")]
    assert (
        "Xã Diễn Kỷ, huyện Diễn Châu là xã/phường trước sáp nhập năm 2025, nay thuộc Xã Đức Châu; "
        "danh sách này là của Xã Diễn Châu (đã chọn cho cả danh sách)." in issues
    ), issues
    assert "không phải xã/phường này" not in issues
