"""Which of the file's columns was read as what: the preview names each field by the file's header.

The reader finds columns by many spellings ("HO_TEN", "Họ tên người tham gia", …), so the app's
own label alone does not tell the user which of their columns it took. ``columns_read`` pairs
each field read with the header as the file writes it; a workbook read sheet by sheet may write
a header differently on each sheet, and then each spelling names its sheets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.sheets.headers import Column
from app.sheets.reader import Table


@dataclass(frozen=True)
class HeaderRead:
    """One header text of a field; ``sheets`` names where, when not every sheet read has it."""

    text: str
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnRead:
    """A field of the spec and the file's header(s) it was read under."""

    name: str
    label: str  # English msgid, translated where shown
    headers: tuple[HeaderRead, ...]

    @property
    def header(self) -> str | None:
        """The one header text when the field has a single spelling everywhere."""
        return self.headers[0].text if len(self.headers) == 1 else None


def columns_read(table: Table, columns: Sequence[Column]) -> list[ColumnRead]:
    """The fields found in the file, in the spec's order, each with the header(s) it was read
    under; fields the file lacks are left out (``columns_missing`` names them)."""
    sheets = table.sheets if len(table.sheets) > 1 else []
    read: list[ColumnRead] = []
    for column in columns:
        if not sheets:
            if column.name in table.headers:
                header = HeaderRead(table.headers[column.name])
                read.append(ColumnRead(column.name, column.label, (header,)))
            continue
        by_text: dict[str, list[str]] = {}
        for sheet in sheets:
            if column.name in sheet.headers:
                by_text.setdefault(sheet.headers[column.name], []).append(sheet.name)
        if not by_text:
            continue
        everywhere = len(by_text) == 1 and len(next(iter(by_text.values()))) == len(sheets)
        headers = tuple(
            HeaderRead(text, () if everywhere else tuple(names)) for text, names in by_text.items()
        )
        read.append(ColumnRead(column.name, column.label, headers))
    return read


def columns_missing(table: Table, columns: Sequence[Column]) -> list[Column]:
    """The spec's fields no sheet read has: their values are simply not in the file."""
    found = set(table.headers)
    for sheet in table.sheets:
        found |= set(sheet.headers)
    return [c for c in columns if c.name not in found]
