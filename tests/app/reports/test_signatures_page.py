"""The signature block of the month's PDF never stands alone on a page.

Managers print the report and sign it: a last page holding only "NGƯỜI LẬP" and "THỦ TRƯỞNG ĐƠN
VỊ" reads as a blank sheet signed, detachable from the figures. The commune's and the province's
PDF, with one more finished livestream each time so that the content ends at every height of the
page in turn: the page with the signatures holds the last table's last row too.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import sqlalchemy as sa
from pypdf import PdfReader

from app.extensions import db
from app.models import EventStatus, OrgUnit
from tests.conftest import HOME, login

SIGNERS = ("NGƯỜI LẬP", "THỦ TRƯỞNG ĐƠN VỊ")
# With this many livestream rows and fewer, the content ends near the foot of the second page
# (the fixture's month: a letterhead, two short tables, then the livestreams): before the fix,
# 8 to 10 rows left the signatures alone on a third page.
ROWS = range(7, 11)


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _title(n: int) -> str:
    return f"Livestream thử số {n:02d}"


def test_the_signatures_stay_with_the_last_rows(client, make) -> None:
    commune = db.session.scalars(
        sa.select(OrgUnit.code)
        .where(OrgUnit.parent.has(OrgUnit.code == HOME))
        .order_by(OrgUnit.code)
    ).first()
    login(client, make.user("viewer", HOME).email)
    seen_pages = set()
    for n in range(1, ROWS.stop):
        # All on one day at one hour: the rows come in the order they were added.
        make.event(commune, title=_title(n), status=EventStatus.ENDED,
                   planned_start=datetime(2026, 10, 20, 2, tzinfo=UTC))  # fmt: skip
        if n < ROWS.start:
            continue
        for unit in (commune, HOME):
            reply = client.get(
                "/reports/monthly.pdf", query_string={"period": "2026-10", "org_unit": unit}
            )
            assert reply.status_code == 200
            pages = _pages(reply.data)
            seen_pages.add(len(pages))
            signed = [p for p in pages if SIGNERS[0] in p]
            assert len(signed) == 1, (unit, n)
            page = signed[0]
            assert SIGNERS[1] in page
            before = page[: page.index(SIGNERS[0])]
            assert _title(n) in before, (unit, n, page)
    assert len(seen_pages) > 1  # the content did cross the foot of a page


def test_wherever_the_last_table_ends_its_last_rows_keep_the_signatures(app) -> None:
    """``draw_section`` with the signatures' height kept after it, started at every height of a
    page in 4 mm steps: the signatures' page always holds the last row, never only them."""
    from app.reports.letterhead import Letterhead, Signer
    from app.reports.pdf import FAMILY, MonthPdf, draw_section
    from app.reports.pdf_letterhead import SIGNATURES_HEIGHT, draw_signatures
    from app.reports.workbook import Column, Table

    columns = [Column("Tên buổi livestream", "", 40), Column("Số lượt xem", "#,##0", 14)]
    rows = [[_title(n), "1.700"] for n in range(1, 6)]
    signers = (Signer(SIGNERS[0], "(Ký)"), Signer(SIGNERS[1], "(Ký)"))
    head = Letterhead("", "", "", "", "", "", signers=signers)
    start = 12.0
    while start < 210 - 14:
        pdf = MonthPdf("Báo cáo")
        pdf.add_page()
        pdf.set_y(start)
        draw_section(pdf, "Các buổi livestream", Table("x", columns, rows), "", SIGNATURES_HEIGHT)
        draw_signatures(pdf, FAMILY, head)
        pages = _pages(bytes(pdf.output()))
        page = pages[-1]
        assert SIGNERS[0] in page
        assert _title(5) in page[: page.index(SIGNERS[0])], (start, pages)
        start += 4


def test_the_word_file_keeps_the_last_rows_with_the_signatures(client, make) -> None:
    """Word lays out the pages itself: the last table's last two rows, the blank line and the
    signature block are "keep with next", and no row of theirs may split across pages."""
    from docx import Document
    from docx.oxml.ns import qn

    login(client, make.user("viewer", HOME).email)
    for n in range(1, 4):
        make.event(HOME, title=_title(n), status=EventStatus.ENDED,
                   planned_start=datetime(2026, 10, 20, 2, tzinfo=UTC))  # fmt: skip
    reply = client.get(
        "/reports/monthly.docx", query_string={"period": "2026-10", "org_unit": HOME}
    )
    document = Document(io.BytesIO(reply.data))
    *_, last, signatures = document.tables
    assert signatures.rows[0].cells[0].paragraphs[0].text == SIGNERS[0]
    assert last.rows[-1].cells[1].text == _title(3)

    def kept(row) -> bool:
        whole = row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
        return whole and all(
            p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs
        )

    assert [kept(r) for r in last.rows] == [True, False, True, True]  # headings, then the last two
    assert all(kept(r) for r in signatures.rows)
    body = document.element.body
    between = body.index(signatures._tbl) - body.index(last._tbl)
    assert between == 2  # one blank line, kept with the signatures
    blank = body[body.index(last._tbl) + 1]
    assert blank.pPr.keepNext is not None
