"""A livestream whose office had no finished livestream before it: nothing to compare with.

The tour found the month's row showing "—" against the median, "0" previous livestreams compared
and an empty note, where the event page says why ("chưa có buổi livestream nào … để so sánh").
In the month of ``test_livestreams``, E1 (the province office's first) and C1 (the commune's
only one) have none before them; E2 has E1. The note now says it on the page, in the PDF, the
Word file and the workbook; the ratio cells themselves are left as they were.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.app.reports.test_livestreams import streams  # noqa: F401  (the fixture)
from tests.conftest import HOME, login

MONTH = {"period": "2026-11", "org_unit": HOME}
NOTE = "Chưa có buổi livestream nào đã kết thúc trước đó để so sánh"


def test_the_page_pdf_and_word_say_there_is_nothing_to_compare(client, make, streams) -> None:  # noqa: F811
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    section = re.search(r'<table id="month-livestreams">(.*?)</table>', html, re.S).group(1)
    rows = {int(i): re.findall(r"<td[^>]*>([^<]*)</td>", row) for i, row in
            re.findall(r'<tr data-event="(\d+)">(.*?)</tr>', section, re.S)}  # fmt: skip
    for key in ("E1", "C1"):
        assert rows[streams[key].id][-2] == "0"  # previous livestreams compared
        assert rows[streams[key].id][-1] == NOTE, key
    assert rows[streams["E2"].id][-1] == ""  # compared with E1
    pdf = client.get("/reports/monthly.pdf", query_string=MONTH).data
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert text.count(re.sub(r"\s+", "", NOTE)) == 2
    word = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=MONTH).data))
    table = word.tables[-2]  # the livestreams, then the signatures
    notes = {r.cells[1].text: r.cells[-1].text for r in table.rows[1:]}
    assert notes["Livestream E1"] == notes["Livestream C1"] == NOTE
    assert notes["Livestream E2"] == ""


def test_the_workbook_says_it_in_the_note(app, streams) -> None:  # noqa: F811
    result = app.test_cli_runner().invoke(
        args=["reports", "build", "--period", "2026-11", "--org-unit", HOME]
    )
    assert result.exit_code == 0, result.output
    path = next(p for p in result.output.split() if p.endswith(".xlsx"))
    sheet = load_workbook(io.BytesIO(Path(path).read_bytes()))["Livestream đã kết thúc"]
    notes = {r[1]: r[-1] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert notes["Livestream E1"] == notes["Livestream C1"] == NOTE
    assert notes["Livestream E2"] is None
    assert notes["Livestream E3"] == "Chưa có lượt xem"  # the other reason, unchanged
