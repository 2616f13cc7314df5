"""The upward report's header and signature block drawn in a PDF (app.reports.letterhead).

Two columns across the page: superior and unit with the number under them on the left, the
national motto with place and date on the right; then the centred title. At the foot, "Người
lập" left and "Thủ trưởng đơn vị" right, with room to sign, kept together on one page.
"""

from __future__ import annotations

from fpdf import FPDF

from app.reports.letterhead import Letterhead

SIGN_SPACE = 24  # mm left blank under each signer for the signature (and the seal)
# The height the block needs below the content: role and hint over the room to sign. The content
# keeps its last rows on the signatures' page (``pdf.draw_section``'s ``keep_with``).
SIGNATURES_HEIGHT = 12 + SIGN_SPACE


def _rule(pdf: FPDF, x: float, width: float) -> None:
    y = pdf.get_y() + 0.5
    pdf.line(x + width * 0.35, y, x + width * 0.65, y)
    pdf.set_y(y + 1.5)


def draw_letterhead(pdf: FPDF, family: str, head: Letterhead) -> None:
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    left, right, top = pdf.l_margin, pdf.l_margin + half, pdf.get_y()
    pdf.set_font(family, size=10)
    pdf.set_xy(left, top)
    pdf.cell(half, 5, head.superior, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(family, "B", 10)
    pdf.cell(half, 5, head.unit, align="C", new_x="LEFT", new_y="NEXT")
    _rule(pdf, left, half)
    pdf.set_font(family, size=10)
    pdf.set_x(left)
    pdf.cell(half, 5, head.number, align="C", new_x="LEFT", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_xy(right, top)
    pdf.set_font(family, "B", 10)
    pdf.cell(half, 5, head.nation, align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(half, 5, head.motto, align="C", new_x="LEFT", new_y="NEXT")
    _rule(pdf, right, half)
    pdf.set_font(family, size=10)
    pdf.set_x(right)
    pdf.cell(half, 5, head.place_and_date, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(left, max(bottom, pdf.get_y()) + 4)
    pdf.set_font(family, "B", 13)
    pdf.cell(0, 7, head.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 11)
    pdf.multi_cell(0, 6, head.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def draw_signatures(pdf: FPDF, family: str, head: Letterhead) -> None:
    if pdf.get_y() + SIGNATURES_HEIGHT > pdf.h - pdf.b_margin:  # the caller keeps content with it
        pdf.add_page()
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y() + 4
    for index, signer in enumerate(head.signers):
        x = pdf.l_margin + index * half
        pdf.set_xy(x, top)
        pdf.set_font(family, "B", 10)
        pdf.cell(half, 5, signer.role, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(family, size=8.5)
        pdf.cell(half, 5, signer.hint, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_y(top + 10 + SIGN_SPACE)
