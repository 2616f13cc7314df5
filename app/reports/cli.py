"""``flask reports build --period 2026-10 --org-unit 40``: write the month's report files."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app import shared_store
from app.extensions import db
from app.reports.files import build_month, reports_folder
from app.reports.params import ParamError, unit_for
from app.reports.rollups.full_build import rebuild

reports = AppGroup("reports", help="Managers' reports: monthly files.")


@reports.command("build")
@click.option("--period", required=True, help="The month, YYYY-MM.")
@click.option("--org-unit", "org_unit", required=True, help="Code of the province or commune.")
def build(period: str, org_unit: str) -> None:
    """Write the month's Excel, CSV and printable HTML into the instance's reports folder."""
    try:
        unit = unit_for(org_unit, None)
    except ParamError as exc:
        raise click.BadParameter(exc.message, param_hint="--org-unit") from None
    try:
        paths = build_month(reports_folder(shared_store.root()), unit, period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    for path in paths:
        click.echo(str(path))


@reports.command("rollup")
@click.option("--full", is_flag=True, required=True, help="Rebuild every event's rollup row.")
def rollup_command(full: bool) -> None:
    """Rebuild the report rollups from the source tables (then the reports read them)."""
    started = time.perf_counter()
    n = rebuild()
    db.session.commit()
    click.echo(f"rollups of {n} events rebuilt in {time.perf_counter() - started:.1f} s")
