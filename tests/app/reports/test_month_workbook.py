"""The monthly workbook's finished-livestreams sheet: whole figures "#,##0", a split credit
"#,##0.00" (never "#,##0.##", which Excel shows "12," for 12)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook

from app.reports import month_section
from tests.app.reports.test_livestreams import seed
from tests.conftest import HOME


def test_a_fractional_credit_shows_two_decimals_in_the_workbook(
    app, report_path, monkeypatch
) -> None:
    """Linear or time-decay credit splits an enrolment: 2,5 gets "#,##0.00", whole figures
    keep "#,##0" with no dangling separator."""
    seed(report_path)
    real = month_section.month_livestreams

    def split(f):  # type: ignore[no-untyped-def]
        found = real(f)
        found[-1].current = replace(found[-1].current, enrolments=2.5)
        return found

    monkeypatch.setattr(month_section, "month_livestreams", split)
    result = app.test_cli_runner().invoke(
        args=["reports", "build", "--period", "2026-11", "--org-unit", HOME]
    )
    assert result.exit_code == 0, result.output
    path = next(p for p in result.output.split() if p.endswith(".xlsx"))
    sheet = load_workbook(io.BytesIO(Path(path).read_bytes()))["Livestream đã kết thúc"]
    last = list(sheet.iter_rows(min_row=4, min_col=4, max_col=9))[-1]
    assert [c.value for c in last] == [4200, 40, 124, 4, 2, 2.5]
    assert [c.number_format for c in last] == ["#,##0"] * 5 + ["#,##0.00"]
