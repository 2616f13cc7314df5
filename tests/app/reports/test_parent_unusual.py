"""An unusual head count is marked in the commune's report of its halls, page and files alike.

The world is test_parent_part.py's. The officer of "mine" corrected nothing: after its 38 people,
its hall at the province's conference sent 4.500 (45 expected; ``app.halls.unusual``), and its
hall at the country's conference sent 4 (5 expected, a usual count). The report, which a manager
signs, says "(chưa chắc: dự kiến 45)" beside the 4.500, as the live page does, and nothing
beside the 4: on the page, in the Excel sheet and in the CSV (in Vietnamese, as every file).
"""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.extensions import db
from app.halls import services
from app.models import BridgePoint
from app.reports.parent_sheet import SHEET
from tests.app.reports.test_parent_part import (
    DAY,
    World,
    _period,
    vn,
    world,  # noqa: F401 - fixture
)
from tests.conftest import Factory, csrf_token, login

UNSURE = "(chưa chắc: dự kiến 45)"


@pytest.fixture
def typo(world: World) -> World:  # noqa: F811 - fixture
    """4.500 typed for 45 at the province's conference; a usual 4 at the country's."""

    def my_hall(event_id: int) -> BridgePoint:
        return db.session.scalars(
            sa.select(BridgePoint).where(
                BridgePoint.event_id == event_id, BridgePoint.org_unit_id == world.mine.id
            )
        ).one()

    services.record_report(my_hall(world.conference), "mine-0003", 4500, [], vn(DAY, 11))
    national = my_hall(world.national)
    services.record_report(national, "mine-nat-01", 4, [], national.event.planned_start)
    db.session.commit()
    return world


def test_the_page_marks_the_unusual_count_alone(
    client: FlaskClient, typo: World, make: Factory
) -> None:
    login(client, make.user("manager", typo.mine.code).email)
    html = client.get("/reports/channels", query_string=_period()).get_data(as_text=True)
    section = html[html.index('id="parent-events"') :]

    def row(event_id: int) -> str:
        return section[section.index(f'data-event="{event_id}"') :].split("</tr>")[0]

    assert f'data-key="head_count">4.500 <span class="unusual-count">{UNSURE}</span><' in row(
        typo.conference
    )
    national = row(typo.national)
    assert 'data-key="head_count">4<' in national
    assert "chưa chắc" not in national
    assert section.count("chưa chắc") == 1


def test_the_files_mark_the_unusual_count_alone(
    client: FlaskClient, typo: World, make: Factory
) -> None:
    login(client, make.user("manager", typo.mine.code).email)
    # The files speak Vietnamese whatever the page's language; the page says it in English.
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/events")})
    page = client.get("/reports/channels", query_string=_period()).get_data(as_text=True)
    assert '4,500 <span class="unusual-count">(unsure: 45 expected)</span>' in page
    response = client.get("/reports/channels.xlsx", query_string=_period())
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))[SHEET]
    assert [c.value for c in sheet[3]][4:7] == [
        "Số người tại điểm cầu",
        "Kiểm tra số người",
        "Dự kiến",
    ]
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert [r[4:7] for r in rows] == [[4500, UNSURE, 45], [4, None, 5]]
    query = {**_period(), "view": "halls"}
    response = client.get("/reports/channels.csv", query_string=query)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][4:7] == ["Số người tại điểm cầu", "Kiểm tra số người", "Dự kiến"]
    assert [r[4:7] for r in lines[1:]] == [["4500", UNSURE, "45"], ["4", "", "5"]]
