"""Attendee sheets (danh sách người tham dự) from XLSX or CSV: preview, then commit all or nothing.

``preview_attendees`` reads the file with the generic reader, checks every row with the same
validator as the hall's check-in page (app.attendance.rows), places each row in a commune (and that
commune's hall when the event has bridge points; app.attendance.places: a 2025 or pre-2025
commune, an old commune split between several of the event's communes left to the user's
choice) and lists duplicates within the file. Nothing is written. ``commit_attendees`` then
writes the rows as Person + Attendance (source "sheet") and one ImportBatch, in the caller's
transaction, each touch dated to when the person was there (app.attendance.attended: the
sheet's date column, else the event's start; never the upload time):

- a file with any issue is refused whole, unless the user explicitly asks to import only the
  valid rows; the rows left out are then recorded in the batch's report (row numbers and
  messages, no personal data), so the quarantine is visible later;
- the same file (same SHA-256) imported again for the same event writes nothing.

A date of birth that is no date but gives a year ("31/02/1980", "năm 1970") keeps the row with
the year alone and a warning on it (app.sheets.births); rows imported without a consent answer
(no "Đồng ý" column, or its cell empty) are counted in a file-level warning
(app.attendance.not_asked). A warning never refuses the file.

The "Đồng ý" column holds each person's answer (Có / Không / empty: not asked) to the purpose
text printed on the sheet (``attendee_template`` prints the current one); the import records it
with that text's version (``consent_version``, checked against app.consent.PURPOSES).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.attendance import attended
from app.attendance.not_asked import not_asked
from app.attendance.places import CHOOSE, NO_COMMUNE, Places, fixed_commune
from app.attendance.rows import AttendeeRow, add_attendee, check_attendee
from app.consent import CURRENT, answer_cell, purpose
from app.extensions import db
from app.halls import window
from app.identity.text import fold
from app.models import BridgePoint, Event, ImportBatch, OrgUnit, User, utcnow
from app.sheets import cells
from app.sheets.births import year_kept
from app.sheets.communes import CommuneChoice
from app.sheets.headers import Column
from app.sheets.issues import FileRejected, ImportIssue, _l, row_label
from app.sheets.reader import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, SheetRow, Table, read_table

KIND = "attendees"
SOURCE = "sheet"

# Header spellings seen on commune sheets; compared folded (case, diacritics and punctuation do
# not matter), the first alias of a column wins when a sheet has two that match.
NAME_ALIASES = ("họ và tên", "họ tên", "họ và tên người tham dự", "họ tên người tham dự",
                "tên người tham dự", "họ tên đầy đủ", "tên", "full name")  # fmt: skip
BIRTH_ALIASES = ("năm sinh", "ngày sinh", "ngày tháng năm sinh", "ngày/tháng/năm sinh",
                 "sinh năm", "năm/ngày sinh", "date of birth", "year of birth")  # fmt: skip
PHONE_ALIASES = ("số điện thoại", "sđt", "điện thoại", "số đt", "đt", "điện thoại liên hệ",
                 "sđt liên hệ", "di động", "số di động")  # fmt: skip
CCCD_ALIASES = ("số cccd", "cmnd/cccd", "cccd/cmnd", "số cmnd/cccd", "căn cước", "số căn cước",
                "căn cước công dân", "số định danh", "số định danh cá nhân", "mã định danh",
                "cmnd", "số cmnd")  # fmt: skip
HAMLET_ALIASES = ("thôn/xóm/tổ dân phố", "thôn, xóm", "thôn/xóm", "thôn/tổ", "thôn/bản",
                  "thôn/ấp", "thôn", "xóm", "ấp", "bản", "tổ dân phố", "khu phố",
                  "thôn, tổ dân phố", "nơi ở", "địa chỉ")  # fmt: skip
CONSENT_ALIASES = ("đồng ý", "đồng ý xử lý dữ liệu cá nhân", "đồng ý xử lý dữ liệu",
                   "đồng ý cho xử lý dữ liệu cá nhân", "đồng ý với nội dung trên", "chấp thuận",
                   "consent")  # fmt: skip
COMMUNE_ALIASES = ("xã/phường", "xã, phường", "xã/phường/thị trấn", "xã/phường/đặc khu", "xã",
                   "phường", "mã xã", "đơn vị", "điểm cầu")  # fmt: skip

ATTENDEE_COLUMNS: tuple[Column, ...] = (
    Column("name", _l("Full name"), NAME_ALIASES, required=True),
    Column("birth", _l("Year or date of birth"), BIRTH_ALIASES, required=True, parse=cells.birth),
    Column("phone", _l("Phone"), PHONE_ALIASES, parse=cells.phone),
    Column("cccd", _l("CCCD"), CCCD_ALIASES, parse=cells.digits_id(12)),
    Column("hamlet", _l("Hamlet"), HAMLET_ALIASES),
    Column("commune", _l("Commune"), COMMUNE_ALIASES),
    Column("consent", _l("Agrees (Có/Không)"), CONSENT_ALIASES, parse=answer_cell),
    Column(attended.FIELD, attended.LABEL, attended.ALIASES, parse=attended.parse),
)

DUPLICATE = _l("The same person as row %(row)s.")
DUPLICATE_ON = _l("The same person as row %(row)s of sheet %(sheet)s.")
REJECTED = _l("The file has problems; nothing was imported.")
UNKNOWN_PURPOSE = _l("Unknown version of the purpose text: %(version)s.")
NOTHING_VALID = _l("No valid rows to import.")


@dataclass(frozen=True)
class PreviewRow:
    number: int
    values: dict[str, Any]  # the cells as read, for the preview table
    row: AttendeeRow | None  # None: the row has issues
    commune: OrgUnit | None
    bridge_point_id: int | None
    attended_at: datetime | None = None  # when the person was there (None: nobody says)
    sheet: str | None = None  # named when the workbook had several sheets read

    @property
    def at(self) -> tuple[str, int]:
        return (self.sheet or "", self.number)


@dataclass
class AttendeePreview:
    event: Event
    table: Table
    rows: list[PreviewRow]
    issues: list[ImportIssue]
    already: ImportBatch | None = None  # this very file was imported for this event before
    # Rows by ``at`` (sheet, number): numbers repeat from one sheet to the next.
    skipped: set[tuple[str, int]] = field(default_factory=set)  # rows with issues
    choices: list[CommuneChoice] = field(default_factory=list)  # communes the user must choose
    waiting: set[tuple[str, int]] = field(default_factory=set)  # whose one issue is a choice
    # Never an issue (the rows import): the file's rows without a consent answer (row None,
    # app.attendance.not_asked), then the rows kept with a birth year only, one each.
    warnings: list[ImportIssue] = field(default_factory=list)

    @property
    def valid(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.row is not None and r.at not in self.skipped]

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def only_choices(self) -> bool:
        """Every issue is a commune to choose: answered, the whole file imports."""
        return bool(self.issues) and {i.at for i in self.issues} <= self.waiting

    @property
    def importable(self) -> int:
        """Rows imported once every choice is answered."""
        return len(self.valid) + len(self.waiting)


def preview_attendees(
    event: Event,
    data: bytes,
    filename: str,
    *,
    commune_code: str | None = None,
    point: BridgePoint | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    choices: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> AttendeePreview:
    """Read and check the sheet for ``event``; writes nothing. Raises FileRejected.

    ``point``: the sheet comes from that hall's check-in page (every row is that hall's).
    ``commune_code``: the organiser says which commune the whole sheet is for.
    Otherwise each row's Xã/Phường column (name or code, 2025 or older) places it.
    ``choices``: the user's answers to the preview's choices (choice key → commune code).
    A sheet for an event whose halls may not report yet (``app.halls.window``) is refused
    whole: its rows would count as people present at an event not held.
    """
    opens = window.not_open_yet(event, now or utcnow())
    if opens is not None:
        raise FileRejected.one(window.SHEET_REFUSED, **window.when_params(opens))
    table = read_table(data, filename, ATTENDEE_COLUMNS, max_bytes=max_bytes, max_rows=max_rows,
                       every_sheet=True)  # fmt: skip
    places = Places(event, choices)
    fixed = fixed_commune(places, commune_code, point)
    if fixed is None and "commune" not in table.headers and len(places.communes) != 1:
        raise FileRejected.one(NO_COMMUNE)
    issues = list(table.issues)
    flagged = {i.at for i in issues}
    rows: list[PreviewRow] = []
    waiting: set[tuple[str, int]] = set()
    seen: dict[tuple[str, ...], SheetRow] = {}
    warnings: list[ImportIssue] = []
    for sheet_row in table.rows:
        values = sheet_row.values
        row_issues: list[ImportIssue] = []
        number, sheet = sheet_row.number, sheet_row.sheet
        checked = {k: v for k, v in values.items() if v is not None}
        year, warning = year_kept(sheet_row, table)
        if year is not None:
            checked["birth"] = year
        row, problems = check_attendee(checked)
        for p in problems:
            if sheet_row.at in flagged and values.get(p.field) is None:
                continue  # the reader already reported this cell (formula, garbled text)
            row_issues.append(ImportIssue(number, p.field, p.message, value=p.value))
        commune, point_id = places.place(fixed, point, values.get("commune"), number, row_issues,
                                         sheet)  # fmt: skip
        at = attended.visit_time(values.get(attended.FIELD), event, number, row_issues)
        if row is not None:
            for key in _identity_keys(row):
                if key in seen:
                    row_issues.append(_duplicate(number, seen[key]))
                    break
            else:
                for key in _identity_keys(row):
                    seen[key] = sheet_row
        if sheet is not None:  # the checks above know rows by number; name their sheet
            row_issues = [replace(i, sheet=sheet) for i in row_issues]
        issues.extend(row_issues)
        messages = {i.message for i in row_issues}
        if row_issues and sheet_row.at not in flagged and messages <= CHOOSE:
            waiting.add(sheet_row.at)
        bad = bool(row_issues) or sheet_row.at in flagged
        if warning is not None and (not bad or sheet_row.at in waiting):
            warnings.append(warning)
        rows.append(PreviewRow(number, values, None if bad else row, commune, point_id, at, sheet))
    order = {r.at: i for i, r in enumerate(rows)}  # the file's order: sheet by sheet
    issues.sort(key=lambda i: -1 if i.at is None else order.get(i.at, -1))
    already = db.session.scalar(
        select(ImportBatch).where(
            ImportBatch.kind == KIND,
            ImportBatch.sha256 == table.sha256,
            ImportBatch.event_id == event.id,
        )
    )
    skipped = {i.at for i in issues if i.at is not None}
    imported = [r for r in rows if r.at in waiting or (r.row is not None and r.at not in skipped)]
    warnings[:0] = not_asked(table, imported)  # file-level: rows without a consent answer
    return AttendeePreview(event, table, rows, issues, already, skipped, places.placer.choices,
                           waiting, warnings)  # fmt: skip


def _duplicate(number: int, first: SheetRow) -> ImportIssue:
    """Row ``number`` is ``first``'s person again (named by its sheet when it has one)."""
    if first.sheet is None:
        return ImportIssue(number, "", DUPLICATE, {"row": first.number})
    return ImportIssue(number, "", DUPLICATE_ON, {"row": first.number, "sheet": first.sheet})


def _identity_keys(row: AttendeeRow) -> list[tuple[str, ...]]:
    """Two rows are one person when they share a CCCD, or name and birth, or name and phone."""
    name = fold(row.full_name)
    keys: list[tuple[str, ...]] = []
    if row.cccd:
        keys.append(("cccd", row.cccd))
    if row.birth:
        keys.append(("birth", name, row.birth))
    if row.phone:
        keys.append(("phone", name, row.phone))
    if not keys:
        keys.append(("name", name, row.hamlet.casefold()))
    return keys


@dataclass(frozen=True)
class ImportResult:
    batch: ImportBatch
    created: bool  # False: the same file was imported before and nothing was written
    imported: int
    left_out: int
    year_only: tuple[int | str, ...] = ()  # rows kept with the birth year alone (row labels)
    warnings: tuple[ImportIssue, ...] = ()  # file-level: rows written without a consent answer


def commit_attendees(
    preview: AttendeePreview,
    *,
    user: User | None,
    now: datetime,
    only_valid: bool = False,
    origin: str = "page",
    consent_version: str = CURRENT,
) -> ImportResult:
    """Write the previewed rows in the caller's transaction (the caller commits).

    Refused (FileRejected, nothing written) when any row has an issue, unless ``only_valid``:
    then the valid rows are written and the others are listed in the batch's report. ``now``
    dates the batch; it dates a touch only when neither the row nor the event has a date.
    ``consent_version``: the purpose text printed on the sheet, which its answers refer to.
    """
    if preview.already is not None:
        return ImportResult(preview.already, False, 0, 0)
    if purpose(consent_version) is None:
        issue = ImportIssue(None, "consent", UNKNOWN_PURPOSE, {"version": consent_version})
        raise FileRejected([issue])
    if preview.issues and not only_valid:
        raise FileRejected([ImportIssue(None, "", REJECTED), *preview.issues])
    valid = preview.valid
    if not valid:
        raise FileRejected([ImportIssue(None, "", NOTHING_VALID), *preview.issues])
    table, event = preview.table, preview.event
    batch = ImportBatch(
        kind=KIND,
        filename=table.filename[:300],
        sha256=table.sha256,
        org_unit_id=event.org_unit_id,
        event_id=event.id,
        rows_total=len(preview.rows),
        rows_ok=len(valid),
        rows_rejected=len(preview.rows) - len(valid),
        report={**_report(preview, only_valid, origin), "consent_version": consent_version},
        created_by_id=user.id if user is not None else None,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(batch)
            db.session.flush()
    except IntegrityError:  # the same file confirmed twice at the same moment
        earlier = db.session.scalar(
            select(ImportBatch).where(
                ImportBatch.kind == KIND,
                ImportBatch.sha256 == table.sha256,
                ImportBatch.event_id == event.id,
            )
        )
        assert earlier is not None
        return ImportResult(earlier, False, 0, 0)
    for item in valid:
        assert item.row is not None
        add_attendee(
            item.row,
            event_id=event.id,
            bridge_point_id=item.bridge_point_id,
            commune_id=item.commune.id if item.commune else None,
            source=SOURCE,
            source_ref=_source_ref(batch, item),
            consent_version=consent_version,
            consent_source=f"sheet:{batch.id}",
            touched_at=item.attended_at or now,
        )
    from app import audit

    audit.record("attendance.import", user, "event", event.id, batch=batch.id, rows=len(valid),
                 left_out=batch.rows_rejected, origin=origin)  # fmt: skip
    written = {item.at for item in valid}
    kept = tuple(row_label(w.sheet, w.row) for w in preview.warnings if w.at in written)
    return ImportResult(batch, True, len(valid), batch.rows_rejected, kept,
                        tuple(not_asked(table, valid)))  # fmt: skip


def _source_ref(batch: ImportBatch, item: PreviewRow) -> str:
    """``sheet:<batch>:<row>``, ``sheet:<batch>:<sheet>:<row>`` in a file of several sheets
    (Excel allows no ":" in a sheet's name)."""
    if item.sheet is None:
        return f"sheet:{batch.id}:{item.number}"
    return f"sheet:{batch.id}:{item.sheet}:{item.number}"


def _report(preview: AttendeePreview, only_valid: bool, origin: str) -> dict[str, Any]:
    table = preview.table
    return {
        "origin": origin,
        "format": table.kind,
        "encoding": table.encoding,
        "sheet": table.sheet,
        "sheets": {s.name: s.rows for s in table.sheets},
        "header_row": table.header_row,
        "columns": table.headers,
        "only_valid_rows": only_valid,
        "left_out_rows": [
            row_label(r.sheet, r.number) for r in preview.rows if r.at in preview.skipped
        ],
        "issues": [i.stored() for i in preview.issues],
        "warnings": [w.stored() for w in preview.warnings],
        "sheets_not_read": [i.stored() for i in table.notices],
    }


def summary_lines(issues: Sequence[ImportIssue], translate: Any = None) -> list[str]:
    return [i.line(translate) for i in issues]
