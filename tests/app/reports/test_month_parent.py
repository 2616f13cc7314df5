"""A commune's monthly report carries its part in the events of the units above it.

The tour found Xã Châu Tiến's November report all zeros and "Không có hoạt động" although its
hall took part in the province's online conference (34 present, 6 named, 1 enrolled after),
which the channels report of the commune shows. The conference began at 06:30 on 01/11/2026,
Vietnam time (23:30 on 31/10 in UTC): November's, not October's. The month's page, its PDF, its
Word file, and the built files (Excel, printed page) now carry the channels report's section
("Điểm cầu của xã/phường tại sự kiện cấp trên"), never added to the commune's totals; the
province counts the conference's people once, under itself, and its report has no such section.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.halls import services
from app.labels import REPORT_CHANNEL, vi_label
from app.models import (
    Attendance,
    Enrolment,
    ImportBatch,
    Link,
    LinkStatus,
    OrgKind,
    OrgUnit,
    Person,
    Scheme,
)
from app.reports.facts import ReportFilter
from app.reports.parent_sheet import SHEET
from app.reports.report import build_report
from tests.conftest import HOME, Factory, login

START = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 06:30 on 01/11/2026 in Vietnam
TITLE = "Hội nghị trực tuyến triển khai BHXH tự nguyện"
HEADING = "Điểm cầu của xã/phường tại sự kiện cấp trên"
NOT_ADDED = "không được cộng vào các tổng ở trên"
NOTHING = "Không có hoạt động"
OWN_SHEETS = ["Theo kênh", "Theo tháng", "Theo xã", "Theo hoạt động", "Livestream đã kết thúc"]


@dataclass(frozen=True)
class World:
    province: OrgUnit
    commune: OrgUnit  # Xã Châu Tiến: its hall at the province's conference, nothing of its own
    quiet: OrgUnit  # another commune: no hall, nothing
    conference: int


def _month(unit: OrgUnit, period: str = "2026-11") -> dict[str, str]:
    return {"org_unit": unit.code, "period": period}


@pytest.fixture
def world(app, make: Factory, report_path: str) -> World:
    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    children = sa.select(OrgUnit).where(
        OrgUnit.parent_id == province.id, OrgUnit.kind == OrgKind.COMMUNE
    )
    commune = db.session.scalars(children.where(OrgUnit.name == "Xã Châu Tiến")).one()
    quiet = db.session.scalars(children.where(OrgUnit.id != commune.id).order_by(OrgUnit.code))
    quiet = next(iter(quiet))
    campaign = make.campaign(HOME, name="BHXH tự nguyện quý IV", attribution_window_days=30)
    conference = make.event(HOME, title=TITLE, channel="online_conference",
                            planned_start=START, campaign=campaign)  # fmt: skip
    (hall,) = services.set_bridge_points(conference, [commune.code], {commune.code: 40})
    seen = START + timedelta(minutes=40)
    services.record_report(hall, "chau-tien-0001", 34, [], seen)
    people = [Person(full_name=f"Người dự {i}", commune_id=commune.id) for i in range(6)]
    db.session.add_all(people)
    db.session.flush()
    for person in people:
        db.session.add(Attendance(person_id=person.id, event_id=conference.id, source="checkin",
                                  bridge_point_id=hall.id, touched_at=seen))  # fmt: skip
    batch = ImportBatch(kind="enrolments", filename="thu-11.xlsx", sha256=uuid.uuid4().hex,
                        created_at=START)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    for person, is_new in ((people[0], True), (people[1], False)):  # one new, one a renewal
        row = Enrolment(import_batch_id=batch.id, source_row=person.id, row_key=uuid.uuid4().hex,
                        scheme=Scheme.BHXH_TU_NGUYEN, is_new=is_new, paid_on=date(2026, 11, 12),
                        commune_id=commune.id)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="phone",
                            status=LinkStatus.LINKED, created_at=START))  # fmt: skip
    db.session.commit()
    if report_path == "rollups":
        from app.reports.rollups.full_build import rebuild

        rebuild()
        db.session.commit()
    return World(province, commune, quiet, conference.id)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _hall_figures(html: str, event_id: int) -> dict[str, str]:
    """The figures of the event's row in the page's section of halls (``data-key`` cells)."""
    section = html[html.index('id="parent-halls"') :]
    row = re.search(rf'<tr data-event="{event_id}">(.*?)</tr>', section, re.S)
    assert row is not None, section[:800]
    cells = re.findall(r'data-key="(\w+)">(.*?)</td>', row.group(1), re.S)
    return {key: _text(value) for key, value in cells}


def _pdf(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _word_tables(data: bytes) -> list[list[list[str]]]:
    return [[[c.text for c in r.cells] for r in t.rows] for t in Document(io.BytesIO(data)).tables]


def _word_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _build(app, unit: OrgUnit) -> dict[str, Path]:
    result = app.test_cli_runner().invoke(
        args=["reports", "build", "--period", "2026-11", "--org-unit", unit.code]
    )
    assert result.exit_code == 0, result.output
    return {Path(p).suffix: Path(p) for p in result.output.split() if Path(p).suffix}


def test_the_communes_month_page_shows_its_hall_with_the_channels_figures(
    client: FlaskClient, make: Factory, world: World
) -> None:
    login(client, make.user("viewer", world.commune.code).email)
    html = client.get("/reports/monthly", query_string=_month(world.commune)).get_data(as_text=True)
    assert HEADING in html
    assert NOTHING not in html
    assert "không tự tổ chức hoạt động nào" in html  # its own table says where to look
    month = _hall_figures(html, world.conference)
    assert month == {
        "head_count": "34", "expected": "40", "identified": "6", "enrolled": "1", "note": ""
    }  # fmt: skip
    channels = client.get(
        "/reports/channels",
        query_string={"org_unit": world.commune.code, "from": "2026-11-01", "to": "2026-11-30"},
    ).get_data(as_text=True)
    assert _hall_figures(channels, world.conference) == month  # the same section's figures
    section = _text(html[html.index('id="parent-events"') :].split("</section>")[0])
    assert "01/11/2026" in section
    assert TITLE in section
    assert NOT_ADDED in section
    # October ends at midnight in Vietnam: the conference (23:30 UTC on 31/10) is not October's.
    october = client.get("/reports/monthly", query_string=_month(world.commune, "2026-10"))
    assert HEADING not in october.get_data(as_text=True)


def test_the_halls_figures_are_not_added_to_the_commune_or_twice_to_the_province(
    client: FlaskClient, make: Factory, world: World
) -> None:
    """The province counts the conference's six people once; the commune's totals stay its
    own (nothing), so a sum of the two reports counts nobody twice."""
    f = ReportFilter(unit=world.commune, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert build_report(f).totals()["identified"] == 0
    province = build_report(
        ReportFilter(unit=world.province, start=date(2026, 11, 1), end=date(2026, 11, 30))
    )
    assert province.totals()["identified"] == 6
    assert province.totals()["events"] == 1
    assert [name for _, name, _ in province.by_commune()] == [None]  # the province's own line
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/monthly", query_string=_month(world.province)).get_data(
        as_text=True
    )
    assert HEADING not in html
    assert 'id="parent-events"' not in html
    pdf = _pdf(client.get("/reports/monthly.pdf", query_string=_month(world.province)).data)
    assert HEADING not in pdf
    word = client.get("/reports/monthly.docx", query_string=_month(world.province)).data
    assert HEADING not in _word_text(word)


def test_the_communes_pdf_and_word_file_carry_the_section(
    app, client: FlaskClient, make: Factory, world: World
) -> None:
    login(client, make.user("viewer", world.commune.code).email)
    pdf = _pdf(client.get("/reports/monthly.pdf", query_string=_month(world.commune)).data)
    assert NOTHING not in pdf
    section = pdf[pdf.index(HEADING) :]
    assert NOT_ADDED in section
    assert "01/11/2026" in section
    assert "Hội nghị trực tuyến" in section
    word = client.get("/reports/monthly.docx", query_string=_month(world.commune)).data
    assert HEADING in _word_text(word)
    assert NOTHING not in _word_text(word)
    with app.test_request_context():
        channel = vi_label(REPORT_CHANNEL, "online_conference")
    rows = next(t for t in _word_tables(word) if t[0][0] == "Ngày" and "Dự kiến" in t[0])
    # No count to check, the event held: on paper those empty text columns are left out.
    assert "Kiểm tra số người" not in rows[0]
    assert "Ghi chú" not in rows[0]
    assert rows[1:] == [["01/11/2026", TITLE, channel, world.province.name, "34", "40", "6", "1"]]
    # Its own (empty) by-commune table says what the page says, not a row of headers alone.
    assert "không tự tổ chức hoạt động nào" in pdf
    assert "không tự tổ chức hoạt động nào" in _word_text(word)
    assert not any(t[0][0] == "Xã/phường" and len(t) == 1 for t in _word_tables(word))


def test_the_built_files_of_the_commune_carry_the_section(app, world: World) -> None:
    files = _build(app, world.commune)
    book = load_workbook(io.BytesIO(files[".xlsx"].read_bytes()))
    assert book.sheetnames == [*OWN_SHEETS, SHEET]
    sheet = book[SHEET]
    assert "không được cộng vào tổng của các trang tính khác" in sheet.cell(2, 1).value
    values = [c.value for c in sheet[4]]
    assert values[0].date() == date(2026, 11, 1)  # a real date, dd/mm/yyyy in Excel
    with app.test_request_context():
        channel = vi_label(REPORT_CHANNEL, "online_conference")
    assert values[1:5] == [TITLE, channel, world.province.name, 34]
    assert values[6:] == [40, 6, 1, None]  # no note: the event is held
    assert sheet.max_row == 4
    totals = book["Theo kênh"]
    identified = [c.value for c in totals[3]].index("Người được định danh")
    assert [c.value for c in totals[totals.max_row]][identified] == 0  # not added in
    printed = files[".html"].read_text("utf-8")
    assert HEADING in printed
    assert NOTHING not in printed
    assert f'<tr data-event="{world.conference}">' in printed
    assert "/events/" not in printed  # a file sent upward links to no event page
    pdf = _pdf(files[".pdf"].read_bytes())
    assert HEADING in pdf
    assert NOTHING not in pdf


def test_a_commune_with_no_hall_still_reads_nothing_in_every_form(
    app, client: FlaskClient, make: Factory, world: World
) -> None:
    login(client, make.user("viewer", world.quiet.code).email)
    html = client.get("/reports/monthly", query_string=_month(world.quiet)).get_data(as_text=True)
    assert "Không có hoạt động trong kỳ này." in html
    assert HEADING not in html
    pdf = _pdf(client.get("/reports/monthly.pdf", query_string=_month(world.quiet)).data)
    assert HEADING not in pdf
    assert "Không có hoạt động trong kỳ này." in pdf
    word = client.get("/reports/monthly.docx", query_string=_month(world.quiet)).data
    assert HEADING not in _word_text(word)
    assert "Không có hoạt động trong kỳ này." in _word_text(word)
    files = _build(app, world.quiet)
    assert load_workbook(io.BytesIO(files[".xlsx"].read_bytes())).sheetnames == OWN_SHEETS
    assert "Không có hoạt động trong kỳ này." in files[".html"].read_text("utf-8")
