"""A commune's hall at a province event not held yet shows "chưa diễn ra" and no figures.

The world is test_parent_part.py's (its conference 60 days ago, held). The province also plans
"Hội nghị sơ kết quý IV" three days from now, with the commune's hall (30 expected). Its hall
already sent a head count of 437 (a test of the check-in page, hours before) and one person was
checked in there: before the start, these are nobody's figures (``facts.is_held``, the rule of
every report). Every form of the section lists the event with empty number cells and the words
"chưa diễn ra" in its note column, a text one, never in a number column: the channels page and
its Excel sheet and CSV, the month's page, PDF, Word file and built workbook, and the API.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from flask.testing import FlaskClient
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls import services
from app.models import Attendance, Person, utcnow
from app.reports.facts import ReportFilter
from app.reports.parent_part import parent_halls
from app.reports.parent_sheet import SHEET
from app.timeparse import VN
from tests.app.reports.test_parent_part import (
    DAY,
    World,
    world,  # noqa: F401 - fixture
)
from tests.conftest import HOME, Factory, login

pytestmark = pytest.mark.postgres
TITLE = "Hội nghị sơ kết quý IV"
NOT_HELD = "chưa diễn ra"
FIGURES = ("head_count", "expected", "identified", "enrolled")


@pytest.fixture
def ahead(world: World, make: Factory) -> tuple[World, int]:  # noqa: F811 - fixture
    start = utcnow() + timedelta(days=3)
    event = make.event(HOME, title=TITLE, channel="online_conference", planned_start=start,
                       planned_end=start + timedelta(hours=2))  # fmt: skip
    (hall,) = services.set_bridge_points(event, [world.mine.code], {world.mine.code: 30})
    services.record_report(hall, "mine-early-01", 437, [], start - timedelta(hours=2))
    person = Person(full_name="Lê Văn Sớm", commune_id=world.mine.id)
    db.session.add(person)
    db.session.flush()
    early = start - timedelta(hours=1)  # checked in before the start
    db.session.add(Attendance(person_id=person.id, event_id=event.id, source="checkin",
                              bridge_point_id=hall.id, touched_at=early))  # fmt: skip
    db.session.commit()
    return world, event.id


def _period(event_day_offset: int = 3) -> dict[str, str]:
    """From the held conference to past the planned one."""
    end = utcnow().astimezone(VN).date() + timedelta(days=event_day_offset + 1)
    return {"from": (DAY - timedelta(days=1)).isoformat(), "to": end.isoformat()}


def _month() -> str:
    return (utcnow() + timedelta(days=3)).astimezone(VN).strftime("%Y-%m")


def _cells(html: str, event_id: int) -> dict[str, str]:
    section = html[html.index('id="parent-halls"') :]
    row = re.search(rf'<tr data-event="{event_id}">(.*?)</tr>', section, re.S)
    assert row is not None, section[:800]
    cells = re.findall(r'data-key="(\w+)">(.*?)</td>', row.group(1), re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for key, value in cells}


def test_the_hall_is_listed_without_figures(app, ahead: tuple[World, int], make: Factory) -> None:
    w, event_id = ahead
    f = ReportFilter(unit=w.mine, start=DAY - timedelta(days=1), as_of=utcnow())
    rows = {h.event_id: h for h in parent_halls(f, make.user("officer", w.mine.code))}
    later = rows[event_id]
    assert (later.held, later.head_count, later.expected, later.identified, later.enrolled) == (
        False, None, None, None, None
    )  # fmt: skip
    assert later.unsure == ""  # 437 for 30 expected: no figure, so nothing to check either
    assert rows[w.conference].held
    assert (rows[w.conference].head_count, rows[w.conference].identified) == (38, 3)
    # Read once it is held, the same hall has its figures.
    f = ReportFilter(unit=w.mine, start=DAY, as_of=utcnow() + timedelta(days=4))
    held = {h.event_id: h for h in parent_halls(f, None)}[event_id]
    assert (held.held, held.head_count, held.expected, held.identified) == (True, 437, 30, 1)
    with app.test_request_context(), force_locale("vi"):
        assert held.unsure == "(chưa chắc: dự kiến 30)"
        assert (held.note, later.note) == ("", NOT_HELD)


def test_the_channels_page_and_its_files(
    client: FlaskClient, ahead: tuple[World, int], make: Factory
) -> None:
    w, event_id = ahead
    login(client, make.user("viewer", w.mine.code).email)
    html = client.get("/reports/channels", query_string=_period()).get_data(as_text=True)
    assert _cells(html, event_id) == {**dict.fromkeys(FIGURES, ""), "note": NOT_HELD}
    held = _cells(html, w.conference)
    assert (held["head_count"], held["identified"], held["note"]) == ("38", "3", "")
    assert "437" not in html

    response = client.get("/reports/channels.xlsx", query_string=_period())
    sheet = load_workbook(io.BytesIO(response.data))[SHEET]
    header = [c.value for c in sheet[3]]
    rows = {r[1]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=4, values_only=True)}  # fmt: skip
    later = rows[TITLE]
    assert [later[h] for h in header[4:]] == [None] * 5 + [NOT_HELD]
    assert rows["Hội nghị trực tuyến cấp tỉnh"]["Ghi chú"] is None

    query = {**_period(), "view": "halls"}
    body = client.get("/reports/channels.csv", query_string=query).data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body), delimiter=";"))
    note = lines[0].index("Ghi chú")
    (later,) = [r for r in lines[1:] if r[1] == TITLE]
    assert later[4:note] == [""] * 5  # numbers empty; the head-count check too
    assert later[note] == NOT_HELD

    token = issue_token(make.user("officer", w.mine.code))
    db.session.commit()
    api = client.get("/api/v1/reports/channels/parent-halls", query_string=_period(),
                     headers={"Authorization": f"Bearer {token}"}).get_json()  # fmt: skip
    (row,) = [r for r in api if r["event_id"] == event_id]
    assert row["held"] is False
    assert [row[k] for k in FIGURES] == [None] * 4


def test_the_months_page_pdf_word_and_built_files(
    app, client: FlaskClient, ahead: tuple[World, int], make: Factory
) -> None:
    w, event_id = ahead
    login(client, make.user("viewer", w.mine.code).email)
    query = {"org_unit": w.mine.code, "period": _month()}
    html = client.get("/reports/monthly", query_string=query).get_data(as_text=True)
    assert _cells(html, event_id) == {**dict.fromkeys(FIGURES, ""), "note": NOT_HELD}

    pdf = client.get("/reports/monthly.pdf", query_string=query).data
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    section = text[text.index("Điểm cầu của xã/phường tại sự kiện cấp trên") :]
    assert "sơ kết quý IV" in section
    assert NOT_HELD in section
    assert "437" not in section

    word = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=query).data))
    table = next(t for t in word.tables if "Ghi chú" in [c.text for c in t.rows[0].cells])
    (row,) = [[c.text for c in r.cells] for r in table.rows[1:] if r.cells[1].text == TITLE]
    # No figure: the documents' dash in the number cells, the words in the note alone; no count
    # to check on any row, so the paper leaves that empty text column out.
    assert "Kiểm tra số người" not in [c.text for c in table.rows[0].cells]
    assert row[4:] == ["—", "—", "—", "—", NOT_HELD]

    result = app.test_cli_runner().invoke(
        args=["reports", "build", "--period", _month(), "--org-unit", w.mine.code]
    )
    assert result.exit_code == 0, result.output
    built = {Path(p).suffix: Path(p) for p in result.output.split() if Path(p).suffix}
    sheet = load_workbook(io.BytesIO(built[".xlsx"].read_bytes()))[SHEET]
    (later,) = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1] == TITLE]
    assert list(later[4:]) == [None] * 5 + [NOT_HELD]
    assert NOT_HELD in built[".html"].read_text("utf-8")
