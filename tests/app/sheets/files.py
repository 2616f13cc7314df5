"""Building real attendee files for the tests: XLSX through openpyxl, CSV in each encoding."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

HEADER = ["STT", "Họ và tên", "Năm sinh", "Số điện thoại", "Số CCCD", "Thôn/Xóm"]
ROWS = [
    [1, "Nguyễn Thị Hoà", "1975", "0912345678", "040175001234", "Xóm 3"],
    [2, "Trần Văn Nam", "17/05/1980", "0987 654 321", "", "Thôn Đông"],
    [3, "Lê Thị Ánh Tuyết", "1990", "", "", "Xóm Trại"],
]

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# TCVN3 (ABC) byte of each Vietnamese lower-case letter; .VnTime fonts drew these glyphs.
_TCVN3 = dict(zip(
    "ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
    [0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD,
     0xBE, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4,
     0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7,
     0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7,
     0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE],
    strict=True,
))  # fmt: skip
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: base letters, tone marks as combining characters."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def to_tcvn3(text: str) -> bytes:
    """TCVN3 bytes (capitals with tones are written lower-case, as the ABC fonts did)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_UPPER:
            out.append(_TCVN3_UPPER[ch])
        elif ch.lower() in _TCVN3 and not ch.isascii():
            out.append(_TCVN3[ch.lower()])
        else:
            out += ch.encode("ascii")
    return bytes(out)


def csv_text(rows: Sequence[Sequence[Any]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[Any]], merge: Sequence[str] = (), title: str = "Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merge:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(
    sheets: dict[str, Sequence[Sequence[Any]]], states: Mapping[str, str] | None = None
) -> bytes:
    """A workbook of several sheets, in this order: sheet title → its rows. ``states``: the
    sheets the workbook hides, title → "hidden" or "veryHidden"."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.sheet_state = (states or {}).get(title, "visible")
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Workbooks written by hand, part by part: the smallest files openpyxl reads, and hostile ones.
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SML}.worksheet+xml"/>'
    "%s</Types>"
)
_STRINGS_TYPE = (
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SML}.sharedStrings+xml"/>'
)

_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_SML_NS}" '
    f'xmlns:r="{_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _cell(column: int, row: int, value: Any) -> str:
    ref = f"{get_column_letter(column)}{row}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Iterable[tuple[int, Sequence[Any]]], dimension: str = "") -> str:
    """A worksheet part: ``rows`` are (row number, values), numbers as written in the file."""
    parts = [f'{_XML}<worksheet xmlns="{_SML_NS}">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for number, values in rows:
        cells = "".join(_cell(i, number, v) for i, v in enumerate(values, 1) if v is not None)
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def raw_xlsx(sheet: str, strings: Iterable[bytes] | None = None) -> bytes:
    """A workbook of one sheet part, and a shared string written from ``strings`` chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml", _CONTENT_TYPES % (_STRINGS_TYPE if strings is not None else "")
        )
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings is not None:
            with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(f'{_XML}<sst xmlns="{_SML_NS}"><si><t>'.encode())
                for chunk in strings:
                    part.write(chunk)
                part.write(b"</t></si></sst>")
    return buffer.getvalue()


def far_row_xlsx() -> bytes:
    """~1.6 KB: a header, three people, and one cell on Excel's last row (1,048,576)."""
    rows = [(1, HEADER), *((n + 2, row) for n, row in enumerate(ROWS)), (1_048_576, ["x"])]
    return raw_xlsx(sheet_xml(rows, dimension="A1:F1048576"))


def zip_bomb_xlsx(unzipped_mb: int = 256) -> bytes:
    """A real sheet and one shared string of ``unzipped_mb`` MB, deflated a thousandfold."""
    rows = [(1, HEADER), *((n + 2, row) for n, row in enumerate(ROWS))]
    letters = (b"A" * (1 << 20) for _ in range(unzipped_mb))
    return raw_xlsx(sheet_xml(rows), strings=letters)


def many_rows_xlsx(count: int) -> bytes:
    """A sheet of ``count`` people (60,000 in the check-in case), written part by part."""
    people = (
        (n + 2, [n + 1, f"Người {n + 1}", 1970 + n % 40, "", "", "Xóm 1"]) for n in range(count)
    )
    return raw_xlsx(sheet_xml([(1, HEADER), *people]))
