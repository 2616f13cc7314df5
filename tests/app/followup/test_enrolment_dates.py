"""The enrolment preview's words for a date it cannot read, column by column.

A manager's tour imported a sheet whose payment date was 31/02/2026: the preview asked to
"Ghi ngày nộp tiền theo dạng dd/mm/yyyy", which it already was; the slip is the day, which no
calendar has. And a consent date written badly was reported with the payment date's words,
under the consent date's column. Each column now names itself, and a day that does not exist
is called so.
"""

from __future__ import annotations

import html as markup
import re
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient

from app.timeparse import VN
from tests.app.followup.test_enrolment_preview import upload
from tests.conftest import HOME, Factory, login

HEADER = "Họ và tên,Loại hình,Tham gia mới/Gia hạn,Ngày nộp tiền,Đồng ý,Ngày đồng ý"


def _errors(page: str) -> list[tuple[str, str, str]]:
    """(column, message, as written) of each row of the preview's table of problems."""
    assert '<table class="issues' in page, "no table of problems"
    table = page.split('<table class="issues')[1].split("</table>")[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    found = []
    for row in rows:
        cells = [markup.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]  # fmt: skip
        if len(cells) == 4:
            found.append((cells[1], cells[2], cells[3]))
    return found


def _sheet(paid: str, consent_on: str = "") -> bytes:
    consent = "Có" if consent_on else ""
    line = f"Nguyễn Thị Hoa,BHXH tự nguyện,Tham gia mới,{paid},{consent},{consent_on}"
    return (f"{HEADER}\n{line}\n").encode("utf-8-sig")


def _recent() -> str:
    return (datetime.now(VN).date() - timedelta(days=10)).strftime("%d/%m/%Y")


@pytest.mark.parametrize("day", ["31/02/2026", "29/02/2026", "31/04/2026", "00/03/2026"])
def test_a_day_no_calendar_has_is_called_so(client: FlaskClient, make: Factory, day: str) -> None:
    login(client, make.user("officer", HOME).email)
    errors = _errors(upload(client, _sheet(day)))
    assert errors == [("Ngày nộp tiền", "Không có ngày này: kiểm tra lại ngày và tháng.", day)]


@pytest.mark.parametrize("written", ["hôm qua", "2026-13-45", "03/2026"])
def test_a_date_written_otherwise_asks_for_dd_mm_yyyy(
    client: FlaskClient, make: Factory, written: str
) -> None:
    login(client, make.user("officer", HOME).email)
    errors = _errors(upload(client, _sheet(written)))
    assert errors == [("Ngày nộp tiền", "Ghi ngày nộp tiền theo dạng dd/mm/yyyy.", written)]


def test_a_bad_consent_date_names_the_consent_date(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    errors = _errors(upload(client, _sheet(_recent(), "đầu tháng")))
    assert errors == [("Ngày đồng ý", "Ghi ngày đồng ý theo dạng dd/mm/yyyy.", "đầu tháng")]
    errors = _errors(upload(client, _sheet(_recent(), "30/02/2026")))
    assert errors == [
        ("Ngày đồng ý", "Không có ngày này: kiểm tra lại ngày và tháng.", "30/02/2026")
    ]
