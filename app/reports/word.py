"""The month's report as a Word document, since offices edit a report before signing it.

The same content as the printed page and the PDF: the letterhead (app.reports.letterhead), when
the figures were read and which enrolments they count, the tables by channel (with the
all-channels line, then the posts' reach added up in a line of its own) and by commune (the
screen's columns) from ``workbook.tables``, written as the PDF writes them (``pdf.cell_text``:
1.700, 12,5 %, dd/mm/yyyy), a commune's halls at events of the units above when it had any
(``month_parent``, beside the totals), then the signature block.
A4 landscape, Times New Roman as Vietnamese administrative documents use.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as WordTable

from app.reports import month_parent, month_section
from app.reports.facts import ChannelReport
from app.reports.letterhead import (
    Letterhead,
    cost_line,
    month_letterhead,
    office_name,
    planned_line,
    post_reach_line,
    taken_line,
)
from app.reports.parent_part import HallPart
from app.reports.pdf import (
    CARRIED,
    COMMUNE_COLUMNS,
    attribution_line,
    cell_text,
    hidden,
    screen_columns,
)
from app.reports.scope_words import enrolment_scope_line
from app.reports.still_live import live_line, of_report
from app.reports.workbook import Table, describe, tables
from app.timeparse import VN

FONT = "Times New Roman"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _paragraph(cell_or_doc: Any, text: str, *, bold: bool = False, italic: bool = False,
               size: float = 12, center: bool = True, underline: bool = False) -> Any:  # fmt: skip
    paragraph = cell_or_doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return paragraph


def keep_with_next(rows: Sequence[Any]) -> None:
    """Word keeps these table rows on the page of what follows them, each row whole: every
    paragraph of a row "keep with next", the row "cannot split" (no python-docx property)."""
    for row in rows:
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.keep_together = True


def _two_columns(document: Any) -> WordTable:
    grid = document.add_table(rows=1, cols=2)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell in grid.rows[0].cells:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return grid


def _letterhead(document: Any, head: Letterhead) -> None:
    left, right = _two_columns(document).rows[0].cells
    left.paragraphs[0].text = head.superior
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(left, head.unit, bold=True)
    _paragraph(left, head.number)
    right.paragraphs[0].add_run(head.nation).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(right, head.motto, bold=True, underline=True)
    _paragraph(right, head.place_and_date, italic=True)
    _paragraph(document, "")
    _paragraph(document, head.title, bold=True, size=14)
    _paragraph(document, head.subtitle, bold=True)


def _table(document: Any, heading: str, table: Table, note: str = "") -> WordTable:
    leave_out = hidden()
    keep = [i for i, c in enumerate(table.columns) if c.header not in leave_out]
    formats = [table.columns[i].number_format for i in keep]
    _paragraph(document, "")
    above = [_paragraph(document, heading, bold=True, center=False)]
    if note:  # what the section is not (its figures not in the totals above)
        above.append(_paragraph(document, note, italic=True, size=10, center=False))
    for paragraph in above:  # a heading never ends a page without its table
        paragraph.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(keep))
    grid.style = "Table Grid"
    for cell, i in zip(grid.rows[0].cells, keep, strict=True):
        cell.paragraphs[0].add_run(table.columns[i].header).bold = True
    for row in [*table.rows, *([table.totals] if table.totals is not None else [])]:
        cells = grid.add_row().cells
        for n, i in enumerate(keep):
            cells[n].text = cell_text(row[i], formats[n])
            if formats[n] not in ("", "@"):
                cells[n].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in grid.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    keep_with_next(grid.rows[:1])  # the column headings with the first row
    return grid


def _field_mark(kind: str) -> Any:
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    return mark


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in as they lay out."""
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    shown = OxmlElement("w:t")
    shown.text = "1"  # until the reader's Word works the field out
    run = paragraph.add_run()
    for part in (_field_mark("begin"), instruction, _field_mark("separate"), shown,
                 _field_mark("end")):  # fmt: skip
        run._r.append(part)


def _page_numbers(section: Any, title: str) -> None:
    """The PDF's foot on every page: the report's title and "Trang x/y", on the right."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(f"{title} — Trang ")
    _field(paragraph, "PAGE")
    paragraph.add_run("/")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _signatures(document: Any, head: Letterhead, last: Any) -> None:
    """The signature block, kept on one page with what comes last before it (``last``: the last
    table, whose last ``CARRIED`` rows go over with it, or a paragraph), as in the PDF."""
    if isinstance(last, WordTable):
        keep_with_next(last.rows[-CARRIED:])
    else:
        last.paragraph_format.keep_with_next = True
    _paragraph(document, "").paragraph_format.keep_with_next = True
    grid = _two_columns(document)
    for cell, signer in zip(grid.rows[0].cells, head.signers, strict=True):
        cell.paragraphs[0].add_run(signer.role).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(cell, signer.hint, italic=True, size=11)
        for _ in range(4):  # room to sign (and for the seal)
            _paragraph(cell, "")
    keep_with_next(grid.rows)  # the block whole (the row cannot split)


def month_docx(
    report: ChannelReport, period: str, number: str | None = None, *, halls: Sequence[HallPart]
) -> bytes:
    """The month's report as .docx bytes; ``number`` fills the "Số: …" line; ``halls``, a
    commune's at events of the units above, make a section of their own after the communes."""
    head = month_letterhead(report, period, datetime.now(VN).date(), number)
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    # The file's properties, as the PDF's: the title line, made by the office (not "python-docx").
    properties = document.core_properties
    properties.title = describe(report)
    properties.author = properties.last_modified_by = office_name(report.filter.unit)
    _page_numbers(section, describe(report))
    _letterhead(document, head)
    f = report.filter
    _paragraph(document, f"{describe(report)} · {attribution_line(report)}", italic=True, size=10)
    _paragraph(document, taken_line(report), italic=True, size=10)
    _paragraph(document, enrolment_scope_line(f.scheme), italic=True, size=10)
    by_channel, _, by_commune, _ = tables(report)
    _table(document, "Theo kênh", by_channel)  # its all-channels line (``totals_row``) last
    lines = (live_line(of_report(report)), planned_line(report), cost_line(report),
             post_reach_line(report))  # fmt: skip
    for line in lines:
        if line:
            _paragraph(document, line, italic=True, size=10)
    if by_commune.rows:
        last = _table(document, "Theo xã/phường", screen_columns(by_commune, COMMUNE_COLUMNS))
    else:  # the page's sentence, not a table of headers alone
        _paragraph(document, "")
        heading = _paragraph(document, "Theo xã/phường", bold=True, center=False)
        heading.paragraph_format.keep_with_next = True
        empty = month_parent.communes_empty_words(list(halls))
        last = _paragraph(document, empty, italic=True, size=10, center=False)
    if halls:
        part = month_parent.document_table(list(halls))
        last = _table(document, part.name, part, part.note)
    livestreams = month_section.pdf_table(f)
    if livestreams.rows:
        last = _table(document, livestreams.name, livestreams)
    _signatures(document, head, last)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
