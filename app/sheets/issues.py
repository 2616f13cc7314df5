"""What an import reports: row-level issues and the file-level rejection, for every import.

Messages are English msgids (marked with ``_l`` for `make messages`) plus named parameters, so
the CLI prints English, pages translate when they render, and a stored report keeps no personal
data (the offending ``value`` is shown but never stored).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

VALUE = "%(value)s"  # in a message: where the offending value is written, when it is shown
__all__ = ["VALUE", "FileRejected", "ImportIssue", "_l", "count", "mb", "row_label"]


def _l(msgid: str) -> str:
    """Marks a message for `make messages`; it is translated where it is shown, not here."""
    return msgid


def mb(size: int) -> str:
    """A size in bytes as the messages show it: 52428800 → "50"."""
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def row_label(sheet: str | None, row: int) -> int | str:
    """A row as lists show it: its number, after its sheet's name in a file of several sheets."""
    return f"{sheet}: {row}" if sheet else row


def count(n: int) -> str:
    """1048576 → "1.048.576": row numbers and limits as the messages show them."""
    return f"{n:,}".replace(",", ".")


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``row`` is the spreadsheet's own row number (None: the whole file).

    ``sheet`` names the workbook sheet of the row when the file had several sheets read: row
    numbers are the sheet's own, so without it "row 5" could be any of them.
    """

    row: int | None
    field: str  # the column's name in the spec ("phone"), or "" for the file / whole row
    message: str  # English msgid, may hold %(name)s placeholders filled from params
    params: Mapping[str, Any] = field(default_factory=dict)
    value: str = ""  # the offending cell as written; personal data, never stored
    sheet: str | None = None

    @property
    def at(self) -> tuple[str, int] | None:
        """The row this issue is about, as ``SheetRow.at`` (None: the whole file)."""
        return None if self.row is None else (self.sheet or "", self.row)

    @property
    def inline(self) -> bool:
        """The message writes the value itself (``%(value)s``): it is not added after it."""
        return VALUE in self.message

    def text(self, translate: Any = None, shown: bool = True) -> str:
        """The message with its parameters, through ``translate`` (gettext) when given.

        A list parameter holds msgids (column labels): each is translated, then joined.
        ``shown``: an inline value is written (else "…": a stored report keeps no value).
        """
        params = {
            k: ", ".join(str(translate(m)) if translate else m for m in v)
            if isinstance(v, list | tuple)
            else v
            for k, v in self.params.items()
        }
        if self.inline:
            params["value"] = self.value if shown else "…"
        if translate is not None:
            return str(translate(self.message, **params))
        return self.message % params if params else self.message

    def localized(self) -> str:
        """The message in the request's language (for pages)."""
        from flask_babel import gettext

        return self.text(gettext)

    def line(self, translate: Any = None) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        if self.sheet and self.row is not None:
            where = f"sheet {self.sheet}, {where}"
        column = f", {self.field}" if self.field else ""
        shown = f" ({self.value})" if self.value and not self.inline else ""
        return f"{where}{column}: {self.text(translate)}{shown}"

    def stored(self) -> dict[str, Any]:
        """A JSON-safe form without the cell value."""
        stored = {"row": self.row, "field": self.field, "message": self.text(shown=False)}
        return {**stored, "sheet": self.sheet} if self.sheet else stored


class FileRejected(ValueError):
    """The file cannot be imported at all (size, format, encoding, columns, no rows)."""

    def __init__(self, issues: Iterable[ImportIssue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(i.line() for i in self.issues))

    @classmethod
    def one(cls, message: str, **params: Any) -> FileRejected:
        return cls([ImportIssue(None, "", message, params)])
