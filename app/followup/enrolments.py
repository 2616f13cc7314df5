"""Enrolment exports (BHXH tự nguyện / BHYT hộ gia đình) into the enrolments table.

``preview_enrolments`` reads the file with the generic reader and checks every row, writing
nothing; ``commit_enrolments`` then writes all rows or none. Each row keeps its source reference
(file, row, the source's own record number). A row is identified by a hash of its normalised
content, so the same enrolment in two files — or the same file imported twice — is stored once.
Renewals are kept (they tell who was already enrolled) but never count as conversions.
Communes are placed by the resolver every import uses (app.sheets.communes): 2025 or pre-2025,
code or name; an old commune split between several is the user's choice, or stays unplaced.

An export may carry each person's answer to the purpose text (``consent``, and the date of the
answer, else the payment date: the declaration is signed when paying); it is recorded with the
version the import names (app.consent), and a "Không" is never linked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.attendance.rows import BAD_CCCD, BAD_PHONE, NAME_REQUIRED
from app.consent import CURRENT
from app.extensions import db
from app.followup.enrolment_columns import ENROLMENT_COLUMNS
from app.identity.births import BirthPrecision, written_birth
from app.identity.phones import normalize_phone
from app.identity.text import fold
from app.models import Enrolment, ImportBatch, OrgKind, OrgUnit, Scheme, User
from app.scoping import subtree_ids
from app.sheets import cells
from app.sheets.communes import CommuneChoice, CommunePlacer, choice_key
from app.sheets.issues import FileRejected, ImportIssue, _l
from app.sheets.reader import Table, read_table
from app.timeparse import VN

KIND = "enrolments"
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 300_000
MAX_UNZIPPED = 500 * 1024 * 1024  # 300,000 rows of an export unpack to about 250 MB
FIRST_PAYMENT_YEAR = 2008  # BHXH tự nguyện began on 1 January 2008

BAD_DATE = _l("Write the payment date as dd/mm/yyyy.")
FUTURE_DATE = _l("The payment date is in the future or before 2008.")
BAD_BIRTH = _l("Write the year (1975) or the date (17/05/1975).")
BAD_SCHEME = _l("Unknown scheme: write BHXH tự nguyện or BHYT hộ gia đình.")
BAD_KIND = _l("Write Tham gia mới or Gia hạn.")
BAD_BHXH = _l("A BHXH code has 10 digits (or the 12-digit personal id).")
BAD_GENDER = _l("Write Nam or Nữ.")
DUPLICATE = _l("The same enrolment as row %(row)s.")
FOREIGN_COMMUNE = _l("This commune is not in your unit: import only your unit's enrolments.")
REJECTED = _l("The file has problems; nothing was imported.")

SCHEMES = {
    Scheme.BHXH_TU_NGUYEN: ("bhxh tu nguyen", "bhxh tn", "tu nguyen", "bhxhtn"),
    Scheme.BHYT_HO_GIA_DINH: ("bhyt ho gia dinh", "ho gia dinh", "bhyt hgd", "hgd"),
}
NEW_WORDS = ("tham gia moi", "moi", "tang moi", "dang ky moi", "new")
RENEWAL_WORDS = ("gia han", "tiep tuc", "dong tiep", "tai tuc", "dao han", "renewal")
GENDERS = {"nam": "male", "nu": "female", "male": "male", "female": "female"}
COLUMN_ORDER = {c.name: i for i, c in enumerate(ENROLMENT_COLUMNS)}  # a row's issues, left to right


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

    def row_key(self) -> str:
        parts = (fold(self.full_name), self.birth or "", self.cccd or "", self.bhxh_code or "",
                 self.phone or "", self.scheme.value, str(self.is_new), self.paid_on.isoformat(),
                 str(self.amount_vnd or ""), self.source_ref or "")  # fmt: skip
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass
class EnrolmentPreview:
    table: Table
    rows: list[EnrolmentRow]
    issues: list[ImportIssue]
    already: ImportBatch | None = None
    unplaced: int = 0  # rows whose commune was not found (kept as text)
    counts: dict[str, int] = field(default_factory=dict)
    choices: list[CommuneChoice] = field(default_factory=list)  # communes the user may choose

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def rows_with_problems(self) -> int:
        """Rows named by an issue: every row read is either ready (``rows``) or counted here."""
        return len({i.row for i in self.issues if i.row is not None})


class _Communes(CommunePlacer):
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

    def resolve(self, text: str) -> int | None:
        placed = self.place(text)
        return placed.unit.id if placed.unit is not None else None

    def foreign(self, text: str) -> bool:
        """A commune of another unit: its enrolments are not this office's to import."""
        placed = self.place(text)
        if placed.unit is not None:
            return self.inside is not None and placed.unit.id not in self.inside
        return placed.status == "outside"


def _choice(text: str, words: tuple[str, ...]) -> bool:
    folded = " ".join(fold(text).replace("-", " ").split())
    return any(folded == w or folded.startswith(w + " ") or f" {w}" in f" {folded}" for w in words)


def check_row(
    number: int, values: dict[str, Any], communes: _Communes, today: date
) -> tuple[EnrolmentRow | None, list[ImportIssue]]:
    """The row, or every problem found in it, each naming the row and the column."""
    issues: list[ImportIssue] = []

    def bad(column: str, message: str, value: Any = "") -> None:
        issues.append(ImportIssue(number, column, message, value=cells.text(value)))

    name = " ".join(cells.text(values.get("name")).split())
    if not name:
        bad("name", NAME_REQUIRED)
    paid_text = cells.text(values.get("paid_on"))
    paid = written_birth(paid_text) if paid_text else None  # a date, read as dates of birth are
    paid_on: date | None = None
    if paid is None or paid.precision != BirthPrecision.DAY:
        bad("paid_on", BAD_DATE, paid_text)
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
    phone = normalize_phone(phone_text) if phone_text else None
    if phone_text and phone is None:
        bad("phone", BAD_PHONE, phone_text)
    gender_text = fold(cells.text(values.get("gender")))
    gender = GENDERS.get(gender_text) if gender_text else None
    if gender_text and gender is None:
        bad("gender", BAD_GENDER, values.get("gender"))
    commune_text = cells.text(values.get("commune"))[:200]
    if commune_text and communes.foreign(commune_text):
        bad("commune", FOREIGN_COMMUNE, commune_text)
    answered_text = cells.text(values.get("consent_on"))
    answered = written_birth(answered_text) if answered_text else None  # a date, like paid_on
    if answered_text and (answered is None or answered.precision != BirthPrecision.DAY):
        bad("consent_on", BAD_DATE, answered_text)
    if issues:
        return None, issues
    assert paid_on is not None
    assert scheme is not None
    assert is_new is not None
    return EnrolmentRow(
        number=number,
        full_name=name[:200],
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
    ), []


def preview_enrolments(
    data: bytes,
    filename: str,
    *,
    unit: OrgUnit | None = None,
    today: date | None = None,
    choices: dict[str, str] | None = None,
) -> EnrolmentPreview:
    """Read and check the export; writes nothing. Raises FileRejected for an unreadable file.

    ``choices``: the user's answers to the preview's communes to choose (key → commune code).
    """
    today = today or datetime.now(VN).date()
    table = read_table(data, filename, ENROLMENT_COLUMNS, max_bytes=MAX_BYTES, max_rows=MAX_ROWS,
                       max_unzipped=MAX_UNZIPPED)  # fmt: skip
    communes = _Communes(unit, choices)
    issues = list(table.issues)
    # A cell the reader refused (a formula, an unreadable amount) is not checked again, but the
    # rest of its row is: the user sees every problem of the row at once.
    refused: dict[int | None, set[str]] = {}
    for issue in table.issues:
        refused.setdefault(issue.row, set()).add(issue.field)
    rows: list[EnrolmentRow] = []
    seen: dict[str, int] = {}
    for sheet_row in table.rows:
        skip = refused.get(sheet_row.number, set())
        row, row_issues = check_row(sheet_row.number, sheet_row.values, communes, today)
        issues.extend(i for i in row_issues if i.field not in skip)
        if row is None or skip:
            continue
        key = row.row_key()
        if key in seen:
            issues.append(ImportIssue(row.number, "", DUPLICATE, {"row": seen[key]}))
            continue
        seen[key] = row.number
        rows.append(row)
    issues.sort(key=lambda i: (i.row or 0, COLUMN_ORDER.get(i.field, len(COLUMN_ORDER))))
    already = db.session.scalar(
        select(ImportBatch).where(ImportBatch.kind == KIND, ImportBatch.sha256 == table.sha256)
    )
    choosing = {c.key: c for c in communes.choices}
    for r in rows:  # the rows of each choice, as the preview lists them
        if r.commune_text and (choice := choosing.get(choice_key(r.commune_text))):
            choice.rows.append(r.number)
    waiting = {n for c in choosing.values() if c.chosen is None for n in c.rows}
    counts = {
        "new": sum(r.is_new for r in rows),
        "renewals": sum(not r.is_new for r in rows),
        "unplaced": sum(1 for r in rows if r.commune_text and r.commune_id is None) - len(waiting),
        "to_choose": len(waiting),
    }
    return EnrolmentPreview(table, rows, issues, already, counts["unplaced"], counts,
                            communes.choices)  # fmt: skip


@dataclass(frozen=True)
class EnrolmentImport:
    batch: ImportBatch
    created: bool  # False: this very file was imported before; nothing written
    inserted: int
    already_stored: int  # rows another file had brought already


def commit_enrolments(
    preview: EnrolmentPreview,
    *,
    user: User | None,
    unit: OrgUnit | None,
    now: datetime,
    consent_version: str = CURRENT,
) -> EnrolmentImport:
    """Write every row or none, in the caller's transaction (the caller commits).

    ``consent_version``: the purpose text the export's answers refer to.
    """
    if preview.already is not None:
        return EnrolmentImport(preview.already, False, 0, 0)
    if preview.issues:
        raise FileRejected([ImportIssue(None, "", REJECTED), *preview.issues])
    table = preview.table
    batch = ImportBatch(kind=KIND, filename=table.filename[:300], sha256=table.sha256,
                        org_unit_id=unit.id if unit else None, rows_total=len(preview.rows),
                        rows_ok=len(preview.rows), rows_rejected=0,
                        report={"format": table.kind, "encoding": table.encoding,
                                "sheet": table.sheet, "header_row": table.header_row,
                                "columns": table.headers, **preview.counts},
                        created_by_id=user.id if user else None, created_at=now)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    keys = {r.row_key(): r for r in preview.rows}
    stored: set[str] = set()
    key_list = list(keys)
    for start in range(0, len(key_list), 500):
        chunk = key_list[start : start + 500]
        stored.update(
            db.session.scalars(select(Enrolment.row_key).where(Enrolment.row_key.in_(chunk)))
        )
    fresh = [r for k, r in keys.items() if k not in stored]
    db.session.add_all(_enrolment(batch, row, unit, consent_version) for row in fresh)
    db.session.flush()
    from app import audit

    audit.record("enrolments.import", user, "import_batch", batch.id, rows=len(fresh),
                 already_stored=len(stored))  # fmt: skip
    return EnrolmentImport(batch, True, len(fresh), len(stored))


def _enrolment(
    batch: ImportBatch, row: EnrolmentRow, unit: OrgUnit | None, consent_version: str
) -> Enrolment:
    enrolment = Enrolment(
        import_batch_id=batch.id,
        source_row=row.number,
        source_ref=row.source_ref,
        row_key=row.row_key(),
        org_unit_id=unit.id if unit else None,
        commune_id=row.commune_id,
        commune_text=row.commune_text,
        full_name=row.full_name,
        name_folded=fold(row.full_name),
        gender=row.gender,
        birth_date=row.birth,
        birth_precision=row.birth_precision,
        birth_year=row.birth_year,
        scheme=row.scheme,
        is_new=row.is_new,
        household_ref=row.household_ref,
        paid_on=row.paid_on,
        amount_vnd=row.amount_vnd,
        payment_method=row.payment_method,
        agent_name=row.agent_name,
        consent_agreed=row.consent,
        consent_version=consent_version if row.consent is not None else None,
        consent_at=_day_start(row.consent_on or row.paid_on) if row.consent is not None else None,
    )
    enrolment.set_identifiers(phone=row.phone, cccd=row.cccd, bhxh_code=row.bhxh_code)
    return enrolment


def _day_start(day: date) -> datetime:
    """Midnight of that day in Vietnam: an answer dated by day only."""
    return datetime.combine(day, datetime.min.time(), VN)
