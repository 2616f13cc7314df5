"""``flask attendance import FILE --event ID [--commune CODE]``: the attendee sheet from a shell.

Prints the row-level report; exits non-zero and writes nothing when the file is rejected
(``--only-valid`` imports the valid rows and records the others, as the page's second button).
An old commune split between several of the event's communes is listed with its candidates;
``--choose "WRITTEN=CODE"`` answers it, as the page's selects do.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.models import Event, utcnow
from app.sheets.communes import written_choices
from app.sheets.issues import FileRejected
from app.sheets.reader import check_size

attendance = AppGroup("attendance", help="Attendee sheets of events.")


@attendance.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event", "event_id", required=True, type=int, help="Id of the event.")
@click.option("--commune", default=None, help="Code of the commune the whole sheet is for.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--only-valid", is_flag=True, help="Import the valid rows, leave out the others.")
@click.option("--choose", "choose", multiple=True, metavar="WRITTEN=CODE",
              help="The commune for one written as WRITTEN that may be several.")  # fmt: skip
def import_sheet(
    file: Path,
    event_id: int,
    commune: str | None,
    dry_run: bool,
    only_valid: bool,
    choose: tuple[str, ...],
) -> None:
    """Import FILE (XLSX or CSV) as the attendees of event ID."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.BadParameter(f"no event with id {event_id}", param_hint="--event")
    try:
        choices = written_choices(choose)
    except ValueError as exc:
        raise click.BadParameter(f"write WRITTEN=CODE, not {exc}", param_hint="--choose") from exc
    max_bytes = current_app.config["IMPORT_MAX_BYTES"]
    try:
        check_size(file.stat().st_size, max_bytes)  # before reading 50 MB into memory
        preview = preview_attendees(event, file.read_bytes(), file.name, commune_code=commune,
                                    max_bytes=max_bytes,
                                    max_rows=current_app.config["IMPORT_MAX_ROWS"],
                                    choices=choices)  # fmt: skip
    except FileRejected as exc:
        _fail(exc)
    table = preview.table
    where = f"sheet {table.sheet}" if table.sheet else f"encoding {table.encoding}"
    if len(table.sheets) > 1:
        where = "sheets " + ", ".join(f"{s.name} ({s.rows} rows)" for s in table.sheets)
    click.echo(f"{file.name}: {table.kind}, {where}, header on row {table.header_row}, "
               f"{len(preview.rows)} rows, {len(preview.valid)} valid")  # fmt: skip
    for notice in table.notices:
        click.echo(f"  {notice.line()}")
    for issue in preview.issues:
        click.echo(f"  {issue.line()}")
    for warning in preview.warnings:  # rows kept with the birth year alone
        click.echo(f"  {warning.line()}")
    for choice in preview.choices:
        answer = f" → {choice.chosen.code}" if choice.chosen else ""
        candidates = ", ".join(f"{u.code} {u.name}" for u in choice.candidates)
        click.echo(f"  choose for {choice.written!r} (rows {', '.join(map(str, choice.rows))}): "
                   f"{candidates}{answer}")  # fmt: skip
    if preview.already is not None:
        click.echo(f"Already imported (batch {preview.already.id}); nothing to do.")
        return
    if dry_run:
        click.echo("Dry run: nothing written.")
        if preview.issues:
            raise SystemExit(1)
        return
    try:
        result = commit_attendees(preview, user=None, now=utcnow(), only_valid=only_valid,
                                  origin="cli")  # fmt: skip
    except FileRejected as exc:
        db.session.rollback()
        click.echo("Rejected: nothing was written (--only-valid imports the valid rows).", err=True)
        raise SystemExit(1) from exc
    db.session.commit()
    click.echo(f"Imported {result.imported} attendees (batch {result.batch.id}); "
               f"{result.left_out} rows left out.")  # fmt: skip


def _fail(exc: FileRejected) -> None:
    click.echo("Rejected: nothing was written.", err=True)
    for issue in exc.issues:
        click.echo(f"  {issue.line()}", err=True)
    raise SystemExit(1)
