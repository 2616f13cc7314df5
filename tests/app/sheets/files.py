"""Building real attendee files for the tests: XLSX through openpyxl, CSV in each encoding."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

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
