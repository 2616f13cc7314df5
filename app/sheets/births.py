"""A date of birth a sheet writes that is no date, kept as its year with a warning on its row.

Commune sheets write "00/00/1975", "31/02/1980", "15/13/1968", "năm 1970" or "khoảng 1965".
Refusing the row loses the person, and the linkage needs only their birth year; so when the
cell gives a plausible year (app.identity.births.year_in) the row is checked with the year alone
and a warning names the row, the column and what was kept. A cell that gives no year is left
to the row's checks, which refuse it as before. A warning never stops an import.
"""

from __future__ import annotations

import re
from datetime import date

from app.identity.births import written_birth, year_in
from app.sheets import cells
from app.sheets.issues import ImportIssue, _l
from app.sheets.reader import SheetRow, Table

FIELD = "birth"
# Written as a day or a month ("31/02/1980", "15/13/1968", "00/1975") that the calendar lacks.
NOT_A_DAY = _l("'%(value)s' is not a valid date; only the birth year %(year)s is kept")
# Words around a year ("năm 1970", "khoảng 1965"), or a year with something after it.
NOT_A_DATE = _l("'%(value)s' is not written as a date; only the birth year %(year)s is kept")
ROWS_NAMED = 20  # rows the message after an import names; the others are counted
_DATE_SHAPE = re.compile(r"\d{1,2}\s*[/.\-]\s*(?:\d{1,2}\s*[/.\-]\s*)?\d{4}")


def header_of(table: Table, sheet: str | None, field: str = FIELD) -> str:
    """The header the file writes over ``field`` (on ``sheet`` when several were read)."""
    for read in table.sheets:
        if read.name == sheet and field in read.headers:
            return read.headers[field]
    return table.headers.get(field, "")


def year_kept(
    row: SheetRow, table: Table, today: date | None = None
) -> tuple[str | None, ImportIssue | None]:
    """The year alone ("1980") to check instead of the row's birth cell, and its warning; or
    (None, None) when the cell is empty, a date, or gives no year."""
    written = cells.text(row.values.get(FIELD))
    if not written or written_birth(written) is not None:
        return None, None
    year = year_in(written, today=today)
    if year is None:
        return None, None
    message = NOT_A_DAY if _DATE_SHAPE.search(written) else NOT_A_DATE
    params = {"year": str(year), "header": header_of(table, row.sheet)}
    return str(year), ImportIssue(row.number, FIELD, message, params, written, row.sheet)


def year_only_message(rows: tuple[int | str, ...]) -> str:
    """The rows an import kept with the birth year alone, as the page says after it (in the
    request's language): the first ``ROWS_NAMED`` named, the rest counted, since a flashed
    message rides in the session cookie, which a browser drops past 4 KB (a 20,000-row export
    of year-only births named them all, and the page said nothing)."""
    from flask_babel import gettext, ngettext

    from app.formatting import fmt_number

    named = ", ".join(str(r) for r in rows[:ROWS_NAMED])
    if len(rows) > ROWS_NAMED:
        named = gettext("%(rows)s and %(more)s more", rows=named,
                        more=fmt_number(len(rows) - ROWS_NAMED))  # fmt: skip
    return ngettext("%(n)s row was kept with the birth year only: row %(rows)s.",
                    "%(n)s rows were kept with the birth year only: rows %(rows)s.",
                    len(rows), n=fmt_number(len(rows)), rows=named)  # fmt: skip
