"""The chooser: REPORTS_ROLLUPS and a full build decide whether a report reads the rollups."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.reports.facts import ReportFilter
from app.reports.report import use_rollups
from app.reports.rollups import build, full_build


@pytest.mark.parametrize("setting", ["off", "auto"])
def test_the_setting_chooses_the_path(app, month, setting) -> None:
    full_build.rebuild()
    db.session.commit()
    app.config["REPORTS_ROLLUPS"] = setting

    assert use_rollups(ReportFilter(unit=month.province)) is (setting == "auto")
    build.drop()
    db.session.commit()
    assert use_rollups(ReportFilter(unit=month.province)) is False
