"""The files name their columns as the pages do (one table: ``app.labels.REPORT_COLUMN``): the
tour found "Khách hàng tiềm năng" in the PDF where the page says "Bình luận quan tâm", "Người
tham gia (ghi nhận)" for "Người tham gia được ghi nhận", "Số hoạt động" for "Hoạt động", and an
empty "Tiếp cận tính theo" in the files' total row."""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.reports.facts import ReportFilter
from app.reports.month_section import pdf_table, workbook_table
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
OLD_WORDS = ("Khách hàng tiềm năng", "(ghi nhận)", "Số hoạt động", "/ trung vị")


def _headers(html: str, table_id: str) -> list[str]:
    head = re.search(rf'<table id="{table_id}">\s*<thead>(.*?)</thead>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h)).strip()
            for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]  # fmt: skip


def test_the_word_file_has_the_pages_headers_and_total_row(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    page = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    word = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=MONTH).data))
    _, by_channel, *_ = word.tables
    assert [c.text for c in by_channel.rows[0].cells] == _headers(page, "channels")
    total = [c.text for c in by_channel.rows[-1].cells]
    assert total[:4] == ["Tất cả các kênh", total[1], "—", "Không cộng: khác đơn vị tính"]
    assert "Không cộng: khác đơn vị tính" in page.split("<tfoot>")[1]  # the page's own total row


def test_the_livestream_section_has_the_pages_headers(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    page = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    on_page = _headers(page, "month-livestreams")
    assert "Bình luận quan tâm" in on_page
    f = ReportFilter(unit=month.province, start=date(2026, 10, 1), end=date(2026, 10, 31))
    with client.application.test_request_context():
        for table in (pdf_table(f), workbook_table(f)):
            assert [c.header for c in table.columns] == on_page


def test_the_pdf_and_the_workbook_drop_the_old_words(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    pdf = client.get("/reports/monthly.pdf", query_string=MONTH).data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Không cộng" in text
    for old in OLD_WORDS:
        assert old not in text, old
    book = load_workbook(io.BytesIO(client.get("/reports/channels.xlsx", query_string=MONTH).data))
    headers = [c.value for sheet in book for c in sheet[3]]
    assert "Hoạt động" in headers
    assert "Lượt tham gia BHXH và BHYT được ghi công" in headers
    assert "Người tham gia được ghi nhận" not in headers  # read as "participants recorded"
    for old in OLD_WORDS:
        assert not any(old in str(h) for h in headers), old


def test_the_activities_sheet_opens_with_the_date_not_an_internal_id(client, make, month) -> None:
    """The "Mã" column held event ids nobody outside the database can use: dropped, as the
    date and the title already tell the activities apart."""
    login(client, make.user("viewer", HOME).email)
    book = load_workbook(io.BytesIO(client.get("/reports/channels.xlsx", query_string=MONTH).data))
    headers = [c.value for c in book["Theo hoạt động"][3]]
    assert headers[:3] == ["Ngày", "Kênh", "Tiêu đề"]
    assert "Mã" not in headers


def test_reach_kinds_and_headings_are_written_alike_with_a_capital(client, make, month) -> None:
    """The tour found "lượt xem" on the pages where the files wrote "Lượt xem" in the same
    column: both take the words from ``app.labels`` now, and every heading starts with a
    capital, in both languages."""
    from flask_babel import force_locale

    from app.labels import REPORT_COLUMN

    login(client, make.user("viewer", HOME).email)
    page = client.get("/reports/channels", query_string=MONTH).get_data(as_text=True)
    on_page = re.findall(r'<td[^>]* data-key="reach_kind" data-value="(\w+)">([^<]*)</td>', page)
    assert ("views", "Lượt xem") in on_page
    assert ("people", "Người có mặt") in on_page
    book = load_workbook(io.BytesIO(client.get("/reports/channels.xlsx", query_string=MONTH).data))
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[3]].index("Tiếp cận tính theo")  # under the title, the time
    in_file = {row[column] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert {word for _code, word in on_page} <= in_file
    monthly = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    for text in (page, monthly):
        assert ">lượt xem<" not in text
        assert ">người có mặt<" not in text
    for locale in ("vi", "en"):
        with client.application.test_request_context(), force_locale(locale):
            for key, words in REPORT_COLUMN.items():
                assert str(words)[:1].isupper(), (locale, key, str(words))
