"""``flask followup …``: the follow-up's batch jobs, run by hand or from cron."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup

from app.extensions import db

if TYPE_CHECKING:
    from app.followup.enrolments import EnrolmentPreview

followup = AppGroup("followup", help="Link attendees to enrolments; personal-data retention.")


@followup.command("retention")
def retention_command() -> None:
    """Erase what is past retention now (the scheduler also does it every day)."""
    from app.followup.retention import run_retention
    from app.models import utcnow

    click.echo(run_retention(utcnow()).line())


@followup.command("import-enrolments")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--org-unit", "unit_code", help="Province or commune the export belongs to.")
@click.option("--dry-run", is_flag=True, help="Check the file and print the report only.")
@click.option("--choose", "choose", multiple=True, metavar="WRITTEN=CODE",
              help="The commune for one written as WRITTEN that may be several.")  # fmt: skip
def import_enrolments_command(
    path: str, unit_code: str | None, dry_run: bool, choose: tuple[str, ...]
) -> None:
    """Import an enrolment export (CSV/XLSX): all rows or none; a second import adds nothing.

    A commune that may be several (an old commune divided in 2025) is listed with its candidates
    and stays unplaced unless ``--choose "WRITTEN=CODE"`` says which.
    """
    from pathlib import Path

    from sqlalchemy import select

    from app.followup.enrolments import commit_enrolments, preview_enrolments
    from app.followup.linking import linkage_behind
    from app.models import OrgUnit, utcnow
    from app.sheets.communes import written_choices
    from app.sheets.issues import FileRejected

    try:
        choices = written_choices(choose)
    except ValueError as exc:
        raise click.BadParameter(f"write WRITTEN=CODE, not {exc}", param_hint="--choose") from exc

    unit = None
    if unit_code:
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
        if unit is None:
            raise click.UsageError(f"--org-unit: no org unit with code {unit_code}")
    file = Path(path)
    try:
        preview = preview_enrolments(file.read_bytes(), file.name, unit=unit, choices=choices)
        for choice in preview.choices:
            answer = f" → {choice.chosen.code}" if choice.chosen else " (unplaced unless chosen)"
            candidates = ", ".join(f"{u.code} {u.name}" for u in choice.candidates)
            click.echo(f"choose for {choice.written!r} ({len(choice.rows)} rows): "
                       f"{candidates}{answer}")  # fmt: skip
        for line in _sheet_lines(preview):
            click.echo(line)
        for warning in preview.warnings:  # rows kept with the birth year alone
            click.echo(warning.line())
        if dry_run:
            for issue in preview.issues:
                click.echo(issue.line())
            click.echo(_counts(preview))
            raise SystemExit(1 if preview.issues else 0)
        result = commit_enrolments(preview, user=None, unit=unit, now=utcnow())
    except FileRejected as exc:
        db.session.rollback()
        for issue in exc.issues:
            click.echo(issue.line(), err=True)
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1) from exc
    db.session.commit()
    if result.created:
        click.echo(f"Batch {result.batch.id}: {result.inserted} enrolments imported, "
                   f"{result.already_stored} already stored from other files.")  # fmt: skip
        click.echo(_counts(preview))
    else:
        click.echo(f"This file was imported before (batch {result.batch.id}); nothing changed.")
    if linkage_behind():  # what this import brought, or an earlier run's linkage cut short
        _link_and_report(full=False)


@followup.command("link")
@click.option("--full", is_flag=True, help="Compare everything again, not only what is new.")
def link_command(full: bool) -> None:
    """Register comment leads, merge duplicate people, link people to enrolments."""
    _link_and_report(full=full)


def _link_and_report(*, full: bool) -> None:
    """Runs in its own transaction after the import's commit: a failed linkage loses no import."""
    from app.followup.linking import refresh_follow_up
    from app.models import utcnow

    try:
        done = refresh_follow_up(utcnow(), full=full)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    for line in done.lines():
        click.echo(line)


def _sheet_lines(preview: EnrolmentPreview) -> list[str]:
    """The sheets read, when several were, and those left unread: none passed over in silence."""
    table = preview.table
    lines = [f"sheets read: {', '.join(f'{s.name} ({s.rows} rows)' for s in table.sheets)}"]
    return (lines if len(table.sheets) > 1 else []) + [n.line() for n in table.notices]


def _counts(preview: EnrolmentPreview) -> str:
    """Every row read is ready or has problems: the two add up to the rows read."""
    counts = preview.counts
    return (f"{len(preview.table.rows)} rows read: {len(preview.rows)} ready "
            f"({counts.get('new', 0)} new, {counts.get('renewals', 0)} renewals, "
            f"{counts.get('unplaced', 0)} with a commune not found, "
            f"{counts.get('to_choose', 0)} to choose, "
            f"{counts.get('no_commune', 0)} with no commune written), "
            f"{preview.rows_with_problems} with problems")  # fmt: skip
