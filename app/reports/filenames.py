"""Readable, safe names for the report files a user downloads or finds in the folder.

A name carries the unit's name folded to ASCII ("Tỉnh Nghệ An" → "nghe-an", from its short name),
never its internal code: "bao-cao-nghe-an-2026-11.pdf"; and the period it covers, so two downloads
of one unit never share a name. Every word is Vietnamese folded to ASCII (the interface's
language; no English such as "channels"). Names stay ASCII with no spaces, so every mail client
and office file share keeps them. Two units may share a short name (many
communes are "Phường 1"): the parent's name is added then, and the code only as the last resort.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.identity.text import fold
from app.models import Event, OrgUnit

MAX_SLUG = 60


def slug(text: str) -> str:
    """``text`` as lowercase ASCII words joined by hyphens: "Phường 1" → "phuong-1"."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return words[:MAX_SLUG].rstrip("-")


def _name(unit: OrgUnit) -> str:
    return slug(unit.short_name or unit.name)


def unit_slug(unit: OrgUnit) -> str:
    """The unit in a file name, unique among units: its name, then its parent's, then its code."""
    own = _name(unit)
    # Same-length short names are the only candidates (a tone mark does not change the length).
    same_length = select(OrgUnit).where(
        OrgUnit.id != unit.id, func.length(OrgUnit.short_name) == len(unit.short_name or "")
    )
    twins = [u for u in db.session.scalars(same_length) if _name(u) == own]
    if own and not twins:
        return own
    parent = _name(unit.parent) if unit.parent else ""
    if own and parent and all(not u.parent or _name(u.parent) != parent for u in twins):
        return f"{own}-{parent}"
    return f"{own}-{unit.code}" if own else slug(unit.code) or "don-vi"


def month_stem(unit: OrgUnit, period: str) -> str:
    """The month's files without their extension: "bao-cao-nghe-an-2026-11"."""
    return f"bao-cao-{unit_slug(unit)}-{period}"


def week_stem(unit: OrgUnit, monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"bao-cao-{unit_slug(unit)}-{year}-W{week:02d}"


# The channels comparison's CSV views (``app.reports.workbook.CSV_VIEWS``) in a file name.
CSV_VIEW_WORDS = {
    "channels": "theo-kenh",
    "month": "theo-thang",
    "commune": "theo-xa",
    "event": "theo-su-kien",
    "halls": "diem-cau-tai-su-kien-cap-tren",  # a commune's halls at the province's events
}


def period_slug(start: date | None, end: date | None) -> str:
    """A report's period in a file name: a whole month "2026-10", a whole year "2026", one day
    "2026-10-05", else "2026-10-01-den-2026-10-20" ("tu-…" / "den-…" when open on one side)."""
    if start and end:
        if start == end:
            return start.isoformat()
        if (start.month, start.day, end.month, end.day) == (
            1,
            1,
            12,
            31,
        ) and start.year == end.year:
            return str(start.year)
        last = calendar.monthrange(end.year, end.month)[1]
        if (
            start.day == 1
            and (start.year, start.month) == (end.year, end.month)
            and end.day == last
        ):
            return f"{start:%Y-%m}"
        return f"{start.isoformat()}-den-{end.isoformat()}"
    if start:
        return f"tu-{start.isoformat()}"
    if end:
        return f"den-{end.isoformat()}"
    return "toan-bo-thoi-gian"


def channels_stem(
    unit: OrgUnit, start: date | None, end: date | None, view: str | None = None
) -> str:
    """The channels comparison's files: "so-sanh-kenh-nghe-an-2026-10" (+ "-theo-xa" for a
    CSV view)."""
    stem = f"so-sanh-kenh-{unit_slug(unit)}-{period_slug(start, end)}"
    return f"{stem}-{CSV_VIEW_WORDS[view]}" if view else stem


def event_stem(prefix: str, event: Event, day: date | None, part: OrgUnit | None = None) -> str:
    """An event's file: "lien-he-nghe-an-su-kien-12-2026-11-25" (its unit, its number, its day);
    a commune's part of a province's event is named for the commune whose people it holds:
    "lien-he-nghi-phong-su-kien-12-2026-11-25"."""
    when = f"-{day.isoformat()}" if day else ""
    return f"{prefix}-{unit_slug(part or event.org_unit)}-su-kien-{event.id}{when}"


def campaign_stem(name: str, part: OrgUnit | None = None) -> str:
    """A campaign's file: "chien-dich-bhxh-tu-nguyen-q4"; its part of a commune is named for the
    commune too: "chien-dich-bhxh-tu-nguyen-q4-anh-son"."""
    stem = f"chien-dich-{slug(name) or 'khong-ten'}"
    return f"{stem}-{unit_slug(part)}" if part else stem
