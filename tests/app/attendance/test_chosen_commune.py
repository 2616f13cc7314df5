"""A sheet the organiser files under one commune ("Xã/phường của danh sách") keeps to it.

A row whose Xã/Phường column names another commune — by today's name, or by a name of before the
2025 merger that became part of another commune — is refused, naming both communes, as the
commune officer's own sheet refuses it; a former commune merged into the chosen one is the chosen
one. Without the column, or with the chosen commune written, every row is the chosen commune's.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from app.attendance.places import OLD_OTHER_COMMUNE, OTHER_COMMUNE
from app.attendance.sheet import preview_attendees
from app.extensions import db
from app.halls.services import set_bridge_points
from app.models import Event
from tests.app.sheets.files import csv_text
from tests.conftest import HOME, Factory, csrf_token

START = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
HEADER = ["Họ và tên", "Năm sinh", "Xã/Phường"]
CHOSEN = "16681"  # Phường Thành Vinh
ROWS = [
    ("Phường Thành Vinh", None),  # the chosen commune itself
    ("Phường Lê Lợi, Thành phố Vinh", None),  # merged into Phường Thành Vinh in 2025
    ("Phường Vinh Phú", "Phường Vinh Phú"),  # another commune (a hall of the conference)
    ("Phường Hưng Dũng, Thành phố Vinh", "Phường Trường Vinh"),  # merged into another
    ("Thị trấn Quán Hành", "Xã Nghi Lộc"),  # a town of before 2025, merged into a xã
]
# Written by a name of before the 2025 merger: the refusal names the commune it is part of now.
OLD_NAMES = {"Phường Hưng Dũng, Thành phố Vinh", "Thị trấn Quán Hành"}


def sheet() -> bytes:
    rows = [[f"Người {i}", 1970 + i, written] for i, (written, _) in enumerate(ROWS)]
    return csv_text([HEADER, *rows], ",").encode()


@pytest.fixture(params=["halls", "no halls"])
def event(request: pytest.FixtureRequest, make: Factory) -> Event:
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    if request.param == "halls":
        set_bridge_points(event, [CHOSEN, "16702"], {}, now=START - timedelta(days=1))
    db.session.commit()
    return event


def test_rows_of_other_communes_are_refused_naming_both(event: Event) -> None:
    preview = preview_attendees(event, sheet(), "ds.csv", commune_code=CHOSEN)
    refused = [(n, w, c) for n, (w, c) in enumerate(ROWS, start=2) if c is not None]
    chosen = "Phường Thành Vinh"
    assert [(i.row, i.field, i.message, i.value, i.params) for i in preview.issues] == [
        (n, "commune", OLD_OTHER_COMMUNE, written,
         {"old": written, "communes": name, "chosen": chosen})
        if written in OLD_NAMES
        else (n, "commune", OTHER_COMMUNE, written, {"chosen": chosen, "commune": name})
        for n, written, name in refused
    ]  # fmt: skip
    assert [r.row is not None for r in preview.rows] == [True, True, False, False, False]
    assert {r.commune.name for r in preview.rows[:2]} == {"Phường Thành Vinh"}
    # the preview's "matched" column shows where a refused row belongs, not the chosen commune
    assert [r.commune.name for r in preview.rows[2:]] == [c for _, _, c in refused]


def test_an_old_code_of_the_chosen_commune_chooses_it_too(event: Event) -> None:
    rows = [HEADER, ["Người 1", 1971, "Phường Vinh Phú"]]
    data = csv_text(rows, ",").encode()
    preview = preview_attendees(event, data, "ds.csv", commune_code="16669")  # old Lê Lợi
    assert [i.params for i in preview.issues] == [
        {"chosen": "Phường Thành Vinh", "commune": "Phường Vinh Phú"}
    ]


def test_the_page_says_it_in_vietnamese(client, logged_in, event: Event) -> None:
    logged_in("admin", HOME)
    url = f"/events/{event.id}/attendance/import"
    token = csrf_token(client, url)
    page = client.post(url, data={"csrf_token": token, "commune": CHOSEN,
                                  "file": (io.BytesIO(sheet()), "ds.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    issues = re.sub(
        r"<td [^>]*>", "<td>", html[html.index('<table class="issues') : html.index("</table>")]
    )
    cells = r"<tr><td>(\d+)</td>" + r"\s*<td>([^<]*)</td>" * 3
    rows = re.findall(cells, issues)
    said = "Danh sách này là của Phường Thành Vinh (đã chọn cho cả danh sách), nhưng dòng này ở {}."
    old = (
        "{} là xã/phường trước sáp nhập năm 2025, nay thuộc {}; danh sách này là của "
        "Phường Thành Vinh (đã chọn cho cả danh sách)."
    )
    hung_dung, quan_hanh = "Phường Hưng Dũng, Thành phố Vinh", "Thị trấn Quán Hành"
    assert rows == [
        ("4", "Xã/phường", said.format("Phường Vinh Phú"), "Phường Vinh Phú"),
        ("5", "Xã/phường", old.format(hung_dung, "Phường Trường Vinh"), hung_dung),
        ("6", "Xã/phường", old.format(quan_hanh, "Xã Nghi Lộc"), quan_hanh),
    ]
    assert "3 có lỗi" in html.replace("\xa0", " ")
