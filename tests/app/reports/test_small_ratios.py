"""The "compared with the median" column reads in one unit, times, on the page, the PDF, the Word
file and the workbook.

The tour's monthly report showed 2 views against a median of 1.700 as "0 lần"; a fix wrote it
"0,1 %", so the column mixed "0,4 lần" and "0,5 %". The rule (``app.formatting.ratio_form``):
always times with one decimal ("0,4 lần", "1,0 lần", "12,3 lần"), a non-zero ratio that would
round to 0,0 "dưới 0,1 lần", exactly 0 "0 lần".
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.collection.targets import add_target
from app.extensions import db
from app.formatting import ratio_form
from app.models import Channel, EngagementSample, Event, EventStatus, OrgUnit
from app.reports.after_livestream import ratio_text
from app.reports.month_section import RATIO_FORMAT
from tests.app.reports.conftest import vn
from tests.app.reports.test_livestreams import NOV, seed
from tests.conftest import HOME, login

# One unit: "dưới 0,1 lần", "0 lần" or a number with one decimal, then "lần".
ONE_UNIT = re.compile(r"^(dưới 0,1|0|\d{1,3}(\.\d{3})*,\d) lần$")


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (2 / 1700, "dưới 0,1 lần"),
        (0.04, "dưới 0,1 lần"),
        (0.0001, "dưới 0,1 lần"),
        (0.05, "0,1 lần"),
        (0.25, "0,3 lần"),  # half up, as the spreadsheet rounds
        (0.4, "0,4 lần"),
        (1.0, "1,0 lần"),
        (1.44, "1,4 lần"),
        (4.2, "4,2 lần"),
        (12.345, "12,3 lần"),
        (1234.5, "1.234,5 lần"),
        (0.0, "0 lần"),
        (None, "—"),
    ],
)
def test_the_page_writes_every_ratio_in_times(app, ratio, shown) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "vi"}):
        assert ratio_text(ratio) == shown
        assert shown == "—" or ONE_UNIT.match(shown)


def test_in_english_too(app) -> None:
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("en"):
        assert [ratio_text(r) for r in (0.001, 0.4, 1.8)] == ["under 0.1×", "0.4×", "1.8×"]


def test_no_non_zero_ratio_reads_as_zero_times() -> None:
    for ratio in (1e-9, 0.0004, 0.001, 0.01, 0.049):
        assert ratio_form(ratio) == ("under", 0.1), ratio


def test_the_workbook_format_has_one_unit() -> None:
    sections = RATIO_FORMAT.split(";")
    assert len(sections) == 3
    assert all(s.endswith(' lần"') for s in sections)
    assert "%" not in RATIO_FORMAT
    assert sections[1] == '[<0.05]"dưới 0,1 lần"'  # the page's SMALL_RATIO and words


def _tiny(province) -> Event:
    """An own livestream of 27/11 with 2 views against a median of 1.500: ratio 0,0013."""
    start = vn(NOV.replace(day=27))
    event = Event(title="Livestream E6", channel=Channel.LIVESTREAM, org_unit=province,
                  planned_start=start, actual_start=start, cost_vnd=0, status=EventStatus.ENDED,
                  actual_end=start + timedelta(hours=1))  # fmt: skip
    db.session.add(event)
    db.session.flush()
    target = add_target(event.id, "facebook_live", "E6-0")
    target.status = "ended"
    db.session.flush()
    db.session.add(EngagementSample(target_id=target.id, extra={}, sampled_at=start, views=2,
                                    live_viewers=1, reactions_total=1))  # fmt: skip
    db.session.commit()
    return event


def test_one_unit_down_the_column_everywhere(client, make, app) -> None:
    seed()
    _tiny(db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one())
    login(client, make.user("viewer", HOME).email)
    month = {"period": "2026-11", "org_unit": HOME}
    html = client.get("/reports/monthly", query_string=month).get_data(as_text=True)
    section = re.search(r'<table id="month-livestreams">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r'<tr data-event="\d+">(.*?)</tr>', section, re.S)
    page = [re.findall(r"<td[^>]*>([^<]*)</td>", r)[9:11] for r in rows]
    assert page[-1] == ["dưới 0,1 lần", "dưới 0,1 lần"]  # E6: 2 views, 1 interaction
    assert page[1][0] == "2,0 lần"  # E2: 2.000 views against E1's 1.000
    ratios = [cell for row in page for cell in row if cell != "—"]
    assert ratios
    assert all(ONE_UNIT.match(c) for c in ratios), ratios

    pdf = client.get("/reports/monthly.pdf", query_string=month).data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "%" not in text.split("Các buổi livestream đã kết thúc")[-1]
    for cell in ratios:
        assert cell in text

    word = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=month).data))
    table = word.tables[-2]  # the livestreams, over the signature block
    assert "trung vị" in table.rows[0].cells[9].text
    cells = [[r.cells[9].text, r.cells[10].text] for r in table.rows[1:]]
    assert cells == page

    result = app.test_cli_runner().invoke(args=["reports", "build", *sum(
        (["--" + k.replace("_", "-"), v] for k, v in month.items()), [])])  # fmt: skip
    assert result.exit_code == 0, result.output
    path = next(p for p in result.output.split() if p.endswith(".xlsx"))
    sheet = load_workbook(io.BytesIO(Path(path).read_bytes()))["Livestream đã kết thúc"]
    last = list(sheet.iter_rows(min_row=4))[-1]
    assert [c.number_format for c in last[9:11]] == [RATIO_FORMAT] * 2
    assert 0 < last[9].value < 0.05  # the ratio itself: the format writes "dưới 0,1 lần"
