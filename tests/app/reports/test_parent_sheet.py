"""A commune's part in the province's events travels with the channels report's files.

The channels page of a commune shows its halls at the events of the units above it
("Điểm cầu của xã/phường tại sự kiện cấp trên"); its Excel file carries them on a sheet of
their own and its CSV as the view ``halls``, with the page's columns, never in another sheet's
figures. A province's report has no such section and no such sheet. The world is
test_parent_part.py's: my hall at the province's conference (38 of 45 expected, 3 identified,
1 enrolled after) and at the country's conference (no head count, 5 expected).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.extensions import db
from app.models import OrgKind, OrgUnit
from app.reports.parent_sheet import SHEET
from tests.app.reports.test_parent_part import (
    DAY,
    World,
    _period,
    world,  # noqa: F401 - fixture
)
from tests.conftest import HOME, Factory, login

HEADERS = ["Ngày", "Tiêu đề", "Kênh", "Đơn vị tổ chức", "Số người tại điểm cầu",
           "Kiểm tra số người", "Dự kiến", "Người được định danh tại điểm cầu",
           "Tham gia sau sự kiện", "Ghi chú"]  # fmt: skip
OWN_SHEETS = ["Theo kênh", "Theo tháng", "Theo xã", "Theo hoạt động"]


def _country() -> str:
    return db.session.scalars(sa.select(OrgUnit.name).where(OrgUnit.kind == OrgKind.COUNTRY)).one()


def _book(client: FlaskClient, **query: str):  # type: ignore[no-untyped-def]
    response = client.get("/reports/channels.xlsx", query_string={**_period(), **query})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def test_the_communes_workbook_has_its_halls_sheet(
    client: FlaskClient,
    world: World,  # noqa: F811 - fixture
    make: Factory,
) -> None:
    login(client, make.user("viewer", world.mine.code).email)
    book = _book(client)
    assert book.sheetnames == [*OWN_SHEETS, SHEET]
    sheet = book[SHEET]
    note = sheet.cell(2, 1).value
    assert note.startswith("Số liệu tính đến ")
    assert "không được cộng vào tổng của các trang tính khác" in note
    assert [c.value for c in sheet[3]] == HEADERS
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    day = datetime.combine(DAY, time.min)  # openpyxl reads a day as a naive midnight
    assert rows == [
        [day, "Hội nghị trực tuyến cấp tỉnh", "Hội nghị trực tuyến", world.mine.parent.name,
         38, None, 45, 3, 1, None],
        [day + timedelta(days=2), "Hội nghị toàn quốc", "Hội nghị trực tuyến", _country(),
         None, None, 5, 0, 0, None],
    ]  # fmt: skip
    assert sheet.cell(4, 1).number_format == "dd/mm/yyyy"
    assert sheet.cell(4, 5).number_format == "#,##0"
    # Never added: the commune's own figures stay those of its own events, none.
    own = [list(r) for r in book["Theo kênh"].iter_rows(min_row=4, values_only=True)]
    assert sum(r[1] or 0 for r in own) == 0
    assert sum(r[4] or 0 for r in own) == 0  # people identified
    assert all(38 not in r and 3 not in r for r in own)


def test_a_province_manager_gets_the_sheet_of_a_commune_and_none_of_the_province(
    client: FlaskClient,
    world: World,  # noqa: F811 - fixture
    make: Factory,
) -> None:
    login(client, make.user("manager", HOME).email)
    assert _book(client, org_unit=HOME).sheetnames == OWN_SHEETS
    book = _book(client, org_unit=world.mine.code)
    titles = [r[1] for r in book[SHEET].iter_rows(min_row=4, values_only=True)]
    assert titles == ["Hội nghị trực tuyến cấp tỉnh", "Hội nghị toàn quốc"]
    query = {**_period(), "view": "halls"}
    province = client.get("/reports/channels.csv", query_string=query).data.decode("utf-8-sig")
    assert province.count("\r\n") == 1  # the header alone: a province has no halls
    commune = client.get(
        "/reports/channels.csv", query_string={**query, "org_unit": world.mine.code}
    )
    assert "Hội nghị toàn quốc" in commune.get_data(as_text=True)


def test_the_halls_csv(
    client: FlaskClient,
    world: World,  # noqa: F811 - fixture
    make: Factory,
) -> None:
    login(client, make.user("viewer", world.mine.code).email)
    page = client.get("/reports/channels", query_string=_period()).get_data(as_text=True)
    assert "view=halls" in page[page.index('id="parent-events"') :]  # offered in the section
    response = client.get("/reports/channels.csv", query_string={**_period(), "view": "halls"})
    assert response.status_code == 200
    assert "-diem-cau-tai-su-kien-cap-tren.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [*HEADERS, "Số liệu tính đến"]
    conference, national = rows[1:]
    assert conference[:4] == [DAY.strftime("%d/%m/%Y"), "Hội nghị trực tuyến cấp tỉnh",
                              "Hội nghị trực tuyến", world.mine.parent.name]  # fmt: skip
    assert conference[4:9] == ["38", "", "45", "3", "1"]
    assert national[1] == "Hội nghị toàn quốc"
    assert national[4] == ""  # no head count reported
    assert conference[9] == national[9] == ""  # no note: both are held
    assert conference[10] == national[10] != ""
    assert client.get("/reports/channels.csv", query_string={"view": "nope"}).status_code == 422
