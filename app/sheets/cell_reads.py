"""A data row's cells read through their columns' parsers, each distinct value once per file.

An export repeats most of its values (a scheme, a commune, a payment date, an agent on thousands
of rows): checking each for an old font encoding and parsing it again was most of the reader's
time. What a value reads as, or the problem it has, depends on the value alone, so it is kept
for the file being read, up to a bound.

The one rule: a reading of a cell lives in the file's reader and dies with it, never in a
process-wide cache (the values are people's data); an importer's parser remembers nothing, and
what it compares cells with (words for a scheme or a gender) are constants of the code, written
folded, not readings.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from app.identity.encodings import looks_legacy
from app.sheets import cells
from app.sheets.headers import CellError, Column
from app.sheets.issues import ImportIssue, _l
from app.sheets.sources import RawCell

LEGACY_CELL = _l("Garbled text: typed in an old font encoding (TCVN3/ABC or VNI)?")
FORMULA = _l("Formulas are not allowed; paste the values instead.")
MAX_KEPT = 100_000  # distinct values kept per file: 300,000 rows of distinct names stay bounded


class CellRead(NamedTuple):
    value: Any  # what the row holds (None when refused)
    message: str | None = None  # why it was refused
    params: dict[str, Any] | None = None
    shown: str = ""  # the cell as the report shows it
    legacy: bool = False


class CellReader:
    """The parsers of ``columns``, remembering each (column, value)'s reading for one file."""

    def __init__(self, columns: dict[str, Column]) -> None:
        self.columns = columns
        self.kept: dict[tuple[str, type, Any], CellRead] = {}

    def row(
        self, number: int, picked: dict[str, RawCell], issues: list[ImportIssue],
        sheet: str | None = None,
    ) -> tuple[dict[str, Any], bool]:  # fmt: skip
        """The row's values by column, its problems added to ``issues``; whether it had a cell
        in an old font encoding."""
        parsed: dict[str, Any] = {}
        legacy = False
        for name, cell in picked.items():
            if cell.formula:
                shown = cells.text(cell.value)[:80]
                issues.append(ImportIssue(number, name, FORMULA, value=shown, sheet=sheet))
                parsed[name] = None
                continue
            key = (name, type(cell.value), cell.value)  # 1, 1.0 and True are equal keys
            read = self.kept.get(key)
            if read is None:
                read = self._read(self.columns[name], cell.value)
                if len(self.kept) < MAX_KEPT:
                    self.kept[key] = read
            parsed[name] = read.value
            if read.message is not None:
                issues.append(ImportIssue(number, name, read.message, read.params or {},
                                          read.shown, sheet))  # fmt: skip
                legacy = legacy or read.legacy
        return parsed, legacy

    @staticmethod
    def _read(column: Column, value: Any) -> CellRead:
        shown = cells.text(value)[:80]
        if isinstance(value, str) and looks_legacy(value):
            return CellRead(None, LEGACY_CELL, None, shown, legacy=True)
        try:
            return CellRead(column.parse(value) if column.parse else cells.text(value))
        except CellError as exc:
            return CellRead(None, exc.message, exc.params, shown)
