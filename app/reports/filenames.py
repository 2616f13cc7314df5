"""Readable, safe names for the report files a user downloads or finds in the folder.

A name carries the unit's name folded to ASCII ("Tỉnh Nghệ An" → "nghe-an", from its short name),
never its internal code: "bao-cao-nghe-an-2026-11.pdf". Names stay ASCII with no spaces, so
every mail client and office file share keeps them. Two units may share a short name (many
communes are "Phường 1"): the parent's name is added then, and the code only as the last resort.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.identity.text import fold
from app.models import OrgUnit

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
