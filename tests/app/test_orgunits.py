"""The 2025 administrative tree read from vietnamadminunits, and loaded by upsert."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import OrgKind, OrgUnit
from app.orgunits import UnitRow, load_units, read_package_units
from tests.conftest import HOME

# Also on PostgreSQL: the reference tree reloaded by upsert.
pytestmark = pytest.mark.postgres


def test_package_has_the_two_level_structure_of_2025() -> None:
    units = read_package_units()
    provinces = [u for u in units if u.kind == OrgKind.PROVINCE]
    communes = [u for u in units if u.kind == OrgKind.COMMUNE]
    assert len(provinces) == 34
    assert len(communes) == 3321
    assert all(len(p.code) == 2 for p in provinces)
    assert all(len(c.code) == 5 and c.parent_code in {p.code for p in provinces} for c in communes)
    hcm = next(p for p in provinces if p.code == "79")
    assert "Hồ Chí Minh" in hcm.name
    # Bình Dương (74) was merged into TP HCM: its old code is gone.
    assert "74" not in {p.code for p in provinces}


def test_loaded_tree_has_paths_for_scoping(app: Flask, unit) -> None:
    province = unit(HOME)
    assert province.path == f"VN/{HOME}"
    communes = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == province.id)).all()
    assert communes
    assert all(c.path == f"VN/{HOME}/{c.code}" for c in communes)


def test_reload_renames_without_new_ids(app: Flask, unit) -> None:
    province = unit(HOME)
    before = province.id
    renamed = UnitRow(HOME, "Tỉnh Nghệ An (mới)", "Nghệ An", OrgKind.PROVINCE, "Tỉnh", "VN")
    assert load_units(db.session, [renamed], "test-2") == 1
    db.session.commit()
    again = unit(HOME)
    assert (again.id, again.name, again.source_version) == (before, "Tỉnh Nghệ An (mới)", "test-2")
    assert load_units(db.session, [renamed], "test-2") == 0
