"""Loading the 2025 administrative tree (34 provinces, 3,321 communes) from `vietnamadminunits`.

We do not hand-type unit lists: the package ships the official codes of Decision 19/2025/QĐ-TTg in a
SQLite file, read offline. Loading is an upsert by code, so re-running it after a package upgrade
renames units and adds new ones without touching ids that events already point to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import OrgKind, OrgUnit

COUNTRY_CODE = "VN"
COUNTRY_NAME = "Việt Nam"


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    short_name: str
    kind: OrgKind
    division_type: str
    parent_code: str | None


def package_version() -> str:
    return f"vietnamadminunits {version('vietnamadminunits')}"


def read_package_units(province_codes: Iterable[str] | None = None) -> list[UnitRow]:
    """Provinces and communes of the 2025 tree, optionally only of some provinces."""
    from vietnamadminunits.database import query

    wanted = set(province_codes) if province_codes is not None else None
    rows = query(
        "SELECT province, provinceShort, provinceCode, ward, wardShort, wardType, wardCode "
        "FROM admin_units ORDER BY provinceCode, wardCode"
    )
    units: dict[str, UnitRow] = {}
    for r in rows:
        if wanted is not None and r["provinceCode"] not in wanted:
            continue
        if r["provinceCode"] not in units:
            province_type = r["province"].removesuffix(r["provinceShort"]).strip()
            units[r["provinceCode"]] = UnitRow(
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                OrgKind.PROVINCE,
                province_type,
                COUNTRY_CODE,
            )
        units[r["wardCode"]] = UnitRow(
            r["wardCode"],
            r["ward"],
            r["wardShort"],
            OrgKind.COMMUNE,
            r["wardType"],
            r["provinceCode"],
        )
    return list(units.values())


def load_units(session: Session, rows: Iterable[UnitRow], source: str) -> int:
    """Upsert units by code (parents first); returns how many were created or changed."""
    by_code = {u.code: u for u in session.scalars(select(OrgUnit))}
    changed = 0
    country = by_code.get(COUNTRY_CODE)
    if country is None:
        country = OrgUnit(
            code=COUNTRY_CODE,
            name=COUNTRY_NAME,
            short_name=COUNTRY_NAME,
            kind=OrgKind.COUNTRY,
            path=COUNTRY_CODE,
            source_version=source,
        )
        session.add(country)
        by_code[COUNTRY_CODE] = country
        changed += 1
    session.flush()
    ordered = sorted(rows, key=lambda r: r.kind != OrgKind.PROVINCE)
    for row in ordered:
        parent = by_code[row.parent_code] if row.parent_code else None
        path = f"{parent.path}/{row.code}" if parent else row.code
        unit = by_code.get(row.code)
        values = {
            "name": row.name,
            "short_name": row.short_name,
            "kind": row.kind,
            "division_type": row.division_type,
            "parent_id": parent.id if parent else None,
            "path": path,
            "source_version": source,
        }
        if unit is None:
            unit = OrgUnit(code=row.code, **values)
            session.add(unit)
            by_code[row.code] = unit
            changed += 1
        elif any(getattr(unit, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(unit, key, value)
            changed += 1
        if row.kind == OrgKind.PROVINCE:
            session.flush()  # communes need the province id
    session.flush()
    return changed
