"""Enrolment exports (BHXH tự nguyện / BHYT hộ gia đình) into the enrolments table.

``preview_enrolments`` reads the file with the generic reader and checks every row, writing
nothing; ``commit_enrolments`` then writes all rows or none. Every sheet of a workbook whose
header has the columns is read (one sheet per month or per scheme), and a sheet left unread is
named. Each row keeps its source reference (file, sheet when several were read, row, the
source's own record number). A row is identified by a hash of its normalised
content, so the same enrolment in two files — or the same file imported twice — is stored once.
Renewals are kept (they tell who was already enrolled) but never count as conversions.
Communes are placed by the resolver every import uses (app.sheets.communes): 2025 or pre-2025,
code or name; an old commune split between several is the user's choice, or stays unplaced.

An export may carry each person's answer to the purpose text (``consent``, and the date of the
answer, else the payment date: the declaration is signed when paying); it is recorded with the
version the import names (app.consent), and a "Không" is never linked.

A date of birth that is no date but gives a year ("31/02/1980", "năm 1970") keeps the row with
the year alone and a warning on it (app.sheets.births); a warning never refuses the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.consent import CURRENT
from app.extensions import db
from app.followup.enrolment_cells import EnrolmentCommunes
from app.followup.enrolment_columns import ENROLMENT_COLUMNS, with_communes
from app.followup.enrolment_rows import EnrolmentRow, check_row
from app.identity.text import name_columns
from app.models import Enrolment, ImportBatch, OrgUnit, User
from app.sheets.births import year_kept
from app.sheets.communes import CommuneChoice, CommuneShown, choice_key, commune_shown
from app.sheets.issues import FileRejected, ImportIssue, _l, row_label
from app.sheets.reader import SHEET_MISSING, Table, read_table
from app.timeparse import VN

KIND = "enrolments"
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 300_000
MAX_UNZIPPED = 500 * 1024 * 1024  # 300,000 rows of an export unpack to about 250 MB

DUPLICATE = _l("The same enrolment as row %(row)s.")
DUPLICATE_ON = _l("The same enrolment as row %(row)s of sheet %(sheet)s.")
REJECTED = _l("The file has problems; nothing was imported.")

COLUMN_ORDER = {c.name: i for i, c in enumerate(ENROLMENT_COLUMNS)}  # a row's issues, left to right
NAME_LABEL = next(c.label for c in ENROLMENT_COLUMNS if c.name == "name")


@dataclass
class EnrolmentPreview:
    table: Table
    rows: list[EnrolmentRow]
    issues: list[ImportIssue]
    already: ImportBatch | None = None
    unplaced: int = 0  # rows whose commune was not found (kept as text)
    counts: dict[str, int] = field(default_factory=dict)
    choices: list[CommuneChoice] = field(default_factory=list)  # communes the user may choose
    units: dict[int, OrgUnit] = field(default_factory=dict)  # the communes rows were placed in
    warnings: list[ImportIssue] = field(default_factory=list)  # rows kept with the year of birth

    @property
    def ok(self) -> bool:
        return not self.issues

    def commune(self, row: EnrolmentRow) -> CommuneShown:
        """The row's commune as typed and as matched (a pre-2025 name → its 2025 commune)."""
        unit = self.units.get(row.commune_id) if row.commune_id is not None else None
        pending = {c.key for c in self.choices if c.chosen is None}
        choosing = bool(row.commune_text) and choice_key(row.commune_text) in pending
        return commune_shown(row.commune_text, unit, choosing=choosing)

    @property
    def rows_with_problems(self) -> int:
        """Rows named by an issue: every row read is either ready (``rows``) or counted here."""
        return len({i.at for i in self.issues if i.at is not None})


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
    communes = EnrolmentCommunes(unit, choices)
    table = read_table(data, filename, with_communes(communes), max_bytes=MAX_BYTES,
                       max_rows=MAX_ROWS, max_unzipped=MAX_UNZIPPED, every_sheet=True)  # fmt: skip
    _summaries_noticed(table)
    issues = list(table.issues)
    # A cell the reader refused (a formula, an unreadable amount) is not checked again, but the
    # rest of its row is: the user sees every problem of the row at once. Rows are known by
    # (sheet, number): each sheet of a workbook numbers its rows from 1.
    refused: dict[tuple[str, int] | None, set[str]] = {}
    for issue in table.issues:
        refused.setdefault(issue.at, set()).add(issue.field)
    rows: list[EnrolmentRow] = []
    seen: dict[str, EnrolmentRow] = {}
    warnings: list[ImportIssue] = []
    for sheet_row in table.rows:
        skip = refused.get(sheet_row.at, set())
        year, warning = year_kept(sheet_row, table, today)
        checked = sheet_row
        if year is not None:
            checked = replace(sheet_row, values={**sheet_row.values, "birth": year})
        row, row_issues = check_row(checked, today)
        issues.extend(i for i in row_issues if i.field not in skip)
        if row is None or skip:
            continue
        key = row.row_key
        if key in seen:
            issues.append(_duplicate(row, seen[key]))
            continue
        seen[key] = row
        rows.append(row)
        if warning is not None:
            warnings.append(warning)
    _in_file_order(issues, table)
    already = db.session.scalar(
        select(ImportBatch).where(ImportBatch.kind == KIND, ImportBatch.sha256 == table.sha256)
    )
    choosing = {c.key: c for c in communes.choices}
    waiting = 0  # ready rows whose commune is a choice not yet answered
    for r in rows:  # the rows of each choice, as the preview lists them
        if r.commune_text and (choice := choosing.get(choice_key(r.commune_text))):
            choice.rows.append(row_label(r.sheet, r.number))
            waiting += choice.chosen is None
    # Every ready row's commune is one of four: placed, to choose, not found, or not written —
    # an empty cell is no misspelling, so it is not among the communes not found.
    counts = {
        "new": sum(r.is_new for r in rows),
        "renewals": sum(not r.is_new for r in rows),
        "placed": sum(1 for r in rows if r.commune_id is not None),
        "unplaced": sum(1 for r in rows if r.commune_text and r.commune_id is None) - waiting,
        "to_choose": waiting,
        "no_commune": sum(1 for r in rows if not r.commune_text),
    }
    placed = {r.commune_id for r in rows if r.commune_id is not None}
    units = {u.id: u for u in communes.anywhere.values() if u.id in placed}
    return EnrolmentPreview(table, rows, issues, already, counts["unplaced"], counts,
                            communes.choices, units, warnings)  # fmt: skip


def _summaries_noticed(table: Table) -> None:
    """A sheet whose header lacks the name column is a summary (by commune, by scheme), not a
    list of enrolments: named among the sheets not read rather than refusing the file (reading
    only the first sheet, the import never refused such a file)."""
    sheets = {i.sheet for i in table.issues if i.row is None and i.message == SHEET_MISSING
              and NAME_LABEL in i.params.get("columns", ())}  # fmt: skip
    # The sheet's notice, with what explains it (its header read, the names accepted).
    summaries = [i for i in table.issues if i.row is None and i.sheet in sheets]
    table.issues = [i for i in table.issues if i not in summaries]
    table.notices = [*table.notices, *summaries]


def _in_file_order(issues: list[ImportIssue], table: Table) -> None:
    """The file's issues first, then the rows' in the file's order (sheet by sheet, then row),
    each row's from left to right."""
    sheets = {s.name: i for i, s in enumerate(table.sheets)}

    def key(issue: ImportIssue) -> tuple[int, int, int]:
        if issue.row is None:
            return (-1, 0, 0)
        column = COLUMN_ORDER.get(issue.field, len(COLUMN_ORDER))
        return (sheets.get(issue.sheet or "", 0), issue.row, column)

    issues.sort(key=key)


def _duplicate(row: EnrolmentRow, first: EnrolmentRow) -> ImportIssue:
    """``row`` is ``first`` again; ``first`` is named by its sheet when several were read."""
    if first.sheet is None:
        return ImportIssue(row.number, "", DUPLICATE, {"row": first.number}, sheet=row.sheet)
    params = {"row": first.number, "sheet": first.sheet}
    return ImportIssue(row.number, "", DUPLICATE_ON, params, sheet=row.sheet)


@dataclass(frozen=True)
class EnrolmentImport:
    batch: ImportBatch
    created: bool  # False: this very file was imported before; nothing written
    inserted: int
    already_stored: int  # rows another file had brought already
    year_only: tuple[int | str, ...] = ()  # rows kept with the birth year alone (row labels)


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
                        report=_report(preview),
                        created_by_id=user.id if user else None, created_at=now)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    keys = {r.row_key: r for r in preview.rows}
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
    kept = tuple(row_label(w.sheet, w.row) for w in preview.warnings if w.row is not None)
    return EnrolmentImport(batch, True, len(fresh), len(stored), kept)


def _report(preview: EnrolmentPreview) -> dict[str, Any]:
    """What the batch keeps of the file: its form, the sheets read (each with its rows) and
    those not read, with why — no personal data."""
    table = preview.table
    return {"format": table.kind, "encoding": table.encoding, "sheet": table.sheet,
            "sheets": {s.name: s.rows for s in table.sheets},
            "sheets_not_read": [i.stored() for i in table.notices],
            "header_row": table.header_row, "columns": table.headers, **preview.counts,
            "warnings": [w.stored() for w in preview.warnings]}  # fmt: skip


def _enrolment(
    batch: ImportBatch, row: EnrolmentRow, unit: OrgUnit | None, consent_version: str
) -> Enrolment:
    full_name, name_folded = name_columns(row.full_name)  # each fits its column, cut at a word
    enrolment = Enrolment(
        import_batch_id=batch.id,
        source_row=row.number,
        source_sheet=row.sheet,
        source_ref=row.source_ref,
        row_key=row.row_key,
        org_unit_id=unit.id if unit else None,
        commune_id=row.commune_id,
        commune_text=row.commune_text,
        full_name=full_name,
        name_folded=name_folded,
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
