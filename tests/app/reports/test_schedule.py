"""The scheduled job writes last month's and last week's files once, for active provinces."""

from __future__ import annotations

from datetime import UTC, datetime

from openpyxl import load_workbook

from app.collection.scheduler import JOBS
from app.reports.schedule import scheduled_reports
from tests.conftest import HOME


def numbers(path) -> set[float]:
    sheet = load_workbook(path).worksheets[0]
    return {c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, int)}


def test_previous_week_and_month_are_built_once(app, month, tmp_path) -> None:
    # Tuesday 27/10/2026 in Vietnam: last month is September, last week 19-25/10 (ISO week 43).
    now = datetime(2026, 10, 27, 2, tzinfo=UTC)
    written = scheduled_reports(now, tmp_path)
    names = {p.name for p in written}
    for unit in ("nghe-an", "hue"):  # both provinces have events; files named after them
        assert f"bao-cao-{unit}-2026-09.xlsx" in names
        assert f"bao-cao-{unit}-2026-09.html" in names
        assert f"bao-cao-{unit}-2026-W43.xlsx" in names
    september = numbers(tmp_path / HOME / "bao-cao-nghe-an-2026-09.xlsx")
    assert 5000 in september
    assert 1500 not in september
    week = numbers(tmp_path / HOME / "bao-cao-nghe-an-2026-W43.xlsx")
    assert {200, 400} <= week
    assert 1500 not in week
    assert scheduled_reports(now, tmp_path) == []  # already there: nothing rebuilt


def test_the_job_is_in_the_scheduler_list() -> None:
    assert "scheduled_reports" in {job.__name__ for job, _ in JOBS}
