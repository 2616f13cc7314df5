"""The folder of generated report files: ``<shared store>/reports/<org unit code>/<file>``.

``build_month`` writes a month's files for one unit (the CLI and the scheduled job call it);
``listing`` and ``file_for`` show and serve only the folders of units in the user's scope, and
only plain file names, so no path can lead out of the folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask import current_app, has_request_context
from sqlalchemy import select

from app.extensions import db
from app.models import OrgUnit, User
from app.reports import month_parent, month_section
from app.reports.facts import ChannelReport, ReportFilter, month_bounds
from app.reports.filenames import month_stem, week_stem
from app.reports.parent_part import HallPart, parent_halls
from app.reports.pdf import month_pdf
from app.reports.printable import render_month
from app.reports.report import build_report
from app.reports.workbook import channels_csv, channels_workbook
from app.scoping import unit_in_scope
from app.shared_store import FileStore

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
PERIOD_IN_NAME = re.compile(r"-(\d{4})-(\d{2}|W\d{2})\.\w+$")


@dataclass(frozen=True)
class ReportFile:
    unit_code: str
    unit_name: str
    name: str
    size: int
    modified: datetime

    @property
    def key(self) -> str:
        return f"{self.unit_code}/{self.name}"

    @property
    def period(self) -> tuple[str, str] | None:
        """("month", "10/2026") or ("week", "44/2026"), read from the name; the listing shows
        it in words beside the file name, whose ISO month only sorts the files."""
        match = PERIOD_IN_NAME.search(self.name)
        if match is None:
            return None
        year, part = match.groups()
        if part.startswith("W"):
            return "week", f"{part[1:]}/{year}"
        return "month", f"{part}/{year}"


def reports_folder(instance_path: str | Path) -> Path:
    return Path(instance_path) / "reports"


def build_month(folder: Path, unit: OrgUnit, period: str) -> list[Path]:
    """Write the month's xlsx, csv, html and pdf for ``unit``; returns the paths written.

    A commune's halls at events of the units above are read once for all of them (no user: the
    files link to no event page); the CSV stays the table by channel, as it was.
    """
    start, end = month_bounds(period)
    report = build_report(ReportFilter(unit=unit, start=start, end=end))
    halls = parent_halls(report.filter, None)
    sheets = [month_section.workbook_table(report.filter), *month_parent.workbook_tables(halls)]
    stem = month_stem(unit, period)
    return _write(folder / unit.code, {
        f"{stem}.xlsx": channels_workbook(report, sheets),
        f"{stem}.csv": channels_csv(report).encode("utf-8"),
        f"{stem}.html": _render_outside_request(report, period, halls).encode("utf-8"),
        f"{stem}.pdf": month_pdf(report, period, halls=halls),
    })  # fmt: skip


def build_week(folder: Path, unit: OrgUnit, monday: date) -> list[Path]:
    """Write the week's xlsx and csv (Monday to Sunday) for ``unit``; the printed report is
    monthly, as officers send it upward."""
    report = build_report(ReportFilter(unit=unit, start=monday, end=monday + timedelta(days=6)))
    stem = week_stem(unit, monday)
    return _write(folder / unit.code, {
        f"{stem}.xlsx": channels_workbook(report),
        f"{stem}.csv": channels_csv(report).encode("utf-8"),
    })  # fmt: skip


def _write(target: Path, outputs: dict[str, bytes]) -> list[Path]:
    # Readers never see half a file, and two hosts building one period never share a temp file.
    store = FileStore(target)
    for name, body in outputs.items():
        store.put(name, body)
    return [target / name for name in outputs]


def _render_outside_request(report: ChannelReport, period: str, halls: list[HallPart]) -> str:
    """Templates pick the locale from the request: give the CLI and the scheduler one (vi)."""
    if has_request_context():
        return render_month(report, period, halls=halls)
    with current_app.test_request_context("/reports/monthly"):
        return render_month(report, period, halls=halls)


def _units(folder: Path, user: User) -> list[OrgUnit]:
    if not folder.is_dir():
        return []
    codes = [p.name for p in folder.iterdir() if p.is_dir() and SAFE_NAME.match(p.name)]
    if not codes:
        return []
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.code.in_(codes))).all()
    return sorted((u for u in units if unit_in_scope(u, user)), key=lambda u: u.code)


def listing(folder: Path, user: User) -> list[ReportFile]:
    out = []
    for unit in _units(folder, user):
        for path in sorted((folder / unit.code).iterdir(), reverse=True):
            if path.is_file() and SAFE_NAME.match(path.name) and not path.name.endswith(".tmp"):
                stat = path.stat()
                modified = datetime.fromtimestamp(stat.st_mtime, UTC)
                out.append(ReportFile(unit.code, unit.name, path.name, stat.st_size, modified))
    return out


def file_for(folder: Path, key: str, user: User) -> Path | None:
    """The file named ``<unit code>/<name>`` if the user's scope covers that unit."""
    code, _, name = key.partition("/")
    if not SAFE_NAME.match(code) or not SAFE_NAME.match(name) or name.endswith(".tmp"):
        return None
    if code not in {u.code for u in _units(folder, user)}:
        return None
    path = folder / code / name
    return path if path.is_file() else None
