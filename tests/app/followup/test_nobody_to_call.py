"""An empty list to call says why nobody is on it, with the counts of the line above it.

The tour imported 4 people from a sheet without a consent column: the list was empty and said
everyone identified had enrolled or nobody was identified, while the line said "4 chưa hỏi ý
kiến". The empty list now gives the reasons (not asked, refused, enrolled …) and their counts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls.services import communes_of
from app.models import Event
from tests.app.sheets.files import csv_text
from tests.conftest import HOME, Factory, login

START = datetime(2026, 11, 17, 1, 0, tzinfo=UTC)


def _empty_row(html: str) -> str:
    table = html[html.index('id="call-table"') :]
    found = re.search(
        r'<td colspan="8" class="muted">([^<]*)</td>', table[: table.index("</table>")]
    )
    assert found is not None, "the list to call is not empty"
    return found[1]


def _imported(event: Event, *rows: list[object]) -> None:
    commune = communes_of(event)[0].name
    header = [
        "Họ và tên",
        "Năm sinh",
        "Xã/Phường",
        *(["Đồng ý (Có/Không)"] if len(rows[0]) > 2 else []),
    ]
    body = [[name, year, commune, *rest] for name, year, *rest in rows]
    preview = preview_attendees(event, csv_text([header, *body], ",").encode(), "ds.csv")
    assert preview.ok, [i.line() for i in preview.issues]
    commit_attendees(preview, user=None, now=START + timedelta(days=1))
    db.session.commit()


def test_the_empty_list_says_why(client: FlaskClient, make: Factory) -> None:
    event = make.event(HOME, title="Hội nghị", channel="conference", planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    login(client, make.user("officer", HOME).email)
    page = f"/events/{event.id}/follow-up"
    assert _empty_row(client.get(page).get_data(as_text=True)) == (
        "Không có ai cần gọi: sự kiện chưa xác định được ai (chưa nhập danh sách người tham dự, "
        "chưa ghi tên người bình luận nào)."
    )
    _imported(event, ["Nguyễn Văn An", 1970], ["Trần Thị Bình", 1971], ["Lê Văn Cường", 1972],
              ["Phạm Thị Dung", 1973])  # fmt: skip
    html = client.get(page).get_data(as_text=True)
    assert "4 chưa hỏi ý kiến" in html  # the line the tour read
    assert (
        _empty_row(html) == "Không có ai cần gọi trong 4 người đã được ghi tên: 4 chưa hỏi ý kiến."
    )
    _imported(event, ["Hoàng Văn Em", 1974, "Không"])
    html = client.get(page).get_data(as_text=True)
    assert _empty_row(html) == (
        "Không có ai cần gọi trong 5 người đã được ghi tên: 1 không đồng ý liên hệ; 4 chưa hỏi ý "
        "kiến."
    )
    _imported(event, ["Vũ Thị Gấm", 1975, "Có"])  # agreed: on the list to call, with no phone
    html = client.get(f"{page}").get_data(as_text=True)
    assert _empty_row(html).startswith(
        "Không có ai cần gọi trong 6 người đã được ghi tên: 1 chưa có"
    )
    assert _empty_row(client.get(f"{page}?status=called").get_data(as_text=True)) == (
        "Không có ai cần gọi khớp với bộ lọc."
    )
