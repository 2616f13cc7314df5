"""The monthly report as it is sent upward: the letterhead (superior body, unit, number, place
and date, title) and the signature block ("Người lập" left, "Thủ trưởng đơn vị" right), the same
in the printed page, the PDF and the Word document, with the figures of conftest.py's month."""

from __future__ import annotations

import io
import re
from datetime import datetime

from docx import Document
from pypdf import PdfReader

from app.timeparse import VN
from tests.conftest import HOME, login

MONTH = {"period": "2026-10", "org_unit": HOME}


def _today_line() -> str:
    today = datetime.now(VN).date()
    return f"Nghệ An, ngày {today:%d} tháng {today:%m} năm {today:%Y}"


def test_the_printed_page_carries_the_letterhead_and_the_signatures(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "BẢO HIỂM XÃ HỘI VIỆT NAM BẢO HIỂM XÃ HỘI TỈNH NGHỆ AN" in text
    assert "Số: ……/BC-……" in text  # blank, and editable on screen before printing
    assert re.search(r'class="lh-number" contenteditable="true"', html)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert _today_line() in text
    assert "BÁO CÁO Kết quả truyền thông theo kênh tháng 10/2026" in text
    signatures = html.split('class="signatures"')[1]
    assert signatures.index("NGƯỜI LẬP") < signatures.index("THỦ TRƯỞNG ĐƠN VỊ")
    assert html.index('id="communes"') < html.index('class="signatures"')  # at the foot
    page = client.get("/reports/channels", query_string={"org_unit": HOME}).get_data(as_text=True)
    assert "/reports/monthly.docx?" in page  # the Word file is offered on the reports page


def test_the_printed_page_is_vietnamese_on_an_english_session(client, make, month) -> None:
    """The document goes upward: English headers under a Vietnamese letterhead would not do."""
    from tests.conftest import csrf_token

    login(client, make.user("viewer", HOME).email)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/events")})
    assert "Channels compared" in client.get("/reports/channels").get_data(as_text=True)
    html = client.get("/reports/monthly", query_string=MONTH).get_data(as_text=True)
    assert "<th>Kênh</th>" in html
    assert "<th>Channel</th>" not in html


def test_the_pdf_carries_the_letterhead_the_number_and_the_signatures(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    query = {**MONTH, "number": "125/BC-BHXH"}
    data = client.get("/reports/monthly.pdf", query_string=query).data
    pages = PdfReader(io.BytesIO(data)).pages
    lines = [line for page in pages for line in page.extract_text().splitlines()]
    text = "\n".join(lines)
    for expected in ("BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH NGHỆ AN", "Số: 125/BC-BHXH",
                     "Độc lập - Tự do - Hạnh phúc", _today_line(), "BÁO CÁO",
                     "Kết quả truyền thông theo kênh tháng 10/2026"):  # fmt: skip
        assert expected in text, expected
    foot = text[text.index("Theo xã/phường") :]
    assert foot.index("NGƯỜI LẬP") < foot.index("THỦ TRƯỞNG ĐƠN VỊ")
    livestream = next(line for line in lines if line.startswith("Livestream"))
    assert "1.700" in livestream
    assert "3.000.000" in livestream


def test_the_word_document_has_the_same_content(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    response = client.get("/reports/monthly.docx", query_string=MONTH)
    assert response.status_code == 200
    assert "bao-cao-nghe-an-2026-10.docx" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    head, *figures, signatures = document.tables
    left, right = (cell.text for cell in head.rows[0].cells)
    assert left.splitlines() == ["BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH NGHỆ AN",
                                 "Số: ……/BC-……"]  # fmt: skip
    assert right.splitlines() == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                  "Độc lập - Tự do - Hạnh phúc", _today_line()]  # fmt: skip
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert "Kết quả truyền thông theo kênh tháng 10/2026" in paragraphs
    by_channel, by_commune = figures
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in by_channel.rows}
    assert rows["Livestream"][1:3] == ["2", "1.700"]
    assert "3.000.000" in rows["Livestream"]
    assert "Tất cả các kênh" in rows
    assert by_commune.rows[0].cells[0].text == "Xã/phường"
    sign_left, sign_right = (cell.text.strip().splitlines() for cell in signatures.rows[0].cells)
    assert sign_left[0] == "NGƯỜI LẬP"
    assert sign_right[0] == "THỦ TRƯỞNG ĐƠN VỊ"
