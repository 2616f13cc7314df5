"""The month's PDF as the tour read it: a date is one line ("24/11/202" then "6" was read as two
numbers), and a section's heading is never left at the foot of a page without its table."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.reports.pdf import MonthPdf, draw_section
from app.reports.workbook import Column, Table
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}
DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def _livestreams(rows: int) -> Table:
    """The widths of the month's livestream section (``month_section``)."""
    columns = [Column("Ngày", "dd/mm/yyyy", 11), Column("Tên buổi livestream", "", 40),
               Column("Đơn vị", "", 22), *(Column(f"Số {n}", "#,##0", 14) for n in range(8)),
               Column("Số buổi trước", "#,##0", 12)]  # fmt: skip
    row = ["24/11/2026", "Livestream tư vấn BHXH tự nguyện", "Tỉnh Nghệ An", *["1.700"] * 9]
    return Table("Các buổi livestream", columns, [row] * rows)


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_date_column_is_wide_enough_for_a_whole_date() -> None:
    pdf = MonthPdf("Báo cáo")
    pdf.add_page()
    draw_section(pdf, "Các buổi livestream", _livestreams(2))
    text = "\n".join(_pages(bytes(pdf.output())))
    assert text.count("24/11/2026") == 2, text
    assert "24/11/202\n" not in text


def test_a_heading_at_the_foot_of_a_page_moves_to_the_next_with_its_table() -> None:
    pdf = MonthPdf("Báo cáo")
    pdf.add_page()
    pdf.set_y(pdf.h - pdf.b_margin - 12)  # room for the heading, not for the table
    draw_section(pdf, "Các buổi livestream", _livestreams(3))
    first, second = _pages(bytes(pdf.output()))
    assert "Các buổi livestream" not in first
    assert second.index("Các buổi livestream") < second.index("24/11/2026")


def test_the_months_pdf_writes_every_date_whole(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    text = "\n".join(_pages(client.get("/reports/monthly.pdf", query_string=MONTH).data))
    assert DATE.search(text.split("Các buổi livestream")[-1]), text
    assert not re.search(r"\b\d{2}/\d{2}/\d{3}\n\d\b", text)
