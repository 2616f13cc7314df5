"""`flask collect run` (the scheduler as its own process) and `flask collect once --event ID`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import Event, Target

collect = AppGroup("collect", help="Collect engagement from the platforms.")


@collect.command("run")
def collect_run() -> None:
    """Run the collection scheduler in the foreground (set COLLECTOR_MODE=off on web processes)."""
    from app.collection.scheduler import run_blocking

    run_blocking(current_app._get_current_object())  # type: ignore[attr-defined]


@collect.command("once")
@click.option("--event", "event_id", type=int, required=True, help="Id of the event.")
def collect_once(event_id: int) -> None:
    """One round for every target of the event; exit 0 only when all of them succeeded."""
    from app.collection.runner import run_targets

    if db.session.get(Event, event_id) is None:
        raise click.BadParameter(f"no event {event_id}", param_hint="--event")
    ids = list(db.session.scalars(select(Target.id).where(Target.event_id == event_id)))
    if not ids:
        click.echo(f"event {event_id} has no collection targets", err=True)
        sys.exit(2)
    results = run_targets(ids)
    failed = [r for r in results if not r.ok]
    for r in results:
        detail = f": {r.error}" if r.error else ""
        click.echo(
            f"target {r.target_id}: {r.outcome}, {r.samples} samples, {r.comments} comments{detail}"
        )
    if failed:
        sys.exit(1)
