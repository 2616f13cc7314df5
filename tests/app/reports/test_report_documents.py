"""The files an officer downloads say what the screen says.

The Excel sheets and the CSV say when their figures were read, as the printed month, the PDF and
the Word file do; the PDF and the Word file say which enrolments they count, as the pages do; and
the PDF's and Word's by-commune table has the screen's columns, no more.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.labels import in_vietnamese
from app.reports.month_section import HEADING
from app.timeparse import VN
from tests.app.reports.conftest import OCTOBER
from tests.app.reports.test_enrolment_scope import EVERY, LABEL, ONLY
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
TAKEN = re.compile(r"^Số liệu tính đến (\d{2}/\d{2}/\d{4} \d{2}:\d{2})")
SHEETS = ["Theo kênh", "Theo tháng", "Theo xã", "Theo hoạt động"]
# The columns the by-commune table had in the PDF beyond the screen's: code, interactions,
# conversion, cost per enrolment.
NOT_ON_SCREEN = ("Mã xã", "Tương tác", "chuyển đổi", "Chi phí / người")


def _within(at: datetime, before: datetime, after: datetime) -> None:
    assert before.replace(second=0, microsecond=0) <= at <= after + timedelta(minutes=1), at


def _read_taken(text: str) -> datetime:
    match = TAKEN.search(text)
    assert match is not None, text
    return datetime.strptime(match.group(1), "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _word_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_every_sheet_says_when_and_which_enrolments(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    before = datetime.now(VN)
    data = client.get("/reports/channels.xlsx", query_string={**OCTOBER, "org_unit": HOME}).data
    after = datetime.now(VN)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        line = sheet.cell(2, 1).value
        _within(_read_taken(line), before, after)
        assert line.endswith(" · " + EVERY), line
        assert sheet.cell(3, 1).value in ("Kênh", "Tháng", "Mã xã", "Ngày")  # headers follow
        assert sheet.cell(2, 1).font.italic
    filtered = client.get(
        "/reports/channels.xlsx",
        query_string={**OCTOBER, "org_unit": HOME, "campaign_id": month.campaign_id},
    )
    line = load_workbook(io.BytesIO(filtered.data))["Theo kênh"].cell(2, 1).value
    assert line.endswith(" · " + LABEL + ONLY), line


def test_every_csv_row_says_when_the_figures_were_read(client, make, month) -> None:
    """One header row, then data: the moment is the last column, the same on every row, so
    a tool still reads the CSV as a table and Excel as a date and time."""
    login(client, make.user("viewer", HOME).email)
    for view in ("channels", "month", "commune", "event"):
        before = datetime.now(VN)
        response = client.get("/reports/channels.csv", query_string={**OCTOBER, "view": view})
        after = datetime.now(VN)
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][-1] == "Số liệu tính đến", view
        assert len(rows) > 1, view
        moments = {row[-1] for row in rows[1:]}
        assert len(moments) == 1, moments
        at = datetime.strptime(moments.pop(), "%d/%m/%Y %H:%M").replace(tzinfo=VN)
        _within(at, before, after)
        assert len({len(r) for r in rows}) == 1, view


def test_the_pdf_and_the_word_file_say_which_enrolments_they_count(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    pdf = _flat(_pdf_text(client.get("/reports/monthly.pdf", query_string=MONTH).data))
    assert EVERY in pdf
    word = _word_paragraphs(client.get("/reports/monthly.docx", query_string=MONTH).data)
    assert EVERY in word
    campaign = {**MONTH, "campaign_id": month.campaign_id}
    only = LABEL + ONLY
    pdf = _flat(_pdf_text(client.get("/reports/monthly.pdf", query_string=campaign).data))
    assert only in pdf
    assert EVERY not in pdf
    word = _word_paragraphs(client.get("/reports/monthly.docx", query_string=campaign).data)
    assert only in word
    assert EVERY not in word


def _page_commune_headers(html: str) -> list[str]:
    table = html[html.index('id="communes"') :]
    head = table[: table.index("</thead>")]
    return [re.sub(r"<[^>]+>", "", th).strip() for th in re.findall(r"<th[^>]*>.*?</th>", head)]


def test_the_by_commune_table_has_the_screens_columns(app, client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    screen = _page_commune_headers(
        client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    )
    assert screen[0] == "Xã/phường"
    assert len(screen) == 8
    document = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=MONTH).data))
    by_commune = document.tables[2]
    assert [c.text for c in by_commune.rows[0].cells] == screen
    names = [c.text for c in by_commune.rows[1].cells]
    assert names[1] == "Livestream"  # the data follows the same columns
    text = _pdf_text(client.get("/reports/monthly.pdf", query_string=MONTH).data)
    section = text[text.index("Theo xã/phường") :]
    with app.test_request_context():
        livestreams = in_vietnamese(HEADING)
    section = section[: section.index(livestreams)] if livestreams in section else section
    section = _flat(section[: section.index("NGƯỜI LẬP")])
    for word in ("Xã/phường", "Hoạt động", "Tiếp cận", "định danh", "Chi phí (đồng)"):
        assert word in section, (word, section[:600])
    for word in NOT_ON_SCREEN:
        assert word not in section, (word, section[:600])
    # The by-channel table keeps its own columns: interactions and conversion stay there.
    by_channel = _flat(text[: text.index("Theo xã/phường")])
    assert "Tương tác" in by_channel
    assert "chuyển đổi" in by_channel
