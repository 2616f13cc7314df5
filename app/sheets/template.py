"""Import templates: an XLSX with a title, a note, the headers the importer reads, and one row
filled in as an example, so an officer sees what each column expects before typing their own.

The headers are chosen among the aliases the importers recognise (app.sheets.headers), and the
example row passes their checks: the template with its example row imports as it is, which the
tests hold each template to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from app.exports import new_workbook, workbook_bytes

HEADER_ROW = 3
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")  # the pale yellow of "fill this in"


@dataclass(frozen=True)
class TemplateColumn:
    header: str  # one of the importer's aliases, as Vietnamese offices write it
    example: Any  # the example row's value (a date stays a date, shown dd/mm/yyyy)
    width: int = 16
    number_format: str | None = None  # "@" keeps phones' and ids' leading zeros


def template_workbook(
    sheet_title: str, title: str, note: str, columns: Sequence[TemplateColumn]
) -> bytes:
    """The XLSX: title (row 1), note (row 2), headers (row 3), the example row (row 4)."""
    book = new_workbook(title)
    sheet = book.active
    sheet.title = sheet_title[:31]
    last = len(columns)
    sheet.append([title])
    sheet.append([note])
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"].font = Font(italic=True)
    sheet.row_dimensions[2].height = 45
    sheet.append([c.header for c in columns])
    sheet.append([c.example for c in columns])
    thin = Side(style="thin")
    for index, column in enumerate(columns, start=1):
        head = sheet.cell(HEADER_ROW, index)
        head.font = Font(bold=True)
        head.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        example = sheet.cell(HEADER_ROW + 1, index)
        example.fill = EXAMPLE_FILL
        if column.number_format:
            example.number_format = column.number_format
        elif hasattr(column.example, "year"):
            example.number_format = "dd/mm/yyyy"
        for cell in (head, example):
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        sheet.column_dimensions[head.column_letter].width = column.width
        if column.number_format == "@":  # the rows officers add keep their leading zeros too
            for row in range(HEADER_ROW + 2, HEADER_ROW + 202):
                sheet.cell(row, index).number_format = "@"
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    return workbook_bytes(book)
