"""One row of an enrolment export, checked: every problem of the row at once, or the row.

Kept apart from the import itself (app.followup.enrolments) so each stays small: this module
knows what a valid enrolment row is, that one knows files, sheets, duplicates and batches.
A row's communes are placed within the importing unit; another unit's commune is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from app.attendance.rows import BAD_CCCD, BAD_PHONE, NAME_REQUIRED
from app.extensions import db
from app.identity.births import BirthPrecision, written_birth
from app.identity.names import written_name
from app.identity.phones import normalize_phone
from app.identity.text import NAME_CHARS, fit, fold
from app.models import OrgKind, OrgUnit, Scheme
from app.scoping import subtree_ids
from app.sheets import cells
from app.sheets.communes import CommunePlacer, Placed
from app.sheets.issues import ImportIssue, _l
from app.sheets.reader import SheetRow

FIRST_PAYMENT_YEAR = 2008  # BHXH tự nguyện began on 1 January 2008

BAD_DATE = _l("Write the payment date as dd/mm/yyyy.")
BAD_CONSENT_DATE = _l("Write the consent date as dd/mm/yyyy.")
# Written as dd/mm/yyyy, but no calendar has it (31/02, 31/04, 29/02 of a common year, 00/03).
NO_SUCH_DAY = _l("There is no such day: check the day and the month.")
FUTURE_DATE = _l("The payment date is in the future or before 2008.")
BAD_BIRTH = _l("Write the year (1975) or the date (17/05/1975).")
BAD_SCHEME = _l("Unknown scheme: write BHXH tự nguyện or BHYT hộ gia đình.")
BAD_KIND = _l("Write Tham gia mới or Gia hạn.")
BAD_BHXH = _l("A BHXH code has 10 digits (or the 12-digit personal id).")
BAD_GENDER = _l("Write Nam or Nữ.")
FOREIGN_COMMUNE = _l("This commune is not in your unit: import only your unit's enrolments.")

SCHEMES = {
    Scheme.BHXH_TU_NGUYEN: ("bhxh tu nguyen", "bhxh tn", "tu nguyen", "bhxhtn"),
    Scheme.BHYT_HO_GIA_DINH: ("bhyt ho gia dinh", "ho gia dinh", "bhyt hgd", "hgd"),
}
NEW_WORDS = ("tham gia moi", "moi", "tang moi", "dang ky moi", "new")
RENEWAL_WORDS = ("gia han", "tiep tuc", "dong tiep", "tai tuc", "dao han", "renewal")
GENDERS = {"nam": "male", "nu": "female", "male": "male", "female": "female"}


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

    def row_key(self) -> str:
        parts = (fold(self.full_name), self.birth or "", self.cccd or "", self.bhxh_code or "",
                 self.phone or "", self.scheme.value, str(self.is_new), self.paid_on.isoformat(),
                 str(self.amount_vnd or ""), self.source_ref or "")  # fmt: skip
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class EnrolmentCommunes(CommunePlacer):
    """Communes within the importing unit; a code or name of another unit is named as such.

    Enrolments are linked only to people of the importing unit (app.followup.link_scope), so a
    row of another unit's commune is refused rather than imported where nobody can use it.
    """

    def __init__(self, unit: OrgUnit | None, chosen: dict[str, str] | None = None) -> None:
        units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.COMMUNE)))
        inside = set(db.session.scalars(subtree_ids(unit))) if unit is not None else None
        self.inside = inside
        within = [u for u in units if inside is None or u.id in inside]
        super().__init__(within, anywhere=units, chosen=chosen)
        self._placed: dict[str, Placed] = {}

    def placed(self, text: str) -> Placed:
        """``place`` once per text: thousands of rows share a few hundred communes."""
        if (found := self._placed.get(text)) is None:
            found = self._placed[text] = self.place(text)
        return found

    def resolve(self, text: str) -> int | None:
        placed = self.placed(text)
        return placed.unit.id if placed.unit is not None else None

    def foreign(self, text: str) -> bool:
        """A commune of another unit: its enrolments are not this office's to import."""
        placed = self.placed(text)
        if placed.unit is not None:
            return self.inside is not None and placed.unit.id not in self.inside
        return placed.status == "outside"


_DAY_SHAPE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def _unread_day(text: str, otherwise: str) -> str:
    """Why a date cell was not read: a day the calendar lacks, or else ``otherwise``."""
    shape = _DAY_SHAPE.fullmatch(text)
    if shape and int(shape.group(1)) <= 31 and int(shape.group(2)) <= 12:
        return NO_SUCH_DAY
    return otherwise


@lru_cache(maxsize=1024)  # a scheme or kind is one of a few spellings per file
def _choice(text: str, words: tuple[str, ...]) -> bool:
    folded = " ".join(fold(text).replace("-", " ").split())
    return any(folded == w or folded.startswith(w + " ") or f" {w}" in f" {folded}" for w in words)


def _phone(text: str, read: dict[str, str | None]) -> str | None:
    """``text`` as E.164, looked up in (or added to) the file's phones read so far."""
    if text not in read:
        read[text] = normalize_phone(text)
    return read[text]


@lru_cache(maxsize=256)
def _folded(text: str) -> str:
    """A gender cell folded once per spelling ("Nam", "Nữ", "NỮ"), not once per row."""
    return fold(text)


def _written(text: str) -> str:
    """A placeholder ("-", "—", "…") writes no commune: it is not a misspelt one to look for."""
    return text if any(c.isalnum() for c in text) else ""


def check_row(
    source: SheetRow,
    communes: EnrolmentCommunes,
    today: date,
    phones: dict[str, str | None] | None = None,
) -> tuple[EnrolmentRow | None, list[ImportIssue]]:
    """The row, or every problem found in it, each naming the row, its sheet and the column.

    ``phones``: the file's phones read so far (as written → E.164 or None), so each distinct
    one is read once — a household's members share one, an agent's number recurs.
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
    scheme_text = cells.text(values.get("scheme"))
    scheme = next((s for s, words in SCHEMES.items() if _choice(scheme_text, words)), None)
    if scheme is None:
        bad("scheme", BAD_SCHEME, scheme_text)
    kind_text = cells.text(values.get("kind"))
    is_new: bool | None = None
    if _choice(kind_text, RENEWAL_WORDS):
        is_new = False
    elif _choice(kind_text, NEW_WORDS):
        is_new = True
    if is_new is None:
        bad("kind", BAD_KIND, kind_text)
    cccd = "".join(c for c in cells.text(values.get("cccd")) if c.isdigit()) or None
    if values.get("cccd") and (cccd is None or len(cccd) != 12):
        bad("cccd", BAD_CCCD, values.get("cccd"))
    bhxh = "".join(c for c in cells.text(values.get("bhxh_code")) if c.isdigit()) or None
    if bhxh is not None and len(bhxh) == 12:  # newer exports put the personal id here
        cccd, bhxh = cccd or bhxh, None
    elif values.get("bhxh_code") and (bhxh is None or len(bhxh) != 10):
        bad("bhxh_code", BAD_BHXH, values.get("bhxh_code"))
    phone_text = cells.text(values.get("phone"))
    phone = _phone(phone_text, {} if phones is None else phones) if phone_text else None
    if phone_text and phone is None:
        bad("phone", BAD_PHONE, phone_text)
    gender_text = _folded(cells.text(values.get("gender")))
    gender = GENDERS.get(gender_text) if gender_text else None
    if gender_text and gender is None:
        bad("gender", BAD_GENDER, values.get("gender"))
    commune_text = _written(cells.text(values.get("commune")))[:200]
    if commune_text and communes.foreign(commune_text):
        bad("commune", FOREIGN_COMMUNE, commune_text)
    answered_text = cells.text(values.get("consent_on"))
    answered = written_birth(answered_text) if answered_text else None  # a date, like paid_on
    if answered_text and (answered is None or answered.precision != BirthPrecision.DAY):
        bad("consent_on", _unread_day(answered_text, BAD_CONSENT_DATE), answered_text)
    if issues:
        return None, issues
    assert paid_on is not None
    assert scheme is not None
    assert is_new is not None
    return EnrolmentRow(
        number=number,
        full_name=fit(name, NAME_CHARS),
        birth=birth.text if birth else None,
        birth_precision=birth.precision if birth else None,
        birth_year=birth.year if birth else None,
        gender=gender,
        cccd=cccd,
        bhxh_code=bhxh,
        phone=phone,
        commune_text=commune_text,
        commune_id=communes.resolve(commune_text) if commune_text else None,
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
