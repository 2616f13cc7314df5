"""Scheduled report files: last week's and last month's, for every province with activity.

The scheduler calls ``scheduled_reports`` every REPORTS_TICK_SECONDS; it writes a period's files
only when they are not there yet, so a restart, a second tick or a missed Monday all end with the
same folder, and a period is built once soon after it ends (Vietnam time).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import exists, select

from app import shared_store
from app.extensions import db
from app.models import Event, OfflineActivity, OrgKind, OrgUnit, utcnow
from app.reports.filenames import month_stem, week_stem
from app.reports.files import build_month, build_week, reports_folder
from app.scoping import subtree_ids
from app.timeparse import VN


def previous_month(today: date) -> str:
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def previous_monday(today: date) -> date:
    return today - timedelta(days=today.weekday() + 7)


def active_provinces() -> list[OrgUnit]:
    """Provinces with at least one event or offline entry in their subtree."""
    provinces = db.session.scalars(
        select(OrgUnit).where(OrgUnit.kind == OrgKind.PROVINCE).order_by(OrgUnit.code)
    ).all()
    out = []
    for unit in provinces:
        area = subtree_ids(unit)
        if db.session.scalar(
            select(
                exists().where(Event.org_unit_id.in_(area))
                | exists().where(OfflineActivity.org_unit_id.in_(area))
            )
        ):
            out.append(unit)
    return out


def scheduled_reports(now: datetime | None = None, folder: Path | None = None) -> list[Path]:
    """Build the previous week's and month's files of each active province not yet built."""
    today = (now or utcnow()).astimezone(VN).date()
    folder = folder or reports_folder(shared_store.root())
    month = previous_month(today)
    monday = previous_monday(today)
    written: list[Path] = []
    for unit in active_provinces():
        target = folder / unit.code
        if not (target / f"{month_stem(unit, month)}.xlsx").exists():
            written += build_month(folder, unit, month)
        if not (target / f"{week_stem(unit, monday)}.xlsx").exists():
            written += build_week(folder, unit, monday)
    db.session.rollback()  # read-only: end the transaction the queries opened
    return written
