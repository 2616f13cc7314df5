"""One row of an enrolment export, checked: every problem of the row at once, or the row.

Kept apart from the import itself (app.followup.enrolments) so each stays small: this module
knows what a valid enrolment row is, that one knows files, sheets, duplicates and batches.
The cells whose reading is work (phone, scheme, kind, gender, commune) are read once per file
by the reader (app.followup.enrolment_cells); this module checks what depends on the row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from app.attendance.rows import BAD_CCCD, NAME_REQUIRED
from app.followup.enrolment_cells import NO_COMMUNE
from app.identity.births import BirthPrecision, written_birth
from app.identity.names import written_name
from app.identity.text import NAME_CHARS, fit, fold
from app.models import Scheme
from app.sheets import cells
from app.sheets.issues import ImportIssue, _l
from app.sheets.reader import SheetRow

FIRST_PAYMENT_YEAR = 2008  # BHXH tự nguyện began on 1 January 2008

BAD_DATE = _l("Write the payment date as dd/mm/yyyy.")
BAD_CONSENT_DATE = _l("Write the consent date as dd/mm/yyyy.")
# Written as dd/mm/yyyy, but no calendar has it (31/02, 31/04, 29/02 of a common year, 00/03).
NO_SUCH_DAY = _l("There is no such day: check the day and the month.")
FUTURE_DATE = _l("The payment date is in the future or before 2008.")
BAD_BIRTH = _l("Write the year (1975) or the date (17/05/1975).")
BAD_BHXH = _l("A BHXH code has 10 digits (or the 12-digit personal id).")


@dataclass(frozen=True)
class EnrolmentRow:
    number: int
    full_name: str
    birth: str | None
    birth_precision: BirthPrecision | None
    birth_year: int | None
    gender: str | None
    cccd: str | None
    bhxh_code: str | None
    phone: str | None
    commune_text: str
    commune_id: int | None
    scheme: Scheme
    is_new: bool
    paid_on: date
    amount_vnd: int | None
    payment_method: str
    agent_name: str
    source_ref: str | None
    household_ref: str | None
    consent: bool | None = None  # the person's answer; None: the export does not say
    consent_on: date | None = None
    sheet: str | None = None  # the workbook's sheet, named when several sheets were read

    @property
    def at(self) -> tuple[str, int]:
        """The row's identity in the file (``SheetRow.at``): numbers repeat between sheets."""
        return (self.sheet or "", self.number)

    @cached_property
    def row_key(self) -> str:
        """The enrolment's identity across files, worked out once per row (a hash of its content):
        the preview's duplicates and the import's rows already stored both ask for it."""
        parts = (fold(self.full_name), self.birth or "", self.cccd or "", self.bhxh_code or "",
                 self.phone or "", self.scheme.value, str(self.is_new), self.paid_on.isoformat(),
                 str(self.amount_vnd or ""), self.source_ref or "")  # fmt: skip
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


_DAY_SHAPE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def _unread_day(text: str, otherwise: str) -> str:
    """Why a date cell was not read: a day the calendar lacks, or else ``otherwise``."""
    shape = _DAY_SHAPE.fullmatch(text)
    if shape and int(shape.group(1)) <= 31 and int(shape.group(2)) <= 12:
        return NO_SUCH_DAY
    return otherwise


def check_row(source: SheetRow, today: date) -> tuple[EnrolmentRow | None, list[ImportIssue]]:
    """The row, or every problem found in it, each naming the row, its sheet and the column.

    The phone, scheme, kind, gender and commune come read (app.followup.enrolment_cells): a
    cell refused there is the reader's issue, and reaches this function as None.
    """
    issues: list[ImportIssue] = []
    number, values, sheet = source.number, source.values, source.sheet

    def bad(column: str, message: str, value: Any = "") -> None:
        issues.append(ImportIssue(number, column, message, value=cells.text(value), sheet=sheet))

    name = written_name(cells.text(values.get("name")))  # "NGUYỄN THỊ HOA" → "Nguyễn Thị Hoa"
    if not name:
        bad("name", NAME_REQUIRED)
    paid_text = cells.text(values.get("paid_on"))
    paid = written_birth(paid_text) if paid_text else None  # a date, read as dates of birth are
    paid_on: date | None = None
    if paid is None or paid.precision != BirthPrecision.DAY:
        bad("paid_on", _unread_day(paid_text, BAD_DATE), paid_text)
    else:
        paid_on = date.fromisoformat(paid.text)
        if paid_on.year < FIRST_PAYMENT_YEAR or paid_on > today + timedelta(days=1):
            bad("paid_on", FUTURE_DATE, paid_text)
    birth_text = cells.text(values.get("birth"))
    birth = written_birth(birth_text) if birth_text else None
    if birth_text and (birth is None or not 1900 <= birth.year <= today.year):
        bad("birth", BAD_BIRTH, birth_text)
    scheme, is_new = values.get("scheme"), values.get("kind")
    cccd = "".join(c for c in cells.text(values.get("cccd")) if c.isdigit()) or None
    if values.get("cccd") and (cccd is None or len(cccd) != 12):
        bad("cccd", BAD_CCCD, values.get("cccd"))
    bhxh = "".join(c for c in cells.text(values.get("bhxh_code")) if c.isdigit()) or None
    if bhxh is not None and len(bhxh) == 12:  # newer exports put the personal id here
        cccd, bhxh = cccd or bhxh, None
    elif values.get("bhxh_code") and (bhxh is None or len(bhxh) != 10):
        bad("bhxh_code", BAD_BHXH, values.get("bhxh_code"))
    commune = values.get("commune") or NO_COMMUNE
    answered_text = cells.text(values.get("consent_on"))
    answered = written_birth(answered_text) if answered_text else None  # a date, like paid_on
    if answered_text and (answered is None or answered.precision != BirthPrecision.DAY):
        bad("consent_on", _unread_day(answered_text, BAD_CONSENT_DATE), answered_text)
    if issues or scheme is None or is_new is None:  # None: refused by the reader, named there
        return None, issues
    assert paid_on is not None
    return EnrolmentRow(
        number=number,
        full_name=fit(name, NAME_CHARS),
        birth=birth.text if birth else None,
        birth_precision=birth.precision if birth else None,
        birth_year=birth.year if birth else None,
        gender=values.get("gender"),
        cccd=cccd,
        bhxh_code=bhxh,
        phone=values.get("phone"),
        commune_text=commune.text,
        commune_id=commune.unit_id,
        scheme=scheme,
        is_new=is_new,
        paid_on=paid_on,
        amount_vnd=values.get("amount"),
        payment_method=cells.text(values.get("method"))[:80],
        agent_name=cells.text(values.get("agent"))[:200],
        source_ref=cells.text(values.get("source_id"))[:120] or None,
        household_ref=cells.text(values.get("household"))[:120] or None,
        consent=values.get("consent"),
        consent_on=date.fromisoformat(answered.text) if answered else None,
        sheet=sheet,
    ), []
